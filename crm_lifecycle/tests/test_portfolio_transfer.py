# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestPortfolioTransfer(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.successor = cls.env["res.users"].create(
            {
                "name": "Sue Successor",
                "login": "lc_successor",
                "group_ids": [
                    Command.link(cls.env.ref("sales_team.group_sale_salesman").id)
                ],
            }
        )
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Mia Manager",
                "login": "lc_manager",
                "group_ids": [
                    Command.link(cls.env.ref("sales_team.group_sale_manager").id)
                ],
            }
        )

    def test_transfer_moves_everything_and_logs_it(self):
        lead = self._lead(user_id=self.salesman.id)
        won_lead = self._lead(user_id=self.salesman.id, name="Won deal")
        won_lead.action_set_won()
        quotation = self._order(confirm=False)
        order = self._order()
        invoiced = self._order()
        self._invoice(invoiced)
        activity = self.customer.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.salesman.id
        )
        other_customer = self.env["res.partner"].create(
            {"name": "Not Sam's", "user_id": self.manager.id}
        )

        form = Form(self.env["crm.portfolio.transfer"].with_user(self.manager))
        form.from_user_id = self.salesman
        form.to_user_id = self.successor
        form.note = "Sam left the company"
        self.assertEqual(form.partner_count, 2, "the customer and its contact")
        self.assertEqual(form.lead_count, 1)
        self.assertEqual(form.order_count, 2)
        self.assertEqual(form.activity_count, 1)
        wizard = form.save()
        wizard.action_transfer()

        self.assertEqual(self.customer.user_id, self.successor)
        self.assertEqual(lead.user_id, self.successor)
        self.assertEqual(won_lead.user_id, self.salesman, "closed deals stay")
        self.assertEqual((quotation | order).user_id, self.successor)
        self.assertEqual(invoiced.user_id, self.salesman, "fully invoiced orders stay")
        self.assertEqual(activity.user_id, self.successor)
        self.assertEqual(self.contact.user_id, self.successor)
        self.assertEqual(other_customer.user_id, self.manager)
        log = self.customer.message_ids[0]
        self.assertIn("Sam Salesman", log.body)
        self.assertIn("Sue Successor", log.body)
        self.assertIn("Sam left the company", log.body)

    def test_transfer_filters_by_stage(self):
        self._order()
        prospect = self.env["res.partner"].create(
            {"name": "Prospect", "is_company": True, "user_id": self.salesman.id}
        )
        self._lead(partner=prospect, user_id=False)
        wizard = self.env["crm.portfolio.transfer"].create(
            {
                "from_user_id": self.salesman.id,
                "to_user_id": self.successor.id,
                "stage_ids": [Command.set(self.stages["possible"].ids)],
                "transfer_orders": False,
            }
        )
        wizard.action_transfer()
        self.assertEqual(prospect.user_id, self.successor)
        self.assertEqual(self.customer.user_id, self.salesman)

    def test_transfer_filters_by_the_stage_of_its_company(self):
        """A customer shared by the companies has a stage in each: the wizard
        selects by the stage in its company, from whichever company it runs."""
        self._order()  # new customer in this company
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.customer.with_company(company_b).lifecycle_stage_id = self.stages["lost"]
        wizard = (
            self.env["crm.portfolio.transfer"]
            .with_company(company_b)
            .create(
                {
                    "from_user_id": self.salesman.id,
                    "to_user_id": self.successor.id,
                    "company_id": self.env.company.id,
                    "stage_ids": [Command.set(self.stages["lost"].ids)],
                    "transfer_orders": False,
                }
            )
        )
        partners, *_rest = wizard._get_records()
        self.assertFalse(partners, "lost in company B only")
        wizard.company_id = company_b
        partners, *_rest = wizard._get_records()
        self.assertEqual(partners, self.customer | self.contact)

    def test_nothing_to_transfer(self):
        wizard = self.env["crm.portfolio.transfer"].create(
            {"from_user_id": self.successor.id, "to_user_id": self.salesman.id}
        )
        with self.assertRaises(UserError):
            wizard.action_transfer()
        wizard.to_user_id = self.successor
        with self.assertRaises(UserError):
            wizard.action_transfer()
