# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The heat map of a matrix, its migration grid and its cohorts (issue 20,
item 5): the figures of the data methods of crm.segment.matrix on real posted
invoices and memberships placed by the real recompute, as the users who may
(and may not) see them, and a query count that does not grow with the
customers."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.common import JsonRpcMixin

from .. import heat_map
from .common import SegmentationCommon


@tagged("post_install", "-at_install")
class TestCrmSegmentHeatMap(SegmentationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        cls.salesman = new_test_user(
            cls.env,
            "hm_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=company.id,
            company_ids=company.ids,
        )
        cls.other_salesman = new_test_user(
            cls.env,
            "hm_other_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=company.id,
            company_ids=company.ids,
        )
        spain, france = cls.env.ref("base.es"), cls.env.ref("base.fr")
        cls.alpha, cls.bravo, cls.charlie = cls._customers(
            ["HM Alpha", "HM Bravo", "HM Charlie"], country_id=spain.id
        )
        cls.delta, cls.echo = cls._customers(
            ["HM Delta", "HM Echo"], country_id=france.id
        )
        cls.alpha.user_id = cls.salesman
        cls.bravo.user_id = cls.other_salesman
        # the months: this one (m0) and the two before
        cls.m0 = cls.today.replace(day=1)
        cls.m1 = heat_map.add_months(cls.m0, -1)
        cls.m2 = heat_map.add_months(cls.m0, -2)
        invoices = cls._invoices(
            [
                (cls.alpha, (cls.today - (cls.m2 + timedelta(days=1))).days, 300.0),
                (cls.alpha, (cls.today - cls.m0).days, 500.0),
                (cls.bravo, (cls.today - (cls.m2 + timedelta(days=4))).days, 400.0),
                (cls.charlie, (cls.today - (cls.m1 + timedelta(days=2))).days, 50.0),
                (cls.delta, (cls.today - (cls.m1 + timedelta(days=3))).days, 100.0),
                (cls.echo, (cls.today - (cls.m1 + timedelta(days=5))).days, 70.0),
            ]
        )
        # Echo's only purchase is reversed in full: no purchase
        invoices[-1]._reverse_moves(
            [{"invoice_date": cls.today, "date": cls.today}], cancel=True
        )
        # the predictions of the customer value model (written by its
        # prediction, see crm_clv_prediction)
        for partner, value, at_risk in (
            (cls.alpha, 1000.0, 100.0),
            (cls.bravo, 600.0, 300.0),
            (cls.charlie, 80.0, 60.0),
            (cls.delta, 120.0, 0.0),
        ):
            partner.write({"clv_value": value, "clv_value_at_risk": at_risk})
        cls.region = cls._rule_dimension(
            "HM Region",
            [
                ("Spain", "[('country_id.code', '=', 'ES')]"),
                ("France", "[('country_id.code', '=', 'FR')]"),
            ],
        )
        cls.value = cls._metric_dimension(
            "HM Value", "monetary", "threshold", [("Low", 0.0), ("High", 300.0)]
        )
        cls.matrix = cls.Matrix.create(
            {
                "name": "HM Region x value",
                "row_dimension_id": cls.region.id,
                "col_dimension_id": cls.value.id,
            }
        )
        cls.Partner._rfm_compute(cls.company)
        cls.matrix.action_recompute()

    def _cells(self, data):
        """{(row level, column level): cell figures} by level names."""
        rows = {row["id"]: row["name"] for row in data["rows"]}
        cols = {col["id"]: col["name"] for col in data["cols"]}
        return {(rows[c["row"]], cols[c["col"]]): c for c in data["cells"]}

    def test_heat_map_value_at_risk_as_of_recompute(self):
        """The heat map reads the value at risk copied on the memberships by
        the recompute (as the revenue and the predicted value): a new
        prediction shows after the next recompute, which copies it."""
        self.bravo.clv_value_at_risk = 500.0
        high = self._cells(self.matrix.heat_map_data())[("Spain", "High")]
        self.assertAlmostEqual(high["value_at_risk"], 400.0)
        self.matrix.action_recompute()
        membership = self.env["crm.segment.membership"].search(
            [("matrix_id", "=", self.matrix.id), ("partner_id", "=", self.bravo.id)]
        )
        self.assertEqual(membership.clv_value_at_risk, 500.0)
        high = self._cells(self.matrix.heat_map_data())[("Spain", "High")]
        self.assertAlmostEqual(high["value_at_risk"], 600.0)

    def test_heat_map_figures(self):
        """Per cell the customers, the share of the revenue, the average
        predicted value and the value at risk; the heat of each measure is its
        share of the largest cell."""
        data = self.matrix.heat_map_data()
        self.assertEqual(
            [m["key"] for m in data["measures"]],
            ["customers", "revenue_share", "clv_avg", "value_at_risk"],
        )
        self.assertEqual(
            [r["name"] for r in data["rows"]], ["Spain", "France", "No data"]
        )
        self.assertEqual([c["name"] for c in data["cols"]], ["Low", "High", "No data"])
        cells = self._cells(data)
        high = cells[("Spain", "High")]
        self.assertEqual(high["name"], "Spain / High")
        self.assertEqual(high["customers"], 2)
        self.assertAlmostEqual(high["revenue"], 1200.0)
        self.assertAlmostEqual(high["revenue_share"], 1200.0 / 1350.0)
        self.assertAlmostEqual(high["clv_avg"], 800.0)
        self.assertAlmostEqual(high["value_at_risk"], 400.0)
        low = cells[("Spain", "Low")]
        self.assertEqual((low["customers"], low["revenue"]), (1, 50.0))
        self.assertAlmostEqual(low["heat"]["customers"], 0.5)
        self.assertAlmostEqual(low["heat"]["value_at_risk"], 60.0 / 400.0)
        self.assertEqual(high["heat"]["customers"], 1.0)
        # Delta in France / Low; Echo (all refunded) is in no cell with value
        france_low = cells[("France", "Low")]
        self.assertEqual(france_low["customers"], 1)
        self.assertAlmostEqual(france_low["clv_avg"], 120.0)
        self.assertEqual(cells[("France", "High")]["customers"], 0)
        self.assertEqual(cells[("France", "High")]["heat"]["customers"], 0.0)
        self.assertAlmostEqual(data["totals"]["revenue"], 1350.0)
        self.assertEqual(
            data["totals"]["customers"],
            self.Membership.search_count([("matrix_id", "=", self.matrix.id)]),
        )

    def test_cell_opens_its_customers(self):
        high = self.matrix.cell_ids.filtered(lambda c: c.name == "Spain / High")
        action = self.matrix.action_view_cell(high.id)
        memberships = self.Membership.search(action["domain"])
        self.assertEqual(memberships.partner_id, self.alpha + self.bravo)
        self.assertEqual(action["display_name"], "Spain / High")
        other = self.Matrix.create(
            {
                "name": "HM Value x region",
                "row_dimension_id": self.value.id,
                "col_dimension_id": self.region.id,
            }
        )
        other.action_generate_cells()
        with self.assertRaises(UserError):
            self.matrix.action_view_cell(other.cell_ids[0].id)

    def test_salesperson_own_documents_sees_its_customers(self):
        """A salesperson with "own documents only" counts its own customers
        and those without salesperson, not another salesperson's."""
        data = self.matrix.with_user(self.salesman).heat_map_data()
        cells = self._cells(data)
        self.assertEqual(cells[("Spain", "High")]["customers"], 1)
        self.assertAlmostEqual(cells[("Spain", "High")]["revenue"], 800.0)
        self.assertNotIn(
            self.bravo.id,
            self.Membership.search(
                self.matrix.with_user(self.salesman)._heat_map_customers_domain()
            ).partner_id.ids,
        )

    def test_without_money_rights_no_money_measures(self):
        """A user who may read the matrices but not money (neither sales nor
        accounting) gets the customers per cell, no revenue nor value."""
        viewer_group = self.env["res.groups"].create({"name": "HM segment viewer"})
        self.env["ir.model.access"].create(
            [
                {
                    "name": f"hm viewer {model}",
                    "model_id": self.env["ir.model"]._get_id(model),
                    "group_id": viewer_group.id,
                    "perm_read": True,
                }
                for model in (
                    "crm.segment.matrix",
                    "crm.segment.cell",
                    "crm.segment.membership",
                    "crm.segment.level",
                    "crm.segment.dimension",
                    "crm.segment.history",
                )
            ]
        )
        viewer = new_test_user(
            self.env,
            "hm_viewer",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        viewer.group_ids += viewer_group
        self.assertFalse(viewer.has_group("sales_team.group_sale_salesman"))
        data = self.matrix.with_user(viewer).heat_map_data()
        self.assertEqual([m["key"] for m in data["measures"]], ["customers"])
        high = self._cells(data)[("Spain", "High")]
        self.assertEqual(high["customers"], 2)
        for key in ("revenue", "revenue_share", "clv_avg", "value_at_risk"):
            self.assertNotIn(key, high)
            self.assertNotIn(key, data["totals"])
            self.assertNotIn(key, high["heat"])

    def test_no_access(self):
        """An employee without segmentation rights, and a user of another
        company, cannot read the heat map."""
        employee = new_test_user(self.env, "hm_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.matrix.with_user(employee).heat_map_data()
        company_2 = self.setup_other_company(name="HM Co 2")["company"]
        stranger = new_test_user(
            self.env,
            "hm_stranger",
            groups="crm_segmentation.group_segmentation_manager",
            company_id=company_2.id,
            company_ids=company_2.ids,
        )
        for method in ("heat_map_data", "migration_data", "cohort_data"):
            with self.assertRaises(AccessError):
                getattr(self.matrix.with_user(stranger), method)()
        # the current company: a user of both companies working in the other one
        self.env.user.company_ids += company_2
        with self.assertRaises(AccessError):
            self.matrix.with_context(allowed_company_ids=company_2.ids).heat_map_data()

    def test_migration_between_two_dates(self):
        """Bravo moved from Spain / High to France / High after the first
        date, Foxtrot entered the matrix; the others stayed."""
        self.History.search([("matrix_id", "=", self.matrix.id)]).date = (
            fields.Datetime.now() - timedelta(days=40)
        )
        self.bravo.country_id = self.env.ref("base.fr")
        foxtrot = self._customers(["HM Foxtrot"], country_id=self.bravo.country_id.id)
        self._invoices([(foxtrot, 1, 20.0)])
        self.Partner._rfm_compute(self.company)
        self.matrix.action_recompute()
        data = self.matrix.migration_data(
            fields.Date.to_string(self.today - timedelta(days=10)),
            fields.Date.to_string(self.today),
        )
        names = {row["id"]: row["name"] for row in data["from"] + data["to"]}
        moves = {
            (names[c["from"]], names[c["to"]]): c["customers"] for c in data["counts"]
        }
        self.assertEqual(moves[("Spain / High", "France / High")], 1)
        self.assertEqual(moves[("Not in the matrix", "France / Low")], 1)
        self.assertEqual(moves[("Spain / High", "Spain / High")], 1)
        self.assertEqual(data["moved"], 2)
        self.assertEqual(
            data["stayed"],
            self.Membership.search_count([("matrix_id", "=", self.matrix.id)]) - 2,
        )
        # before the first placement nobody was in the matrix
        old = self.matrix.migration_data(
            fields.Date.to_string(self.today - timedelta(days=60)),
            fields.Date.to_string(self.today - timedelta(days=50)),
        )
        self.assertEqual(old["counts"], [])
        with self.assertRaises(UserError):
            self.matrix.migration_data(
                fields.Date.to_string(self.today),
                fields.Date.to_string(self.today - timedelta(days=1)),
            )
        with self.assertRaises(UserError):
            self.matrix.migration_data("yesterday", "today")

    def test_cohorts(self):
        """Alpha and Bravo first bought two months ago, Alpha again this
        month; Charlie and Delta last month; Echo's reversed invoice and the
        credit note are no purchase."""
        data = self.matrix.cohort_data(3)
        cohorts = {c["month"]: (c["size"], c["shares"]) for c in data["cohorts"]}
        self.assertEqual(
            cohorts,
            {
                fields.Date.to_string(self.m2): (2, [1.0, 0.0, 0.5]),
                fields.Date.to_string(self.m1): (2, [1.0, 0.0]),
                fields.Date.to_string(self.m0): (0, [0.0]),
            },
        )
        with self.assertRaises(UserError):
            self.matrix.cohort_data("a year")

    def test_query_count_does_not_grow(self):
        """The heat map reads as many queries for 2N customers as for N."""
        matrix = self.matrix

        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            matrix.heat_map_data()
            return self.env.cr.sql_log_count - before

        queries = count_queries()
        more = self._customers(
            [f"HM More {i}" for i in range(10)],
            country_id=self.env.ref("base.es").id,
        )
        self._invoices([(partner, 5, 350.0) for partner in more])
        self.Partner._rfm_compute(self.company)
        matrix.action_recompute()
        self.assertEqual(matrix.customer_count, 15)
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            data = matrix.heat_map_data()
        self.assertEqual(self._cells(data)[("Spain", "High")]["customers"], 12)


@tagged("post_install", "-at_install")
class TestCrmSegmentHeatMapHttp(JsonRpcMixin, HttpCase):
    """A portal user cannot call the heat map's methods over JSON-RPC."""

    def test_portal_cannot_read_the_heat_map(self):
        Dimension = self.env["crm.segment.dimension"]
        rows, cols = Dimension.create(
            [
                {
                    "name": name,
                    "level_ids": [Command.create({"name": f"{name} level"})],
                }
                for name in ("HM All", "HM Everyone")
            ]
        )
        matrix = self.env["crm.segment.matrix"].create(
            {
                "name": "HM Portal",
                "row_dimension_id": rows.id,
                "col_dimension_id": cols.id,
            }
        )
        matrix.action_generate_cells()
        new_test_user(self.env, "hm_portal", groups="base.group_portal")
        new_test_user(
            self.env,
            "hm_http_manager",
            groups="crm_segmentation.group_segmentation_manager",
        )
        self.authenticate("hm_http_manager", "hm_http_manager")
        answer = self._rpc("crm.segment.matrix", "heat_map_data", [[matrix.id]])
        self.assertEqual(answer["result"]["matrix"]["id"], matrix.id)
        self.authenticate("hm_portal", "hm_portal")
        for method in ("heat_map_data", "migration_data", "cohort_data"):
            answer = self._rpc("crm.segment.matrix", method, [[matrix.id]])
            self.assertNotIn("result", answer)
            self.assertEqual(
                answer["error"]["data"]["name"], "odoo.exceptions.AccessError"
            )
        answer = self._rpc("crm.segment.matrix", "_heat_map_data", [[matrix.id]])
        self.assertNotIn("result", answer)
