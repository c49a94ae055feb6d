import { registry } from "@web/core/registry";
import {
    fail,
    readScreen,
    tr,
} from "@crm_lifecycle/../tests/tours/crm_lifecycle_tour_utils";

// The marketing manager's first hour (issue 22), on a desktop and on a phone,
// in English and in Spanish: the heat map of a matrix, its drill-down (a row
// opens the customer; the selected customers go to a mailing list or get an
// activity), Reporting > Segment Matrix (one matrix at a time: its total is
// the customers of that matrix), the matrix's segments (a breadcrumb that does
// not repeat the matrix), "Recompute Now" and the cross-sell "Recompute" (both
// say what they did; a rule rests on several customers).
// The Python side (tests/test_marketing_manager_tour.py) builds the data, checks the
// database afterwards and fails on any English string of our addons in the
// texts that the steps "Read the screen" log in the Spanish run.

const MATRIX = "MM Region x Revenue";

/** The grand total of a pivot: the last value of its first (total) row. */
function pivotTotal() {
    const values = document.querySelectorAll(".o_pivot tbody tr:first-child td .o_value");
    return values.length ? values[values.length - 1].textContent.trim() : "";
}

function openMenu(mobile, sectionXmlid, menuXmlid) {
    if (mobile) {
        return [
            {
                content: "Open the menu of the CRM app",
                trigger: ".o_main_navbar .o_menu_toggle",
                run: "click",
            },
            {
                content: `Open ${menuXmlid}`,
                trigger: `.o_burger_menu_content [data-menu-xmlid='${menuXmlid}']`,
                run: "click",
            },
        ];
    }
    return [
        {
            content: `Open the menu section ${sectionXmlid}`,
            trigger: `.o_main_navbar .o_menu_sections [data-menu-xmlid='${sectionXmlid}']`,
            run: "click",
        },
        {
            content: `Open ${menuXmlid}`,
            trigger: `.dropdown-item[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}

const heatMapSteps = (mobile) => [
    ...openMenu(mobile, "crm.crm_menu_sales", "crm_segmentation.crm_segment_matrix_menu"),
    {
        content: "The matrix is listed with its customers",
        trigger: `.o_kanban_record:contains('${MATRIX}')`,
        run() {
            const card = [...document.querySelectorAll(".o_kanban_record")].find((el) =>
                el.textContent.includes(MATRIX)
            );
            if (!card.textContent.includes(tr("5 customers", "5 clientes"))) {
                fail(`The card of ${MATRIX} does not read 5 customers: ${card.textContent}`);
            }
        },
    },
    readScreen("segmentation matrices"),
    {
        content: "Open the matrix's heat map",
        trigger: `.o_kanban_record:contains('${MATRIX}') a[name=action_view_heat_map]`,
        run: "click",
    },
    {
        content: "The heat map is named after the matrix, once",
        trigger: `body:has(.o_segment_heat_map) .o_breadcrumb:contains('${tr(
            "Heat Map",
            "Mapa de calor"
        )}: ${MATRIX}')`,
    },
    {
        content: "The heat map has no side panel of matrices (it is one matrix)",
        trigger: "body:has(.o_segment_heat_map):not(:has(.o_search_panel))",
    },
    {
        content: "Its cells count the customers, and add up to the matrix's 5",
        trigger: ".o_heat_map_cell[data-cell='MM France / MM Big']",
        run() {
            const expected = [
                ["MM Iberia / MM Small", "1"],
                ["MM Iberia / MM Big", "2"],
                ["MM France / MM Small", "2"],
                ["MM France / MM Big", "0"],
            ];
            for (const [name, count] of expected) {
                const got = document
                    .querySelector(`.o_heat_map_cell[data-cell='${name}'] .o_heat_map_cell_value`)
                    ?.textContent.trim();
                if (got !== count) {
                    fail(`Heat map ${name}: expected "${count}", got "${got}"`);
                }
            }
            const total = document.querySelector(".o_heat_map_totals")?.textContent || "";
            if (!total.includes(tr("5 customers", "5 clientes"))) {
                fail(`Heat map total: expected 5 customers, got "${total}"`);
            }
        },
    },
    readScreen("heat map"),
    {
        content: "Drill into the cell Iberia / Big",
        trigger: ".o_heat_map_cell[data-cell='MM Iberia / MM Big']",
        run: "click",
    },
    {
        content: "The two customers of the cell are listed, and only them",
        trigger:
            ".o_list_view:has(.o_data_row:contains('MM Big Iberia One')):has(.o_data_row:contains('MM Big Iberia Two')):not(:has(.o_data_row:contains('MM Small')))",
    },
    {
        content: "The list shows the customers' e-mail addresses",
        trigger: ".o_list_view .o_data_row td[name=partner_email]:contains('one@mm.example.com')",
    },
    readScreen("customers of a cell"),
];

