# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 23, done when: a customer shared by a company selling in USD and one
selling in EUR is high value for the first and lost for the second, after
both nightly jobs ran in either order: its stage, facts (each in its
company's currency), summary and history in each company."""

from datetime import timedelta

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import (
    SecondCurrencyMixin,
    post_invoices,
    reset_lifecycle_day,
    run_nightly_for_company,
)


@tagged("post_install", "-at_install")
class TestSharedCustomerTwoCompanies(SecondCurrencyMixin, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_second_currency()
        cls.company_usd = cls.env.company
        cls.company_eur = cls._setup_euro_company()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Shared Customer", "is_company": True}
        )
        cls.stages = {
            stage.code: stage for stage in cls.env["crm.lifecycle.stage"].search([])
        }

    def _order(self, company, days_ago):
        order = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_a.id,
                                "price_unit": 100.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        order.date_order = order.date_order - timedelta(days=days_ago)
        return order

    def _in(self, company):
        return self.customer.with_company(company).with_context(
            allowed_company_ids=company.ids
        )

    def test_high_value_in_one_company_and_lost_in_the_other(self):
        # the USD company: bought today, 12,000 invoiced in EUR 20 days ago
        # (EUR 2 per USD then: 6,000 USD) and 6,000 USD today
        self._order(self.company_usd, days_ago=0)
        post_invoices(
            self.env,
            self.today,
            [(self.customer, 20, 12000.0)],
            currency=self.eur,
            company=self.company_usd,
        )
        post_invoices(
            self.env, self.today, [(self.customer, 0, 6000.0)], company=self.company_usd
        )
        # the EUR company: one order, 400 days ago
        self._order(self.company_eur, days_ago=400)
        usd, eur = self._in(self.company_usd), self._in(self.company_eur)
        for order in (
            (self.company_usd, self.company_eur),
            (self.company_eur, self.company_usd),
        ):
            with self.subTest(order=[company.name for company in order]):
                reset_lifecycle_day(
                    self.env, self.customer, (self.company_usd, self.company_eur)
                )
                for company in order:
                    run_nightly_for_company(self, company)
                self.assertEqual(usd.lifecycle_stage_id, self.stages["high_value"])
                self.assertEqual(eur.lifecycle_stage_id, self.stages["lost"])
        # facts of each company, in its currency
        self.assertAlmostEqual(usd.lifecycle_invoiced_amount, 12000.0)
        self.assertEqual(usd.lifecycle_currency_id, self.company_usd.currency_id)
        self.assertEqual(usd.lifecycle_order_count, 1)
        self.assertEqual(eur.lifecycle_invoiced_amount, 0.0)
        self.assertEqual(eur.lifecycle_currency_id, self.eur)
        self.assertEqual(eur.lifecycle_order_count, 1)
        self.assertGreater(eur.lifecycle_days_since_purchase, 365)
        self.assertEqual(usd.lifecycle_days_since_purchase, 0)
        # the summary each company reads
        self.assertIn("High-value customer", str(usd.lifecycle_summary_html))
        self.assertNotIn("Lost", str(usd.lifecycle_summary_html))
        self.assertIn("Lost", str(eur.lifecycle_summary_html))
        self.assertNotIn("High-value customer", str(eur.lifecycle_summary_html))
        # the history (timeline of moves) each company reads
        History = self.env["crm.lifecycle.history"]
        for company, stage in (
            (self.company_usd, "high_value"),
            (self.company_eur, "lost"),
        ):
            moves = History.with_context(allowed_company_ids=company.ids).search(
                [("partner_id", "=", self.customer.id)]
            )
            self.assertEqual(moves.company_id, company)
            current = moves.filtered(lambda move: not move.date_end)
            self.assertEqual(current.stage_to_id, self.stages[stage])
