# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "crm.lifecycle.document.mixin"]

    _lifecycle_interactions = {
        "payment": {
            "domain": [
                ("partner_id", "!=", False),
                ("payment_type", "=", "inbound"),
                ("partner_type", "=", "customer"),
                ("state", "in", ("in_process", "paid")),
            ],
            "date_field": "date",
            "user_field": "create_uid",
            "direction": "inbound",
        },
    }

    def action_post(self):
        res = super().action_post()
        received = self._lifecycle_log_interactions("payment")
        if received:
            if self.env.context.get("lifecycle_disable"):
                # no event: the promises are evaluated here
                self.env["crm.interaction"]._evaluate_promises(
                    received.partner_id.commercial_partner_id
                )
            # else by the event, for the customers with an open promise
            # (``res.partner._lifecycle_event_facts_read``)
            received.partner_id._lifecycle_trigger_event(
                "payment_received", records=received
            )
        return res
