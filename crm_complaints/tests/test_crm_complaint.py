# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestCrmComplaint(ComplaintCommon):
    def test_reference_from_sequence(self):
        complaints = (
            self.env["crm.complaint"]
            .with_user(self.user_agent)
            .create(
                [
                    {"subject": "Broken chair", "partner_id": self.customer_a.id},
                    {"subject": "Late delivery", "partner_id": self.customer_a.id},
                ]
            )
        )
        self.assertTrue(all(c.name.startswith("CMP/") for c in complaints))
        self.assertNotEqual(complaints[0].name, complaints[1].name)
        # defaults: the agent's team, the agent as owner, the first stage
        self.assertEqual(complaints.team_id, self.team)
        self.assertEqual(complaints.user_id, self.user_agent)
        self.assertEqual(complaints.stage_id, self.stage_new)
        self.assertEqual(complaints.company_id, self.company)
        with self.assertRaises(AccessError):
            complaints[0].with_user(self.user_agent).unlink()
        copy = complaints[0].copy()
        self.assertNotEqual(copy.name, complaints[0].name)
        self.assertEqual(copy.subject, "Broken chair (copy)")
        self.assertEqual(copy.stage_id, self.stage_new)

    def test_dates_set_automatically(self):
        with freeze_time(datetime(2026, 1, 13, 8, 0)):
            complaint = self._create_complaint(user_id=self.user_agent.id)
            self.assertEqual(complaint.date_open, datetime(2026, 1, 13, 8, 0))
            self.assertFalse(complaint.date_first_response)
            # an internal note is not a response
            complaint.with_user(self.user_agent).message_post(
                body="Internal note", subtype_xmlid="mail.mt_note"
            )
            self.assertFalse(complaint.date_first_response)
        with freeze_time(datetime(2026, 1, 13, 9, 0)):
            complaint.with_user(self.user_agent).message_post(
                body="Hello, we are on it.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertEqual(complaint.date_first_response, datetime(2026, 1, 13, 9))
        with freeze_time(datetime(2026, 1, 14, 9, 0)):
            complaint.stage_id = self.stage_progress
            self.assertEqual(
                complaint.date_last_stage_update, datetime(2026, 1, 14, 9, 0)
            )
        with freeze_time(datetime(2026, 1, 15, 9, 0)):
            complaint.action_close()
        # the customer closing stage, and the close date
        self.assertEqual(complaint.stage_id, self.stage_closed)
        self.assertEqual(complaint.date_closed, datetime(2026, 1, 15, 9, 0))
        self.assertEqual(complaint.resolution_hours, 49.0)
        self.assertFalse(complaint.can_portal_close)
        # a customer's reply is not a first response either
        with freeze_time(datetime(2026, 1, 13, 8, 0)):
            other = self._create_complaint()
            other.message_post(
                body="Any news?",
                author_id=self.customer_a.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertFalse(other.date_first_response)

    def test_stage_template_and_kanban_columns(self):
        template = self.env.ref(
            "crm_complaints.mail_template_complaint_acknowledgement"
        )
        self.stage_progress.mail_template_id = template
        complaint = self._create_complaint()
        count = len(complaint.message_ids)
        complaint.stage_id = self.stage_progress
        self.assertEqual(len(complaint.message_ids), count + 1)
        self.assertIn(self.customer_a, complaint.message_ids[0].partner_ids)
        # the kanban shows every stage, even empty ones
        result = (
            self.env["crm.complaint"]
            .with_context(read_group_expand=True)
            .web_read_group([("id", "=", complaint.id)], ["stage_id"], ["__count"])
        )
        stages = self.env["crm.complaint.stage"].search([])
        self.assertEqual(len(result["groups"]), len(stages))

    def test_form_and_onchange(self):
        form = Form(self.env["crm.complaint"].with_user(self.user_agent))
        form.subject = "Wrong colour"
        form.partner_id = self.contact_a
        self.assertEqual(form.email_from, self.contact_a.email)
        form.priority = "3"
        complaint = form.save()
        self.assertEqual(complaint.commercial_partner_id, self.customer_a)
        self.assertEqual(complaint.sla_policy_id, self.policy_urgent)
        self.assertIn(self.contact_a, complaint.message_partner_ids)

    def test_category_hierarchy(self):
        self.assertEqual(self.category_damaged.complete_name, "Product / Damaged")
        # the path reads in the reader's language
        self.env["res.lang"]._activate_lang("es_ES")
        self.category_product.with_context(lang="es_ES").name = "Producto"
        self.category_damaged.with_context(lang="es_ES").name = "Dañado"
        self.assertEqual(
            self.category_damaged.with_context(lang="es_ES").display_name,
            "Producto / Dañado",
        )
        self.assertEqual(
            self.category_damaged.with_context(lang="en_US").display_name,
            "Product / Damaged",
        )
        found = (
            self.env["crm.complaint.category"]
            .with_context(lang="es_ES")
            .name_search("Dañado")
        )
        self.assertEqual([cid for cid, _name in found], self.category_damaged.ids)
        with self.assertRaises(Exception):  # noqa: B017
            self.category_product.parent_id = self.category_damaged
            self.category_product.flush_recordset()

    def test_team_counts_and_views(self):
        self._create_complaint()
        self.assertEqual(self.team.complaint_open_count, 1)
        action = self.team.action_view_complaints()
        self.assertEqual(self.env["crm.complaint"].search_count(action["domain"]), 1)
        # every view of the complaint loads (kanban, list, calendar, ...)
        views = self.env["crm.complaint"].get_views(
            [
                (False, view_type)
                for view_type in (
                    "kanban",
                    "list",
                    "form",
                    "calendar",
                    "pivot",
                    "graph",
                    "activity",
                    "search",
                )
            ]
        )
        self.assertIn("o_kanban_mobile", views["views"]["kanban"]["arch"])
        self.assertIn("sla_deadline", views["views"]["calendar"]["arch"])
