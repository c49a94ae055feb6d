# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SegmentationCommon


@tagged("post_install", "-at_install")
class TestCrmSegmentAccess(SegmentationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        cls.salesman = new_test_user(
            cls.env,
            "seg_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=company.id,
            company_ids=company.ids,
        )
        cls.manager = new_test_user(
            cls.env,
            "seg_manager",
            groups="crm_segmentation.group_segmentation_manager",
            company_id=company.id,
            company_ids=company.ids,
        )
        cls.accountant = new_test_user(
            cls.env,
            "seg_accountant",
            groups="account.group_account_invoice",
            company_id=company.id,
            company_ids=company.ids,
        )
        cls.company_2 = cls.setup_other_company(name="Segment Co 2")["company"]
        cls.stranger = new_test_user(
            cls.env,
            "seg_stranger",
            groups="crm_segmentation.group_segmentation_manager,"
            "account.group_account_invoice",
            company_id=cls.company_2.id,
            company_ids=cls.company_2.ids,
        )
        cls.customer = cls._customers(["Alpha"])
        cls._invoices([(cls.customer, 3, 100.0)])

    def _matrix_as_manager(self):
        Dimension = self.env["crm.segment.dimension"].with_user(self.manager)
        rows = Dimension.create(
            {"name": "All", "level_ids": [(0, 0, {"name": "Everyone"})]}
        )
        cols = Dimension.create(
            {
                "name": "Frequency",
                "dimension_type": "metric",
                "metric": "frequency",
                "level_ids": [(0, 0, {"name": "Any"})],
            }
        )
        matrix = (
            self.env["crm.segment.matrix"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Everyone",
                    "row_dimension_id": rows.id,
                    "col_dimension_id": cols.id,
                }
            )
        )
        self.env["res.partner"].with_user(self.manager)._rfm_compute(self.company)
        matrix.action_recompute()
        return matrix

    def test_manager_configures_salesman_reads(self):
        dimension = (
            self.env["crm.segment.dimension"]
            .with_user(self.manager)
            .create({"name": "Country"})
        )
        self.assertEqual(dimension.company_id, self.manager.company_id)
        as_salesman = dimension.with_user(self.salesman)
        self.assertEqual(as_salesman.name, "Country")
        with self.assertRaises(AccessError):
            as_salesman.write({"name": "Region"})

    def test_salesman_and_accountant_read_only(self):
        matrix = self._matrix_as_manager()
        membership = self.Membership.search([("matrix_id", "=", matrix.id)])
        self.assertEqual(membership.partner_id, self.customer)
        for user in (self.salesman, self.accountant):
            self.assertEqual(
                membership.with_user(user).cell_id.name, "Everyone / Any", user.login
            )
            self.assertEqual(
                matrix.with_user(user).cell_ids.with_user(user).ids, matrix.cell_ids.ids
            )
            self.assertTrue(
                self.History.with_user(user).search([("matrix_id", "=", matrix.id)])
            )
            self.assertEqual(self.customer.with_user(user).rfm_score, "111")
            with self.assertRaises(AccessError):
                matrix.with_user(user).action_recompute()
            with self.assertRaises(AccessError):
                membership.with_user(user).locked = True
            with self.assertRaises(AccessError):
                matrix.with_user(user).name = "Renamed"

    def test_other_company_sees_nothing(self):
        matrix = self._matrix_as_manager()
        Matrix = self.env["crm.segment.matrix"].with_user(self.stranger)
        self.assertFalse(Matrix.search([("id", "=", matrix.id)]))
        self.assertFalse(
            self.Membership.with_user(self.stranger).search(
                [("matrix_id", "=", matrix.id)]
            )
        )
        self.assertFalse(
            self.env["crm.segment.cell"]
            .with_user(self.stranger)
            .search([("matrix_id", "=", matrix.id)])
        )
        self.assertFalse(
            self.History.with_user(self.stranger).search(
                [("matrix_id", "=", matrix.id)]
            )
        )
        with self.assertRaises(AccessError):
            matrix.with_user(self.stranger).action_recompute()
        # its own matrices are in its own company
        rows, cols = matrix.row_dimension_id, matrix.col_dimension_id
        with self.assertRaises(AccessError):
            rows.with_user(self.stranger).name  # noqa: B018
        self.assertEqual(cols.company_id, self.company)

    def test_views_and_actions(self):
        matrix = self._matrix_as_manager()
        cell = matrix.cell_ids.filtered("customer_count")
        action = cell.with_user(self.salesman).action_view_customers()
        self.assertEqual(
            self.env["res.partner"].with_user(self.salesman).search(action["domain"]),
            self.customer,
        )
        for method in (
            "action_view_cells",
            "action_view_memberships",
            "action_view_history",
        ):
            action = getattr(matrix.with_user(self.salesman), method)()
            self.assertIn(("matrix_id", "=", matrix.id), action["domain"])
        for model, types in (
            ("res.partner", ("form", "list", "search", "kanban")),
            ("crm.segment.matrix", ("form", "list", "kanban")),
            ("crm.segment.cell", ("form", "list", "kanban", "search")),
            ("crm.segment.membership", ("pivot", "graph", "list", "kanban", "search")),
            ("crm.segment.history", ("pivot", "graph", "list", "kanban", "search")),
        ):
            views = (
                self.env[model]
                .with_user(self.salesman)
                .get_views([(False, view_type) for view_type in types])
            )
            self.assertEqual(set(views["views"]), set(types))

    def test_schedule_activity_on_selected_customers(self):
        others = self._customers(["Bravo", "Charlie"])
        customers = (self.customer | others).with_user(self.salesman)
        action = customers.action_segment_schedule_activity()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
            .create(
                {
                    "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                    "summary": "Win-back call",
                }
            )
        )
        wizard.action_schedule_activities()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", customers.ids)]
        )
        self.assertEqual(len(activities), 3)
        self.assertEqual(set(activities.mapped("summary")), {"Win-back call"})
