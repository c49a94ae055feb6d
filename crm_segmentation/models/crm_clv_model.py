# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .. import clv_math, clv_value
from .crm_clv_candidate import PURCHASE_MODELS
from .crm_clv_holdout import HOLDOUT_BUCKETS

_logger = logging.getLogger(__name__)

# Length of one time unit in days.
UNIT_DAYS = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12}
# Discounting step: one month, expressed in days (see clv_value.discounted_value).
DISCOUNT_PERIOD_DAYS = 365.25 / 12
# Above this absolute correlation of spend and frequency over the repeat
# customers, the Gamma-Gamma independence assumption is flagged.
CORRELATION_WARNING = 0.3


def _array_literal(numbers):
    """A PostgreSQL array literal of numbers (``{1,2.5}``), to pass as ONE query
    parameter: psycopg2 adapts a list as ``ARRAY[...]``, which PostgreSQL
    parses and casts element by element, one expression per customer. ``repr``
    of an int or a float is exact."""
    return "{" + ",".join(map(repr, numbers)) + "}"


class CrmClvModel(models.Model):
    _name = "crm.clv.model"
    _description = "Customer Value Model"
    _order = "company_id"

    name = fields.Char(required=True, default="Customer value model")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "Not fitted"), ("fitted", "Fitted")],
        default="draft",
        required=True,
        readonly=True,
    )
    # Settings
    time_unit = fields.Selection(
        [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")],
        default="weeks",
        required=True,
        help="Unit of recency, age and horizon in the model.",
    )
    horizon = fields.Float(
        default=52.0,
        required=True,
        help="Period of the predictions, in time units.",
    )
    discount_rate = fields.Float(
        string="Annual Discount Rate (%)",
        default=10.0,
        help="Annual rate at which future purchases are discounted, month by month.",
    )
    min_repeat_customers = fields.Integer(
        string="Minimum Repeat Customers",
        default=20,
        required=True,
        help="Fewer customers with a repeat purchase than this refuses the fit.",
    )
    date_history = fields.Date(
        string="History Up To",
        help="Fit on the purchases up to this date; empty means today.",
    )
    model_choice = fields.Selection(
        [("auto", "Automatic")] + PURCHASE_MODELS,
        string="Purchase Model",
        default="auto",
        required=True,
        help="The model that predicts the customers. Automatic: the one with the "
        "lowest holdout error when a calibration date is set, otherwise the one "
        "with the lowest BIC; a fit at a parameter bound is never chosen.",
    )
    zero_value_purchase = fields.Boolean(
        string="Zero-Value Invoices Are Purchases",
        help="A posted customer invoice of zero (a free sample, a warranty "
        "replacement) counts as a purchase. Off: only a positive net value makes a "
        "purchase. A purchase refunded in full is never one.",
    )
    min_history_days = fields.Integer(
        string="Minimum History (days)",
        default=90,
        required=True,
        help="A fit on a shorter history (from the first purchase to the history "
        "or calibration date) is refused and the previous fit is kept.",
    )
    date_holdout = fields.Date(
        string="Calibration Up To",
        help="If set, the fit also checks the model: it is fitted on the purchases "
        "up to this date and its predictions are compared with the purchases "
        "made afterwards, up to the history date.",
    )
    # Results of the last fit
    date_fit = fields.Date(string="Fit Date", readonly=True)
    date_last_fit = fields.Datetime(string="Fitted On", readonly=True)
    date_last_run = fields.Datetime(string="Last Scheduled Run", readonly=True)
    bgnbd_r = fields.Float(string="BG/NBD r", digits=(16, 6), readonly=True)
    bgnbd_alpha = fields.Float(string="BG/NBD alpha", digits=(16, 6), readonly=True)
    bgnbd_a = fields.Float(string="BG/NBD a", digits=(16, 6), readonly=True)
    bgnbd_b = fields.Float(string="BG/NBD b", digits=(16, 6), readonly=True)
    gg_p = fields.Float(string="Gamma-Gamma p", digits=(16, 6), readonly=True)
    gg_q = fields.Float(string="Gamma-Gamma q", digits=(16, 6), readonly=True)
    gg_v = fields.Float(string="Gamma-Gamma gamma", digits=(16, 6), readonly=True)
    log_likelihood = fields.Float(
        string="BG/NBD Log-likelihood", digits=(16, 4), readonly=True
    )
    gg_log_likelihood = fields.Float(
        string="Gamma-Gamma Log-likelihood", digits=(16, 4), readonly=True
    )
    model_used = fields.Selection(
        PURCHASE_MODELS,
        string="Model in Use",
        readonly=True,
        help="The purchase model of the last fit that predicts the customers.",
    )
    candidate_ids = fields.One2many(
        "crm.clv.candidate", "model_id", string="Model Comparison", readonly=True
    )
    gg_correlation = fields.Float(
        string="Spend-Frequency Correlation",
        digits=(16, 3),
        readonly=True,
        help="Correlation of the number of repeat purchases and their average value "
        "over the repeat customers. The Gamma-Gamma value model assumes none: "
        "above 0.3 (either sign) its predicted values are doubtful.",
    )
    gg_correlation_warning = fields.Boolean(compute="_compute_gg_correlation_warning")
    fit_message = fields.Text(
        string="Last Refused Fit",
        readonly=True,
        help="Why the last scheduled fit was refused (the previous fit was kept).",
    )
    future_invoice_count = fields.Integer(
        string="Invoices Dated in the Future",
        readonly=True,
        help="Posted customer invoices and credit notes dated after the day of the "
        "last fit: ignored by the fit and the predictions (a typing error?).",
    )
    customer_count = fields.Integer(string="Customers Fitted", readonly=True)
    repeat_customer_count = fields.Integer(string="Repeat Customers", readonly=True)
    predicted_partner_count = fields.Integer(
        string="Customers Predicted", readonly=True
    )
    average_value = fields.Monetary(
        string="Average Purchase Value",
        readonly=True,
        help="Population mean value of a purchase (Gamma-Gamma p gamma / (q - 1)).",
    )
    holdout_line_ids = fields.One2many(
        "crm.clv.holdout.line", "model_id", string="Holdout Check", readonly=True
    )

    _company_uniq = models.UniqueIndex(
        "(company_id)", "A company has only one customer value model."
    )
    _horizon_positive = models.Constraint(
        "CHECK(horizon > 0)", "The horizon must be positive."
    )
    _discount_rate_positive = models.Constraint(
        "CHECK(discount_rate >= 0)", "The discount rate cannot be negative."
    )
    _min_history_positive = models.Constraint(
        "CHECK(min_history_days >= 0)", "The minimum history cannot be negative."
    )
    _min_repeat_positive = models.Constraint(
        "CHECK(min_repeat_customers >= 2)",
        "At least two customers with repeat purchases are needed.",
    )

    @api.depends("gg_correlation")
    def _compute_gg_correlation_warning(self):
        for model in self:
            model.gg_correlation_warning = (
                abs(model.gg_correlation) > CORRELATION_WARNING
            )

    # ------------------------------------------------------------------ constraints
    @api.constrains("date_history", "date_holdout")
    def _check_dates(self):
        for model in self:
            end = model.date_history or fields.Date.context_today(model)
            if model.date_holdout and model.date_holdout >= end:
                raise ValidationError(
                    self.env._("The calibration date must be before the history date.")
                )

    # ---------------------------------------------------------------------- actions
    def action_fit(self):
        """Refit the model on the company's purchases, predict every customer and,
        when a calibration date is set, run the holdout check."""
        self.check_access("write")
        for model in self:
            # one read of the purchases (the heaviest query of the fit) for
            # the fit, the predictions of today and the holdout check
            today = fields.Date.context_today(model)
            date_to = model.date_history or today
            history = model._purchase_history(
                model.company_id, date_to, zero_value=model.zero_value_purchase
            )
            model._check_future_invoices(today)
            model._fit(history=history)
            model._predict_partners(history=history if date_to == today else None)
        return True

    def action_view_holdout_graph(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_segmentation.crm_clv_holdout_point_action"
        )
        action["domain"] = [("model_id", "=", self.id)]
        return action

    def action_view_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_segmentation.res_partner_clv_action"
        )
        return action

    # --------------------------------------------------------------------- business
    @api.model
    def _for_company(self, company=None):
        """The model of the company (default: the current one), created with the
        default settings when it has none."""
        company = company or self.env.company
        model = self.search([("company_id", "=", company.id)], limit=1)
        return model or self.create({"company_id": company.id})

    def _check_future_invoices(self, today):
        """Count (and log) the company's posted customer invoices dated after
        today: the fit and the predictions ignore them, the form warns."""
        self.env["account.move"].flush_model(
            ["company_id", "state", "move_type", "invoice_date"]
        )
        [(count,)] = self.env.execute_query(
            SQL(
                """
                SELECT COUNT(*) FROM account_move move
                 WHERE move.company_id = %s AND move.state = 'posted'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND move.invoice_date > %s
                """,
                self.company_id.id,
                today,
            )
        )
        if count:
            _logger.warning(
                "Customer value model of %s: %s invoices dated in the future "
                "are ignored",
                self.company_id.name,
                count,
            )
        if self.future_invoice_count != count:
            self.future_invoice_count = count
        return count

    def _unit_days(self):
        return UNIT_DAYS[self.time_unit]

    def _params(self, kind=None):
        """(purchase model parameters, Gamma-Gamma parameters) of the model in
        use, or of ``kind``."""
        kind = kind or self.model_used or "bgnbd"
        purchase = (self.bgnbd_r, self.bgnbd_alpha, self.bgnbd_a, self.bgnbd_b)
        if kind != "bgnbd":
            candidate = self.candidate_ids.filtered(lambda c: c.kind == kind)[:1]
            purchase = candidate._params() if candidate else purchase
        gamma = (self.gg_p, self.gg_q, self.gg_v)
        return purchase, gamma

    @api.model
    def _purchase_history(self, company, date_to, zero_value=False):
        """All purchase days of the company's customers up to ``date_to``, in ONE
        query: (commercial partner ids, day ordinals, net untaxed values), sorted
        by partner and day.

        A purchase is a posted customer invoice; several invoices of the same
        customer on the same day are one purchase. Credit notes reduce the value
        of the purchase they reverse (the reversed invoice's day) or, when they
        reverse nothing, of a purchase on their own date; they never create a
        purchase, and a purchase refunded in full is no purchase. Amounts are
        untaxed, in the company currency. A day of zero-value invoices only (a
        free sample) is a purchase when ``zero_value`` is set.
        """
        self.env["account.move"].flush_model(
            [
                "state",
                "move_type",
                "company_id",
                "commercial_partner_id",
                "invoice_date",
                "amount_untaxed_signed",
                "reversed_entry_id",
            ]
        )
        # One row of three arrays (filled in the same order) rather than a row
        # per purchase: no Python tuple per purchase (hundreds of thousands
        # wake the garbage collector up), the days as ordinals (date.toordinal)
        # and the values as floats (no date or Decimal object either). Sorted
        # here, not by the database (a sort on disk there).
        [(partners, days, values)] = self.env.execute_query(
            SQL(
                """
                SELECT ARRAY_AGG(purchase.partner_id), ARRAY_AGG(purchase.day),
                       ARRAY_AGG(purchase.amount)
                  FROM (SELECT doc.partner_id,
                               doc.day - DATE '0001-01-01' + 1 AS day,
                               SUM(doc.amount)::float8 AS amount
                          FROM (SELECT move.commercial_partner_id AS partner_id,
                                       move.invoice_date AS day,
                                       move.amount_untaxed_signed AS amount,
                                       TRUE AS is_purchase
                                  FROM account_move move
                                 WHERE move.state = 'posted'
                                   AND move.move_type = 'out_invoice'
                                   AND move.company_id = %(company)s
                                   AND move.commercial_partner_id IS NOT NULL
                                   AND move.invoice_date <= %(date_to)s
                             UNION ALL
                                -- credit notes apart: the join to the invoice
                                -- they reverse stays out of the invoices' way
                                SELECT move.commercial_partner_id,
                                       COALESCE(origin.invoice_date,
                                                move.invoice_date),
                                       move.amount_untaxed_signed,
                                       FALSE
                                  FROM account_move move
                             LEFT JOIN account_move origin
                                    ON origin.id = move.reversed_entry_id
                                   AND origin.move_type = 'out_invoice'
                                   AND origin.state = 'posted'
                                 WHERE move.state = 'posted'
                                   AND move.move_type = 'out_refund'
                                   AND move.company_id = %(company)s
                                   AND move.commercial_partner_id IS NOT NULL
                                   AND move.invoice_date <= %(date_to)s) doc
                      GROUP BY doc.partner_id, doc.day
                        HAVING BOOL_OR(doc.is_purchase)
                           AND (SUM(doc.amount) > 0
                                OR (%(zero_value)s AND SUM(doc.amount) = 0
                                    AND BOOL_OR(doc.is_purchase AND doc.amount = 0)))
                       ) purchase
                """,
                company=company.id,
                date_to=date_to,
                zero_value=bool(zero_value),
            )
        )
        if not partners:
            return np.zeros(0, int), np.zeros(0, int), np.zeros(0)
        partners = np.array(partners, dtype=int)
        days = np.array(days, dtype=int)
        order = np.lexsort((days, partners))
        return partners[order], days[order], np.array(values, dtype=float)[order]

    @api.model
    def _summarise(self, partners, days, values, cut, unit_days):
        """Per customer (x, t_x, T, m_x) at the date ``cut`` (an ordinal) from the
        sorted purchase days: x = repeat purchases (purchase days - 1), t_x = last
        minus first purchase, T = cut minus first purchase (in time units), m_x =
        mean value of the repeat purchases (the first purchase is excluded)."""
        keep = days <= cut
        partners, days, values = partners[keep], days[keep], values[keep]
        if not len(partners):
            empty = np.zeros(0)
            return np.zeros(0, int), empty, empty, empty, empty
        ids, starts, counts = np.unique(partners, return_index=True, return_counts=True)
        first = days[starts]
        last = days[starts + counts - 1]
        x = (counts - 1).astype(float)
        repeat_value = np.add.reduceat(values, starts) - values[starts]
        m_x = np.divide(repeat_value, x, out=np.zeros_like(x), where=x > 0)
        t_x = (last - first) / unit_days
        T = (cut - first) / unit_days
        return ids, x, t_x, T, m_x

    def _fit_arrays(self, x, t_x, T, m_x):
        """Fit the three purchase models and Gamma-Gamma; a UserError when the
        data cannot support a fit. Returns ({kind: fit}, gamma, gamma LL), each
        fit a dict of params, log_likelihood, bic and at_bound."""
        repeat = int(np.sum((x > 0) & (m_x > 0)))
        if repeat < self.min_repeat_customers:
            raise UserError(
                self.env._(
                    "Too little data to fit the customer value model of %(company)s: "
                    "%(count)s customers with a repeat purchase, at least %(min)s "
                    "are needed. The previous parameters are kept.",
                    company=self.company_id.name,
                    count=repeat,
                    min=self.min_repeat_customers,
                )
            )
        span = round(float(np.max(T)) * self._unit_days())
        if span < self.min_history_days:
            raise UserError(
                self.env._(
                    "Too little history to fit the customer value model of "
                    "%(company)s: the purchases span %(days)s days, at least "
                    "%(min)s are needed. The previous parameters are kept.",
                    company=self.company_id.name,
                    days=span,
                    min=self.min_history_days,
                )
            )
        fits = {}
        try:
            for kind in clv_math.MODELS:
                # Pareto/NBD starts from the BG/NBD fit: not fitted twice
                more = {"bgnbd_params": fits["bgnbd"]["params"]} if fits else {}
                try:
                    params, log_likelihood = clv_math.MODELS[kind]["fit"](
                        x, t_x, T, **(more if kind == "pareto" else {})
                    )
                except clv_math.FitError:
                    if kind == "bgnbd":
                        raise
                    continue  # that model is left out of the comparison
                fits[kind] = {
                    "params": params,
                    "log_likelihood": log_likelihood,
                    "bic": float(clv_math.bic(log_likelihood, 4, len(x))),
                    "at_bound": clv_math.parameters_at_bound(kind, params, T),
                }
            gamma, gg_log_likelihood = clv_value.fit_gamma_gamma(x, m_x)
        except (clv_math.FitError, FloatingPointError, ValueError) as error:
            raise UserError(
                self.env._(
                    "The customer value model could not be fitted (%(error)s). "
                    "The previous parameters are kept.",
                    error=str(error),
                )
            ) from error
        bgnbd = fits["bgnbd"]
        if (
            gamma[1] <= 1
            or bgnbd["params"][2] <= 0
            or not np.isfinite(bgnbd["log_likelihood"])
        ):
            raise UserError(
                self.env._(
                    "The fitted customer value model is degenerate (the average "
                    "purchase value is unbounded). The previous parameters are kept."
                )
            )
        # q -> infinity (v with it) is the limit of customers who do not differ
        # in their spend: every prediction is the population mean, a sound
        # model; p at a bound, or q at its lower one, is not
        low, high = clv_math.PARAMETER_BOUNDS
        if not (low < gamma[0] < high and gamma[1] > low):
            raise UserError(
                self.env._(
                    "The Gamma-Gamma value model is at a parameter bound (p %(p)s, "
                    "q %(q)s): the purchase values do not support a fit. The "
                    "previous parameters are kept.",
                    p=f"{gamma[0]:.4g}",
                    q=f"{gamma[1]:.4g}",
                )
            )
        return fits, gamma, gg_log_likelihood

    def _choose_model(self, fits, errors):
        """The purchase model to use: the user's, or the usable one (fitted,
        not at a bound) with the lowest holdout error, else the lowest BIC. A
        UserError, and nothing written, when there is none."""
        labels = dict(self._fields["model_used"]._description_selection(self.env))
        usable = [kind for kind, fit in fits.items() if not fit["at_bound"]]
        if self.model_choice != "auto":
            if self.model_choice not in usable:
                raise UserError(
                    self.env._(
                        "The %(model)s fit is at a parameter bound or failed: the "
                        "history does not identify its parameters. The previous "
                        "fit is kept; choose Automatic or another purchase model.",
                        model=labels[self.model_choice],
                    )
                )
            return self.model_choice
        if not usable:
            raise UserError(
                self.env._(
                    "Every purchase model's fit is at a parameter bound: the "
                    "history does not identify their parameters. The previous "
                    "fit is kept."
                )
            )
        if errors:
            return min(usable, key=lambda kind: errors.get(kind, np.inf))
        return min(usable, key=lambda kind: fits[kind]["bic"])

    def _fit(self, history=None):
        """Fit the three purchase models and Gamma-Gamma on the purchases up to
        the history date, run the holdout check when a calibration date is set,
        choose the model in use and store it all. Nothing is written when the
        fit fails or the chosen model's fit is at a parameter bound.

        :param history: the ``_purchase_history`` up to that date, if read already
        """
        self.ensure_one()
        date_to = self.date_history or fields.Date.context_today(self)
        history = history or self._purchase_history(
            self.company_id, date_to, zero_value=self.zero_value_purchase
        )
        _ids, x, t_x, T, m_x = self._summarise(
            *history, date_to.toordinal(), self._unit_days()
        )
        fits, gamma, gg_log_likelihood = self._fit_arrays(x, t_x, T, m_x)
        lines, errors = self._holdout(history) if self.date_holdout else ([], {})
        kind = self._choose_model(fits, errors)
        correlation = clv_value.spend_frequency_correlation(x, m_x)
        r, alpha, a, b = fits["bgnbd"]["params"]
        p, q, v = gamma
        self.holdout_line_ids.unlink()
        self.candidate_ids.unlink()
        self.write(
            {
                "state": "fitted",
                "date_fit": date_to,
                "date_last_fit": fields.Datetime.now(),
                "model_used": kind,
                "fit_message": False,
                "bgnbd_r": r,
                "bgnbd_alpha": alpha,
                "bgnbd_a": a,
                "bgnbd_b": b,
                "gg_p": p,
                "gg_q": q,
                "gg_v": v,
                "log_likelihood": fits["bgnbd"]["log_likelihood"],
                "gg_log_likelihood": gg_log_likelihood,
                "gg_correlation": correlation or 0.0,
                "customer_count": len(x),
                "repeat_customer_count": int(np.sum(x > 0)),
                "average_value": p * v / (q - 1),
                "candidate_ids": [
                    fields.Command.create(
                        {
                            "sequence": sequence,
                            "kind": name,
                            "param_1": fit["params"][0],
                            "param_2": fit["params"][1],
                            "param_3": fit["params"][2],
                            "param_4": fit["params"][3],
                            "log_likelihood": fit["log_likelihood"],
                            "bic": fit["bic"],
                            "at_bound": fit["at_bound"],
                            "has_holdout": name in errors,
                            "holdout_mae": errors.get(name, 0.0),
                        }
                    )
                    for sequence, (name, fit) in enumerate(fits.items())
                ],
                "holdout_line_ids": [fields.Command.create(line) for line in lines],
            }
        )
        if correlation is not None and abs(correlation) > CORRELATION_WARNING:
            _logger.warning(
                "Customer value model of %s: spend and frequency correlate (%.2f), "
                "the Gamma-Gamma independence assumption does not hold",
                self.company_id.name,
                correlation,
            )
        _logger.info(
            "Customer value model of %s fitted on %s customers, %s in use",
            self.company_id.name,
            len(x),
            kind,
        )

    def _holdout(self, history):
        """The holdout check: fit the three models on the purchases up to the
        calibration date, predict the repeat purchases of the holdout period
        (calibration date to history date) and compare them with the actual
        ones, per calibration frequency bucket. Returns (holdout line values,
        {kind: mean absolute error}); the error is the mean over the buckets of
        |actual - predicted| average purchases, weighted by their customers."""
        self.ensure_one()
        date_to = self.date_history or fields.Date.context_today(self)
        cut = self.date_holdout
        unit_days = self._unit_days()
        partners, days, values = history
        ids, x, t_x, T, m_x = self._summarise(
            partners, days, values, cut.toordinal(), unit_days
        )
        try:
            fits, _gamma, _gg_ll = self._fit_arrays(x, t_x, T, m_x)
        except UserError as error:
            raise UserError(
                self.env._(
                    "The holdout check failed on the purchases up to %(date)s: "
                    "%(reason)s Choose a later calibration date or clear it.",
                    date=cut,
                    reason=error.args[0],
                )
            ) from error
        length = (date_to - cut).days / unit_days
        predicted = {
            kind: clv_math.MODELS[kind]["expected_purchases"](
                fit["params"], length, x, t_x, T
            )
            for kind, fit in fits.items()
        }
        # Actual purchases after the cut, per calibration customer.
        after = (days > cut.toordinal()) & np.isin(partners, ids)
        actual = np.zeros(len(ids))
        np.add.at(actual, np.searchsorted(ids, partners[after]), 1)
        buckets = np.minimum(x, HOLDOUT_BUCKETS - 1).astype(int)
        columns = {
            "bgnbd": "predicted_avg",
            "pareto": "predicted_pareto_avg",
            "mbgnbd": "predicted_mbgnbd_avg",
        }
        lines = []
        errors = dict.fromkeys(predicted, 0.0)
        for bucket in range(HOLDOUT_BUCKETS):
            members = buckets == bucket
            if not members.any():
                continue
            line = {
                "bucket": bucket,
                "customer_count": int(members.sum()),
                "actual_avg": float(actual[members].mean()),
            }
            for kind, values_ in predicted.items():
                average = float(values_[members].mean())
                line[columns[kind]] = average
                errors[kind] += members.sum() * abs(average - line["actual_avg"])
            lines.append(line)
        errors = {kind: float(total / len(ids)) for kind, total in errors.items()}
        return lines, errors

    # ------------------------------------------------------------------------- cron
    @api.model
    def _cron_fit_all(self):
        """Weekly: refit and re-predict every company's model, one model per
        commit; a model that cannot be fitted keeps its parameters."""
        cron = self.env["ir.cron"]
        since = fields.Datetime.now() - timedelta(hours=12)
        domain = ["|", ("date_last_run", "=", False), ("date_last_run", "<", since)]
        while True:
            model = self.search(domain, limit=1)
            if not model:
                break
            model.date_last_run = fields.Datetime.now()
            try:
                with self.env.cr.savepoint():
                    model.with_company(model.company_id).action_fit()
            except UserError as error:
                # every company has a model from its creation: one never
                # fitted yet (a new company, too few purchases) is no alarm
                log = _logger.warning if model.state == "fitted" else _logger.info
                log("Customer value model %s: %s", model.id, error)
                model.fit_message = error.args[0]
            if cron._commit_progress(1, remaining=self.search_count(domain)) <= 0:
                break


class CrmSegmentMatrix(models.Model):
    _inherit = "crm.segment.matrix"

    @api.model
    def _segment_refresh_predictions(self, company):
        """Before the nightly placement, predict every customer with the
        company's fitted model (the weekly job refits it): the matrices then
        bin on today's probability alive and predicted value."""
        res = super()._segment_refresh_predictions(company)
        models_ = self.env["crm.clv.model"].search(
            [("company_id", "=", company.id), ("state", "=", "fitted")]
        )
        for model in models_:
            model._predict_partners()
        return res
