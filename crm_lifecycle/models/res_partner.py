# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..bulk_insert import ORM_INSERT_BATCH, create_rows
from ..facts import LIFECYCLE_PREFETCH, lock_customers

_logger = logging.getLogger(__name__)

# Fields whose manual change needs sales rights.
PROTECTED_FIELDS = ("lifecycle_stage_id", "lifecycle_locked")
# The tracked fields a write in progress does not set (see ``write``)
UNTRACKED_KEY = "crm_lifecycle.untracked_fields"
SALESMAN_GROUP = "sales_team.group_sale_salesman"
# who reads the stage history and the timeline (their access rights)
SALES_OR_ACCOUNTING = "sales_team.group_sale_salesman,account.group_account_invoice"


class ResPartner(models.Model):
    """The lifecycle stage of customers: where each one stands, how it moves
    (by hand, on events, every night) and the record of its moves.

    Concerns of the same model in their own files: behaviour facts
    (``res_partner_facts.py``), the nightly job (``res_partner_nightly.py``),
    the customer summary (``res_partner_summary.py``) and need to know
    (``res_partner_need_to_know.py``); data protection is the addon
    crm_privacy's."""

    _name = "res.partner"
    _inherit = ["res.partner", "mail.tracking.duration.mixin"]
    _track_duration_field = "lifecycle_stage_id"

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------

    # Stage (on the commercial partner, copied to its contacts), one per
    # company: a customer shared by the companies stands where it stands with
    # each of them (company-dependent: one jsonb {company id: value} per row,
    # read, searched and grouped for the current company). Fetched with the
    # facts (prefetch group ``LIFECYCLE_PREFETCH``), not with every read of a
    # customer: core's documents read their customer without them.
    lifecycle_stage_id = fields.Many2one(
        "crm.lifecycle.stage",
        company_dependent=True,
        prefetch=LIFECYCLE_PREFETCH,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_lifecycle_stage_id",
        help="Where the customer stands with the current company: a customer shared "
        "by the companies has a stage in each of them.",
        groups="base.group_user",
    )
    lifecycle_stage_kind = fields.Selection(
        related="lifecycle_stage_id.kind",
        string="Lifecycle Stage Kind",
        groups="base.group_user",
    )
    lifecycle_date_stage = fields.Datetime(
        string="In Stage Since",
        company_dependent=True,
        prefetch=LIFECYCLE_PREFETCH,
        copy=False,
        readonly=True,
        groups="base.group_user",
    )
    lifecycle_locked = fields.Boolean(
        string="Lock Lifecycle Stage",
        company_dependent=True,
        prefetch=LIFECYCLE_PREFETCH,
        copy=False,
        tracking=True,
        help="Locked customers keep their stage in the current company: its rules "
        "never move them.",
        groups="base.group_user",
    )
    # the statusbar durations (from the tracking mixin) are for staff only
    duration_tracking = fields.Json(groups="base.group_user")
    lifecycle_history_ids = fields.One2many(
        "crm.lifecycle.history",
        "partner_id",
        groups=SALES_OR_ACCOUNTING,
    )
    lifecycle_interaction_ids = fields.One2many(
        "crm.interaction",
        "partner_id",
        string="Interaction Log",
        groups=SALES_OR_ACCOUNTING,
    )
    lifecycle_history_count = fields.Integer(
        compute="_compute_lifecycle_counts", groups=SALES_OR_ACCOUNTING
    )
    lifecycle_interaction_count_all = fields.Integer(
        string="Timeline Entries",
        compute="_compute_lifecycle_counts",
        groups=SALES_OR_ACCOUNTING,
    )

    # ------------------------------------------------------------------
    # COMPUTE
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

    @api.depends_context("company")
    def _compute_duration_tracking(self):
        """Time spent in each lifecycle stage of the current company, from its
        lifecycle history.

        Overrides the mixin (which reads tracking values) because the history is
        the authoritative record of the moves, including moves logged in batch.
        One query for all partners.
        """
        commercial = self.commercial_partner_id.filtered("id")
        durations = defaultdict(dict)
        if commercial:
            self.env["crm.lifecycle.history"].flush_model(
                ["partner_id", "company_id", "stage_to_id", "date", "date_end"]
            )
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT partner_id, stage_to_id,
                           SUM(EXTRACT(EPOCH FROM COALESCE(date_end, %(now)s) - date))
                      FROM crm_lifecycle_history
                     WHERE partner_id = ANY(%(ids)s) AND company_id = %(company)s
                  GROUP BY partner_id, stage_to_id
                    """,
                    now=fields.Datetime.now(),
                    ids=commercial.ids,
                    company=self.env.company.id,
                )
            )
            for partner_id, stage_id, seconds in rows:
                durations[partner_id][str(stage_id)] = int(seconds or 0)
        for partner in self:
            partner.duration_tracking = durations.get(
                partner.commercial_partner_id.id, {}
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "lifecycle_stage_id",
            "lifecycle_date_stage",
        ]

    def _commercial_sync_to_descendants(self, fields_to_sync=None):
        """Nothing to sync, nothing written: Odoo calls this after every write
        on a company with contacts, with the commercial fields written (often
        none: a signup token, a follow-up date), and writing no value still
        bumps write_date on every contact. Under load (acknowledgements of
        complaints filed at once by a company's people) those writes collided
        on the contacts' rows and exhausted the request retries."""
        if fields_to_sync is not None and not fields_to_sync:
            return None
        return super()._commercial_sync_to_descendants(fields_to_sync)

    def signup_prepare(self, signup_type="signup"):
        """Write only the partners whose signup type changes. Core prepares
        a customer's signup each time a portal document notifies it
        (``signup_get_auth_param``), and writing the same value still writes
        the customer's row (its write date): the complaints a company's
        people filed at once collided on that row until a request ran out of
        retries (load test). The token does not depend on that write
        (``_generate_signup_token``)."""
        same = self.sudo().filtered(lambda partner: partner.signup_type == signup_type)
        return super(ResPartner, self - same).signup_prepare(signup_type)

    def _track_prepare(self, fields_iter):
        """A write prepares the tracking of every tracked field (their values
        before it): not the stage and the lock when the write does not set
        them (see ``write``). They are company-dependent, so a write reading
        them elsewhere (the customer rank core raises after each invoice and
        payment, in a cursor of its own) fetched each one apart."""
        skip = self.env.cr.cache.get(UNTRACKED_KEY)
        if skip and fields_iter is self._fields:
            fields_iter = self._fields.keys() - skip[-1]
        return super()._track_prepare(fields_iter)

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "lifecycle_stage_id" in init_values and self.lifecycle_stage_id:
            return self.env.ref("crm_lifecycle.mt_partner_lifecycle_stage")
        return super()._track_subtype(init_values)

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
        # the stage and the lock change only when written (stored, neither
        # computed nor related): the tracking of the others skips them
        untracked = self.env.cr.cache.setdefault(UNTRACKED_KEY, [])
        untracked.append({fname for fname in PROTECTED_FIELDS if fname not in vals})
        try:
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
            messages = commercial._lifecycle_move_messages()
            # an automatic move logs its chatter messages in one batch (the field
            # tracking posts one message per customer, a set of queries each)
            batch_log = bool(
                self.env.context.get("lifecycle_move")
                and not self.env.context.get("tracking_disable")
                and not self.env.context.get("mail_notrack")
            )
            for partner in moved if not batch_log else ():
                if messages.get(partner.id):
                    partner._track_set_log_message(
                        Markup("<p>%s</p>") % messages[partner.id]
                    )
            if commercial - moved:
                super(ResPartner, commercial - moved).write(vals)
            if moved:
                writer = moved.with_context(mail_notrack=True) if batch_log else moved
                # hundreds of customers: queries independent of their number
                # (res_partner_bulk_move.py)
                with moved._lifecycle_bulk_move():
                    super(ResPartner, writer).write(
                        dict(
                            vals,
                            lifecycle_date_stage=fields.Datetime.now()
                            if stage
                            else False,
                        )
                    )
                if batch_log:
                    moved._lifecycle_log_stage_messages(previous, messages)
                moved._lifecycle_log_moves(previous)
            return True
        finally:
            untracked.pop()

    def _lifecycle_log_stage_messages(self, previous, messages):
        """The chatter messages of an automatic move of these partners, as the
        field tracking writes them (the stage change, the reason, the stage
        subtype) but in one create. The subtype is not a default one: the
        followers who chose it are notified as the tracking would notify them,
        only on the customers they follow (one query to find them).
        ``previous``: {partner id: previous stage id}; ``messages``:
        {partner id: the reason}."""
        Tracking = self.env["mail.tracking.value"]
        Stage = self.env["crm.lifecycle.stage"].sudo()
        col_info = self.fields_get(
            ["lifecycle_stage_id"],
            attributes=("string", "type", "selection", "currency_field"),
        )["lifecycle_stage_id"]
        subtype = self.env.ref("crm_lifecycle.mt_partner_lifecycle_stage")
        author_id, email_from = self._message_compute_author()
        # a partner the tracking already follows in this transaction (another
        # tracked field written): it would post the stage change once more at
        # commit; this message takes the stage from where the tracking saw it
        pending = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {})
        # what _message_log_batch precomputes: no alias nor reply-to per record
        reply_to = self.env["mail.thread"]._notify_get_reply_to(
            default=email_from, author_id=author_id
        )[False]
        values_list, trackings = [], []
        for partner in self:
            initial = pending.get(partner.id) or {}
            old_stage = initial.get("lifecycle_stage_id")
            if old_stage is None:
                old_stage = Stage.browse(previous[partner.id])
            else:
                initial["lifecycle_stage_id"] = partner.lifecycle_stage_id
            trackings.append(
                Tracking._create_tracking_values(
                    old_stage,
                    partner.lifecycle_stage_id,
                    "lifecycle_stage_id",
                    col_info,
                    partner,
                )
            )
            message = messages.get(partner.id)
            values_list.append(
                {
                    "model": self._name,
                    "res_id": partner.id,
                    "author_id": author_id,
                    "email_from": email_from,
                    "reply_to": reply_to,
                    "record_alias_domain_id": False,
                    "record_company_id": False,
                    "message_type": "notification",
                    "subtype_id": subtype.id,
                    "body": Markup("<p>%s</p>") % message if message else "",
                }
            )
        # one INSERT per table (create() inserts by hundreds: the queries of
        # a nightly batch would grow with the customers moved)
        created = None
        if len(values_list) > ORM_INSERT_BATCH:
            created = self.env["mail.message"]._lifecycle_create_in_bulk(values_list)
        if created is None:
            created = self.sudo()._message_create(values_list)
        # the tracking values in one insert too (as commands of each message
        # they would be inserted one by one)
        tracking_vals = [
            dict(tracking, mail_message_id=message.id)
            for tracking, message in zip(trackings, created, strict=True)
        ]
        if (
            len(tracking_vals) <= ORM_INSERT_BATCH
            or create_rows(Tracking.sudo(), tracking_vals) is None
        ):
            Tracking.sudo().create(tracking_vals)
        followed = set(
            self.env["mail.followers"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("subtype_ids", "in", subtype.ids),
                ]
            )
            .mapped("res_id")
        )
        for partner, message in zip(self, created, strict=True):
            if partner.id in followed:
                partner._notify_thread(message)
        return created

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

    @api.model
    def _lifecycle_no_marketing_domain(self):
        """The customers who must get no marketing e-mail (their consent
        refused or withdrawn): nobody here; crm_privacy, which keeps the
        consent, extends it with ``super()``."""
        return Domain.FALSE

    def _lifecycle_no_marketing_partners(self):
        """Those of these customers who must get no marketing e-mail, in one
        query (none when nobody may refuse it): filtering them in memory
        would read them by 1000."""
        domain = self._lifecycle_no_marketing_domain()
        if domain.is_false():
            return self.browse()
        return self & self.with_context(active_test=False).search(
            Domain("id", "in", self.ids) & domain
        )

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
            # the customer's timeline reads day by day, newest first
            "search_default_group_by_day": 1,
        }
        timeline = self.env.ref("crm_lifecycle.crm_interaction_view_list_timeline")
        action["views"] = [
            (timeline.id if view_type == "list" else view_id, view_type)
            for view_id, view_type in action["views"]
        ]
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

    # ------------------------------------------------------------------
    # BUSINESS: events, rules and moves
    # ------------------------------------------------------------------

    def _lifecycle_customers(self):
        """The commercial partners of ``self`` that can have a lifecycle: active,
        saved, and neither a company of the database nor an internal user."""
        internal = self.env["crm.interaction"]._lifecycle_internal_partner_ids()
        return self.commercial_partner_id.filtered(
            lambda p: p.id and p.active and p.id not in internal
        )

    def _lifecycle_trigger_event(self, event_code, records=None):
        """Something happened to these customers: refresh the facts the event
        changes and apply the rules listening to it (see readme/DEVELOP.md),
        for the company of the source documents (documents without company,
        or no documents: the current company): an order of company B refreshes
        B's facts and applies B's rules."""
        by_company = self._lifecycle_event_companies(records)
        if by_company is None:
            return self._lifecycle_trigger_company_event(event_code, records)
        for company, (partners, docs) in by_company.items():
            partners.with_company(company)._lifecycle_trigger_company_event(
                event_code, docs
            )
        return None

    def _lifecycle_event_companies(self, records):
        """{company: (partners of ``self``, their documents)} for the companies
        of the source documents ``records``; None when the event is the
        current company's (no documents, documents without company or all of
        the current company): no query, the documents' company is in cache."""
        if not records or "company_id" not in records._fields:
            return None
        current = self.env.company
        by_company = records.grouped(lambda doc: doc.company_id or current)
        if len(by_company) == 1:
            company = next(iter(by_company))
            return None if company == current else {company: (self, records)}
        result = {}
        for company, docs in by_company.items():
            concerned = set(self._lifecycle_source_partners(docs))
            partners = self.filtered(
                lambda p, ids=concerned: p.commercial_partner_id.id in ids
            )
            if partners:
                result[company] = (partners, docs)
        return result

    def _lifecycle_trigger_company_event(self, event_code, records=None):
        """``_lifecycle_trigger_event`` for the current company: its facts, its
        rules and its stage of the customers."""
        Event = self.env["crm.lifecycle.event"]
        event_data = Event._get_event_data(event_code)  # unknown code: ValueError
        self._lifecycle_invalidate_summary()
        if self.env.context.get("lifecycle_disable"):
            return
        customers = self._lifecycle_customers().sudo()
        if not customers:
            return
        if self._lifecycle_in_background():
            # the company updates its customers in the background: queued,
            # applied by the job with the other events of the minute
            self.env["crm.lifecycle.pending"]._queue(
                customers, event_data["id"], records
            )
            return
        groups = event_data["fact_groups"]
        if self.env.context.get("lifecycle_no_defer"):
            changed = customers._lifecycle_refresh_facts(groups, one_query=True)
        else:
            if groups is None:
                locked = customers._lifecycle_lock_for_event()
            else:
                # the locks and the facts in one round trip
                changed, locked = customers._lifecycle_refresh_facts(
                    groups, one_query=True, lock=True
                )
            busy = customers - locked
            if busy:
                # another transaction is changing them: apply the event moments
                # later rather than fail the user's request (see the model)
                self.env["crm.lifecycle.pending"]._defer(
                    busy, event_data["id"], records
                )
                customers = locked
                if not customers:
                    return
            if groups is None:
                changed = customers._lifecycle_refresh_facts(groups, one_query=True)
        changed = customers._lifecycle_event_facts_read(
            event_code, records, groups, changed
        )
        if not event_data["active"]:
            return
        candidates = customers.filtered(lambda p: not p.lifecycle_locked)
        Rule = self.env["crm.lifecycle.rule"]
        if changed is not None and not Rule._get_rules_data(event_code, listening=True):
            # Only the customers whose facts used by the rules changed (or that
            # have no stage yet) can move: skip the others. The live facts of
            # the event's groups may have changed for every customer.
            used = Rule._get_used_facts(event_code)
            declared = self._lifecycle_fact_groups()
            live = {fname for name in groups for fname in declared[name].live}
            candidates = candidates.filtered(
                lambda p: not p.lifecycle_stage_id
                or (changed.get(p.id, set()) | live) & used
            )
        if candidates:
            candidates._lifecycle_apply_rules(
                event=Event.browse(event_data["id"]),
                sources=records,
                event_code=event_code,
            )

    @api.model
    def _lifecycle_in_background(self):
        """Whether the events of the current company are queued for the
        background job (``res.company.lifecycle_event_processing``) rather
        than applied now; never in the job itself."""
        return not self.env.context.get(
            "lifecycle_no_defer"
        ) and self.env.company.id in (
            self.env["res.company"]._lifecycle_background_company_ids()
        )

    def _lifecycle_event_facts_read(self, event_code, records, groups, changed):
        """Hook of an event, once the facts of its groups are read (in the
        cache) and before its rules: the customers of ``self`` are locked.
        Extend it with ``super()`` to act on the facts just read.

        :return: ``changed`` ({partner id: names of the facts that changed}),
            with the facts refreshed by the hook
        """
        return changed

    def _lifecycle_lock_for_event(self):
        """The customers of ``self`` whose row this transaction can write now:
        locked here (or already), neither held by another transaction nor
        changed by one since this transaction started (REPEATABLE READ would
        refuse to write them: a serialisation failure, caught in a savepoint)."""
        ids = [id_ for id_ in self.ids if id_]
        if not ids:
            return self
        # Not try_lock_for_update: a refusal is expected here, not an error
        # for the log. An event reading fact groups takes the locks in the
        # round trip of its facts (``_lifecycle_refresh_facts(lock=True)``).
        locked, _rows = lock_customers(self.env, ids)
        return self.filtered(lambda p: p.id in locked)

    def _lifecycle_apply_rules(
        self, event=None, sources=None, reason=None, event_code=None, trigger=None
    ):
        """Move each partner to the stage the rules decide (see
        ``crm.lifecycle.rule._decide_stages``). ``event`` None means the nightly
        evaluation; ``event_code``, its code when the caller knows it (the
        event is then not read)."""
        Rule = self.env["crm.lifecycle.rule"]
        if event and not event_code:
            event_code = event.code
        # the rules of the current company (and those of every company) decide
        # the current company's stage of each customer
        decisions, undecided = Rule._decide_stages(self, event_code)
        for rule_id, partner_ids in decisions.items():
            rule = Rule.browse(rule_id)
            self.browse(partner_ids)._lifecycle_move(
                rule.stage_id,
                trigger=trigger or ("event" if event else "rule"),
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
            defaults = self.env["crm.lifecycle.stage"].search(
                [
                    ("is_default", "=", True),
                    ("company_id", "in", [self.env.company.id, False]),
                ]
            )
            # the company's own default stage first, else the shared one
            default = defaults.filtered("company_id")[:1] or defaults[:1]
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
        the history and the chatter with its reason.

        The history keeps what caused the move (trigger, event, rule, first
        source document) and renders it in each reader's language; only the
        free-text ``reason`` is stored as given. The chatter message is text,
        written in the language of the user the move happens for."""
        sources_by_partner = self._lifecycle_source_partners(sources)
        reasons, messages = {}, {}
        first_source = {}
        # each company has its own stage of a shared customer: with several
        # companies, the message says whose stage moved
        company = self.env.company.name if self._lifecycle_multi_company() else None
        for partner in self:
            docs = sources_by_partner.get(partner.id, [])
            parts = [company] if company else []
            if event:
                names = ", ".join(doc.display_name for doc in docs[:3])
                parts.append(f"{event.name}: {names}" if names else event.name)
            if rule:
                parts.append(self.env._("rule “%(rule)s”", rule=rule.name))
            if reason:
                parts.append(reason)
                reasons[partner.id] = reason
            messages[partner.id] = " — ".join(parts)
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
            "messages": messages,
            "sources": first_source,
        }
        try:
            return self.with_context(lifecycle_move=True).write(
                {"lifecycle_stage_id": stage.id}
            )
        finally:
            moves["lifecycle_move"] = previous_move

    @api.model
    @tools.ormcache()
    def _lifecycle_multi_company(self):
        """Whether the database has several companies (cached: creating a
        company clears the registry's caches)."""
        return self.env["res.company"].sudo().search_count([], limit=2) > 1

    def _lifecycle_current_move(self):
        """The details of the automatic move being written (see _lifecycle_move)."""
        if not self.env.context.get("lifecycle_move"):
            return {}
        return self.env.cr.cache.get("lifecycle_move") or {}

    def _lifecycle_move_reasons(self):
        """The free-text reason of the move being written, per partner."""
        move = self._lifecycle_current_move()
        if move:
            return move["reasons"]
        reason = self.env.context.get("lifecycle_reason")
        return {partner.id: reason for partner in self} if reason else {}

    def _lifecycle_move_messages(self):
        """The chatter text of the move being written, per partner."""
        move = self._lifecycle_current_move()
        if move:
            return move["messages"]
        return self._lifecycle_move_reasons()

    def _lifecycle_log_moves(self, previous):
        """The history of the moves just written, the activities and the
        actions on entering the new stages ask for (not at installation).
        ``previous``: {partner_id: previous stage id}."""
        entries = (
            self.env["crm.lifecycle.history"]
            .sudo()
            ._log_moves(
                self,
                previous,
                move=self._lifecycle_current_move(),
                reasons=self._lifecycle_move_reasons(),
            )
        )
        if not self.env.context.get("lifecycle_no_activity"):
            self.env["crm.lifecycle.stage"]._schedule_entry_activities(
                self.filtered("lifecycle_stage_id")
            )
            entries._lifecycle_entered()
