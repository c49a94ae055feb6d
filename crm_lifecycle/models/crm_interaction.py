# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import datetime, timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.orm.models import MAGIC_COLUMNS
from odoo.tools import SQL

from ..bulk_insert import (
    after_insert,
    column_values,
    insert_records,
    insert_records_sql,
    with_defaults,
)

# Interaction types logged automatically from a document (not offered for manual entry
# in the quick-log buttons, but allowed in the form for corrections).
DOCUMENT_TYPES = (
    "lead",
    "quotation",
    "order",
    "invoice",
    "credit_note",
    "payment",
    "delivery",
)

# Types a document may log more than once (not in the unique index
# ``_document_uniq``, whose columns and predicate are ``DOCUMENT_CONFLICT``)
NOT_UNIQUE_TYPES = ("email", "sms", "campaign_response")
DOCUMENT_CONFLICT = SQL(
    "(res_model, res_id, interaction_type, partner_id) WHERE is_automatic "
    "AND interaction_type NOT IN ('email', 'sms', 'campaign_response')"
)


class CrmInteraction(models.Model):
    """Every contact with a customer, in one company-owned timeline.

    Interactions are logged by hand (calls, visits, notes...) or automatically,
    once per document event (an order confirmed, an invoice posted...): the
    automatic ones carry the source document in ``res_model``/``res_id`` and a
    unique index makes logging them idempotent.
    """

    _name = "crm.interaction"
    _inherit = ["crm.lifecycle.source.mixin"]
    _description = "Customer Interaction"
    _order = "date desc, id desc"

    name = fields.Char(string="Summary", required=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('parent_id', '=', False)]",
        help="The customer (commercial entity) the interaction belongs to.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        ondelete="set null",
        help="The person of the customer who took part, if known.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    interaction_type = fields.Selection(
        [
            ("call", "Phone call"),
            ("visit", "Visit"),
            ("meeting", "Meeting"),
            ("email", "E-mail"),
            ("sms", "Text message (SMS)"),
            ("quotation_request", "Quotation request"),
            ("web_form", "Web form"),
            ("lead", "Lead / inquiry"),
            ("quotation", "Quotation sent"),
            ("order", "Order"),
            ("invoice", "Invoice"),
            ("credit_note", "Credit note"),
            ("payment", "Payment"),
            ("delivery", "Delivery"),
            ("complaint", "Complaint"),
            ("collection", "Collection call"),
            ("payment_promise", "Payment promise"),
            ("note", "Note"),
            ("campaign_response", "Campaign response"),
            ("survey", "Survey"),
        ],
        string="Type",
        required=True,
        default="call",
        index=True,
    )
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")],
        default="outbound",
        help="Inbound: the customer reached us. Outbound: we reached the customer.",
    )
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "E-mail"),
            ("in_person", "In person"),
            ("video", "Video call"),
            ("web", "Website"),
            ("portal", "Customer portal"),
            ("chat", "Chat / messaging"),
            ("sms", "SMS"),
            ("social", "Social network"),
            ("post", "Post"),
            ("system", "Document"),
            ("other", "Other"),
        ],
        compute="_compute_channel",
        store=True,
        readonly=False,
        precompute=True,
    )
    duration = fields.Float(help="Duration in hours.")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        default=lambda self: self.env.user,
        index=True,
    )
    reason_id = fields.Many2one("crm.interaction.reason", string="Reason for Contact")
    outcome = fields.Selection(
        [
            ("positive", "Positive"),
            ("follow_up", "Follow-up needed"),
            ("no_answer", "No answer"),
            ("negative", "Negative"),
            ("info", "Information only"),
        ]
    )
    description = fields.Html(string="Notes", sanitize=True)
    res_model = fields.Char(index=True, readonly=True)
    res_id = fields.Many2oneReference(readonly=True)
    source_name = fields.Char(string="Source Document", readonly=True)
    is_automatic = fields.Boolean(
        string="Logged Automatically", readonly=True, default=False
    )
    message_id = fields.Many2one(
        "mail.message",
        string="E-mail",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The e-mail (or portal message) this interaction was logged from.",
    )
    color = fields.Integer(compute="_compute_color")
    # Collections: a customer's promise to pay an amount by a date
    promise_date = fields.Date(string="Promised Payment Date")
    promise_amount = fields.Monetary(
        string="Promised Amount", currency_field="promise_currency_id"
    )
    promise_currency_id = fields.Many2one(related="company_id.currency_id")
    promise_invoice_ids = fields.Many2many(
        "account.move",
        "crm_interaction_promise_invoice_rel",
        "interaction_id",
        "move_id",
        string="Promised Invoices",
        domain="[('commercial_partner_id', '=', partner_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial')), "
        "('company_id', '=', company_id)]",
        help="The open invoices the customer promised to pay.",
    )
    manual_type_values = fields.Json(
        compute="_compute_manual_type_values",
        help="The types a person logs by hand (the others are logged by "
        "the documents themselves).",
    )
    promise_state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken")],
        string="Promise",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Kept when the customer's payments since the promise reach the "
        "amount; broken when the date passes before.",
    )

    _duration_positive = models.Constraint(
        "CHECK(duration >= 0)", "The duration of an interaction cannot be negative."
    )
    # An automatic interaction is logged once per document, type and customer;
    # e-mails are not document events (a document exchanges many of them): they
    # are logged once per message and customer (so are text messages);
    # campaign responses (Email Marketing) once per mailing trace and event.
    _document_uniq = models.UniqueIndex(
        "(res_model, res_id, interaction_type, partner_id) WHERE is_automatic "
        "AND interaction_type NOT IN ('email', 'sms', 'campaign_response')",
        "This document event is already in the customer's timeline.",
    )
    _message_uniq = models.UniqueIndex(
        "(message_id, partner_id) WHERE message_id IS NOT NULL",
        "This e-mail is already in the customer's timeline.",
    )
    _partner_date_idx = models.Index("(partner_id, date DESC)")
    _promise_amount_positive = models.Constraint(
        "CHECK(promise_amount IS NULL OR promise_amount >= 0)",
        "A promised amount cannot be negative.",
    )

    @api.depends("contact_id")
    def _compute_partner_id(self):
        for interaction in self:
            if interaction.contact_id:
                interaction.partner_id = interaction.contact_id.commercial_partner_id

    @api.depends("interaction_type")
    def _compute_channel(self):
        defaults = {
            "call": "phone",
            "visit": "in_person",
            "meeting": "in_person",
            "email": "email",
            "web_form": "web",
            "complaint": "other",
        }
        for interaction in self:
            if interaction.interaction_type in DOCUMENT_TYPES:
                interaction.channel = "system"
            elif not interaction.channel:
                interaction.channel = defaults.get(
                    interaction.interaction_type, "other"
                )

    @api.model
    def _manual_interaction_types(self):
        """Types offered when logging by hand. Extend with ``super()`` to
        offer a type of your own."""
        return [
            "call",
            "visit",
            "meeting",
            "email",
            "note",
            "quotation_request",
            "web_form",
            "collection",
            "payment_promise",
        ]

    def _compute_manual_type_values(self):
        types = self._manual_interaction_types()
        for interaction in self:
            interaction.manual_type_values = types

    @api.onchange("promise_invoice_ids")
    def _onchange_promise_invoice_ids(self):
        if self.promise_invoice_ids:
            self.promise_amount = sum(
                self.promise_invoice_ids.mapped("amount_residual_signed")
            )

    def _compute_color(self):
        colors = {"inbound": 10, "outbound": 4}
        for interaction in self:
            interaction.color = colors.get(interaction.direction, 0)

    @api.constrains("partner_id", "contact_id")
    def _check_contact(self):
        for interaction in self:
            if (
                interaction.contact_id
                and interaction.contact_id.commercial_partner_id
                != interaction.partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "The contact %(contact)s does not belong to the customer "
                        "%(customer)s.",
                        contact=interaction.contact_id.display_name,
                        customer=interaction.partner_id.display_name,
                    )
                )

    @api.constrains("interaction_type", "promise_date", "promise_amount")
    def _check_promise(self):
        for interaction in self.filtered(
            lambda i: i.interaction_type == "payment_promise"
        ):
            if not interaction.promise_date or interaction.promise_amount <= 0:
                raise ValidationError(
                    self.env._(
                        "A payment promise needs the date and the amount the "
                        "customer promised to pay."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("interaction_type") == "payment_promise":
                vals.setdefault("promise_state", "open")
            # Interactions always belong to the commercial entity.
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                if partner.commercial_partner_id != partner:
                    vals.setdefault("contact_id", partner.id)
                    vals["partner_id"] = partner.commercial_partner_id.id
        interactions = super().create(vals_list)
        interactions.filtered("promise_state")._schedule_promise_reminder()
        manual = interactions.filtered(lambda i: not i.is_automatic)
        manual.filtered(lambda i: i.outcome == "follow_up")._schedule_follow_up()
        if manual and not self.env.context.get("lifecycle_no_event"):
            manual.partner_id._lifecycle_trigger_event(
                "interaction_logged", records=manual
            )
        return interactions

    def _schedule_promise_reminder(self):
        """A reminder on the promised date, for whoever logged the promise."""
        for promise in self:
            promise.partner_id.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=promise.promise_date,
                summary=self.env._(
                    "Payment promise due: %(amount)s",
                    amount=promise.promise_currency_id.format(promise.promise_amount),
                ),
                user_id=(promise.user_id or self.env.user).id,
            )

    def _schedule_follow_up(self):
        """An interaction whose outcome is "Follow-up needed" leaves a to-do
        for whoever logged it, on the customer, after the to-do type's delay
        (two days when the type has none)."""
        if not self:
            return
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        if not todo:
            return
        if todo.delay_count:
            deadline = todo._get_date_deadline()
        else:
            deadline = fields.Date.context_today(self) + timedelta(days=2)
        for interaction in self:
            interaction.partner_id.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=deadline,
                summary=self.env._("Follow up: %(summary)s", summary=interaction.name),
                user_id=(interaction.user_id or self.env.user).id,
            )

    @api.model
    def _evaluate_promises(self, partners=None, shard=None):
        """Mark open payment promises as kept or broken, all at once.

        Kept: the customer's payments received since the promise was made reach
        the promised amount. Broken: the promised date passed before that.
        ``shard``: a domain on the promise's customer (``res.partner``), the
        share of the nightly job running it.
        """
        domain = Domain("promise_state", "=", "open")
        if partners is not None:
            domain &= Domain("partner_id", "in", partners.ids)
        if shard is not None and not shard.is_true():
            domain &= Domain("partner_id", "any", shard)
        promises = self.sudo().search(domain)
        if not promises:
            return promises
        self.env["account.payment"].flush_model(
            [
                "partner_id",
                "state",
                "date",
                "partner_type",
                "amount_company_currency_signed",
            ]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        received = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT promise.id,
                           COALESCE(SUM(pay.amount_company_currency_signed), 0)
                      FROM crm_interaction promise
                      JOIN res_partner p
                        ON p.commercial_partner_id = promise.partner_id
                      JOIN account_payment pay
                        ON pay.partner_id = p.id
                       AND pay.company_id = promise.company_id
                       AND pay.partner_type = 'customer'
                       AND pay.state IN ('in_process', 'paid')
                       AND pay.date >= promise.date::date
                     WHERE promise.id = ANY(%s)
                  GROUP BY promise.id
                    """,
                    promises.ids,
                )
            )
        )
        today = fields.Date.context_today(self)
        kept = promises.filtered(
            lambda p: received.get(p.id, 0) >= p.promise_amount
            or (
                p.promise_invoice_ids
                and all(
                    state in ("paid", "in_payment")
                    for state in p.promise_invoice_ids.mapped("payment_state")
                )
            )
        )
        broken = (promises - kept).filtered(lambda p: p.promise_date < today)
        kept.write({"promise_state": "kept"})
        broken.write({"promise_state": "broken"})
        return kept | broken

    @api.model
    def _log_documents(
        self,
        records,
        interaction_type,
        *,
        name=None,
        partner_field="partner_id",
        date_field=None,
        user_field="user_id",
        direction="inbound",
        values=None,
        defer=False,
        now=None,
    ):
        """Log one automatic interaction per document, idempotently.

        :param records: the source documents (any model with a partner field)
        :param interaction_type: a key of the ``interaction_type`` selection
        :param name: callable ``record -> str`` for the summary
            (default: "<type>: <document name>")
        :param partner_field: field of ``records`` holding the customer (a
            many2one or a many2many of partners: one interaction per customer),
            or a callable ``record -> partners``
        :param date_field: field of ``records`` holding the date (default: now)
        :param user_field: field of ``records`` holding the responsible user
        :param values: callable ``record -> dict`` of extra values
        :param defer: insert them when the transaction commits, in the
            statement of its queued lifecycle events (a company updating its
            customers in the background, see ``crm.lifecycle.pending``)
        :param now: {record id: datetime}, the moment of the documents
            without a date field (default: now; the background job gives
            when they were queued)
        :return: the interactions created (documents already logged are
            skipped; none yet when deferred)
        """
        records = records.sudo()
        if not records:
            return self.browse()
        type_label = dict(
            self._fields["interaction_type"]._description_selection(self.env)
        )[interaction_type]
        self.flush_model(
            ["res_model", "res_id", "interaction_type", "is_automatic", "partner_id"]
        )
        existing = set()  # (document, customer) logged in this batch
        if callable(partner_field):
            partners_of = partner_field
        else:

            def partners_of(record):
                return record[partner_field]

        internal_ids = self._lifecycle_internal_partner_ids()
        vals_list = []
        moments = now or {}
        now = fields.Datetime.now()
        for record in records:
            date = (record[date_field] if date_field else False) or moments.get(
                record.id, now
            )
            if not isinstance(date, datetime):
                date = fields.Datetime.to_datetime(date)
            user = record[user_field] if user_field in record._fields else False
            company = record.company_id if "company_id" in record._fields else False
            for contact in partners_of(record):
                customer = contact.commercial_partner_id
                if (
                    (record.id, customer.id) in existing
                    or contact.id in internal_ids
                    or customer.id in internal_ids
                ):
                    continue
                existing.add((record.id, customer.id))
                vals = {
                    "name": name(record)
                    if name
                    else f"{type_label}: {record.display_name}",
                    "partner_id": customer.id,
                    "contact_id": contact.id if contact != customer else False,
                    "company_id": (company or self.env.company).id,
                    "date": date,
                    "interaction_type": interaction_type,
                    "direction": direction,
                    "user_id": user.id if user else False,
                    "res_model": record._name,
                    "res_id": record.id,
                    "source_name": record.display_name,
                    "is_automatic": True,
                }
                if interaction_type in DOCUMENT_TYPES:
                    vals["channel"] = "system"  # as computed, without computing it
                if values:
                    vals.update(values(record))
                vals_list.append(vals)
        # on every confirmation, delivery, invoice...: one INSERT skipping the
        # documents already logged (the unique index)
        interactions = self._lifecycle_insert_documents(
            interaction_type, vals_list, defer=defer
        )
        if interactions is not None:
            return interactions
        logged = set(
            self.env.execute_query(
                SQL(
                    """
                    SELECT res_id, partner_id FROM crm_interaction
                     WHERE res_model = %s AND res_id = ANY(%s)
                       AND interaction_type = %s AND is_automatic
                    """,
                    records._name,
                    records.ids,
                    interaction_type,
                )
            )
        )
        return self.sudo().create(
            [
                vals
                for vals in vals_list
                if (vals["res_id"], vals["partner_id"]) not in logged
            ]
        )

    @api.model
    def _lifecycle_insert_documents(self, interaction_type, vals_list, defer=False):
        """Insert the automatic interactions ``vals_list`` of documents with
        one ``INSERT ... ON CONFLICT DO NOTHING`` on the unique index of the
        document events: those already logged are skipped in the same
        statement (a duplicate check before ``create()`` cost a query on
        every order, delivery, invoice and payment). The rows are what
        ``create()`` inserts (defaults, precomputed department and channel,
        access log columns), put in the cache as it does, constraints checked
        and dependent fields marked (``bulk_insert.after_insert``).

        :param defer: queue the statement for the commit of the transaction
            (``crm.lifecycle.pending._queue_statement``): inserted with the
            lifecycle events queued, in one statement
        :return: the interactions inserted (none yet when deferred), or None
            when ``create()`` is needed: a type outside the unique index, a
            payment promise (its state and reminder), a value ``create()``
            must handle, or an automation rule watching the creation of
            interactions (``base.automation`` patches ``create()``)
        """
        Interaction = self.sudo()
        if (
            interaction_type in NOT_UNIQUE_TYPES
            or interaction_type == "payment_promise"
            or "create" in vars(type(Interaction))
        ):
            return None
        if not vals_list:
            return Interaction.browse()
        cache, links, rows = {}, defaultdict(list), []
        vals_list = [with_defaults(Interaction, vals, cache) for vals in vals_list]
        Interaction._add_precomputed_values(vals_list)
        for index, vals in enumerate(vals_list):
            vals.pop("__precomputed__", None)
            row = column_values(Interaction, vals, index, links, cache)
            if row is None or links:
                return None
            rows.append(row)
        keys = ("res_id", "partner_id")
        if defer:
            self.env["crm.lifecycle.pending"]._queue_statement(
                insert_records_sql(
                    Interaction, rows, conflict=DOCUMENT_CONFLICT, keys=keys
                ),
                ("id", *keys),
                lambda inserted: Interaction._lifecycle_documents_inserted(
                    vals_list, inserted
                ),
            )
            return Interaction.browse()
        inserted = insert_records(
            Interaction, rows, conflict=DOCUMENT_CONFLICT, keys=keys
        )
        return Interaction._lifecycle_documents_inserted(vals_list, inserted)

    @api.model
    def _lifecycle_documents_inserted(self, vals_list, inserted):
        """The interactions of ``vals_list`` just inserted (``inserted``: their
        [(id, res_id, partner_id)]) cached, checked and marked as ``create()``
        does them (see ``_lifecycle_insert_documents``)."""
        if not inserted:
            return self.browse()
        by_key = {(vals["res_id"], vals["partner_id"]): vals for vals in vals_list}
        interactions = self.browse(row[0] for row in inserted)
        fields_ = self._fields
        for interaction, (_id, *key) in zip(interactions, inserted, strict=True):
            vals = by_key[tuple(key)]
            # as create() caches them: the rest of the row is empty
            for name, field in fields_.items():
                if not field.store or name in MAGIC_COLUMNS:
                    continue
                if field.type in ("one2many", "many2many"):
                    field._update_cache(interaction, ())
                elif name in vals:
                    field._update_cache(
                        interaction, field.convert_to_cache(vals[name], interaction)
                    )
                else:
                    field._update_cache(interaction, None)
        after_insert(interactions, {name for vals in vals_list for name in vals})
        return interactions

    @api.model
    @tools.ormcache()
    def _lifecycle_internal_partner_ids(self):
        """Partners that are never customers: the companies of the database and
        internal users (cached; cleared when users or companies change)."""
        companies = self.env["res.company"].sudo().with_context(active_test=False)
        users = self.env["res.users"].sudo().with_context(active_test=False)
        return frozenset(
            (
                companies.search([]).partner_id
                | users.search([("share", "=", False)]).partner_id
            ).ids
        )

    @api.model
    def _backfill_from_documents(self):
        """Log the documents a database already has, at installation.

        The documents are those of the models inheriting
        ``crm.lifecycle.document.mixin``, selected by the same declaration as
        the live logging. One INSERT ... SELECT per type of interaction (a
        database may hold millions of documents; creating them through the
        ORM would take hours); the unique index makes it idempotent.

        :return: ids of the customers that got interactions
        """
        labels = dict(self._fields["interaction_type"]._description_selection(self.env))
        not_internal = SQL(
            """p.commercial_partner_id NOT IN (SELECT partner_id FROM res_company)
               AND p.id NOT IN (
                   SELECT partner_id FROM res_users WHERE share IS NOT TRUE
               )"""
        )
        self.env.flush_all()
        customers = set()
        mixin = "crm.lifecycle.document.mixin"
        for model_name in self.env.registry.descendants([mixin], "_inherit"):
            Document = self.env[model_name].sudo()
            if Document._abstract:
                continue
            for itype in Document._lifecycle_interactions:
                spec = Document._lifecycle_interaction_spec(itype)
                if spec["backfill"]:
                    customers.update(
                        self._backfill_documents(
                            Document, itype, spec, labels[itype], not_internal
                        )
                    )
        self.invalidate_model()
        return sorted(customers)

    @api.model
    def _backfill_documents(self, Document, itype, spec, label, not_internal):
        """Log the documents of one type (see ``_backfill_from_documents``)."""

        def column(fname):
            return SQL("doc.%s", SQL.identifier(fname)) if fname else SQL("NULL")

        date = spec["date_field"] or "create_date"
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_interaction (
                    name, partner_id, contact_id, company_id, date,
                    interaction_type, direction, channel, user_id, res_model,
                    res_id, source_name, is_automatic, create_uid, write_uid,
                    create_date, write_date
                )
                SELECT %(label)s || ': ' || COALESCE(doc.name, ''),
                       p.commercial_partner_id,
                       NULLIF(p.id, p.commercial_partner_id),
                       COALESCE(doc.company_id, %(company)s),
                       COALESCE(%(date)s::timestamp, doc.create_date),
                       %(itype)s, %(direction)s, 'system', %(user)s,
                       %(model)s, doc.id, doc.name, TRUE, %(uid)s, %(uid)s,
                       NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                  FROM %(table)s doc
                  JOIN res_partner p ON p.id = %(contact)s
                 WHERE doc.id IN %(documents)s AND %(not_internal)s
                    ON CONFLICT (res_model, res_id, interaction_type, partner_id)
                 WHERE is_automatic
                   AND interaction_type NOT IN ('email', 'sms', 'campaign_response')
                    DO NOTHING
             RETURNING partner_id
                """,
                label=label,
                company=self.env.company.id,
                date=column(date),
                itype=itype,
                direction=spec["direction"],
                user=column(spec["user_field"]),
                model=Document._name,
                uid=self.env.uid,
                table=SQL.identifier(Document._table),
                contact=column(spec["partner_field"]),
                documents=Document._search(spec["domain"]).subselect(),
                not_internal=not_internal,
            )
        )
        return {partner_id for (partner_id,) in rows}
