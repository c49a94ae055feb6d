# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    clv_churn_days = fields.Integer(
        string="Churn Horizon (days)",
        default=90,
        help="The probability of no purchase is for the next N days, and a "
        "customer's frequency is falling when its purchases of the last N days "
        "fall below half its earlier rate.",
        groups="base.group_user",
        prefetch="crm_segmentation",
    )
    clv_warning_probability_alive = fields.Float(
        string="Warn Below Probability Alive",
        digits=(16, 4),
        help="When a customer's probability alive falls below this (e.g. 0.30), "
        "its salesperson gets an activity with the reason, once until the "
        "customer recovers. 0 disables the warning.",
        groups="base.group_user",
        prefetch="crm_segmentation",
    )
    clv_warning_value_at_risk = fields.Monetary(
        string="Warn Above Value at Risk",
        currency_field="currency_id",
        help="When a customer's value at risk rises above this, its salesperson "
        "gets an activity with the reason, once until the customer recovers. 0 "
        "disables the warning.",
        groups="base.group_user",
        prefetch="crm_segmentation",
    )

    _clv_churn_days_positive = models.Constraint(
        "CHECK(clv_churn_days > 0)", "The churn horizon must be positive."
    )
    _clv_warning_probability_range = models.Constraint(
        "CHECK(clv_warning_probability_alive >= 0 "
        "AND clv_warning_probability_alive <= 1)",
        "The probability alive that warns must be between 0 and 1.",
    )
    _clv_warning_value_positive = models.Constraint(
        "CHECK(clv_warning_value_at_risk >= 0)",
        "The value at risk that warns cannot be negative.",
    )
