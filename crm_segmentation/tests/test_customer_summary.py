# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user, tagged

from .common import SegmentationCommon


@tagged("post_install", "-at_install")
class TestSegmentationSummary(SegmentationCommon):
    """The customer summary shows the segments, the predicted value and the
    probability alive to sales and accounting, not to the warehouse."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls._customers([f"Summary customer {i}" for i in range(30)])
        cls._invoices([(partner, 10, 500.0) for partner in cls.customers])
        cls.value = cls._metric_dimension(
            "Spend", "monetary", "threshold", [("Small", 0.0), ("Big", 300.0)]
        )
        cls.kind = cls._rule_dimension(
            "Kind", [("Companies", "[('is_company', '=', True)]")]
        )
        cls.matrix = cls.Matrix.create(
            {
                "name": "Spend x kind",
                "row_dimension_id": cls.value.id,
                "col_dimension_id": cls.kind.id,
            }
        )
        cls.Partner._rfm_compute(cls.company)
        cls.matrix.action_recompute()
        cls.env.flush_all()
        # the predictions of the company (written by the value model)
        cls.customers.with_company(cls.company).write(
            {"clv_value": 1234, "clv_probability_alive": 0.25}
        )
        cls.env.flush_all()
        cls.env.invalidate_all()
        company = cls.company
        cls.salesman = new_test_user(
            cls.env,
            "sum_seg_sales",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=company.id,
            company_ids=[company.id],
        )
        cls.accountant = new_test_user(
            cls.env,
            "sum_seg_account",
            groups="account.group_account_invoice",
            company_id=company.id,
            company_ids=[company.id],
        )
        cls.storekeeper = new_test_user(
            cls.env,
            "sum_seg_stock",
            groups="stock.group_stock_user",
            company_id=company.id,
            company_ids=[company.id],
        )

    def _summary(self, user, partner):
        return partner.with_user(user).lifecycle_summary_html

    def test_sales_and_accounting_see_segment_value_and_churn(self):
        partner = self.customers[0]
        cell = self._membership(self.matrix, partner).cell_id
        self.assertEqual(cell.name, "Big / Companies")
        for user in (self.salesman, self.accountant):
            html = str(self._summary(user, partner))
            self.assertIn("Big / Companies", html, user.login)
            self.assertIn("Probability alive", html)
            self.assertIn("25%", html)
            self.assertIn("1,234", html)
            self.assertIn(partner.rfm_score, html)

    def test_warehouse_does_not_see_value_nor_segments(self):
        html = str(self._summary(self.storekeeper, self.customers[0]))
        self.assertNotIn("Big / Companies", html)
        self.assertNotIn("Probability alive", html)

    def test_summary_queries_do_not_grow_with_customers(self):
        counts = []
        # the first round warms the template and view caches
        for partners in (self.customers[:2], self.customers[:3], self.customers):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            partners.with_user(self.salesman).mapped("lifecycle_summary_html")
            counts.append(self.cr.sql_log_count - start)
        self.assertEqual(counts[1], counts[2], counts)
