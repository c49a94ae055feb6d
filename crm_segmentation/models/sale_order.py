# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    segment_cross_sell_ids = fields.Many2many(
        "crm.cross.sell.suggestion",
        string="Suggested Products",
        compute="_compute_segment_cross_sell_ids",
        help="Products bought by similar customers that this customer has not "
        "bought and that are not on the quotation yet.",
        groups="sales_team.group_sale_salesman,account.group_account_invoice",
    )

    @api.depends("partner_id", "company_id", "state", "order_line.product_id")
    def _compute_segment_cross_sell_ids(self):
        quotations = self.filtered(
            lambda order: order.state in ("draft", "sent") and order.partner_id
        )
        (self - quotations).segment_cross_sell_ids = False
        if not quotations:
            return
        # One search for all the orders displayed, then a lookup per order.
        suggestions = self.env["crm.cross.sell.suggestion"].search(
            [
                ("company_id", "in", quotations.company_id.ids),
                (
                    "partner_id",
                    "in",
                    quotations.partner_id.commercial_partner_id.ids,
                ),
            ]
        )
        by_customer = suggestions.grouped(
            lambda suggestion: (suggestion.company_id, suggestion.partner_id)
        )
        empty = self.env["crm.cross.sell.suggestion"]
        for order in quotations:
            key = (order.company_id, order.partner_id.commercial_partner_id)
            on_order = order.order_line.product_id
            order.segment_cross_sell_ids = by_customer.get(key, empty).filtered(
                lambda suggestion, on_order=on_order: suggestion.product_id
                not in on_order
            )
