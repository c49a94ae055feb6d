# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A real Odoo server in workers mode (prefork), for the tests of the
scale-out setup: ``serving(db, "--workers=2", "--max-cron-threads=2")`` starts
it on a free loopback port, waits until it answers, yields its URL and stops
it (SIGINT, then SIGKILL); its log until then is checked for ERROR lines.
``query(db, sql, params)`` reads a committed database with psycopg2."""

import os
import re
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager

import psycopg2
import requests

from .odoo_subprocess import ALWAYS_IGNORED, ODOO_BIN, ODOO_CONF, ROOT


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(db, *args, noise=None, timeout=120):
    port = free_port()
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        server = subprocess.Popen(
            [
                ODOO_BIN,
                "-c",
                ODOO_CONF,
                "-d",
                db,
                f"--db-filter=^{db}$",
                f"--http-port={port}",
                f"--gevent-port={free_port()}",
                "--http-interface=127.0.0.1",
                "--log-level=info",
                *args,
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                assert server.poll() is None, "the server stopped:\n" + _tail(log)
                try:
                    requests.get(f"{url}/web/login", timeout=120)
                    break
                except (requests.ConnectionError, requests.Timeout):
                    assert time.monotonic() < deadline, "no answer:\n" + _tail(log)
                    time.sleep(0.5)
            yield url, log.name
        finally:
            # what the server logs while it stops (a worker interrupted in its
            # loop) is not the test's business
            served = os.path.getsize(log.name)
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        log.seek(0)
        errors = [
            line
            for line in log.read(served).splitlines()
            if (" ERROR " in line or " CRITICAL " in line)
            and not ALWAYS_IGNORED.search(line)
            and not (noise and re.search(noise, line))
        ]
        assert not errors, "the server logged errors:\n" + "\n".join(errors[:20])


def _tail(log):
    log.flush()
    with open(log.name) as f:
        return f.read()[-4000:]


def query(db, sql, params=None, **connect):
    """Rows of ``sql`` on ``db`` (committed data; libpq's defaults, like
    odoo.conf, unless ``connect`` says otherwise)."""
    with psycopg2.connect(dbname=db, **connect) as conn, conn.cursor() as cr:
        cr.execute(sql, params)
        rows = cr.fetchall() if cr.description else []
    conn.close()
    return rows


def wait_for(check, timeout, message):
    """Call ``check()`` every half second until it returns a true value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, message
        time.sleep(0.5)
