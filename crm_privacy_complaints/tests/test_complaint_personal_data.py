# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import json

from odoo.tests import tagged

from odoo.addons.crm_complaints.tests.common import ComplaintDocumentsCommon


@tagged("post_install", "-at_install")
class TestComplaintPersonalData(ComplaintDocumentsCommon):
    """The complaints of a customer with real documents, in its export and its
    erasure."""

    def test_personal_data_export_and_erasure(self):
        custodian = self.env.ref("base.user_admin")
        complaint = self._create_complaint(
            partner_id=self.contact_a.id,
            description="<p>My phone is 555-0199, call me</p>",
            channel="email",
        )
        complaint.message_post(
            body="Brandon wrote again",
            message_type="comment",
            author_id=self.contact_a.id,
        )
        action = self.customer_a.with_user(
            custodian
        ).action_lifecycle_export_personal_data()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/web/content/")[1].split("?")[0])
        )
        data = json.loads(base64.b64decode(attachment.datas))
        exported = data["complaints"]
        self.assertEqual([c["reference"] for c in exported], [complaint.name])
        self.assertIn("555-0199", exported[0]["description"])
        self.assertEqual(exported[0]["contact"], "Brandon Freeman")
        # erasure (once the customer owes nothing): the figures stay, the
        # person goes
        self.assertEqual(self.order_a.invoice_status, "invoiced")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice_a.ids
        ).create({})._create_payments()
        complaint.action_close()
        self.customer_a.with_user(custodian).action_lifecycle_anonymize()
        self.assertEqual(complaint.subject, "Anonymized")
        self.assertFalse(complaint.description)
        self.assertFalse(complaint.email_from)
        self.assertFalse(complaint.message_ids)
        self.assertTrue(complaint.name.startswith("CMP/"))
        self.assertTrue(complaint.is_closed)
        log = self.env["privacy.log"].search(
            [
                ("crm_partner_id", "=", self.customer_a.id),
                ("crm_action", "=", "anonymize"),
            ]
        )
        self.assertIn("complaints: 1", log.execution_details)
