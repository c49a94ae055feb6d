# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_portal_hourly_limit = fields.Integer(
        string="Portal Requests per Account and Hour",
        default=10,
        groups="base.group_user",
        help="How many complaints and requests one portal account may file in "
        "an hour; beyond it the form asks to wait (what was typed is kept). "
        "0: no limit.",
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
