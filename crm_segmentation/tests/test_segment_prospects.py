# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SegmentationCommon


@tagged("post_install", "-at_install")
class TestSegmentProspects(SegmentationCommon):
    """A matrix of characteristics (two rule-based dimensions) can place
    prospects and the partners of leads, e.g. "probable prospects in Spain"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.region = cls._rule_dimension(
            "Region", [("Spain", "[('country_id.code', '=', 'ES')]")]
        )
        cls.stage_dim = cls._rule_dimension(
            "Stage",
            [
                ("Probable", "[('lifecycle_stage_id.code', '=', 'probable')]"),
                ("Any", "[]"),
            ],
        )
        cls.matrix = cls.Matrix.create(
            {
                "name": "Region x stage",
                "row_dimension_id": cls.region.id,
                "col_dimension_id": cls.stage_dim.id,
            }
        )
        spain = cls.env.ref("base.es")
        cls.buyer = cls._customers(["Buyer"], country_id=spain.id)
        cls._invoices([(cls.buyer, 3, 100.0)])
        cls.probable = cls._customers(
            ["Probable prospect"],
            country_id=spain.id,
            lifecycle_stage_id=cls.env.ref("crm_lifecycle.stage_probable").id,
        )
        cls.lead_partner = cls._customers(["Lead company"], country_id=spain.id)
        cls.env["crm.lead"].create(
            {"name": "Chairs", "partner_id": cls.lead_partner.id, "type": "lead"}
        )
        cls.nobody = cls._customers(["Just a contact"], country_id=spain.id)

    def _placed(self):
        return self.Membership.search([("matrix_id", "=", self.matrix.id)]).partner_id

    def test_customers_only_unless_asked(self):
        self.matrix._recompute()
        self.assertEqual(self._placed(), self.buyer)
        self.matrix.include_prospects = True
        self.matrix._recompute()
        self.assertEqual(self._placed(), self.buyer | self.probable | self.lead_partner)
        cell = self._membership(self.matrix, self.probable).cell_id
        self.assertEqual(
            (cell.row_level_id.name, cell.col_level_id.name), ("Spain", "Probable")
        )
        # turned off again: the prospects leave the matrix
        self.matrix.include_prospects = False
        self.matrix._recompute()
        self.assertEqual(self._placed(), self.buyer)

    def test_only_for_characteristic_matrices(self):
        value = self._metric_dimension(
            "Value", "monetary", "quantile", [("Low", 0), ("High", 0)]
        )
        matrix = self.Matrix.create(
            {
                "name": "Region x value",
                "row_dimension_id": self.region.id,
                "col_dimension_id": value.id,
            }
        )
        self.assertTrue(self.matrix.is_characteristic_only)
        self.assertFalse(matrix.is_characteristic_only)
        with self.assertRaises(ValidationError):
            matrix.include_prospects = True
