# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The default team shipped in data: a database installed without demo data has
a team for the alias, the portal form and the SLA policies from the start."""

import re

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged


class DefaultTeamMixin:
    @classmethod
    def _setup_default_team(cls):
        cls.default_team = cls.env.ref("crm_complaints.team_customer_service")
        cls.main_company = cls.env.ref("base.main_company")
        # with demo data other teams exist: leave the default team alone
        (cls.env["crm.complaint.team"].search([]) - cls.default_team).active = False
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Gemini Furniture",
                "is_company": True,
                "email": "info@gemini.example.com",
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            "cmp_default_team_portal",
            name="Gina Gemini",
            email="gina@gemini.example.com",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.customer


@tagged("post_install", "-at_install")
class TestComplaintTeamDefault(DefaultTeamMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_default_team()

    def test_default_team_installed(self):
        team = self.default_team
        self.assertTrue(team.active)
        self.assertEqual(team.name, "Customer Service")
        self.assertEqual(team.company_id, self.main_company)
        # the company's working calendar, with working time to plan SLAs in
        self.assertTrue(team.resource_calendar_id)
        self.assertEqual(
            team.resource_calendar_id, self.main_company.resource_calendar_id
        )
        self.assertTrue(team.resource_calendar_id.attendance_ids)
        # its alias creates complaints (it gets a name when e-mail is set up)
        self.assertEqual(team.alias_id.alias_model_id.model, "crm.complaint")

    def test_complaint_without_team_gets_the_default_team(self):
        """Created as the portal creates it: with sudo, as the portal user, in
        the company of the complaint, without a team."""
        policy = self.env["crm.complaint.sla.policy"].create(
            {
                "name": "Customer service standard",
                "sequence": 0,
                "team_ids": [Command.set(self.default_team.ids)],
                "response_hours": 4,
                "resolution_hours": 16,
                "warning_hours": 2,
            }
        )
        complaint = (
            self.env["crm.complaint"]
            .with_user(self.portal_user)
            .sudo()
            .with_company(self.main_company)
            .create(
                {
                    "subject": "The table wobbles",
                    "partner_id": self.portal_user.partner_id.id,
                    "channel": "portal",
                    "company_id": self.main_company.id,
                }
            )
        )
        self.assertEqual(complaint.team_id, self.default_team)
        self.assertEqual(complaint.company_id, self.main_company)
        # the team's policy applies, planned in the team's calendar
        self.assertEqual(complaint.sla_policy_id, policy)
        self.assertTrue(complaint.sla_response_deadline)
        self.assertTrue(complaint.sla_resolution_deadline)
        self.assertGreater(complaint.sla_resolution_deadline, complaint.date_open)


@tagged("post_install", "-at_install")
class TestComplaintTeamDefaultPortal(DefaultTeamMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_default_team()

    def test_portal_form_files_into_the_default_team(self):
        self.authenticate("cmp_default_team_portal", "cmp_default_team_portal")
        page = self.url_open("/my/complaints/new")
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            "/my/complaints/new",
            data={
                "csrf_token": csrf,
                "subject": "Missing screws",
                "kind": "complaint",
                "description": "The screws of the shelf were not in the box.",
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["crm.complaint"].search(
            [("subject", "=", "Missing screws")]
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.team_id, self.default_team)
        self.assertEqual(complaint.channel, "portal")
