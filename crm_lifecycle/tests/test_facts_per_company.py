# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer shared by two companies has its own facts in each one: each
company reads, searches and groups by its figures, computed from its own
documents, in its currency (converted by accounting at each document's date);
an event or a refresh in one company leaves the other's figures as they are."""

import json
from datetime import timedelta

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import SecondCurrencyMixin, load_migration, post_invoices


@tagged("post_install", "-at_install")
class TestFactsPerCompany(SecondCurrencyMixin, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_second_currency()
        # company A: the test company, in USD (EUR per USD 2, then 4)
        cls.company_a = cls.env.company
        cls.usd = cls.company_a.currency_id
        # company B, in EUR: USD per EUR 0.5 from 60 days ago, 0.25 from 10
        cls.company_b = cls._setup_euro_company()
        cls.usd.rate_ids = [
            Command.create(
                {
                    "name": cls.today - timedelta(days=days),
                    "rate": rate,
                    "company_id": cls.company_b.id,
                }
            )
            for days, rate in ((60, 0.5), (10, 0.25))
        ]
        cls.shared = cls.env["res.partner"].create(
            {"name": "Shared Buyer", "is_company": True}
        )
        cls.in_a = cls.shared.with_company(cls.company_a)
        cls.in_b = cls.shared.with_company(cls.company_b)

    def _order(self, company, price=100.0):
        order = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": self.shared.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product_a.id, "price_unit": price}
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        return order

    def _pay(self, invoice, days_ago, amount, currency):
        wizard = (
            self.env["account.payment.register"]
            .with_company(invoice.company_id)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount,
                    "currency_id": currency.id,
                    "payment_date": self.today - timedelta(days=days_ago),
                }
            )
        )
        return wizard._create_payments()

    def _stored(self, fname):
        """The jsonb of a fact as stored: {company id: value}."""
        self.env.flush_all()
        [(value,)] = self.env.execute_query(
            SQL(
                "SELECT %s FROM res_partner WHERE id = %s",
                SQL.identifier(fname),
                self.shared.id,
            )
        )
        return value or {}

    def _buy_in_both(self):
        """In A: an order, two invoices in EUR, one of them paid. In B: an
        invoice in USD and an opportunity of B."""
        self._order(self.company_a)
        # 100 EUR at 2 = 50 USD, 200 EUR at 4 = 50 USD
        old = post_invoices(self.env, self.today, [(self.shared, 30, 100.0)], self.eur)
        post_invoices(self.env, self.today, [(self.shared, 5, 200.0)], self.eur)
        self._pay(old, 20, 100.0, self.eur)  # 100 EUR at 2: 50 USD
        # 100 USD 30 days ago at 0.5 = 200 EUR (today's rate: 400 EUR)
        post_invoices(
            self.env,
            self.today,
            [(self.shared, 30, 100.0)],
            self.usd,
            company=self.company_b,
        )
        self.env["crm.lead"].with_company(self.company_b).create(
            {
                "name": "Euro deal",
                "partner_id": self.shared.id,
                "company_id": self.company_b.id,
                "type": "opportunity",
            }
        )

    def test_each_company_reads_its_own_facts(self):
        self._buy_in_both()
        self.assertEqual(self.in_a.lifecycle_currency_id, self.usd)
        self.assertEqual(self.in_b.lifecycle_currency_id, self.eur)
        # A: its order, its invoices and payment, in USD at their dates
        self.assertEqual(self.in_a.lifecycle_order_count, 1)
        self.assertEqual(self.in_a.lifecycle_invoiced_amount, 100.0)
        self.assertEqual(self.in_a.lifecycle_paid_amount, 50.0)
        self.assertEqual(
            self.in_a.lifecycle_last_payment_date, self.today - timedelta(days=20)
        )
        # the invoice paid is reconciled: the other one's 50 USD is open
        self.assertEqual(self.in_a.lifecycle_receivable_amount, 50.0)
        self.assertEqual(self.in_a.lifecycle_open_opportunity_count, 0)
        # B: none of A's figures; its invoice in EUR at its date
        self.assertEqual(self.in_b.lifecycle_order_count, 0)
        self.assertFalse(self.in_b.lifecycle_first_sale_date)
        self.assertEqual(self.in_b.lifecycle_invoiced_amount, 200.0)
        self.assertEqual(self.in_b.lifecycle_paid_amount, 0.0)
        self.assertFalse(self.in_b.lifecycle_last_payment_date)
        self.assertEqual(self.in_b.lifecycle_receivable_amount, 200.0)
        self.assertEqual(self.in_b.lifecycle_open_opportunity_count, 1)
        # stored once per company in the partner's row
        a, b = str(self.company_a.id), str(self.company_b.id)
        self.assertEqual(
            self._stored("lifecycle_invoiced_amount"), {a: 100.0, b: 200.0}
        )
        self.assertEqual(self._stored("lifecycle_order_count"), {a: 1})
        # the nightly recomputation of each company gives the same
        self.in_b._lifecycle_refresh_facts()
        self.in_a._lifecycle_refresh_facts()
        self.assertEqual(
            self._stored("lifecycle_invoiced_amount"), {a: 100.0, b: 200.0}
        )
        self.assertEqual(self.in_b.lifecycle_open_opportunity_count, 1)
        # a lead of no company belongs to every company
        self.env["crm.lead"].create(
            {"name": "Any company", "partner_id": self.shared.id, "company_id": False}
        )
        self.in_a._lifecycle_refresh_facts(["leads"])
        self.in_b._lifecycle_refresh_facts(["leads"])
        self.assertEqual(self.in_a.lifecycle_open_opportunity_count, 1)
        self.assertEqual(self.in_b.lifecycle_open_opportunity_count, 2)

    def test_search_and_group_per_company(self):
        self._buy_in_both()
        Partner = self.env["res.partner"]
        buyers = [("id", "=", self.shared.id), ("lifecycle_order_count", ">", 0)]
        self.assertEqual(
            Partner.with_company(self.company_a).search(buyers), self.shared
        )
        self.assertFalse(Partner.with_company(self.company_b).search(buyers))
        invoiced = [
            ("id", "=", self.shared.id),
            ("lifecycle_invoiced_amount", ">", 150),
        ]
        self.assertFalse(Partner.with_company(self.company_a).search(invoiced))
        self.assertEqual(
            Partner.with_company(self.company_b).search(invoiced), self.shared
        )
        for company, count in ((self.company_a, 1), (self.company_b, 0)):
            groups = Partner.with_company(company)._read_group(
                [("id", "=", self.shared.id)],
                ["lifecycle_order_count"],
                ["lifecycle_invoiced_amount:sum"],
            )
            self.assertEqual(groups[0][0], count)
        # ordering by a fact follows the company too
        other = Partner.create({"name": "Other Buyer", "is_company": True})
        post_invoices(self.env, self.today, [(other, 1, 150.0)], company=self.company_b)
        order = "lifecycle_invoiced_amount desc"
        both = [("id", "in", (self.shared | other).ids)]
        self.assertEqual(
            Partner.with_company(self.company_a).search(both, order=order)[0],
            self.shared,
        )
        self.assertEqual(
            Partner.with_company(self.company_b).search(both, order=order)[0],
            self.shared,
        )
        self.assertEqual(
            Partner.with_company(self.company_b).search(
                both + [("lifecycle_invoiced_amount", "<", 190)]
            ),
            other,
        )

    def test_order_confirmed_in_b_changes_only_b(self):
        self._buy_in_both()
        a = str(self.company_a.id)
        before_a = {
            fname: self._stored(fname).get(a)
            for fname in self.env["res.partner"]._lifecycle_fact_fields()
        }
        self._order(self.company_b)
        self.assertEqual(self.in_b.lifecycle_order_count, 1)
        self.assertEqual(self.in_a.lifecycle_order_count, 1)
        after_a = {
            fname: self._stored(fname).get(a)
            for fname in self.env["res.partner"]._lifecycle_fact_fields()
        }
        self.assertEqual(after_a, before_a)
        self.assertEqual(
            self._stored("lifecycle_order_count"),
            {a: 1, str(self.company_b.id): 1},
        )

    def test_refresh_of_a_batch_writes_one_company(self):
        """The nightly job's batches: facts of many customers read and written
        for the company of the batch, the other company's values kept."""
        self._buy_in_both()
        a, b = str(self.company_a.id), str(self.company_b.id)
        Partner = self.env["res.partner"]
        others = Partner.create(
            [{"name": f"Customer {n}", "is_company": True} for n in range(200)]
        )
        batch = (self.shared | others).with_company(self.company_b)
        # a value of B gone stale; A's must stay as they are
        self.in_b.lifecycle_invoiced_amount = 1.0
        self.in_a.lifecycle_order_count = 7
        self.env.flush_all()
        current = batch._lifecycle_current_facts(["lifecycle_invoiced_amount"])
        self.assertEqual(current[self.shared.id]["lifecycle_invoiced_amount"], 1.0)
        changed = batch._lifecycle_refresh_facts(groups=("invoices", "sales"))
        self.assertEqual(set(changed), {self.shared.id})
        self.assertEqual(
            self._stored("lifecycle_invoiced_amount"), {a: 100.0, b: 200.0}
        )
        self.assertEqual(self._stored("lifecycle_order_count"), {a: 7})

    def test_facts_checked_per_company(self):
        Check = self.env["crm.lifecycle.facts.check"]
        yesterday = self.today - timedelta(days=1)
        Check.with_company(self.company_a)._mark(self.shared.ids, self.today)
        Check.with_company(self.company_b)._mark(self.shared.ids, yesterday)
        self.assertEqual(self.in_a.lifecycle_facts_date, self.today)
        self.assertEqual(self.in_b.lifecycle_facts_date, yesterday)
        Partner = self.env["res.partner"]
        checked_today = [
            ("id", "=", self.shared.id),
            ("lifecycle_facts_date", "=", self.today),
        ]
        self.assertTrue(Partner.with_company(self.company_a).search(checked_today))
        self.assertFalse(Partner.with_company(self.company_b).search(checked_today))
        # the inverse writes the current company's check
        self.in_b.lifecycle_facts_date = self.today
        self.assertTrue(Partner.with_company(self.company_b).search(checked_today))
        Check.with_company(self.company_a)._mark(self.shared.ids, False)
        self.assertFalse(self.in_a.lifecycle_facts_date)
        self.assertEqual(self.in_b.lifecycle_facts_date, self.today)

    def test_nightly_scans_written_documents_once_for_all_companies(self):
        """The nightly job looks for the documents written since each
        company's checks with one scan for all the companies, from the
        earliest check on; each company gets the customers written since its
        own: an order written after A's check and before B's is A's only."""
        Check = self.env["crm.lifecycle.facts.check"]
        Partner = self.env["res.partner"]
        order = self._order(self.company_a)
        self.env.flush_all()
        # every check of the database done today but the shared customer's
        cr = self.env.cr
        cr.execute("UPDATE crm_lifecycle_facts_check SET date = %s", [self.today])
        Check.with_company(self.company_a)._mark(
            self.shared.ids, self.today - timedelta(days=3)
        )
        Check.with_company(self.company_b)._mark(
            self.shared.ids, self.today - timedelta(days=1)
        )
        # every document read by the facts written long ago, but the order
        groups = Partner._lifecycle_fact_groups().values()
        sources = {
            model for group in groups if not group.dated for model, _f in group.sources
        }
        long_ago = self.today - timedelta(days=10)
        for model_name in sorted(sources):
            cr.execute(
                SQL(
                    "UPDATE %s SET write_date = %s",
                    SQL.identifier(self.env[model_name]._table),
                    long_ago,
                )
            )
        # A checked 3 days ago: documents from 4 days ago; B: from 2 days ago
        cr.execute(
            "UPDATE sale_order SET write_date = %s WHERE id = %s",
            [self.today - timedelta(days=3), order.id],
        )
        self.env.invalidate_all()
        with self.assertLogs("odoo.sql_db", "DEBUG") as logs:
            # as the scheduled action runs it: as the superuser
            plan = Partner.sudo()._lifecycle_nightly_prepare(self.today, (0, 1))
        scans = [query for query in logs.output if '"sale_order" doc' in query]
        self.assertEqual(len(scans), 1, "one scan for both companies")
        nights = {night["company_id"]: night for night in plan}
        self.assertIn(self.shared.id, nights[self.company_a.id]["written"])
        self.assertNotIn(self.shared.id, nights[self.company_b.id]["written"])

    def test_upgrade_keeps_the_values_for_the_customers_company(self):
        """19.0.1.9.0: a plain fact column becomes a jsonb keeping each value
        for the customer's company, else the main company."""
        own = self.env["res.partner"].create(
            {"name": "B's Own", "is_company": True, "company_id": self.company_b.id}
        )
        self.env.flush_all()
        cr = self.env.cr
        # the column as it was before the upgrade
        cr.execute(
            "ALTER TABLE res_partner ALTER COLUMN lifecycle_order_count TYPE int4"
            " USING NULL"
        )
        cr.execute(
            "UPDATE res_partner SET lifecycle_order_count = 3 WHERE id IN %s",
            ((self.shared.id, own.id),),
        )
        load_migration("crm_lifecycle", "19.0.1.9.0", "pre-migrate").migrate(
            cr, "19.0.1.8.0"
        )
        main = self.env.ref("base.main_company")
        cr.execute(
            "SELECT id, lifecycle_order_count FROM res_partner WHERE id IN %s",
            ((self.shared.id, own.id),),
        )
        stored = {
            id_: value if isinstance(value, dict) else json.loads(value)
            for id_, value in cr.fetchall()
        }
        self.assertEqual(stored[self.shared.id], {str(main.id): 3})
        self.assertEqual(stored[own.id], {str(self.company_b.id): 3})
