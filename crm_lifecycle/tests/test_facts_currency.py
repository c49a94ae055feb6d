# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The behaviour facts are in the company's currency: invoices and payments in
another currency are converted at their own date (the rate of that day, not
today's), and a shared customer has its facts in each company in that
company's currency (see also test_facts_per_company.py)."""

from datetime import timedelta

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import SecondCurrencyMixin, post_invoices


@tagged("post_install", "-at_install")
class TestFactsCurrency(SecondCurrencyMixin, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.usd = cls.company.currency_id
        cls._setup_second_currency()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Euro Buyer", "is_company": True, "company_id": cls.company.id}
        )

    @classmethod
    def _invoice(cls, partner, days_ago, amount, currency, company=None):
        return post_invoices(
            cls.env, cls.today, [(partner, days_ago, amount)], currency, company
        )

    @classmethod
    def _pay(cls, invoice, days_ago, amount, currency):
        wizard = (
            cls.env["account.payment.register"]
            .with_company(invoice.company_id)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount,
                    "currency_id": currency.id,
                    "payment_date": cls.today - timedelta(days=days_ago),
                }
            )
        )
        return wizard._create_payments()

    def test_invoiced_and_paid_at_the_documents_date(self):
        self.assertEqual(self.usd.name, "USD")
        self.assertEqual(self.customer.lifecycle_currency_id, self.usd)
        # 100 EUR at 2 = 50 USD, 200 EUR at 4 = 50 USD: 100 USD (today's rate
        # would give 75 USD, the older rate 150 USD)
        old = self._invoice(self.customer, 30, 100.0, self.eur)
        recent = self._invoice(self.customer, 5, 200.0, self.eur)
        self.assertEqual(self.customer.lifecycle_invoiced_amount, 100.0)
        # paid in EUR: 100 EUR 20 days ago (at 2) and 200 EUR 2 days ago (at 4)
        self._pay(old, 20, 100.0, self.eur)
        self.assertEqual(self.customer.lifecycle_paid_amount, 50.0)
        self._pay(recent, 2, 200.0, self.eur)
        self.assertEqual(self.customer.lifecycle_paid_amount, 100.0)
        self.assertEqual(
            self.customer.lifecycle_last_payment_date, self.today - timedelta(days=2)
        )
        # an invoice in the company's currency adds as it is
        self._invoice(self.customer, 1, 30.0, self.usd)
        self.assertEqual(self.customer.lifecycle_invoiced_amount, 130.0)
        # the nightly recomputation of every fact gives the same
        self.customer.lifecycle_invoiced_amount = 0.0
        self.customer._lifecycle_refresh_facts()
        self.assertEqual(self.customer.lifecycle_invoiced_amount, 130.0)
        self.assertEqual(self.customer.lifecycle_paid_amount, 100.0)

    def test_shared_customer_with_documents_of_a_company_in_another_currency(self):
        """A customer shared by the companies (no company) has facts of its own
        in each company, each in the company's currency: the documents of the
        company in EUR count in EUR there, not converted into the main
        company's figures (which are in USD and count its documents only)."""
        eur_company = self.setup_other_company(
            name="Euro Company", currency_id=self.eur.id
        )["company"]
        self.assertEqual(eur_company.currency_id, self.eur)
        shared = self.env["res.partner"].create(
            {"name": "Shared Buyer", "is_company": True}
        )
        in_eur = shared.with_company(eur_company)
        self.assertEqual(shared.lifecycle_currency_id, self.usd)
        self.assertEqual(in_eur.lifecycle_currency_id, self.eur)
        # USD per EUR in the euro company: 0.5 (its own rates)
        self.usd.rate_ids = [
            Command.create(
                {
                    "name": self.today - timedelta(days=400),
                    "rate": 0.5,
                    "company_id": eur_company.id,
                }
            )
        ]
        self._invoice(shared, 30, 100.0, self.usd)
        self._invoice(shared, 20, 300.0, self.eur, company=eur_company)
        # the euro company's invoice in USD: converted by accounting (200 EUR)
        self._invoice(shared, 10, 100.0, self.usd, company=eur_company)
        self.assertEqual(shared.lifecycle_invoiced_amount, 100.0)
        self.assertEqual(in_eur.lifecycle_invoiced_amount, 500.0)
        # the nightly recomputation of each company gives the same
        shared._lifecycle_refresh_facts()
        in_eur._lifecycle_refresh_facts()
        self.assertEqual(shared.lifecycle_invoiced_amount, 100.0)
        self.assertEqual(in_eur.lifecycle_invoiced_amount, 500.0)
