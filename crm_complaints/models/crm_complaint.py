# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

COMPLAINT_KINDS = [
    ("complaint", "Complaint"),
    ("claim", "Claim"),
    ("request", "Request"),
    ("suggestion", "Suggestion"),
    ("question", "Question"),
]
COMPLAINT_PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]
COMPLAINT_CHANNELS = [
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("web", "Website"),
    ("portal", "Portal"),
    ("visit", "Visit"),
]
SLA_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]
HIGH_PRIORITIES = ("2", "3")
# complaint channel -> interaction channel (crm_lifecycle)
INTERACTION_CHANNELS = {
    "phone": "phone",
    "email": "email",
    "web": "web",
    "portal": "portal",
    "visit": "in_person",
}
# kinds that dispute the invoice they are about (a question or a request does not)
DISPUTE_KINDS = ("complaint", "claim")


class CrmComplaint(models.Model):
    _name = "crm.complaint"
    _description = "Complaint or Request"
    _inherit = [
        "rating.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "priority desc, id desc"
    _primary_email = "email_from"
    _rec_names_search = ["name", "subject"]

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # identification
    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default="/",
    )
    subject = fields.Char(required=True, tracking=True)
    kind = fields.Selection(
        COMPLAINT_KINDS, required=True, default="complaint", tracking=True
    )
    category_id = fields.Many2one("crm.complaint.category", tracking=True, index=True)
    channel = fields.Selection(COMPLAINT_CHANNELS, default="phone", required=True)
    priority = fields.Selection(
        COMPLAINT_PRIORITIES, default="1", required=True, tracking=True, index=True
    )
    color = fields.Integer()
    description = fields.Html()
    # people
    team_id = fields.Many2one(
        "crm.complaint.team",
        tracking=True,
        index=True,
        default=lambda self: self._default_team_id(),
        check_company=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        index=True,
        default=lambda self: self._default_user_id(),
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        tracking=True,
        index=True,
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Customer Company",
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    email_from = fields.Char(
        string="E-mail",
        compute="_compute_email_from",
        store=True,
        readonly=False,
    )
    # documents the complaint is about
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        tracking=True,
        compute="_compute_sale_order_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Order Line",
        index="btree_not_null",
        domain="[('order_id', '=', sale_order_id)]",
    )
    invoice_id = fields.Many2one(
        "account.move",
        index="btree_not_null",
        tracking=True,
        domain="[('move_type', 'in', ('out_invoice', 'out_refund')), "
        "('state', '=', 'posted')]",
        check_company=True,
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        index="btree_not_null",
        tracking=True,
        domain="[('picking_type_code', '=', 'outgoing')]",
        check_company=True,
    )
    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        compute="_compute_product_id",
        store=True,
        readonly=False,
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        domain="[('product_id', '=', product_id)]",
    )
    # analysis and resolution
    # internal analysis: employees only (not portal users, even by RPC)
    root_cause = fields.Html(groups="base.group_user")
    corrective_action = fields.Html(groups="base.group_user")
    preventive_action = fields.Html(groups="base.group_user")
    resolution = fields.Html()
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_claimed = fields.Monetary(tracking=True)
    amount_refunded = fields.Monetary(
        string="Refunded",
        compute="_compute_amount_refunded",
        store=True,
        help="Credit notes issued for this complaint (not cancelled).",
    )
    amount_replaced = fields.Monetary(
        string="Replaced",
        compute="_compute_amount_replaced",
        store=True,
        help="Value of the goods sent again by replacement orders (not cancelled).",
    )
    amount_granted = fields.Monetary(
        compute="_compute_amount_granted",
        store=True,
        readonly=False,
        tracking=True,
        help="Refunded plus replaced; may be edited for other compensations.",
    )
    credit_note_ids = fields.One2many(
        "account.move", "complaint_origin_id", string="Credit Notes"
    )
    return_picking_ids = fields.One2many(
        "stock.picking", "complaint_origin_id", string="Returns"
    )
    replacement_order_ids = fields.One2many(
        "sale.order", "complaint_origin_id", string="Replacement Orders"
    )
    credit_note_count = fields.Integer(compute="_compute_document_counts")
    return_picking_count = fields.Integer(compute="_compute_document_counts")
    replacement_order_count = fields.Integer(compute="_compute_document_counts")
    # stage and dates
    stage_id = fields.Many2one(
        "crm.complaint.stage",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage_id(),
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    is_paused = fields.Boolean(related="stage_id.is_paused", store=True)
    can_portal_close = fields.Boolean(compute="_compute_can_portal_close")
    date_open = fields.Datetime(
        string="Opened On",
        required=True,
        readonly=True,
        copy=False,
        default=fields.Datetime.now,
    )
    date_first_response = fields.Datetime(
        string="First Response", readonly=True, copy=False
    )
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    date_last_stage_update = fields.Datetime(
        string="Last Stage Update", readonly=True, copy=False
    )
    date_paused = fields.Datetime(
        string="Paused Since",
        readonly=True,
        copy=False,
        help="Set while the complaint is in a stage that pauses the SLA.",
    )
    resolution_hours = fields.Float(
        string="Resolution Time (hours)",
        compute="_compute_resolution_hours",
        store=True,
        aggregator="avg",
        help="Calendar hours between opening and closing.",
    )
    rating_requested = fields.Boolean(readonly=True, copy=False)
    # SLA
    sla_policy_id = fields.Many2one(
        "crm.complaint.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        index="btree_not_null",
    )
    sla_paused_hours = fields.Float(
        string="Paused Working Hours",
        readonly=True,
        copy=False,
        help="Working hours spent in pausing stages: the resolution deadline moves "
        "by as much.",
    )
    sla_response_paused_hours = fields.Float(
        string="Paused Before Response",
        readonly=True,
        copy=False,
        help="Working hours paused before the first response.",
    )
    sla_response_deadline = fields.Datetime(
        string="Response Deadline",
        compute="_compute_sla_deadlines",
        store=True,
        copy=False,
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
    )
    sla_warning_date = fields.Datetime(
        string="At Risk From",
        compute="_compute_sla_deadlines",
        store=True,
        copy=False,
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
        string="SLA Warning Sent", readonly=True, copy=False
    )
    sla_escalated = fields.Boolean(string="SLA Escalated", readonly=True, copy=False)

    _amounts_positive = models.Constraint(
        "CHECK(amount_claimed >= 0)",
        "The amount claimed cannot be negative.",
    )

    # ------------------------------------------------------------
    # DEFAULTS
    # ------------------------------------------------------------

    @api.model
    def _default_stage_id(self):
        return self.env["crm.complaint.stage"].search([], limit=1)

    @api.model
    def _default_user_id(self):
        user = self.env.user
        if user._is_internal() and not user._is_superuser():
            return user
        return self.env["res.users"]

    @api.model
    def _default_team_id(self):
        teams = self.env["crm.complaint.team"].search(
            [("company_id", "in", self.env.companies.ids)]
        )
        user = self.env.user
        return (
            teams.filtered(lambda t: user in t.member_ids or user == t.user_id)[:1]
            or teams[:1]
        )

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.sudo().search([], order=stages._order)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("team_id")
    def _compute_company_id(self):
        for complaint in self:
            if complaint.team_id:
                complaint.company_id = complaint.team_id.company_id
            elif not complaint.company_id:
                complaint.company_id = self.env.company

    @api.depends("sale_order_id", "invoice_id", "picking_id")
    def _compute_partner_id(self):
        for complaint in self.filtered(lambda c: not c.partner_id):
            document = (
                complaint.sale_order_id or complaint.invoice_id or complaint.picking_id
            )
            complaint.partner_id = document.sudo().partner_id

    @api.depends("partner_id.email")
    def _compute_email_from(self):
        for complaint in self:
            if complaint.partner_id.email:
                complaint.email_from = complaint.partner_id.email

    @api.depends("sale_line_id", "picking_id")
    def _compute_sale_order_id(self):
        for complaint in self:
            if complaint.sale_line_id:
                complaint.sale_order_id = complaint.sale_line_id.order_id
            elif complaint.picking_id.sudo().sale_id and not complaint.sale_order_id:
                complaint.sale_order_id = complaint.picking_id.sudo().sale_id

    @api.depends("sale_line_id")
    def _compute_product_id(self):
        for complaint in self:
            if complaint.sale_line_id:
                complaint.product_id = complaint.sale_line_id.product_id

    @api.depends(
        "credit_note_ids.state",
        "credit_note_ids.amount_total_signed",
        "company_id",
    )
    def _compute_amount_refunded(self):
        for complaint in self:
            notes = complaint.credit_note_ids.filtered(lambda m: m.state != "cancel")
            complaint.amount_refunded = sum(
                abs(note.amount_total_signed) for note in notes
            )

    @api.depends(
        "replacement_order_ids.state",
        "replacement_order_ids.order_line.price_unit",
        "replacement_order_ids.order_line.product_uom_qty",
    )
    def _compute_amount_replaced(self):
        for complaint in self:
            total = 0.0
            for order in complaint.replacement_order_ids:
                if order.state == "cancel":
                    continue
                value = sum(
                    line.price_unit * line.product_uom_qty
                    for line in order.order_line
                    if not line.display_type
                )
                total += order.currency_id._convert(
                    value,
                    complaint.currency_id,
                    complaint.company_id,
                    order.date_order or fields.Date.context_today(complaint),
                )
            complaint.amount_replaced = total

    @api.depends("amount_refunded", "amount_replaced")
    def _compute_amount_granted(self):
        for complaint in self:
            complaint.amount_granted = (
                complaint.amount_refunded + complaint.amount_replaced
            )

    def _compute_document_counts(self):
        for complaint in self:
            complaint.credit_note_count = len(complaint.credit_note_ids)
            complaint.return_picking_count = len(complaint.return_picking_ids)
            complaint.replacement_order_count = len(complaint.replacement_order_ids)

    @api.depends("stage_id.allow_portal_close", "is_closed")
    def _compute_can_portal_close(self):
        for complaint in self:
            complaint.can_portal_close = (
                not complaint.is_closed and complaint.stage_id.allow_portal_close
            )

    @api.depends("date_open", "date_closed")
    def _compute_resolution_hours(self):
        for complaint in self:
            if complaint.date_open and complaint.date_closed:
                delta = complaint.date_closed - complaint.date_open
                complaint.resolution_hours = delta.total_seconds() / 3600
            else:
                complaint.resolution_hours = 0.0

    def _compute_access_url(self):
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    @api.depends("team_id", "kind", "category_id", "priority", "company_id")
    def _compute_sla_policy_id(self):
        """First matching policy, in sequence order; one search for all."""
        policies = self.env["crm.complaint.sla.policy"].sudo().search([])
        for complaint in self:
            complaint.sla_policy_id = next(
                (policy for policy in policies if policy._match(complaint)),
                self.env["crm.complaint.sla.policy"],
            )

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
        when time makes it change. While paused, the clock stands still at the
        moment the pause started.
        """
        now = fields.Datetime.now()
        for complaint in self:
            if not complaint.sla_policy_id:
                complaint.sla_status = False
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
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(
        "partner_id", "sale_order_id", "sale_line_id", "invoice_id", "picking_id"
    )
    def _check_documents(self):
        """The documents must be the customer's (its commercial entity)."""
        for complaint in self.sudo():
            customer = complaint.partner_id.commercial_partner_id
            for document in (
                complaint.sale_order_id,
                complaint.invoice_id,
                complaint.picking_id,
            ):
                if (
                    document
                    and customer
                    and document.partner_id.commercial_partner_id != customer
                ):
                    raise ValidationError(
                        self.env._(
                            "%(document)s does not belong to the customer "
                            "%(customer)s.",
                            document=document.display_name,
                            customer=customer.display_name,
                        )
                    )
            if complaint.invoice_id and not complaint.invoice_id.is_sale_document():
                raise ValidationError(
                    self.env._("A complaint can only be about a customer invoice.")
                )
            if (
                complaint.sale_line_id
                and complaint.sale_line_id.order_id != complaint.sale_order_id
            ):
                raise ValidationError(
                    self.env._("The order line must belong to the sales order.")
                )

    @api.constrains("picking_id")
    def _check_picking(self):
        for complaint in self.sudo().filtered("picking_id"):
            if complaint.picking_id.picking_type_code != "outgoing":
                raise ValidationError(
                    self.env._("A complaint can only be about a delivery.")
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        stages = self.env["crm.complaint.stage"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("crm.complaint")
            stage = stages.browse(vals.get("stage_id")) or self._default_stage_id()
            vals.setdefault("date_last_stage_update", now)
            if stage.is_paused and not stage.is_closed:
                vals.setdefault("date_paused", now)
            if stage.is_closed:
                vals.setdefault("date_closed", now)
                vals.setdefault("date_first_response", now)
        complaints = super().create(vals_list)
        for complaint in complaints.filtered("partner_id"):
            complaint.message_subscribe(partner_ids=complaint.partner_id.ids)
        complaints._send_acknowledgement()
        complaints.invoice_id._complaint_sync_dispute()
        complaints._complaint_after_open()
        return complaints

    def write(self, vals):
        if "stage_id" in vals:
            new_stage = self.env["crm.complaint.stage"].browse(vals["stage_id"])
            vals = dict(vals, date_last_stage_update=fields.Datetime.now())
            moving = self.filtered(lambda c: c.stage_id != new_stage)
            closing = moving.filtered(lambda c: not c.is_closed and new_stage.is_closed)
            reopening = moving.filtered(
                lambda c: c.is_closed and not new_stage.is_closed
            )
            moving._sla_stage_transition(new_stage)
        invoices = self.invoice_id
        res = super().write(vals)
        if {"invoice_id", "stage_id", "kind"} & set(vals):
            (invoices | self.invoice_id)._complaint_sync_dispute()
        if "partner_id" in vals:
            for complaint in self.filtered("partner_id"):
                complaint.message_subscribe(partner_ids=complaint.partner_id.ids)
        if "stage_id" in vals:
            moving._send_stage_template()
            closing._complaint_after_close()
            reopening._complaint_after_open()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_documents(self):
        if any(
            c.credit_note_ids or c.return_picking_ids or c.replacement_order_ids
            for c in self
        ):
            raise UserError(
                self.env._(
                    "A complaint with credit notes, returns or replacement orders "
                    "cannot be deleted; close or reject it instead."
                )
            )

    def unlink(self):
        invoices = self.invoice_id
        res = super().unlink()
        invoices._complaint_sync_dispute()
        return res

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if "subject" not in (default or {}):
            for complaint, vals in zip(self, vals_list, strict=True):
                vals["subject"] = self.env._("%s (copy)", complaint.subject or "")
        return vals_list

    # ------------------------------------------------------------
    # MAIL GATEWAY
    # ------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Create a complaint from an e-mail to a team's alias.

        The sender is matched to a contact by e-mail; an unknown sender gets a
        new contact or none, as the team says (the bounce case never gets here,
        see ``crm.complaint.team._alias_get_error``).
        """
        values = dict(custom_values or {})
        values.setdefault(
            "subject", msg_dict.get("subject") or self.env._("No subject")
        )
        values.setdefault("description", msg_dict.get("body"))
        values.setdefault("channel", "email")
        values["name"] = "/"
        partner = self.env["res.partner"].browse(msg_dict.get("author_id")).exists()
        team = self.env["crm.complaint.team"].browse(values.get("team_id")).exists()
        email_from = msg_dict.get("email_from")
        if not partner and email_from:
            policy = team.unknown_sender_policy or "create_partner"
            if policy == "create_partner":
                partner = self._partner_find_from_emails_single(
                    [email_from], no_create=False
                )
        if partner:
            values["partner_id"] = partner.id
            msg_dict["author_id"] = partner.id
        return super().message_new(msg_dict, custom_values=values)

    def _message_post_after_hook(self, message, msg_vals):
        """The first public answer of an employee is the first response; an
        answer of the customer to a complaint waiting on them resumes it."""
        res = super()._message_post_after_hook(message, msg_vals)
        public = message.message_type in ("email", "comment") and (
            message.subtype_id == self.env.ref("mail.mt_comment")
        )
        from_employee = message.author_id.user_ids.filtered(lambda u: not u.share)
        if public and from_employee and not self.date_first_response:
            self.sudo().date_first_response = message.date or fields.Datetime.now()
        if public and not from_employee and self.date_paused and not self.is_closed:
            stage = self._resume_stage()
            if stage:
                self.sudo().stage_id = stage
        return res

    def _resume_stage(self):
        """Where a paused complaint goes when the customer answers: the last
        running (not paused, not closed) stage before its current one."""
        self.ensure_one()
        Stage = self.env["crm.complaint.stage"].sudo()
        running = [("is_paused", "=", False), ("is_closed", "=", False)]
        return Stage.search(
            [*running, ("sequence", "<=", self.stage_id.sequence)],
            order="sequence desc, id desc",
            limit=1,
        ) or Stage.search(running, limit=1)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _action_view_records(self, xmlid, records, form_view=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        if len(records) == 1:
            action["views"] = [(form_view, "form")]
            action["res_id"] = records.id
        else:
            action["domain"] = [("id", "in", records.ids)]
        action["context"] = {"create": False}
        return action

    def action_view_sale_order(self):
        self.ensure_one()
        return self._action_view_records(
            "sale.action_orders",
            self.sale_order_id,
            self.env.ref("sale.view_order_form").id,
        )

    def action_view_invoice(self):
        self.ensure_one()
        return self._action_view_records(
            "account.action_move_out_invoice_type",
            self.invoice_id,
            self.env.ref("account.view_move_form").id,
        )

    def action_view_picking(self):
        self.ensure_one()
        return self._action_view_records(
            "stock.action_picking_tree_all",
            self.picking_id,
            self.env.ref("stock.view_picking_form").id,
        )

    def action_view_credit_notes(self):
        self.ensure_one()
        return self._action_view_records(
            "account.action_move_out_refund_type",
            self.credit_note_ids,
            self.env.ref("account.view_move_form").id,
        )

    def action_view_returns(self):
        self.ensure_one()
        return self._action_view_records(
            "stock.action_picking_tree_all",
            self.return_picking_ids,
            self.env.ref("stock.view_picking_form").id,
        )

    def action_view_replacement_orders(self):
        self.ensure_one()
        return self._action_view_records(
            "sale.action_quotations_with_onboarding",
            self.replacement_order_ids,
            self.env.ref("sale.view_order_form").id,
        )

    def action_credit_note(self):
        """Open core's reversal wizard on the related invoice."""
        self.ensure_one()
        invoice = self.invoice_id
        if not invoice or invoice.state != "posted":
            raise UserError(
                self.env._("Set a posted customer invoice on the complaint first.")
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_view_account_move_reversal"
        )
        action["context"] = {
            "active_model": "account.move",
            "active_ids": invoice.ids,
            "active_id": invoice.id,
            "complaint_id": self.id,
            "default_reason": self.env._(
                "Complaint %(ref)s: %(subject)s", ref=self.name, subject=self.subject
            ),
        }
        return action

    def action_return(self):
        """Open core's return wizard on the related delivery."""
        self.ensure_one()
        picking = self.picking_id
        if not picking or picking.state != "done":
            raise UserError(
                self.env._("Set a delivery that is done on the complaint first.")
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.act_stock_return_picking"
        )
        action["context"] = {
            "active_model": "stock.picking",
            "active_ids": picking.ids,
            "active_id": picking.id,
            "complaint_id": self.id,
        }
        return action

    def action_replacement_quotation(self):
        """Create a quotation that sends the goods again, free of charge."""
        self.ensure_one()
        order = self._create_replacement_quotation()
        return self._action_view_records(
            "sale.action_quotations_with_onboarding",
            order,
            self.env.ref("sale.view_order_form").id,
        )

    def _replacement_lines(self):
        """Products and quantities to send again: the order line, else the lines
        of the order (restricted to the complaint's product if any), else the
        product alone."""
        self.ensure_one()
        if self.sale_line_id:
            lines = self.sale_line_id
        else:
            lines = self.sale_order_id.order_line.filtered(
                lambda line: not line.display_type
                and line.product_id.type != "service"
                and (not self.product_id or line.product_id == self.product_id)
            )
        values = [
            (line.product_id, line.product_uom_qty, line.price_unit) for line in lines
        ]
        if not values and self.product_id:
            values = [(self.product_id, 1.0, self.product_id.lst_price)]
        return values

    def _create_replacement_quotation(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Set the customer of the complaint first."))
        lines = self._replacement_lines()
        if not lines:
            raise UserError(
                self.env._("Set a product, an order line or an order first.")
            )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "origin": self.name,
                "complaint_origin_id": self.id,
                "user_id": (self.sale_order_id.user_id or self.env.user).id,
                "order_line": [
                    fields.Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            "discount": 100.0,
                        }
                    )
                    for product, qty, price in lines
                ],
            }
        )
        self.message_post(
            body=self.env._(
                "Replacement quotation %(order)s created.",
                order=order._get_html_link(),
            )
        )
        return order

    def action_close(self):
        """Move to the customer closing stage (or the first closed stage)."""
        stage = self._closing_stage()
        self.filtered(lambda c: not c.is_closed).write({"stage_id": stage.id})
        return True

    @api.model
    def _closing_stage(self):
        stages = self.env["crm.complaint.stage"].sudo()
        stage = stages.search([("is_customer_close", "=", True)], limit=1) or (
            stages.search([("is_closed", "=", True)], limit=1)
        )
        if not stage:
            raise UserError(self.env._("No closed stage is configured."))
        return stage

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
    def _complaint_company_for(self, values):
        """Company of a complaint filed on the portal: its document's, else the
        customer's, else the current one."""
        env = self.env
        for model, fname in (
            ("sale.order", "sale_order_id"),
            ("account.move", "invoice_id"),
            ("stock.picking", "picking_id"),
        ):
            if values.get(fname):
                return env[model].sudo().browse(values[fname]).company_id
        partner = env["res.partner"].sudo().browse(values.get("partner_id"))
        return partner.company_id or env.company

    def _complaint_sender(self):
        """Partner the automatic messages come from: the owner, the team leader,
        else the company."""
        self.ensure_one()
        return (
            self.user_id.partner_id
            or self.team_id.user_id.partner_id
            or self.company_id.partner_id
        )

    def _as_system(self):
        """Automatic messages are posted by the system, not by the current user:
        when the customer files the complaint (portal, e-mail gateway running as
        the sender), core would not notify them of a message they 'wrote'."""
        return self.with_user(SUPERUSER_ID).with_context(
            mail_post_autofollow_author_skip=True
        )

    def _send_acknowledgement(self):
        for complaint in self._as_system():
            template = complaint.team_id.acknowledgement_template_id
            if not template or not complaint.partner_id:
                continue
            complaint.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                author_id=complaint._complaint_sender().id,
            )

    def _send_stage_template(self):
        for complaint in self._as_system():
            template = complaint.stage_id.mail_template_id
            if template and complaint.partner_id:
                complaint.message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_comment",
                    author_id=complaint._complaint_sender().id,
                )

    def _complaint_after_open(self):
        """A complaint opened (created or reopened) is an inbound interaction and
        a lifecycle event of its customer."""
        complaints = self.filtered("partner_id")
        if not complaints:
            return True
        self.env["crm.interaction"]._log_documents(
            complaints,
            "complaint",
            name=lambda c: self.env._(
                "Complaint %(ref)s: %(subject)s", ref=c.name, subject=c.subject
            ),
            date_field="date_open",
            user_field="user_id",
            direction="inbound",
            values=lambda c: {"channel": INTERACTION_CHANNELS.get(c.channel, "other")},
        )
        complaints.partner_id._lifecycle_trigger_event(
            "complaint_opened", records=complaints
        )
        return True

    def _complaint_after_close(self):
        """A closed complaint is an outbound interaction and a lifecycle event of
        its customer; ask for a rating once, when a complaint first enters a
        closed stage that requests one."""
        closed = self.filtered("partner_id")
        if closed:
            self.env["crm.interaction"]._log_documents(
                closed,
                "complaint_closed",
                name=lambda c: self.env._(
                    "Complaint %(ref)s closed (%(stage)s)",
                    ref=c.name,
                    stage=c.stage_id.name,
                ),
                date_field="date_closed",
                user_field="user_id",
                direction="outbound",
                values=lambda c: {"channel": "system"},
            )
            closed.partner_id._lifecycle_trigger_event(
                "complaint_closed", records=closed
            )
        to_rate = self.filtered(
            lambda c: c.stage_id.rating_request
            and not c.rating_requested
            and c.partner_id.email
            and c.team_id.rating_template_id
        )
        for complaint in to_rate._as_system():
            complaint.rating_send_request(
                complaint.team_id.rating_template_id,
                lang=complaint.partner_id.lang,
                force_send=False,
            )
        to_rate.sudo().write({"rating_requested": True})
        return True

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
