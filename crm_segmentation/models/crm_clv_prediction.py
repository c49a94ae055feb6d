# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import numpy as np

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.float_utils import float_invert

from .. import churn_math
from .crm_clv_model import DISCOUNT_PERIOD_DAYS, _array_literal
from .res_partner_churn import CHURN_FIELDS

ARRAY_TYPES = {"int": SQL("int"), "numeric": SQL("numeric"), "bool": SQL("bool")}
PREDICTION_FIELDS = (
    "clv_probability_alive",
    "clv_expected_purchases",
    "clv_value",
    *CHURN_FIELDS,
)


def round_money(values, rounding):
    """``float_round(value, precision_rounding=rounding)`` (HALF-UP, the
    currency's rounding) of every value of an array, vectorised: the same
    arithmetic step by step (normalise, epsilon of the magnitude, Python 2
    round, denormalise), hence the same floats, without a Python call per
    customer (0.7 s per 100,000 amounts)."""
    values = np.asarray(values, dtype=float)
    if rounding < 1:
        inverse = float_invert(rounding)
        normalized = values * inverse
    else:
        normalized = values / rounding
    with np.errstate(divide="ignore", invalid="ignore"):
        epsilon = 2 ** (np.log2(np.abs(normalized)) - 50)
        shifted = normalized + np.copysign(epsilon, normalized)
        # odoo.tools.float_utils.round: Python 2's round (half away from 0)
        rounded = np.round(shifted)
        result = np.where(
            np.round(shifted + 1) - rounded != 1,
            shifted + np.copysign(0.5, shifted),
            np.copysign(rounded, shifted),
        )
    result = result / inverse if rounding < 1 else result * rounding
    return np.where(values == 0, 0.0, result)


