# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    segment_cross_sell_min_customers = fields.Integer(
        string="Cross-sell Minimum Customers",
        default=3,
        help="A rule needs at least this many customers who bought both "
        "products: a pair bought by one customer is a coincidence, not a rule.",
        groups="base.group_user",
        prefetch="crm_segmentation",
    )
    segment_cross_sell_min_support = fields.Float(
        string="Cross-sell Minimum Support (%)",
        default=1.0,
        help="Share of customers who must have bought both products of a rule.",
        groups="base.group_user",
        prefetch="crm_segmentation",
    )
    segment_cross_sell_min_confidence = fields.Float(
        string="Cross-sell Minimum Confidence (%)",
        default=10.0,
        help="Share of the buyers of the first product who also bought the second.",
        groups="base.group_user",
        prefetch="crm_segmentation",
    )
    segment_cross_sell_limit = fields.Integer(
        string="Cross-sell Suggestions per Customer",
        default=5,
        groups="base.group_user",
        prefetch="crm_segmentation",
    )

    @api.constrains(
        "segment_cross_sell_min_customers",
        "segment_cross_sell_min_support",
        "segment_cross_sell_min_confidence",
        "segment_cross_sell_limit",
    )
    def _check_segment_cross_sell(self):
        for company in self:
            if company.segment_cross_sell_min_customers < 1:
                raise ValidationError(
                    self.env._(
                        "A cross-sell rule needs at least one customer who bought "
                        "both products."
                    )
                )
            for value in (
                company.segment_cross_sell_min_support,
                company.segment_cross_sell_min_confidence,
            ):
                if not 0.0 <= value <= 100.0:
                    raise ValidationError(
                        self.env._(
                            "The cross-sell minimum support and confidence are "
                            "percentages, from 0 to 100."
                        )
                    )
            if company.segment_cross_sell_limit < 1:
                raise ValidationError(
                    self.env._("Suggest at least one cross-sell product per customer.")
                )
