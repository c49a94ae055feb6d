import { registry } from "@web/core/registry";

// A salesperson opens Dashboards > Customers: the spreadsheet loads (no error,
// no sample) and shows its ten charts. The Python test
// (test_customers_dashboard.py) checks the data behind them.

registry.category("web_tour.tours").add("crm_segmentation_dashboard_tour", {
    steps: () => [
        {
            content: "Choose the Customers dashboard",
            trigger: ".o_search_panel_category_value .o_dashboard_name:contains('Customers')",
            run: "click",
        },
        {
            content: "It is the active dashboard",
            trigger: ".o_search_panel_category_value.active:contains('Customers')",
        },
        {
            content: "The spreadsheet is loaded with its data, not a sample",
            trigger: ".o_spreadsheet_dashboard_action .o_renderer:not(.o-sample-dashboard)",
        },
        {
            content: "Its key figures are drawn (the charts below as they scroll in)",
            trigger: ".o_renderer .o-figure:eq(3)",
        },
        {
            content: "No loading error",
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status.error))",
        },
    ],
});

// On a phone, the salesperson has starred the dashboard: it opens first.
registry.category("web_tour.tours").add("crm_segmentation_dashboard_mobile_tour", {
    steps: () => [
        {
            content: "The starred Customers dashboard is the one shown",
            trigger: ".o_search_panel_current_selection:contains('Customers')",
        },
        {
            content: "Its ten charts are shown one under the other",
            trigger: ".o_mobile_dashboard .o-mobile-figure:eq(9)",
        },
        {
            content: "No loading error",
            trigger: ".o_mobile_dashboard:not(:has(.dashboard-loading-status))",
        },
    ],
});
