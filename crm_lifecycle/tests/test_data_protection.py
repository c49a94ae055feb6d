# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestDataProtection(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.custodian = new_test_user(
            cls.env, "lc_custodian", groups="sales_team.group_sale_manager"
        )
        cls.env.company.lifecycle_data_custodian_id = cls.custodian
        cls.contact.write({"email": "brandon@azure.example.com", "phone": "555-0101"})

    def _paid_history(self):
        order = self._order(qty=2, price=150.0)
        invoice = self._invoice(order)
        self._pay(invoice)
        self.env["crm.interaction"].create(
            {
                "name": "Talked with Brandon about his back pain",
                "partner_id": self.contact.id,
                "interaction_type": "call",
                "description": "<p>Private notes about Brandon</p>",
            }
        )
        return invoice

    def test_export_everything_and_register_it(self):
        self._paid_history()
        action = self.customer.with_user(
            self.custodian
        ).action_lifecycle_export_personal_data()
        log = self.env["crm.data.protection.log"].search(
            [("partner_ref", "=", self.customer.id)]
        )
        self.assertEqual(log.action, "export")
        self.assertEqual(log.user_id, self.custodian)
        self.assertIn(str(log.attachment_id.id), action["url"])
        data = json.loads(base64.b64decode(log.attachment_id.datas))
        self.assertEqual(data["customer"]["name"], "Azure Interior")
        self.assertEqual(data["contacts"][0]["email"], "brandon@azure.example.com")
        self.assertEqual(len(data["sale_orders"]), 1)
        self.assertEqual(len(data["invoices"]), 1)
        summaries = [i["summary"] for i in data["interactions"]]
        self.assertIn("Talked with Brandon about his back pain", summaries)
        self.assertEqual(data["lifecycle"]["stage"], "New customer")
        self.assertTrue(data["lifecycle_history"])

    def test_only_the_custodian_handles_requests(self):
        for method in (
            "action_lifecycle_export_personal_data",
            "action_lifecycle_anonymize",
        ):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(self.customer.with_user(self.salesman), method)()
        self.assertFalse(
            self.customer.with_user(self.salesman).lifecycle_is_data_custodian
        )
        self.assertTrue(
            self.customer.with_user(self.custodian).lifecycle_is_data_custodian
        )

    def test_anonymize_keeps_accounting_intact(self):
        invoice = self._paid_history()
        before = {
            "name": invoice.name,
            "display": invoice.invoice_partner_display_name,
            "total": invoice.amount_total,
            "state": invoice.state,
        }
        invoiced = self.customer.lifecycle_invoiced_amount
        individual = self.env["res.partner"].create(
            {"name": "Jane Doe", "email": "jane@example.com", "phone": "555-0102"}
        )
        self._order(partner=individual, confirm=False)
        self.flush_tracking()
        self.assertTrue(self.customer.message_ids)

        self.customer.with_user(self.custodian).action_lifecycle_anonymize()
        self.env.invalidate_all()
        # the contact's personal data is gone, the company name stays
        self.assertEqual(self.customer.name, "Azure Interior")
        self.assertFalse(self.customer.email)
        self.assertEqual(self.contact.name, f"Contact {self.contact.id}")
        self.assertFalse(self.contact.email)
        self.assertFalse(self.contact.phone)
        self.assertEqual(self.contact.lifecycle_marketing_consent, "withdrawn")
        interactions = self.env["crm.interaction"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertTrue(interactions)
        self.assertEqual(set(interactions.mapped("name")), {"Anonymized"})
        self.assertFalse(any(interactions.mapped("description")))
        self.assertFalse(interactions.contact_id)
        self.flush_tracking()
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "in", (self.customer | self.contact).ids),
                ]
            )
        )
        self.assertFalse(
            self.env["mail.blacklist"].search(
                [("email", "=", "brandon@azure.example.com")]
            ),
            "an erased address is not kept in a blacklist either",
        )
        # accounting documents and aggregate figures are untouched
        self.assertEqual(invoice.name, before["name"])
        self.assertEqual(invoice.invoice_partner_display_name, before["display"])
        self.assertEqual(invoice.amount_total, before["total"])
        self.assertEqual(invoice.state, before["state"])
        self.assertEqual(self.customer.lifecycle_invoiced_amount, invoiced)
        log = self.env["crm.data.protection.log"].search(
            [("partner_ref", "=", self.customer.id), ("action", "=", "anonymize")]
        )
        self.assertEqual(len(log), 1)
        self.assertNotIn("Brandon", log.details)
        with self.assertRaises(UserError):
            log.unlink()

        # an individual's own name is replaced
        individual.with_user(self.custodian).action_lifecycle_anonymize()
        self.assertEqual(individual.name, f"Anonymized customer {individual.id}")
        self.assertFalse(individual.email)

    def test_no_erasure_while_a_contract_runs(self):
        order = self._order()
        self._invoice(order)  # unpaid
        with self.assertRaises(UserError):
            self.customer.with_user(self.custodian).action_lifecycle_anonymize()
        self.assertEqual(self.contact.email, "brandon@azure.example.com")

    def test_refused_consent_blacklists_the_address(self):
        self.contact.lifecycle_marketing_consent = "refused"
        self.assertTrue(self.contact.lifecycle_consent_date)
        blacklisted = self.env["mail.blacklist"].search(
            [("email", "=", "brandon@azure.example.com")]
        )
        self.assertTrue(blacklisted.active)
        self.contact.lifecycle_marketing_consent = "granted"
        self.assertFalse(
            self.env["mail.blacklist"].search(
                [("email", "=", "brandon@azure.example.com")]
            )
        )
