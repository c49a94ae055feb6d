import { registry } from "@web/core/registry";
import { readScreen, tr } from "@crm_lifecycle/../tests/tours/crm_lifecycle_tour_utils";

// The current stage: a button of the status bar on a desktop, the label of its
// dropdown on a phone.
const currentStage = (form, name) =>
    `${form} .o_statusbar_status button.o_arrow_button_current:contains('${name}'), ` +
    `${form} .o_statusbar_status button.dropdown-toggle:contains('${name}')`;

// A service agent opens a billing complaint and grants a credit note for the
// amount claimed: the complaint is resolved and shows the amount granted.
registry.category("web_tour.tours").add("crm_complaints_agent_tour", {
    steps: () => [
        {
            content: "The complaint waits on the customer: its SLA is paused, not breached",
            trigger: currentStage(
                ".o_form_view:not(:has(.alert-danger))",
                tr("Waiting on Customer", "Esperando al cliente")
            ),
        },
        readScreen("complaint waiting on the customer"),
        {
            content: "Credit note",
            trigger: ".o_form_view button[name=action_credit_note]",
            run: "click",
        },
        {
            content: "The amount claimed is offered",
            trigger: `.modal .o_field_widget[name=complaint_refund_amount] input:value(${tr(
                "50.00",
                "50,00"
            )})`,
        },
        readScreen("credit note for the amount claimed"),
        {
            content: "Reverse for that amount",
            trigger: ".modal button[name=refund_moves]",
            run: "click",
        },
        {
            content: "The draft credit note has one line for the amount",
            trigger: `body:not(:has(.modal)) .o_form_view .o_field_widget[name=tax_totals]:contains('${tr(
                "50.00",
                "50,00"
            )}')`,
        },
        {
            content: "Back to the complaint",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "The complaint is resolved",
            trigger: currentStage(".o_form_view", tr("Resolved", "Resuelta")),
        },
        {
            content: "Open the resolution",
            trigger: `.o_notebook .nav-link:contains('${tr("Resolution", "Resolución")}')`,
            run: "click",
        },
        {
            content: "The amount granted is the amount claimed",
            trigger: `.o_field_widget[name=amount_granted]:contains('${tr("50.00", "50,00")}')`,
        },
        {
            content: "The chatter says what was granted",
            trigger: `.o-mail-Message-body:contains('${tr("drafted for", "en borrador por")}')`,
        },
        readScreen("resolved complaint"),
    ],
});
