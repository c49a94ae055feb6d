# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import FRIDAY_AFTERNOON, ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintReport(ComplaintCommon):
    def test_analysis_measures(self):
        with freeze_time(FRIDAY_AFTERNOON):
            met = self._create_complaint(
                category_id=self.category_billing.id,
                amount_claimed=100,
                partner_id=self.contact_a.id,
            )
            late = self._create_complaint(category_id=self.category_billing.id)
            running = self._create_complaint(category_id=self.category_damaged.id)
        # met: answered and closed on Tuesday 9:00 Madrid (90 hours later)
        with freeze_time(datetime(2026, 1, 13, 8, 0)):
            met.stage_id = self.stage_resolved
        # late: closed on Thursday 9:00 Madrid (138 hours later), past its
        # resolution deadline
        with freeze_time(datetime(2026, 1, 15, 8, 0)):
            late.stage_id = self.stage_closed
        met.amount_granted = 80
        met.rating_apply(5, token=met.rating_ids.access_token)
        late.rating_apply(1, token=late.rating_ids.access_token)
        self.env.flush_all()

        Report = self.env["crm.complaint.report"]
        ids = (met | late | running).ids
        rows = {
            row.complaint_id: row
            for row in Report.search([("complaint_id", "in", ids)])
        }
        self.assertEqual(len(rows), 3)
        self.assertEqual(met.sla_status, "met")
        self.assertEqual(late.sla_status, "breached")
        self.assertEqual(rows[met].sla_compliance, 100)
        self.assertEqual(rows[late].sla_compliance, 0)
        self.assertFalse(rows[running].sla_compliance)
        self.assertEqual(rows[met].resolution_hours, 90)
        self.assertEqual(rows[met].response_hours, 90)
        self.assertEqual(rows[met].partner_id, self.customer_a)
        self.assertEqual(rows[met].rating, 5)
        self.assertEqual(rows[met].amount_granted, 80)

        # grouped as the pivot does: by category, with averages
        groups = Report._read_group(
            [("complaint_id", "in", ids)],
            ["category_id"],
            [
                "__count",
                "sla_compliance:avg",
                "resolution_hours:avg",
                "rating:avg",
                "amount_granted:sum",
            ],
        )
        by_category = {category: values for category, *values in groups}
        count, compliance, resolution, rating, granted = by_category[
            self.category_billing
        ]
        self.assertEqual(count, 2)
        self.assertEqual(compliance, 50)
        self.assertEqual(resolution, (90 + 138) / 2)
        self.assertEqual(rating, 3)
        self.assertEqual(granted, 80)
        count, compliance, *_rest = by_category[self.category_damaged]
        self.assertEqual(count, 1)
        self.assertFalse(compliance)
        # the customer's lifecycle stage is a dimension
        stages = Report._read_group(
            [("complaint_id", "in", ids)], ["lifecycle_stage_id"], ["__count"]
        )
        self.assertEqual(sum(count for _stage, count in stages), 3)
        # the views load
        views = Report.get_views(
            [(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")]
        )
        self.assertIn("sla_compliance", views["views"]["pivot"]["arch"])

    def test_analysis_access(self):
        self._create_complaint(team_id=self.team_other.id, user_id=False)
        mine = self._create_complaint(user_id=self.user_agent.id)
        Report = self.env["crm.complaint.report"]
        self.assertEqual(
            Report.with_user(self.user_agent).search([]).complaint_id, mine
        )
        self.assertEqual(len(Report.with_user(self.user_manager).search([])), 2)
