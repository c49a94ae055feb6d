# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo in subprocesses, on throwaway databases, for the tests that install,
upgrade and uninstall modules (forbidden inside a test transaction).

- ``throwaway_db("name")`` gives a database name ``inst_name_<pid>`` and drops
  it, with its filestore, before and after (even when the test fails);
  ``throwaway_dbs("a", "b")`` several;
- ``copy_db`` copies a database and its filestore (``createdb --template``:
  seconds, where installing the same modules takes a minute);
- ``odoo(db, "-i", "x")`` runs the server with ``--stop-after-init``;
  ``shell(db, script)`` runs a script in ``odoo shell`` (``env`` is the
  superuser environment; nothing is committed unless the script commits) and
  ``shell_result`` returns what the script passed to ``result(...)``.

Each run fails the test when Odoo exits with an error or logs an ERROR or
CRITICAL line, except the known noise (``noise``: a regular expression).
"""

import json
import os
import re
import shutil
import subprocess
import tarfile
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from odoo.tools import config

ROOT = Path(__file__).resolve().parents[1]
# The server of .venv/ (tools/setup.sh), or CRM_ODOO_BIN: the Docker image's odoo
# (tools/docker/test.sh), where the .venv/ of the mounted repository cannot run.
ODOO_BIN = os.environ.get("CRM_ODOO_BIN") or str(ROOT / ".venv/bin/odoo")
ODOO_CONF = str(ROOT / "odoo.conf")
# CRM_THROWAWAY_DB_PREFIX: keeps the throwaway databases of parallel runs apart
DB_PREFIX = os.environ.get("CRM_THROWAWAY_DB_PREFIX", "inst_")
TIMEOUT = 1800

# The Debian build of Odoo 19 lacks this asset (see the Odoo notes): logged as an
# ERROR whenever the assets are bundled.
ALWAYS_IGNORED = re.compile(r"selfie_segmentation")

# Uninstalling deletes the addon's data records (stages) before dropping the
# tables: PostgreSQL refuses while documents still reference them, core logs the
# refused query and drops the tables anyway.
UNINSTALL_NOISE = re.compile(
    r"odoo\.sql_db: bad query: b'DELETE FROM \"crm_|"
    r"violates foreign key constraint|is still referenced"
)

RESULT_MARK = "RESULT:"
SCRIPT_PROLOGUE = f"""
import json as _json


def result(value):
    print({RESULT_MARK!r} + _json.dumps(value, default=str), flush=True)

"""


def _run(cmd, *, stdin=None, noise=None):
    proc = subprocess.run(
        cmd,
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )
    errors = [
        line
        for line in proc.stderr.splitlines()
        if (" ERROR " in line or " CRITICAL " in line)
        and not ALWAYS_IGNORED.search(line)
        and not (noise and noise.search(line))
    ]
    assert proc.returncode == 0, (
        f"{' '.join(cmd[:4])}... exited with {proc.returncode}",
        proc.stdout[-2000:],
        proc.stderr[-4000:],
    )
    assert not errors, "Odoo logged errors:\n" + "\n".join(errors[:20])
    return proc.stdout


def _base_cmd(db, addons_path):
    cmd = ["-c", ODOO_CONF, "-d", db, "--log-level=warn"]
    if addons_path:
        cmd.append(f"--addons-path={addons_path}")
    return cmd


def odoo(db, *args, addons_path=None, noise=None):
    """Run the server on ``db`` with ``args`` (``-i``, ``-u``...) and stop."""
    cmd = [ODOO_BIN, *_base_cmd(db, addons_path), *args, "--stop-after-init"]
    return _run(cmd, noise=noise)


def shell(db, script, *, addons_path=None, noise=None, args=()):
    """Run ``script`` in ``odoo shell`` on ``db`` (more server options in
    ``args``); returns its standard output. The script may call
    ``result(value)`` to hand a JSON value back."""
    cmd = [ODOO_BIN, "shell", *_base_cmd(db, addons_path), "--no-http", *args]
    return _run(cmd, stdin=SCRIPT_PROLOGUE + script, noise=noise)


def shell_result(db, script, **kwargs):
    """Run ``script`` like ``shell``; returns the value of its last
    ``result(...)`` call."""
    out = shell(db, script, **kwargs)
    lines = [line for line in out.splitlines() if line.startswith(RESULT_MARK)]
    assert lines, f"the script gave no result:\n{out[-2000:]}"
    return json.loads(lines[-1][len(RESULT_MARK) :])


def _check_name(db):
    assert db.startswith(DB_PREFIX), f"throwaway databases start with {DB_PREFIX}"


def drop_db(*dbs, check=True):
    """Drop the databases and their filestores, if they exist (all at once:
    each drop waits for a checkpoint)."""
    for db in dbs:
        _check_name(db)
    procs = [subprocess.Popen(["dropdb", "--if-exists", "--force", db]) for db in dbs]
    codes = [proc.wait() for proc in procs]
    for db in dbs:
        shutil.rmtree(config.filestore(db), ignore_errors=True)
    assert not check or not any(codes), f"cannot drop {dbs}"


def copy_db(source, target):
    """A copy of ``source`` (no connection may be open on it) and its filestore."""
    _check_name(target)
    drop_db(target)
    subprocess.run(["createdb", "--template", source, target], check=True)
    filestore = config.filestore(source)
    if os.path.isdir(filestore):
        shutil.copytree(filestore, config.filestore(target))


@contextmanager
def throwaway_dbs(*names):
    """Database names ``inst_<name>_<pid>``, dropped before and after."""
    dbs = [f"{DB_PREFIX}{name}_{os.getpid()}" for name in names]
    drop_db(*dbs)
    try:
        yield dbs
    finally:
        drop_db(*dbs, check=False)


@contextmanager
def throwaway_db(name):
    """A database name ``inst_<name>_<pid>``, dropped before and after."""
    with throwaway_dbs(name) as (db,):
        yield db


def addons_before_bump(tmp, version, manifest, addons):
    """Extract into ``tmp`` the ``addons`` as they were just before the commit
    that wrote ``"version": "<version>"`` into ``manifest`` (the oldest commit
    touching that line); return ``tmp``, to use as an addons path."""
    bump = subprocess.run(
        ["git", "log", "--format=%H", "-G", f'"version": "{version}"', "--", manifest],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    archive = subprocess.run(
        ["git", "archive", f"{bump}^", *addons],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tmp, filter="data")
    return tmp
