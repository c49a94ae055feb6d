# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintRating(ComplaintCommon):
    def test_rating_requested_on_close_and_applied(self):
        complaint = self._create_complaint(
            partner_id=self.contact_a.id, user_id=self.user_agent.id
        )
        self.assertFalse(complaint.rating_ids)
        complaint.stage_id = self.stage_resolved
        self.assertTrue(complaint.rating_requested)
        rating = complaint.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.contact_a)
        self.assertEqual(rating.rated_partner_id, self.user_agent.partner_id)
        self.assertFalse(rating.consumed)
        request = complaint.message_ids.filtered(
            lambda m: "how did we handle" in (m.subject or "")
        )
        self.assertEqual(len(request), 1)
        self.assertIn(self.contact_a, request.partner_ids)
        self.assertIn(f"/rate/{rating.access_token}/5", str(request.body))
        # closing afterwards does not ask again
        complaint.stage_id = self.stage_closed
        self.assertEqual(len(complaint.rating_ids), 1)
        # the customer answers with the token of the e-mail
        complaint.rating_apply(5, token=rating.access_token, feedback="Quick and kind")
        self.assertTrue(rating.consumed)
        self.assertEqual(complaint.rating_last_value, 5)
        self.assertEqual(complaint.rating_avg, 5)
        self.assertEqual(complaint.rating_count, 1)
        rated = self.env["crm.interaction"].search(
            [
                ("res_model", "=", "crm.complaint"),
                ("res_id", "=", complaint.id),
                ("interaction_type", "=", "survey"),
            ]
        )
        self.assertEqual(len(rated), 1)
        self.assertIn("5/5", rated.name)
        # the customer changes its mind: the same contact, updated
        complaint.rating_apply(2, token=rating.access_token, feedback="Too slow")
        rated.invalidate_recordset()
        self.assertEqual(
            self.env["crm.interaction"].search_count(
                [
                    ("res_model", "=", "crm.complaint"),
                    ("res_id", "=", complaint.id),
                    ("interaction_type", "=", "survey"),
                ]
            ),
            1,
        )
        self.assertIn("2/5", rated.name)
        self.assertIn("Too slow", rated.description)

    def test_no_rating_for_rejected(self):
        complaint = self._create_complaint(partner_id=self.contact_a.id)
        complaint.stage_id = self.stage_rejected
        self.assertFalse(complaint.rating_ids)
        self.assertFalse(complaint.rating_requested)
