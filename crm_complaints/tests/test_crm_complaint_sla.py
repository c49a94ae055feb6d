# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time
from pytz import utc

from odoo.tests import tagged

from .common import FRIDAY_AFTERNOON, ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintSla(ComplaintCommon):
    """Deadlines in working time of the team's calendar (weekdays 8-12, 13-17 in
    Madrid, UTC+1 in January; Monday 12 January 2026 is a public holiday).

    All datetimes below are UTC, hand-computed from Madrid local time."""

    @freeze_time(datetime(2026, 1, 13, 8, 0))
    def test_policy_matching_order(self):
        complaints = self.env["crm.complaint"].create(
            [
                {
                    "subject": "urgent, any team",
                    "partner_id": self.customer_a.id,
                    "team_id": self.team_other.id,
                    "priority": "3",
                    "category_id": self.category_damaged.id,
                },
                {
                    "subject": "damaged (subcategory of Product)",
                    "partner_id": self.customer_a.id,
                    "team_id": self.team_other.id,
                    "category_id": self.category_damaged.id,
                },
                {
                    "subject": "a request about a damaged product",
                    "partner_id": self.customer_a.id,
                    "team_id": self.team.id,
                    "kind": "request",
                    "category_id": self.category_damaged.id,
                },
                {
                    "subject": "billing question, other team",
                    "partner_id": self.customer_a.id,
                    "team_id": self.team_other.id,
                    "category_id": self.category_billing.id,
                },
            ]
        )
        self.assertEqual(
            complaints.mapped("sla_policy_id"),
            self.policy_urgent + self.policy_damaged + self.policy_standard,
        )
        self.assertFalse(complaints[3].sla_policy_id)
        self.assertFalse(complaints[3].sla_deadline)
        self.assertFalse(complaints[3].sla_status)
        # the policy follows the complaint: raising the priority
        complaints[3].priority = "3"
        self.assertEqual(complaints[3].sla_policy_id, self.policy_urgent)
        # 1 working hour to answer, warned 1 hour before: at risk at once
        self.assertEqual(complaints[3].sla_warning_date, datetime(2026, 1, 13, 8, 0))
        self.assertEqual(complaints[3].sla_status, "at_risk")
        self.assertEqual(complaints[1].sla_status, "on_track")

    @freeze_time(FRIDAY_AFTERNOON)
    def test_deadlines_weekend_and_holiday(self):
        complaint = self._create_complaint()
        self.assertEqual(complaint.date_open, FRIDAY_AFTERNOON)
        self.assertEqual(complaint.sla_policy_id, self.policy_standard)
        # response, 4 working hours: Friday 15-17 (2h), weekend, Monday is a
        # holiday, Tuesday 8-10 (2h) -> Tuesday 13 January 10:00 Madrid
        self.assertEqual(complaint.sla_response_deadline, datetime(2026, 1, 13, 9, 0))
        # resolution, 16 working hours: Friday 2h, Tuesday 8h, Wednesday 8-12 and
        # 13-15 (6h) -> Wednesday 14 January 15:00 Madrid
        self.assertEqual(
            complaint.sla_resolution_deadline, datetime(2026, 1, 14, 14, 0)
        )
        # the next deadline is the response; at risk 2 working hours before
        # it: Friday 17:00 Madrid
        self.assertEqual(complaint.sla_deadline, complaint.sla_response_deadline)
        self.assertEqual(complaint.sla_warning_date, datetime(2026, 1, 9, 16, 0))
        self.assertEqual(complaint.sla_status, "on_track")
        # the same as core's own planning on this calendar
        start = utc.localize(FRIDAY_AFTERNOON)
        for hours, deadline in (
            (4, complaint.sla_response_deadline),
            (16, complaint.sla_resolution_deadline),
        ):
            planned = self.calendar.plan_hours(hours, start, compute_leaves=True)
            self.assertEqual(planned.astimezone(utc).replace(tzinfo=None), deadline)
        # without the holiday, the response would be due on Monday
        self.holiday.unlink()
        complaint.invalidate_recordset()
        complaint.date_open = FRIDAY_AFTERNOON  # recompute
        self.assertEqual(complaint.sla_response_deadline, datetime(2026, 1, 12, 9, 0))

    def test_pause_pushes_the_resolution_deadline(self):
        with freeze_time(FRIDAY_AFTERNOON):
            complaint = self._create_complaint(user_id=self.user_agent.id)
        # Tuesday 9:00 Madrid: the agent answers, the response target is met
        with freeze_time(datetime(2026, 1, 13, 8, 0)):
            complaint.with_user(self.user_agent).message_post(
                body="We are looking into it.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertEqual(complaint.date_first_response, datetime(2026, 1, 13, 8))
            self.assertEqual(complaint.sla_deadline, complaint.sla_resolution_deadline)
        # Tuesday 11:00 Madrid: waiting on the customer, the clock stops
        with freeze_time(datetime(2026, 1, 13, 10, 0)):
            complaint.stage_id = self.stage_waiting
            self.assertEqual(complaint.date_paused, datetime(2026, 1, 13, 10, 0))
            self.assertTrue(complaint.is_paused)
        # Wednesday 9:30 Madrid: the customer answered
        with freeze_time(datetime(2026, 1, 14, 8, 30)):
            complaint.stage_id = self.stage_progress
            self.assertFalse(complaint.date_paused)
        # paused working time: Tuesday 11-12 and 13-17, Wednesday 8-9:30
        self.assertAlmostEqual(complaint.sla_paused_hours, 6.5)
        self.assertFalse(complaint.sla_response_paused_hours)
        # resolution: 16 + 6.5 = 22.5 working hours from Friday 15:00:
        # Friday 2h, Tuesday 8h, Wednesday 8h, Thursday 8-12 and 13-13:30
        self.assertEqual(
            complaint.sla_resolution_deadline, datetime(2026, 1, 15, 12, 30)
        )
        # the response deadline (already met) does not move
        self.assertEqual(complaint.sla_response_deadline, datetime(2026, 1, 13, 9, 0))
        with freeze_time(datetime(2026, 1, 15, 12, 0)):
            complaint.stage_id = self.stage_resolved
        self.assertEqual(complaint.sla_status, "met")
        self.assertEqual(complaint.date_closed, datetime(2026, 1, 15, 12, 0))

    def test_pause_before_the_response(self):
        with freeze_time(FRIDAY_AFTERNOON):
            complaint = self._create_complaint()
        # Friday 16:00 Madrid to Tuesday 9:00 Madrid: 2 working hours paused
        with freeze_time(datetime(2026, 1, 9, 15, 0)):
            complaint.stage_id = self.stage_waiting
        # while paused, the clock stands still: no breach even past the deadline
        with freeze_time(datetime(2026, 1, 13, 8, 0)):
            complaint._sla_refresh_status()
            self.assertEqual(complaint.sla_status, "paused")
            complaint.stage_id = self.stage_progress
        self.assertAlmostEqual(complaint.sla_response_paused_hours, 2.0)
        # response: 4 + 2 working hours -> Tuesday 12:00 Madrid
        self.assertEqual(complaint.sla_response_deadline, datetime(2026, 1, 13, 11, 0))

    def test_status_met_and_breached(self):
        with freeze_time(FRIDAY_AFTERNOON):
            on_time, late = self._create_complaint() | self._create_complaint()
        with freeze_time(datetime(2026, 1, 13, 8, 30)):
            on_time.stage_id = self.stage_closed
        self.assertEqual(on_time.sla_status, "met")
        # closed on Tuesday 10:30 Madrid: the response was due at 10:00
        with freeze_time(datetime(2026, 1, 13, 9, 30)):
            late.stage_id = self.stage_closed
        self.assertEqual(late.date_first_response, datetime(2026, 1, 13, 9, 30))
        self.assertEqual(late.sla_status, "breached")
        # searchable and groupable
        found = self.env["crm.complaint"].search(
            [("sla_status", "=", "breached"), ("id", "in", (on_time | late).ids)]
        )
        self.assertEqual(found, late)
        # reopening clears the close date
        on_time.stage_id = self.stage_progress
        self.assertFalse(on_time.date_closed)

    def test_batch_planning_matches_core_planning(self):
        calendar = self.calendar
        starts = [
            datetime(2026, 1, 9, 14, 0),  # Friday afternoon
            datetime(2026, 1, 10, 10, 0),  # Saturday
            datetime(2026, 1, 12, 9, 0),  # the holiday
            datetime(2026, 1, 13, 11, 30),  # Tuesday lunch time (Madrid)
            datetime(2026, 1, 14, 16, 0),  # Wednesday after hours (Madrid)
        ]
        tasks = [(start, hours) for start in starts for hours in (0, 1, 3.5, 8, 41)]
        planned = calendar._complaint_plan_hours_batch(tasks)
        for (start, hours), result in zip(tasks, planned, strict=True):
            expected = calendar.plan_hours(
                hours, utc.localize(start), compute_leaves=True
            )
            self.assertEqual(
                result,
                expected.astimezone(utc).replace(tzinfo=None),
                f"{hours}h from {start}",
            )
        periods = [(start, start + timedelta(days=3, hours=5)) for start in starts]
        counted = calendar._complaint_work_hours_batch(periods)
        for (start, end), hours in zip(periods, counted, strict=True):
            self.assertAlmostEqual(
                hours,
                calendar.get_work_hours_count(
                    utc.localize(start), utc.localize(end), compute_leaves=True
                ),
            )

    def test_deadlines_of_many_complaints_in_constant_queries(self):
        """Changing a policy recomputes the deadlines of all its complaints with
        the same number of queries (one fetch of the calendar's intervals), be
        they 3 or 15."""
        for size in (3, 15):
            with freeze_time(FRIDAY_AFTERNOON):
                complaints = self.env["crm.complaint"].create(
                    [
                        {
                            "subject": f"Complaint {index}",
                            "partner_id": self.customer_a.id,
                            "team_id": self.team.id,
                        }
                        for index in range(size)
                    ]
                )
            self.env.invalidate_all()
            self.env.flush_all()
            with self.assertQueryCount(11):
                self.policy_standard.resolution_hours = 24
            # 24 working hours from Friday 15:00: Friday 2h, Tuesday, Wednesday,
            # Thursday 8-12 and 13-15 -> Thursday 15 January 15:00 Madrid
            self.assertEqual(
                set(complaints.mapped("sla_resolution_deadline")),
                {datetime(2026, 1, 15, 14, 0)},
            )
            # start the next round from the same situation
            complaints.unlink()
            self.policy_standard.resolution_hours = 16
