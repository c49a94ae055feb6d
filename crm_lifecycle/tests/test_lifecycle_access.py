# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestLifecycleAccess(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            "lc_accountant",
            groups="base.group_partner_manager,account.group_account_invoice",
        )
        cls.stock_user = new_test_user(
            cls.env, "lc_stock", groups="base.group_user,stock.group_stock_user"
        )
        cls.other_salesman = new_test_user(
            cls.env, "lc_other_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.manager = new_test_user(
            cls.env, "lc_sales_manager", groups="sales_team.group_sale_manager"
        )
        cls.portal = new_test_user(
            cls.env, "lc_portal", groups="base.group_portal", partner_id=cls.contact.id
        )
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Deco Addict",
                "is_company": True,
                "user_id": cls.other_salesman.id,
            }
        )

    def test_accountant_reads_but_cannot_change_stages(self):
        self._order()
        customer = self.customer.with_user(self.accountant)
        self.assertEqual(customer.lifecycle_stage_id.code, "new_customer")
        self.assertTrue(customer.lifecycle_history_ids)
        self.assertEqual(customer.lifecycle_order_count, 1)
        Interaction = self.env["crm.interaction"].with_user(self.accountant)
        self.assertTrue(Interaction.search([("partner_id", "=", self.customer.id)]))
        for vals in (
            {"lifecycle_stage_id": self.stages["lost"].id},
            {"lifecycle_locked": True},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                customer.write(vals)
        self.assertEqual(self.customer.lifecycle_stage_id.code, "new_customer")
        # accountants edit the rest of the customer, and log collection calls
        customer.write({"phone": "+34 600 000 000"})
        call = Interaction.create(
            {
                "name": "Reminder of invoice INV/001",
                "partner_id": self.customer.id,
                "interaction_type": "call",
            }
        )
        self.assertEqual(call.user_id, self.accountant)
        # they configure nothing
        with self.assertRaises(AccessError):
            self.env["crm.lifecycle.stage"].with_user(self.accountant).create(
                {"name": "Mine", "code": "mine"}
            )
        with self.assertRaises(AccessError):
            self.stages["lost"].with_user(self.accountant).write({"name": "Gone"})

    def test_accountant_posting_an_invoice_moves_the_stage(self):
        order = self._order(qty=100, price=200.0)
        invoice = order.with_user(self.accountant).sudo(False)._create_invoices()
        self.assertEqual(self.customer.lifecycle_stage_id.code, "new_customer")
        invoice.with_user(self.accountant).action_post()
        self.assertEqual(self.customer.lifecycle_stage_id.code, "high_value")
        move = self.customer.lifecycle_history_ids.sorted("id")[-1]
        self.assertEqual(move.user_id, self.accountant)

    def test_portal_user_sees_none_of_it(self):
        self._order()
        self.env["crm.interaction"].create(
            {"name": "Call", "partner_id": self.customer.id}
        )
        portal_env = self.env(user=self.portal)
        for model in (
            "crm.interaction",
            "crm.lifecycle.history",
            "crm.lifecycle.stage",
            "crm.lifecycle.rule",
            "crm.lifecycle.event",
            "crm.interaction.reason",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                portal_env[model].search([])
        own = self.contact.with_user(self.portal)
        self.assertEqual(own.read(["email"])[0]["id"], self.contact.id)
        for fname in (
            "lifecycle_stage_id",
            "lifecycle_history_ids",
            "lifecycle_interaction_ids",
            "lifecycle_invoiced_amount",
            "duration_tracking",
        ):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                own.read([fname])
        with self.assertRaises(AccessError):
            own.write({"lifecycle_stage_id": self.stages["lost"].id})

    def test_stock_user_reads_the_stage_only(self):
        self._order()
        customer = self.customer.with_user(self.stock_user)
        self.assertEqual(customer.lifecycle_stage_id.code, "new_customer")
        with self.assertRaises(AccessError):
            self.env["crm.interaction"].with_user(self.stock_user).search([])
        with self.assertRaises(AccessError):
            customer.write({"lifecycle_stage_id": self.stages["lost"].id})

    def test_salesman_sees_the_interactions_of_own_customers(self):
        mine = self.env["crm.interaction"].create(
            {"name": "Call", "partner_id": self.customer.id}
        )
        theirs = self.env["crm.interaction"].create(
            {"name": "Call", "partner_id": self.other_customer.id}
        )
        visible = (
            self.env["crm.interaction"]
            .with_user(self.salesman)
            .search([("id", "in", (mine | theirs).ids)])
        )
        self.assertEqual(visible, mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.salesman).read(["name"])
        # the manager sees everything
        self.assertEqual(
            self.env["crm.interaction"]
            .with_user(self.manager)
            .search([("id", "in", (mine | theirs).ids)]),
            mine | theirs,
        )

    def test_salesman_moves_stages_but_configures_nothing(self):
        self.customer.with_user(self.salesman).write(
            {"lifecycle_stage_id": self.stages["probable"].id}
        )
        self.assertEqual(self.customer.lifecycle_stage_id.code, "probable")
        with self.assertRaises(AccessError):
            self.env["crm.lifecycle.rule"].with_user(self.salesman).create(
                {"name": "Mine", "stage_id": self.stages["lost"].id}
            )
        with self.assertRaises(AccessError):
            self.env["crm.lifecycle.stage"].with_user(self.salesman).create(
                {"name": "Mine", "code": "mine"}
            )
        rule = (
            self.env["crm.lifecycle.rule"]
            .with_user(self.manager)
            .create({"name": "Managers configure", "stage_id": self.stages["lost"].id})
        )
        self.assertTrue(rule.exists())

    def test_multi_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        user_b_only = new_test_user(
            self.env,
            "lc_salesman_b",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        in_a = self.env["crm.interaction"].create(
            {"name": "Call in A", "partner_id": self.customer.id}
        )
        in_b = (
            self.env["crm.interaction"]
            .with_company(company_b)
            .create({"name": "Call in B", "partner_id": self.customer.id})
        )
        self.assertEqual(in_b.company_id, company_b)
        visible = (
            self.env["crm.interaction"]
            .with_user(user_b_only)
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(visible, in_b)
        with self.assertRaises(AccessError):
            in_a.with_user(user_b_only).read(["name"])
