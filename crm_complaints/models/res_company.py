# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_portal_hourly_limit = fields.Integer(
        string="Portal Requests per Account and Hour",
        default=10,
        groups="base.group_user",
        help="How many complaints and requests one portal account may file in "
        "an hour; beyond it the form asks to wait (what was typed is kept). "
        "0: no limit.",
        prefetch="crm_complaints",
    )

    @api.constrains("complaint_portal_hourly_limit")
    def _check_complaint_portal_hourly_limit(self):
        if any(company.complaint_portal_hourly_limit < 0 for company in self):
            raise ValidationError(
                self.env._(
                    "The number of portal requests per account and hour cannot "
                    "be negative (0: no limit)."
                )
            )

    def _crm_create_company_data(self):
        res = super()._crm_create_company_data()
        self._complaint_create_company_data()
        return res

    def _complaint_create_company_data(self):
        """Give each company of ``self`` without a complaint team a copy of the
        shipped "Customer Service" team (its name in every language, its
        templates and unknown-sender policy) on the company's working hours,
        without the leader and members of the original, who may not work for
        that company: the e-mail alias, the portal form and the SLA policies
        need a team in the company from the start."""
        Team = self.env["crm.complaint.team"].with_context(active_test=False)
        having = set(Team.search([("company_id", "in", self.ids)]).company_id.ids)
        missing = self.filtered(lambda company: company.id not in having)
        template = Team.env.ref(
            "crm_complaints.team_customer_service", raise_if_not_found=False
        )
        teams = Team
        for company in missing:
            values = {"company_id": company.id, "active": True}
            if company.resource_calendar_id:
                values["resource_calendar_id"] = company.resource_calendar_id.id
            if template:
                values.update(user_id=False, member_ids=[Command.clear()])
                teams |= template.copy(values)
            else:
                teams |= Team.create({"name": self.env._("Customer Service"), **values})
        return teams
