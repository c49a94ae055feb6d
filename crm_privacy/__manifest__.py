# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Customer Data Protection",
    "summary": "Consent, access and erasure requests, retention of customer data, "
    "on Odoo's privacy lookup and its privacy log",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Nube CRM",
    "maintainers": ["nubecrm"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "depends": ["crm_lifecycle", "privacy_lookup", "data_recycle", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/ir_rules.xml",
        "data/ir_cron_retention_data.xml",
        "views/res_partner_views.xml",
        "views/res_company_views.xml",
        "views/privacy_log_views.xml",
        "wizards/privacy_lookup_wizard_views.xml",
        "views/portal_consent_templates.xml",
        "views/data_recycle_record_views.xml",
        "views/crm_privacy_menus.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
