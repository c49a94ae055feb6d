# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer never reads the company's judgement of it.

Every field our addons add to the core records a portal customer reads (its own
contact, its orders, invoices and deliveries) is walked, and a portal user and
the public user reading their own records get no value of it: through the ORM
(``read``, ``search_read``, ``web_read``) and through real HTTP (JSON-RPC with a
portal session, the JSON-2 API with a portal user's API key)."""

import json

from odoo import Command, models
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.common import JsonRpcMixin

OUR_ADDONS = (
    "crm_lifecycle",
    "crm_segmentation",
    "crm_complaints",
    "crm_segmentation_mass_mailing",
    "crm_lifecycle_mass_mailing",
    "crm_privacy",
    "crm_privacy_complaints",
    "crm_lifecycle_credit_control",
    "crm_complaints_rma",
    "crm_segmentation_dashboard",
)
OUR_PREFIXES = ("lifecycle_", "rfm_", "clv_", "segment_", "complaint_")
# What of ours a portal customer may read on its own records, with the reason.
MEANT_FOR_CUSTOMERS = {
    "crm.complaint": {
        "name": "the reference the customer quotes",
        "subject": "what the customer asked, in its words",
        "kind": "complaint or request, chosen when filing",
        "category_id": "chosen by the customer when filing",
        "channel": "how the customer reached us",
        "description": "what the customer wrote",
        "priority": "the order of the customer's own complaints on the portal",
        "partner_id": "the customer itself",
        "commercial_partner_id": "the customer's company",
        "email_from": "the customer's own address",
        "company_id": "the company the customer deals with",
        "user_id": "who handles the request, shown on the portal page",
        "sale_order_id": "the customer's document the complaint is about",
        "sale_line_id": "the customer's document the complaint is about",
        "invoice_id": "the customer's document the complaint is about",
        "picking_id": "the customer's document the complaint is about",
        "product_id": "the customer's product the complaint is about",
        "lot_id": "the customer's product the complaint is about",
        "resolution": "the answer given to the customer",
        "currency_id": "the currency of the amounts below",
        "amount_claimed": "what the customer claims",
        "amount_refunded": "what the customer gets back (its credit notes)",
        "amount_replaced": "what the customer gets replaced",
        "amount_granted": "what the customer gets in all",
        "credit_note_ids": "the customer's own credit notes",
        "credit_note_count": "the customer's own credit notes",
        "stage_id": "where the request stands, shown on the portal",
        "is_closed": "whether the request is closed, shown on the portal",
        "can_portal_close": "whether the customer may close it",
        "date_open": "when the customer filed it",
        "date_first_response": "when the customer was first answered",
        "date_closed": "when it was closed",
        "sla_resolution_deadline": "the answer date promised to the customer",
        "sla_status": "whether that promise is kept, shown on the portal",
    },
    # configuration the portal form and pages show: names of stages and
    # categories, the same for every customer
    "crm.complaint.stage": "*",
    "crm.complaint.category": "*",
}


@tagged("post_install", "-at_install")
class TestStaffOnlyFields(JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_partner = env["res.partner"].create(
            {"name": "Portal Customer Co", "is_company": True, "email": "co@ex.com"}
        )
        cls.portal = new_test_user(
            env,
            "staff_only_portal",
            password="staff_only_portal",
            groups="base.group_portal",
            name="Paula Portal",
            email="paula@ex.com",
        )
        cls.portal.partner_id.parent_id = cls.company_partner
        cls.contact = cls.portal.partner_id
        product = env["product.product"].create(
            {"name": "Desk", "type": "consu", "list_price": 120.0}
        )
        cls.order = env["sale.order"].create(
            {
                "partner_id": cls.contact.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        cls.order.action_confirm()
        cls.picking = cls.order.picking_ids
        cls.picking.move_ids.quantity = 1
        cls.picking.move_ids.picked = True
        cls.picking.button_validate()
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()
        team = env["crm.complaint.team"].search([], limit=1)
        cls.complaint = env["crm.complaint"].create(
            {
                "subject": "Scratched desk",
                "partner_id": cls.contact.id,
                "team_id": team.id,
                "sale_order_id": cls.order.id,
            }
        )
        cls.records = {
            "res.partner": cls.contact,
            "res.users": cls.portal,
            "res.company": cls.portal.company_id,
            "sale.order": cls.order,
            "account.move": cls.invoice,
            "stock.picking": cls.picking,
            "crm.complaint": cls.complaint,
        }
        cls.public = env.ref("base.public_user")

    def _our_fields(self, model):
        """The fields our addons add to the model (all of them on our own
        models), but those meant for customers."""
        Model = self.env[model]
        allowed = MEANT_FOR_CUSTOMERS.get(model, {})
        if allowed == "*":
            return []
        ours = Model._original_module in OUR_ADDONS
        generic = {*models.MAGIC_COLUMNS, "display_name"}
        names = sorted(
            name
            for name, field in Model._fields.items()
            if (field._module in OUR_ADDONS or name.startswith(OUR_PREFIXES))
            and (not ours or field._module in OUR_ADDONS)
            and name not in generic
        )
        self.assertTrue(names, model)
        return [name for name in names if name not in allowed]

    def _readable(self, record, user):
        """Whether the user reads the record at all (its display name)."""
        try:
            record.with_user(user).read(["display_name"])
        except AccessError:
            return False
        return True

    def test_portal_and_public_read_none_of_it_through_the_orm(self):
        self.assertTrue(self._readable(self.contact, self.portal))
        self.assertTrue(self._readable(self.order, self.portal))
        self.assertTrue(self._readable(self.invoice, self.portal))
        self.assertTrue(self._readable(self.complaint, self.portal))
        cases = [(self.portal, model, rec) for model, rec in self.records.items()]
        cases.append((self.public, "res.partner", self.public.partner_id))
        cases.append((self.public, "res.users", self.public))
        for user, model, record in cases:
            if not self._readable(record, user):
                # the whole record is out of reach (deliveries: the portal
                # shows them through its own page, read as superuser)
                continue
            mine = record.with_user(user)
            # what the client may ask for
            described = set(mine.fields_get(attributes=["type"]))
            for fname in self._our_fields(model):
                with self.subTest(user=user.login, model=model, field=fname):
                    self.assertNotIn(fname, described)
                    with self.assertRaises(AccessError):
                        mine.read([fname])
                    with self.assertRaises(AccessError):
                        mine.search_read([("id", "=", record.id)], [fname])
                    with self.assertRaises(AccessError):
                        mine.web_read({fname: {}})

    def test_portal_reads_none_of_it_over_json_rpc(self):
        self.authenticate(self.portal.login, self.portal.login)
        for model, record in self.records.items():
            if not self._readable(record, self.portal):
                continue
            reply = self._rpc(model, "read", [record.ids], {"fields": ["display_name"]})
            self.assertEqual(reply["result"][0]["id"], record.id, reply)
            described = set(
                self._rpc(model, "fields_get", [], {"attributes": ["type"]})["result"]
            )
            for fname in self._our_fields(model):
                with self.subTest(model=model, field=fname):
                    self.assertNotIn(fname, described)
                    reply = self._rpc(model, "read", [record.ids, [fname]])
                    self.assertNotIn("result", reply)
                    self.assertIn("AccessError", reply["error"]["data"]["name"])
        # without a session, nothing at all
        self.logout()
        reply = self._rpc("res.partner", "read", [self.contact.ids, ["name"]])
        self.assertNotIn("result", reply)

    def test_portal_reads_none_of_it_over_json_2(self):
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.portal)
            .sudo()
            ._generate(None, "staff-only test", None)
        )
        headers = {
            "Authorization": f"bearer {key}",
            "X-Odoo-Database": self.env.cr.dbname,
            "Content-Type": "application/json",
        }

        def read(model, ids, fields_):
            return self.url_open(
                f"/json/2/{model}/read",
                data=json.dumps({"ids": ids, "fields": fields_}),
                headers=headers,
            )

        for model, record in self.records.items():
            if not self._readable(record, self.portal):
                continue
            response = read(model, record.ids, ["display_name"])
            self.assertEqual(response.status_code, 200, response.text)
            self.assertEqual(response.json()[0]["id"], record.id)
            for fname in self._our_fields(model):
                with self.subTest(model=model, field=fname):
                    response = read(model, record.ids, [fname])
                    self.assertEqual(response.status_code, 403, response.text)
                    self.assertIn("AccessError", response.json()["name"])

    def test_our_other_models_are_out_of_reach(self):
        """The models our addons define that the portal does not read (its
        complaints, their stages and categories are walked above) give a
        portal user and the public user nothing at all."""
        walked = set(self.records) | set(MEANT_FOR_CUSTOMERS)
        models = [
            name
            for name in self.env.registry
            if self.env[name]._original_module in OUR_ADDONS
            and not self.env[name]._abstract
            and not self.env[name]._transient
            and name not in walked
        ]
        self.assertIn("crm.interaction", models)
        self.assertIn("crm.segment.membership", models)
        # core models crm_privacy extends with customer data: the register
        # (Odoo's privacy log) and the erasure proposals (Data Recycle)
        models += ["privacy.log", "data_recycle.record", "data_recycle.model"]
        for user in (self.portal, self.public):
            for model in models:
                with self.subTest(user=user.login, model=model):
                    self.assertFalse(
                        self.env[model].with_user(user).has_access("read"), model
                    )
