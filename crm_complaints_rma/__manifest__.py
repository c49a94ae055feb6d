# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Customer Complaints - RMA",
    "summary": "Returns (OCA RMA) from complaints: RMAs prefilled from the delivery "
    "or lot, their state, refund and replacement on the complaint and the portal",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Nube CRM",
    "maintainers": ["nubecrm"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "depends": ["crm_complaints", "rma"],
    "data": [
        "views/crm_complaint_views.xml",
        "views/rma_views.xml",
        "views/crm_complaint_portal_templates.xml",
    ],
    "installable": True,
    "application": False,
    "auto_install": True,
}
