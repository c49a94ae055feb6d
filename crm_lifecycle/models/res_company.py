# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    lifecycle_data_custodian_id = fields.Many2one(
        "res.users",
        string="Customer Data Custodian",
        domain="[('share', '=', False)]",
        help="The person responsible for the customers' personal data (the "
        "custodian data-protection law asks for): answers access requests "
        "(export) and erasure requests (anonymisation).",
        groups="base.group_user",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env.registry.clear_cache()  # their partners are not customers
        return companies

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals:
            self.env.registry.clear_cache()
        return res
