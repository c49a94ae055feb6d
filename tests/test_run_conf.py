# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No master password ships with the repository: odoo.conf keeps the database
manager closed, and `make run` serves with a copy holding a random master
password of the machine's own (tools/run_conf.py)."""

import configparser
import importlib.util
import stat

from .odoo_subprocess import ROOT


def _run_conf():
    spec = importlib.util.spec_from_file_location(
        "run_conf", ROOT / "tools" / "run_conf.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _options(path):
    config = configparser.RawConfigParser()
    config.read(path)
    return dict(config.items("options"))


def test_repository_ships_no_master_password():
    options = _options(ROOT / "odoo.conf")
    assert "admin_passwd" not in options
    assert options["list_db"] == "False"


def test_first_run_makes_a_private_random_password(tmp_path):
    run_conf = _run_conf()
    first, second = tmp_path / "a" / "run.conf", tmp_path / "b" / "run.conf"
    password = run_conf.write_run_conf(first)
    other = run_conf.write_run_conf(second)
    assert password and other and password != other
    assert len(password) >= 20 and password != "admin"
    options = _options(first)
    assert options["admin_passwd"] == password
    assert options["list_db"] == "True"
    # every other option is odoo.conf's
    shipped = _options(ROOT / "odoo.conf")
    assert {k: v for k, v in options.items() if k in shipped and k != "list_db"} == {
        k: v for k, v in shipped.items() if k != "list_db"
    }
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    # later runs keep it (and print nothing)
    assert run_conf.write_run_conf(first) is None
    assert _options(first)["admin_passwd"] == password
