# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Behaviour facts of customers, read set-based from their documents.

Plain Python, no model: ``FactGroup`` declares one group of facts (the stored
``res.partner`` fields it fills, the documents it reads, its SQL query and the
collector of its rows) and ``FactCollector`` reads any set of groups for many
customers at once. ``res.partner._lifecycle_fact_groups()`` returns the groups;
an addon adds its own by overriding it with ``super()`` (see readme/DEVELOP.md).
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

import psycopg2.errors

from odoo import fields
from odoo.tools import SQL

# The prefetch group of the customer's stage and facts (company-dependent
# fields of res.partner): read together, and only when one of them is read,
# not with the other fields of the customer every document reads.
LIFECYCLE_PREFETCH = "lifecycle"

# Takes the row locks of customers an event writes, in a savepoint: the ids
# locked wait in a transaction setting while the savepoint is released, so
# that the statement after it (the facts) returns them in the same round trip.
# FOR NO KEY UPDATE SKIP LOCKED: a customer another transaction holds is
# skipped; one changed since this transaction began makes the statement fail
# (REPEATABLE READ), and the savepoint takes the failure back.
_LOCK = """SAVEPOINT lifecycle_lock;
SELECT set_config('lifecycle.locked', COALESCE(string_agg(id::text, ','), ''), true)
  FROM (SELECT id FROM res_partner WHERE id = ANY(%s)
        FOR NO KEY UPDATE SKIP LOCKED) AS locked;
RELEASE SAVEPOINT lifecycle_lock;
"""


def lock_customers(env, ids, query=None):
    """Take the row locks of these customers (``_LOCK``), then run ``query``
    (a SELECT whose first column is ``current_setting('lifecycle.locked')``)
    in the same round trip.

    :return: (the ids locked, the rows of ``query``); nothing is locked when
        a customer changed since the transaction began (the savepoint takes
        the failure back)
    """
    cr = env.cr
    try:
        cr.execute(
            SQL(
                "%s%s",
                SQL(_LOCK, list(ids)),
                query or SQL("SELECT current_setting('lifecycle.locked')"),
            ),
            log_exceptions=False,
        )
        rows = cr.fetchall()
    except (
        psycopg2.errors.SerializationFailure,
        psycopg2.errors.LockNotAvailable,
    ):
        cr.execute(
            "ROLLBACK TO SAVEPOINT lifecycle_lock; RELEASE SAVEPOINT lifecycle_lock"
        )
        return set(), []
    locked = {int(id_) for id_ in rows[0][0].split(",") if id_} if rows else set()
    return locked, rows


@dataclass(frozen=True, eq=False)
class FactGroup:
    """One group of facts, read by one query.

    :param name: the key events use to say they change the group
    :param fields: the stored ``res.partner`` facts the group fills (each with
        ``compute="_compute_lifecycle_facts", store=True``)
    :param columns: names of the values each row of the query carries after
        the commercial partner id and the company id
    :param sources: ``(model, field names)`` pairs the query reads; they are
        flushed before it runs
    :param query: ``collector -> SQL`` returning rows of (commercial partner id,
        company id, *columns) for the ids ``collector.ids``, of the documents
        of the collector's company only (``collector.in_company(column)``)
    :param collect: ``(collector, rows)`` adding the rows to ``collector.facts``;
        rows come from ``collector.rows()``: (partner, company id, values)
    :param derived: non-stored facts rules may use (days since...) and the
        stored fact each one follows
    :param live: non-stored customer fields computed when read from the same
        documents (no stored value can tell they changed): rules using them are
        evaluated again whenever an event changes the group
    :param dated: the values move with the date, documents unchanged (the
        query reads ``collector.today``: overdue items, the last 12 months):
        the nightly job re-reads the group for every customer every night. The
        others only documents change: the job re-reads them for the customers
        whose documents were written since their last check, and for each
        customer every few nights (``res.partner._lifecycle_full_check_days``)
    """

    name: str
    fields: tuple
    columns: tuple
    sources: tuple
    query: Callable
    collect: Callable
    derived: Mapping = field(default_factory=dict)
    live: tuple = ()
    dated: bool = False


