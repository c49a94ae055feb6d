# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    segment_cross_sell_min_support = fields.Float(
        string="Cross-sell Minimum Support (%)",
        default=1.0,
        help="Share of customers who must have bought both products of a rule.",
        groups="base.group_user",
    )
    segment_cross_sell_min_confidence = fields.Float(
        string="Cross-sell Minimum Confidence (%)",
        default=10.0,
        help="Share of the buyers of the first product who also bought the second.",
        groups="base.group_user",
    )
    segment_cross_sell_limit = fields.Integer(
        string="Cross-sell Suggestions per Customer",
        default=5,
        groups="base.group_user",
    )
