# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ComplaintDocumentsCommon


@tagged("post_install", "-at_install")
class TestComplaintResolution(ComplaintDocumentsCommon):
    """Credit notes with the real reversal wizard, returns with the real return
    wizard, replacement quotations; amounts tracked on the complaint."""

    def test_documents_filled_and_checked(self):
        complaint = self._create_complaint(
            picking_id=self.picking_a.id, amount_claimed=240.0
        )
        # the order comes from the delivery
        self.assertEqual(complaint.sale_order_id, self.order_a)
        line = self.order_a.order_line
        complaint.sale_line_id = line
        self.assertEqual(complaint.product_id, self.product)
        # documents of another customer are refused
        with self.assertRaises(ValidationError):
            self._create_complaint(sale_order_id=self.order_b.id)
        with self.assertRaises(ValidationError):
            self._create_complaint(picking_id=self.picking_b.id)
        # an incoming transfer is not a delivery
        receipt_type = self.picking_a.picking_type_id.warehouse_id.in_type_id
        receipt = self.env["stock.picking"].create(
            {"picking_type_id": receipt_type.id, "partner_id": self.customer_a.id}
        )
        with self.assertRaises(ValidationError):
            complaint.picking_id = receipt
        # the customer comes from the document when not given
        orphan = self.env["crm.complaint"].create(
            {"subject": "From the invoice", "invoice_id": self.invoice_a.id}
        )
        self.assertEqual(orphan.partner_id, self.invoice_a.partner_id)

    def test_credit_note_with_the_reversal_wizard(self):
        complaint = self._create_complaint(
            invoice_id=self.invoice_a.id, amount_claimed=120.0
        )
        action = complaint.with_user(self.user_accountant).action_credit_note()
        self.assertEqual(action["res_model"], "account.move.reversal")
        wizard = Form(
            self.env["account.move.reversal"]
            .with_user(self.user_accountant)
            .with_context(**action["context"])
        )
        self.assertIn(complaint.name, wizard.reason)
        # the amount claimed is offered; here the whole invoice, as core does
        self.assertEqual(wizard.complaint_refund_method, "claimed")
        wizard.complaint_refund_method = "full"
        wizard = wizard.save()
        self.assertEqual(wizard.complaint_id, complaint)
        self.assertEqual(wizard.move_ids, self.invoice_a)
        result = wizard.refund_moves()
        credit_note = self.env["account.move"].browse(result["res_id"])
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.reversed_entry_id, self.invoice_a)
        self.assertEqual(complaint.credit_note_ids, credit_note)
        self.assertEqual(complaint.credit_note_count, 1)
        self.assertEqual(complaint.amount_refunded, self.invoice_a.amount_total)
        self.assertEqual(complaint.amount_granted, self.invoice_a.amount_total)
        # cancelling the credit note takes it out of the amounts
        credit_note.button_cancel()
        self.assertEqual(complaint.amount_refunded, 0.0)
        # a complaint with a credit note cannot be deleted
        with self.assertRaises(UserError):
            complaint.unlink()

    def test_credit_note_needs_a_posted_invoice(self):
        complaint = self._create_complaint()
        with self.assertRaises(UserError):
            complaint.action_credit_note()

    def test_return_with_the_return_wizard(self):
        complaint = self._create_complaint(picking_id=self.picking_a.id)
        self.assertEqual(self.picking_a.state, "done")
        action = complaint.with_user(self.user_stock).action_return()
        wizard = Form(
            self.env["stock.return.picking"]
            .with_user(self.user_stock)
            .with_context(**action["context"])
        )
        with wizard.product_return_moves.edit(0) as line:
            line.quantity = 1
        wizard = wizard.save()
        self.assertEqual(wizard.complaint_id, complaint)
        result = wizard.action_create_returns()
        return_picking = self.env["stock.picking"].browse(result["res_id"])
        self.assertEqual(return_picking.return_id, self.picking_a)
        self.assertEqual(return_picking.picking_type_code, "incoming")
        self.assertEqual(return_picking.move_ids.product_uom_qty, 1)
        self.assertEqual(complaint.return_picking_ids, return_picking)
        self.assertEqual(complaint.return_picking_count, 1)
        # the return is validated like any receipt
        return_picking.move_ids.quantity = 1
        return_picking.button_validate()
        self.assertEqual(return_picking.state, "done")

    def test_return_needs_a_done_delivery(self):
        complaint = self._create_complaint(
            partner_id=self.customer_b.id, picking_id=self.picking_b.id
        )
        with self.assertRaises(UserError):
            complaint.action_return()

    def test_replacement_quotation(self):
        complaint = self._create_complaint(
            sale_order_id=self.order_a.id, product_id=self.product.id
        )
        action = complaint.action_replacement_quotation()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, self.customer_a)
        self.assertEqual(order.complaint_origin_id, complaint)
        self.assertEqual(order.origin, complaint.name)
        self.assertEqual(order.order_line.product_id, self.product)
        self.assertEqual(order.order_line.product_uom_qty, 2)
        self.assertEqual(order.order_line.discount, 100.0)
        self.assertEqual(order.amount_total, 0.0)
        self.assertEqual(complaint.replacement_order_ids, order)
        self.assertEqual(complaint.amount_replaced, 240.0)
        self.assertEqual(complaint.amount_granted, 240.0)
        order.action_confirm()
        self.assertEqual(order.picking_ids.picking_type_code, "outgoing")
        order._action_cancel()
        self.assertEqual(complaint.amount_replaced, 0.0)
