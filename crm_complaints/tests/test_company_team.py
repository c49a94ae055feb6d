# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every company gets a complaint team, a copy of the shipped "Customer
Service" team, when it is created and, for the companies created before, at the
upgrade to 19.0.1.4.0; complaints filed in a company go to its team."""

from ast import literal_eval

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.common import load_migration


@tagged("post_install", "-at_install")
class TestCompanyTeam(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Team = cls.env["crm.complaint.team"].with_context(active_test=False)
        cls.template = cls.env.ref("crm_complaints.team_customer_service")
        cls.main_company = cls.env.ref("base.main_company")
        cls.leader = new_test_user(
            cls.env,
            "cmp_company_leader",
            groups="crm_complaints.group_complaint_user",
        )
        cls.template.write(
            {"user_id": cls.leader.id, "member_ids": [Command.link(cls.leader.id)]}
        )

    def _teams(self, company):
        return self.Team.search([("company_id", "=", company.id)])

    def test_new_company_gets_its_team(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.template.update_field_translations(
            "name", {"es_ES": "Atención al cliente"}
        )
        company = self.env["res.company"].create({"name": "Nueva Empresa"})
        team = self._teams(company)
        self.assertEqual(len(team), 1)
        self.assertNotEqual(team, self.template)
        self.assertTrue(team.active)
        self.assertEqual(team.name, "Customer Service")
        self.assertEqual(team.with_context(lang="es_ES").name, "Atención al cliente")
        # the company's working hours, the shipped templates, nobody of the
        # original team (they may not work for the new company)
        self.assertTrue(company.resource_calendar_id)
        self.assertEqual(team.resource_calendar_id, company.resource_calendar_id)
        self.assertEqual(
            team.acknowledgement_template_id, self.template.acknowledgement_template_id
        )
        self.assertEqual(team.rating_template_id, self.template.rating_template_id)
        self.assertEqual(
            team.unknown_sender_policy, self.template.unknown_sender_policy
        )
        self.assertFalse(team.user_id)
        self.assertFalse(team.member_ids)
        # its own alias, creating complaints of the new company
        self.assertTrue(team.alias_id)
        self.assertNotEqual(team.alias_id, self.template.alias_id)
        self.assertEqual(team.alias_id.alias_model_id.model, "crm.complaint")
        defaults = literal_eval(team.alias_id.alias_defaults)
        self.assertEqual(defaults["team_id"], team.id)
        self.assertEqual(defaults["company_id"], company.id)
        # the original keeps its people
        self.assertEqual(self.template.user_id, self.leader)
        self.assertEqual(self.template.company_id, self.main_company)
        # asking again creates nothing
        company._crm_create_company_data()
        self.assertEqual(self._teams(company), team)

    def test_complaint_of_a_company_goes_to_its_team(self):
        company = self.env["res.company"].create({"name": "Second Company"})
        team = self._teams(company)
        agent = new_test_user(
            self.env,
            "cmp_company_agent",
            groups="crm_complaints.group_complaint_user",
            company_id=company.id,
            company_ids=[Command.set([self.main_company.id, company.id])],
        )
        customer = self.env["res.partner"].create({"name": "Second Customer"})
        Complaint = (
            self.env["crm.complaint"]
            .with_user(agent)
            .with_company(company)
            .with_context(allowed_company_ids=[company.id, self.main_company.id])
        )
        self.assertEqual(Complaint.env.companies, company | self.main_company)
        complaint = Complaint.create(
            {"subject": "Late delivery", "partner_id": customer.id}
        )
        self.assertEqual(complaint.team_id, team)
        self.assertEqual(complaint.company_id, company)
        # in the main company, the main company's team
        complaint = Complaint.with_company(self.main_company).create(
            {"subject": "Broken leg", "partner_id": customer.id}
        )
        self.assertEqual(complaint.team_id.company_id, self.main_company)

    def test_migration_gives_existing_companies_a_team(self):
        migration = load_migration("crm_complaints", "19.0.1.4.0")
        company = self.env["res.company"].create({"name": "Old Company"})
        # as a company created before the upgrade: no team
        self._teams(company).unlink()
        # a company whose team was archived keeps it, without a new one
        archiving = self.env["res.company"].create({"name": "Archiving Company"})
        archived = self._teams(archiving)
        archived.active = False
        main_teams = self._teams(self.main_company)

        migration.migrate(self.env.cr, "19.0.1.3.0")
        self.env.invalidate_all()

        team = self._teams(company)
        self.assertEqual(len(team), 1)
        self.assertEqual(team.name, self.template.name)
        self.assertEqual(team.resource_calendar_id, company.resource_calendar_id)
        self.assertEqual(self._teams(archiving), archived)
        self.assertEqual(self._teams(self.main_company), main_teams)

    def test_without_the_shipped_team(self):
        self.template.unlink()
        company = self.env["res.company"].create({"name": "Fresh Company"})
        team = self._teams(company)
        self.assertEqual(len(team), 1)
        self.assertEqual(team.name, "Customer Service")
        self.assertEqual(team.resource_calendar_id, company.resource_calendar_id)