class CrmClvModel(models.Model):
    """The predictions of every customer from the fitted model: probability
    alive, expected purchases, predicted value, churn and value at risk (see
    churn_math), written set-based."""

    _inherit = "crm.clv.model"

    def _churn_arrays(self, x, t_x, T, m_x):
        """The figures of ``churn_math.churn_predictions`` with the model in
        use, its horizon and discount rate and the company's churn horizon."""
        kind = self.model_used or "bgnbd"
        purchase, gamma = self._params(kind)
        unit_days = self._unit_days()
        return churn_math.churn_predictions(
            kind,
            purchase,
            gamma,
            x,
            t_x,
            T,
            m_x,
            horizon=self.horizon,
            period=DISCOUNT_PERIOD_DAYS / unit_days,
            annual_rate=self.discount_rate / 100.0,
            unit_days=unit_days,
            window=self.company_id.clv_churn_days / unit_days,
        )

    def _predict_arrays(self, x, t_x, T, m_x):
        """(probability alive, expected purchases, predicted value) arrays."""
        figures = self._churn_arrays(x, t_x, T, m_x)
        return figures["alive"], figures["purchases"], figures["value"]

    def _predict_partners(self, date=None, history=None, rfm=False):
        """Write the predictions (``PREDICTION_FIELDS``) on every customer of the
        company with a purchase up to ``date`` (default today), from the stored
        parameters: one query to read the history, one UPDATE for all partners,
        one to clear the customers of the company without a purchase any more
        (all refunded), then the early warnings and the lifecycle rules that
        read the predictions. Returns the number of partners predicted.
        With ``rfm``, the RFM figures of the company are computed and written
        by the same UPDATE (the nightly job, see ``_rfm_compute``)."""
        self.ensure_one()
        if self.state != "fitted":
            raise UserError(
                self.env._("Fit the customer value model before predicting.")
            )
        date = date or fields.Date.context_today(self)
        partners, days, values = history or self._purchase_history(
            self.company_id, date
        )
        ids, x, t_x, T, m_x = self._summarise(
            partners, days, values, date.toordinal(), self._unit_days()
        )
        Partner = self.env["res.partner"]
        Partner.flush_model([*PREDICTION_FIELDS, "clv_warning_sent"])
        changed = []
        if len(ids):
            figures = self._churn_arrays(x, t_x, T, m_x)
            rhythm = churn_math.purchase_rhythm(
                ids, partners, days, date.toordinal(), self.company_id.clv_churn_days
            )
            late, falling = churn_math.risk_flags(rhythm)
            changed = self._write_predictions(
                ids, figures, rhythm, late, falling, rfm=rfm
            )
        elif rfm:
            self.env["res.partner"]._rfm_compute(self.company_id)
        changed += self._clear_predictions(ids)
        Partner.invalidate_model([*PREDICTION_FIELDS, "clv_warning_sent"])
        self.predicted_partner_count = len(ids)
        self._warn_partners(ids.tolist())
        self._apply_lifecycle_rules(changed)
        return len(ids)

    def _write_predictions(self, ids, figures, rhythm, late, falling, rfm=False):
        """One UPDATE of the predicted partners; the rows whose stored figures
        would not change are left alone (a res_partner row update rewrites the
        row and all its indexes). With ``rfm``, the same UPDATE writes the RFM
        figures of the company (``res.partner._rfm_compute``, the nightly
        job). Returns the ids of the rows whose predictions were written."""
        rounding = self.company_id.currency_id.rounding

        def money(amounts):
            # currency.round of every amount
            return _array_literal(round_money(amounts, rounding).tolist())

        columns = [
            ("id", "int", _array_literal(ids.tolist())),
            (
                "alive",
                "numeric",
                _array_literal(np.round(figures["alive"], 4).tolist()),
            ),
            (
                "purchases",
                "numeric",
                _array_literal(np.round(figures["purchases"], 2).tolist()),
            ),
            ("value", "numeric", money(figures["value"])),
            (
                "no_purchase",
                "numeric",
                _array_literal(np.round(figures["no_purchase"], 4).tolist()),
            ),
            ("at_risk", "numeric", money(figures["value_at_risk"])),
            ("days_since", "int", _array_literal(rhythm["days_since"].tolist())),
            (
                "interval",
                "numeric",
                _array_literal(np.round(rhythm["interval"], 1).tolist()),
            ),
            ("recent", "int", _array_literal(rhythm["recent"].tolist())),
            ("usual", "numeric", _array_literal(np.round(rhythm["usual"], 1).tolist())),
            ("late", "bool", _array_literal(late.tolist())),
            ("falling", "bool", _array_literal(falling.tolist())),
        ]
        targets = {
            "clv_probability_alive": "alive",
            "clv_expected_purchases": "purchases",
            "clv_value": "value",
            "clv_probability_no_purchase": "no_purchase",
            "clv_value_at_risk": "at_risk",
            "clv_days_since_purchase": "days_since",
            "clv_purchase_interval": "interval",
            "clv_recent_purchases": "recent",
            "clv_usual_purchases": "usual",
            "clv_is_late": "late",
            "clv_frequency_falling": "falling",
        }
        values = SQL(
            "SELECT %s",
            SQL(", ").join(
                SQL(
                    "UNNEST(%s::%s[]) AS %s",
                    literal,
                    ARRAY_TYPES[kind],
                    SQL.identifier(column),
                )
                for column, kind, literal in columns
            ),
        )
        if rfm:
            return self.env["res.partner"]._rfm_compute(
                self.company_id, predictions=(values, targets)
            )["predicted"]
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE res_partner partner
                   SET %(assignments)s
                  FROM (%(values)s) prediction
                 WHERE partner.id = prediction.id
                   AND (%(differences)s)
             RETURNING partner.id
                """,
                assignments=SQL(", ").join(
                    SQL(
                        "%s = prediction.%s",
                        SQL.identifier(fname),
                        SQL.identifier(column),
                    )
                    for fname, column in targets.items()
                ),
                values=values,
                differences=SQL(" OR ").join(
                    SQL(
                        "partner.%s IS DISTINCT FROM prediction.%s",
                        SQL.identifier(fname),
                        SQL.identifier(column),
                    )
                    for fname, column in targets.items()
                ),
            )
        )
        return [row[0] for row in rows]

    def _clear_predictions(self, ids):
        """Clear the predictions of the customers of the company that have no
        purchase up to today any more (every purchase refunded in full, or only
        invoices dated in the future): they count as customers without purchase.
        Returns the ids cleared."""
        self.env["account.move"].flush_model(
            ["commercial_partner_id", "company_id", "state", "move_type"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE res_partner partner
                   SET clv_probability_alive = 0, clv_expected_purchases = 0,
                       clv_value = 0, clv_probability_no_purchase = 0,
                       clv_value_at_risk = 0, clv_days_since_purchase = 0,
                       clv_purchase_interval = 0, clv_recent_purchases = 0,
                       clv_usual_purchases = 0, clv_is_late = FALSE,
                       clv_frequency_falling = FALSE, clv_warning_sent = FALSE
                 WHERE partner.id IN (
                           SELECT move.commercial_partner_id
                             FROM account_move move
                            WHERE move.company_id = %(company)s
                              AND move.state = 'posted'
                              AND move.move_type IN ('out_invoice', 'out_refund'))
                   AND NOT partner.id = ANY(%(ids)s::int[])
                   AND (COALESCE(partner.clv_probability_alive, 0) != 0
                        OR COALESCE(partner.clv_value, 0) != 0
                        OR COALESCE(partner.clv_value_at_risk, 0) != 0
                        OR partner.clv_warning_sent)
             RETURNING partner.id
                """,
                company=self.company_id.id,
                ids=_array_literal(ids.tolist()),
            )
        )
        return [row[0] for row in rows]
