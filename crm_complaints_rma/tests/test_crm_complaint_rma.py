# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_complaints.tests.common import ComplaintHttpCommon


@tagged("post_install", "-at_install")
class TestComplaintRma(ComplaintHttpCommon):
    """Real deliveries returned through the OCA RMA from a complaint: the RMA
    prefilled, received, refunded; the refund on the complaint and on the
    customer's portal page (real HTTP)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operation_refund = cls.env.ref("rma.rma_operation_refund")

    def _receive(self, rma):
        """Confirm the RMA and validate its reception (the goods came back)."""
        rma.operation_id = self.operation_refund
        rma.action_confirm()
        reception = rma.reception_move_id.picking_id
        self.assertTrue(reception, "the RMA operation creates its receipt")
        reception.move_ids.quantity = rma.product_uom_qty
        reception.move_ids.picked = True
        reception.button_validate()
        self.assertEqual(rma.state, "received")

    def test_rma_from_delivery_refund_on_complaint_and_portal(self):
        complaint = self._create_complaint(
            subject="Two chairs arrived broken", picking_id=self.picking_a.id
        )
        action = complaint.action_create_rma()
        rma = complaint.rma_ids
        self.assertEqual(len(rma), 1)
        self.assertEqual(action["res_id"], rma.id)
        self.assertEqual(rma.partner_id, self.customer_a)
        self.assertEqual(rma.picking_id, self.picking_a)
        self.assertEqual(rma.move_id, self.picking_a.move_ids)
        self.assertEqual(rma.product_id, self.product)
        self.assertEqual(rma.product_uom_qty, 2.0)
        self.assertEqual(rma.origin, complaint.name)
        self.assertEqual(rma.state, "draft")
        self.assertEqual(complaint.rma_count, 1)
        self.assertIn(rma.name, complaint.message_ids[:1].body)

        self._receive(rma)
        self.assertFalse(complaint.is_closed, "received is not the end")
        rma.action_refund()
        refund = rma.refund_id
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(rma.state, "refunded")
        # the refund is a credit note of the complaint
        self.assertEqual(refund.complaint_origin_id, complaint)
        self.assertIn(refund, complaint.credit_note_ids)
        self.assertAlmostEqual(
            complaint.amount_refunded, abs(refund.amount_total_signed)
        )
        # the only return is done: the complaint is resolved, and says how
        self.assertEqual(complaint.stage_id, complaint._resolution_stage())
        self.assertIn(rma.name, complaint.resolution)
        self.assertIn("Refunded", complaint.resolution)

        refund.action_post()
        self.authenticate("cmp_portal_a", "cmp_portal_a")
        response = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn('id="complaint_rmas"', page)
        self.assertIn(rma.name, page)
        self.assertIn("Refunded", page)
        self.assertIn(refund.name, page)
        self.assertIn(refund.get_portal_url(), page)

    def test_other_customer_sees_no_rma(self):
        complaint = self._create_complaint(picking_id=self.picking_a.id)
        complaint.action_create_rma()
        self._receive(complaint.rma_ids)
        self.authenticate("cmp_portal_b", "cmp_portal_b")
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        self.assertNotIn(complaint.rma_ids.name, page)

    def test_rma_from_lot(self):
        """A complaint about a lot, without its delivery: the RMA returns the
        quantity of that lot from the customer's delivery of it."""
        product = self.env["product.product"].create(
            {"name": "Lamp", "is_storable": True, "tracking": "lot"}
        )
        lots = self.env["stock.lot"].create(
            [{"name": name, "product_id": product.id} for name in ("L-1", "L-2")]
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, 3, lot_id=lot
            )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer_a.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 5})
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        lot = lots[1]
        lot_qty = sum(
            picking.move_line_ids.filtered(lambda line: line.lot_id == lot).mapped(
                "quantity"
            )
        )
        self.assertTrue(lot_qty)
        complaint = self._create_complaint(
            subject="Lamps of lot L-2 flicker", lot_id=lot.id, product_id=product.id
        )
        complaint.action_create_rma()
        rma = complaint.rma_ids
        self.assertEqual(len(rma), 1)
        self.assertEqual(rma.picking_id, picking)
        self.assertEqual(rma.product_id, product)
        self.assertEqual(rma.product_uom_qty, lot_qty)
        self.assertIn("L-2", rma.origin)

    def test_nothing_to_return(self):
        complaint = self._create_complaint(invoice_id=self.invoice_a.id)
        complaint.product_id = False
        with self.assertRaises(UserError):
            complaint.action_create_rma()

    def test_cancelled_rma_does_not_resolve(self):
        complaint = self._create_complaint(picking_id=self.picking_a.id)
        complaint.action_create_rma()
        complaint.rma_ids.action_cancel()
        self.assertFalse(complaint.is_closed)

    def test_replacement_on_complaint_and_portal(self):
        complaint = self._create_complaint(picking_id=self.picking_a.id)
        complaint.action_create_rma()
        rma = complaint.rma_ids
        rma.operation_id = self.env.ref("rma.rma_operation_replace")
        rma.action_confirm()
        reception = rma.reception_move_id.picking_id
        reception.move_ids.quantity = 2
        reception.move_ids.picked = True
        reception.button_validate()
        rma.create_replace(
            rma.date, rma.warehouse_id, rma.product_id, 2, rma.product_uom
        )
        self.assertEqual(rma.state, "waiting_replacement")
        delivery = rma.delivery_move_ids.picking_id
        self.assertEqual(len(delivery), 1)
        self.assertFalse(complaint.is_closed, "not until the goods are sent")
        self.authenticate("cmp_portal_a", "cmp_portal_a")
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        self.assertIn(delivery.name, page)
        self.assertIn("Waiting for replacement", page)
        delivery.action_assign()
        delivery.move_ids.quantity = 2
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.assertEqual(rma.state, "replaced")
        self.assertEqual(complaint.stage_id, complaint._resolution_stage())
        self.assertIn("Replaced", complaint.resolution)
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        self.assertIn("Replaced", page)
