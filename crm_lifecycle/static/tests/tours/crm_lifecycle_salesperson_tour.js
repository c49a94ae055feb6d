import { registry } from "@web/core/registry";
import { amountOf, showSmartButtons } from "@crm_lifecycle/../tests/tours/crm_lifecycle_tour_backend";
import { fail, readScreen, tr } from "@crm_lifecycle/../tests/tours/crm_lifecycle_tour_utils";

// The salesperson's first hour (issue 22), on a desktop and on a phone, in
// English and in Spanish: the lifecycle board (the card's amount and a
// labelled date), the customer (the same amount on the Lifecycle tab, a best
// probability of 45 %, no "0 days" for what never happened), Log Call (only
// what people log by hand; "Follow-up needed" leaves a task) and the
// timeline (a credit note reads as a credit note). The Python side
// (tests/test_salesperson_tour.py) builds the data and checks the database.

const CUSTOMER = "Tour Acme";
let cardAmount = null;

registry.category("web_tour.tours").add("crm_lifecycle_salesperson_tour", {
    steps: () => [
        {
            content: "The board shows the customer's card with its amount",
            trigger: `.o_kanban_record:contains('${CUSTOMER}') .o_field_monetary`,
            run() {
                cardAmount = amountOf(this.anchor);
                if (!cardAmount) {
                    fail("The card shows no amount");
                }
            },
        },
        {
            content: "The card's date says what it is",
            trigger: `.o_kanban_record:contains('${CUSTOMER}'):contains('${tr(
                "Last contact",
                "Último contacto"
            )}')`,
        },
        readScreen("lifecycle board"),
        {
            content: "Open the customer",
            trigger: `.o_kanban_record:contains('${CUSTOMER}') .fw-bold`,
            run: "click",
        },
        {
            content: "The customer form is open",
            trigger: ".o_form_view .o_lifecycle_summary",
        },
        {
            content: "Open the Lifecycle tab",
            trigger: ".o_notebook .nav-link[name=lifecycle]",
            run: "click",
        },
        {
            content: "The tab shows the amount of the card",
            trigger: ".o_field_widget[name=lifecycle_invoiced_amount]",
            run() {
                const amount = amountOf(this.anchor);
                if (amount !== cardAmount) {
                    fail(`Card ${cardAmount}, Lifecycle tab ${amount}`);
                }
            },
        },
        {
            content: "The best probability is 45 %, not 4500 %",
            trigger: ".o_field_widget[name=lifecycle_lead_probability]",
            run() {
                const text = this.anchor.textContent.trim();
                if (text !== "45") {
                    fail(`Best probability reads ${text}`);
                }
            },
        },
        readScreen("customer, Lifecycle tab"),
        {
            content: "Log a call",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_log_interaction]:first",
            run: "click",
        },
        {
            content: "Describe the call",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Wants a quotation for the new office",
        },
        {
            content: "Open the outcomes",
            trigger: ".modal .o_field_widget[name=outcome] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "Follow-up needed",
            trigger: `body .o_select_menu_item:contains('${tr(
                "Follow-up needed",
                "Requiere seguimiento"
            )}')`,
            run: "click",
        },
        readScreen("log a call"),
        {
            content: "Save the call",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal)) .o_form_view",
        },
        showSmartButtons(),
        {
            content: "Open the customer's timeline",
            trigger: "button[name=action_view_interactions]",
            run: "click",
        },
        {
            content: "The credit note reads as a credit note",
            trigger: `.o_kanban_record:contains('${tr(
                "Credit note",
                "Factura rectificativa"
            )}'), .o_data_row:contains('${tr("Credit note", "Factura rectificativa")}')`,
        },
        readScreen("timeline"),
    ],
});
