# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Customers dashboard: its spreadsheet loads, and every data source of it
(pivot, list, chart) reads a model and fields that exist and that a real
salesperson (the dashboard's group) may read, with the dashboard's own
domains, groupings and measures; the browser opens it on a desktop and on a
phone."""

import json

from odoo.tests import new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.common import (
    BrowserTourCase,
    LifecycleCommon,
    MobileTourCase,
)

DASHBOARD = "crm_segmentation_dashboard.spreadsheet_dashboard_customers"


def _data_sources(data):
    """(label, model, domain, group by, field names) of every pivot, list and
    Odoo chart of the spreadsheet, plus the field paths of their filters."""
    sources = []
    for pivot_id, pivot in data["pivots"].items():
        groupbys = [dim["fieldName"] for dim in pivot["rows"] + pivot["columns"]]
        measures = [m["fieldName"] for m in pivot["measures"]]
        sources.append(
            (
                f"pivot {pivot_id}",
                pivot["model"],
                pivot["domain"],
                groupbys,
                measures,
                pivot.get("fieldMatching", {}),
            )
        )
    for list_id, list_ in data["lists"].items():
        fields_ = list_["columns"] + [order["name"] for order in list_["orderBy"]]
        sources.append(
            (
                f"list {list_id}",
                list_["model"],
                list_["domain"],
                [],
                fields_,
                list_.get("fieldMatching", {}),
            )
        )
    for sheet in data["sheets"]:
        for figure in sheet["figures"]:
            chart = figure["data"]
            if not chart["type"].startswith("odoo_"):
                continue
            meta = chart["metaData"]
            sources.append(
                (
                    f"chart {chart['title']['text']}",
                    meta["resModel"],
                    chart["searchParams"]["domain"],
                    meta["groupBy"],
                    [meta["measure"]],
                    chart.get("fieldMatching", {}),
                )
            )
    return sources


class DashboardCommon(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(DASHBOARD)
        cls.data = json.loads(cls.dashboard.spreadsheet_data)
        cls.dashboard_user = new_test_user(
            cls.env,
            login="dash_salesperson",
            name="Dana Dashboard",
            groups="sales_team.group_sale_salesman",
        )


@tagged("post_install", "-at_install")
class TestCustomersDashboard(DashboardCommon):
    def test_dashboard_is_published_for_salespeople(self):
        self.assertEqual(self.dashboard.name, "Customers")
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(
            self.dashboard.group_ids, self.env.ref("sales_team.group_sale_salesman")
        )
        visible = self.env["spreadsheet.dashboard"].with_user(self.dashboard_user)
        self.assertIn(self.dashboard, visible.search([]))
        # an employee outside the sales groups does not see it
        employee = new_test_user(
            self.env, login="dash_employee", groups="base.group_user"
        )
        self.assertNotIn(
            self.dashboard,
            self.env["spreadsheet.dashboard"].with_user(employee).search([]),
        )

    def test_spreadsheet_is_valid(self):
        sheets = {sheet["name"]: sheet for sheet in self.data["sheets"]}
        self.assertEqual(set(sheets), {"Dashboard", "Data"})
        self.assertEqual(len(sheets["Dashboard"]["figures"]), 10)
        self.assertEqual(
            {pivot["model"] for pivot in self.data["pivots"].values()},
            {"res.partner", "crm.segment.membership", "crm.complaint"},
        )
        # every formula refers to a pivot or list that exists
        for sheet in self.data["sheets"]:
            for content in sheet["cells"].values():
                for prefix, ids in (
                    ("PIVOT(", self.data["pivots"]),
                    ("PIVOT.VALUE(", self.data["pivots"]),
                    ("ODOO.LIST(", self.data["lists"]),
                    ("ODOO.LIST.HEADER(", self.data["lists"]),
                ):
                    for part in content.split(prefix)[1:]:
                        ref = part.split(",")[0].split(")")[0].strip()
                        self.assertIn(ref, ids, content)
        # the key figures point at cells of the Data sheet that have a formula
        for figure in sheets["Dashboard"]["figures"]:
            if figure["data"]["type"] == "scorecard":
                sheet_name, cell = figure["data"]["keyValue"].split("!")
                self.assertIn(cell, sheets[sheet_name]["cells"])

    def test_funnel_counts_customers_at_or_past_each_stage(self):
        """The lifecycle funnel is a funnel: prospect and customer stages in
        their order, each counting the customers at or past it (a share of
        the first stage, never above 100 %); at risk and lost have their own
        charts (value at risk, overdue by stage)."""
        funnel = next(
            figure["data"]
            for sheet in self.data["sheets"]
            for figure in sheet["figures"]
            if figure["data"]["type"] == "odoo_funnel"
        )
        self.assertTrue(funnel["cumulative"])
        Partner = self.env["res.partner"]
        Stage = self.env["crm.lifecycle.stage"]
        self.customer.lifecycle_stage_id = Stage.search([("kind", "=", "customer")])[0]
        in_funnel = Partner.search(funnel["searchParams"]["domain"])
        self.assertIn(self.customer, in_funnel)
        at_risk = Stage.search([("kind", "in", ("at_risk", "lost"))])
        self.assertTrue(at_risk)
        self.customer.lifecycle_stage_id = at_risk[0]
        self.assertNotIn(
            self.customer, Partner.search(funnel["searchParams"]["domain"])
        )

    def test_data_sources_readable_by_salesperson(self):
        """Every model, field, grouping, measure and filter path of the
        dashboard exists and reads as a salesperson, the way the spreadsheet
        reads it (a grouped read for pivots and charts, a search_read for
        lists)."""
        filters = {f["id"] for f in self.data["globalFilters"]}
        sources = _data_sources(self.data)
        self.assertEqual(len(sources), 4 + 1 + 6)
        for label, model, domain, groupbys, fields_, matching in sources:
            with self.subTest(source=label):
                Model = self.env[model].with_user(self.dashboard_user)
                names = [f for f in fields_ if f != "__count"]
                readable = Model.fields_get(
                    [name.split(":")[0] for name in names + groupbys]
                )
                for name in names + groupbys:
                    self.assertIn(name.split(":")[0], readable, f"{label}: {name}")
                if groupbys:
                    # the spreadsheet sums a measure only if Odoo gives it an
                    # aggregator (a key figure stays empty otherwise)
                    for name in names:
                        self.assertTrue(
                            readable[name].get("aggregator"), f"{label}: {name}"
                        )
                if groupbys:
                    aggregates = [
                        "__count" if name == "__count" else f"{name}:sum"
                        for name in names or ["__count"]
                    ]
                    Model.formatted_read_group(domain, groupbys, aggregates)
                else:
                    Model.search_read(domain, names, limit=10)
                self.assertEqual(set(matching), filters, label)
                for path in (m["chain"] for m in matching.values()):
                    # a filter path reads through each many2one it follows
                    Model.search_count([(path, "=", self.dashboard_user.id)])

    def test_dashboard_shows_the_customers_figures(self):
        """With real documents, the sources count what the dashboard shows:
        the customer has a lifecycle stage and is in the funnel source of its
        salesperson (a salesperson sees the customers that are theirs or
        nobody's)."""
        self.customer.user_id = self.dashboard_user
        order = self._order()
        self._invoice(order)
        self.customer.action_lifecycle_refresh()
        self.assertTrue(self.customer.lifecycle_stage_id)
        pivot = self.data["pivots"]["1"]
        groups = (
            self.env["res.partner"]
            .with_user(self.dashboard_user)
            .formatted_read_group(pivot["domain"], ["lifecycle_stage_id"], ["__count"])
        )
        counted = {
            group["lifecycle_stage_id"][0]: group["__count"]
            for group in groups
            if group["lifecycle_stage_id"]
        }
        self.assertGreaterEqual(counted.get(self.customer.lifecycle_stage_id.id), 1)


class DashboardTourCommon(DashboardCommon):
    def _check_tour(self, tour):
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            tour,
            login=self.dashboard_user.login,
        )


@tagged("post_install", "-at_install")
class TestCustomersDashboardTour(DashboardTourCommon, BrowserTourCase):
    def test_dashboard_opens(self):
        response = self.url_open("/web/login")
        self.assertEqual(response.status_code, 200)
        self.authenticate(self.dashboard_user.login, self.dashboard_user.login)
        data = self.url_open(f"/spreadsheet/dashboard/data/{self.dashboard.id}").json()
        self.assertEqual(len(data["snapshot"]["sheets"]), 2)
        self.assertEqual(data["translation_namespace"], "crm_segmentation_dashboard")
        self._check_tour("crm_segmentation_dashboard_tour")


@tagged("post_install", "-at_install")
class TestCustomersDashboardMobileTour(DashboardTourCommon, MobileTourCase):
    def test_dashboard_opens_on_phone(self):
        self.dashboard.with_user(self.dashboard_user).action_toggle_favorite()
        self._check_tour("crm_segmentation_dashboard_mobile_tour")
