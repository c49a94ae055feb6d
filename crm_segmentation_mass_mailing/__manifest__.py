# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Customer Segmentation - Mass Mailing",
    "summary": "Add the customers of a segment, or selected customers, to a "
    "mailing list; subscribe customers entering a stage or segment",
    "version": "19.0.1.1.0",
    "category": "Marketing/Email Marketing",
    "author": "Nube CRM",
    "maintainers": ["nubecrm"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "depends": ["crm_segmentation", "mass_mailing"],
    "data": [
        "security/ir.model.access.csv",
        "wizards/crm_segment_mailing_list_wizard_views.xml",
        "views/crm_segment_cell_views.xml",
        "views/crm_segment_membership_views.xml",
        "views/crm_lifecycle_entry_action_views.xml",
        "views/mailing_mailing_views.xml",
        "views/mailing_list_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_segmentation_mass_mailing/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": False,
    "auto_install": True,
}
