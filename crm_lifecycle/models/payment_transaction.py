# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """The orders a payment confirms were accepted online by the customer:
        said here, where it happens, rather than read again from the order's
        transactions on every confirmation."""
        return super(
            PaymentTransaction, self.with_context(lifecycle_paid_online=True)
        )._check_amount_and_confirm_order()
