# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    lifecycle_customer_summary = fields.Html(
        string="Customer Summary",
        related="partner_id.commercial_partner_id.lifecycle_summary_html",
        groups="base.group_user",
    )

    def _action_done(self):
        res = super()._action_done()
        deliveries = self.filtered(
            lambda picking: picking.state == "done"
            and picking.partner_id
            and picking.picking_type_code == "outgoing"
        )
        if deliveries:
            self.env["crm.interaction"]._log_documents(
                deliveries, "delivery", date_field="date_done", direction="outbound"
            )
            deliveries.partner_id._lifecycle_trigger_event(
                "delivery_done", records=deliveries
            )
        return res
