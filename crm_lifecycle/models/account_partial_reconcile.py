# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._lifecycle_refresh_customers()
        return partials

    def unlink(self):
        if not self:
            return super().unlink()
        customers = self._lifecycle_receivable_customers()
        res = super().unlink()
        customers._lifecycle_refresh_reconciled_facts()
        return res

    def _lifecycle_receivable_customers(self):
        lines = (self.debit_move_id | self.credit_move_id).filtered(
            lambda line: line.account_type == "asset_receivable" and line.partner_id
        )
        return lines.partner_id._lifecycle_customers().sudo()

    def _lifecycle_refresh_customers(self):
        """A reconciliation changes what customers owe: refresh their receivable
        facts (overdue, disputed, days to pay) at once."""
        self._lifecycle_receivable_customers()._lifecycle_refresh_reconciled_facts()
