# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA engine of complaints: the policy that applies, the deadlines in
working time of the team's calendar, the pauses, the status, and the job that
warns the owners of the complaints at risk and escalates the breached ones."""

from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain

from .crm_complaint import HIGH_PRIORITIES, SLA_STATUSES


class CrmComplaint(models.Model):
    _inherit = "crm.complaint"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sla_policy_id = fields.Many2one(
        "crm.complaint.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        index="btree_not_null",
        groups="base.group_user",
    )
    sla_policy_reason = fields.Char(
        string="Why This Policy",
        compute="_compute_sla_policy_id",
        store=True,
        help="The criteria of the SLA policy the complaint matched.",
        groups="base.group_user",
    )
    sla_paused_hours = fields.Float(
        string="Paused Working Hours",
        readonly=True,
        copy=False,
        help="Working hours spent in pausing stages: the resolution deadline moves "
        "by as much.",
        groups="base.group_user",
    )
    sla_response_paused_hours = fields.Float(
        string="Paused Before Response",
        readonly=True,
        copy=False,
        help="Working hours paused before the first response.",
        groups="base.group_user",
    )
    sla_response_deadline = fields.Datetime(
        string="Response Deadline",
        compute="_compute_sla_deadlines",
        store=True,
        copy=False,
        groups="base.group_user",
    )
    sla_resolution_deadline = fields.Datetime(
        string="Resolution Deadline",
        compute="_compute_sla_deadlines",
        store=True,
        copy=False,
    )
    sla_deadline = fields.Datetime(
        string="Next Deadline",
        compute="_compute_sla_deadlines",
        store=True,
        copy=False,
        index="btree_not_null",
        help="The deadline of the next target still to meet.",
        groups="base.group_user",
    )
    sla_warning_date = fields.Datetime(
        string="At Risk From",
        compute="_compute_sla_deadlines",
        store=True,
        copy=False,
        groups="base.group_user",
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        compute="_compute_sla_status",
        store=True,
        index="btree_not_null",
        copy=False,
    )
    sla_warning_sent = fields.Boolean(
        string="SLA Warning Sent",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    sla_escalated = fields.Boolean(
        string="SLA Escalated", readonly=True, copy=False, groups="base.group_user"
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends(
        "team_id", "kind", "category_id", "priority", "company_id", "partner_id"
    )
    def _compute_sla_policy_id(self):
        """First matching policy, in sequence order; one search for all (and
        one per policy with a customer filter). The customer's stage is read
        when the complaint is filed or its criteria change: a later move of
        the customer does not change the targets of its complaints."""
        policies = self.env["crm.complaint.sla.policy"].sudo().search([])
        matched = policies._match_customers(self)
        for complaint in self:
            policy = next(
                (p for p in policies if p._match(complaint, matched)),
                self.env["crm.complaint.sla.policy"],
            )
            complaint.sla_policy_id = policy
            complaint.sla_policy_reason = (
                policy._match_reason(complaint) if policy else False
            )

    def _sla_label(self, fname):
        """The label of a selection field's value, in the user's language."""
        self.ensure_one()
        labels = dict(self._fields[fname]._description_selection(self.env))
        return labels.get(self[fname], "")

    def _sla_calendar(self):
        self.ensure_one()
        return (
            self.team_id.resource_calendar_id
            or self.company_id.resource_calendar_id
            or self.env.company.resource_calendar_id
        )

    @api.depends(
        "sla_policy_id.response_hours",
        "sla_policy_id.resolution_hours",
        "sla_policy_id.warning_hours",
        "team_id.resource_calendar_id",
        "date_open",
        "sla_paused_hours",
        "sla_response_paused_hours",
        "date_first_response",
        "date_closed",
    )
    def _compute_sla_deadlines(self):
        """Plan the deadlines in working time of the team's calendar.

        The targets are planned from the opening date, pushed by the working
        hours spent in pausing stages. Complaints sharing a calendar are planned
        together from one fetch of its working intervals (holidays excluded),
        see ``resource.calendar._complaint_plan_hours_batch``.
        """
        by_calendar = defaultdict(list)
        for complaint in self:
            complaint.sla_response_deadline = False
            complaint.sla_resolution_deadline = False
            complaint.sla_deadline = False
            complaint.sla_warning_date = False
            calendar = complaint._sla_calendar()
            if complaint.sla_policy_id and complaint.date_open and calendar:
                by_calendar[calendar].append(complaint)
        for calendar, complaints in by_calendar.items():
            tasks, slots = [], []
            for complaint in complaints:
                policy = complaint.sla_policy_id
                start = complaint.date_open
                pending = complaint._sla_pending_target()
                if policy.response_hours:
                    paused = complaint.sla_response_paused_hours
                    tasks.append((start, policy.response_hours + paused))
                    slots.append((complaint, "sla_response_deadline"))
                    if pending == "response":
                        warn = max(policy.response_hours - policy.warning_hours, 0.0)
                        tasks.append((start, warn + paused))
                        slots.append((complaint, "sla_warning_date"))
                if policy.resolution_hours:
                    paused = complaint.sla_paused_hours
                    tasks.append((start, policy.resolution_hours + paused))
                    slots.append((complaint, "sla_resolution_deadline"))
                    if pending == "resolution":
                        warn = max(policy.resolution_hours - policy.warning_hours, 0.0)
                        tasks.append((start, warn + paused))
                        slots.append((complaint, "sla_warning_date"))
            planned = calendar._complaint_plan_hours_batch(tasks)
            for (complaint, fname), value in zip(slots, planned, strict=True):
                # to the second, as datetimes are stored
                complaint[fname] = value and (
                    value + timedelta(microseconds=500000)
                ).replace(microsecond=0)
            for complaint in complaints:
                pending = complaint._sla_pending_target()
                if pending == "response":
                    complaint.sla_deadline = complaint.sla_response_deadline
                elif pending == "resolution":
                    complaint.sla_deadline = complaint.sla_resolution_deadline

    def _sla_pending_target(self):
        """Return the next target still to meet: 'response', 'resolution' or ''."""
        self.ensure_one()
        policy = self.sla_policy_id
        if self.date_closed:
            return ""
        if policy.response_hours and not self.date_first_response:
            return "response"
        if policy.resolution_hours:
            return "resolution"
        return ""

    @api.depends(
        "sla_policy_id",
        "sla_response_deadline",
        "sla_resolution_deadline",
        "sla_warning_date",
        "date_first_response",
        "date_closed",
        "date_paused",
    )
    def _compute_sla_status(self):
        """On track, at risk, breached or met, as of now.

        Stored so that it can be searched and grouped; the SLA cron refreshes it
        when time makes it change. While paused (waiting on the customer) the
        clock stands still and the status is Paused, whatever it was: the
        complaint is nobody's to answer; the status is computed again, from the
        moment the pause started, when the complaint resumes.
        """
        now = fields.Datetime.now()
        for complaint in self:
            if not complaint.sla_policy_id:
                complaint.sla_status = False
                continue
            if complaint.date_paused and not complaint.date_closed:
                complaint.sla_status = "paused"
                continue
            ref = complaint.date_paused or now
            late_response = complaint.sla_response_deadline and (
                (complaint.date_first_response or ref) > complaint.sla_response_deadline
            )
            late_resolution = complaint.sla_resolution_deadline and (
                (complaint.date_closed or ref) > complaint.sla_resolution_deadline
            )
            if late_response or late_resolution:
                complaint.sla_status = "breached"
            elif complaint.date_closed:
                complaint.sla_status = "met"
            elif complaint.sla_warning_date and ref >= complaint.sla_warning_date:
                complaint.sla_status = "at_risk"
            else:
                complaint.sla_status = "on_track"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sla_stage_transition(self, new_stage):
        """Keep the pause bookkeeping and the close dates before a stage move."""
        now = fields.Datetime.now()
        leaving = self.filtered(
            lambda c: c.date_paused and (not new_stage.is_paused or new_stage.is_closed)
        )
        if leaving:
            paused = leaving._sla_working_hours_between(now)
            for complaint in leaving:
                hours = paused[complaint.id]
                values = {
                    "date_paused": False,
                    "sla_paused_hours": complaint.sla_paused_hours + hours,
                }
                if not complaint.date_first_response:
                    values["sla_response_paused_hours"] = (
                        complaint.sla_response_paused_hours + hours
                    )
                complaint.write(values)
        if new_stage.is_paused and not new_stage.is_closed:
            self.filtered(lambda c: not c.date_paused).write({"date_paused": now})
        if new_stage.is_closed:
            closing = self.filtered(lambda c: not c.date_closed)
            closing.filtered(lambda c: not c.date_first_response).write(
                {"date_first_response": now}
            )
            closing.write({"date_closed": now})
        else:
            self.filtered("date_closed").write({"date_closed": False})

    def _sla_working_hours_between(self, end):
        """Working hours from ``date_paused`` to ``end``, per complaint id, with
        one interval fetch per calendar."""
        by_calendar = defaultdict(list)
        for complaint in self:
            by_calendar[complaint._sla_calendar()].append(complaint)
        result = {}
        for calendar, complaints in by_calendar.items():
            hours = calendar._complaint_work_hours_batch(
                [(c.date_paused, end) for c in complaints]
            )
            result.update(zip([c.id for c in complaints], hours, strict=True))
        return result

    @api.model
    def _sla_cron_domain(self, now):
        running = Domain("is_closed", "=", False) & Domain("date_paused", "=", False)
        due = (
            (
                Domain("sla_status", "=", "on_track")
                & Domain("sla_warning_date", "<=", now)
            )
            | (
                Domain("sla_status", "in", ["on_track", "at_risk"])
                & Domain("sla_deadline", "<", now)
            )
            | (
                Domain("sla_status", "=", "at_risk")
                & Domain("sla_warning_sent", "=", False)
            )
            | (
                Domain("sla_status", "=", "breached")
                & Domain("sla_escalated", "=", False)
            )
        )
        return running & due

    @api.model
    def _cron_sla_check(self, batch_size=None):
        """Refresh the SLA status of the complaints whose time has come, warn the
        owners of those at risk and escalate the breached ones.

        Several cron workers may share the job: each one locks its batch
        (``try_lock_for_update`` skips rows another worker holds) and reports
        its progress, the runner calls again while complaints remain.
        """
        if not batch_size:
            batch_size = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("crm_complaints.sla_cron_batch_size", 200)
            )
        now = fields.Datetime.now()
        domain = self._sla_cron_domain(now)
        complaints = self.search(
            domain, limit=batch_size, order="sla_deadline, id"
        ).try_lock_for_update()
        if complaints:
            complaints -= complaints._sla_busy_customers()
        if not complaints:
            return
        complaints._sla_process()
        self.env["ir.cron"]._commit_progress(
            len(complaints), remaining=self.search_count(domain)
        )

    def _sla_busy_customers(self):
        """The complaints (locked by the caller) whose breach would move a
        customer that another transaction holds (an urgent breach is a lifecycle
        event of the customer, and a stage move is copied to its contacts): the
        job leaves them for the next run instead of waiting for that user, or
        deadlocking with them."""
        urgent = self.filtered(lambda c: c.priority in HIGH_PRIORITIES and c.partner_id)
        customers = urgent.partner_id.commercial_partner_id
        if not customers:
            return self.browse()
        locked = customers.try_lock_for_update()
        busy = (customers - locked) | locked._lifecycle_busy_customers()
        return urgent.filtered(lambda c: c.partner_id.commercial_partner_id in busy)

    @api.model
    def _sla_process_due(self):
        """Process every complaint due now, in this transaction (no batches, no
        commits): for the demo data and for scripts."""
        self.search(self._sla_cron_domain(fields.Datetime.now()))._sla_process()

    def _sla_process(self):
        self._sla_refresh_status()
        self._sla_warn_owner()
        self._sla_escalate()

    def _sla_refresh_status(self):
        self.env.add_to_compute(self._fields["sla_status"], self)
        self._recompute_recordset(["sla_status"])

    def _sla_warn_owner(self):
        """Schedule an activity for the owner (else the team leader) of each
        complaint at risk, and note it in its chatter; all in batch (an SLA run
        may warn thousands of complaints)."""
        to_warn = self.filtered(
            lambda c: c.sla_status == "at_risk" and not c.sla_warning_sent
        )
        if not to_warn:
            return
        self._sla_schedule_activities(
            to_warn,
            user=lambda c: c.user_id or c.team_id.user_id,
            summary=self.env._("SLA at risk"),
            note=lambda c: self.env._(
                "The deadline of %(ref)s is %(deadline)s.",
                ref=c.name,
                deadline=fields.Datetime.to_string(c.sla_deadline),
            ),
            deadline=lambda c: fields.Date.context_today(c, c.sla_deadline),
        )
        body = Markup("<p>%s</p>") % self.env._("SLA at risk: the deadline is close.")
        to_warn._message_log_batch({complaint.id: body for complaint in to_warn})
        to_warn.write({"sla_warning_sent": True})

    def _sla_escalate(self):
        """Escalate breached complaints to the team leader: the leader follows
        them, gets an activity on each and one message listing them all (not
        one mail per complaint); high-priority breaches are a lifecycle event of
        the customer."""
        to_escalate = self.filtered(
            lambda c: c.sla_status == "breached" and not c.sla_escalated
        )
        if not to_escalate:
            return
        for leader, complaints in to_escalate.grouped(
            lambda c: c.team_id.user_id
        ).items():
            if not leader:
                continue
            complaints.message_subscribe(partner_ids=leader.partner_id.ids)
            self._sla_schedule_activities(
                complaints,
                user=lambda c, leader=leader: leader,
                summary=self.env._("SLA breached: escalated"),
                note=lambda c: self.env._(
                    "%(ref)s (%(owner)s) missed its SLA deadline.",
                    ref=c.name,
                    owner=c.user_id.name or self.env._("no owner"),
                ),
                deadline=lambda c: fields.Date.context_today(c),
            )
            leader.partner_id.sudo().message_notify(
                partner_ids=leader.partner_id.ids,
                subject=self.env._(
                    "%(count)s complaint(s) missed their SLA", count=len(complaints)
                ),
                body=self._sla_escalation_digest(complaints),
                subtype_xmlid="mail.mt_comment",
            )
        body = Markup("<p>%s</p>") % self.env._(
            "SLA breached: escalated to the team leader."
        )
        to_escalate._message_log_batch({c.id: body for c in to_escalate})
        to_escalate.write({"sla_escalated": True})
        to_escalate._complaint_after_breach()

    @api.model
    def _sla_schedule_activities(self, complaints, user, summary, note, deadline):
        """One to-do per complaint, created in one batch and without the
        per-activity assignment e-mail (they show in the user's activities)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for complaint in complaints:
            assignee = user(complaint)
            if not assignee:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": complaint.id,
                    "activity_type_id": todo.id,
                    "summary": summary,
                    "note": note(complaint),
                    "date_deadline": deadline(complaint),
                    "user_id": assignee.id,
                }
            )
        if vals_list:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(vals_list)

    def _sla_escalation_digest(self, complaints):
        """The list of breached complaints sent to their team leader."""
        items = Markup("").join(
            Markup("<li><a href='%s'>%s</a> &#8212; %s (%s)</li>")
            % (
                f"/odoo/action-crm_complaints.crm_complaint_action/{c.id}",
                c.name,
                c.subject,
                c.partner_id.display_name or "",
            )
            for c in complaints[:100]
        )
        more = (
            Markup("<p>%s</p>")
            % self.env._("and %(count)s more.", count=len(complaints) - 100)
            if len(complaints) > 100
            else Markup("")
        )
        return Markup("<p>%s</p><ul>%s</ul>%s") % (
            self.env._("These complaints missed their SLA deadline:"),
            items,
            more,
        )

    def _complaint_after_breach(self):
        """A breach of a high-priority complaint is a lifecycle event of its
        customer (the default rule moves the customer to at risk)."""
        urgent = self.filtered(lambda c: c.priority in HIGH_PRIORITIES and c.partner_id)
        if urgent:
            urgent.partner_id._lifecycle_trigger_event(
                "complaint_sla_breached", records=urgent
            )
        return True
