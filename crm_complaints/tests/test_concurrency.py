# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA cron against a user editing the same complaints, with two real
database transactions on committed data (created here and removed after)."""

from datetime import timedelta

# These tests need committed data seen by two transactions: they commit their own
# cursors (never the test's) and remove what they created.
# pylint: disable=invalid-commit
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import SQL

from odoo.addons.crm_lifecycle.company_values import with_company_value


@tagged("post_install", "-at_install")
class TestSlaCronConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry_ = Registry(get_db_name())

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _make_complaints(self, priorities=("1", "1", "1")):
        with self.registry_.cursor() as cr:
            env = self._env(cr)
            leader = env.ref("base.user_admin")
            team = env["crm.complaint.team"].create(
                {"name": "Concurrent team", "user_id": leader.id}
            )
            policy = env["crm.complaint.sla.policy"].create(
                {
                    "name": "Concurrent policy",
                    "sequence": 0,
                    "team_ids": [(6, 0, team.ids)],
                    "response_hours": 1,
                    "resolution_hours": 2,
                    "warning_hours": 1,
                }
            )
            customers = env["res.partner"].create(
                [
                    {"name": f"Concurrent customer {i}", "is_company": True}
                    for i in range(len(priorities))
                ]
            )
            complaints = env["crm.complaint"].create(
                [
                    {
                        "subject": f"Late {i}",
                        "partner_id": customer.id,
                        "team_id": team.id,
                        "priority": priority,
                        "date_open": fields.Datetime.now() - timedelta(days=30),
                    }
                    for i, (customer, priority) in enumerate(
                        zip(customers, priorities, strict=True)
                    )
                ]
            )
            cr.commit()
            return {
                "complaints": complaints.ids,
                "team": team.id,
                "policy": policy.id,
                "customers": customers.ids,
            }

    def _cleanup(self, data):
        with self.registry_.cursor() as cr:
            env = self._env(cr)
            complaints = env["crm.complaint"].browse(data["complaints"]).exists()
            complaints.activity_ids.unlink()
            complaints.unlink()
            env["crm.complaint.sla.policy"].browse(data["policy"]).unlink()
            env["crm.complaint.team"].browse(data["team"]).unlink()
            customers = env["res.partner"].browse(data["customers"])
            env["crm.lifecycle.history"].search(
                [("partner_id", "in", customers.ids)]
            ).unlink()
            env["crm.interaction"].search(
                [("partner_id", "in", customers.ids)]
            ).unlink()
            env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "in", customers.ids)]
            ).unlink()
            customers.unlink()
            cr.commit()

    def _state(self, ids):
        with self.registry_.cursor() as cr:
            env = self._env(cr)
            return {
                c.id: (
                    c.sla_status,
                    c.sla_escalated,
                    c.color,
                    len(c.activity_ids),
                )
                for c in env["crm.complaint"].browse(ids)
            }

    def _run_cron(self):
        with self.registry_.cursor() as cr:
            cr.execute("SET LOCAL lock_timeout = '10s'")
            self._env(cr)["crm.complaint"]._cron_sla_check(batch_size=50)
            cr.commit()

    def test_sla_cron_skips_what_a_user_edits_and_catches_up(self):
        data = self._make_complaints()
        ids = data["complaints"]
        try:
            with self.registry_.cursor() as user_cr:
                user_env = self._env(user_cr)
                user_env["crm.complaint"].browse(ids[0]).write({"color": 5})
                user_env.flush_all()
                self._run_cron()
                state = self._state(ids)
                self.assertFalse(state[ids[0]][1], "the locked complaint is skipped")
                self.assertEqual({state[i][:2] for i in ids[1:]}, {("breached", True)})
                self.assertEqual({state[i][3] for i in ids[1:]}, {1})
                user_cr.commit()
            state = self._state(ids)
            self.assertEqual(state[ids[0]][2], 5, "the user's change survived")
            self._run_cron()
            after = self._state(ids)
            self.assertEqual(
                {after[i][:2] for i in ids}, {("breached", True)}, "caught up"
            )
            self.assertEqual(after[ids[0]][2], 5)
            # running again escalates nothing twice (idempotent)
            self._run_cron()
            self.assertEqual(self._state(ids), after)
            self.assertEqual({after[i][3] for i in ids}, {1})
        finally:
            self._cleanup(data)

    def test_sla_cron_does_not_wait_for_a_customer_being_edited(self):
        """The breach of an urgent complaint moves its customer (a lifecycle
        event): while someone edits that customer, the job leaves the complaint
        for the next run instead of waiting for them (or deadlocking)."""
        data = self._make_complaints(priorities=("3", "1"))
        urgent, normal = data["complaints"]
        customer_id = data["customers"][0]
        with self.registry_.cursor() as cr:
            # the customer is not at risk yet: the breach will move it
            env = self._env(cr)
            stage = env.ref("crm_lifecycle.stage_new_customer")
            # the stage of the complaints' company
            cr.execute(
                SQL(
                    "UPDATE res_partner SET lifecycle_stage_id = %s WHERE id = %s",
                    with_company_value(
                        SQL.identifier("lifecycle_stage_id"),
                        env.company.id,
                        SQL("%s", stage.id),
                    ),
                    customer_id,
                )
            )
            cr.commit()
        try:
            with self.registry_.cursor() as user_cr:
                user_env = self._env(user_cr)
                user_env["res.partner"].browse(customer_id).write({"phone": "+34 622"})
                user_env.flush_all()
                self._run_cron()
                state = self._state([urgent, normal])
                self.assertFalse(state[urgent][1], "left for the next run")
                self.assertEqual(state[normal][:2], ("breached", True))
                user_cr.commit()
            self._run_cron()
            state = self._state([urgent, normal])
            self.assertEqual(state[urgent][:2], ("breached", True))
            with self.registry_.cursor() as cr:
                customer = self._env(cr)["res.partner"].browse(customer_id)
                self.assertEqual(customer.phone, "+34 622")
                self.assertEqual(customer.lifecycle_stage_id.code, "at_risk")
        finally:
            self._cleanup(data)
