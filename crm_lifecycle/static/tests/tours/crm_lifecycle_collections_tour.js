import { registry } from "@web/core/registry";

const promiseDate = luxon.DateTime.now().plus({ days: 7 }).toFormat("MM/dd/yyyy");

// An accountant (no sales rights) logs a payment promise from the overdue
// customers list of the collections menu.
registry.category("web_tour.tours").add("crm_lifecycle_collections_tour", {
    steps: () => [
        {
            content: "The overdue customer is listed",
            trigger: ".o_list_view .o_data_row:contains('Tour Overdue Co')",
        },
        {
            content: "Log a payment promise from its row",
            trigger:
                ".o_data_row:contains('Tour Overdue Co') button[name=action_log_interaction][data-tooltip='Log a payment promise']",
            run: "click",
        },
        {
            content: "Describe the promise",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Will pay the overdue invoice next week",
        },
        {
            content: "Promised payment date",
            trigger: ".modal .o_field_widget[name=promise_date] input",
            run: `edit ${promiseDate}`,
        },
        {
            content: "Promised amount",
            trigger: ".modal .o_field_widget[name=promise_amount] input",
            run: "edit 750",
        },
        {
            content: "Save the promise",
            trigger: ".modal .modal-footer button:contains('Save')",
            run: "click",
        },
        {
            content: "Back on the list, the customer was contacted today",
            trigger:
                "body:not(:has(.modal)) .o_data_row:contains('Tour Overdue Co') .o_field_cell[name=lifecycle_last_collection_date]:not(:empty)",
        },
    ],
});
