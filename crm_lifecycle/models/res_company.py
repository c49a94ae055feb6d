# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools


class ResCompany(models.Model):
    _inherit = "res.company"

    # the suite's company settings have a prefetch group per addon: every
    # request reads its company, not them (but the e-mail logging, read with
    # every e-mail logged)
    lifecycle_event_processing = fields.Selection(
        [
            ("immediate", "At once, in the user's request"),
            ("background", "In the background, within a minute"),
        ],
        string="Customer Lifecycle Updates",
        required=True,
        default="immediate",
        groups="base.group_user",
        help="When a document of this company (an order confirmed, a delivery "
        "validated, an invoice posted, a payment, an e-mail) updates its "
        "customer's facts and lifecycle stage.\n"
        "At once: in the request of the user who confirms or sends it; the "
        "customer's stage is up to date when the page reloads.\n"
        "In the background: the request only queues the document and the "
        "update; a scheduled job logs the documents and e-mails in the "
        "customers' timeline and applies the updates within a minute, those "
        "of that minute together. For companies with many documents a day: "
        "the daily work of sales and accounting costs almost nothing more "
        "than in Odoo alone.",
        prefetch="crm_lifecycle",
    )

    @api.model
    @tools.ormcache()
    def _lifecycle_background_company_ids(self):
        """The companies whose customers' lifecycle is updated in the
        background (cached: read on every document of every company)."""
        return frozenset(
            self.sudo()
            .with_context(active_test=False)
            .search([("lifecycle_event_processing", "=", "background")])
            .ids
        )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env.registry.clear_cache()  # their partners are not customers
        companies.sudo()._crm_create_company_data()
        return companies

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals or "lifecycle_event_processing" in vals:
            self.env.registry.clear_cache()
        if "lifecycle_event_processing" in vals:
            self.env["crm.lifecycle.pending"]._sync_cron_interval()
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
