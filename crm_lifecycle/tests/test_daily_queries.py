# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from datetime import timedelta

from markupsafe import Markup

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged

from ..models.crm_interaction_email import QUEUE_KEY
from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestDailyQueries(LifecycleCommon):
    """What the suite adds to the documents of every day (issue 19: at most
    5% over Odoo alone): the queries of a customer's lifecycle on an order
    confirmed, an invoice posted and an e-mail sent from the chatter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # no rule to evaluate: the work of the event only, whatever the
        # addons installed add to the rules
        cls.customer.lifecycle_locked = True

    def _queries(self, func):
        """Queries of ``func`` with every cache cold, as in a new request."""
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def test_documents_read_their_customer_without_its_facts(self):
        """Core reads the customer of an order, an invoice, a delivery many
        times and never its stage or facts: they are a prefetch group of their
        own (two dozen jsonb columns, one per company each), read together
        when one of them is read."""
        order = self._order()
        self.env.invalidate_all()
        self.assertEqual(order.partner_id.name, "Azure Interior")
        start = self.cr.sql_log_count
        self.assertEqual(self.customer.lifecycle_order_count, 1)
        self.assertFalse(self.customer.lifecycle_stage_id)
        self.assertTrue(self.customer.lifecycle_locked)
        self.assertTrue(self.customer.lifecycle_last_interaction_date)
        self.assertEqual(self.customer.lifecycle_invoiced_amount, 0.0)
        self.assertEqual(self.cr.sql_log_count - start, 1, "not read with the name")

    def _new_request(self, *records):
        """Every cache cold, as in a new request, but the records the
        document's own work read (the order, its company, its customer)."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        for record in records:
            record.fetch()

    def test_event_reads_the_stored_facts_in_its_round_trip(self):
        """A new request: the event reads the customer's stored stage and facts
        in the round trip of its locks and facts, then writes the facts that
        changed. Without them in that round trip, a third query fetched them."""
        self._order()  # warm the caches (rules and events)
        order = self._order(confirm=False)
        order.with_context(lifecycle_disable=True).action_confirm()
        self._new_request(order, order.company_id, self.customer, self.env.user)
        with self.assertQueryCount(2):
            self.customer._lifecycle_trigger_event("order_confirmed", records=order)
        with self.assertQueryCount(0):
            self.assertEqual(self.customer.lifecycle_order_count, 2)
            self.assertTrue(self.customer.lifecycle_locked)

    def test_confirm_costs_two_queries_of_lifecycle(self):
        """Confirming an order in a new request: its event costs two queries
        over the same order confirmed without it (locks, facts and stored
        facts in one; the UPDATE of the facts that changed)."""
        self._order()  # warm the caches (rules, events, templates of the chatter)
        orders = [self._order(confirm=False) for _i in range(2)]
        without = self._queries(
            orders[0].with_context(lifecycle_disable=True).action_confirm
        )
        with_event = self._queries(orders[1].action_confirm)
        self.assertEqual(with_event - without, 2)
        self.assertEqual(self.customer.lifecycle_order_count, 3)

    def test_chatter_email_logged_in_four_queries(self):
        """An e-mail to the customer from the chatter, logged at commit: the
        message read with its document's existence, the interaction inserted,
        the event's locks and facts, the UPDATE of the facts."""
        order = self._order()
        Rule = self.env["crm.lifecycle.rule"]
        Rule._get_rules_data("interaction_logged", listening=True)
        Rule._get_used_facts("interaction_logged")
        order.message_post(
            body=Markup("<p>Your order is confirmed.</p>"),
            partner_ids=self.contact.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.env.flush_all()
        queued = self.env.cr.precommit.data.pop(QUEUE_KEY)
        self.env.cr.precommit.run()  # the rest of the commit
        self.env["crm.lifecycle.event"]._get_event_data("interaction_logged")
        messages = self.env["mail.message"].browse(sorted(queued))
        Interaction = self.env["crm.interaction"].sudo()
        with self.assertQueryCount(4):
            logged = Interaction._lifecycle_log_emails(messages)
        self.assertEqual(len(logged), 1)
        self.assertEqual((logged.res_model, logged.res_id), ("sale.order", order.id))
        self.assertEqual(logged.contact_id, self.contact)
        # a message whose document is gone is not logged
        message = order.message_post(
            body=Markup("<p>Cancelled.</p>"),
            partner_ids=self.contact.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.env.flush_all()
        self.env.cr.precommit.data.pop(QUEUE_KEY)
        self.env.cr.execute("DELETE FROM sale_order WHERE id = %s", [order.id])
        self.assertFalse(Interaction._lifecycle_log_emails(message))

    def _logged(self, document):
        return self.env["crm.interaction"].search(
            [("res_model", "=", document._name), ("res_id", "=", document.id)]
        )

    def test_documents_logged_in_one_insert(self):
        """An order, a delivery, an invoice and a payment are logged in the
        customer's timeline by one INSERT that skips a document already
        logged (the unique index): no duplicate check before it. The row is
        the one ``create()`` made: customer, contact, company, department,
        channel, salesperson, access log."""
        order = self._order(partner=self.contact)
        picking = self._deliver(order)
        invoice = self._invoice(order)
        payment = self._pay(invoice)
        expected = {
            order: ("order", "sales"),
            picking: ("delivery", "warehouse"),
            invoice: ("invoice", "accounting"),
            payment: ("payment", "accounting"),
        }
        for document, (itype, department) in expected.items():
            with self.subTest(document=document):
                before = self._logged(document)
                self.assertEqual(len(before), 1)
                self.assertEqual(before.department, department)
                values = before.read(
                    [
                        "name",
                        "date",
                        "direction",
                        "channel",
                        "source_name",
                        "user_id",
                        "contact_id",
                    ]
                )[0]
                del values["id"]
                # the document in cache, as after its own work (unlink()
                # would empty the cache)
                self.env.flush_all()
                self.env.cr.execute(
                    "DELETE FROM crm_interaction WHERE id = %s", [before.id]
                )
                self.env["crm.interaction"].invalidate_model()
                # cached for every transaction (cleared when users change)
                self.env["crm.interaction"]._lifecycle_internal_partner_ids()
                with self.assertQueryCount(1):
                    self.assertEqual(
                        document._lifecycle_log_interactions(itype), document
                    )
                logged = self._logged(document)
                self.assertEqual(len(logged), 1)
                self.assertEqual(
                    {**logged.read(list(values))[0], "id": None}, {**values, "id": None}
                )
                self.assertEqual(logged.partner_id, self.customer)
                self.assertEqual(logged.company_id, document.company_id)
                self.assertEqual(logged.department, department)
                self.assertTrue(logged.is_automatic)
                self.assertEqual(logged.create_uid, self.env.user)
                self.assertTrue(logged.create_date)
                # logged again: the same insert, nothing inserted
                self.env["crm.interaction"].invalidate_model()
                with self.assertQueryCount(1):
                    document._lifecycle_log_interactions(itype)
                self.assertEqual(self._logged(document), logged)

    def test_documents_logged_by_create_when_an_automation_watches(self):
        """An automation rule on the creation of interactions runs on the
        interactions of documents too: they are created by ``create()``
        (which the rule patches), with the duplicate check."""
        interaction_model = self.env["ir.model"]._get("crm.interaction")
        automation = self.env["base.automation"].create(
            {
                "name": "Interaction logged",
                "model_id": interaction_model.id,
                "trigger": "on_create",
                "action_server_ids": [
                    Command.create(
                        {
                            "name": "Outcome",
                            "model_id": interaction_model.id,
                            "state": "code",
                            "code": "records.write({'outcome': 'info'})",
                        }
                    )
                ],
            }
        )
        # its patch of create() removed with it (a rollback would leave it)
        self.addCleanup(automation.unlink)
        order = self._order()
        logged = self._logged(order)
        self.assertEqual(len(logged), 1)
        self.assertEqual(logged.outcome, "info")
        self.assertFalse(order._lifecycle_log_interactions("order") - order)
        self.assertEqual(self._logged(order), logged)

    def test_payment_looks_up_promises_only_with_an_open_one(self):
        """A payment received evaluates the customer's open payment promises
        only when its stored fact (read in the round trip of the event) says
        it has one: nearly every payment looks up no promise. A promise the
        payment covers is kept by it, and the customer's facts say so at
        once."""
        invoice = self._invoice(self._order(price=200.0))
        queries = []
        with contextmanager(self._patchExecute)(queries, True):
            self._pay(invoice, amount=40.0)
        promise_searches = [
            query
            for query in map(str, queries)
            if '"crm_interaction"."promise_state"' in query
        ]
        self.assertFalse(promise_searches, "no promise to look up")
        promise = self.env["crm.interaction"].create(
            {
                "name": "Will pay next week",
                "partner_id": self.customer.id,
                "interaction_type": "payment_promise",
                "promise_date": fields.Date.today() + timedelta(days=7),
                "promise_amount": 50.0,
            }
        )
        self.assertEqual(self.customer.lifecycle_promise_date, promise.promise_date)
        self._pay(invoice, amount=60.0)
        self.assertEqual(promise.promise_state, "kept")
        self.assertFalse(self.customer.lifecycle_promise_date)
