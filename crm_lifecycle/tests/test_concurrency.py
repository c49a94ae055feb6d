# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The nightly cron against a user editing the same customers, with two real
database transactions on committed data (created here and removed after)."""

# These tests need committed data seen by two transactions: they commit their own
# cursors (never the test's) and remove what they created.
# pylint: disable=invalid-commit
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import SQL

from odoo.addons.crm_lifecycle.company_values import with_company_value


class LifecycleConcurrencyCase(BaseCase):
    """Helpers: committed customers, their state, clean-up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry_ = Registry(get_db_name())

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _make_customers(self):
        with self.registry_.cursor() as cr:
            env = self._env(cr)
            stage = env.ref("crm_lifecycle.stage_probable")
            partners = env["res.partner"].create(
                [
                    {"name": f"Concurrent customer {i}", "is_company": True}
                    for i in range(3)
                ]
            )
            partners.write({"lifecycle_stage_id": stage.id})
            partners.write({"lifecycle_facts_date": False})
            cr.commit()
            return partners.ids

    def _make_customers_with_contacts(self):
        """Two prospects with a contact and an open opportunity each, still in
        "improbable": the nightly rules move them (and their contacts) on."""
        with self.registry_.cursor() as cr:
            env = self._env(cr)
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Concurrent prospect {i}",
                        "is_company": True,
                        "child_ids": [(0, 0, {"name": f"Concurrent contact {i}"})],
                    }
                    for i in range(2)
                ]
            )
            env["crm.lead"].create(
                [
                    {"name": "Deal", "type": "opportunity", "partner_id": p.id}
                    for p in partners
                ]
            )
            env.flush_all()
            improbable = env.ref("crm_lifecycle.stage_improbable")
            # the stage of the company the job runs for
            column = SQL.identifier("lifecycle_stage_id")
            value = SQL("%s", improbable.id)
            cr.execute(
                SQL(
                    "UPDATE res_partner SET lifecycle_stage_id = %s"
                    " WHERE id = ANY(%s) OR parent_id = ANY(%s)",
                    with_company_value(column, env.company.id, value),
                    partners.ids,
                    partners.ids,
                )
            )
            env["crm.lifecycle.facts.check"]._mark(partners.ids, False)
            cr.commit()
            return partners.ids, partners.child_ids.ids

    def _cleanup(self, ids):
        with self.registry_.cursor() as cr:
            env = self._env(cr)
            leads = env["crm.lead"].with_context(active_test=False)
            leads.search([("partner_id", "child_of", ids)]).unlink()
            ids = (
                env["res.partner"]
                .search([("id", "child_of", ids), ("active", "in", [True, False])])
                .ids
            )
            env["crm.lifecycle.history"].search([("partner_id", "in", ids)]).unlink()
            env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "in", ids)]
            ).unlink()
            env["res.partner"].browse(ids).unlink()
            cr.commit()

    def _state(self, ids):
        with self.registry_.cursor() as cr:
            env = self._env(cr)
            return {
                p.id: (
                    p.lifecycle_stage_id.code,
                    p.lifecycle_facts_date,
                    p.phone,
                    len(p.lifecycle_history_ids),
                )
                for p in env["res.partner"].browse(ids)
            }

    def _run_cron(self):
        with self.registry_.cursor() as cr:
            # a cron never waits long for a row: it skips the locked ones
            cr.execute("SET LOCAL lock_timeout = '10s'")
            self._env(cr)["res.partner"]._cron_lifecycle_nightly(batch_size=2)
            cr.commit()


@tagged("post_install", "-at_install")
class TestLifecycleCronConcurrency(LifecycleConcurrencyCase):
    def test_cron_skips_what_a_user_edits_and_catches_up(self):
        ids = self._make_customers()
        try:
            today = fields.Date.today()
            with self.registry_.cursor() as user_cr:
                # a salesperson is saving the first customer (not committed yet)
                user_env = self._env(user_cr)
                user_env["res.partner"].browse(ids[0]).write({"phone": "+34 600"})
                user_env.flush_all()
                self._run_cron()
                state = self._state(ids)
                self.assertFalse(state[ids[0]][1], "the locked customer is skipped")
                self.assertEqual({state[i][1] for i in ids[1:]}, {today})
                user_cr.commit()
            # the user's change survived the cron
            state = self._state(ids)
            self.assertEqual(state[ids[0]][2], "+34 600")
            # the next run picks the skipped customer up
            self._run_cron()
            after = self._state(ids)
            self.assertEqual({after[i][1] for i in ids}, {today})
            self.assertEqual(after[ids[0]][2], "+34 600")
            # a re-run of the job gives the same result (idempotent)
            with self.registry_.cursor() as cr:
                self._env(cr)["res.partner"].browse(ids).write(
                    {"lifecycle_facts_date": False}
                )
                cr.commit()
            self._run_cron()
            self.assertEqual(self._state(ids), after)
        finally:
            self._cleanup(ids)

    def test_cron_skips_customers_whose_contacts_are_being_edited(self):
        """A stage move is copied to the contacts: the job does not wait for a
        contact someone is editing (nor risk a deadlock with them), it leaves
        that customer for the next run."""
        ids, contact_ids = self._make_customers_with_contacts()
        try:
            with self.registry_.cursor() as user_cr:
                user_env = self._env(user_cr)
                user_env["res.partner"].browse(contact_ids[0]).write(
                    {"phone": "+34 611"}
                )
                user_env.flush_all()
                self._run_cron()
                with self.registry_.cursor() as cr:
                    env = self._env(cr)
                    first, second = env["res.partner"].browse(ids)
                    self.assertEqual(first.lifecycle_stage_id.code, "improbable")
                    self.assertFalse(first.lifecycle_facts_date)
                    moved_to = second.lifecycle_stage_id
                    self.assertNotEqual(moved_to.code, "improbable")
                    self.assertEqual(second.child_ids.lifecycle_stage_id, moved_to)

                user_cr.commit()
            self._run_cron()
            with self.registry_.cursor() as cr:
                env = self._env(cr)
                first = env["res.partner"].browse(ids[0])
                self.assertNotEqual(first.lifecycle_stage_id.code, "improbable")
                self.assertTrue(first.lifecycle_facts_date)
                self.assertEqual(
                    first.child_ids.lifecycle_stage_id, first.lifecycle_stage_id
                )
                self.assertEqual(first.child_ids.phone, "+34 611")
        finally:
            self._cleanup(ids)


