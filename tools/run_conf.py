"""The configuration `make run` serves with: odoo.conf plus a master password.

    .venv/bin/python tools/run_conf.py [TARGET]

odoo.conf ships no master password and keeps the database manager closed. On
the first run this writes TARGET (default .data/run.conf, outside git, readable
by its owner only): the same options, the database manager open on this
machine, and a random master password, printed once. Later runs reuse it.
"""

import configparser
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_run_conf(target, source=ROOT / "odoo.conf"):
    """Write ``target`` unless it exists; return the new password, or None."""
    target = Path(target)
    if target.exists():
        return None
    config = configparser.RawConfigParser()
    config.read(source)
    password = secrets.token_urlsafe(18)
    config.set("options", "admin_passwd", password)
    config.set("options", "list_db", "True")
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write("; written by tools/run_conf.py for `make run`: keep it private\n")
        config.write(out)
    return password


def main():
    target = sys.argv[1] if len(sys.argv) > 1 else ROOT / ".data" / "run.conf"
    password = write_run_conf(target)
    if password:
        sys.stdout.write(
            f"Master password of the database manager (shown once, kept in {target}): "
            f"{password}\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
