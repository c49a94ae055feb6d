# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    rfm_period_days = fields.Integer(
        string="RFM Look-back Window (days)",
        default=365,
        help="Purchases of the last N days count for recency, frequency and "
        "monetary value.",
        groups="base.group_user",
    )
    rfm_source = fields.Selection(
        [("invoice", "Posted invoices"), ("order", "Confirmed sale orders")],
        string="RFM Source",
        default="invoice",
        required=True,
        help="Posted customer invoices (net of credit notes) or confirmed sale orders.",
        groups="base.group_user",
    )
    rfm_date_computed = fields.Datetime(
        string="RFM Computed On",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )

    _rfm_period_positive = models.Constraint(
        "CHECK(rfm_period_days > 0)", "The RFM look-back window must be positive."
    )
