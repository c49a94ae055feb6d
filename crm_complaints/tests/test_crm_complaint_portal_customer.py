# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a portal customer meets first (issue 22), over real HTTP: a
confirmation after filing, the acknowledgement in the conversation, customer
wording instead of the service level, files with the request (within limits,
issue 21), a deliveries page that fits a phone, a page per delivery, a tile of
its own."""

import re

from odoo.tests import tagged

from .common import ComplaintHttpCommon


@tagged("post_install", "-at_install")
class TestComplaintPortalCustomer(ComplaintHttpCommon):
    def setUp(self):
        super().setUp()
        self.authenticate("cmp_portal_a", "cmp_portal_a")
        page = self.url_open("/my/complaints/new")
        self.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _post(self, data, files=None):
        return self.url_open(
            "/my/complaints/new", data=dict(data, csrf_token=self.csrf), files=files
        )

    def _complaints(self, subject):
        return self.env["crm.complaint"].search([("subject", "=", subject)])

    def test_file_with_attachments_confirmation_and_acknowledgement(self):
        files = [
            ("attachments", ("photo.png", b"\x89PNG fake image", "image/png")),
            ("attachments", ("note.txt", b"The legs are broken", "text/plain")),
        ]
        response = self._post(
            {"subject": "Two chairs missing", "picking_id": self.picking_a.id},
            files=files,
        )
        self.assertEqual(response.status_code, 200)
        complaint = self._complaints("Two chairs missing")
        self.assertEqual(len(complaint), 1)
        # the confirmation on the complaint's page
        self.assertIn(f"/my/complaints/{complaint.id}", response.url)
        self.assertIn('id="complaint_filed"', response.text)
        self.assertIn(complaint.name, response.text)
        # the files are the complaint's attachments, in the conversation
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(sorted(attachments.mapped("name")), ["note.txt", "photo.png"])
        # the customer's conversation shows the acknowledgement and the files
        result = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {
                "thread_model": "crm.complaint",
                "thread_id": complaint.id,
                "token": complaint.access_token,
            },
        )
        messages = self.env["mail.message"].browse(result["messages"])
        self.assertTrue(messages, "The conversation is empty")
        self.assertTrue(
            any(complaint.name in (m.subject or "") for m in messages),
            "no acknowledgement in the conversation",
        )
        self.assertEqual(messages.attachment_ids, attachments)
        # the same form again: the same request, with a notice
        again = self._post(
            {"subject": "Two chairs missing", "picking_id": self.picking_a.id}
        )
        self.assertEqual(len(self._complaints("Two chairs missing")), 1)
        self.assertIn("already filed", again.text)

    def test_too_many_or_too_large_files_create_nothing(self):
        Complaint = self.env["crm.complaint"]
        count = Complaint._portal_attachment_count
        size = Complaint._portal_attachment_size
        too_many = [
            ("attachments", (f"photo{i}.png", b"x", "image/png"))
            for i in range(count + 1)
        ]
        response = self._post({"subject": "Too many files"}, files=too_many)
        self.assertIn("Too many files", response.text)
        self.assertFalse(self._complaints("Too many files"))
        too_large = [("attachments", ("big.bin", b"0" * (size + 1), "text/plain"))]
        response = self._post({"subject": "Too large a file"}, files=too_large)
        self.assertIn("big.bin: too large", response.text)
        self.assertFalse(self._complaints("Too large a file"))
        # what the customer typed comes back
        self.assertIn('value="Too large a file"', response.text)
        # at the limits: accepted
        at_limit = [
            ("attachments", (f"photo{i}.png", b"x", "image/png"))
            for i in range(count - 1)
        ] + [("attachments", ("big.bin", b"0" * size, "text/plain"))]
        self._post({"subject": "Files at the limit"}, files=at_limit)
        complaint = self._complaints("Files at the limit")
        self.assertEqual(len(complaint), 1)
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]
            ),
            count,
        )

    def test_customer_wording_not_the_service_level(self):
        self.env["crm.complaint.sla.policy"].search([]).write(
            {"response_hours": 400, "resolution_hours": 800}
        )
        complaint = self.env["crm.complaint"].create(
            {
                "subject": "Where is my sofa",
                "partner_id": self.contact_a.id,
                "team_id": self.team.id,
            }
        )
        self.assertEqual(complaint.sla_status, "on_track")
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        self.assertNotIn("Service level", page)
        self.assertNotIn("On Track", page)
        self.assertIn("We will answer by", page)
        complaint.stage_id = self.stage_waiting
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        self.assertNotIn("Paused", page)
        self.assertIn("We are waiting for your answer", page)

    def test_deliveries_fit_a_phone_and_open(self):
        page = self.url_open("/my/deliveries").text
        # each delivery opens its page
        self.assertIn(f'href="/my/deliveries/{self.picking_a.id}"', page)
        # the wide columns collapse on a phone; the status and the action stay
        head = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
        self.assertRegex(head, r'class="d-none d-lg-table-cell">\s*Products')
        self.assertRegex(head, r'class="d-none d-md-table-cell">\s*Date')
        self.assertRegex(head, r'<th class="text-end">\s*Status')
        detail = self.url_open(f"/my/deliveries/{self.picking_a.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn(self.picking_a.name, detail.text)
        self.assertIn(self.product.display_name, detail.text)
        self.assertIn(f"/my/complaints/new?picking_id={self.picking_a.id}", detail.text)

    def test_other_customers_delivery_does_not_open(self):
        response = self.url_open(f"/my/deliveries/{self.picking_b.id}")
        self.assertNotIn(self.picking_b.name, response.text)
        self.assertNotIn("/my/deliveries/", response.url)
        # a visitor with the order's token (the delivery slip's link) reads it
        self.logout()
        token = self.order_b._portal_ensure_token()
        response = self.url_open(
            f"/my/deliveries/{self.picking_b.id}?access_token={token}"
        )
        self.assertIn(self.picking_b.name, response.text)
        # with another token: nothing
        response = self.url_open(
            f"/my/deliveries/{self.picking_b.id}?access_token={token[:-1]}x"
        )
        self.assertNotIn(self.picking_b.name, response.text)

    def test_deliveries_tile_has_its_own_icon(self):
        page = self.url_open("/my").text
        icon = "/crm_complaints/static/src/img/deliveries.svg"
        self.assertIn(icon, page)
        self.assertEqual(self.url_open(icon).status_code, 200)


@tagged("post_install", "-at_install")
class TestComplaintPortalCustomerSpanish(ComplaintHttpCommon):
    """The new portal screens read as Spanish for a Spanish customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(
            ["crm_complaints"], ["es_ES"], overwrite=True
        )
        cls.portal_a.lang = "es_ES"
        cls.env["crm.complaint.sla.policy"].search([]).write(
            {"response_hours": 400, "resolution_hours": 800}
        )

    def test_complaint_and_delivery_pages_in_spanish(self):
        self.authenticate("cmp_portal_a", "cmp_portal_a")
        page = self.url_open("/my/complaints/new").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        self.assertIn("Fotos o documentos", page)
        filed = self.url_open(
            "/my/complaints/new",
            data={"subject": "Faltan dos sillas", "csrf_token": csrf},
        ).text
        for spanish, english in (
            ("Gracias: su solicitud se ha registrado", "your request was filed"),
            ("Le responderemos antes del", "We will answer by"),
            ("Próximo paso", "Next step"),
        ):
            self.assertIn(spanish, filed)
            self.assertNotIn(english, filed)
        deliveries = self.url_open("/my/deliveries").text
        self.assertIn("Comunicar un problema", deliveries)
        self.assertNotIn("Report a problem", deliveries)
        delivery = self.url_open(f"/my/deliveries/{self.picking_a.id}").text
        self.assertIn("Dirección de entrega", delivery)
        self.assertNotIn("Delivery address", delivery)
        complaint = self.env["crm.complaint"].search(
            [("subject", "=", "Faltan dos sillas")]
        )
        self.assertIn("Reclamación creada", complaint.message_ids[-1:].body)
