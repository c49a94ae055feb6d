# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from ast import literal_eval

from odoo import api, fields, models

from odoo.addons.mail.tools.alias_error import AliasError


class CrmComplaintTeam(models.Model):
    """Customer service team: members, leader, working calendar and mail alias.

    A model of its own rather than an extension of ``crm.team``: a sales team
    already owns one ``mail.alias.mixin`` alias (it creates leads), and a team of
    customer service agents has its own members, calendar and e-mail address.
    """

    _name = "crm.complaint.team"
    _description = "Complaint Team"
    _inherit = ["mail.alias.mixin", "mail.thread"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        domain=[("share", "=", False)],
        help="Receives the escalations of breached complaints.",
    )
    member_ids = fields.Many2many(
        "res.users",
        "crm_complaint_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain=[("share", "=", False)],
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        required=True,
        default=lambda self: self._default_resource_calendar_id(),
        help="SLA targets are counted in the working time of this calendar, its "
        "public holidays excluded.",
    )
    unknown_sender_policy = fields.Selection(
        [
            ("create_partner", "Create a contact"),
            ("no_partner", "Accept without customer"),
            ("bounce", "Bounce the e-mail"),
        ],
        string="Unknown Senders",
        required=True,
        default="create_partner",
        help="What to do with an e-mail to the team's alias whose sender is not "
        "a known contact.",
    )
    acknowledgement_template_id = fields.Many2one(
        "mail.template",
        string="Acknowledgement",
        domain=[("model", "=", "crm.complaint")],
        default=lambda self: self._default_acknowledgement_template_id(),
        help="Sent to the customer when a complaint is filed, with its reference.",
    )
    rating_template_id = fields.Many2one(
        "mail.template",
        string="Rating Request",
        domain=[("model", "=", "crm.complaint")],
        default=lambda self: self._default_rating_template_id(),
        help="Satisfaction survey sent when a complaint enters a closed stage that "
        "requests a rating.",
    )
    complaint_ids = fields.One2many("crm.complaint", "team_id", string="Complaints")
    complaint_open_count = fields.Integer(
        string="Open Complaints", compute="_compute_complaint_counts"
    )
    complaint_breached_count = fields.Integer(
        string="Breached Complaints", compute="_compute_complaint_counts"
    )

    @api.model
    def _default_resource_calendar_id(self):
        return self.env.company.resource_calendar_id

    @api.model
    def _default_acknowledgement_template_id(self):
        return self.env.ref(
            "crm_complaints.mail_template_complaint_acknowledgement",
            raise_if_not_found=False,
        )

    @api.model
    def _default_rating_template_id(self):
        return self.env.ref(
            "crm_complaints.mail_template_complaint_rating", raise_if_not_found=False
        )

    def _compute_complaint_counts(self):
        groups = self.env["crm.complaint"]._read_group(
            [("team_id", "in", self.ids), ("is_closed", "=", False)],
            ["team_id", "sla_status"],
            ["__count"],
        )
        open_counts, breached_counts = {}, {}
        for team, sla_status, count in groups:
            open_counts[team.id] = open_counts.get(team.id, 0) + count
            if sla_status == "breached":
                breached_counts[team.id] = breached_counts.get(team.id, 0) + count
        for team in self:
            team.complaint_open_count = open_counts.get(team.id, 0)
            team.complaint_breached_count = breached_counts.get(team.id, 0)

    # ------------------------------------------------------------
    # MAIL ALIAS
    # ------------------------------------------------------------

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("crm.complaint")
        if self.id:
            values["alias_defaults"] = defaults = literal_eval(
                self.alias_defaults or "{}"
            )
            defaults["team_id"] = self.id
            defaults["company_id"] = self.company_id.id
            defaults["channel"] = "email"
        return values

    def _alias_get_error(self, message, message_dict, alias):
        """Bounce unknown senders when the team says so.

        The route check calls this on the alias owner (the team) after it has
        matched the sender to a contact (``author_id``).
        """
        if (
            self
            and self.unknown_sender_policy == "bounce"
            and not message_dict.get("author_id")
        ):
            return AliasError(
                "error_complaint_unknown_sender",
                self.env._("only known customers may file complaints by e-mail"),
            )
        return super()._alias_get_error(message, message_dict, alias)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_complaints.crm_complaint_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        return action
