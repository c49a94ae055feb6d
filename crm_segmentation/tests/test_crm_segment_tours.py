# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Browser tours of the segmentation screens (headless Chromium): a
salesperson opens a matrix's heat map from the menu, reads the customer counts
of its cells, colours it by the share of revenue, looks at the migration grid
and the cohorts and drills into a cell, on a desktop and on a phone, in English
and in Spanish (no English string of our addons on the Spanish screens)."""

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import (
    BrowserTourCase,
    LifecycleCommon,
    MobileTourCase,
)
from odoo.addons.crm_lifecycle.tests.page_text import PageTextTourMixin


class HeatMapTourCommon(PageTextTourMixin, LifecycleCommon):
    """A matrix region x revenue with customers placed by a real recompute:
    two big and one small customer in Iberia, one small one in France (the
    cell France / Big stays empty)."""

    lang = "en_US"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_tour_lang()
        cls.salesman.lang = cls.lang

    def setUp(self):
        super().setUp()
        spain, france = self.env.ref("base.es"), self.env.ref("base.fr")
        self.customers = self.env["res.partner"].create(
            [
                {"name": name, "is_company": True, "country_id": country.id}
                for name, country in (
                    ("Tour Big Iberia One", spain),
                    ("Tour Big Iberia Two", spain),
                    ("Tour Small Iberia", spain),
                    ("Tour Small France", france),
                )
            ]
        )
        self.big_one, self.big_two, self.small_iberia, self.small_france = (
            self.customers
        )
        for partner, amount in zip(
            self.customers, (1500.0, 2000.0, 200.0, 300.0), strict=True
        ):
            self._invoice(self._order(partner=partner, price=amount))
        Dimension = self.env["crm.segment.dimension"]
        region = Dimension.create(
            {
                "name": "Tour Region",
                "dimension_type": "rule",
                "level_ids": [
                    Command.create(
                        {
                            "name": "Tour Iberia",
                            "sequence": 1,
                            "domain": "[('country_id.code', 'in', ['ES', 'PT'])]",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Tour France",
                            "sequence": 2,
                            "domain": "[('country_id.code', '=', 'FR')]",
                        }
                    ),
                ],
            }
        )
        revenue = Dimension.create(
            {
                "name": "Tour Revenue",
                "dimension_type": "metric",
                "metric": "monetary",
                "binning": "threshold",
                "level_ids": [
                    Command.create(
                        {"name": "Tour Small", "sequence": 1, "threshold": 0.0}
                    ),
                    Command.create(
                        {"name": "Tour Big", "sequence": 2, "threshold": 1000.0}
                    ),
                ],
            }
        )
        self.matrix = self.env["crm.segment.matrix"].create(
            {
                "name": "Tour Region x Revenue",
                "row_dimension_id": region.id,
                "col_dimension_id": revenue.id,
            }
        )
        self.env["res.partner"]._rfm_compute(self.env.company)
        self.matrix.action_recompute()
        self.big_cell = self.matrix.cell_ids.filtered(
            lambda c: c.row_level_id.name == "Tour Iberia"
            and c.col_level_id.name == "Tour Big"
        )

    def _placement(self):
        """Every membership of the matrix and every move of its history."""
        self.env.invalidate_all()
        memberships = self.env["crm.segment.membership"].search(
            [("matrix_id", "=", self.matrix.id)]
        )
        return (
            {(m.partner_id, m.cell_id, m.locked) for m in memberships},
            self.env["crm.segment.history"].search_count(
                [("matrix_id", "=", self.matrix.id)]
            ),
            self.matrix.date_recompute,
        )

    def _check_heat_map_tour(self, tour):
        placement = self._placement()
        memberships, _moves, _date = placement
        cells = {
            partner: (cell.row_level_id.name, cell.col_level_id.name)
            for partner, cell, _locked in memberships
            if partner in self.customers
        }
        # the recompute placed the four customers where the tour expects them
        self.assertEqual(
            cells,
            {
                self.big_one: ("Tour Iberia", "Tour Big"),
                self.big_two: ("Tour Iberia", "Tour Big"),
                self.small_iberia: ("Tour Iberia", "Tour Small"),
                self.small_france: ("Tour France", "Tour Small"),
            },
        )
        self.assertEqual(self.big_cell.customer_count, 2)
        self.run_reading_tour("/odoo/crm", tour, login=self.salesman.login)
        # looking changes nothing: same cells, no lock, no move, no recompute
        self.assertEqual(self._placement(), placement)


@tagged("post_install", "-at_install")
class TestSegmentHeatMapTour(HeatMapTourCommon, BrowserTourCase):
    def test_heat_map_drill_into_cell(self):
        self._check_heat_map_tour("crm_segmentation_heat_map_tour")


@tagged("post_install", "-at_install")
class TestSegmentHeatMapMobileTour(HeatMapTourCommon, MobileTourCase):
    def test_heat_map_drill_into_cell_on_phone(self):
        self._check_heat_map_tour("crm_segmentation_heat_map_mobile_tour")


@tagged("post_install", "-at_install")
class TestSegmentHeatMapTourSpanish(HeatMapTourCommon, BrowserTourCase):
    lang = "es_ES"

    def test_heat_map_drill_into_cell_in_spanish(self):
        self._check_heat_map_tour("crm_segmentation_heat_map_tour")


@tagged("post_install", "-at_install")
class TestSegmentHeatMapMobileTourSpanish(HeatMapTourCommon, MobileTourCase):
    lang = "es_ES"

    def test_heat_map_drill_into_cell_on_phone_in_spanish(self):
        self._check_heat_map_tour("crm_segmentation_heat_map_mobile_tour")
