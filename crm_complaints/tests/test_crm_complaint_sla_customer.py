# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import FRIDAY_AFTERNOON, ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintSlaCustomer(ComplaintCommon):
    """Service level by customer value: policies matching the customer's
    lifecycle stage or a customer filter (a segment, a predicted value, with
    the segmentation), and the complaint saying why its policy applies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.captive = cls.env.ref("crm_lifecycle.stage_captive")
        cls.policy_captive = cls.env["crm.complaint.sla.policy"].create(
            {
                "name": "Captive customers",
                "sequence": 2,
                "lifecycle_stage_ids": [Command.set(cls.captive.ids)],
                "response_hours": 4,
                "resolution_hours": 8,
            }
        )

    @freeze_time(FRIDAY_AFTERNOON)
    def test_captive_customer_gets_its_policy_and_why(self):
        self.customer_a.sudo()._lifecycle_move(self.captive)
        complaint = self._create_complaint()
        self.assertEqual(complaint.sla_policy_id, self.policy_captive)
        # 4 working hours: Friday 15-17, Monday is a holiday, Tuesday 8-10
        self.assertEqual(complaint.sla_response_deadline, datetime(2026, 1, 13, 9, 0))
        self.assertEqual(
            complaint.sla_policy_reason,
            f"“Captive customers”: Customer Stages: {self.captive.name}.",
        )
        # another customer of the same team: the standard policy
        other = self._create_complaint(partner_id=self.customer_b.id)
        self.assertEqual(other.sla_policy_id, self.policy_standard)
        self.assertEqual(
            other.sla_policy_reason, f"“Standard”: Teams: {self.team.name}."
        )
        # a complaint filed for a contact of the captive company
        contact = self.customer_a.child_ids[:1]
        if contact:
            by_contact = self._create_complaint(partner_id=contact.id)
            self.assertEqual(by_contact.sla_policy_id, self.policy_captive)

    def test_customer_filter_in_one_search_per_policy(self):
        """A customer filter (e.g. a segment or a predicted value with the
        segmentation; here a country) is evaluated once per policy for all
        the complaints, not per complaint."""
        self.customer_b.country_id = self.env.ref("base.es")
        spain = self.env["crm.complaint.sla.policy"].create(
            {
                "name": "Spain",
                "sequence": 3,
                "partner_domain": "[('country_id.code', '=', 'ES')]",
                "response_hours": 2,
                "resolution_hours": 10,
            }
        )
        self.customer_a.country_id = self.env.ref("base.fr")
        complaints = self.env["crm.complaint"].create(
            [
                {"subject": f"c{i}", "partner_id": partner.id, "team_id": self.team.id}
                for i, partner in enumerate([self.customer_a, self.customer_b] * 5)
            ]
        )
        self.assertEqual(
            complaints.mapped("sla_policy_id"), self.policy_standard + spain
        )
        self.assertEqual(
            complaints.filtered(lambda c: c.sla_policy_id == spain)[
                0
            ].sla_policy_reason,
            "“Spain”: Customer Filter: matched.",
        )

    def test_invalid_customer_filter_is_refused(self):
        with self.assertRaises(ValidationError):
            self.policy_captive.partner_domain = "[('no_such_field', '=', 1)]"

    def test_stage_of_the_complaint_company(self):
        """A customer shared by the companies has a stage in each: the
        policies match (and the analysis reports) the stage of the complaint's
        company."""
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.customer_a.sudo().with_company(company_b)._lifecycle_move(self.captive)
        self.assertNotEqual(self.customer_a.lifecycle_stage_id, self.captive)
        in_a = self._create_complaint()
        self.assertEqual(in_a.sla_policy_id, self.policy_standard)
        team_b = self.env["crm.complaint.team"].search(
            [("company_id", "=", company_b.id)], limit=1
        )
        in_b = (
            self.env["crm.complaint"]
            .with_company(company_b)
            .create(
                {
                    "subject": "Broken chair",
                    "partner_id": self.customer_a.id,
                    "team_id": team_b.id,
                    "company_id": company_b.id,
                }
            )
        )
        self.assertEqual(in_b.company_id, company_b)
        self.assertEqual(in_b.sla_policy_id, self.policy_captive)
        self.assertIn(self.captive.name, in_b.sla_policy_reason)
        # a customer filter on the stage: the stage of each complaint's company
        self.policy_captive.write(
            {
                "lifecycle_stage_ids": [Command.clear()],
                "partner_domain": f"[('lifecycle_stage_id', '=', {self.captive.id})]",
            }
        )
        matched = self.policy_captive._match_customers(in_a | in_b)
        self.assertEqual(
            matched[self.policy_captive.id], {(company_b.id, self.customer_a.id)}
        )
        # the analysis: the stage of the complaint's company
        self.env.flush_all()
        rows = self.env["crm.complaint.report"].search_read(
            [("complaint_id", "in", (in_a | in_b).ids)],
            ["complaint_id", "lifecycle_stage_id"],
        )
        stages = {row["complaint_id"][0]: row["lifecycle_stage_id"] for row in rows}
        self.assertEqual(stages[in_b.id][0], self.captive.id)
        self.assertNotEqual(stages[in_a.id] and stages[in_a.id][0], self.captive.id)
