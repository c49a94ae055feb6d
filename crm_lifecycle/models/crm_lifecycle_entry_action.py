# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import uuid
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tools import SQL
from odoo.tools.rendering_tools import parse_inline_template

_logger = logging.getLogger(__name__)


class _Collector:
    """What a QWeb loop on customers collects (see ``_entry_render``): a row
    of placeholder values per customer, started with a separator to cut the
    rendered bodies at."""

    def __init__(self, size):
        self.size = size
        self.rows = []
        self.separator = f"crm-lifecycle-entry-{uuid.uuid4().hex}"

    def start(self):
        self.rows.append([None] * self.size)
        return self.separator

    def collect(self, index, value):
        self.rows[-1][index] = value
        return ""


class CrmLifecycleEntryAction(models.Model):
    """Something to do when customers enter a lifecycle stage (or, with the
    segmentation, a segment cell): schedule an activity, send an e-mail
    template, run a server action (the e-mail marketing bridge adds "add to a
    mailing list").

    Actions run set-based: one batch per action for all the customers of a
    move (activities grouped by user, e-mails queued in bulk, the server action
    run once on all of them). Each (action, entry) pair is claimed in
    ``crm.lifecycle.entry.action.log`` before running, so an entry never runs
    an action twice; a customer the action cannot serve (no e-mail address,
    archived salesperson...) is reported there and on the action, and the
    others go through.

    Odoo's own ``ir.actions.server`` steps run record by record (an activity,
    a notification and a subscription per customer): this model batches them
    and keeps the server action as the escape hatch for anything else."""

    _name = "crm.lifecycle.entry.action"
    _description = "Action on Entering"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    stage_id = fields.Many2one(
        "crm.lifecycle.stage", string="Lifecycle Stage", index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True
    )
    action_type = fields.Selection(
        [
            ("activity", "Schedule an activity"),
            ("mail", "Send an e-mail"),
            ("server_action", "Run a server action"),
        ],
        string="Action",
        required=True,
        default="activity",
    )
    # activity
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        domain="['|', ('res_model', '=', False), ('res_model', '=', 'res.partner')]",
    )
    activity_summary = fields.Char(translate=True)
    activity_user = fields.Selection(
        [("salesperson", "Salesperson"), ("team_leader", "Sales team leader")],
        string="Assigned To",
        default="salesperson",
        help="Salesperson: the customer's salesperson. Sales team leader: the "
        "leader of the sales team of the customer's salesperson.",
    )
    activity_delay_days = fields.Integer(
        string="Due In (Days)",
        default=1,
        help="Days between entering and the activity's deadline.",
    )
    # e-mail
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain="[('model', '=', 'res.partner')]",
    )
    # server action
    server_action_id = fields.Many2one(
        "ir.actions.server",
        domain="[('model_name', '=', 'res.partner')]",
        help="Run once on all the customers that entered (``records`` in the code).",
    )
    # report
    log_ids = fields.One2many(
        "crm.lifecycle.entry.action.log", "action_id", string="Runs"
    )
    done_count = fields.Integer(string="Done", compute="_compute_counts")
    failed_count = fields.Integer(string="Failed", compute="_compute_counts")
    date_last_run = fields.Datetime(string="Last Run", readonly=True)
    last_error = fields.Text(
        readonly=True, help="Why customers failed at the last run (empty: none)."
    )

    @api.model
    def _entry_target_fields(self):
        """The fields naming where customers enter (one is set per action);
        the segmentation adds the segment cell."""
        return ["stage_id"]

    @api.depends("stage_id.company_id")
    def _compute_company_id(self):
        for action in self:
            action.company_id = action.stage_id.company_id

    def _compute_counts(self):
        counts = defaultdict(int)
        for action, state, count in self.env[
            "crm.lifecycle.entry.action.log"
        ]._read_group(
            [("action_id", "in", self.ids), ("state", "in", ("done", "failed"))],
            ["action_id", "state"],
            ["__count"],
        ):
            counts[action.id, state] = count
        for action in self:
            action.done_count = counts[action.id, "done"]
            action.failed_count = counts[action.id, "failed"]

    @api.constrains(lambda self: [*self._entry_target_fields(), "action_type"])
    def _check_target(self):
        for action in self:
            targets = [f for f in self._entry_target_fields() if action[f]]
            if len(targets) != 1:
                raise ValidationError(
                    self.env._(
                        "The action “%(action)s” must belong to exactly one stage "
                        "or segment.",
                        action=action.name,
                    )
                )

    @api.constrains(
        "action_type", "activity_type_id", "mail_template_id", "server_action_id"
    )
    def _check_configuration(self):
        for action in self:
            missing = action._entry_missing_configuration()
            if missing:
                raise ValidationError(
                    self.env._(
                        "The action “%(action)s” needs: %(missing)s.",
                        action=action.name,
                        missing=missing,
                    )
                )

    def _entry_missing_configuration(self):
        """The label of what the action type needs and is not set (extend for
        new types)."""
        self.ensure_one()
        needs = {
            "activity": "activity_type_id",
            "mail": "mail_template_id",
            "server_action": "server_action_id",
        }
        fname = needs.get(self.action_type)
        if fname and not self[fname]:
            return self._fields[fname]._description_string(self.env)
        if self.mail_template_id and self.mail_template_id.model != "res.partner":
            return self.env._("an e-mail template of contacts")
        if (
            self.server_action_id
            and self.server_action_id.sudo().model_name != "res.partner"
        ):
            return self.env._("a server action of contacts")
        return False

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_view_logs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_lifecycle.crm_lifecycle_entry_action_log_action"
        )
        action["domain"] = [("action_id", "=", self.id)]
        action["display_name"] = action["name"] = self.display_name
        return action

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _run_entries(self, entries, entry_field, target_field):
        """Run the active actions of the stages or cells entered.

        :param entries: history rows, one per customer entering (they have a
            ``partner_id`` and ``entry_field``); their model and id identify
            the entry, so an action never runs twice for the same one
        :param entry_field: the field of ``entries`` naming what was entered
            (``stage_to_id``, ``cell_to_id``)
        :param target_field: the field of the actions naming it (``stage_id``,
            ``cell_id``)
        :returns: {action: {"done": n, "failed": n}}
        """
        # what is read of the entries (rows inserted in bulk), in one query
        entries.fetch([entry_field, "partner_id"])
        entries = entries.filtered(entry_field)
        if not entries:
            return {}
        targets = entries[entry_field]
        actions = self.sudo().search([(target_field, "in", targets.ids)])
        by_target = entries.grouped(entry_field)
        results = {}
        for action in actions:
            batch = by_target.get(action[target_field])
            if batch:
                results[action] = action._run_on(batch)
        return results

    def _run_on(self, entries):
        """Run this action once for the customers of ``entries`` that it has
        not served yet; a failing customer does not stop the others."""
        self.ensure_one()
        claimed = self._claim(entries)
        if not claimed:
            return {"done": 0, "failed": 0}
        Partner = self.env["res.partner"].sudo()
        partners = Partner.browse(dict.fromkeys(claimed.values()))
        runner = getattr(self, f"_entry_run_{self.action_type}")
        try:
            with self.env.cr.savepoint():
                failures = runner(partners)
        except Exception as error:  # noqa: BLE001 - isolate the failing customers
            _logger.info(
                "Action on entering %s failed for a batch (%s): one at a time",
                self.id,
                error,
            )
            failures = {}
            for partner in partners:
                try:
                    with self.env.cr.savepoint():
                        failures.update(runner(partner))
                except Exception as partner_error:  # noqa: BLE001
                    failures[partner.id] = str(partner_error) or repr(partner_error)
        self._record(claimed, failures)
        return {"done": len(claimed) - len(failures), "failed": len(failures)}

    def _claim(self, entries):
        """Claim the entries for this action (one INSERT ... ON CONFLICT DO
        NOTHING): returns {log id: partner id} of the entries not served yet."""
        self.ensure_one()
        Log = self.env["crm.lifecycle.entry.action.log"]
        now = self.env.cr.now()
        rows = self.env.execute_query(
            SQL(
                """
            INSERT INTO crm_lifecycle_entry_action_log AS l (
                action_id, entry_model, entry_id, partner_id, state,
                create_uid, create_date, write_uid, write_date)
            SELECT %(action)s, %(model)s, e.id, e.partner_id, 'pending',
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(ids)s::int[], %(partners)s::int[]) AS e(id, partner_id)
            ON CONFLICT (action_id, entry_model, entry_id) DO NOTHING
            RETURNING l.id, l.partner_id
            """,
                action=self.id,
                model=entries._name,
                ids=entries.ids,
                partners=[entry.partner_id.id for entry in entries],
                uid=self.env.uid,
                now=now,
            )
        )
        Log.invalidate_model()
        return dict(rows)

    def _record(self, claimed, failures):
        """Mark the claimed entries done or failed (one UPDATE per distinct
        reason: the ORM would write them by hundreds), and report the
        failures on the action and in the log."""
        Log = self.env["crm.lifecycle.entry.action.log"]
        by_message = defaultdict(list)
        done = []
        for log_id, partner_id in claimed.items():
            if partner_id in failures:
                by_message[failures[partner_id]].append(log_id)
            else:
                done.append(log_id)
        now = self.env.cr.now()
        updates = [("done", None, done)] if done else []
        updates += [("failed", msg, ids) for msg, ids in by_message.items()]
        for state, message, log_ids in updates:
            self.env.cr.execute(
                SQL(
                    """
                UPDATE crm_lifecycle_entry_action_log
                   SET state = %(state)s, message = %(message)s,
                       write_uid = %(uid)s, write_date = %(now)s
                 WHERE id = ANY(%(ids)s)
                """,
                    state=state,
                    message=message,
                    uid=self.env.uid,
                    now=now,
                    ids=log_ids,
                )
            )
        Log.invalidate_model(["state", "message", "write_uid", "write_date"])
        summary = "\n".join(
            self.env._(
                "%(count)s customer(s): %(reason)s",
                count=len(log_ids),
                reason=message,
            )
            for message, log_ids in by_message.items()
        )
        self.sudo().write(
            {"date_last_run": self.env.cr.now(), "last_error": summary or False}
        )
        if failures:
            _logger.warning(
                "Action on entering %s (%s): %s of %s customers failed: %s",
                self.id,
                self.name,
                len(failures),
                len(claimed),
                summary.replace("\n", "; "),
            )

    # -- the action types: (customers) -> {partner id: why it failed} --

    def _entry_activity_user(self, partner):
        """The user the activity is for, or the reason there is none."""
        if self.activity_user == "team_leader":
            # customers have no sales team in Odoo 19: their salesperson's
            user = partner.user_id.sale_team_id.user_id
            if not user:
                return False, self.env._(
                    "The customer's salesperson has no sales team with a leader."
                )
        else:
            user = partner.user_id
            if not user:
                return False, self.env._("The customer has no salesperson.")
        if not user.active:
            return False, self.env._(
                "The user %(user)s is archived.", user=user.sudo().name
            )
        return user, False

    def _entry_run_activity(self, partners):
        failures = {}
        vals_list = []
        deadline = fields.Date.context_today(self) + timedelta(
            days=self.activity_delay_days
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        activity_type = self.activity_type_id
        partners.fetch(["user_id"])  # one query, not one per 1000 customers
        for partner in partners:
            user, reason = self._entry_activity_user(partner)
            if reason:
                failures[partner.id] = reason
                continue
            vals_list.append(
                {
                    "activity_type_id": activity_type.id,
                    "summary": self.activity_summary or self.name,
                    "note": activity_type.default_note,
                    "automated": True,
                    "date_deadline": deadline,
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "user_id": user.id,
                }
            )
        if vals_list and not self.env.context.get("mail_activity_automation_skip"):
            # one create for every user (``activity_schedule`` takes one user
            # per call); Odoo subscribes each user to their customers in one
            # batch per user. Quick update: no e-mail per activity to the
            # user (a nightly batch would flood them); the activities show in
            # their to-do list.
            Activity = self.env["mail.activity"].with_context(
                mail_activity_quick_update=True
            )
            # one INSERT (create() when a value needs it)
            if Activity._lifecycle_create_in_bulk(vals_list) is None:
                Activity.create(vals_list)
        return failures

    def _entry_run_mail(self, partners):
        failures = self._entry_mail_refusals(partners)
        recipients = partners.filtered(lambda p: p.id not in failures)
        if recipients:
            # queued (the mail queue sends them), in one batch
            self._entry_queue_mails(recipients)
        return failures

    def _entry_mail_refusals(self, partners):
        """The customers an action must not write to, and why: no e-mail
        address, a blacklisted address, marketing consent refused or
        withdrawn (the first reason that applies). One query each, whatever
        the number of customers (reading a field of thousands of records
        fetches them by 1,000). Extend it to refuse more.

        :return: {partner id: reason, in the user's language}
        """
        failures = {}
        partners.fetch(["email_normalized"])
        no_marketing = partners._lifecycle_no_marketing_partners()
        blacklisted = set(
            self.env["mail.blacklist"]
            .sudo()
            .search_fetch(
                [("email", "in", list(set(partners.mapped("email_normalized"))))],
                ["email"],
            )
            .mapped("email")
        )
        for partner in partners:
            if not partner.email_normalized:
                failures[partner.id] = self.env._("The customer has no e-mail address.")
            elif partner.email_normalized in blacklisted:
                failures[partner.id] = self.env._(
                    "The customer's e-mail address is blacklisted."
                )
            elif partner in no_marketing:
                failures[partner.id] = self.env._(
                    "The customer refused or withdrew their marketing consent."
                )
        return failures

    def _entry_queue_mails(self, partners):
        """Queue the template's e-mail to each of ``partners`` in one batch:
        the template rendered for all of them at once, the ``mail.mail`` (and
        their messages on the customers) inserted with one query per table
        (``mail.mail._lifecycle_queue_in_bulk``; ``create()`` when a value
        needs it).

        Same e-mails as ``mail.template.send_mail_batch``, which renders and
        creates them by chunks of ``mail.batch_size`` (50): a dozen queries
        per 50 customers, i.e. thousands for a nightly batch."""
        template = self.mail_template_id
        res_ids = partners.ids
        template._send_check_access(res_ids)
        # what needs no evaluation per customer, as Odoo renders it (and the
        # default recipients, computed in batch); the placeholders rendered in
        # one pass (see _entry_render)
        static_fields = [
            "attachment_ids",
            "auto_delete",
            "mail_server_id",
            "model",
            "report_template_ids",
            "res_id",
        ]
        inline_fields = ["subject", "email_from", "reply_to", "scheduled_date"]
        recipient_fields = ["email_cc", "email_to", "partner_to"]
        if template.use_default_to:
            static_fields += recipient_fields
        else:
            inline_fields += recipient_fields
        if template.report_template_ids:  # reports rendered per language
            values_by_id = template._generate_template(res_ids, static_fields)
        else:  # the same, without classifying the customers per language again
            values_by_id = {res_id: {} for res_id in res_ids}
            for generate in (
                template._generate_template_static_values,
                template._generate_template_attachments,
            ):
                generate(res_ids, static_fields, render_results=values_by_id)
            if template.use_default_to:
                template._generate_template_recipients(
                    res_ids, static_fields, render_results=values_by_id
                )
        rendered = self._entry_render(template, partners, inline_fields)
        for res_id, values in rendered.items():
            values_by_id[res_id].update(values)
        self._entry_mail_recipients(template, values_by_id)
        layout = template.email_layout_xmlid
        langs, companies = {}, {}
        if layout:
            if template.lang:
                langs = template._render_lang(res_ids)
            companies = partners._mail_get_companies(default=self.env.company)
        model = self.env["ir.model"]._get("res.partner")
        vals_list, attachments_list = [], []
        for partner in partners:
            values = values_by_id[partner.id]
            values["recipient_ids"] = [
                Command.link(pid) for pid in values.get("partner_ids") or []
            ]
            values["attachment_ids"] = [
                Command.link(aid) for aid in values.get("attachment_ids") or []
            ]
            attachments_list.append(values.pop("attachments", []))
            if "email_from" in values and not values.get("email_from"):
                values.pop("email_from")
            if layout:
                lang = langs.get(partner.id) or self.env.lang
                values["body_html"] = template.with_context(
                    lang=lang
                )._render_encapsulate(
                    layout,
                    values["body_html"],
                    add_context={
                        "company": companies.get(partner.id) or self.env.company,
                        "model_description": model.with_context(lang=lang).display_name,
                    },
                    context_record=partner.with_context(lang=lang),
                )
            values["body"] = values["body_html"]
            # the message stays on the customer's chatter when the e-mail is
            # deleted once sent (``auto_delete``), as a notification's does
            values["is_notification"] = True
            vals_list.append(values)
        Mail = self.env["mail.mail"].sudo()
        mails = None
        if not any(attachments_list):
            mails = Mail._lifecycle_queue_in_bulk(vals_list)
        if mails is None:  # values only create() handles
            mails = Mail.create(vals_list)
        # report attachments rendered per customer, as Odoo does
        for mail, attachments in zip(mails, attachments_list, strict=True):
            if attachments:
                mail.with_context(default_type=None).write(
                    {
                        "attachment_ids": [
                            Command.create(
                                {
                                    "name": name,
                                    "datas": datas,
                                    "type": "binary",
                                    "res_model": "mail.message",
                                    "res_id": mail.mail_message_id.id,
                                }
                            )
                            for name, datas in attachments
                        ]
                    }
                )
        return mails

    @api.model
    def _entry_mail_recipients(self, template, values_by_id):
        """The rendered recipients and scheduled date turned into values, as
        Odoo's ``_generate_template`` turns them: ``partner_to`` into the
        ``partner_ids`` that exist, the date parsed to UTC."""
        partner_to = {
            res_id: template._parse_partner_to(values.pop("partner_to"))
            for res_id, values in values_by_id.items()
            if "partner_to" in values
        }
        existing = set(
            self.env["res.partner"]
            .sudo()
            .browse({pid for pids in partner_to.values() for pid in pids})
            .exists()
            .ids
        )
        for res_id, pids in partner_to.items():
            values_by_id[res_id].setdefault("partner_ids", []).extend(
                dict.fromkeys(pid for pid in pids if pid in existing)
            )
        for values in values_by_id.values():
            if "scheduled_date" in values:
                values["scheduled_date"] = template._process_scheduled_date(
                    values["scheduled_date"]
                )

    @api.model
    def _entry_render(self, template, partners, inline_fields):
        """{customer id: {field: value}}: the template's ``inline_fields``
        (``{{ ... }}`` placeholders) and body rendered for all the customers
        of a language in one QWeb rendering, compiled once: a loop on the
        customers, each starting with a separator to cut the body at, whose
        placeholders are evaluated by the loop and collected. Odoo's renderer
        compiles the body again for every record and evaluates each
        placeholder apart (milliseconds per customer: minutes for a nightly
        batch); the values are the same, the bodies post-processed per
        customer as Odoo does."""
        result = {res_id: {} for res_id in partners.ids}
        body_options = template._fields["body_html"].render_options or {}
        options = {k: v for k, v in body_options.items() if k != "post_process"}
        for template_lang, res_ids in template._classify_per_lang(
            partners.ids
        ).values():
            # the placeholders of each field: [(text, placeholder, default)]
            expressions, fields_parts = [], {}
            for fname in inline_fields:
                fields_parts[fname] = parts = []
                for text, expression, default in parse_inline_template(
                    str(template_lang[fname] or "")
                ):
                    index = len(expressions) if expression else None
                    parts.append((text, index, default))
                    if expression:
                        expressions.append(expression)
            collector = _Collector(len(expressions))

            source = Markup(
                '<t t-foreach="crm_entry_customers" t-as="object">'
                '<t t-out="crm_entry_start()"/>%s%s</t>'
            ) % (
                Markup("").join(
                    Markup('<t t-out="crm_entry_collect(%s, (%s))"/>')
                    % (index, expression)
                    for index, expression in enumerate(expressions)
                ),
                Markup(template_lang.body_html or ""),
            )
            rendered = template_lang._render_template(
                source,
                template.render_model,
                res_ids[:1],
                engine="qweb",
                add_context={
                    "crm_entry_customers": partners.browse(res_ids),
                    "crm_entry_start": collector.start,
                    "crm_entry_collect": collector.collect,
                },
                options=options,
            )[res_ids[0]]
            bodies = str(rendered).split(collector.separator)[1:]
            if len(bodies) != len(res_ids):  # the separator was in a value
                bodies = template_lang._render_template(
                    template_lang.body_html,
                    template.render_model,
                    res_ids,
                    engine="qweb",
                    options=options,
                )
                bodies = [bodies[res_id] for res_id in res_ids]
            for res_id, body, values in zip(
                res_ids, bodies, collector.rows, strict=True
            ):
                result[res_id]["body_html"] = Markup(body)
                for fname, parts in fields_parts.items():
                    rendered_field = []
                    for text, index, default in parts:
                        rendered_field.append(text)
                        if index is not None:
                            value = values[index] or default
                            if value:
                                rendered_field.append(str(value))
                    result[res_id][fname] = "".join(rendered_field)
        if body_options.get("post_process"):
            bodies = template._render_template_postprocess(
                template.render_model,
                {res_id: values["body_html"] for res_id, values in result.items()},
            )
            for res_id, body in bodies.items():
                result[res_id]["body_html"] = body
        return result

    def _entry_run_server_action(self, partners):
        self.server_action_id.with_context(
            active_model="res.partner",
            active_ids=partners.ids,
            active_id=partners[:1].id,
        ).run()
        return {}
