# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCase

from .common import ComplaintCommon

# a 1x1 PNG
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg"
    "AAAABJRU5ErkJggg=="
)

# A real RFC 822 message: multipart/mixed with an alternative text/HTML body in
# ISO-8859-1 (quoted-printable accents), an encoded subject, a script and an
# event handler in the HTML, and an image attachment.
COMPLAINT_EMAIL = """Return-Path: <{email_from}>
MIME-Version: 1.0
Date: Fri, 09 Jan 2026 15:00:00 +0100
Message-ID: {msg_id}
Subject: =?iso-8859-1?q?Silla_da=F1ada_en_la_entrega?=
From: Brandon Freeman <{email_from}>
To: {to}
Content-Type: multipart/mixed; boundary="----=_mixed_001"

------=_mixed_001
Content-Type: multipart/alternative; boundary="----=_alt_001"

------=_alt_001
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

La silla lleg=F3 rota. Se=F1ores, =BFqu=E9 hacemos?

------=_alt_001
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html><body><p>La silla lleg=F3 <b>rota</b>. Se=F1ores, =BFqu=E9 hacemos?=
</p><script>alert('stolen session')</script><img src=3D"cid:x" onerror=3D"a=
lert(1)"></body></html>

------=_alt_001--

------=_mixed_001
Content-Type: image/png; name="photo.png"
Content-Disposition: attachment; filename="photo.png"
Content-Transfer-Encoding: base64

{png}
------=_mixed_001--
"""

REPLY_EMAIL = """Return-Path: <{email_from}>
MIME-Version: 1.0
Date: Tue, 13 Jan 2026 09:00:00 +0100
Message-ID: <reply-{ref}@azure.example.com>
In-Reply-To: {in_reply_to}
References: {in_reply_to}
Subject: Re: {subject}
From: Brandon Freeman <{email_from}>
To: {to}
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

Aqu=ED est=E1 la foto del embalaje.
"""


