# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrossSell(TransactionCase):
    """Cross-sell rules and suggestions from real confirmed sale orders.

    Customer baskets: C1 {P1, P2, P3} (two orders), C2 {P1, P2}, C3 {P1},
    C4 {P2, P3}, C5 {P4}; 5 customers. Buyers: P1 3, P2 3, P3 2, P4 1.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # the arithmetic of the rules on a small basket: every pair counts,
        # even one resting on a single customer (the default asks for 3)
        cls.company.write(
            {
                "segment_cross_sell_min_customers": 1,
                "segment_cross_sell_min_support": 1.0,
                "segment_cross_sell_min_confidence": 10.0,
                "segment_cross_sell_limit": 5,
            }
        )
        cls.other_company = cls.env["res.company"].create(
            {"name": "Other Co", "segment_cross_sell_min_customers": 1}
        )
        cls.products = cls.env["product.product"].create(
            [
                {"name": f"P{i}", "type": "service", "list_price": 10.0 * i}
                for i in range(1, 6)
            ]
        )
        cls.p1, cls.p2, cls.p3, cls.p4, cls.p5 = cls.products
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"C{i}", "is_company": True} for i in range(1, 6)]
        )
        c1, c2, c3, c4, c5 = cls.customers
        cls.contact3 = cls.env["res.partner"].create(
            {"name": "C3 buyer", "parent_id": c3.id}
        )
        confirmed = [
            (c1, cls.p1 + cls.p2),
            (c1, cls.p3),
            (c2, cls.p1 + cls.p2 + cls.p1),
            (cls.contact3, cls.p1),
            (c4, cls.p2 + cls.p3),
            (c5, cls.p4),
        ]
        orders = cls.env["sale.order"].create(
            [cls._order_vals(partner, products) for partner, products in confirmed]
        )
        orders.action_confirm()
        # Not in the baskets: a quotation, a cancelled order, another company.
        cls.env["sale.order"].create(cls._order_vals(c5, cls.p1 + cls.p2))
        cancelled = cls.env["sale.order"].create(cls._order_vals(c3, cls.p3))
        cancelled.action_confirm()
        cancelled._action_cancel()
        other = (
            cls.env["sale.order"]
            .with_company(cls.other_company)
            .create(
                {
                    **cls._order_vals(c3, cls.p2 + cls.p4),
                    "company_id": cls.other_company.id,
                }
            )
        )
        other.action_confirm()
        cls.manager = new_test_user(
            cls.env, "xs_manager", groups="crm_segmentation.group_segmentation_manager"
        )
        cls.salesman = new_test_user(
            cls.env, "xs_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.accountant = new_test_user(
            cls.env, "xs_accountant", groups="account.group_account_invoice"
        )

    @classmethod
    def _order_vals(cls, partner, products):
        return {
            "partner_id": partner.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 1.0})
                for product in products
            ],
        }

    def _rules(self):
        rules = self.env["crm.cross.sell.rule"].search(
            [("company_id", "=", self.company.id)]
        )
        return {(rule.product_a_id, rule.product_b_id): rule for rule in rules}

    def test_rules_match_hand_computation(self):
        self.env["crm.cross.sell.rule"].with_user(self.manager)._recompute(self.company)
        rules = self._rules()
        # Pairs: P1-P2 by C1, C2; P2-P3 by C1, C4; P1-P3 by C1; nothing with P4.
        self.assertEqual(
            set(rules),
            {
                (self.p1, self.p2),
                (self.p2, self.p1),
                (self.p2, self.p3),
                (self.p3, self.p2),
                (self.p1, self.p3),
                (self.p3, self.p1),
            },
        )
        # P1 -> P2: support 2/5, confidence 2/3, lift (2/3) / (3/5) = 10/9.
        rule = rules[self.p1, self.p2]
        self.assertEqual(rule.pair_count, 2)
        self.assertAlmostEqual(rule.support, 0.4)
        self.assertAlmostEqual(rule.confidence, 2 / 3, places=4)
        self.assertAlmostEqual(rule.lift, 10 / 9, places=3)
        # P3 -> P2: confidence 2/2, lift 1 / (3/5) = 5/3.
        rule = rules[self.p3, self.p2]
        self.assertAlmostEqual(rule.confidence, 1.0)
        self.assertAlmostEqual(rule.lift, 5 / 3, places=3)
        # P1 -> P3: support 1/5, confidence 1/3, lift (1/3) / (2/5) = 5/6.
        rule = rules[self.p1, self.p3]
        self.assertEqual(rule.pair_count, 1)
        self.assertAlmostEqual(rule.support, 0.2)
        self.assertAlmostEqual(rule.lift, 5 / 6, places=3)
        # The thresholds filter: support >= 30% and confidence >= 50%.
        self.company.write(
            {
                "segment_cross_sell_min_support": 30.0,
                "segment_cross_sell_min_confidence": 50.0,
            }
        )
        self.env["crm.cross.sell.rule"]._recompute(self.company)
        self.assertEqual(
            set(self._rules()),
            {
                (self.p1, self.p2),
                (self.p2, self.p1),
                (self.p2, self.p3),
                (self.p3, self.p2),
            },
        )

    def test_rules_rest_on_a_minimum_of_customers(self):
        """A pair bought by one customer is no rule: the company sets how many
        customers a rule needs (3 by default), and the rule shows them."""
        self.assertEqual(
            self.env["res.company"]
            .create({"name": "New Co"})
            .segment_cross_sell_min_customers,
            3,
        )
        self.company.segment_cross_sell_min_customers = 2
        self.env["crm.cross.sell.rule"].with_user(self.manager)._recompute(self.company)
        rules = self._rules()
        # P1-P3 rests on C1 alone: gone; P1-P2 (C1, C2) and P2-P3 (C1, C4) stay
        self.assertEqual(
            set(rules),
            {
                (self.p1, self.p2),
                (self.p2, self.p1),
                (self.p2, self.p3),
                (self.p3, self.p2),
            },
        )
        self.assertEqual({rule.pair_count for rule in rules.values()}, {2})
        # the suggestions follow the rules: C3 (bought P1) gets P2 only
        self.assertEqual(self.customers[2].segment_cross_sell_ids.product_id, self.p2)
        self.company.segment_cross_sell_min_customers = 3
        self.env["crm.cross.sell.rule"]._recompute(self.company)
        self.assertFalse(self._rules())
        self.assertFalse(self.customers[2].segment_cross_sell_ids)

    def test_recompute_says_what_came_out(self):
        """The Recompute button of the rules answers with a notification (the
        list then reloads), also when no rule came out."""
        Rule = self.env["crm.cross.sell.rule"].with_user(self.manager)
        self.company.segment_cross_sell_min_customers = 2
        action = Rule.with_company(self.company).action_recompute()
        self.assertEqual(action["tag"], "display_notification")
        params = action["params"]
        self.assertEqual(params["type"], "success")
        self.assertIn("4 rules", params["message"])
        self.assertIn("at least 2 customers", params["message"])
        self.assertEqual(params["next"]["tag"], "soft_reload")
        self.company.segment_cross_sell_min_customers = 3
        params = Rule.with_company(self.company).action_recompute()["params"]
        self.assertEqual(params["type"], "warning")
        self.assertIn("at least 3 customers: no rule", params["message"])

    def test_settings_are_checked(self):
        for values in (
            {"segment_cross_sell_min_customers": 0},
            {"segment_cross_sell_min_support": 150.0},
            {"segment_cross_sell_min_confidence": -1.0},
            {"segment_cross_sell_limit": 0},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.company.write(values)
        # the settings screen writes the company's values
        settings = self.env["res.config.settings"].create(
            {"segment_cross_sell_min_customers": 4}
        )
        settings.execute()
        self.assertEqual(self.company.segment_cross_sell_min_customers, 4)

    def test_suggestions_exclude_bought_products(self):
        self.env["crm.cross.sell.rule"]._recompute(self.company)
        c1, c2, c3, c4, c5 = self.customers
        suggested = {
            customer: customer.segment_cross_sell_ids.mapped(
                lambda s: (s.product_id, round(s.score, 3))
            )
            for customer in self.customers
        }
        # C3 bought P1: P2 (lift 10/9) before P3 (lift 5/6).
        self.assertEqual(suggested[c3], [(self.p2, 1.111), (self.p3, 0.833)])
        # C2 bought P1, P2: P3 with the best lift of P1 -> P3 and P2 -> P3.
        self.assertEqual(suggested[c2], [(self.p3, 1.667)])
        self.assertEqual(suggested[c4], [(self.p1, 1.111)])
        # C1 bought everything with a rule, C5 only P4 (no rule).
        self.assertFalse(suggested[c1])
        self.assertFalse(suggested[c5])
        # The limit per customer.
        self.company.segment_cross_sell_limit = 1
        self.env["crm.cross.sell.rule"]._recompute(self.company)
        self.assertEqual(c3.segment_cross_sell_ids.product_id, self.p2)

    def test_quotation_suggestions(self):
        self.env["crm.cross.sell.rule"]._recompute(self.company)
        quotation = self.env["sale.order"].create(
            self._order_vals(self.contact3, self.p5)
        )
        self.assertEqual(quotation.segment_cross_sell_ids.product_id, self.p2 + self.p3)
        suggestion = quotation.segment_cross_sell_ids[0]
        suggestion.with_context(cross_sell_order_id=quotation.id).action_add_to_order()
        self.assertIn(self.p2, quotation.order_line.product_id)
        quotation.invalidate_recordset(["segment_cross_sell_ids"])
        self.assertEqual(quotation.segment_cross_sell_ids.product_id, self.p3)
        # Not on a confirmed order.
        quotation.action_confirm()
        self.assertFalse(quotation.segment_cross_sell_ids)
        with self.assertRaises(UserError):
            quotation.segment_cross_sell_ids.browse(suggestion.id).with_context(
                cross_sell_order_id=quotation.id
            ).action_add_to_order()

    def test_quotation_suggestions_batched(self):
        self.env["crm.cross.sell.rule"]._recompute(self.company)
        quotations = self.env["sale.order"].create(
            [self._order_vals(customer, self.p5) for customer in self.customers]
        )

        def queries(orders):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            orders.mapped("segment_cross_sell_ids")
            return self.env.cr.sql_log_count - start

        queries(quotations)  # warm-up
        self.assertEqual(queries(quotations[2]), queries(quotations))

    def test_access(self):
        Rule = self.env["crm.cross.sell.rule"]
        with self.assertRaises(AccessError):
            Rule.with_user(self.salesman)._recompute(self.company)
        Rule.with_user(self.manager)._recompute(self.company)
        for user in (self.salesman, self.accountant):
            self.assertTrue(Rule.with_user(user).search([]))
            suggestions = self.env["crm.cross.sell.suggestion"].with_user(user)
            self.assertTrue(suggestions.search([]))
            with self.assertRaises(AccessError):
                suggestions.search([], limit=1).unlink()
        # Another company's rules are not visible.
        self.env["crm.cross.sell.rule"]._recompute(self.other_company)
        other_rules = Rule.search([("company_id", "=", self.other_company.id)])
        self.assertTrue(other_rules)
        self.assertFalse(
            Rule.with_user(self.salesman).search([("id", "in", other_rules.ids)])
        )

    def test_cron_recomputes(self):
        cron = self.env.ref("crm_segmentation.ir_cron_cross_sell")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertEqual(
            self.customers[2].segment_cross_sell_ids.product_id, self.p2 + self.p3
        )
        # The other company's baskets give it its own rule P2 -> P4 (customer C3).
        self.assertTrue(
            self.env["crm.cross.sell.rule"].search_count(
                [("company_id", "=", self.other_company.id)]
            )
        )
