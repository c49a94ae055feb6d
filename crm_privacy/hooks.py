# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)

# where crm_lifecycle's migration to 19.0.1.6.0 keeps the rows of the register
# it had (crm.data.protection.log) until this addon takes them over
LEGACY_TABLE = "crm_privacy_legacy_log"


def post_init_hook(env):
    """Take over the data protection register crm_lifecycle kept before it
    moved here: each entry becomes a line of Odoo's privacy log, with its date,
    author, customer id, request, company, details and export file."""
    cr = env.cr
    if not sql.table_exists(cr, LEGACY_TABLE):
        return
    cr.execute(
        SQL(
            """
            INSERT INTO privacy_log (
                date, anonymized_name, anonymized_email, user_id,
                execution_details, crm_partner_id, crm_partner_ref, crm_action,
                crm_company_id, crm_attachment_id,
                create_uid, create_date, write_uid, write_date)
            SELECT l.date, '#' || l.partner_ref, '', l.user_id,
                   l.details, p.id, l.partner_ref, l.action,
                   l.company_id, a.id,
                   l.create_uid, l.create_date, l.write_uid, l.write_date
              FROM %s l
              LEFT JOIN res_partner p ON p.id = l.partner_id
              LEFT JOIN ir_attachment a ON a.id = l.attachment_id
             ORDER BY l.id
            """,
            SQL.identifier(LEGACY_TABLE),
        )
    )
    _logger.info(
        "crm_privacy: %s entries of the former data protection register moved "
        "to the privacy log",
        cr.rowcount,
    )
    cr.execute(SQL("DROP TABLE %s", SQL.identifier(LEGACY_TABLE)))
