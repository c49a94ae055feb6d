# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "crm.complaint.customer.mixin"]
    _complaint_document_field = "picking_id"

    complaint_ids = fields.One2many(
        "crm.complaint", "picking_id", string="Complaints", groups="base.group_user"
    )
    complaint_origin_id = fields.Many2one(
        "crm.complaint",
        string="Return for Complaint",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The complaint this return was created for.",
        groups="base.group_user",
    )
