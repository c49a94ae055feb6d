# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.common import LifecycleCommon


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
        self._deliver(order)
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
        log = self.env["privacy.log"].search(
            [("crm_partner_ref", "=", self.customer.id)]
        )
        self.assertEqual(log.crm_action, "export")
        self.assertEqual(log.user_id, self.custodian)
        self.assertIn(str(log.crm_attachment_id.id), action["url"])
        data = json.loads(base64.b64decode(log.crm_attachment_id.datas))
        self.assertEqual(data["customer"]["name"], "Azure Interior")
        self.assertEqual(data["contacts"][0]["email"], "brandon@azure.example.com")
        self.assertEqual(len(data["sale_orders"]), 1)
        self.assertEqual(len(data["invoices"]), 1)
        summaries = [i["summary"] for i in data["interactions"]]
        self.assertIn("Talked with Brandon about his back pain", summaries)
        [lifecycle] = data["lifecycle"]  # one company
        self.assertEqual(lifecycle["stage"], "New customer")
        self.assertEqual(lifecycle["company"], self.env.company.name)
        self.assertTrue(data["lifecycle_history"])

    def test_export_lists_the_stage_of_each_company_of_the_custodian(self):
        """A customer shared by two companies has a stage in each: the export
        lists those of the companies the custodian works in, and their moves."""
        company_b = self.env["res.company"].create({"name": "Company B"})
        company_c = self.env["res.company"].create({"name": "Company C"})
        self.custodian.company_ids |= company_b | company_c
        self._order()  # company A: new customer
        self.customer.with_company(company_b).lifecycle_stage_id = self.stages["lost"]
        self.customer.with_company(company_c).lifecycle_stage_id = self.stages[
            "captive"
        ]
        custodian = self.customer.with_user(self.custodian).with_context(
            allowed_company_ids=(self.env.company | company_b).ids
        )
        custodian.action_lifecycle_export_personal_data()
        log = self.env["privacy.log"].search(
            [("crm_partner_ref", "=", self.customer.id)]
        )
        data = json.loads(base64.b64decode(log.crm_attachment_id.datas))
        self.assertEqual(
            [(item["company"], item["stage"]) for item in data["lifecycle"]],
            [
                (self.env.company.name, "New customer"),
                ("Company B", self.stages["lost"].name),
            ],
        )
        self.assertEqual(
            {(move["company"], move["to"]) for move in data["lifecycle_history"]},
            {
                (self.env.company.name, "New customer"),
                ("Company B", self.stages["lost"].name),
            },
            "company C's moves are not the custodian's to see",
        )

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
        log = self.env["privacy.log"].search(
            [
                ("crm_partner_ref", "=", self.customer.id),
                ("crm_action", "=", "anonymize"),
            ]
        )
        self.assertEqual(len(log), 1)
        self.assertNotIn("Brandon", log.execution_details)
        with self.assertRaises(UserError):
            log.unlink()

        # an individual's own name is replaced
        individual.with_user(self.custodian).action_lifecycle_anonymize()
        self.assertEqual(individual.name, f"Anonymized customer {individual.id}")
        self.assertFalse(individual.email)

    def test_no_erasure_while_a_contract_runs(self):
        """The erasure is refused with the list of what still runs, and
        changes nothing."""
        custodian_customer = self.customer.with_user(self.custodian)
        order = self._order()
        with self.assertRaisesRegex(UserError, f"open orders: {order.name}"):
            custodian_customer.action_lifecycle_anonymize()
        self._deliver(order)
        invoice = self._invoice(order)  # unpaid
        with self.assertRaisesRegex(UserError, f"unpaid invoices: {invoice.name}"):
            custodian_customer.action_lifecycle_anonymize()
        self.assertEqual(self.contact.email, "brandon@azure.example.com")
        self.assertFalse(
            self.env["privacy.log"].search([("crm_partner_ref", "=", self.customer.id)])
        )
        self._pay(invoice)
        custodian_customer.action_lifecycle_anonymize()
        self.assertFalse(self.contact.email)

    def test_second_erasure_changes_nothing(self):
        self._paid_history()
        self.customer.with_user(self.custodian).action_lifecycle_anonymize()
        name = self.contact.name
        with self.assertRaisesRegex(UserError, "already anonymized"):
            self.customer.with_user(self.custodian).action_lifecycle_anonymize()
        self.assertEqual(self.contact.name, name)
        self.assertEqual(
            self.env["privacy.log"].search_count(
                [
                    ("crm_partner_ref", "=", self.customer.id),
                    ("crm_action", "=", "anonymize"),
                ]
            ),
            1,
        )

    def test_export_only_for_the_custodian_and_administrators(self):
        """The file of an access request is readable by whoever exported it and
        by the administrators: neither by the salespeople or managers who read
        the customer, nor by the customer's portal user; the erasure removes
        it."""
        self._paid_history()
        action = self.customer.with_user(
            self.custodian
        ).action_lifecycle_export_personal_data()
        attachment = (
            self.env["privacy.log"]
            .search(
                [
                    ("crm_partner_ref", "=", self.customer.id),
                    ("crm_action", "=", "export"),
                ]
            )
            .crm_attachment_id
        )
        self.assertIn(f"/web/content/{attachment.id}", action["url"])
        manager = new_test_user(
            self.env, "lc_dp_manager", groups="sales_team.group_sale_manager"
        )
        portal = new_test_user(
            self.env,
            "lc_dp_portal",
            groups="base.group_portal",
            partner_id=self.contact.id,
        )
        for user in (self.salesman, manager, portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                attachment.with_user(user).read(["datas"])
        self.assertTrue(attachment.with_user(self.custodian).read(["datas"]))
        self.assertTrue(attachment.with_user(self.env.ref("base.user_admin")).datas)
        # the customer's chatter says so, without the file
        self.flush_tracking()
        note = self.customer.message_ids.filtered(
            lambda m: "Personal data exported" in str(m.body)
        )
        self.assertTrue(note)
        self.assertFalse(note.attachment_ids)
        self.customer.with_user(self.custodian).action_lifecycle_anonymize()
        self.assertFalse(attachment.exists())

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

    def _erasure_queries(self, customer):
        """The queries of erasing ``customer`` by the data custodian, from
        cold caches."""
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        customer.with_user(self.custodian).action_lifecycle_anonymize()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def test_erasure_queries_do_not_grow_with_messages(self):
        """Erasing a customer with 60 messages and 6 orders costs the same
        queries as one with 6 messages and 2 orders."""

        def customer_with(orders, messages):
            customer = self.env["res.partner"].create(
                {"name": f"Chatty {orders}", "is_company": True, "email": "c@ex.com"}
            )
            for _i in range(orders):
                order = self._order(partner=customer)
                self._deliver(order)
                self._pay(self._invoice(order))
            for i in range(messages):
                customer.message_post(body=f"Note {i}", message_type="comment")
            return customer

        counts = []
        # the first erasure of the test warms the caches up: not counted
        customers = (customer_with(1, 1), customer_with(2, 6), customer_with(6, 60))
        for customer in customers:
            counts.append(self._erasure_queries(customer))
            self.assertFalse(customer.message_ids.filtered(lambda m: "Note" in m.body))
        self.assertEqual(counts[1], counts[2], counts)

    def test_erasure_queries_do_not_grow_with_interactions(self):
        """Erasing a customer with 150 interactions in its timeline costs the
        same queries as one with 3: one statement anonymizes them all (the
        ORM would write them 100 rows per statement)."""

        def customer_with(interactions):
            customer = self.env["res.partner"].create(
                {"name": f"Busy {interactions}", "is_company": True}
            )
            contact = self.env["res.partner"].create(
                {"name": "Busy contact", "parent_id": customer.id}
            )
            self.env["crm.interaction"].create(
                [
                    {
                        "partner_id": customer.id,
                        "contact_id": contact.id,
                        "interaction_type": "call",
                        "name": f"Call {i} with Busy contact",
                        "description": f"<p>Busy contact said {i}</p>",
                    }
                    for i in range(interactions)
                ]
            )
            return customer

        counts = []
        # the first erasure of the test warms the caches up: not counted
        for size in (1, 3, 150):
            customer = customer_with(size)
            counts.append(self._erasure_queries(customer))
            # the timeline keeps the interactions, nothing of who said what
            interactions = self.env["crm.interaction"].search(
                [("partner_id", "=", customer.id)]
            )
            self.assertEqual(len(interactions), size)
            self.assertEqual(set(interactions.mapped("name")), {"Anonymized"})
            self.assertFalse(interactions.contact_id)
            self.assertFalse(any(interactions.mapped("description")))
            self.assertEqual(interactions.write_uid, self.custodian)
        self.assertEqual(counts[1], counts[2], counts)