const selectionSteps = [
    {
        content: "Select every customer of the cell",
        trigger: ".o_list_view thead .o_list_record_selector input",
        run: "click",
    },
    {
        content: "The selection offers an activity",
        trigger: ".o_control_panel button[name=action_segment_schedule_activity]",
    },
    {
        content: "and a mailing list: add the customers",
        trigger: ".o_control_panel button[name=action_add_to_mailing_list]",
        run: "click",
    },
    {
        content: "The wizard counts the two customers of the cell",
        trigger: ".modal .o_field_widget[name=customer_count]:contains('2')",
    },
    readScreen("add to mailing list"),
    {
        content: "Close the wizard",
        trigger: ".modal .modal-footer button.btn-secondary",
        run: "click",
    },
    {
        content: "The wizard is closed",
        trigger: "body:not(:has(.modal))",
    },
    {
        content: "Select the customers again (closing the wizard reloads the list)",
        trigger: ".o_list_view thead .o_list_record_selector input:not(:checked)",
        run: "click",
    },
    {
        content: "Schedule an activity on the selected customers",
        trigger: ".o_control_panel button[name=action_segment_schedule_activity]",
        run: "click",
    },
    {
        content: "The activity wizard opens for the customers",
        trigger: ".modal .o_form_view",
    },
    readScreen("schedule an activity"),
    {
        content: "Close it",
        trigger: ".modal .modal-header .btn-close",
        run: "click",
    },
    {
        content: "Back to the list, nothing selected",
        trigger: "body:not(:has(.modal)) .o_list_view thead .o_list_record_selector input",
        async run({ click }) {
            const selector = document.querySelector(
                ".o_list_view thead .o_list_record_selector input"
            );
            if (selector.checked) {
                await click(selector);
            }
        },
    },
    {
        content: "No row is selected",
        trigger: ".o_list_view:not(:has(.o_data_row_selected))",
    },
];

const openCustomerSteps = [
    {
        content: "Click a customer",
        trigger: ".o_list_view .o_data_row td[name=partner_id]:contains('MM Big Iberia One')",
        run: "click",
    },
    {
        content: "The customer opens (its form, not the row in edition)",
        trigger:
            "body:has(.o_form_view .o_field_widget[name=name]) .o_breadcrumb:contains('MM Big Iberia One')",
    },
    {
        content: "It is the customer's form, with its segmentation",
        trigger: ".o_form_view .o_notebook a[name=segmentation]",
    },
    readScreen("customer"),
];

const reportSteps = (mobile) => [
    ...openMenu(mobile, "crm.crm_menu_report", "crm_segmentation.crm_segment_membership_menu"),
    {
        content: "The report chooses one matrix: the first one, RFM",
        trigger: mobile
            ? `.o_search_panel:contains('${tr("RFM segments", "Segmentos RFM")}')`
            : `.o_search_panel .o_search_panel_category_value header.active:contains('${tr(
                  "RFM segments",
                  "Segmentos RFM"
              )}')`,
    },
    ...(mobile
        ? [
              {
                  content: "The customers of that matrix only: once each, in its segments",
                  trigger:
                      ".o_kanban_view:has(.o_kanban_record:contains('MM Big Iberia One')):not(:has(.o_kanban_record:contains('MM Iberia'))):not(:has(.o_kanban_record:contains('MM France')))",
                  run() {
                      const cards = [...document.querySelectorAll(".o_kanban_record")].filter(
                          (card) => card.textContent.includes("MM Big Iberia One")
                      );
                      if (cards.length !== 1) {
                          fail(`MM Big Iberia One shows ${cards.length} times, not once`);
                      }
                  },
              },
          ]
        : [
              {
                  content: "The pivot counts the customers of that matrix, once each",
                  trigger: ".o_pivot tbody td.o_pivot_cell_value",
                  run() {
                      const counters = [
                          ...document.querySelectorAll(".o_search_panel_category_value"),
                      ].map((li) => ({
                          active: !!li.querySelector("header.active"),
                          label: li.querySelector(".o_search_panel_label_title")?.textContent.trim(),
                          count: li.querySelector(".o_search_panel_counter")?.textContent.trim(),
                      }));
                      const active = counters.find((c) => c.active);
                      if (!active || pivotTotal() !== active.count) {
                          fail(
                              `Segment Matrix total "${pivotTotal()}" differs from the customers of the chosen matrix: ${JSON.stringify(counters)}`
                          );
                      }
                  },
              },
              readScreen("segment matrix report"),
              {
                  content: "Choose the MM matrix in the side panel",
                  trigger: `.o_search_panel .o_search_panel_category_value header:contains('${MATRIX}')`,
                  run: "click",
              },
              {
                  content: "The pivot shows its 5 customers in its own levels",
                  trigger: ".o_pivot:has(tbody th:contains('MM Iberia')):not(:has(thead th:contains('R5')))",
                  run() {
                      if (pivotTotal() !== "5") {
                          fail(`MM matrix total: expected 5, got "${pivotTotal()}"`);
                      }
                  },
              },
          ]),
    readScreen("segment matrix report, chosen matrix"),
];

