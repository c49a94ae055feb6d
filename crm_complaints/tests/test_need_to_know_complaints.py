# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer summary counts only the complaints its reader may open, and a
salesperson with "own documents only" knows nothing of the complaints of
another salesperson's customer through the customer record."""

from odoo.tests import new_test_user, tagged

from .common import ComplaintDocumentsCommon


@tagged("post_install", "-at_install")
class TestNeedToKnowComplaints(ComplaintDocumentsCommon):
    def test_summary_counts_what_the_reader_may_open(self):
        Complaint = self.env["crm.complaint"]
        for subject in ("Wrong price", "Late answer"):
            Complaint.create(
                {
                    "subject": subject,
                    "partner_id": self.customer_a.id,
                    "team_id": self.team.id,
                    "invoice_id": self.invoice_a.id,
                }
            )
        customer = self.customer_a
        # the warehouse opens complaints about deliveries only: none here
        stock = customer.with_user(self.user_stock)
        self.assertEqual(
            self.env["crm.complaint"]
            .with_user(self.user_stock)
            .search_count([("commercial_partner_id", "=", customer.id)]),
            0,
        )
        self.assertNotIn("open complaint", stock.lifecycle_summary_html or "")
        # the accountant opens them all: the summary says so
        accountant = customer.with_user(self.user_accountant)
        self.assertIn("2 open complaint(s)", accountant.lifecycle_summary_html)
        # one about the delivery: the warehouse sees that one
        Complaint.create(
            {
                "subject": "Broken leg",
                "partner_id": self.customer_a.id,
                "team_id": self.team.id,
                "picking_id": self.picking_a.id,
            }
        )
        customer.invalidate_recordset()
        self.assertIn(
            "1 open complaint(s)",
            customer.with_user(self.user_stock).lifecycle_summary_html,
        )

    def test_own_documents_salesperson_and_another_customer(self):
        colleague = new_test_user(
            self.env, "ntk_cmp_colleague", groups="sales_team.group_sale_salesman"
        )
        self.customer_b.user_id = colleague
        self.env["crm.complaint"].create(
            {
                "subject": "Missing screws",
                "partner_id": self.customer_b.id,
                "team_id": self.team.id,
            }
        )
        other = self.customer_b.with_user(self.user_salesman)
        values = other.read(["complaint_open_count", "lifecycle_summary_html"])[0]
        self.assertFalse(values["complaint_open_count"])
        self.assertFalse(values["lifecycle_summary_html"])
        found = (
            self.env["res.partner"]
            .with_user(self.user_salesman)
            .search([("complaint_recent_count", ">", 0)])
        )
        self.assertNotIn(self.customer_b, found)

    def test_customer_service_knows_every_customer_it_serves(self):
        """An agent (whose group implies sales' "own documents only") reads
        the judgement and the stage history of a customer of any
        salesperson."""
        colleague = new_test_user(
            self.env, "ntk_cmp_colleague2", groups="sales_team.group_sale_salesman"
        )
        self.customer_b.user_id = colleague
        self.customer_b.lifecycle_stage_id = self.env.ref(
            "crm_lifecycle.stage_new_customer"
        )
        other = self.customer_b.with_user(self.user_agent)
        values = other.read(["lifecycle_stage_id", "lifecycle_summary_html"])[0]
        self.assertTrue(values["lifecycle_stage_id"])
        self.assertTrue(values["lifecycle_summary_html"])
        self.assertTrue(
            self.env["crm.lifecycle.history"]
            .with_user(self.user_agent)
            .search([("partner_id", "=", self.customer_b.id)])
        )
