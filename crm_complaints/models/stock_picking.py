# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "crm.complaint.customer.mixin"]

    complaint_ids = fields.One2many("crm.complaint", "picking_id", string="Complaints")
    complaint_count = fields.Integer(
        string="Number of Complaints",
        compute="_compute_complaint_count",
        compute_sudo=True,
    )
    complaint_origin_id = fields.Many2one(
        "crm.complaint",
        string="Return for Complaint",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The complaint this return was created for.",
    )

    def _compute_complaint_count(self):
        groups = self.env["crm.complaint"]._read_group(
            [("picking_id", "in", self.ids)], ["picking_id"], ["__count"]
        )
        counts = {picking.id: count for picking, count in groups}
        for picking in self:
            picking.complaint_count = counts.get(picking.id, 0)

    def action_view_complaints(self):
        self.ensure_one()
        return self._complaint_action_for(
            self.complaint_ids,
            {"picking_id": self.id, "partner_id": self.partner_id.id},
        )
