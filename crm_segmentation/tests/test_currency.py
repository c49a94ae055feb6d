# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""RFM monetary values and the customer value model's purchases are in the
company's currency, documents in another currency converted at their own date
(not today's rate)."""

from datetime import timedelta

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import SecondCurrencyMixin

from .common import SegmentationCommon


@tagged("post_install", "-at_install")
class TestSegmentationCurrency(SecondCurrencyMixin, SegmentationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_second_currency()
        cls.customer = cls._customers(["Euro Buyer"])

    def test_company_in_usd(self):
        self.assertEqual(self.company.currency_id.name, "USD")
        self.assertEqual(self.customer.lifecycle_currency_id.name, "USD")

    def test_predicted_amounts_sum_in_reports(self):
        """The predicted value and value at risk are amounts in the current
        company's currency: Odoo lets pivots, graphs and spreadsheets sum them
        (the Customers dashboard's key figures), and a group by currency opens
        the customers it counts."""
        Partner = self.Partner.with_user(self.env.user)
        described = Partner.fields_get(
            ["clv_value", "clv_value_at_risk"], ["aggregator"]
        )
        self.assertEqual(
            {fname: spec.get("aggregator") for fname, spec in described.items()},
            {"clv_value": "sum", "clv_value_at_risk": "sum"},
        )
        domain = [("id", "=", self.customer.id)]
        groups = Partner.formatted_read_group(
            domain, ["lifecycle_currency_id"], ["clv_value_at_risk:sum"]
        )
        self.assertEqual(len(groups), 1)
        self.assertEqual(
            groups[0]["lifecycle_currency_id"][0], self.company.currency_id.id
        )
        self.assertEqual(
            Partner.search(domain + groups[0]["__extra_domain"]), self.customer
        )
        self.assertFalse(
            Partner.search(domain + [("lifecycle_currency_id", "=", self.eur.id)])
        )
        self.assertEqual(
            Partner.search(domain + [("lifecycle_currency_id", "!=", self.eur.id)]),
            self.customer,
        )

    def _eur_invoices(self, specs):
        """(days ago, amount in EUR) -> posted invoices in EUR."""
        return self._invoices(
            [(self.customer, days, amount) for days, amount in specs],
            currency=self.eur,
        )

    def test_rfm_monetary_from_invoices_at_their_date(self):
        # 100 EUR at 2 = 50 USD, 200 EUR at 4 = 50 USD (today's rate would
        # give 75 USD, the older rate 150 USD)
        invoices = self._eur_invoices([(30, 100.0), (5, 200.0)])
        self.assertEqual(invoices.mapped("amount_untaxed_signed"), [50.0, 50.0])
        self.Partner._rfm_compute(self.company)
        self.assertEqual(self.customer.rfm_monetary, 100.0)
        self.assertEqual(self.customer.rfm_frequency, 2)

    def test_rfm_monetary_from_orders_at_their_date(self):
        pricelist = self.env["product.pricelist"].create(
            {"name": "Euro prices", "currency_id": self.eur.id}
        )
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "pricelist_id": pricelist.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_a.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for amount in (100.0, 200.0)
            ]
        )
        orders.action_confirm()
        # confirmed 30 and 5 days ago: the order's rate follows its date
        orders[0].date_order = self.today - timedelta(days=30)
        orders[1].date_order = self.today - timedelta(days=5)
        self.assertEqual(orders.mapped("currency_id"), self.eur)
        self.assertEqual(orders.mapped("currency_rate"), [2.0, 4.0])
        self.company.rfm_source = "order"
        self.Partner._rfm_compute(self.company)
        self.assertEqual(self.customer.rfm_frequency, 2)
        self.assertEqual(self.customer.rfm_monetary, 100.0)

    def test_customer_value_purchases_at_their_date(self):
        self._eur_invoices([(30, 100.0), (5, 200.0)])
        partners, _days, values = self.env["crm.clv.model"]._purchase_history(
            self.company, self.today
        )
        mine = partners == self.customer.id
        self.assertEqual(values[mine].tolist(), [50.0, 50.0])
