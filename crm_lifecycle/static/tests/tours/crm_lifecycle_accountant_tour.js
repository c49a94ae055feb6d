import { registry } from "@web/core/registry";
import { amountOf, showSmartButtons } from "@crm_lifecycle/../tests/tours/crm_lifecycle_tour_backend";
import { fail, readScreen } from "@crm_lifecycle/../tests/tours/crm_lifecycle_tour_utils";

// The accountant's first hour (issue 22), on a desktop and on a phone, in
// English and in Spanish: Collections (the overdue never above the
// receivable, the date of a payment promise in its column), a payment promise
// that names the invoice it covers (its amount follows the invoice: checked in
// Python), and the
// customer whose core "Invoiced" button and Lifecycle tab agree. The Python
// side (tests/test_role_tours.py) builds the data and checks the database.

const CUSTOMER = "Tour Overdue Co";
const row = `.o_data_row:contains('${CUSTOMER}')`;

function cell(anchor, name) {
    return anchor.querySelector(`.o_field_cell[name=${name}]`);
}

registry.category("web_tour.tours").add("crm_lifecycle_accountant_tour", {
    steps: () => [
        {
            content: "The overdue customer: overdue within its receivable",
            trigger: `.o_list_view ${row}`,
            run() {
                const overdue = amountOf(cell(this.anchor, "lifecycle_overdue_amount"));
                const receivable = amountOf(cell(this.anchor, "lifecycle_receivable_amount"));
                if (!overdue || overdue > receivable) {
                    fail(`Overdue ${overdue} above receivable ${receivable}`);
                }
            },
        },
        {
            content: "The list has a column for the promised dates",
            trigger: ".o_list_view th[data-name=lifecycle_promise_date]",
        },
        readScreen("collections"),
        {
            content: "Log a payment promise from the customer's row",
            trigger: `${row} button[name=action_log_interaction]:last`,
            run: "click",
        },
        {
            content: "Describe the promise",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Will pay the March invoice",
        },
        {
            content: "The promise names the invoice it covers",
            trigger: ".modal .o_field_widget[name=promise_invoice_ids] input",
            run: "edit INV",
        },
        {
            content: "Pick the customer's open invoice (a dialog on a phone)",
            trigger:
                ".o-autocomplete--dropdown-item:contains('INV/'), .modal .o_kanban_record:contains('INV/')",
            run: "click",
        },
        {
            content: "On a phone, confirm the choice",
            trigger:
                ".modal .o_select_button:enabled, .modal .o_field_widget[name=promise_invoice_ids] .o_tag",
            run() {
                if (this.anchor.matches(".o_select_button")) {
                    this.anchor.click();
                }
            },
        },
        {
            content: "The invoice is on the promise",
            trigger: ".modal .o_field_widget[name=promise_invoice_ids] .o_tag",
        },
        {
            content: "Promised payment date",
            trigger: ".modal .o_field_widget[name=promise_date] input",
            run: "click",
        },
        {
            content: "Pick a day in the calendar",
            trigger: ".o_datetime_picker .o_date_item_cell:not(.o_out_of_range):last",
            run: "click",
        },
        readScreen("payment promise"),
        {
            content: "Save the promise",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Back on the list, the promised date is in its column",
            trigger: `body:not(:has(.modal)) ${row} .o_field_cell[name=lifecycle_promise_date]:not(:empty)`,
        },
        {
            content: "Open the customer",
            trigger: `${row} .o_field_cell[name=display_name]`,
            run: "click",
        },
        {
            content: "Open the Lifecycle tab",
            trigger: ".o_form_view .o_notebook .nav-link[name=lifecycle]",
            run: "click",
        },
        showSmartButtons(),
        {
            content: "Core's Invoiced button and the Lifecycle tab agree",
            trigger: "button[name=action_view_partner_invoices] .o_field_monetary",
            run() {
                const core = amountOf(this.anchor);
                const ours = amountOf(
                    document.querySelector(".o_field_widget[name=lifecycle_invoiced_amount]")
                );
                if (core !== ours) {
                    fail(`Invoiced: ${core} on the button, ${ours} on the Lifecycle tab`);
                }
            },
        },
        readScreen("customer"),
    ],
});
