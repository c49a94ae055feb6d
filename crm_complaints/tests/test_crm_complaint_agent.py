# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a service agent meets first (issue 22): a credit note for the amount
claimed that resolves the complaint and says what it grants, a paused SLA that
does not read as breached, an acknowledgement whose deadline names its time
zone, a new complaint titled "New", the product of a one-product delivery, a
kanban card whose status leaves the corner to the card menu."""

from datetime import datetime

import pytz
from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import format_datetime

from .common import CALENDAR_TZ, ComplaintDocumentsCommon

# Tuesday 13 January 2026, 09:00 in Madrid
TUESDAY_MORNING = datetime(2026, 1, 13, 8, 0)


@tagged("post_install", "-at_install")
class TestComplaintCreditNote(ComplaintDocumentsCommon):
    def _reversal_wizard(self, complaint, **changes):
        action = complaint.with_user(self.user_accountant).action_credit_note()
        form = Form(
            self.env["account.move.reversal"]
            .with_user(self.user_accountant)
            .with_context(**action["context"])
        )
        for fname, value in changes.items():
            setattr(form, fname, value)
        return form.save()

    def test_credit_for_the_amount_claimed(self):
        self.assertGreater(self.invoice_a.amount_total, 50.0)
        complaint = self._create_complaint(
            invoice_id=self.invoice_a.id, amount_claimed=50.0
        )
        wizard = self._reversal_wizard(complaint)
        # the amount claimed is offered, not the whole invoice
        self.assertEqual(wizard.complaint_refund_method, "claimed")
        self.assertEqual(wizard.complaint_refund_amount, 50.0)
        result = wizard.refund_moves()
        note = self.env["account.move"].browse(result["res_id"])
        self.assertEqual(note.move_type, "out_refund")
        self.assertEqual(note.reversed_entry_id, self.invoice_a)
        self.assertEqual(note.state, "draft")
        self.assertEqual(len(note.invoice_line_ids), 1)
        self.assertIn(complaint.name, note.invoice_line_ids.name)
        # taxes included, the credit note is the amount
        self.assertAlmostEqual(note.amount_total, 50.0, delta=0.01)
        self.assertAlmostEqual(complaint.amount_granted, 50.0, delta=0.01)
        note.action_post()
        self.assertAlmostEqual(complaint.amount_refunded, 50.0, delta=0.01)
        # the chatter says what was granted against what was claimed
        bodies = complaint.message_ids.mapped("body")
        self.assertTrue(
            any(note.name in b or "drafted" in b for b in bodies if "50.00" in b),
            bodies,
        )
        # resolved: the first closed stage (not the customer's closing one)
        self.assertEqual(complaint.stage_id, self.stage_resolved)
        self.assertTrue(complaint.date_closed)
        self.assertIn("50.00", complaint.resolution)

    def test_whole_invoice_says_it_exceeds_the_claim(self):
        complaint = self._create_complaint(
            invoice_id=self.invoice_a.id, amount_claimed=10.0
        )
        wizard = self._reversal_wizard(complaint, complaint_refund_method="full")
        note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        self.assertEqual(note.amount_total, self.invoice_a.amount_total)
        self.assertEqual(complaint.amount_granted, self.invoice_a.amount_total)
        self.assertTrue(
            any(
                "more than the amount claimed" in (body or "")
                for body in complaint.message_ids.mapped("body")
            )
        )

    def test_amount_beyond_the_invoice_is_refused(self):
        complaint = self._create_complaint(
            invoice_id=self.invoice_a.id, amount_claimed=10.0
        )
        wizard = self._reversal_wizard(
            complaint, complaint_refund_amount=self.invoice_a.amount_total + 1
        )
        with self.assertRaises(UserError):
            wizard.refund_moves()
        wizard.complaint_refund_amount = 0.0
        with self.assertRaises(UserError):
            wizard.refund_moves()
        with self.assertRaises(UserError):
            wizard.complaint_refund_amount = 5.0
            wizard.modify_moves()
        self.assertFalse(complaint.credit_note_ids)
        self.assertEqual(complaint.stage_id, self.stage_new)

    def test_credit_note_resumes_a_paused_complaint_into_resolved(self):
        complaint = self._create_complaint(
            invoice_id=self.invoice_a.id, amount_claimed=20.0
        )
        complaint.stage_id = self.stage_waiting
        self.assertTrue(complaint.date_paused)
        self._reversal_wizard(complaint).refund_moves()
        self.assertEqual(complaint.stage_id, self.stage_resolved)
        self.assertFalse(complaint.date_paused)
        self.assertIn(complaint.sla_status, ("met", "breached"))


@tagged("post_install", "-at_install")
class TestComplaintPausedStatus(ComplaintDocumentsCommon):
    def test_paused_is_not_breached(self):
        with freeze_time(TUESDAY_MORNING):
            complaint = self._create_complaint(priority="3")
        # Urgent: 1 working hour to answer; waiting on the customer at 14:00,
        # after the deadline
        with freeze_time(datetime(2026, 1, 13, 13, 0)):
            self.env["crm.complaint"]._sla_process_due()
            self.assertEqual(complaint.sla_status, "breached")
            complaint.stage_id = self.stage_waiting
            self.env.flush_all()
            self.assertEqual(complaint.sla_status, "paused")
            self.assertFalse(
                self.env["crm.complaint"].search(
                    [("id", "=", complaint.id), ("sla_status", "=", "breached")]
                )
            )
        # the customer answers: the clock runs again, the breach is back
        with freeze_time(datetime(2026, 1, 14, 9, 0)):
            complaint.stage_id = self.stage_progress
            self.env.flush_all()
            self.assertEqual(complaint.sla_status, "breached")


@tagged("post_install", "-at_install")
class TestComplaintAcknowledgementTimeZone(ComplaintDocumentsCommon):
    def test_deadline_in_the_customers_zone_named(self):
        self.customer_a.tz = False
        with freeze_time(TUESDAY_MORNING):
            complaint = self._create_complaint()
        message = complaint.message_ids.filtered(
            lambda m: complaint.name in (m.subject or "")
        )
        self.assertEqual(len(message), 1)
        deadline = complaint.sla_resolution_deadline
        # no zone of their own: the team's working hours' (Madrid, UTC+1)
        self.assertEqual(complaint._complaint_customer_tz(), CALENDAR_TZ)
        expected = format_datetime(
            self.env, deadline, tz=CALENDAR_TZ, dt_format="medium"
        )
        self.assertIn(expected, message.body)
        self.assertIn(CALENDAR_TZ, message.body)
        # the same instant as the SLA tab (stored in UTC)
        local = pytz.utc.localize(deadline).astimezone(pytz.timezone(CALENDAR_TZ))
        self.assertEqual(local.utcoffset().total_seconds(), 3600)
        # the customer's own zone wins
        self.customer_a.tz = "America/New_York"
        self.assertEqual(complaint._complaint_customer_tz(), "America/New_York")

    def test_acknowledgement_is_in_the_portal_conversation(self):
        complaint = self._create_complaint()
        ack = complaint.message_ids.filtered(
            lambda m: complaint.name in (m.subject or "")
        )
        self.assertEqual(ack.message_type, "auto_comment")
        self.assertEqual(ack.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertFalse(ack.is_internal)
        self.assertIn(ack, complaint.website_message_ids)
        # an acknowledgement is no first response
        self.assertFalse(complaint.date_first_response)


@tagged("post_install", "-at_install")
class TestComplaintFormDefaults(ComplaintDocumentsCommon):
    def test_new_complaint_is_titled_new(self):
        form = Form(self.env["crm.complaint"].with_user(self.user_agent))
        self.assertEqual(form.name, "New")
        form.subject = "Broken chair"
        form.partner_id = self.customer_a
        complaint = form.save()
        self.assertTrue(complaint.name.startswith("CMP"), complaint.name)

    def test_one_product_delivery_fills_the_product(self):
        form = Form(self.env["crm.complaint"].with_user(self.user_agent))
        form.subject = "Broken chair"
        form.partner_id = self.customer_a
        form.picking_id = self.picking_a
        self.assertEqual(form.product_id, self.product)
        # a product chosen by hand is kept
        other = self.env["product.product"].create({"name": "Desk"})
        form.product_id = other
        form.picking_id = self.env["stock.picking"]
        form.picking_id = self.picking_a
        self.assertEqual(form.product_id, other)

    def test_kanban_status_leaves_the_menu_corner(self):
        arch = self.env["crm.complaint"].get_view(view_type="kanban")["arch"]
        card = etree.fromstring(arch).xpath("//t[@t-name='card']")[0]
        badge = card.xpath(".//field[@name='sla_status']")[0]
        name = card.xpath(".//field[@name='name']")[0]
        # not on the first line, beside the reference (under the card menu)
        self.assertNotEqual(badge.getparent(), name.getparent())
        self.assertIs(name.getparent(), card)
