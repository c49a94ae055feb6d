# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_complaint import COMPLAINT_KINDS, COMPLAINT_PRIORITIES


class CrmComplaintSlaPolicy(models.Model):
    """Service-level targets, matched in sequence order.

    The first active policy whose team, kind, category and priority match a
    complaint (an empty criterion matches everything; a category matches its
    subcategories) gives its first-response and resolution targets, counted in
    working hours of the team's calendar.
    """

    _name = "crm.complaint.sla.policy"
    _description = "Complaint SLA Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    team_ids = fields.Many2many(
        "crm.complaint.team",
        string="Teams",
        help="Empty: every team.",
    )
    kind = fields.Selection(COMPLAINT_KINDS, help="Empty: every kind.")
    category_ids = fields.Many2many(
        "crm.complaint.category",
        string="Categories",
        help="Empty: every category. A category also matches its subcategories.",
    )
    priority = fields.Selection(COMPLAINT_PRIORITIES, help="Empty: every priority.")
    response_hours = fields.Float(
        string="First Response (working hours)",
        help="Working hours to the first answer to the customer; 0: no target.",
    )
    resolution_hours = fields.Float(
        string="Resolution (working hours)",
        help="Working hours to close the complaint; 0: no target.",
    )
    warning_hours = fields.Float(
        string="Warning (working hours)",
        default=2.0,
        help="The complaint is at risk, and its owner warned, this many working "
        "hours before the next deadline.",
    )

    _response_hours_positive = models.Constraint(
        "CHECK(response_hours >= 0 AND resolution_hours >= 0 AND warning_hours >= 0)",
        "SLA targets cannot be negative.",
    )

    @api.constrains("response_hours", "resolution_hours")
    def _check_targets(self):
        for policy in self:
            if not policy.response_hours and not policy.resolution_hours:
                raise ValidationError(
                    self.env._(
                        "The SLA policy %(name)s needs a first-response or a "
                        "resolution target.",
                        name=policy.display_name,
                    )
                )

    def _match(self, complaint):
        """Return whether this policy applies to the complaint (one policy)."""
        self.ensure_one()
        if self.company_id and self.company_id != complaint.company_id:
            return False
        if self.team_ids and complaint.team_id not in self.team_ids:
            return False
        if self.kind and self.kind != complaint.kind:
            return False
        if self.priority and self.priority != complaint.priority:
            return False
        if self.category_ids:
            if not complaint.category_id:
                return False
            parent_ids = {
                int(x) for x in complaint.category_id.parent_path.split("/")[:-1]
            }
            if not parent_ids & set(self.category_ids.ids):
                return False
        return True
