# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .common import SegmentationCommon


@tagged("post_install", "-at_install")
class TestRfm(SegmentationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="Segment Co 2")["company"]
        cls.a, cls.b, cls.c, cls.d, cls.e = cls._customers(
            ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
        )
        cls._invoices(
            [
                # two purchases the same day count once
                (cls.a, 10, 100.0),
                (cls.a, 40, 200.0),
                (cls.a, 40, 50.0),
                # a credit note lowers the amount, it is no purchase
                (cls.b, 5, 1000.0),
                (cls.b, 3, 300.0, "out_refund"),
                # the purchase before the 365-day window does not count
                (cls.c, 200, 80.0),
                (cls.c, 400, 500.0),
                (cls.d, 30, 60.0),
                (cls.e, 400, 70.0),
            ]
        )
        # another company's invoice is excluded
        cls._invoices([(cls.d, 2, 9999.0)], company=cls.company_2)

    def test_rfm_values_and_scores(self):
        result = self.Partner._rfm_compute(self.company)
        self.assertEqual(result["scored"], 4)
        # hand computation: score = 1 + floor(5 * percent_rank) (max 5) over the
        # 4 customers with a purchase; percent_rank = (rank - 1) / 3
        expected = {
            # recency, frequency, monetary, R, F, M
            self.a: (10, 2, 350.0, 4, 5, 4),
            self.b: (5, 1, 700.0, 5, 1, 5),
            self.c: (200, 1, 80.0, 1, 1, 2),
            self.d: (30, 1, 60.0, 2, 1, 1),
        }
        for partner, (rec, freq, mon, r, f, m) in expected.items():
            self.assertEqual(
                (
                    partner.rfm_recency_days,
                    partner.rfm_frequency,
                    partner.rfm_monetary,
                    partner.rfm_recency_score,
                    partner.rfm_frequency_score,
                    partner.rfm_monetary_score,
                    partner.rfm_score,
                ),
                (rec, freq, mon, r, f, m, f"{r}{f}{m}"),
                partner.name,
            )
        # no purchase in the window: no RFM
        self.assertEqual(self.e.rfm_frequency, 0)
        self.assertFalse(self.e.rfm_score)

    def test_rfm_window_and_source_settings(self):
        settings = self.env["res.config.settings"].create({})
        settings.rfm_period_days = 500
        settings.execute()
        self.assertEqual(self.company.rfm_period_days, 500)
        self.Partner._rfm_compute(self.company)
        # the older purchases now count
        self.assertEqual((self.c.rfm_frequency, self.c.rfm_monetary), (2, 580.0))
        self.assertEqual((self.e.rfm_recency_days, self.e.rfm_frequency), (400, 1))
        # confirmed orders instead of invoices: nobody ordered here, but the
        # invoices made without an order are purchases under either source
        self.company.rfm_source = "order"
        self.Partner._rfm_compute(self.company)
        self.assertEqual((self.a.rfm_frequency, self.a.rfm_monetary), (2, 350.0))
        self.assertEqual((self.b.rfm_frequency, self.b.rfm_monetary), (1, 700.0))

    def test_order_source_counts_orders_once_and_direct_invoices(self):
        """Under the order source, an order invoiced counts once (the order,
        not its invoice), the credit note of its invoice does not lower it, and
        the customer's invoice made without an order counts with its credit
        note."""
        self.company.rfm_source = "order"
        customer = self._customers(["Foxtrot"])
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "product_uom_qty": 2,
                            "price_unit": 400.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = self.today - timedelta(days=20)
        order_invoice = order._create_invoices()
        order_invoice.invoice_date = self.today - timedelta(days=15)
        order_invoice.action_post()
        refund_wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=order_invoice.ids)
            .create({"journal_id": order_invoice.journal_id.id})
        )
        order_refund = self.env["account.move"].browse(
            refund_wizard.refund_moves()["res_id"]
        )
        order_refund.action_post()
        self.assertTrue(order_refund.line_ids.sale_line_ids)
        # invoiced directly 10 days ago, 100 of it credited 5 days ago
        self._invoices([(customer, 10, 300.0), (customer, 5, 100.0, "out_refund")])
        self.Partner._rfm_compute(self.company)
        self.assertEqual(customer.rfm_frequency, 2)
        self.assertEqual(customer.rfm_monetary, 800.0 + 300.0 - 100.0)
        self.assertEqual(customer.rfm_recency_days, 10)
        # posted invoices instead: the order's invoice and its credit note
        # cancel out, the direct ones stay
        self.company.rfm_source = "invoice"
        self.Partner._rfm_compute(self.company)
        self.assertEqual(customer.rfm_monetary, 200.0)
