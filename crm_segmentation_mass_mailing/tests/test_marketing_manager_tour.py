# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The marketing manager's journey in a browser (issue 22): desktop and phone,
English and Spanish.

The tour (static/tests/tours/marketing_manager_tour.js) walks the heat map and
its drill-down, Reporting > Segment Matrix, the segments of a matrix, "Recompute
Now" and the cross-sell "Recompute", asserting what a person reads. Its steps
"Read the screen" log the text of the page; in the Spanish run the test fails on
any English string of our addons found there."""

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.common import (
    BrowserTourCase,
    LifecycleCommon,
    MobileTourCase,
)
from odoo.addons.crm_lifecycle.tests.page_text import PageTextTourMixin


class MarketingManagerTourCommon(PageTextTourMixin, LifecycleCommon):
    """Five customers with real confirmed and invoiced orders, placed by real
    recomputes in the shipped RFM matrix and in a region x revenue matrix;
    their orders make one cross-sell pair bought by 3 customers (chair and
    lamp) and one bought by a single customer (chair and sofa)."""

    lang = "en_US"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_tour_lang()
        company = cls.env.company
        cls.manager = new_test_user(
            cls.env,
            "mm_marketing_manager",
            name="Mia Marketing",
            groups="crm_segmentation.group_segmentation_manager,"
            "mass_mailing.group_mass_mailing_user",
            company_id=company.id,
            company_ids=company.ids,
            lang=cls.lang,
        )
        company.segment_cross_sell_min_customers = 3
        Product = cls.env["product.product"]
        cls.chair, cls.lamp, cls.sofa = Product.create(
            [
                {"name": name, "type": "consu", "list_price": 100.0}
                for name in ("MM Chair", "MM Lamp", "MM Sofa")
            ]
        )
        spain, france = cls.env.ref("base.es"), cls.env.ref("base.fr")
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "country_id": country.id,
                    "email": email,
                }
                for name, country, email in (
                    ("MM Big Iberia One", spain, "one@mm.example.com"),
                    ("MM Big Iberia Two", spain, "two@mm.example.com"),
                    ("MM Small Iberia", spain, "small@mm.example.com"),
                    ("MM Small France", france, "france@mm.example.com"),
                    ("MM Sofa Buyer", france, "sofa@mm.example.com"),
                )
            ]
        )
        baskets = (
            (cls.chair + cls.lamp, 1500.0),
            (cls.chair + cls.lamp, 2000.0),
            (cls.chair + cls.lamp, 200.0),
            (cls.chair + cls.sofa, 300.0),
            (cls.sofa, 100.0),
        )
        for partner, (products, amount) in zip(cls.customers, baskets, strict=True):
            order = cls.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "price_unit": amount / len(products),
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for product in products
                    ],
                }
            )
            order.action_confirm()
            order._create_invoices().action_post()
        Dimension = cls.env["crm.segment.dimension"]
        region = Dimension.create(
            {
                "name": "MM Region",
                "dimension_type": "rule",
                "level_ids": [
                    Command.create(
                        {
                            "name": "MM Iberia",
                            "sequence": 1,
                            "domain": "[('country_id.code', 'in', ['ES', 'PT'])]",
                        }
                    ),
                    Command.create(
                        {
                            "name": "MM France",
                            "sequence": 2,
                            "domain": "[('country_id.code', '=', 'FR')]",
                        }
                    ),
                ],
            }
        )
        revenue = Dimension.create(
            {
                "name": "MM Revenue",
                "dimension_type": "metric",
                "metric": "monetary",
                "binning": "threshold",
                "level_ids": [
                    Command.create({"name": "MM Small", "sequence": 1, "threshold": 0}),
                    Command.create(
                        {"name": "MM Big", "sequence": 2, "threshold": 1000.0}
                    ),
                ],
            }
        )
        cls.matrix = cls.env["crm.segment.matrix"].create(
            {
                "name": "MM Region x Revenue",
                "sequence": 50,
                "row_dimension_id": region.id,
                "col_dimension_id": revenue.id,
            }
        )
        cls.rfm_matrix = cls.env.ref("crm_segmentation.crm_segment_matrix_rfm")
        cls.env["res.partner"]._rfm_compute(company)
        (cls.rfm_matrix + cls.matrix).action_recompute()

    def _run(self, tour):
        return self.run_reading_tour("/odoo/crm", tour, login=self.manager.login)

    def _check_journey(self, tour):
        memberships = self.env["crm.segment.membership"].search(
            [("matrix_id", "=", self.matrix.id)]
        )
        # the heat map the tour reads: 5 customers, none locked
        self.assertEqual(memberships.partner_id, self.customers)
        self.assertFalse(memberships.filtered("locked"))
        self._run(tour)
        self.env.invalidate_all()
        # looking did not lock anybody (the drill-down is no inline edition)
        self.assertFalse(
            self.env["crm.segment.membership"]
            .search([("matrix_id", "=", self.matrix.id)])
            .filtered("locked")
        )
        # the recompute of the tour kept the rules resting on 3 customers
        rules = self.env["crm.cross.sell.rule"].search(
            [("product_a_id", "in", (self.chair + self.lamp + self.sofa).ids)]
        )
        self.assertEqual(
            {(r.product_a_id, r.product_b_id, r.pair_count) for r in rules},
            {(self.chair, self.lamp, 3), (self.lamp, self.chair, 3)},
        )


@tagged("post_install", "-at_install")
class TestMarketingManagerTour(MarketingManagerTourCommon, BrowserTourCase):
    def test_marketing_manager_journey(self):
        self._check_journey("crm_marketing_manager_tour")


@tagged("post_install", "-at_install")
class TestMarketingManagerMobileTour(MarketingManagerTourCommon, MobileTourCase):
    def test_marketing_manager_journey_on_phone(self):
        self._check_journey("crm_marketing_manager_mobile_tour")


@tagged("post_install", "-at_install")
class TestMarketingManagerTourSpanish(MarketingManagerTourCommon, BrowserTourCase):
    lang = "es_ES"

    def test_marketing_manager_journey_in_spanish(self):
        self._check_journey("crm_marketing_manager_tour")


@tagged("post_install", "-at_install")
class TestMarketingManagerMobileTourSpanish(MarketingManagerTourCommon, MobileTourCase):
    lang = "es_ES"

    def test_marketing_manager_journey_on_phone_in_spanish(self):
        self._check_journey("crm_marketing_manager_mobile_tour")
