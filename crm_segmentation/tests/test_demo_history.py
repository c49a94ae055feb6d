# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo history (issue 20): the seeded plan of invented customers and the
generator that turns it into confirmed orders, posted invoices and payments of
the main company, then fits the customer value model. The generator runs here
on a small plan (every database, demo or not); the checks of the 300-customer
demo itself run only on a database installed with the demo data (`make run`),
as Odoo 19 tests run without it by default."""

import unittest
from collections import Counter
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .. import demo_history


@tagged("post_install", "-at_install")
class TestDemoHistoryPlan(TransactionCase):
    def test_plan_is_deterministic_and_mixed(self):
        plan = demo_history.plan(count=300, seed=42)
        self.assertEqual(plan, demo_history.plan(count=300, seed=42))
        self.assertNotEqual(plan, demo_history.plan(count=300, seed=7))
        self.assertEqual(len({customer.name for customer in plan}), 300)
        mix = Counter(customer.behaviour for customer in plan)
        self.assertEqual(
            mix,
            {"loyal": 75, "seasonal": 45, "churner": 75, "one_time": 75, "new": 30},
        )
        for customer in plan:
            days = [day for day, _lines in customer.purchases]
            self.assertTrue(days, customer)
            # oldest first, within the history, never today or later
            self.assertEqual(days, sorted(days, reverse=True))
            self.assertTrue(all(1 <= day <= 1000 for day in days), customer)
            if customer.behaviour == "one_time":
                self.assertEqual(len(days), 1)
            elif customer.behaviour == "churner":
                self.assertGreaterEqual(min(days), 150)
            elif customer.behaviour == "new":
                self.assertLessEqual(max(days), 120)
        # a small plan has every behaviour too
        self.assertEqual(
            set(Counter(c.behaviour for c in demo_history.plan(count=20))),
            {name for name, _share in demo_history.BEHAVIOURS},
        )


@tagged("post_install", "-at_install")
class TestDemoHistoryGenerator(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.model = cls.env["crm.clv.model"]._for_company(cls.company)
        # 20 customers: enough repeat buyers for a fit once the minimum is lowered
        cls.model.write({"min_repeat_customers": 5, "date_holdout": False})
        cls.plan = demo_history.plan(count=20, seed=42)
        cls.partners = cls.env["crm.segment.matrix"]._demo_generate_history(
            count=20, seed=42, prefix="test_history"
        )
        cls.behaviour = {
            partner: customer.behaviour
            for partner, customer in zip(cls.partners, cls.plan, strict=True)
        }

    def _orders(self, partner):
        return self.env["sale.order"].search(
            [("partner_id", "=", partner.id)], order="date_order"
        )

    def test_documents_of_the_main_company_dated_in_the_past(self):
        self.assertEqual(len(self.partners), 20)
        self.assertEqual(self.partners.mapped("name"), [c.name for c in self.plan])
        self.assertEqual(
            self.env.ref("crm_segmentation.test_history_partner_0001"),
            self.partners[0],
        )
        orders = self.env["sale.order"].search(
            [("partner_id", "in", self.partners.ids)]
        )
        self.assertEqual(
            len(orders), sum(len(customer.purchases) for customer in self.plan)
        )
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(orders.company_id, self.company)
        self.assertEqual(set(orders.mapped("invoice_status")), {"invoiced"})
        self.assertFalse(orders.picking_ids, "past business: nothing to deliver")
        invoices = orders.invoice_ids
        self.assertEqual(len(invoices), len(orders))
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(invoices.company_id, self.company)
        interactions = self.env["crm.interaction"].search(
            [("res_model", "=", "sale.order"), ("res_id", "in", orders.ids)]
        )
        self.assertEqual(len(interactions), len(orders))
        interaction_date = {i.res_id: i.date for i in interactions}
        for order in orders:
            self.assertEqual(order.invoice_ids.invoice_date, order.date_order.date())
            # the customer's contact that day, not the installation's
            self.assertEqual(interaction_date[order.id], order.date_order)
            self.assertLess(order.invoice_ids.invoice_date, self.today)
        # paid, but for the last 40 days and the late payers' last invoices
        old = invoices.filtered(
            lambda move: move.invoice_date < self.today - timedelta(days=40)
        )
        paid = old.filtered(lambda move: move.payment_state in ("paid", "in_payment"))
        late_payers = self.partners.filtered(
            lambda p: self.plan[self.partners.ids.index(p.id)].late_payer
        )
        self.assertEqual(
            old - paid, (old - paid).filtered(lambda m: m.partner_id in late_payers)
        )
        self.assertGreater(len(paid), len(old) // 2)
        # generated once: a second call creates nothing
        again = self.env["crm.segment.matrix"]._demo_generate_history(
            count=20, seed=42, prefix="test_history"
        )
        self.assertFalse(again)
        self.assertEqual(
            self.env["sale.order"].search_count(
                [("partner_id", "in", self.partners.ids)]
            ),
            len(orders),
        )

    def test_behaviours_show_in_the_history(self):
        for partner, behaviour in self.behaviour.items():
            orders = self._orders(partner)
            last = (self.today - orders[-1].date_order.date()).days
            if behaviour == "one_time":
                self.assertEqual(len(orders), 1, partner.name)
            elif behaviour == "churner":
                self.assertGreaterEqual(last, 150, partner.name)
                self.assertGreaterEqual(len(orders), 2, partner.name)
            elif behaviour == "loyal":
                self.assertGreaterEqual(len(orders), 3, partner.name)
            elif behaviour == "new":
                first = (self.today - orders[0].date_order.date()).days
                self.assertLessEqual(first, 120, partner.name)

    def test_rfm_churn_and_model_have_results(self):
        self.assertEqual(self.model.state, "fitted")
        self.assertGreaterEqual(self.model.customer_count, len(self.partners))
        self.assertGreaterEqual(self.model.repeat_customer_count, 5)
        self.assertTrue(self.model.candidate_ids)
        self.env["res.partner"]._rfm_compute(self.company)
        self.assertGreaterEqual(len(set(self.partners.mapped("rfm_recency_score"))), 3)
        # scored when they bought within the RFM window (churners often not)
        window = self.company.rfm_period_days
        for partner, customer in zip(self.partners, self.plan, strict=True):
            recent = min(day for day, _lines in customer.purchases) < window
            self.assertEqual(bool(partner.rfm_score), recent, partner.name)

        def average(behaviour, field):
            values = [
                partner[field]
                for partner, kind in self.behaviour.items()
                if kind == behaviour
            ]
            return sum(values) / len(values)

        # the model tells churners from loyal customers
        self.assertLess(
            average("churner", "clv_probability_alive"),
            average("loyal", "clv_probability_alive"),
        )
        at_risk = self.partners.filtered(lambda p: p.clv_value_at_risk > 0)
        self.assertTrue(at_risk)
        self.assertTrue(any(at_risk.mapped("clv_risk_reason")))
        # the lifecycle knows them as customers
        self.assertTrue(all(self.partners.mapped("lifecycle_stage_id")))
        self.assertIn("customer", set(self.partners.mapped("lifecycle_stage_id.kind")))

    def test_cross_sell_rules_from_the_baskets(self):
        Rule = self.env["crm.cross.sell.rule"]
        self.company.segment_cross_sell_min_customers = 2
        Rule._recompute(self.company)
        products = self.env["product.product"].search(
            [("default_code", "=like", "DH-%")]
        )
        rules = Rule.search(
            [("company_id", "=", self.company.id), ("product_a_id", "in", products.ids)]
        )
        self.assertTrue(rules)
        pairs = {
            (r.product_a_id.default_code, r.product_b_id.default_code) for r in rules
        }
        baskets = [set(basket) for basket in demo_history.BASKETS]
        self.assertTrue(
            any({a, b} <= basket for a, b in pairs for basket in baskets), pairs
        )


@tagged("post_install", "-at_install")
class TestDemoDatabase(TransactionCase):
    """The demo a newcomer opens with `make run`."""

    def setUp(self):
        super().setUp()
        self.first = self.env.ref(
            "crm_segmentation.demo_history_partner_0001", raise_if_not_found=False
        )
        if not self.first:
            raise unittest.SkipTest("no demo data in this database")
        self.company = self.env.ref("base.main_company")
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "crm_segmentation"),
                ("name", "=like", "demo_history_partner_%"),
            ]
        )
        self.partners = self.env["res.partner"].browse(data.mapped("res_id"))

    def test_demo_customers_and_documents(self):
        self.assertEqual(len(self.partners), 300)
        orders = self.env["sale.order"].search(
            [("partner_id", "in", self.partners.ids)]
        )
        self.assertGreater(len(orders), 1000)
        self.assertEqual(orders.company_id, self.company)
        self.assertEqual(orders.invoice_ids.company_id, self.company)
        first = min(orders.mapped("date_order")).date()
        self.assertGreater((fields.Date.today() - first).days, 2 * 365)

    def test_demo_shows_results(self):
        rfm = self.env.ref("crm_segmentation.crm_segment_matrix_rfm")
        cells = self.env["crm.segment.membership"]._read_group(
            [("matrix_id", "=", rfm.id), ("partner_id", "in", self.partners.ids)],
            ["cell_id"],
            ["__count"],
        )
        self.assertGreaterEqual(len(cells), 8, "customers spread over the matrix")
        model = self.env["crm.clv.model"].search([("company_id", "=", self.company.id)])
        self.assertEqual(model.state, "fitted")
        self.assertTrue(model.holdout_line_ids, "the holdout chart has points")
        worth_saving = self.partners.filtered(lambda p: p.clv_value_at_risk > 0)
        self.assertGreaterEqual(len(worth_saving), 30)
        self.assertTrue(
            self.env["crm.cross.sell.rule"].search_count(
                [("company_id", "=", self.company.id)]
            )
        )
        stages = set(self.partners.mapped("lifecycle_stage_id.kind"))
        self.assertGreaterEqual(len(stages), 2, stages)
