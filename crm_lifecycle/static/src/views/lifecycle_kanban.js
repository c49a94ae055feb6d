// Copyright 2026 Nube CRM
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { onMounted } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";

/**
 * The lifecycle board on a phone shows one stage at a time: open it on the
 * first stage that has customers, not on an empty first column. On a desktop
 * (all columns visible) and when coming back to the board (its scroll is
 * restored) nothing changes.
 */
export class LifecycleKanbanRenderer extends KanbanRenderer {
    setup() {
        super.setup();
        onMounted(() => this.showFirstCustomers());
    }

    showFirstCustomers() {
        const root = this.rootRef.el;
        if (!this.env.isSmall || !this.props.list.isGrouped || !root || root.scrollLeft) {
            return;
        }
        const group = this.props.list.groups.find((g) => g.count > 0);
        const column = group && root.querySelector(`.o_kanban_group[data-id="${group.id}"]`);
        if (column) {
            root.scrollLeft = column.offsetLeft - root.offsetLeft;
        }
    }
}

registry.category("views").add("crm_lifecycle_kanban", {
    ...kanbanView,
    Renderer: LifecycleKanbanRenderer,
});
