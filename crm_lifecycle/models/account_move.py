# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "crm.lifecycle.document.mixin"]

    _lifecycle_interactions = {
        "invoice": {
            "domain": [
                ("state", "=", "posted"),
                ("move_type", "=", "out_invoice"),
            ],
            "date_field": "invoice_date",
            "user_field": "invoice_user_id",
            "direction": "outbound",
        },
        "credit_note": {
            "domain": [
                ("state", "=", "posted"),
                ("move_type", "=", "out_refund"),
            ],
            "date_field": "invoice_date",
            "user_field": "invoice_user_id",
            "direction": "outbound",
        },
    }

    lifecycle_customer_summary = fields.Html(
        string="Customer Summary",
        related="partner_id.commercial_partner_id.lifecycle_summary_html",
        groups="base.group_user",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        invoices = posted._lifecycle_log_interactions(
            "invoice"
        ) | posted._lifecycle_log_interactions("credit_note")
        if invoices:
            invoices.partner_id._lifecycle_trigger_event(
                "invoice_posted", records=invoices
            )
        return posted

    def button_draft(self):
        res = super().button_draft()
        self._lifecycle_refresh_customers()
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._lifecycle_refresh_customers()
        return res

    def write(self, vals):
        res = super().write(vals)
        if "no_followup" in vals:
            # an invoice held out of (or back into) follow-up: disputed/overdue
            self._lifecycle_refresh_customers()
        return res

    def _lifecycle_refresh_customers(self):
        """Receivable facts of the customers of these sale documents."""
        customers = self.filtered(
            lambda move: move.is_sale_document(include_receipts=True)
        ).commercial_partner_id
        if customers:
            customers._lifecycle_customers().sudo()._lifecycle_refresh_facts()
