# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

from .crm_complaint import COMPLAINT_KINDS, COMPLAINT_PRIORITIES


class CrmComplaintSlaPolicy(models.Model):
    """Service-level targets, matched in sequence order.

    The first active policy whose team, kind, category, priority and customer
    (lifecycle stage, customer filter) match a complaint (an empty criterion
    matches everything; a category matches its subcategories) gives its
    first-response and resolution targets, counted in working hours of the
    team's calendar.

    The customer filter is a domain on customers: with the segmentation it can
    name a segment (``segment_membership_ids.cell_id``), a predicted value band
    (a level of a dimension on the predicted value) or the predicted value
    itself (``clv_value``) without this addon depending on the segmentation.
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
    lifecycle_stage_ids = fields.Many2many(
        "crm.lifecycle.stage",
        string="Customer Stages",
        help="Empty: every customer. The lifecycle stage of the customer when the "
        "complaint is filed (e.g. captive customers get a faster response).",
    )
    partner_domain = fields.Char(
        string="Customer Filter",
        help="Only the customers matching this filter (e.g. a segment or a "
        "predicted value, with the segmentation). Empty: every customer.",
    )
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

    @api.constrains("partner_domain")
    def _check_partner_domain(self):
        for policy in self.filtered("partner_domain"):
            try:
                self.env["res.partner"].sudo().search_count(
                    policy._partner_domain(), limit=1
                )
            except Exception as error:  # noqa: BLE001 - any invalid domain
                raise ValidationError(
                    self.env._(
                        "The customer filter of the SLA policy %(name)s is not "
                        "valid: %(error)s",
                        name=policy.display_name,
                        error=error,
                    )
                ) from error

    def _partner_domain(self):
        self.ensure_one()
        return Domain(safe_eval(self.partner_domain or "[]"))

    def _match_customers(self, complaints):
        """{policy id: (company id, customer id) of the complaints whose
        customer its customer filter matches}, one search per policy with a
        filter and company of the complaints (not per complaint): a customer
        shared by the companies has its stage and facts in each of them, the
        filter reads those of the complaint's company."""
        policies = self.filtered("partner_domain")
        matched = {policy.id: set() for policy in policies}
        if not policies:
            return matched
        for company, company_complaints in complaints.grouped("company_id").items():
            customers = company_complaints.partner_id.commercial_partner_id
            Partner = (
                self.env["res.partner"]
                .sudo()
                .with_company(company)
                .with_context(active_test=False)
            )
            for policy in policies:
                found = Partner.search(
                    Domain("id", "in", customers.ids) & policy._partner_domain()
                )
                matched[policy.id].update((company.id, pid) for pid in found.ids)
        return matched

    def _match(self, complaint, matched_customers=None):
        """Return whether this policy applies to the complaint (one policy).
        ``matched_customers``: see ``_match_customers`` (computed here when
        not given)."""
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
        # the customer's stage in the complaint's company
        customer = complaint.partner_id.commercial_partner_id.with_company(
            complaint.company_id
        )
        if (
            self.lifecycle_stage_ids
            and customer.lifecycle_stage_id not in self.lifecycle_stage_ids
        ):
            return False
        if self.partner_domain:
            if matched_customers is None:
                matched_customers = self._match_customers(complaint)
            key = (complaint.company_id.id, customer.id)
            if key not in matched_customers.get(self.id, ()):
                return False
        return True

    def _match_reason(self, complaint):
        """Why the policy applies to the complaint, for the agent: its name and
        the criteria it matched."""
        self.ensure_one()
        fields_ = self._fields
        reasons = []
        if self.team_ids:
            reasons.append((fields_["team_ids"], complaint.team_id.display_name))
        if self.kind:
            reasons.append((fields_["kind"], complaint._sla_label("kind")))
        if self.category_ids:
            reasons.append(
                (fields_["category_ids"], complaint.category_id.display_name)
            )
        if self.priority:
            reasons.append((fields_["priority"], complaint._sla_label("priority")))
        customer = complaint.partner_id.commercial_partner_id.with_company(
            complaint.company_id
        )
        if self.lifecycle_stage_ids:
            reasons.append(
                (fields_["lifecycle_stage_ids"], customer.lifecycle_stage_id.name)
            )
        if self.partner_domain:
            reasons.append((fields_["partner_domain"], self.env._("matched")))
        if not reasons:
            return self.env._(
                "“%(policy)s”: applies to every complaint.", policy=self.name
            )
        return self.env._(
            "“%(policy)s”: %(criteria)s.",
            policy=self.name,
            criteria="; ".join(
                f"{field._description_string(self.env)}: {value}"
                for field, value in reasons
            ),
        )
