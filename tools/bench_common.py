"""Helpers shared by the benchmark scripts tools/bench_*.py (see `make bench`).

The scripts run as ``.venv/bin/python tools/bench_<name>.py``: Python puts
tools/ first on the import path, so they ``import bench_common``.

- databases: ``createdb`` (a new database with modules installed, by the Odoo
  server in a subprocess), ``dropdb``, ``odoo_env`` (a superuser environment in
  this process);
- timing: ``clock``, ``measure`` (seconds and queries of a block);
- results: ``log``, ``record`` (one line of the table), ``write_markdown``;
- data: ``create_customers`` (ORM), and in bulk SQL for large sizes
  ``insert_customers`` and ``insert_invoices``, then ``bulk_done``.
"""

import contextlib
import logging
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_BIN = ROOT / ".venv" / "bin" / "odoo"
CONF = ROOT / "odoo.conf"

results = []  # (section, measure, value, unit, note)


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


def log(message):
    print(f"[bench] {message}", flush=True)


def record(section, measure, value, unit="", note=""):
    results.append((section, measure, value, unit, note))
    log(f"{section:8} {measure:55} {value:>12} {unit} {note}")


def write_markdown(path, title):
    """Append this run's table to a markdown file (tools/bench.sh assembles
    docs/benchmarks.md from them)."""
    lines = [
        f"## {title}",
        "",
        "| Section | Measure | Value | Unit | Notes |",
        "|---|---|---:|---|---|",
    ]
    for section, measure_name, value, unit, note in results:
        lines.append(f"| {section} | {measure_name} | {value} | {unit} | {note} |")
    with open(path, "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n\n")


# ---------------------------------------------------------------------------
# Databases
# ---------------------------------------------------------------------------


def dropdb(name):
    import odoo.sql_db

    with contextlib.suppress(Exception):
        odoo.sql_db.close_db(name)
    subprocess.run(["dropdb", "--if-exists", name], check=False)


def createdb(name, modules):
    dropdb(name)
    log(f"creating {name} with {modules}")
    subprocess.run(
        [
            str(ODOO_BIN),
            "-c",
            str(CONF),
            "-d",
            name,
            "-i",
            modules,
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


_odoo_ready = False


def odoo_env(dbname):
    """An environment on dbname (superuser), as a context manager."""
    global _odoo_ready
    import odoo
    from odoo import api
    from odoo.modules.registry import Registry

    if not _odoo_ready:
        odoo.tools.config.parse_config(["-c", str(CONF), "--log-level=warn"])
        logging.getLogger("odoo").setLevel(logging.WARNING)
        _odoo_ready = True

    @contextlib.contextmanager
    def manager():
        registry = Registry(dbname)
        with registry.cursor() as cr:
            yield api.Environment(cr, api.SUPERUSER_ID, {"lang": "en_US"})

    return manager()


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------


def clock():
    """Wall clock that freezegun (used to run jobs "tomorrow") does not stop."""
    try:
        from freezegun.api import real_perf_counter
    except ImportError:  # pragma: no cover
        return time.perf_counter()
    return real_perf_counter()


@contextlib.contextmanager
def measure(cr):
    """Yields a dict filled with elapsed seconds and query count."""
    out = {}
    start_count = cr.sql_log_count
    start = clock()
    yield out
    out["seconds"] = clock() - start
    out["queries"] = cr.sql_log_count - start_count


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def create_customers(env, label, count):
    """``count`` customer companies named ``<label> 0``, ``<label> 1``...,
    through the ORM."""
    return env["res.partner"].create(
        [{"name": f"{label} {i}", "is_company": True} for i in range(count)]
    )


def insert_customers(env, count, country_ids=()):
    """``count`` customer companies named ``Bench customer <n>``, with bulk SQL
    (the ORM takes minutes for 100,000); the n-th one gets the n-th of
    ``country_ids`` in turn (``None`` for no country; no country at all when
    empty). Returns the largest partner id before them: the new customers are
    those above it."""
    from odoo.tools import SQL

    cr = env.cr
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
    (first_id,) = cr.fetchone()
    countries = list(country_ids) or [None]
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, active, is_company, type,
                                     autopost_bills, lang, customer_rank,
                                     country_id, create_date, write_date)
            SELECT 'Bench customer ' || g, 'Bench customer ' || g, TRUE, TRUE,
                   'contact', 'ask', 'en_US', 1,
                   (%s::int[])[1 + g %% %s], now(), now()
              FROM generate_series(1, %s) g
            """,
            countries,
            len(countries),
            count,
        )
    )
    # the stored fields the ORM would have computed at creation
    cr.execute(
        SQL(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id > %s",
            first_id,
        )
    )
    return first_id


def insert_invoices(env, rows):
    """Posted and paid customer invoices of the current company, due 30 days
    after their date, with bulk SQL: one per row of ``rows``, an SQL query
    whose columns are the name, the partner (a commercial partner), the invoice
    date, the untaxed and the total amount."""
    from odoo.tools import SQL

    company = env.company
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO account_move (name, partner_id, commercial_partner_id,
                                      company_id, journal_id, currency_id, date,
                                      invoice_date, invoice_date_due, move_type,
                                      state, auto_post, payment_state,
                                      amount_untaxed, amount_total,
                                      amount_untaxed_signed, amount_total_signed,
                                      amount_residual_signed, create_date,
                                      write_date)
            SELECT r.name, r.partner_id, r.partner_id, %(company)s, %(journal)s,
                   %(currency)s, r.invoice_date, r.invoice_date,
                   r.invoice_date + 30, 'out_invoice', 'posted', 'no', 'paid',
                   r.untaxed, r.total, r.untaxed, r.total, 0, now(), now()
              FROM (%(rows)s) AS r(name, partner_id, invoice_date, untaxed, total)
            """,
            company=company.id,
            journal=journal.id,
            currency=company.currency_id.id,
            rows=rows,
        )
    )


def bulk_done(env):
    """After bulk SQL: statistics for the planner, caches emptied, committed."""
    env.cr.execute("ANALYZE")
    env.invalidate_all()
    env.cr.commit()


# ---------------------------------------------------------------------------
# A server in a subprocess
# ---------------------------------------------------------------------------


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(dbname, *args, log_path=None, environ=None):
    """An Odoo server on ``dbname`` (more options in ``args``: ``--workers``,
    ``--max-cron-threads``...; more environment variables in ``environ``) on a
    free loopback port, once it answers; yields its URL and stops it (SIGINT)
    afterwards."""
    import signal

    import requests

    port = free_port()
    log_path = log_path or f"/tmp/{dbname}_{port}.log"
    with open(log_path, "w") as out:
        proc = subprocess.Popen(
            [
                str(ODOO_BIN),
                "-c",
                str(CONF),
                "-d",
                dbname,
                f"--db-filter=^{dbname}$",
                f"--http-port={port}",
                f"--gevent-port={free_port()}",
                "--http-interface=127.0.0.1",
                "--log-level=warn",
                *args,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(environ or {})},
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _attempt in range(240):
                if proc.poll() is not None:
                    raise RuntimeError(f"the server stopped (log in {log_path})")
                try:
                    requests.get(f"{url}/web/login", timeout=120)
                    break
                except (requests.ConnectionError, requests.Timeout):
                    time.sleep(0.5)
            else:
                raise RuntimeError(f"the server did not start (log in {log_path})")
            yield url
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
