# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env.registry.clear_cache()  # their partners are not customers
        companies.sudo()._crm_create_company_data()
        return companies

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals:
            self.env.registry.clear_cache()
        return res

    def _crm_create_company_data(self):
        """Give each company of ``self`` what the CRM modules ship per company
        (a complaint team, an RFM matrix...), unless it has it already: each
        module overrides this method, calls super() and creates only what is
        missing, so that calling it again creates nothing. Run as superuser on
        the companies being created, and on every company by
        ``_crm_create_missing_company_data``. Nothing in crm_lifecycle."""

    @api.model
    def _crm_create_missing_company_data(self):
        """Installation and upgrade of a CRM module (its data file or its
        migration): ``_crm_create_company_data`` on every company, archived
        included (the XML data only gives the main company its records)."""
        self.sudo().with_context(active_test=False).search(
            []
        )._crm_create_company_data()
