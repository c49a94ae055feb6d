# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The register is Odoo's privacy log, and Odoo's privacy lookup offers the
complete export and erasure of a customer it finds."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestPrivacyRegister(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.custodian = new_test_user(
            cls.env, "pv_custodian", groups="sales_team.group_sale_manager"
        )
        cls.env.company.lifecycle_data_custodian_id = cls.custodian
        cls.contact.write(
            {"email": "brandon.freeman@azure.example.com", "phone": "555-0177"}
        )
        cls.admin = cls.env.ref("base.user_admin")

    def _register(self, action=None):
        domain = [("crm_partner_ref", "=", self.customer.id)]
        if action:
            domain.append(("crm_action", "=", action))
        return self.env["privacy.log"].search(domain)

    def test_public_actions_refuse_who_may_not(self):
        """The data requests of the customer form, called by whoever may not."""
        customer = self.customer.with_user(self.salesman)
        for method in (
            "action_lifecycle_export_personal_data",
            "action_lifecycle_anonymize",
        ):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(customer, method)()
        self.assertFalse(self._register())

    def test_register_lines_are_privacy_log_lines(self):
        """An export is a line of Odoo's privacy log: the customer's id, the
        request, the company, the file; the name and address masked as Odoo
        masks them, never in clear."""
        self.customer.with_user(self.custodian).action_lifecycle_export_personal_data()
        line = self._register("export")
        self.assertEqual(len(line), 1)
        self.assertEqual(line.crm_partner_id, self.customer)
        self.assertEqual(line.crm_company_id, self.env.company)
        self.assertEqual(line.user_id, self.custodian)
        self.assertTrue(line.crm_attachment_id)
        self.assertEqual(line.anonymized_name, "A**** I*******")
        self.assertEqual(line.anonymized_email, "i***@a****.e******.com")
        # the custodian reads the register, administrators too
        self.assertEqual(
            self.env["privacy.log"]
            .with_user(self.custodian)
            .search([("id", "=", line.id)]),
            line,
        )

    def test_register_cannot_be_deleted(self):
        self.customer.with_user(self.custodian).action_lifecycle_export_personal_data()
        line = self._register("export")
        with self.assertRaises(UserError):
            line.with_user(self.admin).unlink()
        self.assertTrue(line.exists())
        # Odoo's own lookup lines stay Odoo's business
        lookup = self.env["privacy.log"].create(
            {"anonymized_name": "Someone", "anonymized_email": "someone@example.com"}
        )
        lookup.with_user(self.admin).unlink()
        self.assertFalse(lookup.exists())

    def _lookup(self):
        wizard = (
            self.env["privacy.lookup.wizard"]
            .with_user(self.admin)
            .create(
                {
                    "name": "Brandon Freeman",
                    "email": "brandon.freeman@azure.example.com",
                }
            )
        )
        wizard.action_lookup()
        return wizard

    def test_lookup_offers_the_customers_export(self):
        wizard = self._lookup()
        self.assertEqual(wizard.crm_partner_id, self.customer)
        action = wizard.action_crm_export()
        self.assertIn("/web/content/", action["url"])
        self.assertEqual(self._register("export").user_id, self.admin)
        # the register is not among what a lookup finds (and would delete)
        company = (
            self.env["privacy.lookup.wizard"]
            .with_user(self.admin)
            .create({"name": "Azure Interior", "email": "info@azure.example.com"})
        )
        company.action_lookup()
        self.assertEqual(company.crm_partner_id, self.customer)
        self.assertNotIn("privacy.log", company.line_ids.mapped("res_model"))

    def test_lookup_offers_the_customers_erasure(self):
        """The lookup finds the contact; the erasure it offers is the complete
        one (the customer, its contacts, leads, messages...), logged in the
        same register with what the lookup had found."""
        lead = self._lead(email_from="brandon.freeman@azure.example.com")
        wizard = self._lookup()
        self.assertIn(
            ("crm.lead", lead.id),
            [(line.res_model, line.res_id) for line in wizard.line_ids],
        )
        found = wizard.records_description
        wizard.action_crm_anonymize()
        self.assertFalse(self.contact.email)
        self.assertFalse(lead.email_from)
        line = self._register("anonymize")
        self.assertEqual(len(line), 1)
        self.assertEqual(line.records_description, found)
        self.assertIn("privacy lookup", line.execution_details)
        self.assertEqual(line.anonymized_name, "A**** I*******")
        # what the lookup finds afterwards: no partner holds the e-mail any more
        self.assertFalse(
            wizard.line_ids.filtered(
                lambda lookup_line: lookup_line.res_model == "crm.lead"
            )
        )
        # a staff member is no customer: nothing more than Odoo's lookup
        staff = (
            self.env["privacy.lookup.wizard"]
            .with_user(self.admin)
            .create({"name": "Sam Salesman", "email": "sam@example.com"})
        )
        staff.action_lookup()
        self.assertFalse(staff.crm_partner_id)
