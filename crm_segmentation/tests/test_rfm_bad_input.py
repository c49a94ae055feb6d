# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import SegmentationCommon


@tagged("post_install", "-at_install")
class TestRfmBadInput(SegmentationCommon):
    """Purchases all refunded are no purchase; dates in the future are
    ignored with a warning."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kept, cls.refunded, cls.early = cls._customers(
            ["Kept", "Refunded", "Too early"]
        )
        cls._invoices(
            [
                (cls.kept, 10, 100.0),
                (cls.kept, 5, 40.0, "out_refund"),
                # every purchase refunded: no purchase
                (cls.refunded, 20, 300.0),
                (cls.refunded, 15, 300.0, "out_refund"),
                (cls.early, 30, 50.0),
                # dated in the future: ignored
                (cls.early, -10, 900.0),
            ]
        )

    def test_refunded_and_future(self):
        with self.assertLogs(
            "odoo.addons.crm_segmentation.models.res_partner", level="WARNING"
        ) as logs:
            result = self.Partner._rfm_compute(self.company)
        self.assertEqual(result["future"], 1)
        self.assertIn("1 documents dated in the future were ignored", logs.output[0])
        self.assertEqual((self.kept.rfm_frequency, self.kept.rfm_monetary), (1, 60.0))
        self.assertEqual(self.refunded.rfm_frequency, 0)
        self.assertFalse(self.refunded.rfm_score)
        self.assertEqual(
            (self.early.rfm_recency_days, self.early.rfm_monetary), (30, 50.0)
        )
