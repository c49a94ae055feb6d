# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class CrmSegmentDimension(models.Model):
    """An axis of a segmentation matrix, cut into levels.

    - rule dimensions: each level is a domain on the customer, the first
      matching level (by sequence) wins;
    - metric dimensions: a figure of the customer (RFM, predicted value,
      payment behaviour, complaints) binned by quantiles or thresholds.

    Customers nothing applies to take the "no data" level, which every
    dimension has (created with it).
    """

    _name = "crm.segment.dimension"
    _description = "Segmentation Dimension"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    dimension_type = fields.Selection(
        [("rule", "Rule-based levels"), ("metric", "Metric-based levels")],
        required=True,
        default="rule",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    description = fields.Text(translate=True)
    metric = fields.Selection(
        [
            ("recency", "Recency (days since the last purchase)"),
            ("frequency", "Frequency (purchases)"),
            ("monetary", "Monetary (net amount purchased)"),
            ("recency_score", "R score"),
            ("frequency_score", "F score"),
            ("monetary_score", "M score"),
            ("fm_score", "Combined F and M score"),
            ("rfm_total", "RFM score (R + F + M)"),
            ("clv_value", "Predicted customer value"),
            ("clv_probability_alive", "Probability alive"),
            ("clv_expected_purchases", "Expected purchases"),
            ("clv_probability_no_purchase", "Probability of no purchase"),
            ("clv_value_at_risk", "Value at risk"),
            ("avg_days_to_pay", "Average days to pay"),
            ("overdue_share", "Overdue share of the receivable"),
            ("complaint_count", "Complaints (with Customer Complaints installed)"),
        ],
        help="The customer figure the levels bin (metric dimensions).",
    )
    binning = fields.Selection(
        [("quantile", "Quantiles"), ("threshold", "Fixed thresholds")],
        default="quantile",
        help="Quantiles: the customers are split in as many groups of equal size "
        "as there are levels, the first level by sequence taking the lowest "
        "values. Thresholds: each level starts at its value.",
    )
    level_ids = fields.One2many(
        "crm.segment.level", "dimension_id", string="Levels", copy=True
    )
    no_data_level_id = fields.Many2one(
        "crm.segment.level", compute="_compute_no_data_level_id"
    )

    @api.depends("level_ids.is_no_data")
    def _compute_no_data_level_id(self):
        for dimension in self:
            dimension.no_data_level_id = dimension.level_ids.filtered("is_no_data")[:1]

    @api.constrains("dimension_type", "metric")
    def _check_metric(self):
        for dimension in self:
            if dimension.dimension_type == "metric" and not dimension.metric:
                raise ValidationError(
                    self.env._(
                        "The metric dimension “%(name)s” needs a metric.",
                        name=dimension.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        dimensions = super().create(vals_list)
        if not self.env.context.get("segment_no_auto_level"):  # data files
            dimensions._ensure_no_data_level()
        return dimensions

    def _ensure_no_data_level(self):
        missing = self.filtered(lambda d: not d.no_data_level_id)
        levels = self.env["crm.segment.level"].create(
            [
                {
                    "dimension_id": dimension.id,
                    "name": self.env._("No data"),
                    "sequence": 1000,
                    "is_no_data": True,
                }
                for dimension in missing
            ]
        )
        # named in every language of the database, not only the creator's
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        if len(langs) > 1:
            names = {
                code: self.with_context(lang=code).env._("No data") for code in langs
            }
            for level in levels:
                level.update_field_translations("name", names)

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _level_query(self, customers, company):
        """SQL returning (partner_id, level_id) for every customer of the
        ``customers`` query (a SQL selecting ``id``), with a fixed number of
        queries whatever the number of customers (one sub-query per level)."""
        self.ensure_one()
        self._ensure_no_data_level()
        no_data = self.no_data_level_id.id
        levels = self.level_ids.filtered(lambda level: not level.is_no_data).sorted(
            lambda level: (level.sequence, level.id)
        )
        if not levels:
            return SQL(
                "SELECT c.id AS partner_id, %s AS level_id FROM (%s) c",
                no_data,
                customers,
            )
        if self.dimension_type == "rule":
            return self._level_query_rule(customers, levels, no_data, company)
        return self._level_query_metric(customers, company, levels, no_data)

    def _level_query_rule(self, customers, levels, no_data, company):
        # a hash join per level (an IN sub-plan per customer would be quadratic);
        # the domains read the company's values of company-dependent fields
        # (stage, facts, RFM)
        Partner = (
            self.env["res.partner"]
            .sudo()
            .with_company(company)
            .with_context(active_test=False)
        )
        joins, cases = [], []
        for index, level in enumerate(levels):
            alias = SQL.identifier(f"l{index}")
            query = Partner._search(level._get_domain())
            joins.append(
                SQL(
                    "LEFT JOIN (%s) %s ON %s.id = c.id",
                    query.select(SQL("DISTINCT res_partner.id")),
                    alias,
                    alias,
                )
            )
            cases.append(SQL("WHEN %s.id IS NOT NULL THEN %s", alias, level.id))
        return SQL(
            "SELECT c.id AS partner_id, CASE %s ELSE %s END AS level_id FROM (%s) c %s",
            SQL(" ").join(cases),
            no_data,
            customers,
            SQL(" ").join(joins),
        )

    @api.model
    def _metric_sql_expressions(self, company):
        """{metric: SQL expression of the customer's figure in ``company``}:
        on ``p``, the customer's res_partner row, its figures of the company
        (company-dependent fields, read as Odoo reads them), and on ``pr``,
        its prediction in the company (see ``_metric_joins``); NULL means "no
        data" (no purchase in the window, no prediction yet...). Add metrics
        with ``super()`` (and to the ``metric`` selection)."""
        # the placement reads every customer's figures, whoever triggers it
        Partner = self.env["res.partner"].sudo().with_company(company)

        def field(fname):
            return Partner._field_to_sql("p", fname)

        frequency = field("rfm_frequency")
        scores = [
            field(fname)
            for fname in (
                "rfm_recency_score",
                "rfm_frequency_score",
                "rfm_monetary_score",
            )
        ]
        alive = SQL("pr.probability_alive > 0")
        receivable = field("lifecycle_receivable_amount")
        return {
            "recency": SQL(
                "CASE WHEN %s > 0 THEN %s - %s END",
                frequency,
                fields.Date.context_today(self),
                field("rfm_last_purchase_date"),
            ),
            "frequency": SQL("NULLIF(%s, 0)", frequency),
            "monetary": SQL(
                "CASE WHEN %s > 0 THEN %s END", frequency, field("rfm_monetary")
            ),
            "recency_score": SQL("NULLIF(%s, 0)", scores[0]),
            "frequency_score": SQL("NULLIF(%s, 0)", scores[1]),
            "monetary_score": SQL("NULLIF(%s, 0)", scores[2]),
            "fm_score": SQL(
                "CASE WHEN %s > 0 THEN ROUND((%s + %s) / 2.0) END",
                scores[1],
                scores[1],
                scores[2],
            ),
            "rfm_total": SQL(
                "NULLIF(%s, 0)",
                SQL(" + ").join(SQL("COALESCE(%s, 0)", score) for score in scores),
            ),
            "clv_value": SQL("CASE WHEN %s THEN pr.value END", alive),
            "clv_probability_alive": SQL("NULLIF(pr.probability_alive, 0)"),
            "clv_expected_purchases": SQL(
                "CASE WHEN %s THEN pr.expected_purchases END", alive
            ),
            "clv_probability_no_purchase": SQL(
                "CASE WHEN %s THEN pr.probability_no_purchase END", alive
            ),
            "clv_value_at_risk": SQL("CASE WHEN %s THEN pr.value_at_risk END", alive),
            "avg_days_to_pay": SQL(
                "CASE WHEN %s > 0 THEN %s END",
                field("lifecycle_paid_invoice_count"),
                field("lifecycle_avg_days_to_pay"),
            ),
            "overdue_share": SQL(
                "CASE WHEN %s > 0 THEN COALESCE(%s, 0) / %s END",
                receivable,
                field("lifecycle_overdue_amount"),
                receivable,
            ),
            "complaint_count": self._metric_sql_complaint_count(company),
        }

    @api.model
    def _metric_sql_complaint_count(self, company):
        """The customer's complaints in the company, without depending on
        Customer Complaints (NULL when it is not installed)."""
        if "crm.complaint" not in self.env:
            return SQL("NULL::numeric")
        self.env["crm.complaint"].flush_model(["commercial_partner_id", "company_id"])
        return SQL(
            "(SELECT COUNT(*) FROM crm_complaint cc "
            "WHERE cc.commercial_partner_id = p.id AND cc.company_id = %s)",
            company.id,
        )

    def _metric_sql(self, company):
        """The SQL of the dimension's metric (see ``_metric_sql_expressions``)."""
        self.ensure_one()
        return self._metric_sql_expressions(company)[self.metric]

    def _metric_joins(self, company):
        """The joins to ``res_partner p`` the metric's SQL reads: the
        customer's prediction in the company (``pr``) for the predicted
        metrics."""
        if not (self.metric or "").startswith("clv_"):
            return SQL()
        return SQL(
            "LEFT JOIN crm_clv_partner_prediction pr"
            " ON pr.partner_id = p.id AND pr.company_id = %s",
            company.id,
        )

    def _level_query_metric(self, customers, company, levels, no_data):
        value = self._metric_sql(company)
        joins = self._metric_joins(company)
        if self.binning == "threshold":
            cases = [
                SQL("WHEN v.value >= %s THEN %s", level.threshold, level.id)
                for level in levels.sorted(lambda lv: (-lv.threshold, lv.sequence))
            ]
            level_expr = SQL(
                "CASE WHEN v.value IS NULL THEN %s %s ELSE %s END",
                no_data,
                SQL(" ").join(cases),
                levels.sorted(lambda lv: (lv.threshold, lv.sequence))[:1].id,
            )
            return SQL(
                "SELECT v.partner_id, %s AS level_id FROM ("
                "SELECT c.id AS partner_id, (%s)::numeric AS value FROM (%s) c "
                "JOIN res_partner p ON p.id = c.id %s) v",
                level_expr,
                value,
                customers,
                joins,
            )
        # quantiles: percent_rank over the customers with a value, ties share
        # their bin; the first level takes the lowest values
        return SQL(
            """
            SELECT r.partner_id,
                   CASE WHEN r.value IS NULL THEN %(no_data)s
                        ELSE (%(levels)s::int[])[
                            LEAST(%(n)s, 1 + FLOOR(r.rank * %(n)s))::int]
                   END AS level_id
              FROM (SELECT v.partner_id, v.value,
                           percent_rank() OVER (
                               PARTITION BY v.value IS NULL ORDER BY v.value
                           ) AS rank
                      FROM (SELECT c.id AS partner_id, (%(value)s)::numeric AS value
                              FROM (%(customers)s) c
                              JOIN res_partner p ON p.id = c.id
                              %(joins)s) v) r
            """,
            joins=joins,
            no_data=no_data,
            levels=levels.ids,
            n=len(levels),
            value=value,
            customers=customers,
        )
