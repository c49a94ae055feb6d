# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One customer's journey through sales, the warehouse, accounting and customer
service, with three real users, each working within their own rights, checking
after every step what every department sees of the same customer record."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerJourney(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.salesperson = new_test_user(
            env,
            "journey_sales",
            name="Sara Sales",
            groups="sales_team.group_sale_salesman,crm_complaints.group_complaint_user",
        )
        cls.stock_user = new_test_user(
            env, "journey_stock", name="Walt Warehouse", groups="stock.group_stock_user"
        )
        cls.accountant = new_test_user(
            env,
            "journey_accounting",
            name="Ana Accounting",
            groups="account.group_account_invoice,base.group_partner_manager",
        )
        cls.team = env["crm.complaint.team"].create(
            {"name": "After-sales", "user_id": cls.salesperson.id}
        )
        cls.product = env["product.product"].create(
            {
                "name": "Ergonomic chair",
                "type": "consu",
                "list_price": 400.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.today = fields.Date.context_today(env.user)

    # what each department sees -------------------------------------------------

    def as_user(self, user, record):
        return record.with_user(user)

    def summary(self, user, customer):
        return str(customer.with_user(user).lifecycle_summary_html)

    def interaction_types(self, customer):
        return sorted(
            self.env["crm.interaction"]
            .search([("partner_id", "=", customer.id)])
            .mapped("interaction_type")
        )

    def collections(self, user):
        return (
            self.env["res.partner"]
            .with_user(user)
            .search(
                [
                    ("lifecycle_overdue_amount", ">", 0),
                    "|",
                    ("is_company", "=", True),
                    ("parent_id", "=", False),
                ]
            )
        )

    def segment(self, customer):
        """The customer's cell in the shipped RFM matrix after the nightly
        segmentation job (RFM, then every matrix)."""
        matrix = self.env.ref("crm_segmentation.crm_segment_matrix_rfm")
        self.env["res.partner"]._rfm_compute(matrix.company_id)
        matrix.action_recompute()
        return (
            self.env["crm.segment.membership"]
            .search([("matrix_id", "=", matrix.id), ("partner_id", "=", customer.id)])
            .cell_id
        )

    def test_journey_from_lead_to_payment_promise(self):
        env = self.env
        # 1. the salesperson gets a lead from a new company
        lead = (
            env["crm.lead"]
            .with_user(self.salesperson)
            .create(
                {
                    "name": "Chairs for the new office",
                    "partner_name": "Lumen Studio",
                    "email_from": "buyer@lumen.example.com",
                    "type": "opportunity",
                    "user_id": self.salesperson.id,
                }
            )
        )
        lead._handle_partner_assignment(create_missing=True)
        customer = lead.partner_id.commercial_partner_id
        self.assertTrue(customer)
        self.assertEqual(customer.lifecycle_stage_id.code, "possible")
        self.assertEqual(self.interaction_types(customer), ["lead"])
        # a prospect is not segmented yet
        self.assertFalse(self.segment(customer))

        # 2. a quotation is sent
        order = (
            env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": customer.id,
                    "opportunity_id": lead.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 5}
                        )
                    ],
                }
            )
        )
        order.action_quotation_sent()
        self.assertEqual(customer.lifecycle_stage_id.code, "probable")

        # 3. the order is confirmed: a new customer
        order.action_confirm()
        self.assertEqual(customer.lifecycle_stage_id.code, "new_customer")
        # a customer now, but nothing invoiced yet: the "no data" segment
        self.assertTrue(self.segment(customer).row_level_id.is_no_data)
        self.assertIn("1 delivery in progress", self.summary(self.stock_user, customer))

        # 4. the warehouse validates the delivery
        picking = order.picking_ids.with_user(self.stock_user)
        picking.move_ids.quantity = 5
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertNotIn('name="deliveries"', self.summary(self.stock_user, customer))

        # 5. accounting invoices it, due 15 days ago (a late payer)
        invoice = order.with_user(self.accountant).sudo()._create_invoices()
        invoice = invoice.with_user(self.accountant).sudo(False)
        invoice.invoice_date = self.today - timedelta(days=45)
        invoice.invoice_date_due = self.today - timedelta(days=15)
        invoice.action_post()
        self.assertEqual(customer.lifecycle_invoiced_amount, 2000.0)
        self.assertEqual(customer.lifecycle_overdue_amount, 2000.0)
        self.assertIn(customer, self.collections(self.accountant))
        # a first purchase 45 days ago: out of "no data", with the move kept
        first_segment = self.segment(customer)
        self.assertFalse(first_segment.row_level_id.is_no_data)
        self.assertEqual(customer.rfm_frequency, 1)
        self.assertEqual(customer.rfm_monetary, 2000.0)
        move = self.env["crm.segment.history"].search(
            [("partner_id", "=", customer.id)], order="id desc", limit=1
        )
        self.assertEqual(move.cell_to_id, first_segment)
        self.assertTrue(move.cell_from_id.row_level_id.is_no_data)

        # 6. a partial payment
        env["account.payment.register"].with_user(self.accountant).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 500.0})._create_payments()
        self.assertEqual(customer.lifecycle_paid_amount, 500.0)
        self.assertEqual(customer.lifecycle_overdue_amount, 1500.0)

        # 7. a complaint about the delivery (two chairs arrived broken)
        complaint = (
            env["crm.complaint"]
            .with_user(self.salesperson)
            .create(
                {
                    "subject": "Two chairs arrived broken",
                    "kind": "complaint",
                    "partner_id": customer.id,
                    "picking_id": picking.id,
                    "invoice_id": invoice.id,
                    "sale_order_id": order.id,
                    "team_id": self.team.id,
                    "amount_claimed": 800.0,
                }
            )
        )
        self.assertIn("complaint", self.interaction_types(customer))
        self.assertEqual(customer.complaint_open_count, 1)
        # the invoice it is about is disputed: out of the overdue, into disputed
        self.assertEqual(customer.lifecycle_overdue_amount, 0.0)
        self.assertEqual(customer.lifecycle_disputed_amount, 1500.0)
        self.assertNotIn(customer, self.collections(self.accountant))
        # every department sees the open complaint on the same customer record
        for user in (self.salesperson, self.stock_user, self.accountant):
            with self.subTest(user=user.login):
                self.assertIn("1 open complaint(s)", self.summary(user, customer))

        # 8. the warehouse takes the two chairs back
        return_action = complaint.with_user(self.stock_user).action_return()
        wizard = Form(
            env["stock.return.picking"]
            .with_user(self.stock_user)
            .with_context(**return_action["context"])
        ).save()
        wizard.product_return_moves.quantity = 2
        returned = env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.quantity = 2
        returned.move_ids.picked = True
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        self.assertEqual(complaint.return_picking_ids, returned)

        # 9. accounting grants a credit note for them: the amount claimed
        credit_action = complaint.with_user(self.accountant).action_credit_note()
        reversal = (
            env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(**credit_action["context"])
            .create({"journal_id": invoice.journal_id.id})
        )
        self.assertEqual(reversal.complaint_refund_method, "claimed")
        refund = env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.action_post()
        self.assertEqual(complaint.credit_note_ids, refund)
        self.assertEqual(customer.lifecycle_invoiced_amount, 1200.0)
        # the refund lowers the monetary value of the segmentation too
        self.segment(customer)
        self.assertEqual(customer.rfm_monetary, 1200.0)

        # the complaint is resolved: the dispute ends, the rest is overdue again
        resolved = env["crm.complaint.stage"].search(
            [("is_closed", "=", True)], order="sequence", limit=1
        )
        complaint.with_user(self.salesperson).stage_id = resolved
        self.assertEqual(customer.complaint_open_count, 0)
        self.assertEqual(customer.lifecycle_disputed_amount, 0.0)
        # what is left to pay, all of it late: 2000 invoiced - 500 paid - 800
        # credited (the credit note offsets the late invoice)
        self.assertEqual(customer.lifecycle_receivable_amount, 700.0)
        self.assertEqual(customer.lifecycle_overdue_amount, 700.0)
        self.assertIn(customer, self.collections(self.accountant))

        # 10. accounting phones the customer, who promises to pay the rest
        action = (
            customer.with_user(self.accountant)
            .with_context(lifecycle_interaction_type="payment_promise")
            .action_log_interaction()
        )
        with Form(
            env["crm.interaction"]
            .with_user(self.accountant)
            .with_context(**action["context"]),
            view="crm_lifecycle.crm_interaction_view_form_quick",
        ) as form:
            form.name = "Will pay the balance on Friday"
            form.promise_date = self.today + timedelta(days=4)
            form.promise_amount = 700.0
        promise = form.record
        self.assertEqual(promise.promise_state, "open")
        self.assertTrue(
            customer.activity_ids.filtered(
                lambda a: a.user_id == self.accountant
                and a.date_deadline == promise.promise_date
            )
        )

        # the one record, as every department sees it
        self.assertEqual(
            self.interaction_types(customer),
            sorted(
                [
                    "lead",
                    "quotation",
                    "order",
                    "delivery",
                    "invoice",
                    "payment",
                    "complaint",
                    "complaint_closed",
                    "credit_note",
                    "payment_promise",
                ]
            ),
        )
        history = customer.lifecycle_history_ids.sorted("id").mapped("stage_to_id.code")
        self.assertEqual(history, ["possible", "probable", "new_customer"])
        sales_view = self.summary(self.salesperson, customer)
        accounting_view = self.summary(self.accountant, customer)
        stock_view = self.summary(self.stock_user, customer)
        self.assertIn("New customer", sales_view)
        self.assertIn("Overdue", sales_view, "salespeople see payment behaviour")
        self.assertIn("New customer", accounting_view, "accounting sees the lifecycle")
        self.assertNotIn("Overdue", stock_view, "the warehouse does not see money")
        segment_name = self.segment(customer).name
        self.assertIn(segment_name, sales_view, "salespeople see the segment")
        self.assertIn(
            segment_name,
            self.summary(self.accountant, customer),
            "accounting sees the segment",
        )
        self.assertIn('name="segment"', sales_view)
        self.assertNotIn('name="segment"', stock_view, "nor the segment")
        self.assertEqual(
            customer.with_user(self.accountant).lifecycle_last_collection_date,
            promise.date,
        )
