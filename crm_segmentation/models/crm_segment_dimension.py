# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmSegmentDimension(models.Model):
    _name = "crm.segment.dimension"
    _description = "Segmentation Dimension"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    dimension_type = fields.Selection(
        [("rule", "Rule-based levels"), ("metric", "Metric-based levels")],
        required=True,
        default="rule",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
