# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The timeline as people use it (issue 16, item 4): on the customer, by type,
channel, direction and department, day by day, each entry opening its
document, with a query count that does not grow with the timeline, and an
export to a spreadsheet that works for a salesperson."""

import io
import json
import zipfile
from datetime import datetime, timedelta

from odoo import http
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common import SALESMAN, JsonRpcMixin, LifecycleCommon


@tagged("post_install", "-at_install")
class TestTimelineDepartments(LifecycleCommon):
    def test_department_of_documents_and_contacts(self):
        order = self._order()
        picking = self._deliver(order)
        invoice = self._invoice(order)
        Interaction = self.env["crm.interaction"]
        logged = Interaction.search([("partner_id", "=", self.customer.id)])
        by_model = {i.res_model: i.department for i in logged}
        self.assertEqual(by_model["sale.order"], "sales")
        self.assertEqual(by_model["stock.picking"], "warehouse")
        self.assertEqual(by_model["account.move"], "accounting")
        call = Interaction.create({"name": "Call", "partner_id": self.customer.id})
        self.assertEqual(call.department, "sales", "a plain call is sales'")
        collection = Interaction.create(
            {
                "name": "Reminder",
                "partner_id": self.customer.id,
                "interaction_type": "collection",
            }
        )
        self.assertEqual(collection.department, "accounting")
        # a contact about a document belongs to the document's department
        Interaction.create(
            {
                "name": "About the invoice",
                "partner_id": self.customer.id,
                "interaction_type": "email",
            }
        )
        email_on_delivery = Interaction.sudo().create(
            {
                "name": "Where is my parcel?",
                "partner_id": self.customer.id,
                "interaction_type": "email",
                "res_model": "stock.picking",
                "res_id": picking.id,
                "direction": "inbound",
            }
        )
        self.assertEqual(email_on_delivery.department, "warehouse")
        self.assertEqual(
            Interaction.search_count(
                [
                    ("partner_id", "=", self.customer.id),
                    ("department", "=", "accounting"),
                ]
            ),
            2,
            "the invoice and the collection call",
        )
        self.assertTrue(invoice)

    def test_backfill_fills_the_department(self):
        order = self._order(partner=self.customer.with_context(lifecycle_disable=True))
        self._deliver(order)
        Interaction = self.env["crm.interaction"]
        Interaction.search([]).unlink()
        Interaction._backfill_from_documents()
        self.env.cr.execute(
            "SELECT res_model, department FROM crm_interaction WHERE partner_id = %s",
            [self.customer.id],
        )
        self.assertEqual(
            dict(self.env.cr.fetchall()),
            {"sale.order": "sales", "stock.picking": "warehouse"},
        )


@tagged("post_install", "-at_install")
class TestCustomerTimeline(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.small = cls.env["res.partner"].create(
            {"name": "Small timeline", "is_company": True}
        )
        cls.big = cls.env["res.partner"].create(
            {"name": "Big timeline", "is_company": True}
        )
        start = datetime(2026, 1, 1, 9, 0)
        vals = []
        for partner, count in ((cls.small, 20), (cls.big, 300)):
            for i in range(count):
                vals.append(
                    {
                        "name": f"Call {i}",
                        "partner_id": partner.id,
                        "date": start + timedelta(days=i // 2, hours=i % 2),
                        "interaction_type": ("call", "email", "visit")[i % 3],
                        "direction": ("inbound", "outbound")[i % 2],
                    }
                )
        cls.env["crm.interaction"].create(vals)

    def _open_timeline(self, partner):
        """What the web client does when the smart button is pressed: the
        action, then the grouped list it shows (days open, newest first)."""
        action = partner.action_view_interactions()
        list_view_id = next(vid for vid, vtype in action["views"] if vtype == "list")
        Interaction = self.env["crm.interaction"].with_context(**action["context"])
        arch = Interaction.get_views([(list_view_id, "list")])["views"]["list"]["arch"]
        self.assertIn('expand="1"', arch)
        self.assertIn('default_order="date desc"', arch)
        self.assertEqual(action["context"]["search_default_group_by_day"], 1)
        return Interaction.web_read_group(
            action["domain"],
            ["date:day"],
            order="date desc",
            auto_unfold=True,
            unfold_read_specification={
                "date": {},
                "name": {},
                "interaction_type": {},
                "department": {},
                "source_name": {},
                "res_model": {},
            },
        )

    def test_day_by_day_newest_first(self):
        result = self._open_timeline(self.big)
        self.assertEqual(result["length"], 150, "one group per day")
        days = [group["date:day"][0] for group in result["groups"]]
        self.assertEqual(days, sorted(days, reverse=True))
        first = result["groups"][0]
        self.assertEqual(first["__count"], 2)
        self.assertEqual(
            [r["name"] for r in first["__records"]],
            ["Call 299", "Call 298"],
            "the newest day first, its contacts newest first",
        )

    def _queries_to_open(self, partner):
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self._open_timeline(partner)
        return self.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_the_timeline(self):
        """Ten days open whatever the length of the timeline: 20 contacts
        or 300 cost the same queries."""
        self._open_timeline(self.small)  # warm the caches (views, fields)
        small = self._queries_to_open(self.small)
        big = self._queries_to_open(self.big)
        self.assertEqual(big, small)
        self.assertLess(small, 30)

    def test_filters_by_type_channel_direction_department(self):
        Interaction = self.env["crm.interaction"]
        domain = [("partner_id", "=", self.big.id)]
        panel = Interaction.search_panel_select_range(
            "department", search_domain=domain, enable_counters=True
        )
        counts = {v["id"]: v["__count"] for v in panel["values"]}
        self.assertEqual(counts["sales"], 300)
        types = Interaction.search_panel_select_multi_range(
            "interaction_type", search_domain=domain, enable_counters=True
        )
        type_counts = {v["id"]: v["__count"] for v in types["values"] if v["__count"]}
        self.assertEqual(type_counts, {"call": 100, "email": 100, "visit": 100})
        inbound = Interaction.search_count(domain + [("direction", "=", "inbound")])
        self.assertEqual(inbound, 150)
        channels = dict(Interaction._read_group(domain, ["channel"], ["__count"]))
        self.assertEqual(channels, {"phone": 100, "email": 100, "in_person": 100})
        # the search view offers each of them
        search = Interaction.get_views([(False, "search")])["views"]["search"]["arch"]
        for name in (
            "inbound",
            "outbound",
            "department_service",
            "group_by_day",
            "group_by_department",
            "group_by_channel",
            "group_by_direction",
        ):
            self.assertIn(f'name="{name}"', search)
        self.assertIn("<searchpanel", search)

    def test_each_entry_opens_its_document(self):
        order = self._order()
        interaction = self.env["crm.interaction"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        action = interaction.action_open_source()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("sale.order", order.id)
        )
        for view_type in ("list", "kanban"):
            arch = self.env["crm.interaction"].get_views([(False, view_type)])["views"][
                view_type
            ]["arch"]
            self.assertIn('name="action_open_source"', arch, view_type)


@tagged("post_install", "-at_install")
class TestTimelineExport(HttpCase, JsonRpcMixin):
    def test_salesperson_exports_the_timeline_to_a_spreadsheet(self):
        user = self.env["res.users"].create(
            {
                "name": "Exporting Salesperson",
                "login": "timeline_exporter",
                "password": "timeline_exporter",
                "group_ids": [
                    Command.link(self.env.ref(SALESMAN).id),
                    Command.link(self.env.ref("base.group_allow_export").id),
                ],
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Exported customer", "is_company": True, "user_id": user.id}
        )
        interactions = self.env["crm.interaction"].create(
            [
                {
                    "name": f"Visit {i}",
                    "partner_id": customer.id,
                    "interaction_type": "visit",
                    "user_id": user.id,
                }
                for i in range(3)
            ]
        )
        self.authenticate("timeline_exporter", "timeline_exporter")
        response = self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(
                    {
                        "model": "crm.interaction",
                        "fields": [
                            {"name": "date", "label": "Date"},
                            {"name": "partner_id", "label": "Customer"},
                            {"name": "interaction_type", "label": "Type"},
                            {"name": "department", "label": "Department"},
                            {"name": "name", "label": "Summary"},
                        ],
                        "ids": interactions.ids,
                        "domain": [("partner_id", "=", customer.id)],
                        "import_compat": False,
                    }
                ),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        with zipfile.ZipFile(io.BytesIO(response.content)) as xlsx:
            sheet = xlsx.read("xl/sharedStrings.xml").decode()
        for text in ("Exported customer", "Visit 0", "Visit 2", "Sales", "Visit"):
            self.assertIn(text, sheet)


@tagged("post_install", "-at_install")
class TestWebsiteFormLead(LifecycleCommon):
    def test_lead_from_a_website_form_is_a_web_form_of_channel_website(self):
        """Website CRM's contact form creates its lead with the medium it
        fetches or creates for the website (website_crm's
        ``website_form_input_filter``): the timeline shows a web form."""
        website = self.env["utm.medium"]._fetch_or_create_utm_medium("website")
        lead = self.env["crm.lead"].create(
            {
                "name": "Quote for 40 chairs",
                "partner_id": self.contact.id,
                "medium_id": website.id,
            }
        )
        logged = self.env["crm.interaction"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertRecordValues(
            logged,
            [
                {
                    "interaction_type": "web_form",
                    "channel": "web",
                    "direction": "inbound",
                    "department": "sales",
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                }
            ],
        )
