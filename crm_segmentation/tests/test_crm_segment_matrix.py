# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SegmentationCommon


@tagged("post_install", "-at_install")
class TestCrmSegmentMatrix(SegmentationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        spain = cls.env.ref("base.es")
        france = cls.env.ref("base.fr")
        usa = cls.env.ref("base.us")
        cls.a = cls._customers(["Alpha"], country_id=spain.id)
        cls.b = cls._customers(["Bravo"], country_id=france.id)
        cls.c = cls._customers(["Charlie"], country_id=spain.id)
        cls.d = cls._customers(["Delta"], country_id=usa.id)
        cls.e = cls._customers(["Echo"], country_id=france.id)
        cls.prospect = cls._customers(["Not a customer"], country_id=spain.id)
        cls._invoices(
            [
                (cls.a, 10, 350.0),
                (cls.b, 5, 700.0),
                (cls.c, 200, 80.0),
                (cls.d, 30, 60.0),
                # bought before the RFM window: a customer without data
                (cls.e, 400, 70.0),
            ]
        )
        # Spain is matched first although it is in Europe too
        cls.country = cls._rule_dimension(
            "Region",
            [
                ("Spain", "[('country_id.code', '=', 'ES')]"),
                ("Europe", "[('country_id.code', 'in', ['ES', 'FR', 'DE'])]"),
            ],
        )
        cls.value = cls._metric_dimension(
            "Value", "monetary", "threshold", [("Low", 0.0), ("High", 300.0)]
        )
        cls.matrix = cls.Matrix.create(
            {
                "name": "Region x value",
                "row_dimension_id": cls.country.id,
                "col_dimension_id": cls.value.id,
            }
        )
        cls.Partner._rfm_compute(cls.company)

    def _cell_of(self, partner):
        return self._membership(self.matrix, partner).cell_id

    def test_assignment_and_history(self):
        self.matrix.action_recompute()
        spain, europe = (
            self._level(self.country, "Spain"),
            self._level(self.country, "Europe"),
        )
        low, high = self._level(self.value, "Low"), self._level(self.value, "High")
        no_region = self.country.no_data_level_id
        no_value = self.value.no_data_level_id
        # 6 levels x 3 levels, no-data included
        self.assertEqual(len(self.matrix.cell_ids), 9)
        expected = {
            self.a: (spain, high),
            self.b: (europe, high),
            self.c: (spain, low),
            self.d: (no_region, low),
            self.e: (europe, no_value),
        }
        for partner, (row, col) in expected.items():
            self.assertEqual(
                self._cell_of(partner), self._cell(self.matrix, row, col), partner.name
            )
        # exactly one cell per customer, none for the non-customer
        self.assertEqual(self.matrix.customer_count, 5)
        self.assertFalse(self._membership(self.matrix, self.prospect))
        first = self.History.search([("matrix_id", "=", self.matrix.id)])
        self.assertEqual(len(first), 5)
        self.assertFalse(first.cell_from_id)

        # new invoices: Charlie buys a lot, the others do not change
        self._invoices([(self.c, 1, 500.0)])
        self.Partner._rfm_compute(self.company)
        self.matrix.action_recompute()
        self.assertEqual(self._cell_of(self.c), self._cell(self.matrix, spain, high))
        moves = self.History.search([("matrix_id", "=", self.matrix.id)]) - first
        self.assertEqual(len(moves), 1)
        self.assertEqual(moves.partner_id, self.c)
        self.assertEqual(moves.cell_from_id, self._cell(self.matrix, spain, low))
        self.assertEqual(moves.cell_to_id, self._cell(self.matrix, spain, high))
        # the cell figures
        cell = self._cell(self.matrix, spain, high)
        self.assertEqual(cell.customer_count, 2)
        self.assertAlmostEqual(cell.revenue, 350.0 + 580.0)

    def test_heat_map_and_drill_down_actions(self):
        """The heat map counts the matrix's customers per cell, on phones too,
        and every screen on the way to a cell's customers is named after what
        it shows (the web client titles breadcrumbs with display_name)."""
        self.matrix.action_recompute()
        spain, high = (
            self._level(self.country, "Spain"),
            self._level(self.value, "High"),
        )
        action = self.matrix.action_view_heat_map()
        self.assertEqual(action["tag"], "crm_segmentation.heat_map")
        self.assertEqual(action["context"]["active_id"], self.matrix.id)
        self.assertEqual(action["display_name"], "Heat Map: Region x value")
        data = self.matrix.heat_map_data()
        counts = {
            (cell["row"], cell["col"]): cell["customers"] for cell in data["cells"]
        }
        self.assertEqual(counts[(spain.id, high.id)], 1)
        self.assertEqual(sum(counts.values()), 5)
        drill_down = self.matrix.action_view_cell(
            self._cell(self.matrix, spain, high).id
        )
        self.assertEqual(drill_down["res_model"], "crm.segment.membership")
        self.assertIn(("matrix_id", "=", self.matrix.id), drill_down["domain"])

        self.assertEqual(
            self.matrix.action_view_cells()["display_name"],
            "Segments: Region x value",
        )
        cell = self._cell(self.matrix, spain, high)
        customers = cell.action_view_customers()
        self.assertEqual(customers["display_name"], "Spain / High")
        self.assertEqual(self.Partner.search(customers["domain"]), self.a)
        # a membership is named after its customer, not "crm.segment.membership,7"
        self.assertEqual(self._membership(self.matrix, self.a).display_name, "Alpha")

    def test_segment_kanban_has_no_quick_create(self):
        """The segments are the cells the matrix generates: a quick-created
        card (a name in a row, no column) makes no sense and cannot be saved."""
        arch = self.env["crm.segment.cell"].get_views([(False, "kanban")])["views"][
            "kanban"
        ]["arch"]
        self.assertIn('quick_create="false"', arch)

    def test_override_lock_holds_through_recompute(self):
        self.matrix.action_recompute()
        membership = self._membership(self.matrix, self.d)
        target = self._cell(
            self.matrix,
            self._level(self.country, "Europe"),
            self._level(self.value, "High"),
        )
        membership.cell_id = target
        self.assertTrue(membership.locked)
        manual = self.History.search(
            [("partner_id", "=", self.d.id), ("is_manual", "=", True)]
        )
        self.assertEqual(manual.cell_to_id, target)
        self.matrix.action_recompute()
        self.assertEqual(self._cell_of(self.d), target)
        # unlocked, the recompute puts the customer back
        membership.locked = False
        self.matrix.action_recompute()
        self.assertEqual(
            self._cell_of(self.d),
            self._cell(
                self.matrix,
                self.country.no_data_level_id,
                self._level(self.value, "Low"),
            ),
        )

    def test_quantile_binning(self):
        quantiles = self._metric_dimension(
            "Value quantiles", "monetary", "quantile", [("Bottom", 0), ("Top", 0)]
        )
        self.matrix.col_dimension_id = quantiles
        self.matrix.action_recompute()
        bottom, top = self._level(quantiles, "Bottom"), self._level(quantiles, "Top")
        # monetary 60, 80, 350, 700: percent ranks 0, 1/3, 2/3, 1 -> 2 halves
        for partner, level in (
            (self.d, bottom),
            (self.c, bottom),
            (self.a, top),
            (self.b, top),
            (self.e, quantiles.no_data_level_id),
        ):
            self.assertEqual(self._cell_of(partner).col_level_id, level, partner.name)

    def test_threshold_binning(self):
        thresholds = self._metric_dimension(
            "Value bands",
            "monetary",
            "threshold",
            [("Small", 0.0), ("Medium", 100.0), ("Large", 500.0)],
        )
        self.matrix.col_dimension_id = thresholds
        self.matrix.action_recompute()
        for partner, name in (
            (self.d, "Small"),
            (self.c, "Small"),
            (self.a, "Medium"),
            (self.b, "Large"),
        ):
            self.assertEqual(self._cell_of(partner).col_level_id.name, name)

    def test_metrics_from_other_models(self):
        """Predicted value (written by the value model) and payment behaviour."""
        # the company's prediction (written by the value model)
        self.a.with_company(self.company).write(
            {"clv_value": 900, "clv_probability_alive": 0.8}
        )
        clv = self._metric_dimension(
            "Predicted value", "clv_value", "threshold", [("Some", 0), ("Much", 500)]
        )
        alive = self._metric_dimension(
            "Alive",
            "clv_probability_alive",
            "quantile",
            [("Unlikely", 0), ("Likely", 0)],
        )
        self.matrix.write({"row_dimension_id": alive.id, "col_dimension_id": clv.id})
        self.matrix.action_recompute()
        self.assertEqual(self._cell_of(self.a).col_level_id.name, "Much")
        self.assertEqual(self._cell_of(self.b).col_level_id, clv.no_data_level_id)
        self.assertAlmostEqual(self._membership(self.matrix, self.a).clv_value, 900.0)
        for metric in (
            "avg_days_to_pay",
            "overdue_share",
            "complaint_count",
            "rfm_total",
        ):
            dimension = self._metric_dimension(metric, metric, "quantile", [("One", 0)])
            self.matrix.col_dimension_id = dimension
            self.matrix.action_recompute()
            self.assertEqual(self.matrix.customer_count, 5)

    def test_malformed_domain_refused(self):
        for domain in ("[('no_such_field', '=', 1)]", "'not a list'", "[('name', '='"):
            with self.assertRaises(ValidationError):
                self._rule_dimension("Broken", [("Bad", domain)])
        level = self.country.level_ids[:1]
        with self.assertRaises(ValidationError):
            level.domain = "[('country_id.code', 'is', 'ES')]"
        self.assertEqual(level.domain, "[('country_id.code', '=', 'ES')]")

    def test_profile_attributes_in_levels(self):
        income = self.env["crm.segment.attribute"].create(
            {
                "name": "Income band",
                "value_ids": [
                    (0, 0, {"name": "High income"}),
                    (0, 0, {"name": "Low income"}),
                ],
            }
        )
        high = income.value_ids.filtered(lambda v: v.name == "High income")
        self.b.segment_attribute_value_ids = high
        dimension = self._rule_dimension(
            "Income",
            [("Wealthy", f"[('segment_attribute_value_ids', 'in', {high.ids})]")],
        )
        self.assertEqual(high.display_name, "Income band: High income")
        self.matrix.row_dimension_id = dimension
        self.matrix.action_recompute()
        self.assertEqual(self._cell_of(self.b).row_level_id.name, "Wealthy")
        self.assertEqual(self._cell_of(self.a).row_level_id, dimension.no_data_level_id)
