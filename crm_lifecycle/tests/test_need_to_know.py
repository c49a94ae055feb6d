# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Need to know inside the company, as a table exercised over JSON-RPC with
real users of each profile: profile x field group x own/other customer ->
read (the value), hidden (read but empty) or denied (AccessError).

- money: what a customer owes, pays and is invoiced (accounting users and
  salespeople only; a salesperson with "own documents only" for its own
  customers only);
- judgement: stage and the customer summary (every employee, but a
  salesperson with "own documents only" for its own customers only; the
  summary shows each department its part);
- history: the stage history and the timeline (sales and accounting, as their
  access rights; "own documents only" for its own customers only).
"""

from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import SALESMAN, BrowserTourCase, JsonRpcMixin, LifecycleCommon

MONEY = (
    "lifecycle_receivable_amount",
    "lifecycle_overdue_amount",
    "lifecycle_invoiced_amount",
    "lifecycle_paid_amount",
)
# with crm_segmentation (installed with the suite): the predicted value and the
# monetary figure are money too, the scores judgement
SEGMENTATION = {
    "money": {"rfm_monetary": 800.0, "clv_value": 500.0},
    "judgement": {"rfm_frequency": 1, "rfm_score": "111"},
}
JUDGEMENT = ("lifecycle_stage_id", "lifecycle_summary_html")
HISTORY = ("lifecycle_history_ids", "lifecycle_interaction_ids")
R, H, D = "read", "hidden", "denied"
OUR_ADDONS = ("crm_lifecycle", "crm_segmentation", "crm_complaints")
# profile -> {field group: (own customer, other customer)}
TABLE = {
    "warehouse": {"money": (D, D), "judgement": (R, R), "history": (D, D)},
    "employee": {"money": (D, D), "judgement": (R, R), "history": (D, D)},
    "salesman_own_docs": {"money": (R, H), "judgement": (R, H), "history": (R, H)},
    "salesman_all_docs": {"money": (R, R), "judgement": (R, R), "history": (R, R)},
    "sales_manager": {"money": (R, R), "judgement": (R, R), "history": (R, R)},
    "accountant": {"money": (R, R), "judgement": (R, R), "history": (R, R)},
}
PROFILES = {
    "warehouse": "base.group_user,stock.group_stock_user",
    "employee": "base.group_user",
    "salesman_own_docs": SALESMAN,
    "salesman_all_docs": "sales_team.group_sale_salesman_all_leads",
    "sales_manager": "sales_team.group_sale_manager",
    "accountant": "base.group_user,account.group_account_invoice",
}


@tagged("post_install", "-at_install")
class TestNeedToKnow(JsonRpcMixin, LifecycleCommon, BrowserTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            profile: new_test_user(
                cls.env, f"ntk_{profile}", password=f"ntk_{profile}", groups=groups
            )
            for profile, groups in PROFILES.items()
        }
        cls.reader = cls.users["salesman_own_docs"]
        cls.colleague = new_test_user(cls.env, "ntk_colleague", groups=SALESMAN)
        cls.own = cls.customer
        cls.own.user_id = cls.reader
        cls.other = cls.env["res.partner"].create(
            {"name": "Colleague's Customer", "is_company": True}
        )
        cls.other.user_id = cls.colleague
        cls.today = fields.Date.context_today(cls.env.user)

    def setUp(self):
        super().setUp()
        for customer in (self.own, self.other):
            invoice = self._order(partner=customer, price=1000.0)._create_invoices()
            invoice.invoice_date = self.today - timedelta(days=60)
            invoice.invoice_date_due = self.today - timedelta(days=30)
            invoice.action_post()
            self._pay(invoice, amount=200.0)
            self.assertEqual(customer.lifecycle_overdue_amount, 800.0)
            self.assertTrue(customer.lifecycle_stage_id)
            self.assertTrue(customer.lifecycle_history_ids)
            if "rfm_monetary" in customer._fields:
                customer.write(
                    {
                        fname: value
                        for values in SEGMENTATION.values()
                        for fname, value in values.items()
                    }
                )

    def _access(self, partner, fnames):
        reply = self._rpc("res.partner", "read", [partner.ids, list(fnames)])
        if "error" in reply:
            self.assertIn("AccessError", reply["error"]["data"]["name"], reply)
            return D
        values = reply["result"][0]
        if any(values[fname] for fname in fnames):
            # a group is read when all of it is (money is never half hidden)
            self.assertTrue(all(values[fname] for fname in fnames), values)
            return R
        return H

    def test_need_to_know_table(self):
        groups = {"money": MONEY, "judgement": JUDGEMENT, "history": HISTORY}
        if "rfm_monetary" in self.env["res.partner"]._fields:
            for group, values in SEGMENTATION.items():
                groups[group] += tuple(values)
        for profile, expected in TABLE.items():
            user = self.users[profile]
            self.authenticate(user.login, user.login)
            for group, (own, other) in expected.items():
                with self.subTest(profile=profile, group=group):
                    self.assertEqual(self._access(self.own, groups[group]), own)
                    self.assertEqual(self._access(self.other, groups[group]), other)
            # what core shows of the customer, everyone reads
            reply = self._rpc("res.partner", "read", [self.other.ids, ["name"]])
            self.assertEqual(reply["result"][0]["name"], "Colleague's Customer")

    def test_own_documents_salesperson_cannot_search_or_sum_others(self):
        Partner = self.env["res.partner"].with_user(self.reader)
        found = Partner.search([("lifecycle_overdue_amount", ">", 0)])
        self.assertIn(self.own, found)
        self.assertNotIn(self.other, found)
        found = Partner.search([("lifecycle_stage_id", "!=", False)])
        self.assertNotIn(self.other, found)
        [(total,)] = Partner._read_group(
            [("id", "in", (self.own | self.other).ids)],
            aggregates=["lifecycle_overdue_amount:sum"],
        )
        self.assertEqual(total, 800.0)
        # the history of the colleague's customer is out of reach too
        History = self.env["crm.lifecycle.history"].with_user(self.reader)
        self.assertFalse(History.search([("partner_id", "=", self.other.id)]))
        self.assertTrue(History.search([("partner_id", "=", self.own.id)]))
        # a salesperson seeing all documents finds both
        everyone = self.env["res.partner"].with_user(self.users["salesman_all_docs"])
        found = everyone.search([("lifecycle_overdue_amount", ">", 0)])
        self.assertIn(self.other, found)

    def test_summary_on_documents_follows_the_same_rule(self):
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.other.id)], limit=1
        )
        # the colleague's order is out of reach of an own-documents salesperson
        # in core; an accountant reads it with the summary, the warehouse the
        # delivery side only
        summary = order.with_user(self.users["accountant"]).lifecycle_customer_summary
        self.assertIn("Overdue", summary)
        own_order = self.env["sale.order"].search(
            [("partner_id", "=", self.own.id)], limit=1
        )
        self.assertIn(
            "Overdue", own_order.with_user(self.reader).lifecycle_customer_summary
        )
        picking = self.env["stock.picking"].search(
            [("partner_id", "=", self.other.id)], limit=1
        )
        self.assertTrue(picking)
        self.assertFalse(picking.with_user(self.reader).lifecycle_customer_summary)
        stock_summary = picking.with_user(
            self.users["warehouse"]
        ).lifecycle_customer_summary
        self.assertNotIn("Overdue", stock_summary)
        self.assertNotIn("Receivable", stock_summary)

    def test_every_profile_opens_the_customer(self):
        """The customer's form, list, kanban and search load for every
        profile, and what the form asks for is readable: no view of ours asks
        a profile for a field it may not read."""
        for profile, user in self.users.items():
            Partner = self.env["res.partner"].with_user(user)
            with self.subTest(profile=profile):
                views = Partner.get_views(
                    [(False, "form"), (False, "list"), (False, "kanban")],
                    {"load_filters": False},
                )
                fields_ = self.env["res.partner"]._fields
                ours = [
                    fname
                    for fname in views["models"]["res.partner"]["fields"]
                    if fields_[fname]._module in OUR_ADDONS
                ]
                self.assertTrue(ours)
                values = (
                    (self.own | self.other)
                    .with_user(user)
                    .web_read({fname: {} for fname in ours})
                )
                self.assertEqual(len(values), 2)

    def test_history_reads_its_reason_without_rights_on_the_rules(self):
        """The stage history on the customer's form says why it moved (the rule
        by name) to an accountant, who may not read the rules themselves."""
        accountant = self.users["accountant"]
        self.assertFalse(
            self.env["crm.lifecycle.rule"].with_user(accountant).has_access("read")
        )
        values = self.own.with_user(accountant).web_read(
            {"lifecycle_history_ids": {"fields": {"reason_display": {}}}}
        )
        reasons = [
            move["reason_display"] for move in values[0]["lifecycle_history_ids"]
        ]
        self.assertTrue(any("rule" in (reason or "") for reason in reasons), reasons)
