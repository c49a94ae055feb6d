# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rfm_period_days = fields.Integer(
        related="company_id.rfm_period_days", readonly=False
    )
    rfm_source = fields.Selection(related="company_id.rfm_source", readonly=False)
    segment_cross_sell_min_customers = fields.Integer(
        related="company_id.segment_cross_sell_min_customers", readonly=False
    )
    segment_cross_sell_min_support = fields.Float(
        related="company_id.segment_cross_sell_min_support", readonly=False
    )
    segment_cross_sell_min_confidence = fields.Float(
        related="company_id.segment_cross_sell_min_confidence", readonly=False
    )
    segment_cross_sell_limit = fields.Integer(
        related="company_id.segment_cross_sell_limit", readonly=False
    )
    clv_churn_days = fields.Integer(related="company_id.clv_churn_days", readonly=False)
    clv_warning_probability_alive = fields.Float(
        related="company_id.clv_warning_probability_alive", readonly=False
    )
    clv_warning_value_at_risk = fields.Monetary(
        related="company_id.clv_warning_value_at_risk", readonly=False
    )
