# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..figures_sql import set_fillfactor

# res.partner field -> column of crm.clv.partner.prediction
PREDICTION_COLUMNS = {
    "clv_probability_alive": "probability_alive",
    "clv_expected_purchases": "expected_purchases",
    "clv_value": "value",
    "clv_probability_no_purchase": "probability_no_purchase",
    "clv_value_at_risk": "value_at_risk",
    "clv_days_since_purchase": "days_since_purchase",
    "clv_purchase_interval": "purchase_interval",
    "clv_recent_purchases": "recent_purchases",
    "clv_usual_purchases": "usual_purchases",
    "clv_is_late": "is_late",
    "clv_frequency_falling": "frequency_falling",
}
# free room left in each page: the nightly job rewrites every row (the
# predictions move each day) in place, without a new index entry (HOT update)
FILLFACTOR = 50


class CrmClvPartnerPrediction(models.Model):
    """The predictions of a customer in a company (the customer value model's
    nightly figures), apart from the wide ``res_partner`` rows: they change
    every day for every customer, and rewriting a partner row means a new entry
    in each of its 30 indexes, rewriting a row of this narrow table none.
    The partner's ``clv_`` fields read the row of the current company."""

    _name = "crm.clv.partner.prediction"
    _description = "Customer Value Prediction of a Customer"
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    probability_alive = fields.Float(digits=(16, 4))
    expected_purchases = fields.Float(digits=(16, 2))
    value = fields.Monetary(string="Predicted Value", currency_field="currency_id")
    probability_no_purchase = fields.Float(digits=(16, 4))
    value_at_risk = fields.Monetary(currency_field="currency_id")
    days_since_purchase = fields.Integer()
    purchase_interval = fields.Float(digits=(16, 1))
    recent_purchases = fields.Integer()
    usual_purchases = fields.Float(digits=(16, 1))
    is_late = fields.Boolean()
    frequency_falling = fields.Boolean()

    _partner_company_uniq = models.Constraint(
        "UNIQUE(partner_id, company_id)",
        "A customer has one prediction per company.",
    )

    def init(self):
        res = super().init()
        set_fillfactor(self.env.cr, self._table, FILLFACTOR)
        return res

    @api.model
    def _join_sql(self, partner_alias, query, company):
        """LEFT JOIN the prediction of ``company`` to the partners of
        ``partner_alias`` in ``query``; returns the alias of the prediction."""
        alias = query.make_alias(partner_alias, "clv_prediction")
        query.add_join(
            "LEFT JOIN",
            alias,
            self._table,
            SQL(
                "%s = %s AND %s = %s",
                SQL.identifier(alias, "partner_id"),
                SQL.identifier(partner_alias, "id"),
                SQL.identifier(alias, "company_id"),
                company.id,
            ),
        )
        return alias
