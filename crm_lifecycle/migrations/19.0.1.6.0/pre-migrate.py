# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.6.0: data protection (consent, export, erasure, retention and the
register) moved to the addon crm_privacy, on Odoo's privacy lookup.

A database that had it keeps it: crm_privacy is marked for installation, and
Odoo's loader installs it in this same upgrade (the modules marked while
loading are loaded in a next pass, before the records of this addon's former
data are cleaned up). The rows of the register (crm.data.protection.log) wait
in a table of their own until crm_privacy's install turns them into lines of
``privacy.log``; the fields on customers and companies keep their columns and
values (crm_privacy declares them again under the same names), the
companies' retention lists, the retention job and the rules of the erasure
proposals become crm_privacy's, and the views that moved are removed here
(crm_privacy makes its own). A database from before data protection existed
(no register table) is left as it is."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)

LEGACY_TABLE = "crm_privacy_legacy_log"


# views of this addon that moved to crm_privacy: left in place they would
# name fields this addon no longer has while it is updated (crm_privacy makes
# its own)
MOVED_VIEWS = (
    "view_company_form",
    "crm_data_protection_log_view_list",
    "data_recycle_record_view_list_retention",
    "portal_my_home_consent",
    "portal_breadcrumbs_consent",
    "portal_my_consent",
)


def migrate(cr, version):
    if not version:
        return
    if not sql.table_exists(cr, "crm_data_protection_log"):
        return  # a version before data protection: nothing to keep
    env = api.Environment(cr, SUPERUSER_ID, {})
    moved_views = env["ir.model.data"].search(
        [
            ("module", "=", "crm_lifecycle"),
            ("model", "=", "ir.ui.view"),
            ("name", "in", MOVED_VIEWS),
        ]
    )
    env["ir.ui.view"].browse(moved_views.mapped("res_id")).exists().unlink()
    if not sql.table_exists(cr, LEGACY_TABLE):
        cr.execute(
            SQL(
                "ALTER TABLE crm_data_protection_log RENAME TO %s",
                SQL.identifier(LEGACY_TABLE),
            )
        )
    # the records kept across updates (noupdate) that crm_privacy now owns:
    # the retention lists created per company, the retention job and the
    # record rules of the erasure proposals
    cr.execute(
        """
        UPDATE ir_model_data
           SET module = 'crm_privacy'
         WHERE module = 'crm_lifecycle'
           AND (name LIKE 'data_recycle_model_retention_company_%%'
                OR name IN %s)
        """,
        [
            (
                "ir_cron_lifecycle_retention",
                "data_recycle_record_rule_custodian",
                "data_recycle_record_rule_system",
                "data_recycle_model_rule_custodian",
                "data_recycle_model_rule_system",
            )
        ],
    )
    Module = env["ir.module.module"]
    module = Module.search([("name", "=", "crm_privacy")])
    if not module:
        Module.update_list()
        module = Module.search([("name", "=", "crm_privacy")])
    if module.state == "uninstalled":
        module.button_install()
        _logger.info("crm_lifecycle %s: crm_privacy marked for installation", version)
