# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmSegmentHistory(models.Model):
    """A customer's move between two cells of a matrix (from nothing when it
    enters the matrix, to nothing when it leaves it): the migration analysis."""

    _name = "crm.segment.history"
    _description = "Customer Segment Move"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    matrix_id = fields.Many2one(
        "crm.segment.matrix", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", related="matrix_id.company_id", store=True
    )
    cell_from_id = fields.Many2one(
        "crm.segment.cell", string="From Segment", ondelete="cascade"
    )
    cell_to_id = fields.Many2one(
        "crm.segment.cell", string="To Segment", ondelete="cascade"
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    is_manual = fields.Boolean(string="Set by Hand")
