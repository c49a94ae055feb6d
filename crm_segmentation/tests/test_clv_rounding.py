# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import numpy as np

from odoo.tests import BaseCase, tagged
from odoo.tools import float_round

from ..models.crm_clv_prediction import round_money


@tagged("post_install", "-at_install")
class TestClvRounding(BaseCase):
    """The predicted values are rounded to the currency, all customers at once:
    the very floats ``float_round`` gives one by one."""

    def test_same_floats_as_float_round(self):
        rng = np.random.default_rng(7)
        values = np.concatenate(
            [
                rng.normal(0, 1000, 5000),
                rng.exponential(50, 5000),
                # ties and their float neighbours (2.675 is 2.67499999...)
                np.arange(-2000, 2000) * 0.005,
                [0.0, -0.0, 2.675, 1.005, -2.675, 0.125, 1e12 + 0.005],
            ]
        )
        for rounding in (0.01, 1.0, 0.05, 0.001, 0.5, 5.0, 10.0):
            expected = [
                float_round(value, precision_rounding=rounding)
                for value in values.tolist()
            ]
            self.assertEqual(
                [repr(value) for value in round_money(values, rounding).tolist()],
                [repr(value) for value in expected],
                rounding,
            )
