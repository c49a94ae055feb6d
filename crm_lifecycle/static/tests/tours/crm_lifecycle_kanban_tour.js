import { registry } from "@web/core/registry";

// A salesperson drags a customer from one lifecycle column to another in the
// "Customer Lifecycle" kanban; the Python test checks the stage and the history.
registry.category("web_tour.tours").add("crm_lifecycle_kanban_tour", {
    steps: () => [
        {
            content: "The customer is in the Possible prospect column",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Possible prospect')) .o_kanban_record:contains('Tour Lifecycle Co')",
        },
        {
            content: "Drag the customer to the New customer column",
            trigger: ".o_kanban_record:contains('Tour Lifecycle Co')",
            run: "drag_and_drop(.o_kanban_group:has(.o_column_title:contains('New customer')))",
        },
        {
            content: "The card is now in the New customer column",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('New customer')) .o_kanban_record:contains('Tour Lifecycle Co')",
        },
        {
            content: "Open the customer",
            trigger: ".o_kanban_record:contains('Tour Lifecycle Co')",
            run: "click",
        },
        {
            content: "The form's statusbar shows the new stage",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('New customer')",
        },
        {
            content: "Open the Lifecycle tab",
            trigger: ".o_notebook .nav-link:contains('Lifecycle')",
            run: "click",
        },
        {
            content: "The move is in the history, made by hand",
            trigger:
                ".o_field_widget[name=lifecycle_history_ids] .o_data_row:contains('Possible prospect'):contains('New customer'):contains('Manual')",
        },
    ],
});
