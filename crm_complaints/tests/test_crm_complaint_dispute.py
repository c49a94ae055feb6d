# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, tagged, users, warmup

from .common import ComplaintDocumentsCommon


@tagged("post_install", "-at_install")
class TestComplaintDispute(ComplaintDocumentsCommon):
    """A complaint about an invoice disputes it for collections until closed."""

    def _receivable(self, invoice):
        return invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )

    def test_dispute_flag_on_and_off(self):
        invoice = self.invoice_a
        # end the "transaction" that created the invoice, to track its changes
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertFalse(invoice.complaint_disputed)
        self.assertFalse(self._receivable(invoice).no_followup)
        complaint = self._create_complaint(invoice_id=invoice.id)
        # disputed: visible on the invoice and the customer, filterable, and out
        # of the follow-up reminders (core's no_followup on receivable lines)
        self.assertTrue(invoice.complaint_disputed)
        self.assertTrue(all(self._receivable(invoice).mapped("no_followup")))
        self.assertTrue(invoice.no_followup)
        # the change is tracked in the invoice's chatter (at commit)
        self.env.flush_all()
        self.env.cr.precommit.run()
        invoice.invalidate_recordset(["message_ids"])
        tracked = invoice.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "complaint_disputed"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(self.customer_a.complaint_disputed_invoice_count, 1)
        self.assertEqual(self.contact_a.complaint_disputed_invoice_count, 1)
        self.assertIn(
            invoice,
            self.env["account.move"].search([("complaint_disputed", "=", True)]),
        )
        customers = self.env["res.partner"].search(
            [("complaint_disputed_invoice_count", ">", 0)]
        )
        self.assertIn(self.customer_a, customers)
        self.assertNotIn(self.customer_b, customers)
        self.assertNotIn(
            self.customer_a,
            self.env["res.partner"].search(
                [("complaint_disputed_invoice_count", "=", 0)]
            ),
        )
        # a second complaint on the same invoice; closing one keeps the dispute
        other = self._create_complaint(invoice_id=invoice.id)
        complaint.stage_id = self.stage_closed
        self.assertTrue(invoice.complaint_disputed)
        # closing the last one ends it and restores the follow-up
        other.action_close()
        self.assertFalse(invoice.complaint_disputed)
        self.assertFalse(any(self._receivable(invoice).mapped("no_followup")))
        self.customer_a.invalidate_recordset()
        self.assertEqual(self.customer_a.complaint_disputed_invoice_count, 0)
        # reopening disputes again
        other.stage_id = self.stage_progress
        self.assertTrue(invoice.complaint_disputed)
        # moving the complaint to another document releases the invoice
        other.invoice_id = False
        self.assertFalse(invoice.complaint_disputed)

    def test_accountant_exclusion_is_kept(self):
        """An invoice the accountant had already excluded from the follow-up
        stays excluded when the dispute ends."""
        invoice = self.invoice_a
        invoice.no_followup = True
        complaint = self._create_complaint(invoice_id=invoice.id)
        self.assertTrue(invoice.complaint_disputed)
        complaint.action_close()
        self.assertFalse(invoice.complaint_disputed)
        self.assertTrue(all(self._receivable(invoice).mapped("no_followup")))

    def test_question_does_not_dispute(self):
        complaint = self._create_complaint(
            invoice_id=self.invoice_a.id, kind="question"
        )
        self.assertFalse(self.invoice_a.complaint_disputed)
        complaint.kind = "claim"
        self.assertTrue(self.invoice_a.complaint_disputed)
        complaint.unlink()
        self.assertFalse(self.invoice_a.complaint_disputed)

    def test_warning_banners_on_documents(self):
        for document in (self.order_a, self.invoice_a, self.picking_a):
            self.assertEqual(document.complaint_customer_open_count, 0)
        complaint = self._create_complaint(picking_id=self.picking_a.id)
        self.env.invalidate_all()
        for document in (self.order_a, self.invoice_a, self.picking_a):
            self.assertEqual(document.complaint_customer_open_count, 1)
            # the salesperson sees the banner without complaint rights
            self.assertEqual(
                document.with_user(self.user_salesman).complaint_customer_open_count,
                1,
            )
        self.assertEqual(self.order_b.complaint_customer_open_count, 0)
        self.assertEqual(self.picking_a.complaint_count, 1)
        self.assertEqual(self.order_a.complaint_count, 1)
        action = self.order_a.action_view_customer_complaints()
        self.assertEqual(self.env["crm.complaint"].search(action["domain"]), complaint)
        # the banner is in the forms
        for document in (self.order_a, self.invoice_a, self.picking_a):
            arch = document.get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertIn("complaint_customer_open_count", arch)
        complaint.action_close()
        self.env.invalidate_all()
        self.assertEqual(self.order_a.complaint_customer_open_count, 0)

    def test_invoice_form_shows_dispute(self):
        self._create_complaint(invoice_id=self.invoice_a.id)
        form = Form(self.invoice_a)
        self.assertTrue(form.complaint_disputed)

    @users("cmp_manager")
    @warmup
    def test_partner_counts_in_constant_queries(self):
        """The complaint and dispute counts of many customers cost the same
        queries as those of a few (one grouped query each)."""
        for size in (2, 8):
            partners = self.env["res.partner"].create(
                [
                    {"name": f"Customer {index}", "is_company": True}
                    for index in range(size)
                ]
            )
            self.env["crm.complaint"].create(
                [
                    {"subject": f"C{index}", "partner_id": partner.id}
                    for index, partner in enumerate(partners)
                    for _repeat in range(2)
                ]
            )
            self.env.invalidate_all()
            with self.assertQueryCount(cmp_manager=3):
                counts = partners.mapped("complaint_count")
                opened = partners.mapped("complaint_open_count")
            self.assertEqual(counts, [2] * size)
            self.assertEqual(opened, [2] * size)
            self.env.invalidate_all()
            with self.assertQueryCount(cmp_manager=3):
                disputed = partners.mapped("complaint_disputed_invoice_count")
            self.assertEqual(disputed, [0] * size)
