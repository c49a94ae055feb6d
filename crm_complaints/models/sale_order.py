# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "crm.complaint.customer.mixin"]
    _complaint_document_field = "sale_order_id"

    complaint_ids = fields.One2many(
        "crm.complaint",
        "sale_order_id",
        string="Complaints",
        groups="base.group_user",
    )
    complaint_origin_id = fields.Many2one(
        "crm.complaint",
        string="Replacement for Complaint",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The complaint this quotation replaces goods for.",
        groups="base.group_user",
    )