@tagged("post_install", "-at_install")
class TestComplaintMailGateway(ComplaintCommon, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.team.alias_name = "complaints"
        cls.alias_email = cls.team.alias_email

    def _process(self, email_from, msg_id="<complaint-1@azure.example.com>"):
        raw = COMPLAINT_EMAIL.format(
            email_from=email_from, msg_id=msg_id, to=self.alias_email, png=PNG
        ).encode("iso-8859-1")
        with self.mock_mail_gateway():
            thread_id = self.env["mail.thread"].sudo().message_process(None, raw)
        return self.env["crm.complaint"].browse(thread_id)

    def test_alias(self):
        self.assertTrue(self.alias_email.startswith("complaints@"))
        alias = self.team.alias_id
        self.assertEqual(alias.alias_model_id.model, "crm.complaint")
        self.assertEqual(alias.alias_parent_thread_id, self.team.id)
        self.assertIn(f"'team_id': {self.team.id}", alias.alias_defaults)

    def test_email_creates_complaint_sanitised(self):
        complaint = self._process(self.contact_a.email)
        self.assertTrue(complaint)
        self.assertTrue(complaint.name.startswith("CMP/"))
        self.assertEqual(complaint.subject, "Silla dañada en la entrega")
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.channel, "email")
        # the sender is matched to the customer's contact
        self.assertEqual(complaint.partner_id, self.contact_a)
        self.assertEqual(complaint.commercial_partner_id, self.customer_a)
        self.assertIn(self.contact_a, complaint.message_partner_ids)
        # the ISO-8859-1 HTML body is decoded, and its script is gone
        description = str(complaint.description)
        self.assertIn("La silla llegó <b>rota</b>", description)
        self.assertIn("Señores, ¿qué hacemos?", description)
        self.assertNotIn("script", description.lower())
        self.assertNotIn("stolen session", description)
        self.assertNotIn("onerror", description)
        # the e-mail is in the chatter, sanitised too, with its attachment
        incoming = complaint.message_ids.filtered(
            lambda m: m.message_id == "<complaint-1@azure.example.com>"
        )
        self.assertEqual(len(incoming), 1)
        self.assertEqual(incoming.author_id, self.contact_a)
        self.assertIn("llegó", str(incoming.body))
        self.assertNotIn("<script", str(incoming.body))
        self.assertNotIn("onerror", str(incoming.body))
        self.assertEqual(incoming.attachment_ids.mapped("name"), ["photo.png"])
        self.assertEqual(incoming.attachment_ids.res_model, "crm.complaint")
        self.assertEqual(incoming.attachment_ids.res_id, complaint.id)
        self.assertEqual(incoming.attachment_ids.raw, base64.b64decode(PNG))
        # an acknowledgement with the reference goes to the customer
        ack_mails = self._new_mails.filtered(
            lambda m: self.contact_a in m.recipient_ids
            and complaint.name in (m.subject or "")
        )
        self.assertEqual(len(ack_mails), 1)
        self.assertIn(complaint.name, str(ack_mails.body_html))
        # the acknowledgement is not a first response
        self.assertFalse(complaint.date_first_response)

    def test_reply_threads_into_the_complaint(self):
        complaint = self._process(self.contact_a.email)
        # the team asked the customer for a photo and waits
        complaint.stage_id = self.env.ref("crm_complaints.stage_waiting")
        self.assertTrue(complaint.date_paused)
        ack = complaint.message_ids.filtered(
            lambda m: complaint.name in (m.subject or "")
        )
        self.assertEqual(len(ack), 1)
        count = self.env["crm.complaint"].search_count([])
        reply = REPLY_EMAIL.format(
            email_from=self.contact_a.email,
            ref=complaint.id,
            in_reply_to=ack.message_id,
            subject=ack.subject,
            to=self.alias_email,
        ).encode("iso-8859-1")
        with self.mock_mail_gateway():
            thread_id = self.env["mail.thread"].sudo().message_process(None, reply)
        self.assertEqual(thread_id, complaint.id)
        self.assertEqual(self.env["crm.complaint"].search_count([]), count)
        last = complaint.message_ids.filtered(lambda m: m.message_type == "email")[0]
        self.assertEqual(last.author_id, self.contact_a)
        self.assertIn("Aquí está la foto", str(last.body))
        # the answer resumes the complaint: back in progress, the clock runs
        self.assertEqual(
            complaint.stage_id, self.env.ref("crm_complaints.stage_in_progress")
        )
        self.assertFalse(complaint.date_paused)

    def test_unknown_sender_creates_contact(self):
        self.assertEqual(self.team.unknown_sender_policy, "create_partner")
        complaint = self._process("newcomer@unknown.example.com")
        self.assertTrue(complaint.partner_id)
        self.assertEqual(complaint.partner_id.email, "newcomer@unknown.example.com")
        incoming = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.author_id, complaint.partner_id)

    def test_unknown_sender_without_customer(self):
        self.team.unknown_sender_policy = "no_partner"
        partners = self.env["res.partner"].search_count([])
        complaint = self._process("stranger@unknown.example.com")
        self.assertTrue(complaint)
        self.assertFalse(complaint.partner_id)
        self.assertIn("stranger@unknown.example.com", complaint.email_from)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_unknown_sender_bounced(self):
        self.team.unknown_sender_policy = "bounce"
        count = self.env["crm.complaint"].search_count([])
        complaint = self._process("spammer@unknown.example.com")
        self.assertFalse(complaint)
        self.assertEqual(self.env["crm.complaint"].search_count([]), count)
        bounce = [
            mail
            for mail in self._mails
            if "spammer@unknown.example.com" in str(mail["email_to"])
        ]
        self.assertEqual(len(bounce), 1)
        # a known sender still gets through
        self.assertTrue(self._process(self.contact_a.email, msg_id="<known@x>"))
