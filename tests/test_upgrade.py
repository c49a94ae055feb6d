# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Upgrades, on a throwaway database full of data (slow: real installs).

1. crm_lifecycle and crm_complaints are installed at 19.0.1.0.0 (the code of the
   commit before the version bump, taken from git), a customer gets a confirmed
   order, a validated delivery, a posted invoice, interactions and complaints;
   then ``-u`` with the current code runs the migrations since and every
   record is still there.
2. Both addons are uninstalled: sales, inventory and accounting keep working
   (an order is confirmed and delivered, an invoice posted); then reinstalled.
"""

import ast
import tempfile
from pathlib import Path

from .odoo_subprocess import (
    ROOT,
    UNINSTALL_NOISE,
    addons_before_bump,
    odoo,
    shell,
    shell_result,
    throwaway_db,
)

ADDONS = ("crm_lifecycle", "crm_complaints")
COUNTED = (
    "res.partner",
    "sale.order",
    "account.move",
    "stock.picking",
    "crm.interaction",
    "crm.lifecycle.history",
    "crm.complaint",
    "mail.message",
)

DATA = """
from odoo import Command
customer = env["res.partner"].create({"name": "Upgrade Customer", "is_company": True,
                                      "email": "up@example.com"})
product = env["product.product"].create({"name": "Upgrade chair", "type": "consu",
                                         "list_price": 50.0})
order = env["sale.order"].create({"partner_id": customer.id, "order_line": [
    Command.create({"product_id": product.id, "product_uom_qty": 2})]})
order.action_confirm()
picking = order.picking_ids
picking.move_ids.quantity = 2
picking.move_ids.picked = True
picking.button_validate()
invoice = order._create_invoices()
invoice.action_post()
env["crm.interaction"].create({"name": "Call", "partner_id": customer.id})
for i in range(3):
    env["crm.complaint"].create({"subject": f"Complaint {i}", "partner_id": customer.id,
                                 "picking_id": picking.id})
env.cr.execute("UPDATE crm_complaint SET access_token = NULL")
env.cr.commit()
"""

COUNT = """
counts = {m: env[m].with_context(active_test=False).search_count([]) for m in %r
          if m in env}
versions = dict(env["ir.module.module"].search([("name", "in", %r)]).mapped(
    lambda m: (m.name, [m.state, m.latest_version])))
extra = {}
if "crm.complaint" in env:
    extra["no_token"] = env["crm.complaint"].search_count(
        [("access_token", "=", False)])
    extra["default_team"] = bool(env.ref("crm_complaints.team_customer_service",
                                         raise_if_not_found=False))
    customer = env["res.partner"].search([("name", "=", "Upgrade Customer")])
    if "complaint_recent_count" in customer._fields:
        extra["recent_complaints"] = customer.complaint_recent_count
if "crm.lifecycle.event" in env and "fact_groups" in env["crm.lifecycle.event"]._fields:
    events = env["ir.model.data"].search([("model", "=", "crm.lifecycle.event"),
                                          ("module", "in", %r)])
    extra["events_without_groups"] = env["crm.lifecycle.event"].browse(
        events.mapped("res_id")).filtered(lambda e: not e.fact_groups).mapped("code")
if "crm.interaction" in env and "department" in env["crm.interaction"]._fields:
    env.cr.execute("SELECT DISTINCT interaction_type, COALESCE(department, '') "
                   "FROM crm_interaction")
    extra["departments"] = dict(env.cr.fetchall())
result({"counts": counts, "versions": versions, "extra": extra})
"""

UNINSTALL = """
env["ir.module.module"].search([("name", "in", %r)]).button_immediate_uninstall()
"""

CORE_STILL_WORKS = """
from odoo import Command
customer = env["res.partner"].create({"name": "After uninstall"})
product = env["product.product"].search([("name", "=", "Upgrade chair")])
order = env["sale.order"].create({"partner_id": customer.id, "order_line": [
    Command.create({"product_id": product.id, "product_uom_qty": 1})]})
order.action_confirm()
picking = order.picking_ids
picking.move_ids.quantity = 1
picking.move_ids.picked = True
picking.button_validate()
invoice = order._create_invoices()
invoice.action_post()
assert picking.state == "done", picking.state
assert invoice.state == "posted", invoice.state
env.cr.commit()
"""


def _state(db, addons_path=None):
    return shell_result(db, COUNT % (COUNTED, ADDONS, ADDONS), addons_path=addons_path)


def _current_version(addon):
    manifest = (ROOT / addon / "__manifest__.py").read_text()
    return ast.literal_eval(manifest[manifest.index("{") :])["version"]


def _previous_version(tmp):
    """The addons as they were at 19.0.1.0.0: the parent of the bump commit."""
    return addons_before_bump(
        tmp, "19.0.1.1.0", "crm_complaints/__manifest__.py", ADDONS
    )


def test_upgrade_uninstall_reinstall():
    with throwaway_db("upgrade") as db:
        with tempfile.TemporaryDirectory() as tmp:
            old = _previous_version(tmp)
            manifest = (Path(old) / "crm_complaints/__manifest__.py").read_text()
            assert '"19.0.1.0.0"' in manifest
            odoo(db, "-i", ",".join(ADDONS), addons_path=old)
            shell(db, DATA, addons_path=old)
            before = _state(db, addons_path=old)
        assert before["versions"]["crm_complaints"] == ["installed", "19.0.1.0.0"]
        assert before["counts"]["crm.complaint"] == 3
        assert before["extra"]["no_token"] == 3

        odoo(db, "-u", ",".join(ADDONS))
        after = _state(db)
        for addon in ADDONS:
            assert after["versions"][addon] == ["installed", _current_version(addon)]
        for model, count in before["counts"].items():
            if model != "mail.message":
                assert after["counts"][model] == count, (model, count, after)
        assert after["extra"]["no_token"] == 0, "the migration gave every token"
        # the shipped events (noupdate data) got their fact groups, the
        # complaint team shipped since exists, and the new complaint fact is filled
        assert after["extra"]["events_without_groups"] == [], after["extra"]
        assert after["extra"]["default_team"], after["extra"]
        assert after["extra"]["recent_complaints"] == 3, after["extra"]
        # 19.0.1.7.0 gave every interaction its department, in one UPDATE
        departments = after["extra"]["departments"]
        assert departments["order"] == "sales", departments
        assert departments["delivery"] == "warehouse", departments
        assert departments["invoice"] == "accounting", departments
        assert departments["complaint"] == "service", departments
        assert departments["call"] == "sales", departments

        shell(db, UNINSTALL % (list(ADDONS),), noise=UNINSTALL_NOISE)
        gone = _state(db)
        assert all(state[0] == "uninstalled" for state in gone["versions"].values())
        shell(db, CORE_STILL_WORKS)

        odoo(db, "-i", ",".join(ADDONS))
        again = _state(db)
        assert again["versions"]["crm_complaints"][0] == "installed"
        assert again["counts"]["crm.interaction"] > 0, "timeline backfilled"
