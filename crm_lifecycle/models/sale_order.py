# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "crm.lifecycle.document.mixin"]

    _lifecycle_interactions = {
        "quotation": {"domain": [("state", "=", "sent")], "direction": "outbound"},
        "order": {
            "domain": [("state", "=", "sale")],
            "date_field": "date_order",
            "direction": "inbound",
        },
    }

    lifecycle_customer_summary = fields.Html(
        string="Customer Summary",
        related="partner_id.commercial_partner_id.lifecycle_summary_html",
        groups="base.group_user",
    )

    def write(self, vals):
        # Both "mark as sent" and sending by e-mail write the `sent` state.
        drafts = (
            self.filtered(lambda order: order.state == "draft")
            if vals.get("state") == "sent"
            else self.browse()
        )
        res = super().write(vals)
        sent = drafts._lifecycle_log_interactions("quotation")
        if sent:
            sent.partner_id._lifecycle_trigger_event("quotation_sent", records=sent)
        return res

    def _action_confirm(self):
        res = super()._action_confirm()
        online = self.filtered(lambda order: order._lifecycle_accepted_online())
        online._lifecycle_log_interactions(
            "order", values=lambda _order: {"channel": "portal"}
        )
        (self - online)._lifecycle_log_interactions("order")
        self.partner_id._lifecycle_trigger_event("order_confirmed", records=self)
        return res

    def _lifecycle_accepted_online(self):
        """Whether the customer accepted the order in the portal: signed there
        (core sets ``signed_by`` when the customer signs) or paid online (its
        transaction confirmed it, see ``payment.transaction``)."""
        self.ensure_one()
        return bool(self.signed_by and self.signed_on) or bool(
            self.env.context.get("lifecycle_paid_online")
        )
