"""A throwaway PostgreSQL primary and its streaming replica (hot standby) on
this machine, for the read-replica test and benchmark (see docs/deployment.md).

    with primary_and_replica() as clusters:
        clusters.odoo_args   # --db_host/--db_port/--db_replica_host/--db_replica_port
        clusters.statements("primary")  # statements logged so far, per cluster

The machine's own PostgreSQL server is never touched: a new primary cluster is
made with ``initdb`` in a temporary directory (its own port, its socket in that
directory, trust authentication for the local socket only, replication
allowed), the replica is a ``pg_basebackup -R`` of it started as a hot standby
on another port, and both are stopped and deleted afterwards. Both log every
statement (``log_statement = all``) with the connection's application name
(Odoo's is ``odoo-<pid>``): which cluster served what is read from their logs.

The binaries are those of the newest /usr/lib/postgresql/<version>/bin (or
``PG_BIN``). initdb refuses to run as root: as root the clusters run as the
``postgres`` system user. The database role is the current user (a superuser
of the new clusters), so Odoo connects as it does to the machine's server.
"""

import contextlib
import getpass
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SETTINGS = """
listen_addresses = ''
port = {port}
unix_socket_directories = '{socket_dir}'
max_connections = 100
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
full_page_writes = off
shared_buffers = 64MB
log_statement = 'all'
log_line_prefix = '%m [%p] %a %d '
"""


def pg_bin():
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]),
    )
    if not versions:
        raise RuntimeError("no PostgreSQL server binaries (initdb) on this machine")
    return Path(versions[-1]).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Clusters:
    def __init__(self, root):
        self.root = Path(root)
        self.bin = pg_bin()
        self.socket_dir = str(self.root)
        self.user = getpass.getuser()
        self.as_root = os.geteuid() == 0
        self.ports = {"primary": free_port(), "replica": free_port()}

    def _run(self, *cmd):
        if self.as_root:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        subprocess.run(cmd, check=True, capture_output=True, text=True)

    def data(self, name):
        return str(self.root / name)

    def log(self, name):
        return self.root / f"{name}.log"

    def _pg_ctl(self, name, action):
        self._run(
            str(self.bin / "pg_ctl"),
            action,
            "-D",
            self.data(name),
            "-l",
            str(self.log(name)),
            "-w",
            "-m",
            "fast",
        )

    def start(self):
        if self.as_root:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.root, postgres.pw_uid, postgres.pw_gid)
        self._run(
            str(self.bin / "initdb"),
            "-D",
            self.data("primary"),
            "-U",
            self.user,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        with open(Path(self.data("primary")) / "postgresql.conf", "a") as conf:
            conf.write(
                SETTINGS.format(port=self.ports["primary"], socket_dir=self.socket_dir)
            )
        self._pg_ctl("primary", "start")
        self._run(
            str(self.bin / "pg_basebackup"),
            "-h",
            self.socket_dir,
            "-p",
            str(self.ports["primary"]),
            "-U",
            self.user,
            "-D",
            self.data("replica"),
            "-R",
            "-X",
            "stream",
        )
        with open(Path(self.data("replica")) / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.ports['replica']}\n")
        self._pg_ctl("replica", "start")
        self.wait_streaming()

    def stop(self):
        for name in ("replica", "primary"):
            if (Path(self.data(name)) / "postmaster.pid").exists():
                with contextlib.suppress(subprocess.CalledProcessError):
                    self._pg_ctl(name, "stop")

    def psql(self, name, sql, db="postgres"):
        """The output of ``sql`` on a cluster (psql -At)."""
        return subprocess.run(
            [
                str(self.bin / "psql"),
                "-h",
                self.socket_dir,
                "-p",
                str(self.ports[name]),
                "-d",
                db,
                "-Atc",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def wait_streaming(self, timeout=60):
        deadline = time.monotonic() + timeout
        streaming = "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
        while self.psql("primary", streaming) != "1":
            if time.monotonic() > deadline:
                raise RuntimeError("the replica does not stream")
            time.sleep(0.2)

    def wait_replayed(self, timeout=60):
        """Wait until the replica replayed everything the primary wrote."""
        lsn = self.psql("primary", "SELECT pg_current_wal_insert_lsn()")
        deadline = time.monotonic() + timeout
        while (
            self.psql("replica", f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")
            != "t"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("the replica lags")
            time.sleep(0.1)

    @property
    def odoo_args(self):
        return [
            f"--db_host={self.socket_dir}",
            f"--db_port={self.ports['primary']}",
            f"--db_user={self.user}",
            f"--db_replica_host={self.socket_dir}",
            f"--db_replica_port={self.ports['replica']}",
        ]

    @property
    def odoo_primary_args(self):
        """Odoo on the primary only (installing, preparing data)."""
        return self.odoo_args[:3]

    def mark(self):
        """The current end of both logs (see ``statements``)."""
        return {name: self.log(name).stat().st_size for name in self.ports}

    def statements(self, name, since=None, app_prefix="odoo-"):
        """The statements the cluster ran for connections whose application
        name starts with ``app_prefix``, since ``mark()``."""
        with open(self.log(name), encoding="utf-8", errors="replace") as log:
            if since:
                log.seek(since[name])
            return [
                line.split(" statement: ", 1)[1]
                for line in log
                if " statement: " in line and f"] {app_prefix}" in line
            ]


@contextlib.contextmanager
def primary_and_replica():
    root = tempfile.mkdtemp(prefix="crm-replica-")
    clusters = Clusters(root)
    try:
        clusters.start()
        yield clusters
    finally:
        clusters.stop()
        shutil.rmtree(root, ignore_errors=True)
