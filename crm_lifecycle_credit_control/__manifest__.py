# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Customer Lifecycle - Credit Control",
    "summary": "Dunning (OCA credit control) with the customer lifecycle: disputed "
    "invoices and payment promises pause it, reminders in the timeline",
    "version": "19.0.1.1.0",
    "category": "Finance",
    "author": "Nube CRM",
    "maintainers": ["nubecrm"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "depends": ["crm_lifecycle", "account_credit_control"],
    "data": [
        "data/crm_lifecycle_event_data.xml",
        "views/res_partner_views.xml",
        "views/customer_summary_templates.xml",
    ],
    "installable": True,
    "application": False,
    "auto_install": True,
}
