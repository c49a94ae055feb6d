# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo.tests import tagged

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestBackgroundProcessing(LifecycleCommon):
    """A company that updates its customers' lifecycle in the background
    (issue 19, a busy sales floor): the user's request queues the document
    and its event; the job logs the documents in the timeline and applies the
    events of the minute together, with the same result as at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Pending = cls.env["crm.lifecycle.pending"]
        cls.twin = cls.env["res.partner"].create(
            {"name": "Deco Addict", "is_company": True, "user_id": cls.salesman.id}
        )

    def _background(self, on=True):
        self.env.company.lifecycle_event_processing = (
            "background" if on else "immediate"
        )

    def _commit(self):
        """What the transaction does when it commits (the queue inserted)."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def _run_job(self):
        with self.enter_registry_test_mode():
            self.env.ref(
                "crm_lifecycle.ir_cron_lifecycle_pending"
            ).method_direct_trigger()
        self.env.invalidate_all()

    def _logged(self, document):
        return self.env["crm.interaction"].search(
            [("res_model", "=", document._name), ("res_id", "=", document.id)]
        )

    def test_order_is_logged_and_applied_by_the_job(self):
        # the same first order, at once, for the twin customer
        twin_order = self._order(partner=self.twin)
        self._commit()
        self.assertTrue(self.twin.lifecycle_stage_id)
        self.assertEqual(self.twin.lifecycle_order_count, 1)

        self._background()
        order = self._order()
        self.assertFalse(self.Pending.search([]), "queued in memory until commit")
        self._commit()
        # the timeline, the facts and the stage wait for the job
        self.assertFalse(self._logged(order))
        self.assertFalse(self.customer.lifecycle_stage_id)
        self.assertEqual(self.customer.lifecycle_order_count, 0)
        pending = self.Pending.search([])
        self.assertRecordValues(
            pending,
            [
                {
                    "job": "log_documents",
                    "partner_id": False,
                    "event_id": False,
                    "company_id": self.env.company.id,
                    "source_model": "sale.order",
                    "source_ids": [order.id],
                    "interaction_type": "order",
                },
                {
                    "job": "event",
                    "partner_id": self.customer.id,
                    "event_id": self.env.ref("crm_lifecycle.event_order_confirmed").id,
                    "company_id": self.env.company.id,
                    "source_model": "sale.order",
                    "source_ids": [order.id],
                    "interaction_type": False,
                },
            ],
        )
        self._run_job()
        self.assertFalse(pending.exists())
        self.assertEqual(self.customer.lifecycle_order_count, 1)
        self.assertEqual(self.customer.lifecycle_stage_id, self.twin.lifecycle_stage_id)
        history = self.customer.lifecycle_history_ids[:1]
        self.assertEqual(history.trigger, "event")
        self.assertEqual((history.res_model, history.res_id), ("sale.order", order.id))
        fnames = ("interaction_type", "direction", "channel", "user_id", "company_id")
        self.assertEqual(
            [self._logged(order)[fname] for fname in fnames],
            [self._logged(twin_order)[fname] for fname in fnames],
        )
        self.assertEqual(self._logged(order).date, order.date_order)
        self._run_job()
        self.assertEqual(len(self._logged(order)), 1, "logged once")
        self.assertEqual(twin_order.state, "sale")

    def test_document_without_date_is_logged_at_the_time_it_was_queued(self):
        """A quotation sent (its moment is when it happens): the job logs it
        at the time of the request that queued it, not its own."""
        self._background()
        quotation = self._order(confirm=False)
        quotation.action_quotation_sent()
        self._commit()
        row = self.Pending.search([("job", "=", "log_documents")])
        self.assertEqual(row.source_ids, quotation.ids)
        self.env.cr.execute(
            "UPDATE crm_lifecycle_pending"
            " SET create_date = create_date - interval '1 hour' WHERE id = %s",
            [row.id],
        )
        self.env.invalidate_all()
        queued = row.create_date
        self._run_job()
        logged = self._logged(quotation)
        self.assertEqual(logged.interaction_type, "quotation")
        self.assertEqual(logged.date, queued)

    def _queue_orders(self, count):
        """``count`` orders, each confirmed in a request of its own (its row
        queued at another time), and their "log_documents" rows."""
        for index in range(count):
            self._order()
            self._commit()
            self.env.cr.execute(
                "UPDATE crm_lifecycle_pending SET create_date = create_date"
                " - %s * interval '1 second' WHERE job = 'log_documents'",
                [index + 1],
            )
        self.env.invalidate_all()
        return self.Pending.search([("job", "=", "log_documents")])

    def test_job_logs_the_documents_of_many_requests_together(self):
        """The job logs the documents of a minute's requests together: the
        same queries for the orders of two requests as for those of four."""
        self._background()
        self._queue_orders(1)._log_documents()  # warm the caches
        self.Pending.search([]).unlink()
        counts = []
        for count in (2, 4):
            rows = self._queue_orders(count)
            self.assertEqual(len(rows), count)
            start = self.cr.sql_log_count
            rows._log_documents()
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - start)
            orders = self.env["sale.order"].browse(
                [id_ for row in rows for id_ in row.source_ids]
            )
            self.assertCountEqual(
                self.env["crm.interaction"]
                .search(
                    [("res_model", "=", "sale.order"), ("res_id", "in", orders.ids)]
                )
                .mapped("res_id"),
                orders.ids,
            )
            self.Pending.search([]).unlink()
        self.assertEqual(counts[0], counts[1])

    def test_order_accepted_online_is_logged_at_commit(self):
        """An order the customer signed in the portal: its channel is decided
        in the request, so it is logged when the request commits, with its
        event queued in the same statement."""
        self._background()
        order = self._order(confirm=False)
        order.write({"signed_by": "Customer", "signed_on": "2026-12-01 10:00:00"})
        order.action_confirm()
        self.assertFalse(self._logged(order))
        self._commit()
        self.assertEqual(self._logged(order).channel, "portal")
        self.assertEqual(self.Pending.search([]).mapped("job"), ["event"])

    def _facts(self, partner):
        """The stage and every fact of the customer but its dates and times
        (the two customers' documents are not made at the same second)."""
        self.env.invalidate_all()
        return {
            fname: partner[fname]
            for fname in partner._lifecycle_prefetch_fields()
            if partner._fields[fname].type not in ("date", "datetime")
        }

    def _customer_day(self, partner):
        """A first order, its delivery, invoice and payment, and an e-mail
        to the customer, each committed as a request would be."""
        order = self._order(partner=partner, qty=3)
        self._commit()
        self._deliver(order)
        self._commit()
        invoice = self._invoice(order)
        self._commit()
        self._pay(invoice, amount=invoice.amount_total / 2)
        self._commit()
        order.message_post(
            body=Markup("<p>Half of your invoice is paid.</p>"),
            partner_ids=partner.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._commit()
        return order

    def test_a_day_of_documents_gives_the_same_facts_as_at_once(self):
        """Order, delivery, invoice, part payment and an e-mail: after the job,
        the customer in the background has the stage and facts of its twin
        updated at once, and the same timeline."""
        self._customer_day(self.twin)
        self._background()
        self._customer_day(self.customer)
        jobs = self.Pending.search([])
        self.assertEqual(
            sorted(set(jobs.mapped("job"))), ["event", "log_documents", "receivables"]
        )
        self.assertTrue(
            self.env["mail.message"].search([("lifecycle_email_queued", "=", True)])
        )
        self.assertNotEqual(self._facts(self.customer), self._facts(self.twin))
        self._run_job()
        self.assertFalse(self.Pending.search([]))
        twin = self._facts(self.twin)
        self.assertEqual(self._facts(self.customer), twin)
        self.assertTrue(twin["lifecycle_stage_id"])
        self.assertEqual(twin["lifecycle_order_count"], 1)
        self.assertEqual(twin["lifecycle_invoiced_amount"], 300.0)
        Interaction = self.env["crm.interaction"]
        self.assertEqual(
            sorted(
                Interaction.search([("partner_id", "=", self.customer.id)]).mapped(
                    "interaction_type"
                )
            ),
            sorted(
                Interaction.search([("partner_id", "=", self.twin.id)]).mapped(
                    "interaction_type"
                )
            ),
        )

    def test_documents_of_a_transaction_queue_one_row_per_customer(self):
        """Several orders of a customer confirmed together: one row with all
        of them, and one more for the other customer."""
        self._background()
        orders = self._order(confirm=False) | self._order(confirm=False)
        orders |= self._order(partner=self.twin, confirm=False)
        orders.action_confirm()
        self._commit()
        pending = self.Pending.search([])
        self.assertRecordValues(
            pending.filtered(lambda p: p.job == "log_documents"),
            [{"source_model": "sale.order", "source_ids": orders.ids}],
        )
        pending = pending.filtered(lambda p: p.job == "event")
        self.assertEqual(
            sorted((p.partner_id.id, tuple(p.source_ids)) for p in pending),
            sorted(
                [
                    (self.customer.id, tuple(sorted(orders[:2].ids))),
                    (self.twin.id, tuple(orders[2:].ids)),
                ]
            ),
        )
        self._run_job()
        self.assertEqual(
            self.env["crm.interaction"]
            .search([("res_model", "=", "sale.order"), ("res_id", "in", orders.ids)])
            .sorted("res_id")
            .mapped(lambda i: (i.res_id, i.partner_id)),
            [(order.id, order.partner_id) for order in orders.sorted("id")],
        )
        self.assertEqual(self.customer.lifecycle_order_count, 2)
        self.assertEqual(self.twin.lifecycle_order_count, 1)
        self.assertFalse(self.Pending.search([]))

    def test_email_is_logged_by_the_job(self):
        """An e-mail from the chatter is flagged in the INSERT of its message
        (no query of its own) and logged by the job, which clears the flag."""
        order = self._order()
        self._commit()
        self._background()
        count = self.customer.lifecycle_interaction_count
        message = order.message_post(
            body=Markup("<p>Your order is confirmed.</p>"),
            partner_ids=self.contact.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        note = order.message_post(body=Markup("<p>Internal.</p>"))
        self._commit()
        Interaction = self.env["crm.interaction"]
        self.assertFalse(Interaction.search([("message_id", "=", message.id)]))
        self.assertTrue(message.lifecycle_email_queued)
        self.assertFalse(note.lifecycle_email_queued, "a note is not an e-mail")
        self.assertFalse(self.Pending.search([]))
        self._run_job()
        logged = Interaction.search([("message_id", "=", message.id)])
        self.assertRecordValues(
            logged,
            [
                {
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                    "interaction_type": "email",
                    "direction": "outbound",
                }
            ],
        )
        self.assertEqual(self.customer.lifecycle_interaction_count, count + 1)
        self.assertFalse(message.lifecycle_email_queued)
        self._run_job()
        self.assertEqual(Interaction.search([("message_id", "=", message.id)]), logged)

    def test_email_whose_values_do_not_tell_is_queued_at_commit(self):
        """A message created without its type in the values (decided once
        created): queued in a row of the job, logged by it."""
        order = self._order()
        self._commit()
        self._background()
        message = (
            self.env["mail.message"]
            .with_user(self.salesman)
            .create(
                {
                    "model": "sale.order",
                    "res_id": order.id,
                    "body": Markup("<p>Your delivery leaves today.</p>"),
                    "partner_ids": self.contact.ids,
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                }
            )
        )
        self._commit()
        self.assertFalse(message.lifecycle_email_queued)
        pending = self.Pending.search([])
        self.assertRecordValues(
            pending,
            [
                {
                    "job": "log_emails",
                    "partner_id": False,
                    "source_model": "mail.message",
                    "source_ids": [message.id],
                }
            ],
        )
        self._run_job()
        self.assertFalse(pending.exists())
        self.assertEqual(
            self.env["crm.interaction"]
            .search([("message_id", "=", message.id)])
            .partner_id,
            self.customer,
        )

    def _queries(self, func):
        """Queries of ``func`` and its commit, with every cache cold."""
        self._commit()
        start = self.cr.sql_log_count
        func()
        self.env.flush_all()
        self.env.cr.precommit.run()
        return self.cr.sql_log_count - start

    def test_request_queues_in_one_query(self):
        """An order confirmed in the background: its document and its event
        are queued by one statement at commit; the event costs no query over
        the order queued without it. Three orders of two customers confirmed
        together: the same one statement."""
        self._background()
        # warm the caches of both ways
        for disable in (True, False, True, False):
            self._queries(
                self._order(confirm=False)
                .with_context(lifecycle_disable=disable)
                .action_confirm
            )
        orders = [self._order(confirm=False) for _i in range(2)]
        without = self._queries(
            orders[0].with_context(lifecycle_disable=True).action_confirm
        )
        self.assertEqual(self._queries(orders[1].action_confirm), without)
        three = self.env["sale.order"].concat(
            *[
                self._order(partner=partner, confirm=False)
                for partner in (self.customer, self.customer, self.twin)
            ]
        )
        self._commit()
        three.action_confirm()
        self.env.flush_all()
        with self.assertQueryCount(1):
            self.Pending._insert_queued()
        self.assertEqual(
            self.Pending.search([("job", "=", "log_documents")])
            .filtered(lambda p: set(p.source_ids) & set(three.ids))
            .mapped("source_ids"),
            [three.ids],
        )
        self._run_job()
        self.assertEqual(
            self.env["crm.interaction"]
            .search([("res_model", "=", "sale.order"), ("res_id", "in", three.ids)])
            .partner_id,
            self.customer | self.twin,
        )
        self.assertFalse(self.Pending.search([]))

    def test_setting_runs_the_job_every_minute(self):
        cron = self.env.ref("crm_lifecycle.ir_cron_lifecycle_pending")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "hours"))
        self._background()
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "minutes"))
        # back to at once with events still queued: the job runs now
        self._order()
        self._commit()
        self.assertTrue(self.Pending.search([]))
        Trigger = self.env["ir.cron.trigger"]
        self.assertFalse(Trigger.search([("cron_id", "=", cron.id)]))
        self._background(False)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "hours"))
        self.assertTrue(Trigger.search([("cron_id", "=", cron.id)]))
