import { registry } from "@web/core/registry";
import {
    fail,
    readScreen,
    tr,
} from "@crm_lifecycle/../tests/tours/crm_lifecycle_tour_utils";

// A salesperson opens a segmentation matrix's heat map from the menu: a
// coloured grid of the matrix's cells (stacked on a phone), reads the customer
// counts, colours it by the share of revenue, looks at the migration grid and
// the cohorts, and clicks a cell: the list of that cell's customers. On a
// desktop and on a phone, in English and in Spanish; the Python tests
// (test_crm_segment_tours.py) build the matrix, check that nothing changed and,
// in Spanish, that the screens read no English string of our addons.

const MATRIX = "Tour Region x Revenue";

function cell(name) {
    return `.o_heat_map_cell[data-cell='${name}']`;
}

function checkValue(name, expected) {
    const el = document.querySelector(`${cell(name)} .o_heat_map_cell_value`);
    const value = el?.textContent.trim() || "";
    if (!value.startsWith(expected)) {
        fail(`Heat map cell ${name}: expected "${expected}", got "${value}"`);
    }
}

const heatMapSteps = (mobile) => [
    {
        content: "The matrix is listed, with its customers",
        trigger: `.o_kanban_record:contains('${MATRIX}')`,
    },
    {
        content: "Open the matrix's heat map",
        trigger: `.o_kanban_record:contains('${MATRIX}') a[name=action_view_heat_map]`,
        run: "click",
    },
    {
        content: "The heat map is named after the matrix",
        trigger: `body:has(.o_segment_heat_map) .o_breadcrumb:contains('${tr(
            "Heat Map",
            "Mapa de calor"
        )}: ${MATRIX}')`,
    },
    {
        content: "Its cells are the pairs of levels of the two dimensions",
        trigger: `.o_segment_heat_map:has(${cell("Tour Iberia / Tour Big")}):has(${cell(
            "Tour Iberia / Tour Small"
        )}):has(${cell("Tour France / Tour Small")}):has(${cell("Tour France / Tour Big")})`,
    },
    {
        content: mobile
            ? "On a phone the cells are stacked by row, not a wide table"
            : "On a desktop the cells are a grid of rows and columns",
        trigger: mobile
            ? ".o_heat_map_stacked:not(:has(table))"
            : ".o_heat_map_grid tbody tr:has(th:contains('Tour Iberia'))",
    },
    {
        content: "Coloured by customers: the counts of the recompute",
        trigger: `.o_heat_map_measure.active[data-measure=customers]`,
        run() {
            checkValue("Tour Iberia / Tour Big", "2");
            checkValue("Tour Iberia / Tour Small", "1");
            checkValue("Tour France / Tour Small", "1");
            checkValue("Tour France / Tour Big", "0");
        },
    },
    readScreen("heat map by customers"),
    {
        content: "Colour by the share of revenue",
        trigger: ".o_heat_map_measure[data-measure=revenue_share]",
        run: "click",
    },
    {
        content: "The cells show their share of the revenue (3,500 of 4,000)",
        trigger: ".o_heat_map_measure.active[data-measure=revenue_share]",
        run() {
            checkValue("Tour Iberia / Tour Big", "87");
            checkValue("Tour France / Tour Big", "0");
        },
    },
    readScreen("heat map by share of revenue"),
    {
        content: "Open the migration grid",
        trigger: ".o_segment_tab_migration",
        run: "click",
    },
    {
        content: "The customers entered the matrix with its first recompute",
        trigger: `.o_migration_grid th:contains('${tr("Not in the matrix", "Fuera de la matriz")}')`,
    },
    readScreen("migration"),
    {
        content: "Open the cohorts",
        trigger: ".o_segment_tab_cohorts",
        run: "click",
    },
    {
        content: "The customers of this month's cohort bought this month",
        trigger: ".o_cohort_grid tbody tr:last-child .o_cohort_size:contains('4')",
    },
    readScreen("cohorts"),
    {
        content: "Back to the heat map",
        trigger: ".o_segment_tab_heat_map",
        run: "click",
    },
    {
        content: "Drill into the cell Iberia / Big",
        trigger: cell("Tour Iberia / Tour Big"),
        run: "click",
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
    readScreen("customers of a cell"),
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
            trigger: `.o_main_navbar .o_menu_sections .dropdown-toggle:contains('${tr(
                "Sales",
                "Ventas"
            )}')`,
            run: "click",
        },
        {
            content: "Open Customer Segments",
            trigger: ".dropdown-item[data-menu-xmlid='crm_segmentation.crm_segment_matrix_menu']",
            run: "click",
        },
        ...heatMapSteps(false),
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
        ...heatMapSteps(true),
    ],
});
