# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

import numpy as np

from odoo.tests import BaseCase, tagged

from .. import clv_math, clv_simulation, clv_value


def _beta(x, y):
    return math.gamma(x) * math.gamma(y) / math.gamma(x + y)


@tagged("post_install", "-at_install")
class TestClvMath(BaseCase):
    """The BG/NBD and Gamma-Gamma mathematics, checked against the papers'
    formulas by hand and by recovering the parameters of simulated customers."""

    PARAMS = (0.25, 4.0, 0.8, 2.5)

    def test_bgnbd_likelihood_hand_case(self):
        # One customer: x = 2 repeat purchases, last at t_x = 10, age T = 30.
        # L = B(a, b+x)/B(a, b) G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
        #   + B(a+1, b+x-1)/B(a, b) G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))
        r, alpha, a, b = self.PARAMS
        common = math.gamma(2.25) * 4.0**0.25 / math.gamma(0.25)
        alive = _beta(0.8, 4.5) / _beta(0.8, 2.5) * common / 34.0**2.25
        dead = _beta(1.8, 3.5) / _beta(0.8, 2.5) * common / 14.0**2.25
        expected = math.log(alive + dead)
        self.assertAlmostEqual(expected, -8.247469392, places=8)
        # Without repeat purchases only the first term remains: (alpha/(alpha+T))^r.
        expected_zero = 0.25 * math.log(4.0 / 34.0)
        result = clv_math.bgnbd_log_likelihood(self.PARAMS, [2, 0], [10, 0], [30, 30])
        self.assertAlmostEqual(result[0], expected, places=9)
        self.assertAlmostEqual(result[1], expected_zero, places=9)

    def test_probability_alive(self):
        # x = 0: the customer cannot have dropped out (dropout follows a purchase).
        alive = clv_math.bgnbd_probability_alive(
            self.PARAMS, [0, 0, 2, 2], [0, 0, 10, 29], [5, 500, 30, 30]
        )
        self.assertEqual(alive[0], 1.0)
        self.assertEqual(alive[1], 1.0)
        # Equation 11 by hand: 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)).
        self.assertAlmostEqual(
            alive[2], 1 / (1 + 0.8 / 3.5 * (34 / 14) ** 2.25), places=12
        )
        # A recent last purchase means more likely alive.
        self.assertGreater(alive[3], alive[2])

    def test_expected_purchases(self):
        x, t_x, T = [0, 3, 3], [0, 25, 5], [30, 30, 30]
        short = clv_math.bgnbd_expected_purchases(self.PARAMS, 10, x, t_x, T)
        long = clv_math.bgnbd_expected_purchases(self.PARAMS, 50, x, t_x, T)
        self.assertTrue(np.all(long > short))
        self.assertTrue(np.all(short > 0))
        # The active frequent customer buys more than the one silent for 25 units.
        self.assertGreater(short[1], short[2])
        self.assertEqual(
            clv_math.bgnbd_expected_purchases(self.PARAMS, 0, x, t_x, T).tolist(),
            [0.0, 0.0, 0.0],
        )
        # A customer seen at T = 0 behaves like a new one: E[Y(t)|0,0,0] = E[X(t)].
        self.assertAlmostEqual(
            float(clv_math.bgnbd_expected_purchases(self.PARAMS, 20, 0, 0, 0)),
            float(clv_math.bgnbd_unconditional_expected_purchases(self.PARAMS, 20)),
            places=10,
        )

    def test_bgnbd_recovers_parameters(self):
        params = (0.5, 6.0, 0.7, 3.0)
        rng = np.random.default_rng(1)
        T = rng.uniform(40, 100, size=4000)
        x, t_x = clv_simulation.simulate_bgnbd(params, T, seed=11)
        fitted, log_likelihood = clv_math.fit_bgnbd(x, t_x, T)
        for value, true in zip(fitted, params, strict=False):
            self.assertAlmostEqual(value / true, 1.0, delta=0.2)
        # The maximum likelihood is at least the likelihood of the true parameters.
        true_ll = clv_math.bgnbd_log_likelihood(params, x, t_x, T).sum()
        self.assertGreaterEqual(log_likelihood, true_ll)
        # The fitted model predicts the observed mean frequency in a new sample.
        T2 = rng.uniform(40, 100, size=4000)
        x2, _t_x2 = clv_simulation.simulate_bgnbd(params, T2, seed=12)
        predicted = clv_math.bgnbd_unconditional_expected_purchases(fitted, T2).mean()
        self.assertAlmostEqual(predicted / x2.mean(), 1.0, delta=0.1)

    def test_gamma_gamma_recovers_parameters(self):
        params = (6.0, 4.0, 15.0)
        rng = np.random.default_rng(3)
        x = rng.integers(1, 10, size=4000)
        m_x = clv_simulation.simulate_gamma_gamma(params, x, seed=4)
        fitted, _ll = clv_value.fit_gamma_gamma(x, m_x)
        for value, true in zip(fitted, params, strict=False):
            self.assertAlmostEqual(value / true, 1.0, delta=0.15)
        # Customers without repeat purchases get the population mean p v / (q - 1).
        p, q, v = fitted
        expected = clv_value.gamma_gamma_expected_value(fitted, [0, 4], [0, 50.0])
        self.assertAlmostEqual(expected[0], p * v / (q - 1))
        # With purchases the estimate is between the population mean and m_x.
        self.assertTrue(p * v / (q - 1) < expected[1] < 50.0)

    def test_gamma_gamma_likelihood_hand_case(self):
        # f(m|p,q,v,x) = G(px+q)/(G(px)G(q)) v^q m^(px-1) x^(px) / (v+mx)^(px+q)
        p, q, v, x, m = 2.0, 3.0, 10.0, 2, 5.0
        density = (
            math.gamma(7.0)
            / (math.gamma(4.0) * math.gamma(3.0))
            * 10.0**3
            * 5.0**3
            * 2**4
            / 20.0**7
        )
        result = clv_value.gamma_gamma_log_likelihood((p, q, v), [x], [m])
        self.assertAlmostEqual(result[0], math.log(density), places=10)

    def test_discounted_value(self):
        gg = (6.0, 4.0, 15.0)
        args = ([0, 3], [0, 25], [30, 30], [0, 40.0])
        purchases, value = clv_value.discounted_value(
            self.PARAMS, gg, *args, horizon=52, period=4, annual_rate=0.0, unit_days=7
        )
        # Without discount: expected purchases times the expected value.
        expected = clv_math.bgnbd_expected_purchases(self.PARAMS, 52, *args[:3])
        np.testing.assert_allclose(purchases, expected)
        np.testing.assert_allclose(
            value, expected * clv_value.gamma_gamma_expected_value(gg, [0, 3], [0, 40])
        )
        _purchases, discounted = clv_value.discounted_value(
            self.PARAMS, gg, *args, horizon=52, period=4, annual_rate=0.1, unit_days=7
        )
        self.assertTrue(np.all(discounted < value))
        self.assertTrue(np.all(discounted > value / 1.1))

    def test_fit_failure(self):
        with self.assertRaises(clv_math.FitError):
            clv_value.fit_gamma_gamma([], [])
