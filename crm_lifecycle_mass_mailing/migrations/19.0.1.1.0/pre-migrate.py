# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.1.0: a shared customer has its own campaign response facts in each
company (company-dependent fields, as crm_lifecycle's facts since its
19.0.1.9.0): the values of an existing database are kept for the customer's
own company, else the main company."""

from odoo.tools import SQL

from odoo.addons.crm_lifecycle.company_values import convert_to_company_dependent


def migrate(cr, version):
    if not version:
        return
    convert_to_company_dependent(
        cr,
        "res_partner",
        ("lifecycle_last_campaign_response_date", "lifecycle_campaign_response_count"),
        SQL("company_id"),
    )
