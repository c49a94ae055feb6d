# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta
from urllib.parse import urlparse

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common import ComplaintHttpCommon


@tagged("post_install", "-at_install")
class TestComplaintPortal(ComplaintHttpCommon):
    """The customer portal: listing, detail with chatter, filing, closing,
    deliveries, rating; and isolation by URL, RPC and access token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Complaint = cls.env["crm.complaint"]
        cls.complaint_a = Complaint.create(
            {
                "subject": "Chair arrived broken",
                "partner_id": cls.contact_a.id,
                "team_id": cls.team.id,
                "picking_id": cls.picking_a.id,
            }
        )
        cls.complaint_a2 = Complaint.create(
            {
                "subject": "Invoice amount wrong",
                "partner_id": cls.customer_a.id,
                "team_id": cls.team.id,
                "invoice_id": cls.invoice_a.id,
            }
        )
        cls.complaint_b = Complaint.create(
            {
                "subject": "Deco secret problem",
                "partner_id": cls.customer_b.id,
                "team_id": cls.team.id,
            }
        )
        for complaint in cls.complaint_a | cls.complaint_a2 | cls.complaint_b:
            complaint._portal_ensure_token()

    def _path(self, response):
        return urlparse(response.url).path

    def _csrf(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    # ------------------------------------------------------------
    # listing and detail
    # ------------------------------------------------------------

    def test_list_and_detail(self):
        self.authenticate("cmp_portal_a", "cmp_portal_a")
        response = self.url_open("/my/complaints")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.complaint_a.name, response.text)
        self.assertIn(self.complaint_a2.name, response.text)
        self.assertNotIn(self.complaint_b.name, response.text)
        self.assertNotIn("Deco secret problem", response.text)
        response = self.url_open("/my/complaints?filterby=closed")
        self.assertNotIn(self.complaint_a.name, response.text)

        response = self.url_open(f"/my/complaints/{self.complaint_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._path(response), f"/my/complaints/{self.complaint_a.id}")
        self.assertIn("Chair arrived broken", response.text)
        # the chatter of the complaint, and the delivery with its state
        self.assertIn('data-res_model="crm.complaint"', response.text)
        self.assertIn(f'data-res_id="{self.complaint_a.id}"', response.text)
        self.assertIn(self.picking_a.name, response.text)
        self.assertIn("o_delivery_state", response.text)
        # the home page links to the complaints and the deliveries
        response = self.url_open("/my")
        self.assertIn("/my/complaints", response.text)
        self.assertIn("/my/deliveries", response.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["complaint_count", "delivery_count"]}
        )
        self.assertEqual(counters["complaint_count"], 2)
        self.assertEqual(counters["delivery_count"], 1)

    def test_chatter_message_from_the_portal(self):
        self.authenticate("cmp_portal_a", "cmp_portal_a")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "crm.complaint",
                "thread_id": self.complaint_a.id,
                "post_data": {"body": "Here is a photo", "message_type": "comment"},
                "token": self.complaint_a.access_token,
            },
        )
        message = self.complaint_a.message_ids[0]
        self.assertIn("Here is a photo", str(message.body))
        self.assertEqual(message.author_id, self.contact_a)
        # a customer's message is not a first response
        self.assertFalse(self.complaint_a.date_first_response)

    def test_deliveries_page(self):
        self.authenticate("cmp_portal_a", "cmp_portal_a")
        response = self.url_open("/my/deliveries")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.picking_a.name, response.text)
        self.assertIn("Done", response.text)
        self.assertNotIn(self.picking_b.name, response.text)
        self.authenticate("cmp_portal_b", "cmp_portal_b")
        response = self.url_open("/my/deliveries")
        self.assertIn(self.picking_b.name, response.text)
        self.assertNotIn(self.picking_a.name, response.text)
        # B's delivery is still to be shipped: its stock availability shows
        self.assertIn("In stock", response.text)

    # ------------------------------------------------------------
    # isolation
    # ------------------------------------------------------------

    def test_isolation_by_url(self):
        self.authenticate("cmp_portal_b", "cmp_portal_b")
        response = self.url_open(f"/my/complaints/{self.complaint_a.id}")
        self.assertEqual(self._path(response), "/my")
        self.assertNotIn("Chair arrived broken", response.text)
        response = self.url_open("/my/complaints")
        self.assertIn(self.complaint_b.name, response.text)
        self.assertNotIn(self.complaint_a.name, response.text)
        # closing someone else's complaint is refused too
        page = self.url_open("/my/complaints/new").text
        response = self.url_open(
            f"/my/complaints/{self.complaint_a.id}/close",
            data={"csrf_token": self._csrf(page)},
        )
        self.assertEqual(self._path(response), "/my")
        self.assertFalse(self.complaint_a.is_closed)

    def test_isolation_by_token(self):
        self.authenticate("cmp_portal_b", "cmp_portal_b")
        for token in ("wrong-token", self.complaint_a2.access_token, ""):
            response = self.url_open(
                f"/my/complaints/{self.complaint_a.id}?access_token={token}"
            )
            self.assertEqual(self._path(response), "/my", token)
            self.assertNotIn("Chair arrived broken", response.text)
        # anonymous visitors: only with the complaint's own token (the link of
        # the e-mails)
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/complaints/{self.complaint_a.id}?access_token=wrong-token"
        )
        self.assertNotIn("Chair arrived broken", response.text)
        response = self.url_open(
            f"/my/complaints/{self.complaint_a.id}"
            f"?access_token={self.complaint_a.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Chair arrived broken", response.text)

    def test_isolation_by_rpc(self):
        self.authenticate("cmp_portal_b", "cmp_portal_b")
        with self.assertRaises(JsonRpcException) as error:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/crm.complaint/read",
                {
                    "model": "crm.complaint",
                    "method": "read",
                    "args": [self.complaint_a.ids, ["subject"]],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", str(error.exception))
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/crm.complaint/search_read",
            {
                "model": "crm.complaint",
                "method": "search_read",
                "args": [[], ["subject"]],
                "kwargs": {},
            },
        )
        self.assertEqual([row["id"] for row in result], self.complaint_b.ids)
        # the same through the ORM as the portal user
        Complaint = self.env["crm.complaint"].with_user(self.portal_b)
        self.assertEqual(Complaint.search([]), self.complaint_b)
        self.assertEqual(Complaint.search_count([("id", "=", self.complaint_a.id)]), 0)

    # ------------------------------------------------------------
    # filing and closing
    # ------------------------------------------------------------

    def test_file_a_complaint(self):
        self.authenticate("cmp_portal_a", "cmp_portal_a")
        page = self.url_open(f"/my/complaints/new?picking_id={self.picking_a.id}")
        self.assertEqual(page.status_code, 200)
        # the customer chooses among their own documents only
        self.assertIn(self.order_a.name, page.text)
        self.assertIn(self.invoice_a.name, page.text)
        self.assertIn(self.picking_a.name, page.text)
        self.assertNotIn(self.order_b.name, page.text)
        self.assertNotIn(self.picking_b.name, page.text)
        count = self.env["crm.complaint"].search_count([])
        response = self.url_open(
            "/my/complaints/new",
            data={
                "csrf_token": self._csrf(page.text),
                "subject": "Wrong colour delivered",
                "kind": "claim",
                "category_id": self.category_damaged.id,
                "sale_order_id": self.order_a.id,
                "invoice_id": self.invoice_a.id,
                "picking_id": self.picking_a.id,
                "description": "Blue instead of <b>red</b>",
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["crm.complaint"].search(
            [("subject", "=", "Wrong colour delivered")]
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(self._path(response), f"/my/complaints/{complaint.id}")
        self.assertEqual(complaint.partner_id, self.contact_a)
        self.assertEqual(complaint.commercial_partner_id, self.customer_a)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.kind, "claim")
        self.assertEqual(complaint.category_id, self.category_damaged)
        self.assertEqual(complaint.sale_order_id, self.order_a)
        self.assertEqual(complaint.invoice_id, self.invoice_a)
        self.assertEqual(complaint.picking_id, self.picking_a)
        self.assertIn("&lt;b&gt;red&lt;/b&gt;", str(complaint.description))
        self.assertEqual(self.env["crm.complaint"].search_count([]), count + 1)
        # the claim disputes the invoice, and the acknowledgement went out
        self.assertTrue(self.invoice_a.complaint_disputed)
        ack = complaint.message_ids.filtered(
            lambda m: complaint.name in (m.subject or "")
        )
        self.assertIn(self.contact_a, ack.partner_ids)
        self.assertTrue(ack.notification_ids)

    def test_documents_of_another_customer_are_refused(self):
        self.authenticate("cmp_portal_a", "cmp_portal_a")
        page = self.url_open("/my/complaints/new")
        count = self.env["crm.complaint"].search_count([])
        for fname, record in (
            ("sale_order_id", self.order_b),
            ("picking_id", self.picking_b),
            ("invoice_id", self.invoice_a.copy()),  # a draft invoice
        ):
            response = self.url_open(
                "/my/complaints/new",
                data={
                    "csrf_token": self._csrf(page.text),
                    "subject": "Not mine",
                    fname: record.id,
                },
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("complaint_errors", response.text, fname)
            self.assertEqual(self.env["crm.complaint"].search_count([]), count)
        response = self.url_open(
            "/my/complaints/new",
            data={"csrf_token": self._csrf(page.text), "subject": " "},
        )
        self.assertIn("Please give a subject.", response.text)
        self.assertEqual(self.env["crm.complaint"].search_count([]), count)

    def test_csrf_is_enforced(self):
        self.authenticate("cmp_portal_a", "cmp_portal_a")
        count = self.env["crm.complaint"].search_count([])
        for data in (
            {"subject": "Forged"},
            {"subject": "Forged", "csrf_token": "not-a-token"},
        ):
            response = self.url_open("/my/complaints/new", data=data)
            self.assertEqual(response.status_code, 400)
        response = self.url_open(
            f"/my/complaints/{self.complaint_a.id}/close", data={"subject": "x"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.complaint_a.is_closed)
        self.assertEqual(self.env["crm.complaint"].search_count([]), count)

    def test_close_from_the_portal_and_rate(self):
        self.authenticate("cmp_portal_a", "cmp_portal_a")
        # the customer may close in the stages that allow it (not in progress)
        self.complaint_a2.stage_id = self.stage_progress
        page = self.url_open(f"/my/complaints/{self.complaint_a2.id}").text
        self.assertNotIn("complaint_close_form", page)
        token = self._csrf(self.url_open("/my/complaints/new").text)
        response = self.url_open(
            f"/my/complaints/{self.complaint_a2.id}/close",
            data={"csrf_token": token},
        )
        self.assertFalse(self.complaint_a2.is_closed)

        page = self.url_open(f"/my/complaints/{self.complaint_a.id}").text
        self.assertIn("complaint_close_form", page)
        response = self.url_open(
            f"/my/complaints/{self.complaint_a.id}/close",
            data={"csrf_token": self._csrf(page)},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your request is closed", response.text)
        self.assertEqual(self.complaint_a.stage_id, self.stage_closed)
        self.assertTrue(self.complaint_a.date_closed)
        self.assertIn(
            "Closed by the customer",
            str(self.complaint_a.message_ids[:3].mapped("body")),
        )
        # the rating request went to the customer; they answer from the e-mail
        rating = self.complaint_a.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.contact_a)
        self.authenticate(None, None)
        page = self.url_open(f"/rate/{rating.access_token}/5")
        self.assertEqual(page.status_code, 200)
        response = self.url_open(
            f"/rate/{rating.access_token}/submit_feedback",
            data={
                "csrf_token": self._csrf(page.text),
                "rate": 5,
                "feedback": "Very kind",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.rating, 5)
        self.assertEqual(self.complaint_a.rating_last_value, 5)
        # the rating is a contact of the customer, from the portal
        rated = self.env["crm.interaction"].search(
            [
                ("res_model", "=", "crm.complaint"),
                ("res_id", "=", self.complaint_a.id),
                ("interaction_type", "=", "survey"),
            ]
        )
        self.assertEqual(len(rated), 1)
        self.assertEqual(rated.partner_id, self.complaint_a.commercial_partner_id)
        self.assertEqual(rated.contact_id, self.contact_a)
        self.assertEqual((rated.channel, rated.direction), ("portal", "inbound"))
        self.assertEqual(rated.department, "service")
        self.assertIn("5/5", rated.name)
        self.assertIn("Very kind", rated.description)


@tagged("post_install", "-at_install")
class TestComplaintPortalLimits(ComplaintHttpCommon):
    """What a customer types is bounded, the same request sent twice is filed
    once, and a burst of requests from one account is slowed down without
    losing what was typed."""

    def setUp(self):
        super().setUp()
        self.authenticate("cmp_portal_a", "cmp_portal_a")

    def _file(self, **values):
        page = self.url_open("/my/complaints/new")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open(
            "/my/complaints/new", data=dict(values, csrf_token=csrf, kind="complaint")
        )

    def _mine(self):
        return self.env["crm.complaint"].search(
            [("commercial_partner_id", "=", self.customer_a.id)]
        )

    def test_sizes(self):
        Complaint = self.env["crm.complaint"]
        before = self._mine()
        response = self._file(subject="x" * (Complaint._portal_subject_size + 1))
        self.assertIn("The subject is too long: 200 characters at most.", response.text)
        response = self._file(
            subject="Long story",
            description="y" * (Complaint._portal_description_size + 1),
        )
        self.assertIn("The description is too long", response.text)
        # what was typed comes back in the form
        self.assertIn('value="Long story"', response.text)
        self.assertEqual(self._mine(), before)
        # at the limit, it is filed
        response = self._file(subject="z" * Complaint._portal_subject_size)
        self.assertEqual(len(self._mine() - before), 1)

    def test_same_request_twice_is_filed_once(self):
        before = self._mine()
        first = self._file(subject="Table wobbles", picking_id=self.picking_a.id)
        second = self._file(subject="  table   WOBBLES ", picking_id=self.picking_a.id)
        filed = self._mine() - before
        self.assertEqual(len(filed), 1)
        self.assertEqual(urlparse(first.url).path, f"/my/complaints/{filed.id}")
        self.assertEqual(urlparse(second.url).path, f"/my/complaints/{filed.id}")
        # another subject, or the same one about another document, is another
        self._file(subject="Table wobbles")
        self._file(subject="Chair squeaks", picking_id=self.picking_a.id)
        self.assertEqual(len(self._mine() - before), 3)

    def test_burst_is_slowed_down(self):
        self.env.company.complaint_portal_hourly_limit = 3
        before = self._mine()
        for i in range(3):
            self._file(subject=f"Request {i}")
        self.assertEqual(len(self._mine() - before), 3)
        response = self._file(subject="One more", description="Still typed")
        self.assertIn("You have filed many requests in the last hour", response.text)
        self.assertIn('value="One more"', response.text)
        self.assertIn("Still typed", response.text)
        self.assertEqual(len(self._mine() - before), 3)
        # an hour later the customer files it
        (self._mine() - before).write(
            {"date_open": fields.Datetime.now() - timedelta(minutes=61)}
        )
        self._file(subject="One more", description="Still typed")
        self.assertEqual(len(self._mine() - before), 4)
        # 0: no limit
        self.env.company.complaint_portal_hourly_limit = 0
        for i in range(4):
            self._file(subject=f"Unlimited {i}")
        self.assertEqual(len(self._mine() - before), 8)
        with self.assertRaises(ValidationError):
            self.env.company.complaint_portal_hourly_limit = -1
        self.assertEqual(self.env.company.complaint_portal_hourly_limit, 0)
