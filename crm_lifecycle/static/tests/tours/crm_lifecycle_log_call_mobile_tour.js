import { registry } from "@web/core/registry";

// On a phone: open a customer, log a call with the two-tap dialog, find the call
// among the customer's interactions.
registry.category("web_tour.tours").add("crm_lifecycle_log_call_mobile_tour", {
    steps: () => [
        {
            content: "The customer form is open",
            trigger: ".o_form_view .o_lifecycle_summary",
        },
        {
            content: "Log Call is the first header button, visible on a phone",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_log_interaction]:contains('Log Call')",
            run: "click",
        },
        {
            content: "Open the list of types",
            trigger: ".modal .o_field_widget[name=interaction_type] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "Only what people log by hand is offered: no invoices, no payments",
            trigger: "body .o_select_menu_item:contains('Visit')",
            run() {
                const offered = [...document.querySelectorAll(".o_select_menu_item")].map(
                    (item) => item.textContent.trim()
                );
                for (const automatic of ["Invoice", "Payment", "Delivery", "Credit note"]) {
                    if (offered.includes(automatic)) {
                        throw new Error(`The dialog offers ${automatic}: ${offered}`);
                    }
                }
            },
        },
        {
            content: "Keep the phone call",
            trigger: "body .o_select_menu_item:contains('Phone call')",
            run: "click",
        },
        {
            content: "Describe the call",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Called about the spring catalogue",
        },
        {
            content: "Save the call",
            trigger: ".modal .modal-footer button:contains('Save')",
            run: "click",
        },
        {
            content: "The dialog is closed and the counter shows the call",
            trigger: "body:not(:has(.modal)) .o_form_view",
        },
        {
            content: "On a phone the smart buttons are behind the bolt button",
            trigger: ".o-form-buttonbox .o_button_more",
            run: "click",
        },
        {
            content: "Open the customer's interactions",
            trigger: ".o-form-buttonbox-small button[name=action_view_interactions]:contains('1')",
            run: "click",
        },
        {
            content: "The call is in the customer's timeline",
            trigger: ".o_kanban_record:contains('Called about the spring catalogue'):contains('Call')",
        },
    ],
});
