# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaints and requests: the record, the documents it is about, its stages
and dates, the e-mail gateway and the automatic messages. The SLA engine
extends the model in ``crm_complaint_sla.py``, the credit notes, returns and
replacements in ``crm_complaint_resolution.py``."""

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError

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
    ("paused", "Paused"),
    ("met", "Met"),
]
HIGH_PRIORITIES = ("2", "3")


def _cut(text, size):
    """``text`` in at most ``size`` characters."""
    return text if len(text) <= size else text[: size - 1] + "…"


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
        default=lambda self: self.env._("New"),
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
    color = fields.Integer(groups="base.group_user")
    description = fields.Html()
    # people
    team_id = fields.Many2one(
        "crm.complaint.team",
        tracking=True,
        index=True,
        default=lambda self: self._default_team_id(),
        check_company=True,
        groups="base.group_user",
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
    is_paused = fields.Boolean(
        related="stage_id.is_paused", store=True, groups="base.group_user"
    )
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
        string="Last Stage Update",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    date_paused = fields.Datetime(
        string="Paused Since",
        readonly=True,
        copy=False,
        help="Set while the complaint is in a stage that pauses the SLA.",
        groups="base.group_user",
    )
    resolution_hours = fields.Float(
        string="Resolution Time (hours)",
        compute="_compute_resolution_hours",
        store=True,
        aggregator="avg",
        help="Calendar hours between opening and closing.",
        groups="base.group_user",
    )
    rating_requested = fields.Boolean(
        readonly=True, copy=False, groups="base.group_user"
    )

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
        # every company has a team: the current company's first, then the
        # user's own team, then any team of the allowed companies
        here = teams.filtered(lambda t: t.company_id == self.env.company)
        for candidates in (here, teams):
            mine = candidates.filtered(
                lambda t: user in t.member_ids or user == t.user_id
            )
            if mine or candidates:
                return mine[:1] or candidates[:1]
        return teams

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

    @api.depends("sale_line_id", "picking_id")
    def _compute_product_id(self):
        """The product of the order line, else the only product of the delivery
        (a delivery of several products leaves the choice to the user)."""
        for complaint in self:
            if complaint.sale_line_id:
                complaint.product_id = complaint.sale_line_id.product_id
            elif complaint.picking_id and not complaint.product_id:
                products = complaint.picking_id.sudo().move_ids.product_id
                if len(products) == 1:
                    complaint.product_id = products

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
        placeholders = {"/", "New", self.env._("New")}
        for vals in vals_list:
            if vals.get("name") in placeholders or not vals.get("name"):
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
            # pauses and close dates, before the stage changes (crm_complaint_sla)
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

    def _creation_message(self):
        """One sentence per kind (core's "%s created" cannot agree in gender
        with a feminine document name, as "Reclamación" in Spanish)."""
        self.ensure_one()
        messages = {
            "complaint": self.env._("Complaint created"),
            "claim": self.env._("Claim created"),
            "request": self.env._("Request created"),
            "suggestion": self.env._("Suggestion created"),
            "question": self.env._("Question created"),
        }
        return messages.get(self.kind) or super()._creation_message()

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

    def _complaint_customer_tz(self):
        """Time zone of the dates written to the customer: theirs, else the
        team's working hours', else the company's (its address'), else UTC."""
        self.ensure_one()
        return (
            self.partner_id.tz
            or self.team_id.resource_calendar_id.tz
            or self.company_id.partner_id.tz
            or self.company_id.resource_calendar_id.tz
            or "UTC"
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
            # an automatic comment: a message of the conversation the customer
            # reads in the portal, which is no first response
            complaint.message_post_with_source(
                template,
                message_type="auto_comment",
                subtype_xmlid="mail.mt_comment",
                author_id=complaint._complaint_sender().id,
            )

    def _send_stage_template(self):
        for complaint in self._as_system():
            template = complaint.stage_id.mail_template_id
            if template and complaint.partner_id:
                complaint.message_post_with_source(
                    template,
                    message_type="auto_comment",
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
            # a summary: long subjects (an e-mail's) are cut
            name=lambda c: self.env._(
                "Complaint %(ref)s: %(subject)s",
                ref=c.name,
                subject=_cut(c.subject or "", 200),
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
