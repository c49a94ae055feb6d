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


@tagged("post_install", "-at_install")
class TestLifecycleCronConcurrency(BaseCase):
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
            cr.execute(
                "UPDATE res_partner SET lifecycle_stage_id = %s,"
                " lifecycle_facts_date = NULL"
                " WHERE id = ANY(%s) OR parent_id = ANY(%s)",
                [improbable.id, partners.ids, partners.ids],
            )
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
