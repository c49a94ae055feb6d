# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestLifecycleFlow(LifecycleCommon):
    def test_lead_makes_a_prospect_and_first_order_a_new_customer(self):
        self.assertFalse(self.customer.lifecycle_stage_id)
        lead = self._lead()
        self.assertStage(self.customer, "possible")
        self.assertEqual(self.customer.lifecycle_open_opportunity_count, 1)
        # contacts follow their company
        self.assertStage(self.contact, "possible")

        lead.probability = 60
        self.customer._lifecycle_trigger_event("lead_created", records=lead)
        self.assertStage(self.customer, "probable")

        order = self._order()
        self.assertStage(self.customer, "new_customer")
        self.assertStage(self.contact, "new_customer")
        self.assertEqual(self.customer.lifecycle_order_count, 1)
        self.assertEqual(
            self.customer.lifecycle_first_sale_date, order.date_order.date()
        )
        history = self.customer.lifecycle_history_ids
        self.assertEqual(
            history.sorted("id").mapped("stage_to_id.code"),
            ["possible", "probable", "new_customer"],
        )
        last = history.sorted("id")[-1]
        self.assertEqual(last.trigger, "event")
        self.assertEqual(last.event_id.code, "order_confirmed")
        self.assertEqual(last.rule_id, self.env.ref("crm_lifecycle.rule_new_customer"))
        self.assertEqual((last.res_model, last.res_id), ("sale.order", order.id))
        self.assertIn(order.name, last.reason_display)
        self.assertIn("Order confirmed", last.reason_display)
        self.assertEqual(last.stage_from_id.code, "probable")
        # the reason is rendered in the reader's language, whoever moved it
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"].search(
            [("name", "=", "crm_lifecycle")]
        )._update_translations(["es_ES"])
        spanish = last.with_context(lang="es_ES").reason_display
        self.assertIn("Pedido confirmado", spanish)
        self.assertIn(order.name, spanish)
        self.assertNotIn("Order confirmed", spanish)
        # the previous stay is closed when the customer moves on
        previous = history.sorted("id")[-2]
        self.assertEqual(previous.date_end, last.date)
        self.assertFalse(last.date_end)

    def test_invoices_and_payments_update_the_facts(self):
        order = self._order(qty=3, price=200.0)
        self.assertEqual(self.customer.lifecycle_invoiced_amount, 0.0)
        invoice = self._invoice(order)
        self.assertEqual(self.customer.lifecycle_invoiced_amount, 600.0)
        self.assertEqual(self.customer.lifecycle_paid_amount, 0.0)
        self.assertFalse(self.customer.lifecycle_last_payment_date)

        self._pay(invoice, amount=250.0)
        self.assertEqual(self.customer.lifecycle_paid_amount, 250.0)
        self.assertEqual(
            self.customer.lifecycle_last_payment_date,
            fields.Date.context_today(self.customer),
        )

        # a credit note counts against the invoiced total
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "damaged"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.invoice_line_ids.quantity = 1
        refund.action_post()
        self.assertEqual(self.customer.lifecycle_invoiced_amount, 400.0)

        # a draft invoice of another customer does not count
        self._order(partner=self.partner)
        self.assertEqual(self.customer.lifecycle_order_count, 1)

    def test_high_value_customer(self):
        order = self._order(qty=10, price=1500.0)
        self.assertStage(self.customer, "new_customer")
        self._invoice(order)
        self.assertStage(self.customer, "high_value")

    def _run_nightly(self):
        cron = self.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_nightly_cron_at_risk_then_lost_then_back(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            self._order()
        self.assertStage(self.customer, "new_customer")

        with freeze_time(start + timedelta(days=100)):
            self._run_nightly()
            self.assertStage(self.customer, "low_value")

        with freeze_time(start + timedelta(days=200)):
            self._run_nightly()
            self.assertStage(self.customer, "at_risk")
            self.assertEqual(self.customer.lifecycle_days_since_purchase, 200)
            # the salesperson gets an activity to win the customer back
            activity = self.customer.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.salesman)
            self.assertEqual(
                activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
            )
            # a second run the same day changes nothing
            self._run_nightly()
            self.assertEqual(len(self.customer.lifecycle_history_ids), 3)

        with freeze_time(start + timedelta(days=400)):
            self._run_nightly()
            self.assertStage(self.customer, "lost")
            move = self.customer.lifecycle_history_ids.sorted("id")[-1]
            self.assertEqual(move.trigger, "rule")
            self.assertEqual(move.rule_id, self.env.ref("crm_lifecycle.rule_lost"))

            # a new order brings the customer back
            self._order()
            self.assertStage(self.customer, "low_value")
            self.assertEqual(
                self.customer.lifecycle_history_ids.sorted("id")[-1].event_id.code,
                "order_confirmed",
            )

    def test_forward_only_and_lock(self):
        self._order()
        self.assertStage(self.customer, "new_customer")
        # a lead does not make a customer a prospect again (forward-only rules
        # and the prospect rules only apply to prospects)
        self._lead()
        self.assertStage(self.customer, "new_customer")

        # a forward-only rule never moves back...
        rule = self.env["crm.lifecycle.rule"].create(
            {
                "name": "Everyone with orders is possible",
                "sequence": 1,
                "filter_domain": "[('lifecycle_order_count', '>', 0)]",
                "stage_id": self.stages["possible"].id,
            }
        )
        self.customer.action_lifecycle_refresh()
        self.assertStage(self.customer, "new_customer")
        # ...unless it says so
        rule.allow_backward = True
        self.customer.action_lifecycle_refresh()
        self.assertStage(self.customer, "possible")

        # a locked customer never moves automatically
        rule.active = False
        self.customer.lifecycle_locked = True
        self._order()
        self.assertStage(self.customer, "possible")
        self.customer.lifecycle_locked = False
        self._order()
        self.assertStage(self.customer, "new_customer")

    def test_manual_move_is_recorded_in_history_and_chatter(self):
        self._lead()
        self.flush_tracking()
        self.customer.with_user(self.salesman).write(
            {"lifecycle_stage_id": self.stages["captive"].id}
        )
        self.flush_tracking()
        move = self.customer.lifecycle_history_ids.sorted("id")[-1]
        self.assertEqual(move.trigger, "manual")
        self.assertEqual(move.user_id, self.salesman)
        self.assertEqual(move.stage_from_id.code, "possible")
        self.assertEqual(
            self.customer.lifecycle_date_stage.replace(microsecond=0),
            move.date.replace(microsecond=0),
        )
        tracked = self.customer.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "lifecycle_stage_id"
        )[:1]
        self.assertEqual(tracked.old_value_char, "Possible prospect")
        self.assertEqual(tracked.new_value_char, "Captive (loyal) customer")

    def test_write_tracks_the_stage_and_lock_only_when_set(self):
        """A write of other fields (core raises the customer rank after each
        invoice and payment) does not read the stage and the lock for their
        tracking: they change only when written. Setting them is tracked as
        before, from their value before the write."""
        customer = self.customer
        self._order()
        self.flush_tracking()
        self.assertStage(customer, "new_customer")
        key = f"mail.tracking.{customer._name}"
        customer.write({"customer_rank": customer.customer_rank + 1, "name": "Renamed"})
        initial = self.env.cr.precommit.data[key][customer.id]
        self.assertIn("name", initial, "the other tracked fields still are")
        self.assertNotIn("lifecycle_stage_id", initial)
        self.assertNotIn("lifecycle_locked", initial)
        customer.with_user(self.salesman).write(
            {"lifecycle_stage_id": self.stages["captive"].id, "lifecycle_locked": True}
        )
        self.flush_tracking()
        values = customer.message_ids.tracking_value_ids
        stage = values.filtered(lambda t: t.field_id.name == "lifecycle_stage_id")
        self.assertEqual(stage[:1].old_value_char, "New customer")
        self.assertEqual(stage[:1].new_value_char, "Captive (loyal) customer")
        locked = values.filtered(lambda t: t.field_id.name == "lifecycle_locked")
        self.assertEqual(len(locked), 1)
        renamed = values.filtered(lambda t: t.field_id.name == "name")
        self.assertEqual(renamed[:1].new_value_char, "Renamed")

    def test_automatic_move_reason_in_chatter(self):
        self._lead()
        self.flush_tracking()
        order = self._order()
        self.flush_tracking()
        message = self.customer.message_ids.filtered(
            lambda m: m.tracking_value_ids.field_id.name == "lifecycle_stage_id"
        )[0]
        self.assertIn(order.name, message.body)
        self.assertIn("New customer: first confirmed order", message.body)
        self.assertEqual(
            message.subtype_id, self.env.ref("crm_lifecycle.mt_partner_lifecycle_stage")
        )

    def test_automatic_moves_log_their_messages_in_one_batch(self):
        """The chatter messages of an automatic move (the stage change, its
        reason) are written together: as many queries for 5 customers as for
        10, one message each, as the tracking would write it."""
        lost = self.env.ref("crm_lifecycle.stage_lost")
        start = 0

        def move(count):
            nonlocal start
            partners = self.env["res.partner"].create(
                [
                    {"name": f"Batch move {start + i}", "is_company": True}
                    for i in range(count)
                ]
            )
            start += count
            self.flush_tracking()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            partners.with_context(lifecycle_no_activity=True)._lifecycle_move(
                lost, reason="Batch test"
            )
            self.flush_tracking()
            queries = self.cr.sql_log_count - before
            for partner in partners:
                message = partner.message_ids.filtered(
                    lambda m: m.tracking_value_ids.field_id.name == "lifecycle_stage_id"
                )
                self.assertEqual(len(message), 1)
                self.assertIn("Batch test", message.body)
                self.assertEqual(
                    message.subtype_id,
                    self.env.ref("crm_lifecycle.mt_partner_lifecycle_stage"),
                )
                self.assertEqual(message.tracking_value_ids.new_value_char, lost.name)
            return queries

        move(2)  # warm the caches
        self.assertEqual(move(5), move(10))

    def test_automatic_move_notifies_who_follows_stage_changes(self):
        """The messages of automatic moves are written in one batch, but a
        salesperson who chose to follow a customer's stage changes is still
        notified, as the field tracking would notify them; a follower of
        other subtypes is not."""
        subtype = self.env.ref("crm_lifecycle.mt_partner_lifecycle_stage")
        followed, other = self.env["res.partner"].create(
            [
                {"name": "Followed customer", "is_company": True},
                {"name": "Other customer", "is_company": True},
            ]
        )
        followed.message_subscribe(
            partner_ids=self.salesman.partner_id.ids, subtype_ids=subtype.ids
        )
        other.message_subscribe(partner_ids=self.salesman.partner_id.ids)
        self.flush_tracking()
        (followed | other).with_context(lifecycle_no_activity=True)._lifecycle_move(
            self.env.ref("crm_lifecycle.stage_lost"), reason="Batch test"
        )
        self.flush_tracking()
        notified = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.salesman.partner_id.id),
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "in", (followed | other).ids),
            ]
        )
        self.assertEqual(notified.mail_message_id.mapped("res_id"), followed.ids)
        self.assertEqual(notified.mail_message_id.subtype_id, subtype)

    def test_lost_leads_make_an_improbable_prospect(self):
        lead = self._lead()
        self.assertStage(self.customer, "possible")
        lead.action_set_lost()
        self.assertStage(self.customer, "improbable")
        self.assertEqual(self.customer.lifecycle_open_opportunity_count, 0)

    def test_time_in_stage(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            self._lead()
        with freeze_time(start + timedelta(days=3)):
            self._order()
        with freeze_time(start + timedelta(days=5)):
            durations = self.customer.duration_tracking
            self.assertEqual(durations[str(self.stages["possible"].id)], 3 * 86400)
            self.assertEqual(durations[str(self.stages["new_customer"].id)], 2 * 86400)
            possible = self.customer.lifecycle_history_ids.filtered(
                lambda h: h.stage_to_id.code == "possible"
            )
            self.assertAlmostEqual(possible.duration_days, 3.0, places=3)

    def test_initial_placement_of_existing_customers(self):
        # documents from before the module (events off), then the install hook
        self._order(partner=self.customer.with_context(lifecycle_disable=True))
        order = self.env["sale.order"].search([("partner_id", "=", self.customer.id)])
        self.assertTrue(order)
        self.env["crm.lifecycle.stage"].flush_model()
        self.customer.lifecycle_stage_id = False
        self.env["crm.lifecycle.history"].search(
            [("partner_id", "=", self.customer.id)]
        ).unlink()
        self.customer.lifecycle_facts_date = False
        self.env["res.partner"]._lifecycle_initial_evaluation()
        self.assertStage(self.customer, "new_customer")
        move = self.customer.lifecycle_history_ids
        self.assertEqual(len(move), 1)
        self.assertEqual(move.trigger, "install")
        self.assertIn("Initial placement", move.reason_display)
        self.assertEqual(
            self.customer.lifecycle_facts_date, fields.Date.context_today(self.customer)
        )

    def test_nightly_job_in_small_batches_reaches_every_customer(self):
        customers = self.env["res.partner"].create(
            [{"name": f"Batch customer {i}", "is_company": True} for i in range(5)]
        )
        start = fields.Datetime.now()
        with freeze_time(start):
            for customer in customers:
                self._order(partner=customer)
        # a stale fact the job must correct (written behind the ORM's back)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET lifecycle_order_count ="
            " jsonb_build_object(%s::text, 7) WHERE id = %s",
            [self.env.company.id, customers[0].id],
        )
        self.env.invalidate_all()
        cron = self.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly")
        cron.code = "model._cron_lifecycle_nightly(batch_size=2)"
        with freeze_time(start + timedelta(days=100)):
            with self.enter_registry_test_mode():
                cron.method_direct_trigger()
            today = fields.Date.context_today(self.customer)
        self.env.invalidate_all()
        self.assertEqual(set(customers.mapped("lifecycle_facts_date")), {today})
        self.assertEqual(customers[0].lifecycle_order_count, 1)
        self.assertEqual(
            set(customers.mapped("lifecycle_stage_id.code")), {"low_value"}
        )
