# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ComplaintDocumentsCommon


@tagged("post_install", "-at_install")
class TestComplaintAccess(ComplaintDocumentsCommon):
    """Access per group, with real users of each group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_c = cls.env["res.partner"].create(
            {"name": "Prospect Without Orders", "is_company": True}
        )
        Complaint = cls.env["crm.complaint"]
        cls.c_own = Complaint.create(
            {
                "subject": "own",
                "partner_id": cls.customer_a.id,
                "team_id": cls.team.id,
                "user_id": cls.user_agent.id,
            }
        )
        cls.c_team = Complaint.create(
            {
                "subject": "team",
                "partner_id": cls.customer_a.id,
                "team_id": cls.team.id,
                "user_id": cls.user_leader.id,
                "invoice_id": cls.invoice_a.id,
            }
        )
        cls.c_other_team = Complaint.create(
            {
                "subject": "other team",
                "partner_id": cls.customer_b.id,
                "team_id": cls.team_other.id,
                "user_id": cls.user_agent_other.id,
            }
        )
        cls.c_pool = Complaint.create(
            {"subject": "unassigned", "partner_id": cls.customer_c.id, "team_id": False}
        )
        cls.c_delivery = Complaint.create(
            {
                "subject": "delivery",
                "partner_id": cls.customer_b.id,
                "team_id": cls.team_other.id,
                "user_id": cls.user_agent_other.id,
                "picking_id": cls.picking_b.id,
            }
        )
        cls.all_complaints = (
            cls.c_own + cls.c_team + cls.c_other_team + cls.c_pool + cls.c_delivery
        )

    def _visible(self, user):
        return (
            self.env["crm.complaint"]
            .with_user(user)
            .search([("id", "in", self.all_complaints.ids)])
        )

    def test_complaint_user_own_and_team(self):
        self.assertEqual(
            self._visible(self.user_agent), self.c_own + self.c_team + self.c_pool
        )
        self.assertEqual(
            self._visible(self.user_agent_other),
            self.c_other_team + self.c_pool + self.c_delivery,
        )
        # the leader of a team sees its complaints
        self.assertIn(self.c_own, self._visible(self.user_leader))
        with self.assertRaises(AccessError):
            self.c_other_team.with_user(self.user_agent).read(["subject"])
        with self.assertRaises(AccessError):
            self.c_other_team.with_user(self.user_agent).write({"subject": "x"})
        self.c_own.with_user(self.user_agent).write({"priority": "2"})
        # users create but do not delete, nor configure
        with self.assertRaises(AccessError):
            self.c_own.with_user(self.user_agent).unlink()
        with self.assertRaises(AccessError):
            self.stage_new.with_user(self.user_agent).write({"name": "Fresh"})
        with self.assertRaises(AccessError):
            self.policy_standard.with_user(self.user_agent).write(
                {"resolution_hours": 1}
            )

    def test_manager_all_and_configuration(self):
        self.assertEqual(self._visible(self.user_manager), self.all_complaints)
        self.stage_new.with_user(self.user_manager).write({"name": "Fresh"})
        self.env["crm.complaint.sla.policy"].with_user(self.user_manager).create(
            {"name": "Questions", "kind": "question", "resolution_hours": 40}
        )
        self.c_pool.with_user(self.user_manager).unlink()

    def test_salesman_reads_their_customers(self):
        self.assertEqual(self.customer_a.user_id, self.user_salesman)
        self.assertEqual(self._visible(self.user_salesman), self.c_own + self.c_team)
        self.c_own.with_user(self.user_salesman).read(["subject", "sla_status"])
        with self.assertRaises(AccessError):
            self.c_own.with_user(self.user_salesman).write({"subject": "x"})
        with self.assertRaises(AccessError):
            self.env["crm.complaint"].with_user(self.user_salesman).create(
                {"subject": "x", "partner_id": self.customer_a.id}
            )
        with self.assertRaises(AccessError):
            self.c_other_team.with_user(self.user_salesman).read(["subject"])
        # a salesperson with all documents reads everything
        self.user_salesman.group_ids += self.env.ref(
            "sales_team.group_sale_salesman_all_leads"
        )
        self.assertEqual(self._visible(self.user_salesman), self.all_complaints)
        # the counts on the customer follow the same visibility
        self.assertEqual(
            self.customer_a.with_user(self.user_salesman).complaint_count, 2
        )

    def test_accounting_reads_their_customers(self):
        # invoiced customers (A) and complaints about invoices; not customer B
        # (an order, no invoice yet) nor the prospect
        self.assertEqual(self._visible(self.user_accountant), self.c_own + self.c_team)
        with self.assertRaises(AccessError):
            self.c_delivery.with_user(self.user_accountant).read(["subject"])
        with self.assertRaises(AccessError):
            self.c_pool.with_user(self.user_accountant).read(["subject"])
        with self.assertRaises(AccessError):
            self.c_team.with_user(self.user_accountant).write({"subject": "x"})

    def test_warehouse_reads_delivery_complaints(self):
        self.assertEqual(self._visible(self.user_stock), self.c_delivery)
        with self.assertRaises(AccessError):
            self.c_delivery.with_user(self.user_stock).write({"subject": "x"})

    def test_portal_users_see_their_company_only(self):
        visible_a = self._visible(self.portal_a)
        self.assertEqual(visible_a, self.c_own + self.c_team)
        self.assertEqual(
            self._visible(self.portal_b), self.c_other_team + self.c_delivery
        )
        with self.assertRaises(AccessError):
            self.c_own.with_user(self.portal_b).read(["subject"])
        with self.assertRaises(AccessError):
            self.c_own.with_user(self.portal_a).write({"subject": "x"})
        with self.assertRaises(AccessError):
            self.env["crm.complaint"].with_user(self.portal_a).create(
                {"subject": "x", "partner_id": self.customer_a.id}
            )
        # internal analysis is not for customers
        with self.assertRaises(AccessError):
            self.c_own.with_user(self.portal_a).read(["root_cause"])

    def test_multi_company(self):
        company_2 = self.env["res.company"].create({"name": "Second Company"})
        team_2 = self.env["crm.complaint.team"].create(
            {"name": "Second desk", "company_id": company_2.id}
        )
        complaint_2 = (
            self.env["crm.complaint"]
            .with_company(company_2)
            .create(
                {
                    "subject": "in company 2",
                    "partner_id": self.customer_a.id,
                    "team_id": team_2.id,
                }
            )
        )
        self.assertEqual(complaint_2.company_id, company_2)
        Complaint = self.env["crm.complaint"].with_user(self.user_manager)
        self.assertNotIn(complaint_2, Complaint.search([]))
        with self.assertRaises(AccessError):
            complaint_2.with_user(self.user_manager).read(["subject"])
        self.user_manager.company_ids = [Command.link(company_2.id)]
        both = Complaint.with_context(
            allowed_company_ids=[self.company.id, company_2.id]
        )
        self.assertIn(complaint_2, both.search([]))
        # the company rule applies to portal users too
        self.assertFalse(
            self.env["crm.complaint"]
            .with_user(self.portal_a)
            .search([("id", "=", complaint_2.id)])
        )

    def test_new_users_of_each_group(self):
        """A plain employee sees nothing and gets no complaint menus."""
        employee = new_test_user(self.env, "cmp_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["crm.complaint"].with_user(employee).search([])
        menu = self.env.ref("crm_complaints.crm_complaint_menu")
        visible = self.env["ir.ui.menu"].with_user(employee)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
        visible = self.env["ir.ui.menu"].with_user(self.user_agent)._visible_menu_ids()
        self.assertIn(menu.id, visible)
