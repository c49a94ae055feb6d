# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "crm.lifecycle.document.mixin"]

    _lifecycle_interactions = {
        "delivery": {
            "domain": [
                ("state", "=", "done"),
                ("partner_id", "!=", False),
                # the type's own field, not the picking's related one: a
                # delivery validated would compute it (and prepare the
                # tracking of the picking's fields) only for this test
                ("picking_type_id.code", "=", "outgoing"),
            ],
            "date_field": "date_done",
            "direction": "outbound",
        },
    }

    lifecycle_customer_summary = fields.Html(
        string="Customer Summary",
        related="partner_id.commercial_partner_id.lifecycle_summary_html",
        groups="base.group_user",
    )

    def _action_done(self):
        res = super()._action_done()
        deliveries = self._lifecycle_log_interactions("delivery")
        if deliveries:
            deliveries.partner_id._lifecycle_trigger_event(
                "delivery_done", records=deliveries
            )
        return res
