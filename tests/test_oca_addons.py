# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The OCA addons of the optional bridges are installed the way OCA addons are:
their ``odoo-addon-*`` wheels, pinned in requirements.txt (and at the same
versions in the Docker image), in the environment Odoo runs in, beside Odoo's
own addons but never written into Odoo's tree."""

import importlib.metadata
import importlib.util
import re
from pathlib import Path

from .odoo_subprocess import ROOT

PIN = re.compile(r"(odoo-addon-[A-Za-z0-9_.-]+)==([^\s#\\]+)")


def _pins(text):
    return dict(PIN.findall(text))


def test_docker_image_has_the_pinned_versions():
    pins = _pins((ROOT / "requirements.txt").read_text())
    assert set(pins) == {
        "odoo-addon-account_credit_control",
        "odoo-addon-rma",
    }
    assert _pins((ROOT / "tools" / "docker" / "Dockerfile").read_text()) == pins


def test_pinned_wheels_installed_beside_odoo():
    odoo_release = Path(importlib.util.find_spec("odoo.release").origin).parent
    for dist, version in _pins((ROOT / "requirements.txt").read_text()).items():
        assert importlib.metadata.version(dist) == version
        addon = dist.removeprefix("odoo-addon-")
        spec = importlib.util.find_spec(f"odoo.addons.{addon}")
        assert spec, f"{addon} is not importable as odoo.addons.{addon}"
        path = Path(next(iter(spec.submodule_search_locations)))
        assert (path / "__manifest__.py").is_file()
        # the wheel's files are its own, not added to Odoo's package
        assert odoo_release not in path.parents, path
