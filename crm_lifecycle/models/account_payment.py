# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def action_post(self):
        res = super().action_post()
        received = self.filtered(
            lambda pay: pay.partner_id
            and pay.payment_type == "inbound"
            and pay.partner_type == "customer"
            and pay.state in ("in_process", "paid")
        )
        if received:
            self.env["crm.interaction"]._log_documents(
                received,
                "payment",
                date_field="date",
                user_field="create_uid",
                direction="inbound",
            )
            self.env["crm.interaction"]._evaluate_promises(
                received.partner_id.commercial_partner_id
            )
            received.partner_id._lifecycle_trigger_event(
                "payment_received", records=received
            )
        return res
