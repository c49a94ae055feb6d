import { registry } from "@web/core/registry";

// A salesperson of two companies opens a shared customer: each company shows its
// own lifecycle stage and figures; switching company in the navbar switches them.
registry.category("web_tour.tours").add("crm_lifecycle_company_switch_tour", {
    steps: () => [
        {
            content: "In the first company the customer is a high-value customer",
            trigger:
                ".o_form_view:contains('Tour Shared Co') .o_statusbar_status button.o_arrow_button_current:contains('High-value customer')",
        },
        {
            content: "Open the Lifecycle tab",
            trigger: ".o_notebook .nav-link:contains('Lifecycle')",
            run: "click",
        },
        {
            content: "The first company's orders are counted",
            trigger: ".o_field_widget[name=lifecycle_order_count]:contains('3')",
        },
        {
            content: "Open the company switcher",
            trigger: ".o_switch_company_menu button",
            run: "click",
        },
        {
            content: "Log into the second company",
            trigger: ".o_switch_company_item:contains('Tour Company B') .log_into",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The navbar now names the second company",
            trigger: ".o_switch_company_menu .oe_topbar_name:contains('Tour Company B')",
        },
        {
            content: "The second company's stage is shown",
            trigger:
                ".o_form_view:contains('Tour Shared Co') .o_statusbar_status button.o_arrow_button_current:contains('Lost')",
        },
        {
            content: "Open the Lifecycle tab",
            trigger: ".o_notebook .nav-link:contains('Lifecycle')",
            run: "click",
        },
        {
            content: "The second company's single order is counted, not the first's",
            trigger: ".o_field_widget[name=lifecycle_order_count]:contains('1')",
        },
    ],
});
