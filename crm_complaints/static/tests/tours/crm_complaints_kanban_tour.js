import { registry } from "@web/core/registry";

// On a phone, the status badge of a complaint card stays clear of the card menu
// (top right corner of the card).
registry.category("web_tour.tours").add("crm_complaints_kanban_tour", {
    steps: () => [
        {
            content: "A complaint card shows its SLA status",
            trigger: ".o_kanban_record:has(.o_dropdown_kanban) .o_field_widget[name=sla_status] .badge",
            run() {
                const overlap = (a, b) =>
                    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
                for (const card of document.querySelectorAll(".o_kanban_record")) {
                    const badge = card.querySelector(".o_field_widget[name=sla_status] .badge");
                    const menu = card.querySelector(".o_dropdown_kanban");
                    if (!badge || !menu) {
                        continue;
                    }
                    const menuRect = menu.getBoundingClientRect();
                    if (menuRect.width && overlap(badge.getBoundingClientRect(), menuRect)) {
                        throw new Error("The status badge overlaps the card menu");
                    }
                }
            },
        },
    ],
});
