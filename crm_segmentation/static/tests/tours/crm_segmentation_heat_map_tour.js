import { registry } from "@web/core/registry";

// A salesperson opens a segmentation matrix's heat map from the menu, reads the
// customer counts of its cells and drills into one cell: the list of that
// cell's customers. On a desktop and on a phone; the Python tests
// (test_crm_segment_tours.py) build the matrix and check that nothing changed.

const MATRIX = "Tour Region x Revenue";

/**
 * The value cell of the heat map at a row and a column, found by the labels
 * of their headers (the column under the header of that label).
 */
function pivotCell(rowLabel, colLabel) {
    const header = [...document.querySelectorAll(".o_pivot thead th")].find(
        (th) => th.textContent.trim() === colLabel
    );
    const row = [...document.querySelectorAll(".o_pivot tbody tr")].find(
        (tr) => tr.querySelector("th")?.textContent.trim() === rowLabel
    );
    if (!header || !row) {
        return null;
    }
    const { left, right } = header.getBoundingClientRect();
    return [...row.querySelectorAll("td.o_pivot_cell_value")].find((td) => {
        const rect = td.getBoundingClientRect();
        return rect.left >= left - 1 && rect.right <= right + 1;
    });
}

function checkCount(rowLabel, colLabel, expected) {
    const cell = pivotCell(rowLabel, colLabel);
    const value = cell?.querySelector(".o_value")?.textContent.trim() || "";
    if (value !== expected) {
        throw new Error(
            `Heat map cell ${rowLabel} / ${colLabel}: expected "${expected}", got "${value}"`
        );
    }
    return cell;
}

const heatMapSteps = () => [
    {
        content: "The matrix is listed, with its customers",
        trigger: `.o_kanban_record:contains('${MATRIX}'):contains('customers')`,
    },
    {
        content: "Open the matrix's heat map",
        trigger: `.o_kanban_record:contains('${MATRIX}') a[name=action_view_heat_map]`,
        run: "click",
    },
    {
        content: "The heat map is a pivot named after the matrix",
        trigger: `body:has(.o_pivot_view) .o_breadcrumb .active:contains('Heat Map: ${MATRIX}')`,
    },
    {
        content: "Its rows and columns are the levels of the two dimensions",
        trigger:
            ".o_pivot:has(tbody th:contains('Tour Iberia')):has(tbody th:contains('Tour France')):has(thead th:contains('Tour Small')):has(thead th:contains('Tour Big'))",
    },
    {
        content: "The cells count customers",
        trigger: ".o_pivot thead th:contains('Count')",
    },
    {
        content: "The cells show the customer counts of the recompute",
        trigger: ".o_pivot tbody tr:has(th:contains('Tour France')) td.o_pivot_cell_value",
        run() {
            checkCount("Tour Iberia", "Tour Small", "1");
            checkCount("Tour Iberia", "Tour Big", "2");
            checkCount("Tour France", "Tour Small", "1");
            checkCount("Tour France", "Tour Big", "");
        },
    },
    {
        content: "Drill into the cell Iberia / Big",
        trigger: ".o_pivot tbody tr:has(th:contains('Tour Iberia')) td.o_pivot_cell_value",
        async run({ click }) {
            await click(checkCount("Tour Iberia", "Tour Big", "2"));
        },
    },
    {
        content: "The customers of the cell are listed",
        trigger:
            ".o_list_view .o_data_row:contains('Tour Big Iberia One'):contains('Tour Iberia / Tour Big')",
    },
    {
        content: "Both customers of the cell, and only them",
        trigger:
            ".o_list_view:has(.o_data_row:contains('Tour Big Iberia Two')):not(:has(.o_data_row:contains('Tour Small')))",
    },
    {
        content: "Open one of them",
        trigger: ".o_list_view .o_data_row td[name=partner_id]:contains('Tour Big Iberia One')",
        run: "click",
    },
    {
        content: "The breadcrumb names the customer (not a record id)",
        trigger: "body:has(.o_form_view) .o_breadcrumb .active:contains('Tour Big Iberia One')",
    },
];

registry.category("web_tour.tours").add("crm_segmentation_heat_map_tour", {
    steps: () => [
        {
            content: "Open the Sales menu of the CRM app",
            trigger: ".o_main_navbar .o_menu_sections .dropdown-toggle:contains('Sales')",
            run: "click",
        },
        {
            content: "Open Customer Segments",
            trigger: ".dropdown-item[data-menu-xmlid='crm_segmentation.crm_segment_matrix_menu']",
            run: "click",
        },
        ...heatMapSteps(),
    ],
});

registry.category("web_tour.tours").add("crm_segmentation_heat_map_mobile_tour", {
    steps: () => [
        {
            content: "Open the menu of the CRM app",
            trigger: ".o_main_navbar .o_menu_toggle",
            run: "click",
        },
        {
            content: "Open Customer Segments",
            trigger:
                ".o_burger_menu_content [data-menu-xmlid='crm_segmentation.crm_segment_matrix_menu']",
            run: "click",
        },
        ...heatMapSteps(),
    ],
});
