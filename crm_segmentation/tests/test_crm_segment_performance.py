# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import SegmentationCommon


@tagged("post_install", "-at_install")
class TestCrmSegmentPerformance(SegmentationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.country = cls._rule_dimension(
            "Region",
            [
                ("Spain", "[('country_id.code', '=', 'ES')]"),
                ("Europe", "[('country_id.code', 'in', ['ES', 'FR', 'DE'])]"),
                ("Tagged", "[('category_id', '!=', False)]"),
            ],
        )
        cls.value = cls._metric_dimension(
            "Value", "monetary", "quantile", [("Low", 0), ("Mid", 0), ("High", 0)]
        )
        cls.matrix = cls.Matrix.create(
            {
                "name": "Region x value",
                "row_dimension_id": cls.country.id,
                "col_dimension_id": cls.value.id,
            }
        )

    def _add_customers(self, count, start):
        spain = self.env.ref("base.es")
        partners = self._customers(
            [f"Perf customer {start + i}" for i in range(count)],
            country_id=spain.id,
        )
        self._invoices(
            [(p, 1 + i % 90, 10.0 * (i + 1)) for i, p in enumerate(partners)]
        )
        return partners

    def _full_recompute(self):
        self.Partner._rfm_compute(self.company)
        self.matrix._recompute()
        self.env.flush_all()

    def _count(self, func):
        """Queries of func with warm caches (access rules, the user's
        companies...): the best of two runs after a warm-up, records invalidated."""
        func()
        counts = []
        for _run in range(2):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            func()
            counts.append(self.cr.sql_log_count - start)
        return min(counts)

    def test_recompute_queries_do_not_grow_with_customers(self):
        self._add_customers(5, 0)
        self._full_recompute()  # creates the cells
        few = self._count(self._full_recompute)
        self.assertEqual(self.matrix.customer_count, 5)
        self._add_customers(45, 5)
        many = self._count(self._full_recompute)
        self.assertEqual(self.matrix.customer_count, 50)
        self.assertEqual(few, many, "the recompute must not query per customer")
        self.env.invalidate_all()
        with self.assertQueryCount(many):
            self._full_recompute()

    def test_moves_read_without_queries(self):
        """The customers a placement moved are handed to the hooks (actions on
        entering, automation rules) with their history fields in the cache:
        no query per 1,000 customers to read them."""
        self._add_customers(3, 0)
        self._full_recompute()
        history = self.History.search([("matrix_id", "=", self.matrix.id)])
        self.assertEqual(len(history), 3)
        rows = [
            [
                entry.id,
                entry.partner_id.id,
                entry.cell_from_id.id or 0,
                entry.cell_to_id.id,
            ]
            for entry in history
        ]
        self.env.invalidate_all()
        with self.assertQueryCount(0):
            moves = self.matrix._segment_moves(rows)
            seen = [
                [
                    move.id,
                    move.partner_id.id,
                    move.cell_from_id.id or 0,
                    move.cell_to_id.id,
                ]
                for move in moves.filtered("cell_to_id")
            ]
            self.assertEqual(set(moves.matrix_id.ids), {self.matrix.id})
        self.assertEqual(seen, rows)

    def test_cron_runs(self):
        customers = self._add_customers(3, 0)
        cron = self.env.ref("crm_segmentation.ir_cron_segmentation_nightly")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertTrue(self.company.rfm_date_computed)
        self.assertTrue(self.matrix.date_recompute)
        self.assertEqual(
            self.Membership.search([("matrix_id", "=", self.matrix.id)]).partner_id,
            customers,
        )
        self.assertTrue(all(customers.mapped("rfm_score")))
