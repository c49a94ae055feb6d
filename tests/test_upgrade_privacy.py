# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Data protection moved from crm_lifecycle to crm_privacy (crm_lifecycle
19.0.1.6.0): a database that upgrades crm_lifecycle keeps it (slow: real
installs in subprocesses).

crm_lifecycle is installed as it was before the move (the code of the commit
before the version bump, taken from git); the custodian exports a customer's
data, the customer withdraws its consent in the portal, a retention period is
set and its list made; then ``-u crm_lifecycle`` with the current code installs
crm_privacy in the same run, every line of the old register is a line of
Odoo's privacy log, and the consent, the custodian, the retention settings and
lists are still there."""

import tempfile

from .odoo_subprocess import (
    addons_before_bump,
    odoo,
    shell,
    shell_result,
    throwaway_db,
)

OLD_DATA = """
admin = env.ref("base.user_admin")
company = env.company
company.write({"lifecycle_data_custodian_id": admin.id,
               "lifecycle_retention_prospect_months": 24})
customer = env["res.partner"].create({"name": "Legacy Customer", "is_company": True,
                                      "email": "legacy@example.com"})
person = env["res.partner"].create({"name": "Legacy Person", "parent_id": customer.id,
                                    "email": "legacy.person@example.com"})
customer.with_user(admin).action_lifecycle_export_personal_data()
person._lifecycle_portal_set_consent(True)
env["data_recycle.model"]._lifecycle_retention_model(company)
env.cr.commit()
result({"customer": customer.id, "person": person.id,
        "rows": env["crm.data.protection.log"].search_count([])})
"""

AFTER = """
from odoo.tools import sql
customer = env["res.partner"].browse(%(customer)d)
person = env["res.partner"].browse(%(person)d)
lines = env["privacy.log"].search([("crm_partner_ref", "in", [customer.id, person.id])],
                                  order="id")
company = env.company
modules = env["ir.module.module"].search(
    [("name", "in", ["crm_lifecycle", "crm_privacy"])])
modules = {module.name: module.state for module in modules}
retention_lists = env["data_recycle.model"].search(
    [("lifecycle_company_id", "=", company.id)])
result({
    "modules": modules,
    "lines": [[line.crm_action, line.crm_partner_ref, line.crm_partner_id.id,
               bool(line.crm_attachment_id), line.user_id.login,
               line.crm_company_id.id == company.id, line.execution_details]
              for line in lines],
    "legacy_tables": [t for t in ("crm_data_protection_log", "crm_privacy_legacy_log")
                      if sql.table_exists(env.cr, t)],
    "consent": person.lifecycle_marketing_consent,
    "consent_date": bool(person.lifecycle_consent_date),
    "custodian": company.lifecycle_data_custodian_id.login,
    "prospect_months": company.lifecycle_retention_prospect_months,
    "retention_lists": [
        xmlid for xmlids in retention_lists._get_external_ids().values()
        for xmlid in xmlids],
    "crons": env["ir.cron"].with_context(active_test=False).search_count(
        [("code", "=", "model._cron_lifecycle_retention()")]),
    "cron_xmlid": bool(env.ref("crm_privacy.ir_cron_lifecycle_retention",
                               raise_if_not_found=False)),
    "register_model": "crm.data.protection.log" in env,
})
"""


def _before_the_move(tmp):
    """crm_lifecycle as it was before data protection left it."""
    return addons_before_bump(
        tmp, "19.0.1.6.0", "crm_lifecycle/__manifest__.py", ["crm_lifecycle"]
    )


def test_upgrade_moves_data_protection_to_crm_privacy():
    with throwaway_db("privacy_upgrade") as db:
        with tempfile.TemporaryDirectory() as tmp:
            old = _before_the_move(tmp)
            odoo(db, "-i", "crm_lifecycle", addons_path=old)
            before = shell_result(db, OLD_DATA, addons_path=old)
        assert before["rows"] == 2, before  # the export and the consent

        odoo(db, "-u", "crm_lifecycle")
        after = shell_result(db, AFTER % before)
        assert after["modules"] == {
            "crm_lifecycle": "installed",
            "crm_privacy": "installed",
        }, after
        assert after["legacy_tables"] == [], after
        assert not after["register_model"], after
        export, consent = after["lines"]
        assert export[:6] == [
            "export",
            before["customer"],
            before["customer"],
            True,
            "admin",
            True,
        ], export
        assert "interactions" in export[6], export
        assert consent[:3] == ["consent", before["person"], before["person"]]
        assert "Marketing consent" in consent[6], consent
        assert after["consent"] == "granted", after
        assert after["consent_date"], after
        assert after["custodian"] == "admin", after
        assert after["prospect_months"] == 24, after
        assert after["retention_lists"], after
        assert all(
            xmlid.startswith("crm_privacy.data_recycle_model_retention_company_")
            for xmlid in after["retention_lists"]
        ), after
        assert after["crons"] == 1 and after["cron_xmlid"], after
        # the features themselves: an export after the upgrade lands in the log
        shell(
            db,
            f"""
customer = env["res.partner"].browse({before["customer"]})
customer.with_user(env.ref("base.user_admin")).action_lifecycle_export_personal_data()
assert env["privacy.log"].search_count(
    [("crm_partner_ref", "=", customer.id), ("crm_action", "=", "export")]) == 2
env.cr.commit()
""",
        )