const matrixFormSteps = [
    ...openMenu(false, "crm.crm_menu_sales", "crm_segmentation.crm_segment_matrix_menu"),
    {
        content: "Switch to the list of matrices",
        trigger: ".o_control_panel .o_switch_view.o_list",
        run: "click",
    },
    {
        content: "Open the MM matrix",
        trigger: `.o_list_view .o_data_row td[name=name]:contains('${MATRIX}')`,
        run: "click",
    },
    {
        content: "Open its segments",
        trigger: ".o_form_view button[name=action_view_cells]",
        run: "click",
    },
    {
        content: "The breadcrumb names the segments of the matrix, and no screen twice",
        trigger: `.o_breadcrumb .active:contains('${tr("Segments", "Segmentos")}: ${MATRIX}')`,
        run() {
            const items = [...document.querySelectorAll(".o_breadcrumb .breadcrumb-item, .o_breadcrumb .active")]
                .map((el) => el.textContent.trim())
                .filter(Boolean);
            if (new Set(items).size !== items.length) {
                fail(`A breadcrumb item is repeated: ${items.join(" / ")}`);
            }
        },
    },
    readScreen("segments of the matrix"),
    {
        content: "Back to the matrix",
        trigger: `.o_breadcrumb .breadcrumb-item a:contains('${MATRIX}')`,
        run: "click",
    },
    {
        content: "Recompute it now",
        trigger: ".o_form_view .o_form_statusbar button[name=action_recompute]",
        run: "click",
    },
    {
        content: "A notification says what the recompute did",
        trigger: `.o_notification:contains('${MATRIX}'):contains('5')`,
    },
    readScreen("matrix recomputed"),
];

const crossSellSteps = (mobile) => [
    ...openMenu(mobile, "crm.crm_menu_report", "crm_segmentation.crm_cross_sell_rule_menu"),
    {
        content: "Recompute the cross-sell rules",
        trigger: ".o_control_panel button[name=action_recompute]",
        run: "click",
    },
    {
        content: "A notification says what came out",
        trigger: `.o_notification:contains('${tr("at least 3 customers", "al menos 3 clientes")}')`,
    },
    {
        content: "The rule chair -> lamp rests on its 3 customers",
        trigger: ".o_list_view .o_data_row:has(td[name=product_a_id]:contains('MM Chair')):has(td[name=product_b_id]:contains('MM Lamp')) td[name=pair_count]:contains('3')",
    },
    {
        content: "No rule rests on one customer (chair -> sofa)",
        trigger: ".o_list_view:not(:has(.o_data_row td:contains('MM Sofa')))",
    },
    readScreen("cross-sell rules"),
];

registry.category("web_tour.tours").add("crm_marketing_manager_tour", {
    steps: () => [
        ...heatMapSteps(false),
        ...selectionSteps,
        ...openCustomerSteps,
        ...reportSteps(false),
        ...matrixFormSteps,
        ...crossSellSteps(false),
    ],
});

registry.category("web_tour.tours").add("crm_marketing_manager_mobile_tour", {
    steps: () => [
        ...heatMapSteps(true),
        ...openCustomerSteps,
        ...reportSteps(true),
        ...crossSellSteps(true),
    ],
});
