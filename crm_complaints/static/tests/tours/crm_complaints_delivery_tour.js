import { registry } from "@web/core/registry";

// From a validated delivery: file a complaint, link the invoice, resolve it with
// a credit note through core's reversal wizard, which resolves it.
registry.category("web_tour.tours").add("crm_complaints_delivery_tour", {
    steps: () => [
        {
            content: "The delivery is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            content: "Open the complaints of the delivery (none yet)",
            trigger: ".o_form_view button[name=action_view_complaints]",
            run: "click",
        },
        {
            content: "File a new complaint",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "The delivery is preset on the complaint",
            trigger: ".o_form_view button[name=action_view_picking]",
        },
        {
            content: "Subject",
            trigger: ".o_form_view .o_field_widget[name=subject] input",
            run: "edit Chair arrived broken",
        },
        {
            content: "Open the documents tab",
            trigger: ".o_notebook .nav-link:contains('Documents')",
            run: "click",
        },
        {
            content: "Search the customer's invoice",
            trigger: ".o_field_widget[name=invoice_id] input",
            run: "edit INV",
        },
        {
            content: "Pick the posted invoice of this customer",
            trigger: ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item:contains('INV/')",
            run: "click",
        },
        {
            content: "Resolve with a credit note (saves the complaint first)",
            trigger: ".o_form_view button[name=action_credit_note]",
            run: "click",
        },
        {
            content: "Reverse the invoice",
            trigger: ".modal button[name=refund_moves]",
            run: "click",
        },
        {
            content: "The draft credit note is open",
            trigger: "body:not(:has(.modal)) .o_form_view button[name=action_post]",
        },
        {
            content: "Confirm the credit note",
            trigger: ".o_form_view button[name=action_post]:not(.d-none)",
            run: "click",
        },
        {
            content: "The credit note is posted",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Posted')",
        },
        {
            content: "Back to the complaint",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "The complaint shows its credit note",
            trigger: ".o_form_view button[name=action_view_credit_notes]:contains('1')",
        },
        {
            content: "The credit note resolved the complaint",
            trigger: ".o_form_view:not(:has(button[name=action_close])) .o_statusbar_status button.o_arrow_button_current:contains('Resolved')",
        },
    ],
});
