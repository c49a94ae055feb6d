# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Customers Dashboard",
    "summary": "A Customers spreadsheet dashboard: lifecycle funnel, RFM matrix, "
    "value at risk, complaints against their SLA, overdue by stage",
    "version": "19.0.1.0.0",
    "category": "Productivity/Dashboard",
    "author": "Nube CRM",
    "maintainers": ["nubecrm"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "depends": ["crm_segmentation", "crm_complaints", "spreadsheet_dashboard"],
    "data": ["data/spreadsheet_dashboard_data.xml"],
    "assets": {
        "web.assets_tests": ["crm_segmentation_dashboard/static/tests/tours/**/*"],
    },
    "installable": True,
    "application": False,
    "auto_install": True,
}
