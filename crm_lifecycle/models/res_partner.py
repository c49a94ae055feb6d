# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import json
import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2.errors
from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

# Behaviour facts: stored, computed together by one set-based method.
FACT_FIELDS = (
    "lifecycle_first_sale_date",
    "lifecycle_last_sale_date",
    "lifecycle_order_count",
    "lifecycle_open_quotation_count",
    "lifecycle_invoiced_amount",
    "lifecycle_paid_amount",
    "lifecycle_last_payment_date",
    "lifecycle_open_opportunity_count",
    "lifecycle_lead_probability",
    "lifecycle_last_interaction_date",
    "lifecycle_interaction_count",
    "lifecycle_receivable_amount",
    "lifecycle_overdue_amount",
    "lifecycle_disputed_amount",
    "lifecycle_oldest_overdue_date",
    "lifecycle_avg_days_to_pay",
    "lifecycle_last_collection_date",
    "lifecycle_broken_promise_count",
)
# The document models each fact source reads (flushed before reading them).
GROUP_SOURCES = {
    "sales": ("res.partner", "sale.order"),
    "invoices": ("res.partner", "account.move"),
    "payments": ("res.partner", "account.payment"),
    "leads": ("res.partner", "crm.lead"),
    "interactions": ("crm.interaction",),
    "receivables": ("res.partner", "account.move", "account.move.line"),
    "days_to_pay": (
        "account.move",
        "account.payment",
        "account.move.line",
        "account.partial.reconcile",
    ),
}
# Facts by source, and which sources each event can change: an event only
# re-reads its sources (one query each), the nightly job re-reads everything.
FACT_GROUPS = {
    "sales": (
        "lifecycle_first_sale_date",
        "lifecycle_last_sale_date",
        "lifecycle_order_count",
        "lifecycle_open_quotation_count",
    ),
    "invoices": ("lifecycle_invoiced_amount",),
    "payments": ("lifecycle_paid_amount", "lifecycle_last_payment_date"),
    "leads": ("lifecycle_open_opportunity_count", "lifecycle_lead_probability"),
    "interactions": (
        "lifecycle_last_interaction_date",
        "lifecycle_interaction_count",
        "lifecycle_last_collection_date",
        "lifecycle_broken_promise_count",
    ),
    "receivables": (
        "lifecycle_receivable_amount",
        "lifecycle_overdue_amount",
        "lifecycle_disputed_amount",
        "lifecycle_oldest_overdue_date",
    ),
    "days_to_pay": ("lifecycle_avg_days_to_pay",),
}
EVENT_FACTS = {
    "lead_created": ("leads", "interactions"),
    "lead_won": ("leads",),
    "lead_lost": ("leads",),
    "quotation_sent": ("sales", "interactions"),
    "order_confirmed": ("sales", "interactions"),
    "invoice_posted": ("invoices", "receivables", "interactions"),
    "payment_received": ("payments", "receivables", "days_to_pay", "interactions"),
    "delivery_done": ("interactions",),
    "interaction_logged": ("interactions",),
}
# Non-stored facts rules may use, and the stored fact they follow.
DERIVED_FACTS = {
    "lifecycle_days_since_purchase": "lifecycle_last_sale_date",
    "lifecycle_days_since_first_purchase": "lifecycle_first_sale_date",
    "lifecycle_overdue_days": "lifecycle_oldest_overdue_date",
}
# Events evaluate rules in Python for up to this many customers, in SQL beyond.
PYTHON_MATCH_LIMIT = 50
# Document fields the facts are read from (flushed before the SQL queries).
FACT_SOURCES = (
    ("res.partner", ["commercial_partner_id"]),
    ("sale.order", ["partner_id", "company_id", "state", "date_order"]),
    (
        "account.move",
        [
            "partner_id",
            "commercial_partner_id",
            "company_id",
            "state",
            "move_type",
            "amount_untaxed_signed",
            "payment_state",
            "invoice_date",
        ],
    ),
    (
        "account.payment",
        [
            "partner_id",
            "company_id",
            "state",
            "date",
            "payment_type",
            "partner_type",
            "amount_company_currency_signed",
        ],
    ),
    (
        "crm.lead",
        ["partner_id", "company_id", "active", "won_status", "probability"],
    ),
    (
        "crm.interaction",
        [
            "partner_id",
            "company_id",
            "date",
            "interaction_type",
            "promise_state",
            "promise_date",
        ],
    ),
    (
        "account.move.line",
        [
            "partner_id",
            "company_id",
            "account_id",
            "parent_state",
            "reconciled",
            "amount_residual",
            "date_maturity",
            "no_followup",
        ],
    ),
    ("account.partial.reconcile", ["debit_move_id", "max_date"]),
)
# Fields whose manual change needs sales rights.
PROTECTED_FIELDS = ("lifecycle_stage_id", "lifecycle_locked")
SALESMAN_GROUP = "sales_team.group_sale_salesman"
# Personal data cleared by the anonymisation of a customer and its contacts.
# Company names, tax ids and countries stay: accounting documents need them.
PERSONAL_FIELDS = (
    "email",
    "phone",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "website",
    "comment",
    "function",
    "image_1920",
)


