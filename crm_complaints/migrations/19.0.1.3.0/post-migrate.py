# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.3.0: the acknowledgement states its deadline in the customer's time
zone, with the zone's name (the template is ``noupdate`` data, which the
upgrade does not rewrite); a template an administrator rewrote is kept. A demo
database keeps its demo data on upgrade: the demo billing complaint is pointed
at its customer's invoice of its own company (it had the other demo company's,
which raised an access error on "Credit Note")."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref(
        "crm_complaints.mail_template_complaint_acknowledgement",
        raise_if_not_found=False,
    )
    if template and "tz=object.partner_id.tz" in (template.body_html or ""):
        template.reset_template()
        _logger.info("crm_complaints %s: acknowledgement template reset", version)
    complaint = env.ref(
        "crm_complaints.crm_complaint_invoice_demo", raise_if_not_found=False
    )
    if (
        complaint
        and complaint.invoice_id
        and complaint.invoice_id.company_id != complaint.company_id
    ):
        invoice = env["account.move"].search(
            [
                ("partner_id", "=", complaint.partner_id.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("company_id", "=", complaint.company_id.id),
            ],
            limit=1,
        )
        complaint.invoice_id = invoice
        _logger.info("crm_complaints %s: demo complaint's invoice fixed", version)
