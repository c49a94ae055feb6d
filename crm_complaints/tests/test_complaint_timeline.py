# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCase

from .common import ComplaintCommon, ComplaintHttpCommon
from .test_crm_complaint_mail import COMPLAINT_EMAIL, PNG


def _timeline(env, complaint):
    env.flush_all()
    env.cr.flush()  # e-mails are logged when the transaction commits
    return env["crm.interaction"].search(
        [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]
    )


@tagged("post_install", "-at_install")
class TestComplaintTimelineEmail(ComplaintCommon, MailCase):
    """A complaint mailed to a team's alias: the complaint, the customer's
    e-mail and the acknowledgement sent back are all in the timeline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.team.alias_name = "complaints"

    def test_mail_to_alias_and_acknowledgement(self):
        raw = COMPLAINT_EMAIL.format(
            email_from=self.contact_a.email,
            msg_id="<timeline-1@azure.example.com>",
            to=self.team.alias_email,
            png=PNG,
        ).encode("iso-8859-1")
        with self.mock_mail_gateway():
            complaint_id = self.env["mail.thread"].sudo().message_process(None, raw)
        complaint = self.env["crm.complaint"].browse(complaint_id)
        timeline = _timeline(self.env, complaint)
        self.assertEqual(timeline.partner_id, self.customer_a)
        opened = timeline.filtered(lambda i: i.interaction_type == "complaint")
        self.assertEqual(opened.channel, "email")
        emails = timeline.filtered(lambda i: i.interaction_type == "email")
        inbound = emails.filtered(lambda i: i.direction == "inbound")
        self.assertEqual(len(inbound), 1)
        self.assertEqual(inbound.contact_id, self.contact_a)
        self.assertEqual(inbound.name, "Silla dañada en la entrega")
        self.assertIn("llegó", inbound.description)
        self.assertNotIn("script", inbound.description.lower())
        acknowledgement = emails - inbound
        self.assertEqual(len(acknowledgement), 1)
        self.assertEqual(acknowledgement.direction, "outbound")
        self.assertEqual(acknowledgement.message_id.message_type, "auto_comment")
        self.assertIn(complaint.name, acknowledgement.name)


@tagged("post_install", "-at_install")
class TestComplaintTimelinePortal(ComplaintHttpCommon):
    def test_complaint_filed_in_the_portal(self):
        self.authenticate("cmp_portal_a", "cmp_portal_a")
        page = self.url_open("/my/complaints/new")
        self.assertEqual(page.status_code, 200)
        response = self.url_open(
            "/my/complaints/new",
            data={
                "csrf_token": re.search(
                    r'name="csrf_token" value="([^"]+)"', page.text
                ).group(1),
                "subject": "Wrong colour delivered",
                "kind": "complaint",
                "description": "Blue instead of red",
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["crm.complaint"].search(
            [("subject", "=", "Wrong colour delivered")]
        )
        self.assertEqual(len(complaint), 1)
        opened = _timeline(self.env, complaint).filtered(
            lambda i: i.interaction_type == "complaint"
        )
        self.assertEqual(len(opened), 1)
        self.assertEqual(opened.channel, "portal")
        self.assertEqual(opened.direction, "inbound")
        self.assertEqual(opened.partner_id, self.customer_a)