class FactCollector:
    """Reads the behaviour facts of many commercial partners in one query, a
    part per document table, grouped by partner and company (see
    ``ResPartner._compute_lifecycle_facts``).

    Each group of facts has a ``query_<group>`` returning (commercial partner
    id, company id, *values) and a ``collect_<group>`` reading those rows."""

    # the number of values of each group's query, after partner and company
    WIDTHS = {
        "sales": 4,
        "invoices": 1,
        "payments": 2,
        "leads": 2,
        "interactions": 4,
        "receivables": 4,
        "days_to_pay": 2,
    }

    def __init__(self, env, partners, facts):
        self.env = env
        self.ids = partners.ids
        self.by_id = {partner.id: partner for partner in partners}
        self.facts = facts
        self.today = fields.Date.context_today(partners)
        self.currencies = {}
        self.rates = {}

    def collect(self, groups, one_query=False):
        """Read the groups of facts, one query each, or with ``one_query`` (the
        few customers of an event) all in one round trip: each group's query
        a CTE, their rows joined on (partner, company). Batches of thousands
        keep a query per group, which PostgreSQL plans better alone."""
        groups = list(groups)
        if len(groups) == 1 or not one_query:
            for group in groups:
                query = getattr(self, f"query_{group}")()
                getattr(self, f"collect_{group}")(
                    self.rows(self.env.execute_query(query))
                )
            return
        ctes, columns, joins, keys = [], [], [], []
        for index, group in enumerate(groups):
            name = SQL.identifier(f"facts_{index}")
            values = [SQL.identifier(f"v{n}") for n in range(self.WIDTHS[group])]
            ctes.append(
                SQL(
                    "%s (pid, cid, %s) AS (%s)",
                    name,
                    SQL(", ").join(values),
                    getattr(self, f"query_{group}")(),
                )
            )
            keys.append(SQL("SELECT pid, COALESCE(cid, 0) AS cid FROM %s", name))
            columns.append(SQL("%s.pid IS NOT NULL", name))
            columns.extend(SQL("%s.%s", name, value) for value in values)
            joins.append(
                SQL(
                    "LEFT JOIN %s ON %s.pid = k.pid AND COALESCE(%s.cid, 0) = k.cid",
                    name,
                    name,
                    name,
                )
            )
        query = SQL(
            "WITH %s, keys AS (%s) SELECT k.pid, NULLIF(k.cid, 0), %s FROM keys k %s",
            SQL(", ").join(ctes),
            SQL(" UNION ").join(keys),
            SQL(", ").join(columns),
            SQL(" ").join(joins),
        )
        group_rows = {group: [] for group in groups}
        for partner_id, company_id, *values in self.env.execute_query(query):
            offset = 0
            for group in groups:
                width = self.WIDTHS[group]
                if values[offset]:
                    group_rows[group].append(
                        (
                            partner_id,
                            company_id,
                            *values[offset + 1 : offset + 1 + width],
                        )
                    )
                offset += 1 + width
        for group in groups:
            getattr(self, f"collect_{group}")(self.rows(group_rows[group]))

    def rows(self, rows):
        """(partner, company_id, values) for rows of (commercial partner id,
        company id, *values); a partner that belongs to a company only counts
        that company's documents."""
        for partner_id, company_id, *values in rows:
            partner = self.by_id[partner_id]
            if (
                partner.company_id
                and company_id
                and company_id != partner.company_id.id
            ):
                continue
            yield partner, company_id, values

    def convert(self, amount, company_id, partner):
        """Amount in a document company's currency -> partner's facts currency."""
        if company_id not in self.currencies:
            self.currencies[company_id] = (
                self.env["res.company"].sudo().browse(company_id).currency_id
            )
        source = self.currencies[company_id]
        target = partner.lifecycle_currency_id
        if not amount or source == target:
            return amount or 0.0
        key = (source.id, target.id)
        if key not in self.rates:
            self.rates[key] = source._get_conversion_rate(
                source, target, self.env["res.company"].browse(company_id), self.today
            )
        return amount * self.rates[key]

    @staticmethod
    def keep(values, fname, value, pick):
        """Combine a value with the one already collected (min/max)."""
        if not value:
            return
        current = values[fname]
        values[fname] = value if not current else pick(current, value)

    def query_sales(self):
        return SQL(
            """
            SELECT p.commercial_partner_id, so.company_id,
                   MIN(so.date_order) FILTER (WHERE so.state = 'sale'),
                   MAX(so.date_order) FILTER (WHERE so.state = 'sale'),
                   COUNT(*) FILTER (WHERE so.state = 'sale'),
                   COUNT(*) FILTER (WHERE so.state = 'sent')
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE p.commercial_partner_id = ANY(%s)
               AND so.state IN ('sale', 'sent')
          GROUP BY 1, 2
            """,
            self.ids,
        )

    def collect_sales(self, rows):
        for partner, _company, (first, last, orders, quotes) in rows:
            values = self.facts[partner]
            if first:
                self.keep(values, "lifecycle_first_sale_date", first.date(), min)
                self.keep(values, "lifecycle_last_sale_date", last.date(), max)
            values["lifecycle_order_count"] += orders
            values["lifecycle_open_quotation_count"] += quotes

    def query_invoices(self):
        return SQL(
            """
            SELECT p.commercial_partner_id, move.company_id,
                   SUM(move.amount_untaxed_signed)
              FROM account_move move
              -- through the (indexed) partner: no index on commercial_partner_id
              JOIN res_partner p ON p.id = move.partner_id
             WHERE p.commercial_partner_id = ANY(%s)
               AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
          GROUP BY 1, 2
            """,
            self.ids,
        )

    def collect_invoices(self, rows):
        for partner, company_id, (invoiced,) in rows:
            self.facts[partner]["lifecycle_invoiced_amount"] += self.convert(
                invoiced, company_id, partner
            )

    def query_payments(self):
        # Payments rather than invoice residuals: since Odoo 18 a payment may have
        # no journal entry until the bank statement is reconciled.
        return SQL(
            """
            SELECT p.commercial_partner_id, pay.company_id,
                   SUM(pay.amount_company_currency_signed),
                   MAX(pay.date) FILTER (WHERE pay.payment_type = 'inbound')
              FROM account_payment pay
              JOIN res_partner p ON p.id = pay.partner_id
             WHERE p.commercial_partner_id = ANY(%s)
               AND pay.state IN ('in_process', 'paid')
               AND pay.partner_type = 'customer'
          GROUP BY 1, 2
            """,
            self.ids,
        )

    def collect_payments(self, rows):
        for partner, company_id, (collected, last_payment) in rows:
            values = self.facts[partner]
            values["lifecycle_paid_amount"] += self.convert(
                collected, company_id, partner
            )
            self.keep(values, "lifecycle_last_payment_date", last_payment, max)

    def query_leads(self):
        return SQL(
            """
            SELECT p.commercial_partner_id, lead.company_id, COUNT(*),
                   MAX(lead.probability)
              FROM crm_lead lead
              JOIN res_partner p ON p.id = lead.partner_id
             WHERE p.commercial_partner_id = ANY(%s)
               AND lead.active
               AND lead.won_status = 'pending'
          GROUP BY 1, 2
            """,
            self.ids,
        )

    def collect_leads(self, rows):
        for partner, _company, (count, probability) in rows:
            values = self.facts[partner]
            values["lifecycle_open_opportunity_count"] += count
            self.keep(values, "lifecycle_lead_probability", probability, max)

    def query_interactions(self):
        return SQL(
            """
            SELECT partner_id, company_id, COUNT(*),
                   MAX(date) FILTER (WHERE date <= %(now)s),
                   MAX(date) FILTER (
                       WHERE interaction_type IN ('collection', 'payment_promise')
                   ),
                   COUNT(*) FILTER (
                       WHERE promise_state = 'broken' AND promise_date >= %(since)s
                   )
              FROM crm_interaction
             WHERE partner_id = ANY(%(ids)s)
          GROUP BY 1, 2
            """,
            now=fields.Datetime.now(),
            since=self.today - timedelta(days=365),
            ids=self.ids,
        )

    def collect_interactions(self, rows):
        for partner, _company, (count, last, collection, broken) in rows:
            values = self.facts[partner]
            values["lifecycle_interaction_count"] += count
            values["lifecycle_broken_promise_count"] += broken
            self.keep(values, "lifecycle_last_interaction_date", last, max)
            self.keep(values, "lifecycle_last_collection_date", collection, max)

    def query_receivables(self):
        """Open receivable items: total, past due (follow-up applies) and held
        out of follow-up on invoices (disputed), with the oldest due date."""
        return SQL(
            """
            SELECT p.commercial_partner_id, aml.company_id,
                   SUM(aml.amount_residual),
                   SUM(aml.amount_residual) FILTER (
                       WHERE aml.date_maturity < %(today)s
                         AND aml.no_followup IS NOT TRUE
                   ),
                   SUM(aml.amount_residual) FILTER (
                       WHERE aml.no_followup
                         AND move.move_type IN ('out_invoice', 'out_refund')
                   ),
                   MIN(aml.date_maturity) FILTER (
                       WHERE aml.date_maturity < %(today)s
                         AND aml.no_followup IS NOT TRUE
                         AND aml.amount_residual > 0
                   )
              FROM account_move_line aml
              JOIN account_account account ON account.id = aml.account_id
              JOIN account_move move ON move.id = aml.move_id
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE p.commercial_partner_id = ANY(%(ids)s)
               AND aml.parent_state = 'posted'
               AND account.account_type = 'asset_receivable'
               AND aml.reconciled IS NOT TRUE
               AND aml.amount_residual != 0
          GROUP BY 1, 2
            """,
            today=self.today,
            ids=self.ids,
        )

    def collect_receivables(self, rows):
        for partner, company_id, (total, overdue, disputed, oldest) in rows:
            values = self.facts[partner]
            values["lifecycle_receivable_amount"] += self.convert(
                total, company_id, partner
            )
            values["lifecycle_overdue_amount"] += self.convert(
                overdue, company_id, partner
            )
            values["lifecycle_disputed_amount"] += self.convert(
                disputed, company_id, partner
            )
            self.keep(values, "lifecycle_oldest_overdue_date", oldest, min)

    def query_days_to_pay(self):
        """Average days between the invoice date and its payment, over the
        invoices of the last 12 months that are paid (reconciled, or matched
        with a payment waiting for the bank)."""
        return SQL(
            """
            WITH paid AS (
                SELECT p.commercial_partner_id, move.company_id,
                       move.invoice_date,
                       GREATEST(
                           (SELECT MAX(apr.max_date)
                              FROM account_partial_reconcile apr
                              JOIN account_move_line line
                                ON line.id = apr.debit_move_id
                             WHERE line.move_id = move.id),
                           (SELECT MAX(pay.date)
                              FROM account_move__account_payment rel
                              JOIN account_payment pay ON pay.id = rel.payment_id
                             WHERE rel.invoice_id = move.id
                               AND pay.state IN ('in_process', 'paid'))
                       ) AS paid_date
                  FROM account_move move
                  JOIN res_partner p ON p.id = move.partner_id
                 WHERE p.commercial_partner_id = ANY(%(ids)s)
                   AND move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.payment_state IN ('paid', 'in_payment')
                   AND move.invoice_date >= %(since)s
            )
            SELECT commercial_partner_id, company_id,
                   SUM(GREATEST(paid_date - invoice_date, 0)), COUNT(*)
              FROM paid
             WHERE paid_date IS NOT NULL
          GROUP BY 1, 2
            """,
            ids=self.ids,
            since=self.today - timedelta(days=365),
        )

    def collect_days_to_pay(self, rows):
        totals = defaultdict(lambda: [0, 0])
        for partner, _company, (days, count) in rows:
            totals[partner][0] += days
            totals[partner][1] += count
        for partner, (days, count) in totals.items():
            self.facts[partner]["lifecycle_avg_days_to_pay"] = days / count


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "mail.tracking.duration.mixin"]
    _track_duration_field = "lifecycle_stage_id"

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------

    # Stage (on the commercial partner, copied to its contacts)
    lifecycle_stage_id = fields.Many2one(
        "crm.lifecycle.stage",
        tracking=True,
        index="btree_not_null",
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_lifecycle_stage_id",
        groups="base.group_user",
    )
    lifecycle_stage_kind = fields.Selection(
        related="lifecycle_stage_id.kind",
        string="Lifecycle Stage Kind",
        groups="base.group_user",
    )
    lifecycle_date_stage = fields.Datetime(
        string="In Stage Since",
        copy=False,
        readonly=True,
        groups="base.group_user",
    )
    lifecycle_locked = fields.Boolean(
        string="Lock Lifecycle Stage",
        copy=False,
        tracking=True,
        help="Locked customers keep their stage: rules never move them.",
        groups="base.group_user",
    )
    # the statusbar durations (from the tracking mixin) are for staff only
    duration_tracking = fields.Json(groups="base.group_user")
    lifecycle_history_ids = fields.One2many(
        "crm.lifecycle.history",
        "partner_id",
        groups="base.group_user",
    )
    lifecycle_interaction_ids = fields.One2many(
        "crm.interaction",
        "partner_id",
        string="Interaction Log",
        groups="base.group_user",
    )
    lifecycle_history_count = fields.Integer(
        compute="_compute_lifecycle_counts", groups="base.group_user"
    )
    lifecycle_interaction_count_all = fields.Integer(
        string="Timeline Entries",
        compute="_compute_lifecycle_counts",
        groups="base.group_user",
    )

    # Behaviour facts (commercial partners only; recomputed by events and nightly)
    lifecycle_currency_id = fields.Many2one(
        "res.currency",
        string="Facts Currency",
        compute="_compute_lifecycle_currency_id",
        store=True,
        groups="base.group_user",
    )
    lifecycle_first_sale_date = fields.Date(
        string="First Sale",
        compute="_compute_lifecycle_facts",
        store=True,
        help="Date of the first confirmed sale order.",
        groups="base.group_user",
    )
    lifecycle_last_sale_date = fields.Date(
        string="Last Sale",
        compute="_compute_lifecycle_facts",
        store=True,
        help="Date of the last confirmed sale order.",
        groups="base.group_user",
    )
    lifecycle_order_count = fields.Integer(
        string="Confirmed Orders",
        compute="_compute_lifecycle_facts",
        store=True,
        groups="base.group_user",
    )
    lifecycle_open_quotation_count = fields.Integer(
        string="Quotations Sent",
        compute="_compute_lifecycle_facts",
        store=True,
        help="Quotations sent to the customer and not confirmed yet.",
        groups="base.group_user",
    )
    lifecycle_invoiced_amount = fields.Monetary(
        string="Invoiced (Net)",
        currency_field="lifecycle_currency_id",
        compute="_compute_lifecycle_facts",
        store=True,
        help="Posted customer invoices minus credit notes, untaxed, in the "
        "currency of the customer's company.",
        groups="base.group_user",
    )
    lifecycle_paid_amount = fields.Monetary(
        string="Collected",
        currency_field="lifecycle_currency_id",
        compute="_compute_lifecycle_facts",
        store=True,
        help="Customer payments received (taxes included), minus the refunds "
        "paid back to the customer.",
        groups="base.group_user",
    )
    lifecycle_last_payment_date = fields.Date(
        string="Last Payment",
        compute="_compute_lifecycle_facts",
        store=True,
        groups="base.group_user",
    )
    lifecycle_open_opportunity_count = fields.Integer(
        string="Open Opportunities",
        compute="_compute_lifecycle_facts",
        store=True,
        help="Open (neither won nor lost) leads and opportunities.",
        groups="base.group_user",
    )
    lifecycle_lead_probability = fields.Float(
        string="Best Probability",
        compute="_compute_lifecycle_facts",
        store=True,
        help="Highest probability among the open leads and opportunities.",
        groups="base.group_user",
    )
    lifecycle_last_interaction_date = fields.Datetime(
        string="Last Interaction",
        compute="_compute_lifecycle_facts",
        store=True,
        groups="base.group_user",
    )
    lifecycle_interaction_count = fields.Integer(
        string="Interactions",
        compute="_compute_lifecycle_facts",
        store=True,
        groups="base.group_user",
    )
    # Collections (receivable facts are refreshed by invoices, payments and
    # reconciliations, and every night)
    lifecycle_receivable_amount = fields.Monetary(
        string="Receivable",
        currency_field="lifecycle_currency_id",
        compute="_compute_lifecycle_facts",
        store=True,
        groups="base.group_user",
        help="Open receivable items of the customer (invoices, credit notes, "
        "payments not yet matched).",
    )
    lifecycle_overdue_amount = fields.Monetary(
        string="Overdue",
        currency_field="lifecycle_currency_id",
        compute="_compute_lifecycle_facts",
        store=True,
        groups="base.group_user",
        help="Open receivable items past their due date, without the items "
        "held out of follow-up (disputed invoices).",
    )
    lifecycle_disputed_amount = fields.Monetary(
        string="Disputed",
        currency_field="lifecycle_currency_id",
        compute="_compute_lifecycle_facts",
        store=True,
        groups="base.group_user",
        help="Open amount of the invoices held out of follow-up, e.g. while a "
        "complaint about them is open.",
    )
    lifecycle_oldest_overdue_date = fields.Date(
        string="Oldest Overdue Due Date",
        compute="_compute_lifecycle_facts",
        store=True,
        groups="base.group_user",
    )
    lifecycle_overdue_days = fields.Integer(
        string="Days Overdue",
        compute="_compute_lifecycle_days",
        groups="base.group_user",
        help="Days since the due date of the oldest overdue item.",
    )
    lifecycle_avg_days_to_pay = fields.Float(
        string="Average Days to Pay",
        compute="_compute_lifecycle_facts",
        store=True,
        digits=(16, 1),
        groups="base.group_user",
        help="Average days between the invoice date and the payment, over the "
        "invoices of the last 12 months that are paid.",
    )
    lifecycle_last_collection_date = fields.Datetime(
        string="Last Collection Contact",
        compute="_compute_lifecycle_facts",
        store=True,
        groups="base.group_user",
    )
    lifecycle_broken_promise_count = fields.Integer(
        string="Broken Promises",
        compute="_compute_lifecycle_facts",
        store=True,
        groups="base.group_user",
        help="Payment promises broken in the last 12 months.",
    )
    lifecycle_deliveries_in_progress = fields.Integer(
        string="Deliveries in Progress",
        compute="_compute_lifecycle_deliveries",
        compute_sudo=True,
        groups="base.group_user",
    )
    lifecycle_summary_html = fields.Html(
        string="Customer Summary",
        compute="_compute_lifecycle_summary_html",
        sanitize=False,
        groups="base.group_user",
    )
    # Data protection
    lifecycle_marketing_consent = fields.Selection(
        [
            ("unknown", "Not asked"),
            ("granted", "Granted"),
            ("refused", "Refused"),
            ("withdrawn", "Withdrawn"),
        ],
        string="Marketing Consent",
        default="unknown",
        tracking=True,
        copy=False,
        groups="base.group_user",
        help="Refused or withdrawn consent also puts the e-mail address on the "
        "mailing blacklist.",
    )
    lifecycle_consent_date = fields.Datetime(
        string="Consent Updated On", copy=False, readonly=True, groups="base.group_user"
    )
    lifecycle_legal_basis = fields.Selection(
        [
            ("consent", "Consent"),
            ("contract", "Contract"),
            ("legitimate_interest", "Legitimate interest"),
            ("legal_obligation", "Legal obligation"),
        ],
        string="Legal Basis",
        tracking=True,
        groups="base.group_user",
        help="Why the company may process this customer's personal data.",
    )
    lifecycle_consent_source = fields.Char(
        string="Consent Source",
        groups="base.group_user",
        help="How and where the consent was given (web form, signed order...).",
    )
    lifecycle_is_data_custodian = fields.Boolean(
        compute="_compute_lifecycle_is_data_custodian", groups="base.group_user"
    )
    lifecycle_days_since_purchase = fields.Integer(
        string="Days Since Last Purchase",
        compute="_compute_lifecycle_days",
        search="_search_lifecycle_days_since_purchase",
        groups="base.group_user",
    )
    lifecycle_days_since_first_purchase = fields.Integer(
        string="Days Since First Purchase",
        compute="_compute_lifecycle_days",
        search="_search_lifecycle_days_since_first_purchase",
        groups="base.group_user",
    )
    lifecycle_facts_date = fields.Date(
        string="Facts Checked On",
        copy=False,
        readonly=True,
        help="Day the nightly lifecycle job last refreshed this customer.",
        groups="base.group_user",
    )

    # ------------------------------------------------------------------
    # COMPUTE / SEARCH
    # ------------------------------------------------------------------

    @api.model
    def _read_group_lifecycle_stage_id(self, stages, domain):
        return stages.search([])

    def _compute_lifecycle_counts(self):
        commercial_ids = self.commercial_partner_id.ids
        history = dict(
            self.env["crm.lifecycle.history"]._read_group(
                [("partner_id", "in", commercial_ids)], ["partner_id"], ["__count"]
            )
        )
        interactions = dict(
            self.env["crm.interaction"]._read_group(
                [("partner_id", "in", commercial_ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.lifecycle_history_count = history.get(commercial, 0)
            partner.lifecycle_interaction_count_all = interactions.get(commercial, 0)

    def _compute_duration_tracking(self):
        """Time spent in each lifecycle stage, from the lifecycle history.

        Overrides the mixin (which reads tracking values) because the history is
        the authoritative record of the moves, including moves logged in batch.
        One query for all partners.
        """
        commercial = self.commercial_partner_id.filtered("id")
        durations = defaultdict(dict)
        if commercial:
            self.env["crm.lifecycle.history"].flush_model(
                ["partner_id", "stage_to_id", "date", "date_end"]
            )
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT partner_id, stage_to_id,
                           SUM(EXTRACT(EPOCH FROM COALESCE(date_end, %(now)s) - date))
                      FROM crm_lifecycle_history
                     WHERE partner_id = ANY(%(ids)s)
                  GROUP BY partner_id, stage_to_id
                    """,
                    now=fields.Datetime.now(),
                    ids=commercial.ids,
                )
            )
            for partner_id, stage_id, seconds in rows:
                durations[partner_id][str(stage_id)] = int(seconds or 0)
        for partner in self:
            partner.duration_tracking = durations.get(
                partner.commercial_partner_id.id, {}
            )

    @api.depends(
        "commercial_partner_id.lifecycle_last_sale_date",
        "commercial_partner_id.lifecycle_first_sale_date",
        "commercial_partner_id.lifecycle_oldest_overdue_date",
    )
    def _compute_lifecycle_days(self):
        today = fields.Date.context_today(self)
        for partner in self:
            commercial = partner.commercial_partner_id
            last = commercial.lifecycle_last_sale_date
            first = commercial.lifecycle_first_sale_date
            oldest = commercial.lifecycle_oldest_overdue_date
            partner.lifecycle_days_since_purchase = (today - last).days if last else 0
            partner.lifecycle_days_since_first_purchase = (
                (today - first).days if first else 0
            )
            partner.lifecycle_overdue_days = (today - oldest).days if oldest else 0

    def _compute_lifecycle_deliveries(self):
        """Outgoing deliveries not done yet, per commercial partner (one query)."""
        commercial = self.commercial_partner_id.filtered("id")
        counts = {}
        if commercial:
            counts = dict(
                self.env["stock.picking"]._read_group(
                    [
                        ("partner_id", "child_of", commercial.ids),
                        ("picking_type_code", "=", "outgoing"),
                        ("state", "in", ("waiting", "confirmed", "assigned")),
                    ],
                    ["partner_id"],
                    ["__count"],
                )
            )
        totals = defaultdict(int)
        for contact, count in counts.items():
            totals[contact.commercial_partner_id.id] += count
        for partner in self:
            partner.lifecycle_deliveries_in_progress = totals.get(
                partner.commercial_partner_id.id, 0
            )

    @api.model
    def _lifecycle_summary_rights(self):
        """What the current user's departments may see in the summary."""
        user = self.env.user
        sales = user.has_group(SALESMAN_GROUP)
        accounting = user.has_group("account.group_account_invoice")
        stock = user.has_group("stock.group_stock_user")
        return {
            "sales": sales,
            "accounting": accounting,
            "stock": stock,
            "show_payments": sales or accounting,
            "show_relationship": sales or accounting,
            "show_deliveries": sales or accounting or stock,
        }

    def _lifecycle_summary_values(self, rights):
        """Values of the customer summary, per partner (called as superuser, for
        all the partners at once): other addons add theirs, see
        readme/DEVELOP.md."""
        return {
            partner: dict(rights, partner=partner.commercial_partner_id)
            for partner in self
        }

    @api.depends_context("uid")
    def _compute_lifecycle_summary_html(self):
        """A compact summary of the customer for every department, within its
        rights: the values are read as superuser, the sections shown depend on
        the user's groups."""
        rights = self._lifecycle_summary_rights()
        customers = self.commercial_partner_id.sudo()
        customers.mapped("lifecycle_stage_id")  # prefetch everything at once
        values = self.sudo()._lifecycle_summary_values(rights)
        qweb = self.env["ir.qweb"]
        for partner in self:
            partner.lifecycle_summary_html = qweb._render(
                "crm_lifecycle.customer_summary", values[partner.sudo()]
            )

    def _search_lifecycle_days(self, date_field, operator, value):
        """Days since a date -> condition on the date; customers who never
        bought match no condition."""
        today = fields.Date.context_today(self)
        if operator in ("in", "not in"):
            dates = [today - timedelta(days=int(v)) for v in value if v is not False]
            domain = Domain(date_field, "in", dates)
            return domain if operator == "in" else ~domain
        inverse = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
        if operator not in inverse:
            return NotImplemented
        # more days since the date <=> an earlier date
        return Domain(date_field, inverse[operator], today - timedelta(days=int(value)))

    def _search_lifecycle_days_since_purchase(self, operator, value):
        return self._search_lifecycle_days(
            "commercial_partner_id.lifecycle_last_sale_date", operator, value
        )

    def _search_lifecycle_days_since_first_purchase(self, operator, value):
        return self._search_lifecycle_days(
            "commercial_partner_id.lifecycle_first_sale_date", operator, value
        )

    @api.depends("company_id")
    def _compute_lifecycle_currency_id(self):
        main_company = self.env["res.company"].sudo().search([], order="id", limit=1)
        for partner in self:
            partner.lifecycle_currency_id = (
                partner.company_id.currency_id or main_company.currency_id
            )

    @api.depends()  # recomputed explicitly, see _lifecycle_refresh_facts
    def _compute_lifecycle_facts(self):
        """Behaviour facts of commercial partners, set-based.

        Plain SQL with FILTER aggregates: each document table is read once for
        all partners (sale orders, invoices, payments, leads, interactions),
        grouped by commercial partner and company; amounts are in the currency
        of each document's company and converted to the partner's facts
        currency (its company's, else the main company's). A partner that
        belongs to a company only counts that company's documents.
        """
        facts = {
            partner: {
                fname: self._lifecycle_fact_default(fname) for fname in FACT_FIELDS
            }
            for partner in self
        }
        commercial = self.filtered(lambda p: p.id and p.commercial_partner_id == p)
        if commercial:
            self._lifecycle_collect_facts(commercial, facts)
        for partner, values in facts.items():
            partner.update(values)

    @api.model
    def _lifecycle_collect_facts(self, partners, facts):
        for model, fnames in FACT_SOURCES:
            self.env[model].flush_model(fnames)
        FactCollector(self.env, partners, facts).collect(FACT_GROUPS)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "lifecycle_stage_id",
            "lifecycle_date_stage",
        ]

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "lifecycle_stage_id" in init_values and self.lifecycle_stage_id:
            return self.env.ref("crm_lifecycle.mt_partner_lifecycle_stage")
        return super()._track_subtype(init_values)

    @api.depends_context("uid", "company")
    def _compute_lifecycle_is_data_custodian(self):
        allowed = self._lifecycle_may_handle_personal_data()
        for partner in self:
            partner.lifecycle_is_data_custodian = allowed

    @api.model
    def _lifecycle_may_handle_personal_data(self):
        user = self.env.user
        return user.has_group("base.group_system") or (
            user in self.env.companies.lifecycle_data_custodian_id
        )

    def _lifecycle_check_custodian(self):
        if not self._lifecycle_may_handle_personal_data():
            raise AccessError(
                self.env._(
                    "Only the customer data custodian of the company (or an "
                    "administrator) can export or anonymize a customer's "
                    "personal data."
                )
            )

    def _lifecycle_check_manual_change(self, vals):
        """Stages are a sales decision: manual changes need sales rights."""
        if (
            self.env.su
            or self.env.context.get("lifecycle_move")
            or not any(fname in vals for fname in PROTECTED_FIELDS)
            or self.env.user.has_group(SALESMAN_GROUP)
        ):
            return
        raise AccessError(
            self.env._(
                "Only salespeople can change the lifecycle stage of a customer or "
                "lock it."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._lifecycle_check_manual_change(vals)
            if vals.get("lifecycle_stage_id"):
                vals.setdefault("lifecycle_date_stage", fields.Datetime.now())
        partners = super().create(vals_list)
        staged = partners.filtered(
            lambda p: p.lifecycle_stage_id and p.commercial_partner_id == p
        )
        if staged:
            staged._lifecycle_log_moves({p.id: False for p in staged})
        return partners

    def write(self, vals):
        if "lifecycle_marketing_consent" in vals:
            vals = dict(vals, lifecycle_consent_date=fields.Datetime.now())
            if not self.env.context.get("lifecycle_anonymizing"):
                self._lifecycle_sync_blacklist(vals["lifecycle_marketing_consent"])
        if "lifecycle_stage_id" not in vals:
            self._lifecycle_check_manual_change(vals)
            return super().write(vals)
        commercial = self.filtered(lambda p: p.commercial_partner_id == p)
        contacts = self - commercial
        if contacts:
            # Copy of the company's stage (commercial fields sync): not a move of
            # the contact's own, so neither history nor chatter.
            super(ResPartner, contacts.with_context(mail_notrack=True)).write(vals)
        if not commercial:
            return True
        commercial._lifecycle_check_manual_change(vals)
        stage_id = vals["lifecycle_stage_id"]
        stage = self.env["crm.lifecycle.stage"]
        if stage_id:
            # an id from the client (RPC): a stage that exists, nothing else
            # (automatic moves come from the rules, with a stage they read)
            if not isinstance(stage_id, int) or (
                not self.env.context.get("lifecycle_move")
                and not stage.browse(stage_id).exists()
            ):
                raise ValidationError(
                    self.env._("This lifecycle stage does not exist.")
                )
            stage = stage.browse(stage_id)
        moved = commercial.filtered(lambda p: p.lifecycle_stage_id != stage)
        previous = {partner.id: partner.lifecycle_stage_id.id for partner in moved}
        reasons = commercial._lifecycle_move_reasons()
        for partner in moved:
            if reasons.get(partner.id):
                partner._track_set_log_message(
                    Markup("<p>%s</p>") % reasons[partner.id]
                )
        if commercial - moved:
            super(ResPartner, commercial - moved).write(vals)
        if moved:
            super(ResPartner, moved).write(
                dict(
                    vals, lifecycle_date_stage=fields.Datetime.now() if stage else False
                )
            )
            moved._lifecycle_log_moves(previous)
        return True

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_view_lifecycle_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_lifecycle.crm_lifecycle_history_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_by_partner": False}
        return action

    def action_view_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_lifecycle.crm_interaction_action"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {
            "default_partner_id": customer.id,
            "default_contact_id": self.id if self != customer else False,
        }
        return action

    def action_log_interaction(self):
        """Open the quick-log dialog (two taps: button, save)."""
        self.ensure_one()
        customer = self.commercial_partner_id
        interaction_type = self.env.context.get("lifecycle_interaction_type", "call")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log an interaction"),
            "res_model": "crm.interaction",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("crm_lifecycle.crm_interaction_view_form_quick").id,
                    "form",
                )
            ],
            "target": "new",
            "context": {
                "default_partner_id": customer.id,
                "default_contact_id": self.id if self != customer else False,
                "default_interaction_type": interaction_type,
                "default_direction": "outbound",
            },
        }

    def action_lifecycle_refresh(self):
        """Recompute the facts and apply the rules now (button on the form)."""
        customers = self.commercial_partner_id
        customers.sudo()._lifecycle_refresh_facts()
        customers.filtered(
            lambda p: not p.lifecycle_locked
        ).sudo()._lifecycle_apply_rules()
        return True

    def action_lifecycle_export_personal_data(self):
        """Access request: everything the suite holds about the customer, as a
        JSON file attached to the customer, and a line in the register."""
        self.ensure_one()
        self._lifecycle_check_custodian()
        customer = self.commercial_partner_id.sudo()
        data = customer._lifecycle_personal_data()
        now = fields.Datetime.now()
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"personal-data-{customer.id}-{now:%Y%m%d%H%M%S}.json",
                    "mimetype": "application/json",
                    "datas": base64.b64encode(
                        json.dumps(
                            data, indent=2, ensure_ascii=False, default=str
                        ).encode()
                    ),
                    "res_model": "res.partner",
                    "res_id": customer.id,
                }
            )
        )
        self.env["crm.data.protection.log"].sudo().create(
            {
                "partner_id": customer.id,
                "partner_ref": customer.id,
                "action": "export",
                "attachment_id": attachment.id,
                "details": ", ".join(
                    f"{key}: {len(value)}"
                    for key, value in data.items()
                    if isinstance(value, list)
                ),
            }
        )
        customer.message_post(
            body=self.env._("Personal data exported (access request)."),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _lifecycle_personal_data(self):
        """What the suite holds about this (commercial) customer. Other addons
        add their records (complaints, segments) by extending the dict."""
        self.ensure_one()
        people = self | self.child_ids

        def partner_data(partner):
            return {
                "id": partner.id,
                "name": partner.name,
                "email": partner.email,
                "phone": partner.phone,
                "address": partner._display_address(without_company=True),
                "vat": partner.vat,
                "function": partner.function,
                "lang": partner.lang,
                "marketing_consent": partner.lifecycle_marketing_consent,
                "consent_date": partner.lifecycle_consent_date,
                "legal_basis": partner.lifecycle_legal_basis,
                "consent_source": partner.lifecycle_consent_source,
            }

        interactions = (
            self.env["crm.interaction"]
            .sudo()
            .search([("partner_id", "=", self.id)], order="date")
        )
        history = (
            self.env["crm.lifecycle.history"]
            .sudo()
            .search([("partner_id", "=", self.id)], order="date")
        )
        return {
            "exported_on": fields.Datetime.now(),
            "customer": partner_data(self),
            "contacts": [partner_data(contact) for contact in self.child_ids],
            "lifecycle": {
                "stage": self.lifecycle_stage_id.name,
                "in_stage_since": self.lifecycle_date_stage,
                "facts": {
                    fname: self[fname]
                    for fname in FACT_FIELDS
                    if fname != "lifecycle_currency_id"
                },
            },
            "lifecycle_history": [
                {
                    "date": move.date,
                    "from": move.stage_from_id.name,
                    "to": move.stage_to_id.name,
                    "trigger": move.trigger,
                    "reason": move.reason,
                }
                for move in history
            ],
            "interactions": [
                {
                    "date": interaction.date,
                    "type": interaction.interaction_type,
                    "summary": interaction.name,
                    "contact": interaction.contact_id.name,
                    "notes": interaction.description,
                    "document": interaction.source_name,
                    "promise_date": interaction.promise_date,
                    "promise_amount": interaction.promise_amount,
                }
                for interaction in interactions
            ],
            "sale_orders": [
                {
                    "name": order.name,
                    "date": order.date_order,
                    "state": order.state,
                    "amount_total": order.amount_total,
                }
                for order in self.env["sale.order"]
                .sudo()
                .search([("partner_id", "in", people.ids)], order="date_order")
            ],
            "invoices": [
                {
                    "name": move.name,
                    "date": move.invoice_date,
                    "state": move.state,
                    "amount_total": move.amount_total,
                }
                for move in self.env["account.move"]
                .sudo()
                .search(
                    [
                        ("commercial_partner_id", "=", self.id),
                        ("move_type", "in", ("out_invoice", "out_refund")),
                    ],
                    order="invoice_date",
                )
            ],
        }

    def action_lifecycle_anonymize(self):
        """Erasure request: remove the personal data of the customer, its
        contacts, interactions (and, in other addons, complaints). Accounting
        documents and the figures computed from them stay as they are."""
        self._lifecycle_check_custodian()
        for customer in self.commercial_partner_id.sudo():
            customer._lifecycle_anonymize()
        return True

    def _lifecycle_anonymize_blockers(self):
        """Reasons not to erase yet (a contract still running)."""
        self.ensure_one()
        reasons = []
        people = self | self.child_ids
        if self.lifecycle_receivable_amount:
            reasons.append(self.env._("the customer still has open receivable items"))
        running = (
            self.env["sale.order"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "in", people.ids),
                    ("state", "=", "sale"),
                    ("invoice_status", "=", "to invoice"),
                ]
            )
        )
        if running:
            reasons.append(self.env._("orders are still to be invoiced"))
        return reasons

    def _lifecycle_anonymize(self):
        self.ensure_one()
        reasons = self._lifecycle_anonymize_blockers()
        if reasons:
            raise UserError(
                self.env._(
                    "%(customer)s cannot be anonymized yet: %(reasons)s.",
                    customer=self.display_name,
                    reasons="; ".join(reasons),
                )
            )
        people = self | self.with_context(active_test=False).child_ids
        label = self.env._("Anonymized customer %(id)s", id=self.id)
        # Posted documents keep the customer name they were issued with.
        moves = (
            self.env["account.move"]
            .sudo()
            .search([("commercial_partner_id", "=", self.id), ("state", "=", "posted")])
        )
        field = moves._fields["invoice_partner_display_name"]
        values = dict.fromkeys(PERSONAL_FIELDS, False)
        values.update(
            lifecycle_marketing_consent="withdrawn",
            lifecycle_consent_source=False,
        )
        with self.env.protecting([field], moves):
            for person in people:
                person_values = dict(values)
                if not person.is_company:
                    person_values["name"] = (
                        label
                        if person == self
                        else self.env._("Contact %(id)s", id=person.id)
                    )
                    person_values["vat"] = False
                # no tracking: the old values would land in the chatter
                person.with_context(
                    lifecycle_anonymizing=True, tracking_disable=True, mail_notrack=True
                ).write(person_values)
        interactions = (
            self.env["crm.interaction"].sudo().search([("partner_id", "=", self.id)])
        )
        interactions.write(
            {
                "name": self.env._("Anonymized"),
                "description": False,
                "contact_id": False,
            }
        )
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "res.partner"), ("res_id", "in", people.ids)])
        )
        messages.unlink()
        details = self._lifecycle_anonymize_related()
        self.env["crm.data.protection.log"].sudo().create(
            {
                "partner_id": self.id,
                "partner_ref": self.id,
                "action": "anonymize",
                "details": "\n".join(
                    [
                        self.env._("contacts: %(count)s", count=len(people) - 1),
                        self.env._("interactions: %(count)s", count=len(interactions)),
                        self.env._("messages removed: %(count)s", count=len(messages)),
                        *details,
                    ]
                ),
            }
        )

    def _lifecycle_anonymize_related(self):
        """Hook: other addons anonymize their records about the customer and
        return lines for the register."""
        return []

    def _lifecycle_sync_blacklist(self, consent):
        """No marketing e-mails to whoever refused or withdrew consent."""
        blacklist = self.env["mail.blacklist"].sudo()
        label = dict(
            self._fields["lifecycle_marketing_consent"]._description_selection(self.env)
        ).get(consent)
        for partner in self.filtered("email"):
            if consent in ("refused", "withdrawn"):
                blacklist._add(
                    partner.email,
                    message=self.env._("Marketing consent %(consent)s", consent=label),
                )
            elif consent == "granted":
                blacklist._remove(
                    partner.email, message=self.env._("Marketing consent granted")
                )

    # ------------------------------------------------------------------
    # BUSINESS: facts, rules and moves
    # ------------------------------------------------------------------

    @api.model
    def _lifecycle_invalidate_summary(self):
        """The summary reads live values (deliveries in progress, complaints...)
        that no field dependency tracks: forget them when something happens to
        a customer, in this transaction's cache (no query)."""
        self.env["res.partner"].invalidate_model(
            ["lifecycle_deliveries_in_progress", "lifecycle_summary_html"]
        )
        for model in ("sale.order", "account.move", "stock.picking"):
            self.env[model].invalidate_model(["lifecycle_customer_summary"])

    def _lifecycle_customers(self):
        """The commercial partners of ``self`` that can have a lifecycle: active,
        saved, and neither a company of the database nor an internal user."""
        internal = self.env["crm.interaction"]._lifecycle_internal_partner_ids()
        return self.commercial_partner_id.filtered(
            lambda p: p.id and p.active and p.id not in internal
        )

    def _lifecycle_refresh_facts(self, groups=None, one_query=False):
        """Recompute the behaviour facts of these (commercial) partners now.

        :param groups: the fact sources to re-read (keys of FACT_GROUPS); all of
            them by default
        :param one_query: read the groups in one query (an event: a few
            customers, one round trip)
        :return: {partner id: names of the facts that changed} when ``groups``
            is given (an event), else None
        """
        if not self:
            return {} if groups is not None else None
        if groups is None:
            fact_fields = [self._fields[fname] for fname in FACT_FIELDS]
            for field in fact_fields:
                self.env.add_to_compute(field, self)
            self._recompute_recordset(FACT_FIELDS)
            # fields depending on the facts (days overdue, summary...) follow
            self.modified(FACT_FIELDS)
            return None
        # facts still to compute (customers created in this transaction) first:
        # writing some of them would cancel the computation of all
        self._recompute_recordset(FACT_FIELDS)
        fnames = [fname for group in groups for fname in FACT_GROUPS[group]]
        models_read = {model for group in groups for model in GROUP_SOURCES[group]}
        for model, model_fnames in FACT_SOURCES:
            if model in models_read:
                # an event: all the fields, so that the document's other pending
                # computations (statuses...) go in the same UPDATE, not a second
                self.env[model].flush_model(None if one_query else model_fnames)
        facts = {
            partner: {fname: self._lifecycle_fact_default(fname) for fname in fnames}
            for partner in self
        }
        FactCollector(self.env, self, facts).collect(groups, one_query=one_query)
        changed = {}
        for partner in self:
            values = {
                fname: value
                for fname, value in facts[partner].items()
                if fname in fnames
                and self._lifecycle_fact_differs(partner[fname], value)
            }
            if values:
                changed[partner] = values
        if changed:
            # Facts are computed fields: set them as their computation would,
            # without res.partner's write() (users, commercial sync to the
            # contacts... ~0.5 ms per customer on every event), then tell the
            # fields that depend on them.
            moved = self.browse([partner.id for partner in changed])
            fact_fields = [self._fields[fname] for fname in fnames]
            with self.env.protecting(fact_fields, moved):
                for partner, values in changed.items():
                    for fname, value in values.items():
                        partner[fname] = value
            moved.modified({fname for values in changed.values() for fname in values})
        return {partner.id: set(values) for partner, values in changed.items()}

    @api.model
    def _lifecycle_fact_default(self, fname):
        field = self._fields[fname]
        return (
            0.0
            if field.type in ("float", "monetary")
            else (0 if field.type == "integer" else False)
        )

    @staticmethod
    def _lifecycle_fact_differs(old, new):
        if isinstance(old, float) or isinstance(new, float):
            return abs((old or 0.0) - (new or 0.0)) > 1e-6
        return (old or False) != (new or False)

    def _lifecycle_trigger_event(self, event_code, records=None):
        """Something happened to these customers: refresh their facts and apply
        the rules listening to the event (see readme/DEVELOP.md)."""
        Event = self.env["crm.lifecycle.event"]
        event_data = Event._get_event_data(event_code)  # unknown code: ValueError
        self._lifecycle_invalidate_summary()
        if self.env.context.get("lifecycle_disable"):
            return
        customers = self._lifecycle_customers().sudo()
        if not customers:
            return
        if not self.env.context.get("lifecycle_no_defer"):
            busy = customers - customers._lifecycle_lock_for_event()
            if busy:
                # another transaction is changing them: apply the event moments
                # later rather than fail the user's request (see the model)
                self.env["crm.lifecycle.pending"]._defer(
                    busy, event_data["id"], records
                )
                customers -= busy
                if not customers:
                    return
        changed = customers._lifecycle_refresh_facts(
            EVENT_FACTS.get(event_code), one_query=True
        )
        if not event_data["active"]:
            return
        candidates = customers.filtered(lambda p: not p.lifecycle_locked)
        Rule = self.env["crm.lifecycle.rule"]
        if changed is not None and not Rule._get_rules_data(event_code, listening=True):
            # Only the customers whose facts used by the rules changed (or that
            # have no stage yet) can move: skip the others.
            used = Rule._get_used_facts(event_code)
            candidates = candidates.filtered(
                lambda p: not p.lifecycle_stage_id or changed.get(p.id, set()) & used
            )
        if candidates:
            candidates._lifecycle_apply_rules(
                event=Event.browse(event_data["id"]),
                sources=records,
                event_code=event_code,
            )

    def _lifecycle_lock_for_event(self):
        """The customers of ``self`` whose row this transaction can write now:
        locked here (or already), neither held by another transaction nor
        changed by one since this transaction started (REPEATABLE READ would
        refuse to write them: a serialisation failure, caught in a savepoint)."""
        ids = tuple(id_ for id_ in self.ids if id_)
        if not ids:
            return self
        cr = self.env.cr
        # On every event, so in one round trip: the lock in a savepoint, whose
        # result waits in a transaction setting while the savepoint is
        # released. Not try_lock_for_update: a refusal is expected here, not
        # an error for the log.
        try:
            cr.execute(
                SQL(
                    "SAVEPOINT lifecycle_lock;"
                    " SELECT set_config('lifecycle.locked',"
                    "   COALESCE(string_agg(id::text, ','), ''), true)"
                    " FROM (SELECT id FROM res_partner WHERE id IN %s"
                    "       FOR NO KEY UPDATE SKIP LOCKED) AS locked;"
                    " RELEASE SAVEPOINT lifecycle_lock;"
                    " SELECT current_setting('lifecycle.locked')",
                    ids,
                ),
                log_exceptions=False,
            )
            locked = {int(id_) for id_ in cr.fetchone()[0].split(",") if id_}
        except (
            psycopg2.errors.SerializationFailure,
            psycopg2.errors.LockNotAvailable,
        ):
            cr.execute(
                "ROLLBACK TO SAVEPOINT lifecycle_lock; RELEASE SAVEPOINT lifecycle_lock"
            )
            locked = set()
        return self.filtered(lambda p: p.id in locked)

    def _lifecycle_rule_domain(self, rule):
        """The domain of a rule (data from the rule cache), company included."""
        domain = self.env["crm.lifecycle.rule"]._parse_domain(rule["filter_domain"])
        if rule["company_id"]:
            domain &= Domain("company_id", "in", [rule["company_id"], False])
        return domain

    def _lifecycle_python_condition(self, condition):
        """Derived facts (days since...) as conditions on their stored date,
        exactly as in SQL, for filtered_domain."""
        fname = condition.field_expr
        if fname in DERIVED_FACTS:
            return self._search_lifecycle_days(
                f"commercial_partner_id.{DERIVED_FACTS[fname]}",
                condition.operator,
                condition.value,
            )
        return condition

    def _lifecycle_match_rules(self, rules):
        """Which rules match which partners: in Python for a few partners (the
        values are in cache), in one SQL query for many.

        :param rules: rule data, see ``crm.lifecycle.rule._get_rules_data``
        :return: {partner_id: [matched (bool) for each rule, in order]}
        """
        if not rules:
            return {}
        if len(self) <= PYTHON_MATCH_LIMIT:
            return self._lifecycle_match_rules_python(rules)
        self.env.flush_all()
        partners = self.sudo()
        ids_domain = Domain("id", "in", self.ids)
        conditions = []
        for rule in rules:
            try:
                query = partners._search(ids_domain & self._lifecycle_rule_domain(rule))
            except Exception:  # a rule broken by a later change of the data model
                _logger.exception("Skipping the invalid lifecycle rule %s", rule["id"])
                conditions.append(SQL("FALSE"))
                continue
            conditions.append(SQL("p.id IN %s", query.subselect()))
        rows = self.env.execute_query(
            SQL(
                "SELECT p.id, %s FROM res_partner p WHERE p.id = ANY(%s)",
                SQL(", ").join(conditions),
                self.ids,
            )
        )
        return {partner_id: matches for partner_id, *matches in rows}

    @api.model
    @tools.ormcache("filter_domain", "company_id", "today", "uid")
    def _lifecycle_rule_python_domain(self, filter_domain, company_id, today, uid):
        """The domain of a rule for filtered_domain (cached: on every event)."""
        rule = {"filter_domain": filter_domain, "company_id": company_id}
        return self._lifecycle_rule_domain(rule).map_conditions(
            self._lifecycle_python_condition
        )

    def _lifecycle_match_rules_python(self, rules):
        matches = {partner.id: [] for partner in self}
        for rule in rules:
            matched = self._lifecycle_rule_matches_python(rule)
            for partner in self:
                matches[partner.id].append(partner in matched)
        return matches

    def _lifecycle_rule_matches_python(self, rule):
        """The partners of ``self`` that a rule matches (values in cache)."""
        partners = self.sudo()
        try:
            domain = self._lifecycle_rule_python_domain(
                rule["filter_domain"],
                rule["company_id"],
                fields.Date.context_today(self),
                self.env.uid,
            )
            return partners.filtered_domain(domain)
        except Exception:  # a rule broken by a later change of the data model
            _logger.exception("Skipping the invalid lifecycle rule %s", rule["id"])
            return partners.browse()

    def _lifecycle_apply_rules(
        self, event=None, sources=None, reason=None, event_code=None
    ):
        """Move each partner to the stage decided by the first rule that
        matches it and may move it (forward-only unless the rule allows moving
        back). ``event`` None means the nightly evaluation; ``event_code``, its
        code when the caller knows it (the event is then not read)."""
        Rule = self.env["crm.lifecycle.rule"]
        if event and not event_code:
            event_code = event.code
        rules = Rule._get_rules_data(event_code)
        sequences = Rule._get_stage_sequences()
        # many partners: all the rules in one query; a few (an event): in
        # Python, each rule only for the partners no earlier rule settled
        matches = (
            self._lifecycle_match_rules(rules)
            if len(self) > PYTHON_MATCH_LIMIT
            else None
        )
        current = {partner.id: partner.lifecycle_stage_id.id for partner in self}
        decisions = defaultdict(list)
        pending = self  # the partners no rule has settled yet
        for index, rule in enumerate(rules):
            if not pending:
                break
            if matches is None:
                matched = pending._lifecycle_rule_matches_python(rule).ids
            else:
                matched = [pid for pid in pending.ids if matches[pid][index]]
            settled = set()
            target = rule["stage_id"]
            for partner_id in matched:
                stage_id = current[partner_id]
                if target == stage_id:
                    settled.add(partner_id)  # the rule keeps the customer there
                elif (
                    rule["allow_backward"]
                    or not stage_id
                    or sequences.get(target, 0) > sequences.get(stage_id, 0)
                ):
                    decisions[rule["id"]].append(partner_id)
                    settled.add(partner_id)
            if settled:
                pending = pending.filtered(
                    lambda p, settled=settled: p.id not in settled
                )
        undecided = pending.filtered(lambda p: not current[p.id])
        for rule_id, partner_ids in decisions.items():
            rule = Rule.browse(rule_id)
            self.browse(partner_ids)._lifecycle_move(
                rule.stage_id,
                trigger="event" if event else "rule",
                rule=rule,
                event=event,
                sources=sources,
                reason=reason,
            )
        if (
            undecided
            and event
            and self.env["crm.lifecycle.event"]._get_event_data(event_code)[
                "assigns_default_stage"
            ]
        ):
            default = self.env["crm.lifecycle.stage"].search(
                [("is_default", "=", True)], limit=1
            )
            if default:
                undecided._lifecycle_move(
                    default, trigger="event", event=event, sources=sources
                )

    def _lifecycle_source_partners(self, records):
        """Map source documents to the commercial partners they concern."""
        result = defaultdict(list)
        for record in records or ():
            if "commercial_partner_id" in record._fields:
                partners = record.commercial_partner_id
            elif "partner_id" in record._fields:
                partners = record.partner_id.commercial_partner_id
            elif "partner_ids" in record._fields:
                partners = record.partner_ids.commercial_partner_id
            else:
                partners = self.browse()
            for partner in partners:
                result[partner.id].append(record)
        return result

    def _lifecycle_move(
        self, stage, *, trigger="rule", rule=None, event=None, sources=None, reason=None
    ):
        """Automatic move of these commercial partners to ``stage``, recorded in
        the history and the chatter with its reason."""
        sources_by_partner = self._lifecycle_source_partners(sources)
        reasons = {}
        first_source = {}
        for partner in self:
            docs = sources_by_partner.get(partner.id, [])
            parts = []
            if event:
                names = ", ".join(doc.display_name for doc in docs[:3])
                parts.append(f"{event.name}: {names}" if names else event.name)
            if rule:
                parts.append(self.env._("rule “%(rule)s”", rule=rule.name))
            if reason:
                parts.append(reason)
            reasons[partner.id] = " — ".join(parts)
            if docs:
                first_source[partner.id] = (docs[0]._name, docs[0].id)
        # The details travel beside the context, which only flags the move: a
        # context holding them would be a new environment on every move, and
        # every later env() of the transaction would compare itself with each.
        moves = self.env.cr.cache
        previous_move = moves.get("lifecycle_move")
        moves["lifecycle_move"] = {
            "trigger": trigger,
            "rule_id": rule.id if rule else False,
            "event_id": event.id if event else False,
            "reasons": reasons,
            "sources": first_source,
        }
        try:
            return self.with_context(lifecycle_move=True).write(
                {"lifecycle_stage_id": stage.id}
            )
        finally:
            moves["lifecycle_move"] = previous_move

    def _lifecycle_current_move(self):
        """The details of the automatic move being written (see _lifecycle_move)."""
        if not self.env.context.get("lifecycle_move"):
            return {}
        return self.env.cr.cache.get("lifecycle_move") or {}

    def _lifecycle_move_reasons(self):
        move = self._lifecycle_current_move()
        if move:
            return move["reasons"]
        reason = self.env.context.get("lifecycle_reason")
        return {partner.id: reason for partner in self} if reason else {}

    def _lifecycle_log_moves(self, previous):
        """History rows, closing of the previous ones, and the activities the
        new stages ask for. ``previous``: {partner_id: previous stage id}."""
        now = fields.Datetime.now()
        move = self._lifecycle_current_move()
        reasons = self._lifecycle_move_reasons()
        history = self.env["crm.lifecycle.history"].sudo()
        history.search(
            [("partner_id", "in", self.ids), ("date_end", "=", False)]
        ).write({"date_end": now})
        vals_list = []
        # clearing the stage only closes the current stay
        for partner in self.filtered("lifecycle_stage_id"):
            res_model, res_id = move.get("sources", {}).get(partner.id, (False, False))
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "stage_from_id": previous.get(partner.id) or False,
                    "stage_to_id": partner.lifecycle_stage_id.id,
                    "date": now,
                    "user_id": self.env.uid,
                    "trigger": move.get("trigger", "manual"),
                    "rule_id": move.get("rule_id") or False,
                    "event_id": move.get("event_id") or False,
                    "reason": reasons.get(partner.id) or False,
                    "res_model": res_model,
                    "res_id": res_id,
                }
            )
        history.create(vals_list)
        self.filtered("lifecycle_stage_id")._lifecycle_schedule_stage_activities()

    def _lifecycle_schedule_stage_activities(self):
        """Entering a stage with an activity type (e.g. "At risk") schedules an
        activity for the customer's salesperson."""
        if self.env.context.get("lifecycle_no_activity"):
            return
        for stage, partners in self.grouped("lifecycle_stage_id").items():
            if not stage.activity_type_id:
                continue
            deadline = fields.Date.context_today(self) + timedelta(
                days=stage.activity_delay_days
            )
            for partner in partners:
                user = partner.user_id or (
                    self.env.user if not self.env.user._is_superuser() else False
                )
                if not user:
                    continue
                partner.sudo().activity_schedule(
                    activity_type_id=stage.activity_type_id.id,
                    summary=stage.activity_summary or stage.name,
                    date_deadline=deadline,
                    user_id=user.id,
                )

    # ------------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------------

    @api.model
    def _lifecycle_cron_domain(self, today):
        return (
            Domain("active", "=", True)
            & (Domain("parent_id", "=", False) | Domain("is_company", "=", True))
            & (
                Domain("lifecycle_stage_id", "!=", False)
                | Domain("lifecycle_order_count", ">", 0)
                | Domain("lifecycle_open_opportunity_count", ">", 0)
                | Domain("lifecycle_invoiced_amount", "!=", 0)
            )
            & (
                Domain("lifecycle_facts_date", "=", False)
                | Domain("lifecycle_facts_date", "<", today)
            )
        )

    @api.model
    def _lifecycle_initial_evaluation(self, batch_size=5000):
        """Place the existing customers when the module is installed.

        The facts were computed with the new columns; the rules run in batches
        without chatter messages nor activities (the history keeps the reason):
        a database with many customers installs in reasonable time.
        """
        today = fields.Date.context_today(self)
        partners = self.search(self._lifecycle_cron_domain(today), order="id")
        reason = self.env._("Initial placement when the lifecycle was installed")
        for batch in split_every(batch_size, partners.ids, self.browse):
            customers = batch._lifecycle_customers()
            customers.filtered(lambda p: not p.lifecycle_locked).with_context(
                tracking_disable=True, lifecycle_no_activity=True
            )._lifecycle_apply_rules(reason=reason)
            batch.write({"lifecycle_facts_date": today})
        _logger.info("Lifecycle: %s customers placed at installation", len(partners))

    def _lifecycle_busy_customers(self):
        """The customers of ``self`` (locked by the caller) one of whose
        contacts another transaction holds: a stage move is copied to the
        contacts, so the job would wait for them (or deadlock with a user saving
        the customer and its contacts). They are left for the next run."""
        contacts = self.with_context(active_test=False).search(
            [("commercial_partner_id", "in", self.ids), ("id", "not in", self.ids)]
        )
        if not contacts:
            return self.browse()
        return (contacts - contacts.try_lock_for_update()).commercial_partner_id

    @api.model
    def _cron_lifecycle_nightly(self, batch_size=2000):
        """Refresh the facts and apply the rules to every customer, once a day,
        in batches. Several cron workers can share the job: each batch locks its
        rows and skips those another worker holds."""
        today = fields.Date.context_today(self)
        domain = self._lifecycle_cron_domain(today)
        cron = self.env["ir.cron"]
        # promises whose date passed (set-based, before the facts count them)
        self.env["crm.interaction"]._evaluate_promises()
        last_id = 0
        while True:
            batch = self.search(
                domain & Domain("id", ">", last_id), limit=batch_size, order="id"
            )
            if not batch:
                break
            last_id = batch[-1].id
            # rows another worker holds are its work: skip them, and leave the
            # customers whose contacts a user is saving for the next run
            partners = batch.try_lock_for_update()
            if partners:
                partners -= partners._lifecycle_busy_customers()
            if not partners:
                continue
            customers = partners._lifecycle_customers()
            # re-read every source, but write only the facts that changed: on
            # a normal night few customers change, and the ORM would otherwise
            # rewrite every fact of every customer
            customers._lifecycle_refresh_facts(groups=tuple(FACT_GROUPS))
            customers.filtered(
                lambda p: not p.lifecycle_locked
            )._lifecycle_apply_rules()
            partners.write({"lifecycle_facts_date": today})
            remaining = self.search_count(domain)
            if cron._commit_progress(len(partners), remaining=remaining) <= 0:
                break