@tagged("post_install", "-at_install")
class TestLifecycleEventConcurrency(LifecycleConcurrencyCase):
    """An event (a call logged, an opportunity created...) on a customer that
    another transaction is changing never fails the user's request: it is
    queued and applied by the deferred-events job, nothing is lost."""

    def _log_call(self, cr, customer_id):
        env = self._env(cr)
        return env["crm.interaction"].create(
            {"name": "Call", "partner_id": customer_id, "interaction_type": "call"}
        )

    def _facts(self, customer_id):
        with self.registry_.cursor() as cr:
            env = self._env(cr)
            customer = env["res.partner"].browse(customer_id)
            pending = env["crm.lifecycle.pending"].search(
                [("partner_id", "=", customer_id)]
            )
            return (
                customer.lifecycle_interaction_count,
                customer.lifecycle_stage_id.code,
                pending.event_id.mapped("code"),
            )

    def _process_pending(self):
        with self.registry_.cursor() as cr:
            cr.execute("SET LOCAL lock_timeout = '10s'")
            self._env(cr)["crm.lifecycle.pending"]._cron_process()
            cr.commit()

    def test_event_on_a_customer_held_by_another_user_is_deferred(self):
        ids = self._make_customers()
        customer_id = ids[0]
        try:
            with self.registry_.cursor() as user_cr:
                # a salesperson is saving the customer (not committed yet)
                user_env = self._env(user_cr)
                user_env["res.partner"].browse(customer_id).write({"phone": "+34 622"})
                user_env.flush_all()
                with self.registry_.cursor() as cr:
                    # would wait for the salesperson, then fail: it must not
                    cr.execute("SET LOCAL lock_timeout = '5s'")
                    call = self._log_call(cr, customer_id)
                    self._env(cr).flush_all()
                    cr.commit()
                user_cr.commit()
            self.assertTrue(call)
            self.assertEqual(
                self._facts(customer_id), (0, "probable", ["interaction_logged"])
            )
            self._process_pending()
            self.assertEqual(self._facts(customer_id), (1, "probable", []))
            self.assertEqual(self._state(ids)[customer_id][2], "+34 622")
            # the job has nothing left to do: a re-run changes nothing
            self._process_pending()
            self.assertEqual(self._facts(customer_id), (1, "probable", []))
        finally:
            self._cleanup(ids)

    def test_event_on_a_customer_changed_since_the_request_began_is_deferred(self):
        """REPEATABLE READ: a row committed by another transaction after this
        one started cannot be written (serialisation failure); the event is
        queued instead of failing the whole request."""
        ids = self._make_customers()
        customer_id = ids[1]
        try:
            with self.registry_.cursor() as cr:
                env = self._env(cr)
                # the request starts: its snapshot is taken
                self.assertTrue(env["res.partner"].browse(customer_id).name)
                with self.registry_.cursor() as other_cr:
                    self._env(other_cr)["res.partner"].browse(customer_id).write(
                        {"phone": "+34 633"}
                    )
                    other_cr.commit()
                env["crm.lead"].create(
                    {
                        "name": "New deal",
                        "type": "opportunity",
                        "partner_id": customer_id,
                    }
                )
                self._log_call(cr, customer_id)
                env.flush_all()
                cr.commit()
            count, stage, pending = self._facts(customer_id)
            self.assertEqual((count, stage), (0, "probable"))
            self.assertEqual(sorted(pending), ["interaction_logged", "lead_created"])
            self._process_pending()
            # the opportunity moved the prospect on, as it would have at once
            self.assertEqual(self._facts(customer_id), (2, "possible", []))
            with self.registry_.cursor() as cr:
                customer = self._env(cr)["res.partner"].browse(customer_id)
                self.assertEqual(customer.lifecycle_open_opportunity_count, 1)
                self.assertEqual(customer.lifecycle_history_ids[:1].trigger, "event")
                self.assertEqual(customer.phone, "+34 633")
        finally:
            self._cleanup(ids)
