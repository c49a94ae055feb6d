# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Customer Segmentation",
    "summary": "Segmentation matrix, RFM, predictive customer value and churn, "
    "cross-sell model",
    "version": "19.0.1.3.0",
    "category": "Sales/CRM",
    "author": "Nube CRM",
    "maintainers": ["nubecrm"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "depends": ["crm_lifecycle"],
    "external_dependencies": {"python": ["numpy", "scipy"]},
    "data": [
        "security/res_groups.xml",
        "security/ir.model.access.csv",
        "security/ir_rules.xml",
        "security/clv_rules.xml",
        # segmentation (matrices, RFM)
        "data/ir_cron_data.xml",
        "data/crm_segment_rfm_data.xml",
        "views/crm_segment_attribute_views.xml",
        "views/crm_segment_dimension_views.xml",
        "views/crm_segment_cell_views.xml",
        "views/crm_lifecycle_entry_action_views.xml",
        "views/crm_segment_membership_views.xml",
        "views/crm_segment_history_views.xml",
        "views/crm_segment_matrix_views.xml",
        "views/res_partner_views.xml",
        "views/customer_summary_templates.xml",
        "views/res_config_settings_views.xml",
        "views/crm_segmentation_menus.xml",
        # customer value and cross-sell models
        "data/ir_cron_clv.xml",
        "data/mail_activity_type_data.xml",
        "views/crm_clv_model_views.xml",
        "views/crm_cross_sell_views.xml",
        "views/crm_cross_sell_offer_views.xml",
        "views/sale_order_views.xml",
        "views/res_partner_churn_views.xml",
    ],
    "demo": ["demo/crm_segmentation_demo.xml"],
    "assets": {
        "web.assets_tests": ["crm_segmentation/static/tests/tours/**/*"],
    },
    "installable": True,
    "application": False,
}
