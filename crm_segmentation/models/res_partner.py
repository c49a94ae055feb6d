# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # RFM figures, written set-based by the RFM recompute (see crm.segment.matrix).
    rfm_recency_days = fields.Integer(
        string="Recency (days)",
        readonly=True,
        help="Days since the customer's last purchase in the RFM look-back window.",
    )
    rfm_frequency = fields.Integer(
        string="Frequency",
        readonly=True,
        help="Number of purchases in the RFM look-back window.",
    )
    rfm_monetary = fields.Monetary(
        string="Monetary",
        currency_field="lifecycle_currency_id",
        readonly=True,
        help="Total purchased, net of refunds, in the RFM look-back window.",
    )
    rfm_recency_score = fields.Integer(string="R score", readonly=True)
    rfm_frequency_score = fields.Integer(string="F score", readonly=True)
    rfm_monetary_score = fields.Integer(string="M score", readonly=True)
    rfm_score = fields.Char(
        string="RFM score",
        readonly=True,
        index=True,
        help="Recency, frequency and monetary scores from 1 to 5, e.g. 555.",
    )
    # Predictions of the company's customer value model (crm.clv.model).
    clv_probability_alive = fields.Float(
        string="Probability alive",
        digits=(16, 4),
        readonly=True,
        help="Probability that the customer is still active (BG/NBD model).",
    )
    clv_expected_purchases = fields.Float(
        string="Expected purchases",
        digits=(16, 2),
        readonly=True,
        help="Purchases the customer is expected to make over the model's horizon.",
    )
    clv_value = fields.Monetary(
        string="Predicted value",
        currency_field="lifecycle_currency_id",
        readonly=True,
        help="Discounted value the customer is expected to bring over the "
        "model's horizon.",
    )