class FactCollector:
    """Reads groups of facts for many commercial partners, for one company.

    Facts are per company (``company_dependent`` fields): the collector reads
    the documents of ``company_id`` (the environment's company) and those of
    no company (a lead, an interaction shared by all the companies), each
    group's query filtering with ``in_company``. Amounts are in the company's
    currency, as accounting converted them at each document's date.
    ``facts`` maps each partner to the dict of values being collected; the
    collectors add to it (sums, min/max)."""

    def __init__(self, env, partners, facts):
        self.env = env
        self.partners = partners
        self.ids = partners.ids
        self.by_id = {partner.id: partner for partner in partners}
        self.facts = facts
        self.today = fields.Date.context_today(partners)
        self.company_id = env.company.id
        self.currency = env.company.sudo().currency_id

    def in_company(self, column):
        """SQL condition: the document's ``column`` (e.g. ``"so.company_id"``)
        is the collector's company, or empty (shared by every company)."""
        return SQL(
            "(%(column)s = %(company)s OR %(column)s IS NULL)",
            column=SQL(column),
            company=self.company_id,
        )

    # above this many customers, one query per group even for an event: the
    # joined CTEs of thousands of customers plan far worse than each alone
    ONE_QUERY_MAX_CUSTOMERS = 200

    def collect(self, groups, one_query=False, lock=False, fetch=()):
        """Read the groups (``FactGroup``), one query each, or with
        ``one_query`` (the few customers of an event) all in one round trip:
        each group's query a CTE, their rows joined on (partner, company).
        Batches of thousands keep a query per group, which PostgreSQL plans
        better alone.

        :param lock: first take the row locks of the customers (an event that
            writes them, see ``_LOCK``), in the same round trip as the facts
            when they are read in one query; only the facts of the customers
            locked are collected
        :param fetch: stored ``res.partner`` fields to read for the customers
            in the same round trip, when the groups are read in one query (an
            event: the stage and stored facts its rules compare, see
            ``_collect_in_one_query``)
        :return: with ``lock``, the ids of the customers locked
        """
        groups = list(groups)
        one_query = one_query and len(self.ids) <= self.ONE_QUERY_MAX_CUSTOMERS
        if one_query and (lock or fetch):
            return self._collect_in_one_query(groups, lock, fetch)
        locked = None
        if lock:
            locked, _rows = lock_customers(self.env, self.ids)
            self.ids = [id_ for id_ in self.ids if id_ in locked]
            if not self.ids:
                return locked
        if len(groups) == 1 or not one_query:
            for group in groups:
                rows = self.env.execute_query(group.query(self))
                group.collect(self, self.rows(rows))
        else:
            self._collect_joined(groups, self.env.execute_query(self._joined(groups)))
        return locked

    def _collect_in_one_query(self, groups, lock, fetch):
        """The facts in one round trip, with the locks (``lock``: the facts
        query carries the ids locked on each row, and on one row of nulls
        when there is no fact at all) and the stored fields ``fetch`` of the
        customers (put in the cache as the ORM's fetch would): an event on a
        document costs this one query before its UPDATE.

        :return: with ``lock``, the ids of the customers locked
        """
        facts = self._joined(groups)
        stored = self._stored_query(fetch) if fetch else None
        setting = SQL("current_setting('lifecycle.locked')") if lock else SQL("NULL")
        if stored is None:
            query = SQL(
                "SELECT %s, facts.* FROM (VALUES (1)) AS one (x)"
                " LEFT JOIN (%s) AS facts ON TRUE",
                setting,
                facts,
            )
        else:
            self.env.flush_query(stored)
            query = SQL(
                "SELECT %s, stored.*, facts.* FROM (VALUES (1)) AS one (x)"
                " LEFT JOIN (%s) AS stored ON TRUE"
                " LEFT JOIN (%s) AS facts ON facts.pid = stored.sid",
                setting,
                stored,
                facts,
            )
        if lock:
            locked, rows = lock_customers(self.env, self.ids, query)
        else:
            locked, rows = None, self.env.execute_query(query)
        width = 1 + len(fetch) if stored is not None else 0
        if width:
            self._cache_stored(fetch, [row[1 : 1 + width] for row in rows])
        self._collect_joined(
            groups,
            [
                row[1 + width :]
                for row in rows
                if row[1 + width] is not None
                and (locked is None or row[1 + width] in locked)
            ],
        )
        return locked

    def _stored_query(self, fnames):
        """SELECT of the customers' stored fields ``fnames`` (columns ``sid``,
        ``s0``, ``s1``...), as the ORM's fetch selects them, and of their live
        facts (``res.partner._lifecycle_live_facts``)."""
        partners = self.partners
        query = partners._as_query(ordered=False)
        terms = [SQL("%s AS sid", SQL.identifier(partners._table, "id"))]
        live = partners._lifecycle_live_facts()
        for index, fname in enumerate(fnames):
            if fname in live:
                sql = partners._lifecycle_live_fact_sql(partners._table, fname)
                terms.append(SQL("%s AS %s", sql, SQL.identifier(f"s{index}")))
                continue
            sql = partners._field_to_sql(partners._table, fname, query)
            # as the ORM's fetch: the cache keeps a pending value of the field
            # itself, which need not be flushed first
            field = partners._fields[fname]
            sql = SQL(
                sql.code,
                *sql.params,
                to_flush=(f for f in sql.to_flush if f != field),
            )
            terms.append(SQL("%s AS %s", sql, SQL.identifier(f"s{index}")))
        return query.select(*terms)

    def _cache_stored(self, fnames, rows):
        """Put the values of ``_stored_query`` in the cache: the stored ones
        not over a value already there (as the ORM's fetch), the live facts
        over the value computed before (they are read again on each event)."""
        rows = list({row[0]: row for row in rows if row[0] is not None}.values())
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        partners = self.partners.browse(columns[0])
        live = partners._lifecycle_live_facts()
        for fname, values in zip(fnames, columns[1:], strict=True):
            field = partners._fields[fname]
            if fname not in live:
                field._insert_cache(partners, values)
                continue
            for partner, value in zip(partners, values, strict=True):
                field._update_cache(partner, field.convert_to_cache(value, partner))

    def _joined(self, groups):
        """One query reading the groups: each group's query a CTE, their rows
        joined on (partner, company); a row is (partner id, company id, and for
        each group: whether it has a row, its columns)."""
        ctes, columns, joins, keys = [], [], [], []
        for index, group in enumerate(groups):
            name = SQL.identifier(f"facts_{index}")
            values = [SQL.identifier(f"v{n}") for n in range(len(group.columns))]
            ctes.append(
                SQL(
                    "%s (pid, cid, %s) AS (%s)",
                    name,
                    SQL(", ").join(values),
                    group.query(self),
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
        return SQL(
            "WITH %s, keys AS (%s) SELECT k.pid, NULLIF(k.cid, 0), %s FROM keys k %s",
            SQL(", ").join(ctes),
            SQL(" UNION ").join(keys),
            SQL(", ").join(columns),
            SQL(" ").join(joins),
        )

    def _collect_joined(self, groups, rows):
        """Hand the rows of ``_joined`` to each group's collector."""
        group_rows = {group.name: [] for group in groups}
        for partner_id, company_id, *values in rows:
            offset = 0
            for group in groups:
                width = len(group.columns)
                if values[offset]:
                    group_rows[group.name].append(
                        (
                            partner_id,
                            company_id,
                            *values[offset + 1 : offset + 1 + width],
                        )
                    )
                offset += 1 + width
        for group in groups:
            group.collect(self, self.rows(group_rows[group.name]))

    def rows(self, rows):
        """(partner, company_id, values) for rows of (commercial partner id,
        company id, *values)."""
        for partner_id, company_id, *values in rows:
            yield self.by_id[partner_id], company_id, values

    def amount(self, amount):
        """An amount of the company's documents, rounded to its currency."""
        return self.currency.round(amount) if amount else 0.0

    @staticmethod
    def keep(values, fname, value, pick):
        """Combine a value with the one already collected (min/max)."""
        if not value:
            return
        current = values[fname]
        values[fname] = value if not current else pick(current, value)


# ----------------------------------------------------------------------
# The groups crm_lifecycle declares
# ----------------------------------------------------------------------


def of_customers(column, ids):
    """``column`` (a document's partner, e.g. ``"so.partner_id"``) is one of
    the customers ``ids`` or of their contacts: their partner ids looked up
    first (one InitPlan), so that the documents are read through the index of
    ``column``. Filtering on the joined partner's ``commercial_partner_id``
    made PostgreSQL scan every document of the table for each batch of the
    nightly job (a hash join against the batch's partners)."""
    return SQL(
        "%s = ANY(ARRAY(SELECT id FROM res_partner"
        " WHERE commercial_partner_id = ANY(%s)))",
        SQL(column),
        ids,
    )


def _query_sales(collector):
    return SQL(
        """
        SELECT p.commercial_partner_id, so.company_id,
               MIN(so.date_order) FILTER (WHERE so.state = 'sale'),
               MAX(so.date_order) FILTER (WHERE so.state = 'sale'),
               COUNT(*) FILTER (WHERE so.state = 'sale'),
               COUNT(*) FILTER (WHERE so.state = 'sent')
          FROM sale_order so
          JOIN res_partner p ON p.id = so.partner_id
         WHERE %s
           AND %s
           AND so.state IN ('sale', 'sent')
      GROUP BY 1, 2
        """,
        of_customers("so.partner_id", collector.ids),
        collector.in_company("so.company_id"),
    )


def _collect_sales(collector, rows):
    for partner, _company, (first, last, orders, quotes) in rows:
        values = collector.facts[partner]
        if first:
            collector.keep(values, "lifecycle_first_sale_date", first.date(), min)
            collector.keep(values, "lifecycle_last_sale_date", last.date(), max)
        values["lifecycle_order_count"] += orders
        values["lifecycle_open_quotation_count"] += quotes


SALES = FactGroup(
    name="sales",
    fields=(
        "lifecycle_first_sale_date",
        "lifecycle_last_sale_date",
        "lifecycle_order_count",
        "lifecycle_open_quotation_count",
    ),
    columns=("first_sale", "last_sale", "orders", "quotations"),
    sources=(
        ("res.partner", ("commercial_partner_id",)),
        ("sale.order", ("partner_id", "company_id", "state", "date_order")),
    ),
    query=_query_sales,
    collect=_collect_sales,
    derived={
        "lifecycle_days_since_purchase": "lifecycle_last_sale_date",
        "lifecycle_days_since_first_purchase": "lifecycle_first_sale_date",
    },
)


def _query_invoices(collector):
    return SQL(
        """
        SELECT p.commercial_partner_id, move.company_id,
               SUM(move.amount_untaxed_signed)
          FROM account_move move
          -- through the (indexed) partner: no index on commercial_partner_id
          JOIN res_partner p ON p.id = move.partner_id
         WHERE %s
           AND %s
           AND move.state = 'posted'
           AND move.move_type IN ('out_invoice', 'out_refund')
      GROUP BY 1, 2
        """,
        of_customers("move.partner_id", collector.ids),
        collector.in_company("move.company_id"),
    )


def _collect_invoices(collector, rows):
    for partner, _company, (invoiced,) in rows:
        collector.facts[partner]["lifecycle_invoiced_amount"] += collector.amount(
            invoiced
        )


_MOVE_SOURCE = (
    "account.move",
    (
        "partner_id",
        "commercial_partner_id",
        "company_id",
        "state",
        "move_type",
        "amount_untaxed_signed",
        "payment_state",
        "invoice_date",
    ),
)
_PAYMENT_SOURCE = (
    "account.payment",
    (
        "partner_id",
        "company_id",
        "state",
        "date",
        "payment_type",
        "partner_type",
        "amount_company_currency_signed",
    ),
)
_MOVE_LINE_SOURCE = (
    "account.move.line",
    (
        "partner_id",
        "company_id",
        "account_id",
        "parent_state",
        "reconciled",
        "amount_residual",
        "date_maturity",
        "no_followup",
    ),
)

INVOICES = FactGroup(
    name="invoices",
    fields=("lifecycle_invoiced_amount",),
    columns=("invoiced",),
    sources=(("res.partner", ("commercial_partner_id",)), _MOVE_SOURCE),
    query=_query_invoices,
    collect=_collect_invoices,
)


def _query_payments(collector):
    # Payments rather than invoice residuals: a payment may have no journal
    # entry until the bank statement is reconciled.
    return SQL(
        """
        SELECT p.commercial_partner_id, pay.company_id,
               SUM(pay.amount_company_currency_signed),
               MAX(pay.date) FILTER (WHERE pay.payment_type = 'inbound')
          FROM account_payment pay
          JOIN res_partner p ON p.id = pay.partner_id
         WHERE %s
           AND %s
           AND pay.state IN ('in_process', 'paid')
           AND pay.partner_type = 'customer'
      GROUP BY 1, 2
        """,
        of_customers("pay.partner_id", collector.ids),
        collector.in_company("pay.company_id"),
    )


def _collect_payments(collector, rows):
    for partner, _company, (collected, last_payment) in rows:
        values = collector.facts[partner]
        values["lifecycle_paid_amount"] += collector.amount(collected)
        collector.keep(values, "lifecycle_last_payment_date", last_payment, max)


PAYMENTS = FactGroup(
    name="payments",
    fields=("lifecycle_paid_amount", "lifecycle_last_payment_date"),
    columns=("collected", "last_payment"),
    sources=(("res.partner", ("commercial_partner_id",)), _PAYMENT_SOURCE),
    query=_query_payments,
    collect=_collect_payments,
)


def _query_leads(collector):
    return SQL(
        """
        SELECT p.commercial_partner_id, lead.company_id, COUNT(*),
               MAX(lead.probability)
          FROM crm_lead lead
          JOIN res_partner p ON p.id = lead.partner_id
         WHERE %s
           AND %s
           AND lead.active
           AND lead.won_status = 'pending'
      GROUP BY 1, 2
        """,
        of_customers("lead.partner_id", collector.ids),
        collector.in_company("lead.company_id"),
    )


def _collect_leads(collector, rows):
    for partner, _company, (count, probability) in rows:
        values = collector.facts[partner]
        values["lifecycle_open_opportunity_count"] += count
        collector.keep(values, "lifecycle_lead_probability", probability, max)


LEADS = FactGroup(
    name="leads",
    fields=("lifecycle_open_opportunity_count", "lifecycle_lead_probability"),
    columns=("open_leads", "best_probability"),
    sources=(
        ("res.partner", ("commercial_partner_id",)),
        (
            "crm.lead",
            ("partner_id", "company_id", "active", "won_status", "probability"),
        ),
    ),
    query=_query_leads,
    collect=_collect_leads,
)


def _query_interactions(collector):
    return SQL(
        """
        SELECT partner_id, company_id, COUNT(*),
               MAX(date) FILTER (WHERE date <= %(now)s),
               MAX(date) FILTER (
                   WHERE interaction_type IN ('collection', 'payment_promise')
               ),
               COUNT(*) FILTER (
                   WHERE promise_state = 'broken' AND promise_date >= %(since)s
               ),
               MIN(promise_date) FILTER (WHERE promise_state = 'open')
          FROM crm_interaction
         WHERE partner_id = ANY(%(ids)s)
           AND %(company)s
      GROUP BY 1, 2
        """,
        now=fields.Datetime.now(),
        since=collector.today - timedelta(days=365),
        ids=collector.ids,
        company=collector.in_company("company_id"),
    )


def _collect_interactions(collector, rows):
    for partner, _company, (count, last, collection, broken, promise) in rows:
        values = collector.facts[partner]
        values["lifecycle_interaction_count"] += count
        values["lifecycle_broken_promise_count"] += broken
        collector.keep(values, "lifecycle_promise_date", promise, min)
        collector.keep(values, "lifecycle_last_interaction_date", last, max)
        collector.keep(values, "lifecycle_last_collection_date", collection, max)


INTERACTIONS = FactGroup(
    name="interactions",
    fields=(
        "lifecycle_last_interaction_date",
        "lifecycle_interaction_count",
        "lifecycle_last_collection_date",
        "lifecycle_broken_promise_count",
        "lifecycle_promise_date",
    ),
    columns=(
        "interactions",
        "last",
        "last_collection",
        "broken_promises",
        "open_promise",
    ),
    sources=(
        (
            "crm.interaction",
            (
                "partner_id",
                "company_id",
                "date",
                "interaction_type",
                "promise_state",
                "promise_date",
            ),
        ),
    ),
    query=_query_interactions,
    collect=_collect_interactions,
    # its query reads today
    dated=True,
)


def _query_receivables(collector):
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
         WHERE %(customers)s
           AND %(company)s
           AND aml.parent_state = 'posted'
           AND account.account_type = 'asset_receivable'
           AND aml.reconciled IS NOT TRUE
           AND aml.amount_residual != 0
      GROUP BY 1, 2
        """,
        today=collector.today,
        customers=of_customers("aml.partner_id", collector.ids),
        company=collector.in_company("aml.company_id"),
    )


def _collect_receivables(collector, rows):
    for partner, _company, (total, overdue, disputed, oldest) in rows:
        values = collector.facts[partner]
        for fname, amount in (
            ("lifecycle_receivable_amount", total),
            ("lifecycle_overdue_amount", overdue),
            ("lifecycle_disputed_amount", disputed),
        ):
            values[fname] += collector.amount(amount)
        collector.keep(values, "lifecycle_oldest_overdue_date", oldest, min)


RECEIVABLES = FactGroup(
    name="receivables",
    fields=(
        "lifecycle_receivable_amount",
        "lifecycle_overdue_amount",
        "lifecycle_disputed_amount",
        "lifecycle_oldest_overdue_date",
    ),
    columns=("receivable", "overdue", "disputed", "oldest_overdue"),
    sources=(
        ("res.partner", ("commercial_partner_id",)),
        _MOVE_SOURCE,
        _MOVE_LINE_SOURCE,
    ),
    query=_query_receivables,
    collect=_collect_receivables,
    derived={"lifecycle_overdue_days": "lifecycle_oldest_overdue_date"},
    # its query reads today
    dated=True,
)


def _query_days_to_pay(collector):
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
             WHERE %(customers)s
               AND %(company)s
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
        customers=of_customers("move.partner_id", collector.ids),
        company=collector.in_company("move.company_id"),
        since=collector.today - timedelta(days=365),
    )


def _collect_days_to_pay(collector, rows):
    totals = defaultdict(lambda: [0, 0])
    for partner, _company, (days, count) in rows:
        totals[partner][0] += days
        totals[partner][1] += count
    for partner, (days, count) in totals.items():
        collector.facts[partner]["lifecycle_avg_days_to_pay"] = days / count
        collector.facts[partner]["lifecycle_paid_invoice_count"] = count


DAYS_TO_PAY = FactGroup(
    name="days_to_pay",
    fields=("lifecycle_avg_days_to_pay", "lifecycle_paid_invoice_count"),
    columns=("days", "invoices"),
    sources=(
        _MOVE_SOURCE,
        _PAYMENT_SOURCE,
        _MOVE_LINE_SOURCE,
        ("account.partial.reconcile", ("debit_move_id", "max_date")),
    ),
    query=_query_days_to_pay,
    collect=_collect_days_to_pay,
    # its query reads today
    dated=True,
)

LIFECYCLE_FACT_GROUPS = (
    SALES,
    INVOICES,
    PAYMENTS,
    LEADS,
    INTERACTIONS,
    RECEIVABLES,
    DAYS_TO_PAY,
)
