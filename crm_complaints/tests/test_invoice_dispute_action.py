# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An invoice has a "Dispute" action of its own: an accountant records that
the customer contests it, customer service gets the claim, collections stop."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ComplaintDocumentsCommon


@tagged("post_install", "-at_install")
class TestInvoiceDisputeAction(ComplaintDocumentsCommon):
    def _wizard(self, invoice, user):
        action = self.env.ref("crm_complaints.account_move_dispute_action")
        self.assertEqual(action.res_model, "account.move.dispute")
        return Form(
            self.env["account.move.dispute"]
            .with_user(user)
            .with_context(active_id=invoice.id, active_model="account.move")
        )

    def test_accountant_disputes_an_invoice(self):
        invoice = self.invoice_a
        form = self._wizard(invoice, self.user_accountant)
        self.assertEqual(form.amount_claimed, invoice.amount_residual)
        self.assertIn(invoice.name, form.subject)
        form.subject = "The chairs were billed twice"
        form.amount_claimed = 150.0
        wizard = form.save()
        action = wizard.action_dispute()
        complaint = self.env["crm.complaint"].search([("invoice_id", "=", invoice.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.kind, "claim")
        self.assertEqual(complaint.amount_claimed, 150.0)
        self.assertEqual(complaint.commercial_partner_id, self.customer_a)
        self.assertEqual(complaint.company_id, invoice.company_id)
        self.assertTrue(complaint.team_id)
        # the accountant reads the claim it filed
        self.assertEqual(action["res_id"], complaint.id)
        complaint.with_user(self.user_accountant).read(["name"])
        # the invoice is disputed: out of the follow-up, said in its chatter
        self.assertTrue(invoice.complaint_disputed)
        self.assertTrue(invoice.no_followup)
        self.assertIn(complaint.name, invoice.message_ids[:1].body)
        # a second dispute while the first is open is refused
        with self.assertRaises(UserError):
            self._wizard(invoice, self.user_accountant).save().action_dispute()
        self.assertEqual(
            self.env["crm.complaint"].search_count([("invoice_id", "=", invoice.id)]),
            1,
        )

    def test_bad_input_changes_nothing(self):
        invoice = self.invoice_a
        wizard = self._wizard(invoice, self.user_accountant).save()
        wizard.amount_claimed = invoice.amount_total + 1
        with self.assertRaises(UserError):
            wizard.action_dispute()
        wizard.amount_claimed = -5
        with self.assertRaises(UserError):
            wizard.action_dispute()
        draft = invoice.copy()
        self.assertEqual(draft.state, "draft")
        with self.assertRaises(UserError):
            self._wizard(draft, self.user_accountant).save().action_dispute()
        self.assertFalse(
            self.env["crm.complaint"].search(
                [("invoice_id", "in", (invoice | draft).ids)]
            )
        )
        self.assertFalse(invoice.complaint_disputed)

    def test_who_may_dispute(self):
        # the warehouse does not dispute invoices
        with self.assertRaises(AccessError):
            self.env["account.move.dispute"].with_user(self.user_stock).create(
                {"move_id": self.invoice_a.id, "subject": "No"}
            )
        # an invoice of another company is out of reach
        other_company = self.env["res.company"].create({"name": "Dispute Co B"})
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=other_company, install_demo=False
        )
        self.user_accountant.company_ids = self.env.company
        invoice_b = (
            self.env["account.move"]
            .with_company(other_company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer_b.id,
                    "company_id": other_company.id,
                    "invoice_line_ids": [
                        (0, 0, {"name": "Service", "quantity": 1, "price_unit": 100})
                    ],
                }
            )
        )
        invoice_b.action_post()
        wizard = (
            self.env["account.move.dispute"]
            .with_user(self.user_accountant)
            .create({"move_id": invoice_b.id, "subject": "Not mine"})
        )
        with self.assertRaises(AccessError):
            wizard.action_dispute()
        self.assertFalse(
            self.env["crm.complaint"].search([("invoice_id", "=", invoice_b.id)])
        )
