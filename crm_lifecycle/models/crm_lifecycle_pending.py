# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..bulk_insert import insert_records_sql

_logger = logging.getLogger(__name__)

# Keys of the rows queued by the transaction and of the other statements to
# run with them, in its precommit data
QUEUE_KEY = "crm_lifecycle.pending_rows"
STATEMENTS_KEY = "crm_lifecycle.pending_statements"


class CrmLifecyclePending(models.Model):
    """Lifecycle events of customers that another transaction was changing
    when they happened.

    An event (an order confirmed, a complaint filed...) refreshes the facts of
    its customer and may move its stage: both write the customer's row. When
    another transaction holds that row, or changed it since the current one
    started, writing it would fail the user's request with a serialisation
    error (and Odoo would retry the whole request, and give up after five
    tries). Instead the event is queued here, in rows nobody else writes, and
    a job applies it moments later (``_cron_process``): nothing is lost and
    the user's request never fails because of the customer's lifecycle.

    Companies that update their customers' lifecycle in the background
    (``res.company.lifecycle_event_processing``) queue every event here, the
    documents to log in the timeline (``job`` "log_documents") and the
    e-mails (``job`` "log_emails"): the request inserts the rows of its
    transaction in one statement when it commits (``_queue``), and the job
    applies them set-based, every minute."""

    _name = "crm.lifecycle.pending"
    _description = "Deferred Customer Lifecycle Event"
    _order = "id"

    job = fields.Selection(
        [
            ("event", "Apply an event"),
            ("log_documents", "Log documents"),
            ("log_emails", "Log e-mails"),
            ("receivables", "Refresh what customers owe"),
        ],
        required=True,
        default="event",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", ondelete="cascade", index=True
    )
    event_id = fields.Many2one("crm.lifecycle.event", ondelete="cascade")
    # the company the event happened in: its facts, rules and stage
    company_id = fields.Many2one("res.company", ondelete="cascade")
    source_model = fields.Char()
    source_ids = fields.Json()
    # the type of the documents of a "log_documents" row
    interaction_type = fields.Char()

    _event_complete = models.Constraint(
        "CHECK(job != 'event' OR (partner_id IS NOT NULL AND event_id IS NOT NULL))",
        "A deferred event needs its customer and its event.",
    )

    @api.model
    def _defer(self, partners, event_id, sources=None):
        """Queue an event of these customers, and wake the job up."""
        sources = sources or self.env["base"]
        self.sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "event_id": event_id,
                    "company_id": self.env.company.id,
                    "source_model": sources._name if sources else False,
                    "source_ids": sources.ids if sources else False,
                }
                for partner in partners
            ]
        )
        _logger.info(
            "Lifecycle: %s busy customers, event %s deferred", len(partners), event_id
        )
        cron = self.env.ref(
            "crm_lifecycle.ir_cron_lifecycle_pending", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _queue(self, partners, event_id, sources=None):
        """Queue an event of these customers for the background job (their
        company updates its customers' lifecycle in the background). Nothing
        is written now: the rows of the whole transaction are inserted in one
        statement when it commits, an event of a customer once with all its
        documents."""
        rows = self._queued_rows()
        model = sources._name if sources else False
        by_partner = self.env["res.partner"]._lifecycle_source_partners(sources)
        for partner in partners:
            key = ("event", partner.id, event_id, self.env.company.id, model, False)
            docs = by_partner.get(partner.id) or sources or ()
            rows.setdefault(key, set()).update(doc.id for doc in docs)

    @api.model
    def _queue_receivables(self, partners):
        """Queue the refresh of what these customers owe (a reconciliation
        made or undone, see ``res.partner._lifecycle_refresh_reconciled_facts``)
        for the background job."""
        rows = self._queued_rows()
        for partner in partners:
            rows.setdefault(
                ("receivables", partner.id, False, self.env.company.id, False, False),
                set(),
            )

    @api.model
    def _queue_emails(self, message_ids):
        """Queue messages to log as e-mails in the timeline (see
        ``crm.interaction._lifecycle_log_emails``) for the background job."""
        rows = self._queued_rows()
        key = ("log_emails", False, False, self.env.company.id, "mail.message", False)
        rows.setdefault(key, set()).update(message_ids)

    @api.model
    def _queue_documents(self, documents, interaction_type):
        """Queue documents to log in the timeline with this interaction type
        (see ``crm.lifecycle.document.mixin._lifecycle_log_interactions``)
        for the background job: nothing of them is built in the request."""
        rows = self._queued_rows()
        key = (
            "log_documents",
            False,
            False,
            self.env.company.id,
            documents._name,
            interaction_type,
        )
        rows.setdefault(key, set()).update(documents.ids)

    @api.model
    def _queue_statement(self, statement, columns, callback):
        """Run this INSERT in the statement of the rows queued, when the
        transaction commits (the documents logged in the timeline: one
        statement with their events), then ``callback`` with the rows it
        returned.

        :param columns: the integer columns the statement returns
            (``RETURNING``), in their order
        """
        self._queued_rows()
        self.env.cr.precommit.data[STATEMENTS_KEY].append(
            (statement, columns, callback)
        )

    def _queued_rows(self):
        precommit = self.env.cr.precommit
        if QUEUE_KEY not in precommit.data:
            precommit.data[QUEUE_KEY] = {}
            precommit.data[STATEMENTS_KEY] = []
            precommit.add(self.sudo()._insert_queued)
        return precommit.data[QUEUE_KEY]

    def _insert_queued(self):
        """Insert the rows the transaction queued, and run the statements
        queued with them: one statement (each a common table expression),
        whose rows go back to the statements' callbacks."""
        rows = self.env.cr.precommit.data.pop(QUEUE_KEY, None) or {}
        statements = self.env.cr.precommit.data.pop(STATEMENTS_KEY, None) or []
        if rows:
            values = [
                {
                    "job": job,
                    "partner_id": partner_id or None,
                    "event_id": event_id or None,
                    "company_id": company_id,
                    "source_model": model or None,
                    "source_ids": json.dumps(sorted(ids)) if model else None,
                    "interaction_type": interaction_type or None,
                }
                for (
                    job,
                    partner_id,
                    event_id,
                    company_id,
                    model,
                    interaction_type,
                ), ids in rows.items()
            ]
            statements = [
                *statements,
                (insert_records_sql(self, values), ("id",), None),
            ]
        if not statements:
            return
        if len(statements) == 1:
            statement, _columns, _callback = statements[0]
            results = {0: self.env.execute_query(statement)}
        else:
            # WITH s0 AS (INSERT ... RETURNING ...), s1 AS (...)
            # SELECT 0, ARRAY[s0.id, ...] FROM s0 UNION ALL SELECT 1, ...
            names = [f"s{index}" for index in range(len(statements))]
            query = SQL(
                "WITH %s %s",
                SQL(", ").join(
                    SQL("%s AS (%s)", SQL.identifier(name), statement)
                    for name, (statement, _columns, _callback) in zip(
                        names, statements, strict=True
                    )
                ),
                SQL(" UNION ALL ").join(
                    SQL(
                        "SELECT %s, ARRAY[%s]::int[] FROM %s",
                        index,
                        SQL(", ").join(
                            SQL.identifier(name, column) for column in columns
                        ),
                        SQL.identifier(name),
                    )
                    for index, (name, (_statement, columns, _callback)) in enumerate(
                        zip(names, statements, strict=True)
                    )
                ),
            )
            results = defaultdict(list)
            for index, values in self.env.execute_query(query):
                results[index].append(tuple(values))
        for index, (_statement, _columns, callback) in enumerate(statements):
            if callback:
                callback(results.get(index, []))

    def _log_documents(self):
        """Log the documents of these "log_documents" rows in the timeline,
        all of a model and type together; those without a date field dated
        when they were queued. Their events apply at once (this is the
        background job)."""
        groups = defaultdict(dict)  # (model, type, company): {id: queued}
        for item in self:
            queued = groups[item.source_model, item.interaction_type, item.company_id]
            for id_ in item.source_ids or ():
                queued.setdefault(id_, item.create_date)
        for (model, interaction_type, company), queued in groups.items():
            if model not in self.env:
                continue
            documents = (
                self.env[model]
                .browse(sorted(queued))
                .exists()
                .with_company(company or self.env.company)
                .with_context(lifecycle_no_defer=True)
            )
            documents._lifecycle_log_interactions(interaction_type, now=queued)

    def _log_emails(self):
        """Log the e-mails of these "log_emails" rows in the timeline, all
        together; their events apply at once (this is the background job)."""
        ids = {id_ for item in self for id_ in item.source_ids or ()}
        messages = self.env["mail.message"].browse(sorted(ids)).exists()
        self.env["crm.interaction"].sudo().with_context(
            lifecycle_no_defer=True
        )._lifecycle_log_emails(messages)

    @api.model
    def _log_flagged_emails(self, limit):
        """Log the oldest ``limit`` messages flagged for the timeline, those
        no other worker is logging, and clear their flag.

        :return: the number of messages done
        """
        ids = [
            id_
            for (id_,) in self.env.execute_query(
                SQL(
                    "SELECT id FROM mail_message WHERE lifecycle_email_queued"
                    " ORDER BY id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED",
                    limit,
                )
            )
        ]
        if not ids:
            return 0
        Message = self.env["mail.message"]
        self.env["crm.interaction"].sudo().with_context(
            lifecycle_no_defer=True
        )._lifecycle_log_emails(Message.browse(ids))
        self.env.cr.execute(
            SQL(
                "UPDATE mail_message SET lifecycle_email_queued = NULL"
                " WHERE id = ANY(%s)",
                ids,
            )
        )
        Message.invalidate_model(["lifecycle_email_queued"])
        return len(ids)

    @api.model
    def _sync_cron_interval(self):
        """The job runs every minute while a company updates its customers'
        lifecycle in the background, every hour otherwise (then it only
        applies the events of customers another transaction was changing,
        and is woken up when there are some)."""
        cron = self.env.ref(
            "crm_lifecycle.ir_cron_lifecycle_pending", raise_if_not_found=False
        )
        if not cron:
            return
        background = bool(self.env["res.company"]._lifecycle_background_company_ids())
        interval = (1, "minutes") if background else (1, "hours")
        if (cron.interval_number, cron.interval_type) != interval:
            cron.sudo().write(
                {"interval_number": interval[0], "interval_type": interval[1]}
            )
        if not background and (
            self.sudo().search_count([], limit=1)
            or self.env["mail.message"]
            .sudo()
            .search_count([("lifecycle_email_queued", "=", True)], limit=1)
        ):
            # what was queued is applied now, not in an hour
            cron.sudo()._trigger()

    @api.model
    def _cron_process(self, batch_size=500):
        """Apply the deferred events, oldest first, in batches; customers still
        busy wait for the next run. Several cron workers can share the job.
        First the messages flagged for the timeline (``mail.message``
        ``lifecycle_email_queued``)."""
        cron = self.env["ir.cron"]
        while logged := self._log_flagged_emails(batch_size):
            if cron._commit_progress(logged) <= 0:
                return
        last_id = 0
        while True:
            pending = self.search([("id", ">", last_id)], limit=batch_size)
            if not pending:
                break
            last_id = pending[-1].id
            pending = pending.try_lock_for_update()
            documents = pending.filtered(lambda item: item.job == "log_documents")
            if documents:
                documents._log_documents()
                documents.unlink()
                pending -= documents
            emails = pending.filtered(lambda item: item.job == "log_emails")
            if emails:
                emails._log_emails()
                emails.unlink()
                pending -= emails
            receivables = pending.filtered(lambda item: item.job == "receivables")
            free = pending.partner_id.try_lock_for_update(allow_referencing=True)
            pending -= receivables
            if free:
                free -= free._lifecycle_busy_customers()
            ready = pending.filtered_domain([("partner_id", "in", free.ids)])
            refresh = receivables.filtered_domain([("partner_id", "in", free.ids)])
            for company, items in refresh.grouped("company_id").items():
                items.partner_id.with_company(company or self.env.company).with_context(
                    lifecycle_no_defer=True
                )._lifecycle_refresh_reconciled_facts()
            refresh.unlink()
            groups = defaultdict(lambda: self.browse())
            for item in ready:
                company = item.company_id or self.env.company
                groups[item.event_id, item.source_model, company] |= item
            for (event, source_model, company), items in groups.items():
                sources = None
                if source_model in self.env:
                    ids = {i for item in items for i in item.source_ids or []}
                    sources = self.env[source_model].browse(ids).exists()
                items.partner_id.with_company(company).with_context(
                    lifecycle_no_defer=True
                )._lifecycle_trigger_event(event.code, records=sources)
            ready.unlink()
            done = len(ready) + len(documents) + len(emails) + len(refresh)
            remaining = self.search_count([("id", ">", last_id)])
            if cron._commit_progress(done, remaining=remaining) <= 0:
                break
