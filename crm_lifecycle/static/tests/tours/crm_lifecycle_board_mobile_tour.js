import { registry } from "@web/core/registry";

// On a phone the lifecycle board shows one stage at a time: it opens on the
// first stage that has customers, and the card's date says what it is.
registry.category("web_tour.tours").add("crm_lifecycle_board_mobile_tour", {
    steps: () => [
        {
            content: "The board opens on the stage that has the customer",
            trigger: ".o_kanban_group:has(.o_kanban_record:contains('Tour Board Co'))",
            run() {
                const column = this.anchor.getBoundingClientRect();
                if (column.left < -1 || column.left > window.innerWidth / 2) {
                    throw new Error(
                        `The column of the customer is off screen (left ${column.left})`
                    );
                }
            },
        },
        {
            content: "The card's date is labelled and not coloured as overdue",
            trigger: ".o_kanban_record:contains('Tour Board Co'):contains('Last contact')",
            run() {
                if (this.anchor.querySelector(".text-danger, .text-warning")) {
                    throw new Error("The last contact date is coloured as overdue");
                }
            },
        },
    ],
});
