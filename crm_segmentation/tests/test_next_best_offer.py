# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestNextBestOffer(TransactionCase):
    """The next best offer from real confirmed orders: expected value, the
    customer's offers, the call list of a salesperson, the quotation.

    Customer baskets (5 customers): C1 {desk, lamp, chair}, C2 {desk, lamp},
    C3 {desk}, C4 {desk, chair}, C5 {lamp}. Buyers: desk 4, lamp 3, chair 2.
    Confirmed lines: desk 100 each; lamp 30 (C1), 90 (C2, 3 units), 30 (C5):
    average 50; chair 200 (C1), 400 (C4, 2 units): average 300.
    Rules (confidence, lift): desk->lamp (.5, .833), desk->chair (.5, 1.25),
    lamp->desk (2/3, .833), lamp->chair (1/3, .833), chair->desk (1, 1.25),
    chair->lamp (.5, .833).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "segment_cross_sell_min_customers": 1,
                "segment_cross_sell_min_support": 1.0,
                "segment_cross_sell_min_confidence": 10.0,
                "segment_cross_sell_limit": 5,
            }
        )
        cls.other_company = cls.env["res.company"].create(
            {"name": "NBO Other Co", "segment_cross_sell_min_customers": 1}
        )
        companies = cls.company | cls.other_company
        cls.sales1 = new_test_user(
            cls.env,
            "nbo_sales1",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=companies.ids,
        )
        cls.sales2 = new_test_user(
            cls.env, "nbo_sales2", groups="sales_team.group_sale_salesman"
        )
        cls.accountant = new_test_user(
            cls.env, "nbo_accountant", groups="account.group_account_invoice"
        )
        cls.employee = new_test_user(cls.env, "nbo_employee", groups="base.group_user")
        cls.desk, cls.lamp, cls.chair = cls.env["product.product"].create(
            [
                {"name": name, "type": "service", "list_price": price}
                for name, price in (("Desk", 100.0), ("Lamp", 30.0), ("Chair", 200.0))
            ]
        )
        owners = [cls.sales1, cls.sales1, cls.sales1, cls.sales2, cls.sales1]
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"NBO C{i + 1}",
                    "is_company": True,
                    "phone": f"+3491000000{i}",
                    "user_id": owner.id,
                }
                for i, owner in enumerate(owners)
            ]
        )
        c1, c2, c3, c4, c5 = cls.customers
        cls.contact5 = cls.env["res.partner"].create(
            {"name": "C5 buyer", "parent_id": c5.id}
        )
        baskets = [
            (c1, [(cls.desk, 1, 100), (cls.lamp, 1, 30), (cls.chair, 1, 200)]),
            (c2, [(cls.desk, 1, 100), (cls.lamp, 3, 30)]),
            (c3, [(cls.desk, 1, 100)]),
            (c4, [(cls.desk, 1, 100), (cls.chair, 2, 200)]),
            (cls.contact5, [(cls.lamp, 1, 30)]),
        ]
        orders = cls.env["sale.order"].create(
            [cls._order_vals(partner, lines) for partner, lines in baskets]
        )
        orders.action_confirm()
        # invoiced and posted: the invoices change nothing to the baskets
        orders._create_invoices().action_post()
        # a quotation is no purchase
        cls.env["sale.order"].create(cls._order_vals(c3, [(cls.lamp, 10, 1000)]))
        # the other company: C3 and C4 bought desk and lamp there
        other_orders = (
            cls.env["sale.order"]
            .with_company(cls.other_company)
            .create(
                [
                    {
                        **cls._order_vals(c, [(cls.desk, 1, 10), (cls.lamp, 1, 10)]),
                        "company_id": cls.other_company.id,
                    }
                    for c in (c1, c2)
                ]
                + [
                    {
                        **cls._order_vals(c3, [(cls.desk, 1, 10)]),
                        "company_id": cls.other_company.id,
                    }
                ]
            )
        )
        other_orders.action_confirm()
        cls.env["crm.cross.sell.rule"]._recompute(companies)
        cls.Suggestion = cls.env["crm.cross.sell.suggestion"]

    @classmethod
    def _order_vals(cls, partner, lines):
        return {
            "partner_id": partner.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": qty,
                        "price_unit": price,
                        "tax_ids": [],
                    }
                )
                for product, qty, price in lines
            ],
        }

    def _offers(self, partner, user=None):
        partner = partner.with_user(user) if user else partner
        return [
            (s.product_id, round(s.score, 3), round(s.confidence, 4), s.expected_value)
            for s in partner.segment_next_offer_ids
        ]

    def test_expected_value_is_confidence_times_the_typical_line(self):
        c1, c2, c3, c4, c5 = self.customers
        # C3 bought the desk: the chair (lift 1.25, .5 x 300) before the lamp
        # (lift .833, .5 x 50)
        self.assertEqual(
            self._offers(c3, self.sales1),
            [(self.chair, 1.25, 0.5, 150.0), (self.lamp, 0.833, 0.5, 25.0)],
        )
        # C5 bought the lamp: by lift the desk comes first (2/3 against 1/3 at
        # the same lift), by expected value the chair (1/3 x 300 = 100 against
        # 2/3 x 100 = 66.67): the offers are ordered by expected value
        self.assertEqual(
            self._offers(c5, self.sales1),
            [(self.chair, 0.833, 0.3333, 100.0), (self.desk, 0.833, 0.6667, 66.67)],
        )
        by_rank = c5.segment_cross_sell_ids.sorted("sequence").product_id
        self.assertEqual(by_rank, self.desk + self.chair)
        # a contact shows its company's offers
        self.assertEqual(
            self.contact5.with_user(self.sales1).segment_next_offer_ids,
            c5.with_user(self.sales1).segment_next_offer_ids,
        )
        # C2 (desk, lamp): the chair, the best confidence of desk->chair (.5)
        self.assertEqual(self._offers(c2), [(self.chair, 1.25, 0.5, 150.0)])
        self.assertEqual(self._offers(c4), [(self.lamp, 0.833, 0.5, 25.0)])
        self.assertFalse(c1.segment_next_offer_ids)
        # one best offer per customer, the highest expected value
        best = self.Suggestion.search(
            [("is_best_offer", "=", True), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            {(s.partner_id, s.product_id) for s in best},
            {(c2, self.chair), (c3, self.chair), (c4, self.lamp), (c5, self.chair)},
        )

    def test_call_list_of_a_salesperson(self):
        """The call list: the salesperson's customers (the default filter),
        each with its best offer, the highest expected value first."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_segmentation.crm_cross_sell_offer_action"
        )
        self.assertEqual(action["mobile_view_mode"], "kanban")
        self.assertIn("search_default_my_customers", action["context"])
        c1, c2, c3, c4, c5 = self.customers
        # the web client reads with the companies selected in the switcher
        Suggestion = self.Suggestion.with_user(self.sales1).with_company(self.company)
        calls = Suggestion.search(
            [("is_best_offer", "=", True), ("user_id", "=", self.sales1.id)],
            order="expected_value desc",
        )
        self.assertEqual(calls.mapped("expected_value"), [150.0, 150.0, 100.0])
        self.assertEqual(set(calls[:2].partner_id), {c2, c3})
        self.assertEqual(calls[2].partner_id, c5)
        self.assertEqual(calls[2].phone, c5.phone)
        # the other salesperson's list
        calls = self.Suggestion.with_user(self.sales2).search(
            [("is_best_offer", "=", True), ("user_id", "=", self.sales2.id)]
        )
        self.assertEqual(calls.partner_id, c4)
        # log the call from the list: the quick-log dialog of the customer
        log = calls.action_log_call()
        self.assertEqual(log["res_model"], "crm.interaction")
        self.assertEqual(log["context"]["default_partner_id"], c4.id)
        self.assertEqual(log["context"]["default_interaction_type"], "call")

    def test_quotation_from_suggestions(self):
        c1, c2, c3, c4, c5 = self.customers
        # one tap on the customer: its offers, best expected value first
        action = c3.with_user(self.sales1).action_segment_quotation_from_offers()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "sale.order")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, c3)
        self.assertEqual(order.company_id, self.company)
        self.assertEqual(order.user_id, self.sales1)
        self.assertEqual(order.order_line.product_id.ids, (self.chair + self.lamp).ids)
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [1.0, 1.0])
        self.assertEqual(order.amount_untaxed, 230.0)  # list prices
        # selected suggestions of two customers: one quotation each
        selected = c2.segment_next_offer_ids | c5.segment_next_offer_ids[1]
        action = selected.with_user(self.sales1).action_create_quotation()
        orders = self.env["sale.order"].search(action["domain"])
        self.assertEqual(orders.partner_id, c2 | c5)
        self.assertEqual(
            orders.filtered(lambda o: o.partner_id == c5).order_line.product_id,
            self.desk,
        )
        # a customer without suggestion: a clear message, nothing created
        count = self.env["sale.order"].search_count([])
        with self.assertRaises(UserError):
            c1.with_user(self.sales1).action_segment_quotation_from_offers()
        with self.assertRaises(UserError):
            self.Suggestion.action_create_quotation()
        self.assertEqual(self.env["sale.order"].search_count([]), count)

    def test_multi_company(self):
        """The offers of the current company only; the quotation in the
        suggestion's company; another company's suggestions out of reach."""
        c3 = self.customers[2]
        other = self.Suggestion.search([("company_id", "=", self.other_company.id)])
        # in the other company, C3 (desk) gets the lamp (desk -> lamp there)
        self.assertEqual(other.partner_id, c3)
        in_main = c3.with_user(self.sales1).segment_next_offer_ids
        self.assertEqual(in_main.company_id, self.company)
        in_other = (
            c3.with_user(self.sales1)
            .with_company(self.other_company)
            .segment_next_offer_ids
        )
        self.assertEqual(in_other, other)
        # 2 of the 3 desk buyers bought the lamp, sold 10 a line there
        self.assertEqual(in_other.expected_value, 6.67)
        action = (
            c3.with_user(self.sales1)
            .with_company(self.other_company)
            .action_segment_quotation_from_offers()
        )
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.company_id, self.other_company)
        self.assertEqual(order.order_line.product_id, self.lamp)
        # with both companies selected, the call list has both companies'
        # best offers, each quoted in its company
        calls = self.Suggestion.with_user(self.sales1).search(
            [("is_best_offer", "=", True), ("partner_id", "=", c3.id)]
        )
        self.assertEqual(calls.company_id, self.company | self.other_company)
        # a user of the main company alone does not see them
        self.assertFalse(
            self.Suggestion.with_user(self.sales2).search([("id", "in", other.ids)])
        )
        self.assertEqual(
            c3.with_user(self.sales2).segment_next_offer_ids.company_id, self.company
        )

    def test_employees_only(self):
        c3 = self.customers[2]
        # an accountant reads the offers but makes no quotation
        self.assertTrue(c3.with_user(self.accountant).segment_next_offer_ids)
        with self.assertRaises(AccessError):
            c3.with_user(self.accountant).action_segment_quotation_from_offers()
        # an employee without sales or invoicing rights reads nothing of it
        with self.assertRaises(AccessError):
            c3.with_user(self.employee).read(["segment_next_offer_ids"])
        self.assertFalse(self.Suggestion.with_user(self.employee).has_access("read"))
        # nor does the portal (tests/test_staff_only_fields.py walks every
        # field of ours over HTTP)
        portal = new_test_user(self.env, "nbo_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            c3.with_user(portal).read(["segment_next_offer_ids"])

    def test_offers_are_read_in_one_search(self):
        customers = self.customers

        def queries(partners):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            partners.with_user(self.sales1).mapped("segment_next_offer_ids.product_id")
            return self.env.cr.sql_log_count - start

        queries(customers)  # warm-up
        self.assertEqual(queries(customers[2]), queries(customers))
