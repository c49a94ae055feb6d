# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections.abc import Iterable
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.tools import SQL

from ..company_values import with_company_value
from ..facts import LIFECYCLE_FACT_GROUPS, LIFECYCLE_PREFETCH, FactCollector
from .res_partner_need_to_know import MONEY_GROUPS

# The attributes of every stored fact (``crm_lifecycle.facts.FactGroup``).
# Each company has its own facts of a shared customer: company-dependent
# fields (one jsonb per partner, {company id: value}), which the form, the
# lists, search, grouping and ordering read for the current company. Fetched
# together with the stage (prefetch group ``LIFECYCLE_PREFETCH``), not with the
# customer's other fields: the orders, deliveries, invoices and e-mails read
# the customer many times and never its facts. Not indexed: the jsonb as a
# whole serves no search on one company's value, and an index would make each
# write of a fact update every index of the row.
FACT_ATTRS = {
    "compute": "_compute_lifecycle_facts",
    "store": True,
    "company_dependent": True,
    "prefetch": LIFECYCLE_PREFETCH,
    "index": False,
}


class ResPartner(models.Model):
    """Behaviour facts of customers: what they did, read from their documents.

    Facts are stored on commercial partners and computed set-based by groups
    (``_lifecycle_fact_groups``): an event re-reads only the groups it changes,
    the nightly job all of them."""

    _inherit = "res.partner"

    lifecycle_currency_id = fields.Many2one(
        "res.currency",
        string="Facts Currency",
        compute="_compute_lifecycle_currency_id",
        search="_search_lifecycle_currency_id",
        help="Currency of the amounts of the facts: the current company's.",
        groups="base.group_user",
    )
    lifecycle_first_sale_date = fields.Date(
        string="First Sale",
        **FACT_ATTRS,
        help="Date of the first confirmed sale order.",
        groups="base.group_user",
    )
    lifecycle_last_sale_date = fields.Date(
        string="Last Sale",
        **FACT_ATTRS,
        help="Date of the last confirmed sale order.",
        groups="base.group_user",
    )
    lifecycle_order_count = fields.Integer(
        string="Confirmed Orders",
        **FACT_ATTRS,
        groups="base.group_user",
    )
    lifecycle_open_quotation_count = fields.Integer(
        string="Quotations Sent",
        **FACT_ATTRS,
        help="Quotations sent to the customer and not confirmed yet.",
        groups="base.group_user",
    )
    lifecycle_invoiced_amount = fields.Float(
        string="Invoiced (Net)",
        **FACT_ATTRS,
        help="Posted customer invoices minus credit notes, untaxed, in the "
        "currency of the company.",
        groups=MONEY_GROUPS,
    )
    lifecycle_paid_amount = fields.Float(
        string="Collected",
        **FACT_ATTRS,
        help="Customer payments received (taxes included), minus the refunds "
        "paid back to the customer.",
        groups=MONEY_GROUPS,
    )
    lifecycle_last_payment_date = fields.Date(
        string="Last Payment",
        **FACT_ATTRS,
        groups=MONEY_GROUPS,
    )
    lifecycle_open_opportunity_count = fields.Integer(
        string="Open Opportunities",
        **FACT_ATTRS,
        help="Open (neither won nor lost) leads and opportunities.",
        groups="base.group_user",
    )
    lifecycle_lead_probability = fields.Float(
        string="Best Probability",
        **FACT_ATTRS,
        help="Highest probability among the open leads and opportunities.",
        groups="base.group_user",
    )
    lifecycle_last_interaction_date = fields.Datetime(
        string="Last Interaction",
        **FACT_ATTRS,
        groups="base.group_user",
    )
    lifecycle_interaction_count = fields.Integer(
        string="Interactions",
        **FACT_ATTRS,
        groups="base.group_user",
    )
    # Collections: refreshed by invoices, payments and reconciliations too
    lifecycle_receivable_amount = fields.Float(
        string="Receivable",
        **FACT_ATTRS,
        groups=MONEY_GROUPS,
        help="Open receivable items of the customer (invoices, credit notes, "
        "payments not yet matched).",
    )
    lifecycle_overdue_amount = fields.Float(
        string="Overdue",
        **FACT_ATTRS,
        groups=MONEY_GROUPS,
        help="Open receivable items past their due date, without the items "
        "held out of follow-up (disputed invoices).",
    )
    lifecycle_disputed_amount = fields.Float(
        string="Disputed",
        **FACT_ATTRS,
        groups=MONEY_GROUPS,
        help="Open amount of the invoices held out of follow-up, e.g. while a "
        "complaint about them is open.",
    )
    lifecycle_oldest_overdue_date = fields.Date(
        string="Oldest Overdue Due Date",
        **FACT_ATTRS,
        groups=MONEY_GROUPS,
    )
    lifecycle_overdue_days = fields.Integer(
        string="Days Overdue",
        compute="_compute_lifecycle_days",
        compute_sudo=True,
        groups=MONEY_GROUPS,
        help="Days since the due date of the oldest overdue item.",
    )
    lifecycle_avg_days_to_pay = fields.Float(
        string="Average Days to Pay",
        **FACT_ATTRS,
        digits=(16, 1),
        groups=MONEY_GROUPS,
        help="Average days between the invoice date and the payment, over the "
        "invoices of the last 12 months that are paid.",
    )
    lifecycle_paid_invoice_count = fields.Integer(
        string="Invoices Paid (12 Months)",
        **FACT_ATTRS,
        groups=MONEY_GROUPS,
        help="Paid invoices of the last 12 months: the average days to pay is "
        "theirs (none: no average to show).",
    )
    lifecycle_last_collection_date = fields.Datetime(
        string="Last Collection Contact",
        **FACT_ATTRS,
        groups=MONEY_GROUPS,
    )
    lifecycle_broken_promise_count = fields.Integer(
        string="Broken Promises",
        **FACT_ATTRS,
        groups=MONEY_GROUPS,
        help="Payment promises broken in the last 12 months.",
    )
    lifecycle_promise_date = fields.Date(
        string="Promised Payment Date",
        **FACT_ATTRS,
        groups=MONEY_GROUPS,
        help="The earliest date the customer promised to pay by, among its "
        "open payment promises.",
    )
    lifecycle_days_since_purchase = fields.Integer(
        string="Days Since Last Purchase",
        compute="_compute_lifecycle_days",
        compute_sudo=True,
        search="_search_lifecycle_days_since_purchase",
        groups="base.group_user",
    )
    lifecycle_days_since_first_purchase = fields.Integer(
        string="Days Since First Purchase",
        compute="_compute_lifecycle_days",
        compute_sudo=True,
        search="_search_lifecycle_days_since_first_purchase",
        groups="base.group_user",
    )
    # kept in a narrow table of its own (crm.lifecycle.facts.check): the job
    # rewrites it for every customer every night
    lifecycle_facts_date = fields.Date(
        string="Facts Checked On",
        compute="_compute_lifecycle_facts_date",
        inverse="_inverse_lifecycle_facts_date",
        search="_search_lifecycle_facts_date",
        compute_sudo=True,
        readonly=True,
        help="Day the nightly lifecycle job last refreshed this customer.",
        groups="base.group_user",
    )

    # ------------------------------------------------------------------
    # FACT GROUPS (extension point)
    # ------------------------------------------------------------------

    @api.model
    def _lifecycle_fact_groups(self):
        """The groups of behaviour facts, by name (``facts.FactGroup``).

        Another addon adds a group by extending this method: it declares the
        stored fields of its facts with ``compute="_compute_lifecycle_facts",
        store=True``, then::

            def _lifecycle_fact_groups(self):
                groups = super()._lifecycle_fact_groups()
                groups["complaints"] = COMPLAINTS  # a facts.FactGroup
                return groups

        and names the group in the ``fact_groups`` of the events that change it.
        """
        return {group.name: group for group in LIFECYCLE_FACT_GROUPS}

    @api.model
    def _lifecycle_fact_fields(self):
        """The names of all the stored facts, in group order."""
        return tuple(
            fname
            for group in self._lifecycle_fact_groups().values()
            for fname in group.fields
        )

    @api.model
    def _lifecycle_fact_groups_reading(self, model_names):
        """The names of the fact groups whose query reads one of these models
        (their ``sources``): what a change of these documents can change."""
        return tuple(
            name
            for name, group in self._lifecycle_fact_groups().items()
            if any(model in model_names for model, _fnames in group.sources)
        )

    @api.model
    def _lifecycle_derived_facts(self):
        """{non-stored fact rules may use: the stored fact it follows}."""
        derived = {}
        for group in self._lifecycle_fact_groups().values():
            derived.update(group.derived)
        return derived

    # ------------------------------------------------------------------
    # SQL OF THE COMPANY-DEPENDENT COLUMNS
    # ------------------------------------------------------------------

    def _field_to_sql(self, alias, field_expr, query=None):
        """The SQL of a company-dependent column (the stage, the facts...),
        built once per company and alias: every fetch of a partner reads them
        all, and Odoo builds each one's SQL anew (its ``ir.default`` fallback
        read through two new environments), which cost more than the rest of
        the fetch on every order, delivery, invoice and e-mail."""
        field = self._fields.get(field_expr)
        if field_expr == "lifecycle_currency_id":
            # the current company's currency, a constant: the amounts in it
            # (Monetary) can be summed in reports, pivots and spreadsheets,
            # which Odoo allows only when their currency reads in SQL
            self._check_field_access(field, "read")
            return SQL("(%s)::integer", self.env.company.sudo().currency_id.id)
        if (
            field is None
            or not field.company_dependent
            or not field.store
            or field.translate
        ):
            return super()._field_to_sql(alias, field_expr, query)
        self._check_field_access(field, "read")
        return self._company_dependent_sql(alias, field_expr, self.env.company.id)

    def _determine_fields_to_fetch(self, field_names=None, ignore_when_in_cache=False):
        """A fetch of some of the stage and facts (a form, a list showing the
        stage) reads the others with them, as their prefetch group does when
        one is read: the fields computed from them (days overdue, the
        summary...) then need no query of their own."""
        fields_ = super()._determine_fields_to_fetch(field_names, ignore_when_in_cache)
        # on every fetch of a partner: the cheapest test first
        if field_names is None or not any(
            field.prefetch == LIFECYCLE_PREFETCH for field in fields_
        ):
            return fields_
        group = [self._fields[fname] for fname in self._lifecycle_prefetch_fields()]
        fetched = set(fields_)
        return fields_ + [
            field
            for field in group
            if field not in fetched
            and self._has_field_access(field, "read")
            and (not ignore_when_in_cache or any(field._cache_missing_ids(self)))
        ]

    @api.model
    @tools.ormcache("alias", "fname", "company_id")
    def _company_dependent_sql(self, alias, fname, company_id):
        """``Field.to_sql`` of a company-dependent field: it depends on the
        alias, the company and its fallback (``ir.default``, whose changes
        clear this cache with Odoo's)."""
        return self._fields[fname].to_sql(self, alias)

    # ------------------------------------------------------------------
    # COMPUTE / SEARCH
    # ------------------------------------------------------------------

    @api.depends_context("company")
    def _compute_lifecycle_currency_id(self):
        # the facts are the current company's, in its currency
        self.lifecycle_currency_id = self.env.company.sudo().currency_id

    def _search_lifecycle_currency_id(self, operator, value):
        # every customer's amounts are in the current company's currency (a
        # group of a report by currency opens all the customers, or none)
        if operator not in ("in", "not in"):
            return NotImplemented
        currency = self.env.company.sudo().currency_id
        if (currency.id in value) == (operator == "in"):
            return Domain.TRUE
        return Domain.FALSE

    @api.depends_context("company")
    def _compute_lifecycle_facts_date(self):
        checks = dict(
            self.env["crm.lifecycle.facts.check"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id"],
                ["date:max"],
            )
        )
        for partner in self:
            partner.lifecycle_facts_date = checks.get(partner, False)

    def _inverse_lifecycle_facts_date(self):
        Check = self.env["crm.lifecycle.facts.check"].sudo()
        for date in set(self.mapped("lifecycle_facts_date")):
            partners = self.filtered(
                lambda p, date=date: p.lifecycle_facts_date == date
            )
            Check._mark(partners.ids, date)

    def _search_lifecycle_facts_date(self, operator, value):
        """A condition on the day of the check, as an EXISTS on the checks of
        the customer (NOT EXISTS when customers never checked, which have no
        date, match it)."""
        values = (
            list(value)
            if isinstance(value, Iterable) and not isinstance(value, str)
            else [value]
        )
        matches_none = (operator in ("=", "in") and False in values) or (
            operator in ("!=", "not in") and False not in values
        )
        if matches_none:
            # never checked, or checked on a day that matches
            negated = Domain("date", operator, value)
            checks = [~negated]
        else:
            checks = [Domain("date", operator, value)]
        # the checks of the current company
        checks.append(Domain("company_id", "=", self.env.company.id))
        Check = self.env["crm.lifecycle.facts.check"].sudo()

        def to_sql(model, alias, query):
            checked = Check._search(Domain.AND(checks))
            checked.add_where(
                SQL(
                    "%s = %s",
                    SQL.identifier(checked.table, "partner_id"),
                    SQL.identifier(alias, "id"),
                )
            )
            return SQL(
                "%s EXISTS (%s)",
                SQL("NOT") if matches_none else SQL(),
                checked.select(SQL("1")),
            )

        def predicate(partner):
            date = partner.lifecycle_facts_date or None
            if operator in ("in", "not in"):
                found = date in [fields.Date.to_date(v) if v else None for v in values]
                return found == (operator == "in")
            other = fields.Date.to_date(value) if value else None
            if operator in ("=", "!="):
                return (date == other) == (operator == "=")
            if not date or not other:
                return False
            return {
                "<": date < other,
                "<=": date <= other,
                ">": date > other,
                ">=": date >= other,
            }[operator]

        return Domain.custom(to_sql=to_sql, predicate=predicate)

    @api.depends()  # recomputed explicitly, see _lifecycle_refresh_facts
    def _compute_lifecycle_facts(self):
        """Behaviour facts of commercial partners, set-based, for the current
        company (company-dependent fields: ``with_company`` chooses it).

        Each group of facts reads its document table once for all partners,
        the documents of the company (and those of no company) only; amounts
        are in the company's currency, as accounting converted them.
        """
        groups = self._lifecycle_fact_groups().values()
        fnames = [fname for group in groups for fname in group.fields]
        defaults = {fname: self._lifecycle_fact_default(fname) for fname in fnames}
        facts = {partner: dict(defaults) for partner in self}
        commercial = self.filtered(lambda p: p.id and p.commercial_partner_id == p)
        if commercial:
            self._lifecycle_flush_sources(groups)
            FactCollector(self.env, commercial, facts).collect(groups)
        for partner, values in facts.items():
            partner.update(values)

    @api.depends_context("company")
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

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _lifecycle_flush_sources(self, groups, whole=False):
        """Write to the database what the queries of these groups read:
        their fields, or with ``whole`` the source models entirely (an event:
        the document's other pending computations, its statuses, then go in
        the same UPDATE rather than a second one)."""
        fnames_by_model = {}
        for group in groups:
            for model, fnames in group.sources:
                fnames_by_model.setdefault(model, set()).update(fnames)
        for model, fnames in fnames_by_model.items():
            self.env[model].flush_model(None if whole else fnames)

    def _lifecycle_refresh_facts(
        self, groups=None, one_query=False, flush_whole=None, lock=False
    ):
        """Recompute the behaviour facts of these (commercial) partners now,
        for the current company (``with_company``): its documents only, its
        values only (the other companies' are kept).

        :param groups: names of the fact groups to re-read (keys of
            ``_lifecycle_fact_groups``); all of them by default
        :param one_query: read the groups in one query (an event: a few
            customers, one round trip)
        :param flush_whole: flush the source models entirely rather than the
            fields the queries read (default: ``one_query``, see
            ``_lifecycle_flush_sources``)
        :param lock: take the customers' row locks in the same round trip
            (an event, see ``res.partner._lifecycle_lock_for_event``): only the
            customers locked are refreshed
        :return: {partner id: names of the facts that changed} when ``groups``
            is given (an event), else None; with ``lock``, a pair (that, the
            customers locked)
        """
        if groups is None:
            if lock:
                raise ValueError("lock needs the fact groups")
            if self:
                declared = self._lifecycle_fact_groups()
                all_fnames = [f for group in declared.values() for f in group.fields]
                for fname in all_fnames:
                    self.env.add_to_compute(self._fields[fname], self)
                self._recompute_recordset(all_fnames)
                # fields depending on the facts (days overdue, summary...) follow
                self.modified(all_fnames)
            return None
        changed, locked = self._lifecycle_refresh_fact_groups(
            groups, one_query, flush_whole, lock
        )
        return (changed, locked) if lock else changed

    def _lifecycle_refresh_fact_groups(self, groups, one_query, flush_whole, lock):
        """See ``_lifecycle_refresh_facts``: (changed facts, customers locked)."""
        if not self:
            return {}, self
        declared = self._lifecycle_fact_groups()
        all_fnames = [f for group in declared.values() for f in group.fields]
        # facts still to compute (customers created in this transaction) first:
        # writing some of them would cancel the computation of all
        self._recompute_recordset(all_fnames)
        selected = [declared[name] for name in groups]
        fnames = [fname for group in selected for fname in group.fields]
        self._lifecycle_flush_sources(
            selected, whole=one_query if flush_whole is None else flush_whole
        )
        defaults = {fname: self._lifecycle_fact_default(fname) for fname in fnames}
        facts = {partner: dict(defaults) for partner in self}
        locked_ids = FactCollector(self.env, self, facts).collect(
            selected,
            one_query=one_query,
            lock=lock,
            # the stage and stored facts the comparison and the rules read next
            fetch=self._lifecycle_prefetch_missing() if one_query else (),
        )
        partners = self.filtered(lambda p: p.id in locked_ids) if lock else self
        current = partners._lifecycle_current_facts(fnames)
        changed = {}
        for partner in partners:
            old = current[partner.id]
            # most facts are unchanged: equal values skip the comparison
            values = {
                fname: value
                for fname, value in facts[partner].items()
                if value != old[fname]
                and self._lifecycle_fact_differs(old[fname], value)
            }
            if values:
                changed[partner] = values
        if changed:
            # Facts are computed fields: set them as their computation would,
            # without res.partner's write() (users, commercial sync to the
            # contacts...), then tell the fields that depend on them.
            moved = self.browse([partner.id for partner in changed])
            self._lifecycle_write_facts(changed)
            moved.modified({fname for values in changed.values() for fname in values})
        return {
            partner.id: set(values) for partner, values in changed.items()
        }, partners

    @api.model
    def _lifecycle_write_facts(self, changed):
        """Write the facts ``changed`` ({partner: {fact: value}}) of the current
        company, in one UPDATE, and put them in the cache as stored.

        SQL rather than the ORM's flush: Odoo's flush of a company-dependent
        field reads every company once per field written (the fallbacks of
        ``ir.default``), a query per fact on each event. Each value is merged
        into the partner's jsonb (``company_values.with_company_value``), the
        other companies' values kept; a default value (0, no date) removes
        the company's key, as Odoo's flush does."""
        fnames = sorted({fname for values in changed.values() for fname in values})
        partners = self.browse([partner.id for partner in changed])
        partners.flush_recordset(fnames)  # no pending value to write over ours
        company_id = self.env.company.id
        rows = []
        for partner, values in changed.items():
            row = [partner.id]
            for fname in fnames:
                field = self._fields[fname]
                value = values.get(fname)
                row.append(fname in values)
                row.append(
                    None
                    if not value
                    else field.convert_to_column(value, partner, validate=False)
                )
            rows.append(SQL("(%s)", SQL(", ").join(row)))
        names = [SQL("id")]
        assignments = []
        for index, fname in enumerate(fnames):
            column = SQL.identifier(fname)
            flag, value = SQL.identifier(f"c{index}"), SQL.identifier(f"v{index}")
            names += [flag, value]
            assignments.append(
                SQL(
                    "%(column)s = CASE WHEN v.%(flag)s THEN %(merged)s"
                    " ELSE p.%(column)s END",
                    column=column,
                    flag=flag,
                    merged=with_company_value(
                        SQL("p.%s", column),
                        company_id,
                        SQL(
                            "v.%s::%s",
                            value,
                            SQL(self._fields[fname]._column_type[1]),
                        ),
                    ),
                )
            )
        self.env.execute_query(
            SQL(
                "UPDATE res_partner p SET %s FROM (VALUES %s) AS v (%s)"
                " WHERE p.id = v.id",
                SQL(", ").join(assignments),
                SQL(", ").join(rows),
                SQL(", ").join(names),
            )
        )
        for partner, values in changed.items():
            for fname, value in values.items():
                field = self._fields[fname]
                field._update_cache(partner, field.convert_to_cache(value, partner))

    def _lifecycle_refresh_reconciled_facts(self):
        """A reconciliation (made or undone) changed what these customers owe:
        re-read the fact groups reading journal items and reconciliations
        (receivables, days to pay...), in one query. On every payment
        registered, so not every group: the payment's own event reads the
        payments."""
        if not self:
            return
        if self._lifecycle_in_background():
            self.env["crm.lifecycle.pending"]._queue_receivables(self)
            return
        groups = self._lifecycle_fact_groups_reading(
            ("account.move.line", "account.partial.reconcile")
        )
        if groups:
            self._lifecycle_refresh_facts(groups, one_query=True, flush_whole=False)

    def _lifecycle_current_facts(self, fnames):
        """{partner id: {fact: value}} as stored now. A few customers (an
        event) are read through the cache; a batch of the nightly job with
        one query, rather than a field access per customer and fact."""
        if len(self) <= FactCollector.ONE_QUERY_MAX_CUSTOMERS:
            return {
                partner.id: {fname: partner[fname] for fname in fnames}
                for partner in self
            }
        self.flush_recordset(fnames)
        # the current company's values (company-dependent fields)
        rows = self.env.execute_query(
            SQL(
                "SELECT p.id, %s FROM res_partner p WHERE p.id = ANY(%s)",
                SQL(", ").join(self._field_to_sql("p", fname) for fname in fnames),
                self.ids,
            )
        )
        return {row[0]: dict(zip(fnames, row[1:], strict=True)) for row in rows}

    def _lifecycle_prefetch_missing(self):
        """The stored fields of the stage and facts (prefetch group
        ``LIFECYCLE_PREFETCH``) not in cache for some partner of ``self``, and
        the live facts (``_lifecycle_live_facts``): what an event reads in the
        round trip of its facts."""
        stored = [
            fname
            for fname in self._lifecycle_prefetch_fields()
            if self._has_field_access(self._fields[fname], "read")
            and any(self._fields[fname]._cache_missing_ids(self))
        ]
        # live: read again on each event, whatever the cache holds
        return stored + [
            fname
            for fname in self._lifecycle_live_facts()
            if self._has_field_access(self._fields[fname], "read")
        ]

    @api.model
    def _lifecycle_live_facts(self):
        """Non-stored facts the rules read (computed from the documents when
        read) whose value an event reads in the round trip of its facts, with
        ``_lifecycle_live_fact_sql``, rather than by their compute's query.
        An addon adds its own (extension point)."""
        return ()

    @api.model
    def _lifecycle_live_fact_sql(self, alias, fname):
        """SQL of the value of the live fact ``fname`` for the customer of the
        row ``alias`` of ``res_partner``, for the current company, as its
        compute reads it (the sources flushed first)."""
        raise NotImplementedError(fname)

    @api.model
    @tools.ormcache()
    def _lifecycle_prefetch_fields(self):
        """The stored column fields of the prefetch group of the stage and
        facts (the fields Odoo fetches together when one of them is read)."""
        return tuple(
            fname
            for fname, field in self._fields.items()
            if field.prefetch == LIFECYCLE_PREFETCH
            and field.store
            and field.column_type
        )

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
