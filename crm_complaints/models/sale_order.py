# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "crm.complaint.customer.mixin"]

    complaint_ids = fields.One2many(
        "crm.complaint", "sale_order_id", string="Complaints"
    )
    complaint_count = fields.Integer(
        string="Number of Complaints",
        compute="_compute_complaint_count",
        compute_sudo=True,
    )
    complaint_origin_id = fields.Many2one(
        "crm.complaint",
        string="Replacement for Complaint",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The complaint this quotation replaces goods for.",
    )

    def _compute_complaint_count(self):
        groups = self.env["crm.complaint"]._read_group(
            [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
        )
        counts = {order.id: count for order, count in groups}
        for order in self:
            order.complaint_count = counts.get(order.id, 0)

    def action_view_complaints(self):
        self.ensure_one()
        return self._complaint_action_for(
            self.complaint_ids,
            {"sale_order_id": self.id, "partner_id": self.partner_id.id},
        )
