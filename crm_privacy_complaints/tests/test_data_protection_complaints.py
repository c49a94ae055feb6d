# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_complaints.tests.common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintErasure(ComplaintCommon):
    """The erasure of crm_privacy also scrubs the complaints of the customer:
    texts, e-mail, conversation, the files the customer sent, the feedback."""

    def test_anonymize_scrubs_complaints_and_their_files(self):
        custodian = new_test_user(
            self.env, "cmp_custodian", groups="sales_team.group_sale_manager"
        )
        self.company.lifecycle_data_custodian_id = custodian
        complaint = self._create_complaint(
            partner_id=self.contact_a.id,
            description="<p>Brandon, 555-0199, Main Street 1</p>",
            resolution="<p>Call Brandon back</p>",
        )
        complaint.message_post(
            body="Here is the photo of my broken chair",
            author_id=self.contact_a.id,
            message_type="comment",
            attachments=[("chair.png", b"\x89PNG fake photo")],
        )
        self.env["ir.attachment"].create(
            {
                "name": "id-card.pdf",
                "datas": base64.b64encode(b"%PDF personal"),
                "res_model": "crm.complaint",
                "res_id": complaint.id,
            }
        )
        other = self._create_complaint(partner_id=self.customer_b.id)
        other.message_post(body="Deco's own", attachments=[("deco.png", b"x")])
        files = self.env["ir.attachment"].search_count(
            [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(files, 2)
        # not while the complaint is open: the erasure says why, changes nothing
        with self.assertRaisesRegex(UserError, f"open complaints: {complaint.name}"):
            self.customer_a.with_user(custodian).action_lifecycle_anonymize()
        self.assertIn("Brandon", complaint.description)

        complaint.action_close()
        self.customer_a.with_user(custodian).action_lifecycle_anonymize()

        self.env.invalidate_all()
        self.assertEqual(complaint.subject, "Anonymized")
        self.assertFalse(complaint.description)
        self.assertFalse(complaint.resolution)
        self.assertFalse(complaint.email_from)
        self.assertFalse(complaint.access_token)
        self.assertFalse(complaint.message_ids)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]
            )
        )
        # another customer's complaint is untouched
        self.assertTrue(other.message_ids)
        self.assertTrue(
            self.env["ir.attachment"].search(
                [("res_model", "=", "crm.complaint"), ("res_id", "=", other.id)]
            )
        )
        log = self.env["privacy.log"].search(
            [
                ("crm_partner_ref", "=", self.customer_a.id),
                ("crm_action", "=", "anonymize"),
            ]
        )
        self.assertIn("complaint files removed: 2", log.execution_details)
        self.assertNotIn("Brandon", log.execution_details)
