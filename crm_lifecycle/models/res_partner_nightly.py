# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, split_every

from ..batches import cron_shard, run_memo, shard_domain, wake_cron_shares

_logger = logging.getLogger(__name__)

# what the nightly job reads of each customer of a batch (besides the facts,
# which it reads and writes with SQL)
NIGHTLY_FIELDS = (
    "commercial_partner_id",
    "active",
    "company_id",
    "lifecycle_locked",
    "lifecycle_stage_id",
)

# every how many nights the job re-reads all the facts of each customer (see
# ``res.partner._lifecycle_full_check_days``)
FULL_CHECK_DAYS = 7


class ResPartner(models.Model):
    """The nightly lifecycle job and the placement at installation: for each
    company, its customers (its own and the shared ones) get their facts and
    stage of that company."""

    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------------

    @api.model
    def _lifecycle_company_domain(self):
        """The commercial partners of the current company: its own and those
        shared by every company."""
        return (
            Domain("active", "=", True)
            & Domain("company_id", "in", [self.env.company.id, False])
            & (Domain("parent_id", "=", False) | Domain("is_company", "=", True))
        )

    @api.model
    def _lifecycle_cron_domain(self, today):
        """The customers of the current company (its own and those shared by
        every company) the nightly job has not checked today for it."""
        company = self.env.company
        return (
            self._lifecycle_company_domain()
            & (
                Domain("lifecycle_stage_id", "!=", False)
                | Domain("lifecycle_order_count", ">", 0)
                | Domain("lifecycle_open_opportunity_count", ">", 0)
                # not "!= 0": Odoo adds "OR IS NULL" to it, and the rows of
                # partners no fact was computed for (e.g. a new company's) are
                # not customers
                | Domain("lifecycle_invoiced_amount", ">", 0)
                | Domain("lifecycle_invoiced_amount", "<", 0)
            )
            & Domain.custom(
                # not checked today for this company (crm.lifecycle.facts.check):
                # a look-up of each customer's check by its unique index; as a
                # NOT EXISTS, PostgreSQL anti-joined the batch with every check
                # of the day (none when it planned, all of them by the end)
                to_sql=lambda model, alias, query: SQL(
                    "COALESCE((SELECT check_.date FROM crm_lifecycle_facts_check"
                    " check_ WHERE check_.partner_id = %s"
                    " AND check_.company_id = %s), '-infinity') < %s",
                    SQL.identifier(alias, "id"),
                    company.id,
                    today,
                ),
                predicate=lambda partner: not partner.lifecycle_facts_date
                or partner.lifecycle_facts_date < today,
            )
        )

    @api.model
    def _lifecycle_nightly_companies(self):
        """The companies the nightly job places the customers for, in order."""
        return self.env["res.company"].sudo().search([], order="id")

    @api.model
    def _lifecycle_initial_evaluation(self, batch_size=5000):
        """Place the existing customers when the module is installed, in each
        company.

        The facts were computed with the new columns for the installing
        user's company; those of the other companies are read from their
        documents first. The rules run in batches without chatter messages nor
        activities (the history keeps the reason): a database with many
        customers installs in reasonable time.
        """
        for company in self._lifecycle_nightly_companies():
            partners = self.with_company(company)
            if company != self.env.company:
                partners._lifecycle_initial_company_facts(batch_size)
            partners._lifecycle_initial_company_evaluation(batch_size)

    @api.model
    def _lifecycle_initial_company_facts(self, batch_size):
        """The facts of the current company's customers, from its documents."""
        groups = tuple(self._lifecycle_fact_groups())
        partners = self.search(self._lifecycle_company_domain(), order="id")
        for batch in split_every(batch_size, partners.ids, self.browse):
            batch._lifecycle_customers()._lifecycle_refresh_facts(groups=groups)

    @api.model
    def _lifecycle_initial_company_evaluation(self, batch_size):
        today = fields.Date.context_today(self)
        partners = self.search(self._lifecycle_cron_domain(today), order="id")
        for batch in split_every(batch_size, partners.ids, self.browse):
            customers = batch._lifecycle_customers()
            customers.filtered(lambda p: not p.lifecycle_locked).with_context(
                tracking_disable=True, lifecycle_no_activity=True
            )._lifecycle_apply_rules(trigger="install")
            batch._lifecycle_mark_refreshed(today)
        _logger.info(
            "Lifecycle: %s customers of %s placed at installation",
            len(partners),
            self.env.company.name,
        )

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

    def _lifecycle_mark_refreshed(self, today, full=None):
        """Note that the nightly job refreshed these customers today (those
        of ``full`` for every fact group; all of them by default): one
        statement on the narrow table of the checks (``crm.lifecycle.facts.check``),
        not a new version of each customer's wide row."""
        self.env["crm.lifecycle.facts.check"].sudo()._mark(
            self.ids, today, full_ids=self.ids if full is None else full.ids
        )

    @api.model
    def _cron_lifecycle_nightly(self, batch_size=2000):
        """Refresh the facts and apply the rules to every customer, once a day,
        in batches, for each company in turn (its own customers and the shared
        ones: its facts, its rules, its stage). Several cron workers share the
        job: each scheduled action calling this method takes its own shard of
        the customers (``batches.cron_shard``), Odoo runs each scheduled action
        in one worker at a time, and each batch locks its rows and skips those
        a user holds. A customer checked today for a company is not done again
        for it: a run stopped half-way resumes where it stopped."""
        shard = cron_shard(self.env, "_cron_lifecycle_nightly")
        if shard is None:  # a share for more cron workers than the server has
            return
        today = fields.Date.context_today(self)
        nights = self._lifecycle_nightly_plan(today, shard)
        remaining = sum(len(night["ids"]) for night in nights)
        for night in nights:
            remaining -= len(night["ids"])
            partners = self.with_company(night["company_id"]).browse(night["ids"])
            if not partners._lifecycle_nightly_company(
                today, shard, batch_size, remaining, night=night
            ):
                break

    @api.model
    def _lifecycle_nightly_plan(self, today, shard):
        """The nightly job's work for this share (``shard``: ``(index,
        count)``), prepared once per run of the scheduled action: one night
        (``_lifecycle_nightly_night``) per company, in order.

        Odoo calls the job again and again in one run of its scheduled action
        (``ir.cron._run_job``: ten calls at least, each one batch once the
        run's first ten seconds are spent), with one cursor for the whole
        run. The plan is kept for the run (``batches.run_memo``), and each
        call goes on with the batches left: preparing the night again for
        each call (the promises, the search of the customers due, the scan of
        the documents written) cost seconds per call on a large database.
        Outside a scheduled action, prepared for the call."""

        def prepare():
            self._lifecycle_nightly_wake_shares()
            return self._lifecycle_nightly_prepare(today, shard)

        return run_memo(
            self.env, ("crm_lifecycle.nightly_plan", today, tuple(shard)), prepare
        )

    @api.model
    def _lifecycle_nightly_wake_shares(self):
        """At the start of a run of the nightly job's scheduled action, wake
        the cron workers for its other shares due now (``batches.wake_cron_shares``),
        and commit so that they start now, while this one prepares its night:
        the job ends when its last share does."""
        if wake_cron_shares(self.env, "_cron_lifecycle_nightly"):
            self.env["ir.cron"]._commit_progress()

    @api.model
    def _lifecycle_nightly_prepare(self, today, shard):
        """The nightly job's plan for this share (see
        ``_lifecycle_nightly_plan``), prepared now."""
        index, count = shard
        # promises whose date passed (set-based, before the facts count them)
        self.env["crm.interaction"]._evaluate_promises(
            shard=shard_domain(index, count, "commercial_partner_id")
        )
        companies = self._lifecycle_nightly_companies()
        # the documents written since the companies' checks: one scan of
        # their tables for all the companies
        written = self._lifecycle_written_since_checks(
            today, self._lifecycle_full_check_days(), companies
        )
        plan = []
        for company in companies:
            partners = self.with_company(company)
            domain = partners._lifecycle_cron_domain(today) & shard_domain(index, count)
            # the customers to do, searched once: a search per batch read the
            # rows from the last one done on, each time, with their facts (the
            # job alone marks them done, each share its own customers)
            due = partners.search(domain, order="id")
            plan.append(due._lifecycle_nightly_night(today, written=written))
        return plan

    def _lifecycle_nightly_night(self, today, written=None):
        """What the nightly job needs to do these customers of the current
        company tonight, as a dictionary: ``company_id``; ``ids``, the
        customers (in order; the job removes each batch once committed);
        ``written`` and ``fresh``, who is due the re-reading of every fact
        group (``_lifecycle_written_since_checks`` and
        ``crm.lifecycle.facts.check._fully_checked``).

        :param written: ``_lifecycle_written_since_checks`` of the companies,
            this one's among them (None: read here, for this company)
        """
        every = self._lifecycle_full_check_days()
        company = self.env.company
        if written is None:
            written = self._lifecycle_written_since_checks(today, every, company)
        return {
            "company_id": company.id,
            "ids": list(self.ids),
            "written": written[company.id],
            "fresh": self.env["crm.lifecycle.facts.check"]
            .sudo()
            ._fully_checked(today, every),
        }

    def _lifecycle_nightly_company(
        self, today, shard, batch_size, remaining, night=None
    ):
        """The nightly job for these customers of the current company, in
        batches (``remaining``: the customers of the companies after it;
        ``night``: as prepared by ``_lifecycle_nightly_night`` for them, whose
        ``ids`` lose each batch done). False when the job must stop (out of
        time).

        Each customer gets the fact groups that move with the date re-read
        (``FactGroup.dated``); the others, only its documents change them, if
        some were written since its last check or on its night of the full
        check (``_lifecycle_full_check_days``)."""
        cron = self.env["ir.cron"]
        declared = self._lifecycle_fact_groups()
        dated = tuple(name for name, group in declared.items() if group.dated)
        undated = tuple(name for name, group in declared.items() if not group.dated)
        if night is None:
            night = self._lifecycle_nightly_night(today)
        written, fresh = night["written"], night["fresh"]
        todo = len(self)
        for batch in split_every(batch_size, self.ids, self.browse):
            todo -= len(batch)
            # customers (or their contacts) a user is saving are left for the
            # next run; those deleted since the search are gone
            partners = batch.try_lock_for_update()
            if partners:
                # the columns the job reads, as locked, not the whole rows of
                # thousands of customers (the ORM would prefetch every column
                # at first access)
                partners.fetch(NIGHTLY_FIELDS)
                partners -= partners._lifecycle_busy_customers()
            if not partners:
                del night["ids"][: len(batch)]
                continue
            customers = partners._lifecycle_customers()
            if written is None:  # written documents of anyone (or all due)
                full = customers
            else:
                full = customers.filtered(
                    lambda p: p.id not in fresh or p.id in written
                )
            # re-read the sources: the groups that move with the date for
            # every customer, the others for those due; but write only the
            # facts that changed (few on a normal night: the ORM would rewrite
            # every fact of every customer)
            if full == customers:  # in one pass (the first night: all)
                customers._lifecycle_refresh_facts(groups=dated + undated)
            else:
                customers._lifecycle_refresh_facts(groups=dated)
                full._lifecycle_refresh_facts(groups=undated)
            customers.filtered(
                lambda p: not p.lifecycle_locked
            )._lifecycle_apply_rules()
            partners._lifecycle_mark_refreshed(today, full=full)
            _logger.info(
                "Lifecycle nightly, share %s of %s: %s customers up to id %s"
                " (company %s)",
                shard[0] + 1,
                shard[1],
                len(partners),
                batch[-1].id,
                self.env.company.id,
            )
            left = cron._commit_progress(len(partners), remaining=todo + remaining)
            # committed: the next call of the run goes on after this batch
            del night["ids"][: len(batch)]
            if left <= 0:
                return False
            # the batch is committed: forget its records (the commit keeps the
            # cache, which would otherwise hold every batch until the end)
            self.env.invalidate_all()
        return True

    @api.model
    def _lifecycle_full_check_days(self):
        """Every how many nights the nightly job re-reads all the facts of
        each customer, those that only documents change too (orders,
        invoices, payments, opportunities). Between, the events keep them,
        and the job re-reads them for the customers whose documents were
        written since their last check; the full check catches what changed
        the documents without writing them (a deleted lead, an import in
        SQL). System parameter ``crm_lifecycle.full_check_days``, 7 by
        default; 1: every night."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_lifecycle.full_check_days", FULL_CHECK_DAYS)
        )
        try:
            days = int(value)
        except (TypeError, ValueError):
            days = 0
        if days < 1:
            _logger.warning(
                "Lifecycle: crm_lifecycle.full_check_days must be a whole number"
                " of nights, 1 or more, not %r: %s used",
                value,
                FULL_CHECK_DAYS,
            )
            return FULL_CHECK_DAYS
        return days

    @api.model
    def _lifecycle_written_since_checks(self, today, every, companies):
        """For each of ``companies``, the commercial partners whose documents
        read by the fact groups that do not move with the date were written
        since the oldest check of the customers due for the company: {company
        id: ids, or None when every customer is due (the full check being
        every night, or a source that is nobody's document written)}.

        From a day earlier, as the check's day is the cron's and a document's
        time is UTC; no older than the full check, which re-reads everything
        of a customer not checked for ``every`` nights. The documents are
        scanned once for all the companies, from the earliest of their days."""
        if every <= 1:
            return dict.fromkeys(companies.ids)
        checks = self.env["crm.lifecycle.facts.check"].sudo()
        since = {}
        for company in companies:
            oldest = checks.with_company(company)._oldest_check(today)
            # none checked: every one is due a full check, none is "written"
            since[company.id] = oldest and (
                max(oldest, today - timedelta(days=every)) - timedelta(days=1)
            )
        days = [day for day in since.values() if day]
        if not days:
            return dict.fromkeys(companies.ids, set())
        groups = [
            group for group in self._lifecycle_fact_groups().values() if not group.dated
        ]
        written = self._lifecycle_written_dates(groups, min(days))
        result = {}
        for company_id, day in since.items():
            if not day:
                result[company_id] = set()
                continue
            start = datetime.combine(day, time.min)
            if written is None or (written[None] and written[None] >= start):
                result[company_id] = None
            else:
                result[company_id] = {
                    id_
                    for id_, last in written.items()
                    if id_ is not None and last >= start
                }
        return result

    @api.model
    def _lifecycle_written_customers(self, groups, since):
        """The commercial partners one of whose documents read by these fact
        groups (their ``sources``) was written on or after the day ``since``
        (None: see ``_lifecycle_written_dates``)."""
        written = self._lifecycle_written_dates(groups, since)
        if written is None or written[None]:
            return None
        return {id_ for id_ in written if id_ is not None}

    @api.model
    def _lifecycle_written_dates(self, groups, since):
        """The last write, on or after the day ``since``, of the documents
        read by these fact groups (their ``sources``), per commercial partner
        they are of, in one query: a scan of each source table, once a night.
        Key None: the last write of the sources that are no customer's
        document (a dunning level, a currency), which may concern any
        customer (None: none written). None instead of the dictionary: a
        source that keeps no write date."""
        selects = []
        sources = {model for group in groups for model, _fnames in group.sources}
        for model_name in sorted(sources):
            model = self.env[model_name]
            if not model._log_access:
                return None
            table = SQL.identifier(model._table)
            column = self._lifecycle_customer_column(model)
            if column is None:
                selects.append(
                    SQL(
                        "SELECT NULL::int, MAX(write_date) FROM %s"
                        " WHERE write_date >= %s",
                        table,
                        since,
                    )
                )
                continue
            selects.append(
                SQL(
                    "SELECT p.commercial_partner_id, MAX(doc.write_date) FROM %s doc"
                    " JOIN res_partner p ON p.id = doc.%s"
                    " WHERE doc.write_date >= %s"
                    " AND p.commercial_partner_id IS NOT NULL"
                    " GROUP BY p.commercial_partner_id",
                    table,
                    SQL.identifier(column),
                    since,
                )
            )
        written = {None: None}
        if not selects:
            return written
        rows = self.env.execute_query(SQL(" UNION ALL ").join(selects))
        for id_, last in rows:
            if last and (written.get(id_) is None or last > written[id_]):
                written[id_] = last
        return written

    @api.model
    def _lifecycle_customer_column(self, model):
        """The column of ``model``'s table holding the customer a document
        is of (None: none)."""
        if model._name == "res.partner":
            return "id"
        for fname in ("commercial_partner_id", "partner_id"):
            field = model._fields.get(fname)
            if field and field.store and field.comodel_name == "res.partner":
                return fname
        return None
