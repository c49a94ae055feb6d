# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from lxml import etree
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestCrmInteraction(LifecycleCommon):
    def _logged(self, records, interaction_type):
        return self.env["crm.interaction"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("interaction_type", "=", interaction_type),
            ]
        )

    def test_each_document_event_logs_exactly_one_interaction(self):
        lead = self._lead(partner=self.contact)
        logged = self._logged(lead, "lead")
        self.assertEqual(len(logged), 1)
        self.assertEqual(logged.partner_id, self.customer)
        self.assertEqual(logged.contact_id, self.contact)
        self.assertTrue(logged.is_automatic)
        lead.write({"partner_id": self.contact.id, "name": "Renamed"})
        self.assertEqual(len(self._logged(lead, "lead")), 1)

        order = self._order(confirm=False)
        order.action_quotation_sent()
        self.assertEqual(len(self._logged(order, "quotation")), 1)
        self.assertEqual(self.customer.lifecycle_open_quotation_count, 1)

        order.action_confirm()
        self.assertEqual(len(self._logged(order, "order")), 1)
        # cancelling and confirming again does not log the order twice
        order._action_cancel()
        order.action_draft()
        order.action_confirm()
        self.assertEqual(len(self._logged(order, "order")), 1)

        picking = self._deliver(order)
        self.assertEqual(picking.state, "done")
        delivery = self._logged(picking, "delivery")
        self.assertEqual(len(delivery), 1)
        self.assertEqual(delivery.date, picking.date_done)

        invoice = self._invoice(order)
        self.assertEqual(len(self._logged(invoice, "invoice")), 1)
        invoice.button_draft()
        invoice.action_post()
        self.assertEqual(len(self._logged(invoice, "invoice")), 1)

        payment = self._pay(invoice)
        self.assertEqual(len(self._logged(payment, "payment")), 1)

        types = (
            self.env["crm.interaction"]
            .search([("partner_id", "=", self.customer.id)])
            .mapped("interaction_type")
        )
        self.assertEqual(
            sorted(types),
            ["delivery", "invoice", "lead", "order", "payment", "quotation"],
        )
        self.assertEqual(self.customer.lifecycle_interaction_count, 6)

    def test_completed_call_and_meeting_activities(self):
        call = self.customer.activity_schedule(
            "mail.mail_activity_data_call", summary="Follow up on the quote"
        )
        call.action_feedback(feedback="Wants a discount")
        logged = self._logged(call, "call")
        self.assertEqual(len(logged), 1)
        self.assertEqual(logged.name, "Follow up on the quote")
        self.assertIn("Wants a discount", logged.description)
        self.assertEqual(self.customer.lifecycle_interaction_count, 1)

        lead = self._lead()
        meeting = lead.activity_schedule("mail.mail_activity_data_meeting")
        meeting.action_done()
        logged = self._logged(meeting, "meeting")
        self.assertEqual(len(logged), 1)
        self.assertEqual(logged.partner_id, self.customer)

        # a to-do is not an interaction
        todo = self.customer.activity_schedule("mail.mail_activity_data_todo")
        todo.action_done()
        self.assertFalse(self._logged(todo, "call") | self._logged(todo, "meeting"))

    def test_calendar_meetings(self):
        start = fields.Datetime.now() - timedelta(hours=2)
        event = self.env["calendar.event"].create(
            {
                "name": "Showroom visit",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [self.env.user.partner_id.id, self.contact.id],
            }
        )
        logged = self._logged(event, "meeting")
        self.assertEqual(len(logged), 1)
        self.assertEqual(logged.partner_id, self.customer)
        self.assertEqual(logged.date, start)
        self.assertEqual(self.customer.lifecycle_last_interaction_date, start)
        # adding another attendee logs only the new customer
        event.partner_ids += self.partner
        self.assertEqual(len(self._logged(event, "meeting")), 2)
        # a meeting between colleagues is nobody's interaction
        internal = self.env["calendar.event"].create(
            {
                "name": "Team meeting",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [self.env.user.partner_id.id],
            }
        )
        self.assertFalse(self._logged(internal, "meeting"))

    def test_quick_log_from_the_partner_in_two_taps(self):
        action = self.contact.with_user(self.salesman).action_log_interaction()
        self.assertEqual(action["target"], "new")
        view = self.env.ref("crm_lifecycle.crm_interaction_view_form_quick")
        with Form(
            self.env["crm.interaction"]
            .with_user(self.salesman)
            .with_context(**action["context"]),
            view=view,
        ) as form:
            form.name = "Asked for the catalogue"
        interaction = form.record
        self.assertEqual(interaction.partner_id, self.customer)
        self.assertEqual(interaction.contact_id, self.contact)
        self.assertEqual(interaction.interaction_type, "call")
        self.assertEqual(interaction.channel, "phone")
        self.assertEqual(interaction.user_id, self.salesman)
        self.assertFalse(interaction.is_automatic)
        # the facts follow at once
        self.assertEqual(self.customer.lifecycle_interaction_count, 1)
        self.assertEqual(
            self.customer.lifecycle_last_interaction_date, interaction.date
        )

    def test_manual_interaction_on_a_contact_belongs_to_the_company(self):
        interaction = self.env["crm.interaction"].create(
            {
                "name": "Visit",
                "interaction_type": "visit",
                "partner_id": self.contact.id,
            }
        )
        self.assertEqual(interaction.partner_id, self.customer)
        self.assertEqual(interaction.contact_id, self.contact)
        # changing the contact moves the interaction to the contact's company
        interaction.contact_id = self.partner
        self.assertEqual(interaction.partner_id, self.partner)
        # but a contact of another customer is refused
        with self.assertRaises(ValidationError):
            self.env["crm.interaction"].create(
                {
                    "name": "Visit",
                    "partner_id": self.partner.id,
                    "contact_id": self.contact.id,
                }
            )

    def test_negative_duration_refused(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["crm.interaction"].create(
                {"name": "Call", "partner_id": self.customer.id, "duration": -1}
            )

    def test_backfill_documents_at_installation(self):
        quiet = self.customer.with_context(lifecycle_disable=True)
        lead = self.env["crm.lead"].create(
            {"name": "Old lead", "partner_id": self.contact.id}
        )
        order = self._order(partner=quiet)
        picking = self._deliver(order)
        invoice = self._invoice(order)
        payment = self._pay(invoice)
        internal = self._order(partner=self.salesman.partner_id)
        Interaction = self.env["crm.interaction"]
        Interaction.search([]).unlink()

        customers = Interaction._backfill_from_documents()
        self.assertIn(self.customer.id, customers)
        logged = Interaction.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            sorted(logged.mapped(lambda i: (i.res_model, i.res_id))),
            sorted(
                [
                    ("account.move", invoice.id),
                    ("account.payment", payment.id),
                    ("crm.lead", lead.id),
                    ("sale.order", order.id),
                    ("stock.picking", picking.id),
                ]
            ),
        )
        lead_log = logged.filtered(lambda i: i.res_model == "crm.lead")
        self.assertEqual(lead_log.contact_id, self.contact)
        self.assertEqual(lead_log.name, "Lead / inquiry: Old lead")
        self.assertFalse(self._logged(internal, "order"), "not an employee")
        # idempotent
        self.assertFalse(Interaction._backfill_from_documents())
        self.assertEqual(
            Interaction.search_count([("partner_id", "=", self.customer.id)]), 5
        )

    def test_credit_note_is_typed_credit_note(self):
        invoice = self._invoice(self._order())
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Damaged"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credit_note.action_post()
        self.assertFalse(self._logged(credit_note, "invoice"))
        logged = self._logged(credit_note, "credit_note")
        self.assertEqual(len(logged), 1)
        self.assertTrue(logged.name.startswith("Credit note"))
        self.assertEqual(len(self._logged(invoice, "invoice")), 1)

    def test_follow_up_outcome_schedules_a_todo(self):
        action = self.customer.with_user(self.salesman).action_log_interaction()
        with Form(
            self.env["crm.interaction"]
            .with_user(self.salesman)
            .with_context(**action["context"]),
            view="crm_lifecycle.crm_interaction_view_form_quick",
        ) as form:
            form.name = "Wants a new quote"
            form.outcome = "follow_up"
        todo = self.customer.activity_ids.filtered(
            lambda a: "Wants a new quote" in (a.summary or "")
        )
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.salesman)
        self.assertEqual(
            todo.activity_type_id, self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertGreaterEqual(todo.date_deadline, fields.Date.today())
        # another outcome leaves no task
        with Form(
            self.env["crm.interaction"]
            .with_user(self.salesman)
            .with_context(**action["context"]),
            view="crm_lifecycle.crm_interaction_view_form_quick",
        ) as form:
            form.name = "Just saying hello"
            form.outcome = "positive"
        self.assertFalse(
            self.customer.activity_ids.filtered(
                lambda a: "Just saying hello" in (a.summary or "")
            )
        )

    def test_log_dialog_offers_only_what_people_log(self):
        """The quick-log dialog offers the types a person logs by hand; what
        the documents log by themselves (invoices, payments...) is not
        offered."""
        manual = self.env["crm.interaction"]._manual_interaction_types()
        for automatic in (
            "invoice",
            "credit_note",
            "payment",
            "delivery",
            "order",
            "complaint",
            "campaign_response",
        ):
            self.assertNotIn(automatic, manual)
        self.assertIn("call", manual)
        self.assertIn("payment_promise", manual)
        interaction = self.env["crm.interaction"].new({"partner_id": self.customer.id})
        self.assertEqual(interaction.manual_type_values, manual)
        arch = etree.fromstring(
            self.env["crm.interaction"].get_view(
                self.env.ref("crm_lifecycle.crm_interaction_view_form_quick").id
            )["arch"]
        )
        field = arch.find(".//field[@name='interaction_type']")
        self.assertEqual(field.get("widget"), "filterable_selection")
        self.assertIn("manual_type_values", field.get("options"))

    def test_only_outgoing_pickings_are_deliveries(self):
        """A receipt from the customer (goods it sends back, validated in the
        warehouse) is no delivery in its timeline; a delivery to it is."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        pickings = self.env["stock.picking"]
        for picking_type in (warehouse.in_type_id, warehouse.out_type_id):
            pickings |= self.env["stock.picking"].create(
                {
                    "partner_id": self.contact.id,
                    "picking_type_id": picking_type.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "location_id": picking_type.default_location_src_id.id,
                                "location_dest_id": (
                                    picking_type.default_location_dest_id.id
                                ),
                            }
                        )
                    ],
                }
            )
        receipt, delivery = pickings
        pickings.action_confirm()
        pickings.move_ids.quantity = 1
        pickings.move_ids.picked = True
        pickings.button_validate()
        self.assertEqual(set(pickings.mapped("state")), {"done"})
        self.assertFalse(self._logged(receipt, "delivery"))
        logged = self._logged(delivery, "delivery")
        self.assertEqual(len(logged), 1)
        self.assertEqual(logged.partner_id, self.customer)
