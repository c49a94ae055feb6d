# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Customer Lifecycle - Mass Mailing",
    "summary": "Campaign responses (sent, opened, clicked, replied, bounced) in "
    "the customer's timeline, and facts lifecycle rules can use",
    "version": "19.0.1.1.0",
    "category": "Marketing/Email Marketing",
    "author": "Nube CRM",
    "maintainers": ["nubecrm"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "depends": ["crm_lifecycle", "mass_mailing"],
    "data": [
        "data/crm_lifecycle_event_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_interaction_views.xml",
        "views/res_partner_views.xml",
    ],
    "installable": True,
    "application": False,
    "auto_install": True,
    "post_init_hook": "post_init_hook",
}
