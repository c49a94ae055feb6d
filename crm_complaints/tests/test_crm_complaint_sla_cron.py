# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import FRIDAY_AFTERNOON, ComplaintCommon

# Friday 9 January 2026, 17:30 Madrid: past the warning (17:00), before the
# response deadline (Tuesday 10:00 Madrid)
FRIDAY_EVENING = datetime(2026, 1, 9, 16, 30)
# Tuesday 13 January 2026, 11:00 Madrid: the response deadline has passed
TUESDAY_LATE = datetime(2026, 1, 13, 10, 0)


@tagged("post_install", "-at_install")
class TestComplaintSlaCron(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("crm_complaints.ir_cron_complaint_sla")

    def _run_cron(self):
        with self.enter_registry_test_mode():
            result = self.cron.method_direct_trigger()
        # a failing job is logged and returned as an action, not raised
        self.assertIs(result, True)
        self.env.invalidate_all()

    def _activities(self, complaint, user):
        return complaint.activity_ids.filtered(lambda a: a.user_id == user)

    def test_warning_then_escalation(self):
        with freeze_time(FRIDAY_AFTERNOON):
            complaint = self._create_complaint(user_id=self.user_agent.id)
        self.assertEqual(complaint.sla_status, "on_track")

        with freeze_time(FRIDAY_EVENING):
            self._run_cron()
        self.assertEqual(complaint.sla_status, "at_risk")
        self.assertTrue(complaint.sla_warning_sent)
        self.assertFalse(complaint.sla_escalated)
        warning = self._activities(complaint, self.user_agent)
        self.assertEqual(len(warning), 1)
        self.assertEqual(warning.summary, "SLA at risk")
        self.assertFalse(self._activities(complaint, self.user_leader))
        self.assertNotIn(self.user_leader.partner_id, complaint.message_partner_ids)

        with freeze_time(TUESDAY_LATE):
            self._run_cron()
        self.assertEqual(complaint.sla_status, "breached")
        self.assertTrue(complaint.sla_escalated)
        escalation = self._activities(complaint, self.user_leader)
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.summary, "SLA breached: escalated")
        self.assertIn(self.user_leader.partner_id, complaint.message_partner_ids)
        self.assertIn(
            "escalated to the team leader", complaint.message_ids[0].body or ""
        )

        # idempotent: a second run finds nothing to do
        messages = complaint.message_ids
        with freeze_time(TUESDAY_LATE):
            self._run_cron()
        self.assertEqual(complaint.message_ids, messages)
        self.assertEqual(len(complaint.activity_ids), 2)

    def test_breach_without_warning_window(self):
        """A complaint found breached is escalated even if it was never warned;
        one without owner warns nobody but is still escalated."""
        with freeze_time(FRIDAY_AFTERNOON):
            complaint = self._create_complaint(user_id=False)
        with freeze_time(TUESDAY_LATE):
            self._run_cron()
        self.assertEqual(complaint.sla_status, "breached")
        self.assertTrue(complaint.sla_escalated)
        self.assertEqual(len(self._activities(complaint, self.user_leader)), 1)

    def test_paused_and_closed_are_left_alone(self):
        with freeze_time(FRIDAY_AFTERNOON):
            paused = self._create_complaint(user_id=self.user_agent.id)
            closed = self._create_complaint(user_id=self.user_agent.id)
            paused.stage_id = self.stage_waiting
            closed.stage_id = self.stage_closed
        with freeze_time(TUESDAY_LATE):
            self._run_cron()
        self.assertEqual(paused.sla_status, "paused")
        self.assertFalse(paused.sla_escalated or paused.sla_warning_sent)
        self.assertEqual(closed.sla_status, "met")
        self.assertFalse(closed.activity_ids)

    def test_batches(self):
        """The job works in batches (several workers can share it, each one
        locking its batch) and runs again until nothing remains."""
        self.env["ir.config_parameter"].set_param(
            "crm_complaints.sla_cron_batch_size", 2
        )
        with freeze_time(FRIDAY_AFTERNOON):
            complaints = self.env["crm.complaint"].create(
                [
                    {
                        "subject": f"Late {index}",
                        "partner_id": self.customer_a.id,
                        "team_id": self.team.id,
                        "user_id": self.user_agent.id,
                    }
                    for index in range(5)
                ]
            )
        with freeze_time(TUESDAY_LATE):
            now = datetime.now()
            due = self.env["crm.complaint"].search(
                self.env["crm.complaint"]._sla_cron_domain(now)
            )
            self.assertEqual(due & complaints, complaints)
            self._run_cron()
            self.assertEqual(set(complaints.mapped("sla_status")), {"breached"})
            self.assertTrue(all(complaints.mapped("sla_escalated")))
            self.assertFalse(
                self.env["crm.complaint"].search_count(
                    self.env["crm.complaint"]._sla_cron_domain(now)
                    + [("id", "in", complaints.ids)]
                )
            )
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", self.cron.id)], order="id desc", limit=1
        )
        self.assertEqual(progress.remaining, 0)

    def _breach(self, count):
        with freeze_time(FRIDAY_AFTERNOON):
            complaints = self.env["crm.complaint"].create(
                [
                    {
                        "subject": f"Breach {count}-{index}",
                        "partner_id": self.customer_a.id,
                        "team_id": self.team.id,
                        "user_id": self.user_agent.id,
                    }
                    for index in range(count)
                ]
            )
        self.env.flush_all()
        return complaints

    def test_escalations_in_batch_with_one_digest_per_leader(self):
        """Escalating many complaints costs the same queries as a few: the
        activities and notes are created in batch and the leader gets one
        message listing them, not one mail per complaint."""
        counts = []
        for count in (2, 3, 30):  # the first run warms the caches up
            complaints = self._breach(count)
            with freeze_time(TUESDAY_LATE):
                complaints._sla_refresh_status()
                self.env.flush_all()
                start = self.env.cr.sql_log_count
                complaints._sla_process()
                self.env.flush_all()
                counts.append(self.env.cr.sql_log_count - start)
            self.assertTrue(all(complaints.mapped("sla_escalated")))
            self.assertEqual(
                len(
                    complaints.activity_ids.filtered(
                        lambda a: a.user_id == self.user_leader
                    )
                ),
                count,
            )
            digest = self.env["mail.message"].search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "=", self.user_leader.partner_id.id),
                    ("subject", "=", f"{count} complaint(s) missed their SLA"),
                ]
            )
            self.assertEqual(len(digest), 1)
            self.assertIn(complaints[-1].name, digest.body)
        self.assertEqual(counts[1], counts[2])
