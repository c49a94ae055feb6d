# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.5.0: the predictions of the customer value model move from the
partner to their own table (``crm.clv.partner.prediction``, one row per
customer and company), and the RFM recency is derived from the stored date of
the last purchase: both are computed again for every company (its RFM and the
predictions of its fitted model, as the nightly job does), and the partner
columns they replace are dropped (their figures would go stale)."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

# the partner columns replaced (the fields read the prediction table, or the
# date of the last purchase for the recency)
DROPPED_COLUMNS = (
    "rfm_recency_days",
    "clv_probability_alive",
    "clv_expected_purchases",
    "clv_value",
    "clv_probability_no_purchase",
    "clv_value_at_risk",
    "clv_days_since_purchase",
    "clv_purchase_interval",
    "clv_recent_purchases",
    "clv_usual_purchases",
    "clv_is_late",
    "clv_frequency_falling",
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Matrix = env["crm.segment.matrix"]
    for company in env["res.company"].search([]):
        Matrix.with_company(company)._segment_refresh_customers(company)
    env.flush_all()
    for column in DROPPED_COLUMNS:
        cr.execute(
            SQL(
                "ALTER TABLE res_partner DROP COLUMN IF EXISTS %s",
                SQL.identifier(column),
            )
        )
