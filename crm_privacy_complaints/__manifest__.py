# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Customer Data Protection - Complaints",
    "summary": "Complaints in the export and the erasure of a customer's personal "
    "data; an open complaint holds the erasure back",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Nube CRM",
    "maintainers": ["nubecrm"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "depends": ["crm_privacy", "crm_complaints"],
    "data": [],
    "installable": True,
    "application": False,
    "auto_install": True,
}
