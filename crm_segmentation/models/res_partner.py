# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_lifecycle.models.res_partner import SALES_OR_ACCOUNTING
from odoo.addons.crm_lifecycle.models.res_partner_need_to_know import MONEY_GROUPS

from ..figures_sql import update_company_changed
from .crm_clv_partner_prediction import PREDICTION_COLUMNS
from .res_partner_prediction import search_by_sql

_logger = logging.getLogger(__name__)

RFM_FIELDS = (
    "rfm_last_purchase_date",
    "rfm_frequency",
    "rfm_monetary",
    "rfm_recency_score",
    "rfm_frequency_score",
    "rfm_monetary_score",
    "rfm_score",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # RFM figures of the current company (company-dependent: one jsonb per
    # partner, a value per company; a shared customer has its own figures in
    # each company), written set-based by the RFM recompute (see
    # crm.segment.matrix). Only the scores are indexed (Odoo's default for a
    # company-dependent field): the figures change with every purchase, and a
    # row whose indexed columns do not change is updated on its page (HOT).
    rfm_last_purchase_date = fields.Date(
        string="Last Purchase (RFM)",
        company_dependent=True,
        readonly=True,
        index=False,
        help="The customer's last purchase from the company in the RFM look-back "
        "window.",
        groups="base.group_user",
        prefetch="segmentation",
    )
    # derived from the date, not stored: stored, it would change every day for
    # every customer (and the nightly job rewrite every partner row)
    rfm_recency_days = fields.Integer(
        string="Recency (days)",
        compute="_compute_rfm_recency_days",
        search=search_by_sql("rfm_recency_days"),
        help="Days since the customer's last purchase from the company in the RFM "
        "look-back window.",
        groups="base.group_user",
    )
    rfm_frequency = fields.Integer(
        string="Frequency",
        company_dependent=True,
        readonly=True,
        index=False,
        help="Number of purchases from the company in the RFM look-back window.",
        groups="base.group_user",
        prefetch="segmentation",
    )
    # a Float shown as money (Odoo has no company-dependent Monetary field), in
    # the currency of the company
    rfm_monetary = fields.Float(
        string="Monetary",
        company_dependent=True,
        readonly=True,
        index=False,
        help="Total purchased from the company, net of refunds, in the RFM "
        "look-back window, in the company's currency.",
        groups=MONEY_GROUPS,
        prefetch="segmentation",
    )
    rfm_recency_score = fields.Integer(
        string="R score",
        company_dependent=True,
        readonly=True,
        groups="base.group_user",
        prefetch="segmentation",
    )
    rfm_frequency_score = fields.Integer(
        string="F score",
        company_dependent=True,
        readonly=True,
        groups="base.group_user",
        prefetch="segmentation",
    )
    rfm_monetary_score = fields.Integer(
        string="M score",
        company_dependent=True,
        readonly=True,
        groups="base.group_user",
        prefetch="segmentation",
    )
    rfm_score = fields.Char(
        string="RFM score",
        company_dependent=True,
        readonly=True,
        help="Recency, frequency and monetary scores from 1 to 5, e.g. 555.",
        groups="base.group_user",
        prefetch="segmentation",
    )
    # Predictions of the company's customer value model (crm.clv.model).
    clv_probability_alive = fields.Float(
        string="Probability alive",
        digits=(16, 4),
        readonly=True,
        compute="_compute_clv_prediction",
        inverse="_inverse_clv_prediction",
        search=search_by_sql("clv_probability_alive"),
        help="Probability that the customer is still active (BG/NBD model).",
        groups="base.group_user",
    )
    clv_expected_purchases = fields.Float(
        string="Expected purchases",
        digits=(16, 2),
        readonly=True,
        compute="_compute_clv_prediction",
        inverse="_inverse_clv_prediction",
        search=search_by_sql("clv_expected_purchases"),
        help="Purchases the customer is expected to make over the model's horizon.",
        groups="base.group_user",
    )
    clv_value = fields.Monetary(
        string="Predicted value",
        currency_field="lifecycle_currency_id",
        readonly=True,
        compute="_compute_clv_prediction",
        inverse="_inverse_clv_prediction",
        search=search_by_sql("clv_value"),
        help="Discounted value the customer is expected to bring over the "
        "model's horizon.",
        groups=MONEY_GROUPS,
    )
    # Segments
    segment_membership_ids = fields.One2many(
        "crm.segment.membership",
        "partner_id",
        string="Segments",
        groups=SALES_OR_ACCOUNTING,
    )
    segment_attribute_value_ids = fields.Many2many(
        "crm.segment.attribute.value",
        "crm_segment_attribute_value_res_partner_rel",
        "partner_id",
        "value_id",
        string="Profile Attributes",
        help="Characteristics of the customer Odoo has no field for (education, "
        "income band, survey answers...), usable in segmentation levels.",
        groups=SALES_OR_ACCOUNTING,
    )

    @api.model
    def _lifecycle_guarded_prefixes(self):
        """Scores, predictions and segments judge the customer too: a
        salesperson with "own documents only" knows them of its own customers
        only (see crm_lifecycle's need to know)."""
        return super()._lifecycle_guarded_prefixes() + ("rfm_", "clv_", "segment_")

    @api.depends("rfm_last_purchase_date")
    @api.depends_context("company")
    def _compute_rfm_recency_days(self):
        today = fields.Date.context_today(self)
        for partner in self:
            last = partner.rfm_last_purchase_date
            partner.rfm_recency_days = (today - last).days if last else 0

    def _field_to_sql(self, alias, field_expr, query=None):
        """The module's fields read in SQL, in one override (it runs for every
        column of every fetch of a partner): the recency, and the predictions
        (``_clv_prediction_to_sql``)."""
        if field_expr in PREDICTION_COLUMNS:
            return self._clv_prediction_to_sql(alias, field_expr, query)
        if field_expr != "rfm_recency_days":
            return super()._field_to_sql(alias, field_expr, query)
        self._check_field_access(self._fields[field_expr], "read")
        return SQL(
            "COALESCE(%s - %s, 0)",
            fields.Date.context_today(self),
            self._field_to_sql(alias, "rfm_last_purchase_date", query),
        )

    # ------------------------------------------------------------------
    # RFM
    # ------------------------------------------------------------------

    @api.model
    def _rfm_documents_query(self, company, date_from, date_to):
        """(partner_id, day, is_purchase, amount) of the company's purchases in
        the window, in the company currency, after its RFM source: posted
        customer invoices and credit notes (untaxed, signed), or confirmed sale
        orders (untaxed, converted with the order's rate) together with the
        invoices and credit notes made without a sale order, so that a customer
        invoiced directly is a buyer under either source."""
        if company.rfm_source == "order":
            return SQL(
                "%s UNION ALL %s",
                self._rfm_orders_query(company, date_from, date_to),
                self._rfm_invoices_query(
                    company, date_from, date_to, without_order=True
                ),
            )
        return self._rfm_invoices_query(company, date_from, date_to)

    @api.model
    def _rfm_orders_query(self, company, date_from, date_to):
        self.env["sale.order"].flush_model(
            [
                "partner_id",
                "company_id",
                "state",
                "date_order",
                "amount_untaxed",
                "currency_rate",
            ]
        )
        return SQL(
            """
            SELECT sp.commercial_partner_id AS partner_id,
                   so.date_order::date AS day, TRUE AS is_purchase,
                   so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                       AS amount
              FROM sale_order so
              JOIN res_partner sp ON sp.id = so.partner_id
             WHERE so.company_id = %(company)s
               AND so.state = 'sale'
               AND so.date_order >= %(date_from)s
               AND so.date_order < %(date_to)s
            """,
            company=company.id,
            date_from=date_from,
            date_to=date_to + timedelta(days=1),
        )

    @api.model
    def _rfm_invoices_query(self, company, date_from, date_to, without_order=False):
        """Posted customer invoices and credit notes of the window; with
        ``without_order``, only those none of whose lines comes from a sale
        order line (a credit note reversing an order's invoice keeps the
        links of its lines, so it is left out with the order's invoice)."""
        self.env["account.move"].flush_model(
            [
                "commercial_partner_id",
                "company_id",
                "state",
                "move_type",
                "invoice_date",
                "amount_untaxed_signed",
            ]
        )
        no_order = SQL()
        if without_order:
            self.env["account.move.line"].flush_model(["move_id", "sale_line_ids"])
            no_order = SQL(
                """
               AND NOT EXISTS (
                       SELECT 1
                         FROM account_move_line ml
                         JOIN sale_order_line_invoice_rel rel
                           ON rel.invoice_line_id = ml.id
                        WHERE ml.move_id = m.id)
                """
            )
        return SQL(
            """
            SELECT m.commercial_partner_id AS partner_id, m.invoice_date AS day,
                   m.move_type = 'out_invoice' AS is_purchase,
                   m.amount_untaxed_signed AS amount
              FROM account_move m
             WHERE m.company_id = %(company)s
               AND m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.invoice_date >= %(date_from)s
               AND m.invoice_date <= %(date_to)s
               %(no_order)s
            """,
            company=company.id,
            date_from=date_from,
            date_to=date_to,
            no_order=no_order,
        )

    @api.model
    def _rfm_compute(self, company=None):
        """Recency, frequency, monetary value and their 1-5 scores for every
        customer of the company, in one query and one UPDATE.

        - recency: days since the last purchase in the window (the date of the
          last purchase is stored, the days are derived from it);
        - frequency: days with a purchase in the window (purchases of the same
          day count once);
        - monetary: untaxed amount purchased in the window net of credit notes,
          in the company currency;
        - scores: quintiles (``percent_rank``, ties share their score), 5 for
          the most recent, most frequent and biggest customers.

        Customers without purchase in the window get zeros and no RFM score.
        The figures are the company's (company-dependent fields): its own
        partners and the shared ones (without company) that are customers of
        the company get the company's value; a shared customer keeps its
        figures in the other companies. Only the rows whose figures in the
        company change are written: from one day to the next, the customers
        who bought, whose purchases left the window or whose scores moved.
        """
        company = company or self.env.company
        today = fields.Date.context_today(self)
        date_from = today - timedelta(days=company.rfm_period_days - 1)
        self.flush_model(["commercial_partner_id", "company_id", *RFM_FIELDS])
        # the company's value of each figure, as Odoo reads it (the jsonb key)
        company_partners = self.sudo().with_company(company)
        rows = self.env.execute_query(
            SQL(
                """
            WITH doc AS (%(documents)s),
            agg AS (
                SELECT partner_id,
                       MAX(day) FILTER (WHERE is_purchase) AS last_purchase,
                       %(today)s - MAX(day) FILTER (WHERE is_purchase) AS recency,
                       COUNT(DISTINCT day) FILTER (WHERE is_purchase) AS frequency,
                       SUM(amount) AS monetary
                  FROM doc
              GROUP BY partner_id
                -- purchases all refunded: no purchase
                HAVING COUNT(*) FILTER (WHERE is_purchase) > 0 AND SUM(amount) > 0
            ),
            scored AS (
                SELECT partner_id, last_purchase, frequency, monetary,
                       LEAST(5, 1 + FLOOR(5 * percent_rank() OVER (
                           ORDER BY recency DESC)))::int AS r,
                       LEAST(5, 1 + FLOOR(5 * percent_rank() OVER (
                           ORDER BY frequency)))::int AS f,
                       LEAST(5, 1 + FLOOR(5 * percent_rank() OVER (
                           ORDER BY monetary)))::int AS m
                  FROM agg
            ),
            buyer AS (
                SELECT m.commercial_partner_id AS partner_id
                  FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                 UNION
                SELECT sp.commercial_partner_id
                  FROM sale_order so
                  JOIN res_partner sp ON sp.id = so.partner_id
                 WHERE so.company_id = %(company)s AND so.state = 'sale'
            ),
            scope AS (
                SELECT p.id, s.last_purchase, s.frequency, s.monetary,
                       s.r, s.f, s.m
                  FROM res_partner p
             LEFT JOIN scored s ON s.partner_id = p.id
             LEFT JOIN buyer b ON b.partner_id = p.id
                 WHERE p.id = p.commercial_partner_id
                   AND (p.company_id = %(company)s
                        OR (p.company_id IS NULL
                            AND (s.partner_id IS NOT NULL
                                 OR b.partner_id IS NOT NULL)))
            ),
            updated AS (%(update)s)
            SELECT (SELECT COUNT(*) FROM scored), (SELECT COUNT(*) FROM updated),
                   (SELECT COUNT(*) FROM (%(future)s) future)
            """,
                documents=self._rfm_documents_query(company, date_from, today),
                future=self._rfm_documents_query(
                    company, today + timedelta(days=1), date(9999, 12, 30)
                ),
                today=today,
                company=company.id,
                update=update_company_changed(
                    self._table,
                    SQL("SELECT * FROM scope"),
                    "id",
                    {
                        fname: (company_partners._field_to_sql("t", fname), value)
                        for fname, value in self._rfm_values().items()
                    },
                    company.id,
                ),
            )
        )
        self.invalidate_model([*RFM_FIELDS, "rfm_recency_days"])
        scored, updated, future = rows[0]
        if future:
            _logger.warning(
                "RFM of %s: %s documents dated in the future were ignored",
                company.name,
                future,
            )
        return {"scored": scored, "updated": updated, "future": future}

    @api.model
    def _rfm_values(self):
        """{field: SQL on the ``scope`` row ``v``} the RFM recompute writes,
        the company's value of each company-dependent field."""
        return {
            "rfm_last_purchase_date": SQL("v.last_purchase"),
            "rfm_frequency": SQL("COALESCE(v.frequency, 0)"),
            "rfm_monetary": SQL("COALESCE(v.monetary, 0)"),
            "rfm_recency_score": SQL("COALESCE(v.r, 0)"),
            "rfm_frequency_score": SQL("COALESCE(v.f, 0)"),
            "rfm_monetary_score": SQL("COALESCE(v.m, 0)"),
            "rfm_score": SQL("v.r::text || v.f::text || v.m::text"),
        }

    def action_segment_schedule_activity(self):
        """Schedule an activity on the selected customers (the mail wizard, in
        batch mode)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Schedule an Activity"),
            "res_model": "mail.activity.schedule",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "res.partner",
                "active_ids": self.ids,
                "default_res_model": "res.partner",
            },
        }
