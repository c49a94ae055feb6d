# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import SegmentMatrixCommon


@tagged("post_install", "-at_install")
class TestCrmSegmentMailingList(SegmentMatrixCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.marketer = new_test_user(
            cls.env,
            "seg_marketer",
            groups="sales_team.group_sale_salesman,"
            "mass_mailing.group_mass_mailing_user",
            company_id=company.id,
            company_ids=company.ids,
        )
        cls.salesman = new_test_user(
            cls.env,
            "seg_mm_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=company.id,
            company_ids=company.ids,
        )
        cls.Partner = cls.env["res.partner"]
        cls.customer_stage = cls.stage
        cls.spain = cls.env.ref("base.es")
        cls.other_cell = cls.matrix.cell_ids.filtered(
            lambda c: c.row_level_id.is_no_data and c.col_level_id.name == "All"
        )

    @classmethod
    def _customers(cls, count, start=0, country=None, **values):
        """Customers of the company (a customer lifecycle stage), with an
        e-mail address each unless given."""
        return cls.Partner.create(
            [
                {
                    "name": f"Segment customer {start + i}",
                    "is_company": True,
                    "email": f"Customer{start + i}@Example.com",
                    "country_id": (country or cls.spain).id,
                    "lifecycle_stage_id": cls.customer_stage.id,
                    **values,
                }
                for i in range(count)
            ]
        )

    def _place(self):
        self.matrix._recompute()
        self.env.invalidate_all()

    def _wizard(self, user=None, **values):
        Wizard = self.env["crm.segment.mailing.list.wizard"].with_user(
            user or self.marketer
        )
        return Wizard.create(values)

    def _run(self, user=None, **values):
        return self._wizard(user, **values).action_add_to_list()

    def _list_emails(self, mailing_list):
        return sorted(mailing_list.contact_ids.mapped("email_normalized"))

    # ------------------------------------------------------------------

    def test_heat_map_selection_to_a_mailing_list(self):
        """The drill-down of the heat map (customers of a cell): the selected
        rows go to a mailing list, with the button shown to Email Marketing
        users only."""
        customers = self._customers(3)
        self._place()
        list_view = self.env.ref(
            "crm_segmentation.crm_segment_membership_view_list_customers"
        )
        Membership = self.env["crm.segment.membership"]
        for user, shown in ((self.marketer, True), (self.salesman, False)):
            arch = Membership.with_user(user).get_views([(list_view.id, "list")])[
                "views"
            ]["list"]["arch"]
            self.assertEqual('name="action_add_to_mailing_list"' in arch, shown)
        selected = Membership.with_user(self.marketer).search(
            [("partner_id", "in", customers[:2].ids)]
        )
        action = selected.action_add_to_mailing_list()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.marketer)
            .with_context(**action["context"])
        )
        with Form(wizard) as form:
            form.new_list_name = "Heat map pick"
            self.assertEqual(form.customer_count, 2)
        form.record.action_add_to_list()
        mailing_list = self.env["mailing.list"].search([("name", "=", "Heat map pick")])
        self.assertEqual(
            self._list_emails(mailing_list),
            ["customer0@example.com", "customer1@example.com"],
        )

    def test_cell_customers_subscribed_once(self):
        customers = self._customers(3)
        outsider = self._customers(1, start=10, country=self.env.ref("base.fr"))
        self._place()
        self.assertEqual(self.cell.customer_count, 3)
        action = self.cell.with_user(self.marketer).action_add_to_mailing_list()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.marketer)
            .with_context(**action["context"])
        )
        with Form(wizard) as form:
            form.new_list_name = "Spanish customers"
            self.assertEqual(form.customer_count, 3)
        result = form.record.action_add_to_list()

        mailing_list = self.env["mailing.list"].search(
            [("name", "=", "Spanish customers")]
        )
        self.assertEqual(len(mailing_list), 1)
        self.assertEqual(
            self._list_emails(mailing_list),
            ["customer0@example.com", "customer1@example.com", "customer2@example.com"],
        )
        self.assertNotIn(
            outsider.email_normalized, mailing_list.contact_ids.mapped("email")
        )
        contact = mailing_list.contact_ids.filtered(
            lambda c: c.email == "customer0@example.com"
        )
        self.assertEqual(contact.name, customers[0].name)
        self.assertEqual(contact.country_id, self.spain)
        self.assertEqual(result["params"]["type"], "success")
        self.assertIn("3 customers added.", result["params"]["message"])
        self.assertEqual(result["params"]["next"]["res_id"], mailing_list.id)

        # a second run subscribes nobody and creates no contact
        contacts_before = self.env["mailing.contact"].search_count([])
        result = self._run(
            cell_ids=[Command.set(self.cell.ids)], mailing_list_id=mailing_list.id
        )
        self.assertEqual(self.env["mailing.contact"].search_count([]), contacts_before)
        self.assertEqual(len(mailing_list.subscription_ids), 3)
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("0 customers added.", result["params"]["message"])
        self.assertIn("3 already on the list.", result["params"]["message"])

    def test_existing_contacts_reused(self):
        customers = self._customers(2)
        existing = self.env["mailing.contact"].create(
            {"name": "Known", "email": "CUSTOMER0@example.com"}
        )
        mailing_list = self.env["mailing.list"].create({"name": "Newsletter"})
        wizard = self._wizard(
            partner_ids=[Command.set(customers.ids)], mailing_list_id=mailing_list.id
        )
        counts = wizard._subscribe(mailing_list, wizard._get_customers())
        self.assertEqual(counts["added"], 2)
        self.assertIn(existing, mailing_list.contact_ids)
        self.assertEqual(
            self.env["mailing.contact"].search_count(
                [("email_normalized", "=", "customer0@example.com")]
            ),
            1,
        )

    def test_skipped_customers(self):
        if "lifecycle_marketing_consent" not in self.env["res.partner"]._fields:
            self.skipTest("the marketing consent is crm_privacy's")
        good = self._customers(1)
        no_email = self._customers(1, start=1, email=False)
        bad_email = self._customers(1, start=2, email="not an address")
        refused = self._customers(1, start=3, lifecycle_marketing_consent="refused")
        withdrawn = self._customers(1, start=4)
        withdrawn.lifecycle_marketing_consent = "withdrawn"
        blacklisted = self._customers(1, start=5)
        self.env["mail.blacklist"]._add(blacklisted.email)
        same_address = self._customers(1, start=6, email=good.email.upper())
        opted_out = self._customers(1, start=7)
        mailing_list = self.env["mailing.list"].create(
            {
                "name": "Newsletter",
                "subscription_ids": [
                    Command.create(
                        {
                            "contact_id": self.env["mailing.contact"]
                            .create({"name": "Left", "email": opted_out.email})
                            .id,
                            "opt_out": True,
                        }
                    )
                ],
            }
        )
        customers = (
            good
            | no_email
            | bad_email
            | refused
            | withdrawn
            | blacklisted
            | same_address
            | opted_out
        )
        result = self._run(
            partner_ids=[Command.set(customers.ids)], mailing_list_id=mailing_list.id
        )
        self.assertEqual(
            self._list_emails(mailing_list),
            ["customer0@example.com", "customer7@example.com"],
        )
        subscription = mailing_list.subscription_ids.filtered(
            lambda s: s.contact_id.email == opted_out.email
        )
        self.assertTrue(subscription.opt_out, "who left the list stays out of it")
        message = result["params"]["message"]
        self.assertIn("1 customers added.", message)
        self.assertIn("1 already on the list.", message)
        self.assertIn("1 skipped: unsubscribed from the list.", message)
        self.assertIn("2 skipped: no valid e-mail address.", message)
        self.assertIn("2 skipped: marketing consent refused or withdrawn.", message)
        self.assertIn("1 skipped: e-mail address blacklisted.", message)
        self.assertTrue(result["params"]["sticky"])

    def test_bad_input(self):
        customers = self._customers(1)
        with self.assertRaisesRegex(UserError, "Choose a mailing list"):
            self._run(partner_ids=[Command.set(customers.ids)])
        with self.assertRaisesRegex(UserError, "Choose a mailing list"):
            self._run(partner_ids=[Command.set(customers.ids)], new_list_name="  ")
        with self.assertRaisesRegex(UserError, "no customers to add"):
            self._run(new_list_name="Empty")
        self._place()
        self.assertFalse(self.other_cell.customer_count)
        with self.assertRaisesRegex(UserError, "no customers to add"):
            self._run(cell_ids=[Command.set(self.other_cell.ids)], new_list_name="X")
        self.assertFalse(
            self.env["mailing.list"].search([("name", "in", ["Empty", "X", ""])])
        )

    def test_defaults_from_selection(self):
        customers = self._customers(2)
        Wizard = self.env["crm.segment.mailing.list.wizard"].with_user(self.marketer)
        with Form(
            Wizard.with_context(active_model="res.partner", active_ids=customers.ids)
        ) as form:
            self.assertEqual(form.customer_count, 2)
            form.new_list_name = "Selected"
        self.assertEqual(form.record.partner_ids, customers)
        wizard = Wizard.with_context(
            active_model="crm.segment.cell", active_ids=self.cell.ids
        ).create({"new_list_name": "Segment"})
        self.assertEqual(wizard.cell_ids, self.cell)

    def test_email_marketing_rights_required(self):
        customers = self._customers(1)
        with self.assertRaises(AccessError):
            self._wizard(
                self.salesman,
                partner_ids=[Command.set(customers.ids)],
                new_list_name="Not mine",
            )
        # the Action menu only offers it to Email Marketing users
        bindings = self.env["ir.actions.actions"].with_user(self.salesman)
        names = [a["name"] for a in bindings.get_bindings("res.partner")["action"]]
        self.assertNotIn("Add to Mailing List", names)
        bindings = self.env["ir.actions.actions"].with_user(self.marketer)
        names = [a["name"] for a in bindings.get_bindings("res.partner")["action"]]
        self.assertIn("Add to Mailing List", names)

    def test_queries_do_not_grow_with_customers(self):
        def count_queries(customers, name):
            wizard = self._wizard(
                partner_ids=[Command.set(customers.ids)], new_list_name=name
            )
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            wizard.action_add_to_list()
            self.env.flush_all()
            return self.cr.sql_log_count - start

        # warm-up (access rules, the user's groups...)
        count_queries(self._customers(2, start=900), "Warm-up")
        few = count_queries(self._customers(3, start=0), "Few")
        many = count_queries(self._customers(40, start=100), "Many")
        self.assertEqual(few, many, "adding customers must not query per customer")
        self.assertEqual(
            len(self.env["mailing.list"].search([("name", "=", "Many")]).contact_ids),
            40,
        )
