# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.fields import Domain


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _lifecycle_promised(self, credit_control_run):
        """The items of ``self`` covered by an open payment promise whose date
        is not past at the run's date (one search for all the customers)."""
        customers = self.partner_id.commercial_partner_id
        if not customers:
            return self.browse()
        promises = (
            self.env["crm.interaction"]
            .sudo()
            .search(
                Domain("interaction_type", "=", "payment_promise")
                & Domain("promise_state", "=", "open")
                & Domain("promise_date", ">=", credit_control_run.date)
                & Domain("partner_id", "in", customers.ids)
                & Domain("company_id", "=", credit_control_run.company_id.id)
            )
        )
        whole_customers = promises.filtered(
            lambda p: not p.promise_invoice_ids
        ).partner_id
        invoices = promises.promise_invoice_ids
        return self.filtered(
            lambda line: line.partner_id.commercial_partner_id in whole_customers
            or line.move_id in invoices
        )
