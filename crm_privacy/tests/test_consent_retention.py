# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Consent and retention: the customer gives or withdraws its marketing consent
in the portal; inactive customers are proposed to the custodian, who erases
them (or keeps them) in a list."""

import re
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.crm_lifecycle.tests.common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestPortalConsent(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Consent Co", "is_company": True}
        )
        cls.portal_user = new_test_user(
            cls.env,
            "consent_portal",
            groups="base.group_portal",
            name="Carla Consent",
            email="carla.consent@example.com",
        )
        cls.person = cls.portal_user.partner_id
        cls.person.write(
            {
                "parent_id": cls.customer.id,
                "lifecycle_legal_basis": "legitimate_interest",
            }
        )
        cls.other = cls.env["res.partner"].create(
            {
                "name": "Olga Other",
                "email": "olga.other@example.com",
                "lifecycle_marketing_consent": "granted",
                "lifecycle_legal_basis": "legitimate_interest",
            }
        )

    def _csrf(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def _page(self):
        response = self.url_open("/my/consent")
        self.assertEqual(response.status_code, 200)
        return response

    def _post(self, **data):
        return self.url_open("/my/consent/update", data=data, allow_redirects=False)

    def _blacklisted(self, email):
        return bool(self.env["mail.blacklist"].search([("email", "=", email)]))

    def test_give_and_withdraw_consent_in_the_portal(self):
        self.authenticate("consent_portal", "consent_portal")
        home = self.url_open("/my")
        self.assertIn('href="/my/consent"', home.text, "linked from My Account")
        page = self._page()
        self.assertIn("Not asked", page.text)
        # the company's judgement of the customer is not on the page
        self.assertNotIn("Legitimate", page.text)

        given_on = datetime(2026, 3, 2, 10, 0, 0)
        with freeze_time(given_on):
            response = self._post(csrf_token=self._csrf(page.text), consent="give")
        self.assertEqual(response.status_code, 303)
        self.assertIn("/my/consent?saved=1", response.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual(self.person.lifecycle_marketing_consent, "granted")
        self.assertEqual(self.person.lifecycle_consent_date, given_on)
        self.assertEqual(self.person.lifecycle_consent_source, "Customer portal")
        self.assertFalse(self._blacklisted("carla.consent@example.com"))
        interaction = self.env["crm.interaction"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(interaction), 1)
        self.assertEqual(interaction.contact_id, self.person)
        self.assertEqual(interaction.interaction_type, "note")
        self.assertEqual(interaction.channel, "portal")
        self.assertEqual(interaction.direction, "inbound")
        self.assertIn("granted", interaction.name)
        page = self._page()
        self.assertIn("Granted", page.text)
        self.assertIn("Withdraw my consent", page.text)

        withdrawn_on = datetime(2026, 4, 5, 9, 30, 0)
        with freeze_time(withdrawn_on):
            self._post(csrf_token=self._csrf(page.text), consent="withdraw")
        self.env.invalidate_all()
        self.assertEqual(self.person.lifecycle_marketing_consent, "withdrawn")
        self.assertEqual(self.person.lifecycle_consent_date, withdrawn_on)
        # as Odoo's own unsubscribe page: no marketing e-mail any more
        self.assertTrue(self._blacklisted("carla.consent@example.com"))
        interactions = self.env["crm.interaction"].search(
            [("partner_id", "=", self.customer.id)], order="id"
        )
        self.assertEqual(len(interactions), 2)
        self.assertIn("withdrawn", interactions[-1].name)
        register = self.env["privacy.log"].search(
            [("crm_partner_ref", "=", self.person.id), ("crm_action", "=", "consent")]
        )
        self.assertEqual(len(register), 2)
        self.assertNotIn(
            "carla", " ".join(register.mapped("execution_details")).lower()
        )

    def test_the_form_is_csrf_protected(self):
        self.authenticate("consent_portal", "consent_portal")
        response = self._post(consent="give")
        self.assertEqual(response.status_code, 400)
        response = self._post(consent="give", csrf_token="forged")
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(self.person.lifecycle_marketing_consent, "unknown")

    def test_another_customers_consent_cannot_be_changed(self):
        self.authenticate("consent_portal", "consent_portal")
        token = self._csrf(self._page().text)
        response = self._post(
            csrf_token=token, consent="withdraw", partner_id=str(self.other.id)
        )
        self.assertEqual(response.status_code, 403)
        self.env.invalidate_all()
        self.assertEqual(self.other.lifecycle_marketing_consent, "granted")
        self.assertEqual(self.person.lifecycle_marketing_consent, "unknown")
        self.assertFalse(self._blacklisted("olga.other@example.com"))
        # nor through the ORM / RPC: the consent fields are staff-only
        for partner in (self.other, self.person):
            with self.assertRaises(AccessError):
                partner.with_user(self.portal_user).write(
                    {"lifecycle_marketing_consent": "withdrawn"}
                )
        # the public user has no page at all
        self.logout()
        response = self.url_open("/my/consent", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))


@tagged("post_install", "-at_install")
class TestRetention(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.custodian = new_test_user(cls.env, "rt_custodian", groups="base.group_user")
        cls.employee = new_test_user(
            cls.env, "rt_employee", groups="sales_team.group_sale_manager"
        )
        cls.company = cls.env.company
        cls.company.write(
            {
                "lifecycle_data_custodian_id": cls.custodian.id,
                "lifecycle_retention_prospect_months": 24,
                "lifecycle_retention_customer_months": 36,
            }
        )
        cls.cron = cls.env.ref("crm_privacy.ir_cron_lifecycle_retention")

    def _partner(self, name, **values):
        return self.env["res.partner"].create(
            {
                "name": name,
                "email": f"{name.lower().replace(' ', '.')}@retention.example.com",
                "phone": f"+34 600 {sum(map(ord, name)):06d}",
                **values,
            }
        )

    def _paid_customer(self, name):
        partner = self._partner(name)
        order = self._order(partner=partner)
        self._deliver(order)
        self._pay(self._invoice(order))
        return partner

    def _run_cron(self, when):
        with freeze_time(when), self.enter_registry_test_mode():
            self.cron.method_direct_trigger()
        self.env.invalidate_all()

    def _proposals(self):
        return self.env["data_recycle.record"].search(
            [("lifecycle_company_id", "=", self.company.id)]
        )

    def _found(self, values):
        """(table, column) of every text column holding one of ``values``."""
        self.env.flush_all()
        columns = self.env.execute_query(
            SQL(
                """
                SELECT c.table_name, c.column_name
                  FROM information_schema.columns c
                  JOIN information_schema.tables t
                    ON t.table_name = c.table_name
                   AND t.table_schema = c.table_schema
                 WHERE c.table_schema = 'public'
                   AND t.table_type = 'BASE TABLE'
                   AND c.data_type IN ('character varying', 'text', 'jsonb')
                """
            )
        )
        found = set()
        for table, column in columns:
            condition = SQL(" OR ").join(
                SQL("lower(%s::text) LIKE %s", SQL.identifier(column), f"%{v.lower()}%")
                for v in values
            )
            if self.env.execute_query(
                SQL(
                    "SELECT 1 FROM %s WHERE %s LIMIT 1",
                    SQL.identifier(table),
                    condition,
                )
            ):
                found.add((table, column))
        return found

    def test_cron_proposes_exactly_the_due_customers(self):
        now = datetime.now()
        prospect_due = self._partner("Prospect Due")
        prospect_recent = self._partner("Prospect Recent")
        with freeze_time(now + relativedelta(months=20)):
            self.env["crm.interaction"].create(
                {
                    "name": "Asked for the catalogue",
                    "partner_id": prospect_recent.id,
                    "interaction_type": "call",
                }
            )
            self.env.flush_all()
        prospect_lead = self._partner("Prospect Lead")
        self._lead(partner=prospect_lead)
        customer_due = self._paid_customer("Customer Due")
        customer_open_order = self._partner("Customer Open Order")
        self._order(partner=customer_open_order)  # confirmed, not delivered
        customer_unpaid = self._partner("Customer Unpaid")
        order = self._order(partner=customer_unpaid)
        self._deliver(order)
        self._invoice(order)
        blocked = customer_open_order | customer_unpaid
        if "crm.complaint" in self.env:
            customer_complaint = self._paid_customer("Customer Complaint")
            self.env["crm.complaint"].create(
                {"subject": "Broken leg", "partner_id": customer_complaint.id}
            )
            blocked |= customer_complaint
        vendor = self._partner("Vendor", supplier_rank=1)
        mine = (
            prospect_due
            | prospect_recent
            | prospect_lead
            | customer_due
            | blocked
            | vendor
        )
        # two years later: the prospects are due, the customers not yet
        self._run_cron(now + relativedelta(months=25))
        proposed = self.env["res.partner"].browse(self._proposals().mapped("res_id"))
        self.assertEqual(proposed & mine, prospect_due)
        # three years later: the paid customer too, never the blocked ones
        self._run_cron(now + relativedelta(months=37))
        records = self._proposals()
        proposed = self.env["res.partner"].browse(records.mapped("res_id"))
        self.assertEqual(proposed & mine, prospect_due | customer_due)
        self.assertEqual(len(records), len(set(records.mapped("res_id"))))
        # the staff and the companies are never customers to erase
        self.assertFalse(proposed & self.env["res.users"].search([]).partner_id)
        self.assertFalse(proposed & self.env["res.company"].search([]).partner_id)
        register = self.env["privacy.log"].search(
            [
                ("crm_action", "=", "retention_proposed"),
                ("crm_partner_ref", "in", mine.ids),
            ]
        )
        self.assertEqual(
            sorted(register.mapped("crm_partner_ref")),
            sorted((prospect_due | customer_due).ids),
        )
        # proposed to the custodian only; nothing erased before approval
        self.assertEqual(
            self.env["data_recycle.record"]
            .with_user(self.custodian)
            .search([("res_id", "in", mine.ids)]),
            records.filtered(lambda r: r.res_id in mine.ids),
        )
        self.assertFalse(
            self.env["data_recycle.record"].with_user(self.employee).search([])
        )
        self.assertEqual(prospect_due.email, "prospect.due@retention.example.com")
        self.assertTrue(customer_due.active)
        # the custodian is told once, by the run that found them
        notified = self.env["mail.message"].search(
            [
                ("model", "=", "data_recycle.model"),
                ("partner_ids", "in", self.custodian.partner_id.ids),
            ]
        )
        self.assertEqual(len(notified), 2)
        # the list belongs to the addon: uninstalling it removes it
        self.assertEqual(
            records.recycle_model_id.get_external_id()[records.recycle_model_id.id],
            f"crm_privacy.data_recycle_model_retention_company_{self.company.id}",
        )
        # a second run proposes no one twice
        self._run_cron(now + relativedelta(months=38))
        self.assertEqual(self._proposals(), records)
        self.assertEqual(
            self.env["mail.message"].search_count(
                [
                    ("model", "=", "data_recycle.model"),
                    ("partner_ids", "in", self.custodian.partner_id.ids),
                ]
            ),
            2,
        )

    def test_custodian_approves_and_the_erasure_leaves_nothing(self):
        now = datetime.now()
        prospect = self._partner("Erase Prospect 7781")
        customer = self._paid_customer("Erase Customer 4471")
        kept = self._partner("Kept Prospect 9911")
        identities = [
            value
            for partner in prospect | customer
            for value in (partner.email, partner.phone)
        ]
        self._run_cron(now + relativedelta(months=37))
        records = self._proposals().filtered(
            lambda r: r.res_id in (prospect | customer | kept).ids
        )
        self.assertEqual(len(records), 3)
        to_erase = records.filtered(lambda r: r.res_id != kept.id)
        to_keep = records - to_erase

        # an employee who is not the custodian approves nothing
        with self.assertRaises(AccessError):
            to_erase.with_user(self.employee).action_validate()
        with self.assertRaises(AccessError):
            to_keep.with_user(self.employee).action_discard()
        self.assertEqual(prospect.email, "erase.prospect.7781@retention.example.com")

        self.assertTrue(self._found(identities), "the test must find them before")
        to_erase.with_user(self.custodian).action_validate()
        to_keep.with_user(self.custodian).action_discard()
        self.env.invalidate_all()
        self.assertEqual(self._found(identities), set())
        self.assertFalse(to_erase.exists())
        for partner in prospect | customer:
            self.assertFalse(partner.active)
            self.assertEqual(partner.name, f"Anonymized customer {partner.id}")
            log = self.env["privacy.log"].search(
                [("crm_partner_ref", "=", partner.id), ("crm_action", "=", "anonymize")]
            )
            self.assertEqual(log.user_id, self.custodian)
            self.assertIn("retention period", log.execution_details)
        # kept: untouched, logged, never proposed again
        self.assertTrue(kept.active)
        self.assertEqual(kept.email, "kept.prospect.9911@retention.example.com")
        self.assertTrue(
            self.env["privacy.log"].search(
                [
                    ("crm_partner_ref", "=", kept.id),
                    ("crm_action", "=", "retention_discarded"),
                ]
            )
        )
        self._run_cron(now + relativedelta(months=40))
        self.assertFalse(self._proposals().filtered(lambda r: r.res_id == kept.id))

    def test_approval_refused_when_the_customer_came_back(self):
        """A customer who ordered again after being proposed is not erased; the
        custodian of another company neither sees nor decides the proposal."""
        now = datetime.now()
        prospect = self._partner("Came Back 5521")
        self._run_cron(now + relativedelta(months=25))
        record = self._proposals().filtered(lambda r: r.res_id == prospect.id)
        self.assertTrue(record)
        other_company = self.env["res.company"].create({"name": "Other Co"})
        other_custodian = new_test_user(
            self.env,
            "rt_other_custodian",
            groups="base.group_user",
            company_id=other_company.id,
            company_ids=[(6, 0, (other_company | self.company).ids)],
        )
        other_company.lifecycle_data_custodian_id = other_custodian
        self.assertFalse(
            self.env["data_recycle.record"]
            .with_user(other_custodian)
            .search([("res_id", "=", prospect.id)])
        )
        with self.assertRaises(AccessError):
            record.with_user(other_custodian).action_validate()
        order = self._order(partner=prospect)
        with self.assertRaisesRegex(UserError, f"open orders: {order.name}"):
            record.with_user(self.custodian).action_validate()
        self.assertTrue(record.exists())
        self.assertTrue(prospect.active)
        self.assertEqual(prospect.email, "came.back.5521@retention.example.com")
        self.assertFalse(
            self.env["privacy.log"].search(
                [
                    ("crm_partner_ref", "=", prospect.id),
                    ("crm_action", "=", "anonymize"),
                ]
            )
        )

    def test_proposal_is_set_based(self):
        """Proposing 20 customers takes as many queries as proposing 2."""
        Partner = self.env["res.partner"]
        recycle_model = self.env["data_recycle.model"]._lifecycle_retention_model(
            self.company
        )
        small = Partner.create([{"name": f"Quiet {i}"} for i in range(2)])
        large = Partner.create([{"name": f"Silent {i}"} for i in range(20)])
        for partner in (small | large)[::3]:
            self._order(partner=partner)  # blocked: open order
        self.env.flush_all()
        later = datetime.now() + relativedelta(months=25)

        def propose(partners):
            with freeze_time(later):
                domain = Partner._lifecycle_retention_domain(self.company)
                return recycle_model._lifecycle_propose(
                    domain & Domain("id", "in", partners.ids)
                )[0]

        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        proposed = propose(small)
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(len(proposed), 1)
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            proposed = propose(large)
            self.env.flush_all()
        self.assertEqual(len(proposed), 13)

    def test_retention_periods_are_validated(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.company.lifecycle_retention_prospect_months = -1
            self.env.flush_all()
        self.company.write(
            {
                "lifecycle_retention_prospect_months": 0,
                "lifecycle_retention_customer_months": 0,
            }
        )
        self.assertFalse(
            self.env["res.partner"]._lifecycle_retention_domain(self.company)
        )
        self._run_cron(datetime.now() + timedelta(days=3650))
        self.assertFalse(self._proposals())
