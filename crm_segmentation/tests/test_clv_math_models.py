# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
from pathlib import Path
from unittest.mock import patch

import numpy as np
from scipy import integrate

from odoo.tests import BaseCase, tagged

from .. import clv_math, clv_simulation, clv_value

# The CDNOW sample of Fader & Hardie (2,357 customers of the 1/10 sample, 39
# weeks of calibration, time in weeks): repeat purchases, recency, age. Copied
# from the Lifetimes package (MIT), datasets/cdnow_customers_summary.csv.
CDNOW = np.loadtxt(
    Path(__file__).parent / "data" / "cdnow_summary.csv", delimiter=",", skiprows=1
).T


def _nbd_log_likelihood(r, alpha, x, T):
    return (
        math.lgamma(r + x)
        - math.lgamma(r)
        + r * math.log(alpha)
        - (r + x) * math.log(alpha + T)
    )


@tagged("post_install", "-at_install")
class TestClvMathModels(BaseCase):
    """Pareto/NBD and MBG/NBD beside BG/NBD: the published parameters on CDNOW,
    the closed forms against independent numeric integration, the properties
    that tell the models apart."""

    PARETO = (0.55, 10.58, 0.61, 11.67)
    MBG = (1.5, 5.0, 1.7, 3.0)

    def test_cdnow_bgnbd_published(self):
        # Fader, Hardie & Lee (2005), table 1: r .243, alpha 4.414, a .793,
        # b 2.426, LL -9582.4
        (r, alpha, a, b), log_likelihood = clv_math.fit_bgnbd(*CDNOW)
        self.assertEqual(round(r, 3), 0.243)
        self.assertEqual(round(alpha, 3), 4.414)
        self.assertEqual(round(a, 3), 0.793)
        self.assertEqual(round(b, 3), 2.426)
        self.assertEqual(round(log_likelihood, 1), -9582.4)

    def test_cdnow_pareto_published(self):
        # Fader & Hardie, "A note on deriving the Pareto/NBD model and related
        # expressions" (2005): r 0.55, alpha 10.58, s 0.61, beta 11.67, LL -9595.0
        (r, alpha, s, beta), log_likelihood = clv_math.fit_pareto_nbd(*CDNOW)
        self.assertEqual(round(r, 2), 0.55)
        self.assertEqual(round(alpha, 2), 10.58)
        self.assertEqual(round(s, 2), 0.61)
        self.assertEqual(round(beta, 2), 11.67)
        self.assertEqual(round(log_likelihood, 1), -9595.0)
        # BG/NBD fits CDNOW a little better, as the BG/NBD paper reports
        _params, bg_log_likelihood = clv_math.fit_bgnbd(*CDNOW)
        self.assertGreater(bg_log_likelihood, log_likelihood)

    def _pareto_by_quadrature(self, params, x, t_x, T):
        """The likelihood as the integral it comes from: alive at T, or dead at
        some tau in (t_x, T) (exponential lifetime), lambda and mu integrated
        out in closed form, tau numerically."""
        r, alpha, s, beta = params
        common = (
            math.exp(math.lgamma(r + x) - math.lgamma(r) + r * math.log(alpha))
            * beta**s
        )
        alive = (alpha + T) ** -(r + x) * (beta + T) ** -s
        dead, _error = integrate.quad(
            lambda tau: s * (alpha + tau) ** -(r + x) * (beta + tau) ** -(s + 1),
            t_x,
            T,
            epsabs=0,
            epsrel=1e-12,
        )
        return math.log(common * (alive + dead))

    def test_pareto_likelihood_both_cases(self):
        customers = [(0, 0.0, 30.0), (2, 10.0, 30.0), (7, 29.5, 30.0), (3, 30.0, 30.0)]
        x, t_x, T = np.array(customers).T
        # alpha >= beta, alpha < beta, and alpha = beta (2F1 argument 0)
        for params in [(0.55, 10.58, 0.61, 6.0), self.PARETO, (0.8, 4.0, 1.3, 4.0)]:
            closed = clv_math.pareto_nbd_log_likelihood(params, x, t_x, T)
            for i, customer in enumerate(customers):
                expected = self._pareto_by_quadrature(params, *customer)
                self.assertAlmostEqual(closed[i], expected, places=9)

    def test_pareto_predictions(self):
        x, t_x, T = [0, 4, 4, 4], [0, 35, 5, 38], [39, 39, 39, 39]
        alive = clv_math.pareto_nbd_probability_alive(self.PARETO, x, t_x, T)
        # Unlike BG/NBD, a customer without repeat purchase can be dead
        self.assertLess(alive[0], 1.0)
        self.assertGreater(alive[1], alive[2])
        # a purchase at the very end: alive for sure
        self.assertAlmostEqual(
            float(clv_math.pareto_nbd_probability_alive(self.PARETO, 4, 39, 39)), 1.0
        )
        # A customer seen at T = 0 behaves like a new one
        self.assertAlmostEqual(
            float(clv_math.pareto_nbd_expected_purchases(self.PARETO, 20, 0, 0, 0)),
            float(
                clv_math.pareto_nbd_unconditional_expected_purchases(self.PARETO, 20)
            ),
            places=10,
        )
        # New customers simulated over 40 weeks: mean purchases and the share
        # that made none, against the model
        T_new = np.full(200_000, 40.0)
        x_sim, _t = clv_simulation.simulate_counting(
            "pareto", self.PARETO, T_new, seed=5
        )
        expected = float(
            clv_math.pareto_nbd_unconditional_expected_purchases(self.PARETO, 40)
        )
        self.assertAlmostEqual(x_sim.mean() / expected, 1.0, delta=0.02)
        none = float(
            clv_math.probability_no_purchase("pareto", self.PARETO, 40, 0, 0, 0)
        )
        self.assertAlmostEqual(np.mean(x_sim == 0), none, delta=0.005)
        # Expected purchases grow with the horizon; none in a zero horizon
        short = clv_math.pareto_nbd_expected_purchases(self.PARETO, 10, x, t_x, T)
        long = clv_math.pareto_nbd_expected_purchases(self.PARETO, 52, x, t_x, T)
        self.assertTrue(np.all(long > short))
        np.testing.assert_allclose(
            clv_math.pareto_nbd_expected_purchases(self.PARETO, 0, x, t_x, T), 0.0
        )

    def _mbgnbd_by_integration(self, params, x, t_x, T):
        """The MBG/NBD likelihood integrated numerically over the dropout
        probability p ~ Beta(a, b) and the purchase rate lambda ~ Gamma(r, alpha):
        alive (no dropout at 0 nor after any of the x purchases) or dead after
        the last one."""
        r, alpha, a, b = params
        log_norm = (
            r * math.log(alpha)
            - math.lgamma(r)
            - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
        )

        def individual(rate, p):
            alive = (1 - p) ** (x + 1) * math.exp(-rate * T)
            dead = p * (1 - p) ** x * math.exp(-rate * t_x)
            # Beta(a, b) and Gamma(r, alpha) densities, lambda^x included
            density = (
                p ** (a - 1)
                * (1 - p) ** (b - 1)
                * rate ** (r + x - 1)
                * math.exp(-alpha * rate + log_norm)
            )
            return (alive + dead) * density

        value, _error = integrate.dblquad(
            individual, 0, 1, 0, 20, epsabs=0, epsrel=1e-9
        )
        return math.log(value)

    def test_mbgnbd_likelihood_by_integration(self):
        customers = [(0, 0.0, 20.0), (2, 8.0, 20.0), (5, 19.0, 20.0)]
        x, t_x, T = np.array(customers).T
        closed = clv_math.mbgnbd_log_likelihood(self.MBG, x, t_x, T)
        for i, customer in enumerate(customers):
            expected = self._mbgnbd_by_integration(self.MBG, *customer)
            self.assertAlmostEqual(closed[i], expected, places=6)

    def test_mbgnbd_properties(self):
        # A one-time buyer can be dead, the more so the longer it is silent;
        # under BG/NBD it cannot
        alive = clv_math.mbgnbd_probability_alive(self.MBG, [0, 0], [0, 0], [5, 50])
        self.assertTrue(np.all(alive < 1.0))
        self.assertGreater(alive[0], alive[1])
        self.assertEqual(
            float(clv_math.bgnbd_probability_alive(self.MBG, 0, 0, 50)), 1.0
        )
        # At T = 0 a customer is alive unless it dropped out at once: b/(a+b)
        r, alpha, a, b = self.MBG
        self.assertAlmostEqual(
            float(clv_math.mbgnbd_probability_alive(self.MBG, 0, 0, 0)), b / (a + b)
        )
        self.assertAlmostEqual(
            float(clv_math.mbgnbd_expected_purchases(self.MBG, 20, 0, 0, 0)),
            float(clv_math.mbgnbd_unconditional_expected_purchases(self.MBG, 20)),
            places=10,
        )
        # Without dropout (p -> 0: b -> infinity) MBG/NBD and BG/NBD both reduce
        # to the NBD: the same likelihood, P(alive) = 1
        limit = (0.7, 5.0, 1.2, 1e9)
        x, t_x, T = [0, 3], [0, 12], [20, 20]
        nbd = [
            _nbd_log_likelihood(0.7, 5.0, xi, Ti) for xi, Ti in zip(x, T, strict=True)
        ]
        for log_likelihood in (
            clv_math.mbgnbd_log_likelihood,
            clv_math.bgnbd_log_likelihood,
        ):
            np.testing.assert_allclose(log_likelihood(limit, x, t_x, T), nbd, rtol=1e-6)
        np.testing.assert_allclose(
            clv_math.mbgnbd_probability_alive(limit, x, t_x, T), 1.0, rtol=1e-6
        )

    def test_mbgnbd_recovers_parameters(self):
        params = (0.5, 6.0, 0.9, 2.0)
        rng = np.random.default_rng(2)
        T = rng.uniform(40, 100, size=20_000)
        x, t_x = clv_simulation.simulate_counting("mbgnbd", params, T, seed=3)
        fitted, log_likelihood = clv_math.fit_mbgnbd(x, t_x, T)
        for value, true in zip(fitted, params, strict=True):
            self.assertAlmostEqual(value / true, 1.0, delta=0.15)
        true_ll = clv_math.mbgnbd_log_likelihood(params, x, t_x, T).sum()
        self.assertGreaterEqual(log_likelihood, true_ll)
        # the share of customers without repeat purchase, as the model says
        none = clv_math.probability_no_purchase("mbgnbd", fitted, T, 0, 0, 0)
        self.assertAlmostEqual(np.mean(x == 0) / none.mean(), 1.0, delta=0.02)

    def test_probability_no_purchase(self):
        params = (0.25, 4.0, 0.8, 2.5)
        x, t_x, T = [0, 2, 2], [0, 10, 29], [30, 30, 30]
        result = clv_math.probability_no_purchase("bgnbd", params, 12, x, t_x, T)
        # BG/NBD by hand: dead, or alive and no Poisson event in the 12 units
        alive = clv_math.bgnbd_probability_alive(params, x, t_x, T)
        quiet = (34.0 / 46.0) ** (0.25 + np.array(x))
        np.testing.assert_allclose(result, 1 - alive + alive * quiet, rtol=1e-12)
        for kind, model_params in [("pareto", self.PARETO), ("mbgnbd", self.MBG)]:
            short = clv_math.probability_no_purchase(kind, model_params, 4, x, t_x, T)
            long = clv_math.probability_no_purchase(kind, model_params, 40, x, t_x, T)
            self.assertTrue(np.all((long < short) & (short < 1) & (long > 0)))

    def test_comparison_helpers(self):
        self.assertAlmostEqual(
            clv_math.bic(-100.0, 4, 1000), 4 * math.log(1000) + 200.0
        )
        T = np.array([10.0, 52.0])
        self.assertFalse(clv_math.parameters_at_bound("bgnbd", (0.2, 4.0, 0.8, 2), T))
        self.assertTrue(clv_math.parameters_at_bound("bgnbd", (0.2, 4.0, 0.8, 1e6), T))
        self.assertTrue(clv_math.parameters_at_bound("gamma", (6.0, 1e-6, 15.0), T))
        # spend that grows with frequency is flagged by its correlation
        x = np.array([1, 2, 3, 4, 5, 0])
        self.assertAlmostEqual(
            clv_value.spend_frequency_correlation(x, [10, 20, 30, 40, 50, 0]), 1.0
        )
        self.assertIsNone(clv_value.spend_frequency_correlation([1, 1, 1], [5, 6, 7]))

    def test_pareto_tails_by_quadrature(self):
        """The tails of A0 summed by Gauss-Legendre steps between close times
        (where 2F1 is slow: its argument near 1) equal the integral they
        stand for (numeric integration, independent) and the closed form with
        scipy's 2F1 (itself off by up to 1e-7 near 1), in both cases of alpha
        and beta and with long steps between the times."""
        rng = np.random.default_rng(4)
        pairs = [
            (x, t)
            for x in (0.0, 1.0, 4.0, 9.0)
            for t in np.unique(np.round(rng.uniform(0, 10, 400), 2))
        ]
        pair_x, pair_t = np.array(pairs).T
        # long steps and a large purchase count: 2F1 there
        pair_x = np.append(pair_x, [60.0, 60.0, 60.0])
        pair_t = np.append(pair_t, [0.0, 0.01, 9.0])
        for params in [
            (2.1, 0.53, 164.0, 637.0),  # alpha < beta, z close to 1
            (0.5, 40.0, 3.0, 0.2),  # alpha > beta, z close to 1
            (0.55, 10.58, 0.61, 11.67),  # z close to 0
            (0.02, 0.07, 20.0, 2.3),
        ]:
            r, alpha, s, beta = params
            tails = clv_math._pareto_log_tails(pair_x, pair_t, params, exact=True)
            rsx = r + s + pair_x
            if alpha >= beta:
                shift, b1, gap = alpha, s + 1.0, alpha - beta
            else:
                shift, b1, gap = beta, r + pair_x, beta - alpha
            closed = clv_math._log_hyp2f1_next(
                rsx, b1, gap / (shift + pair_t), exact=True
            ) - rsx * np.log(shift + pair_t)
            np.testing.assert_allclose(tails, closed, rtol=0, atol=1e-6)
            for i in range(0, len(pair_x), 9):
                x, t = pair_x[i], pair_t[i]

                def log_integrand(tau, x=x, r=r, alpha=alpha, s=s, beta=beta):
                    return -(r + x) * math.log(alpha + tau) - (s + 1) * math.log(
                        beta + tau
                    )

                start = log_integrand(t)
                integral, _error = integrate.quad(
                    lambda tau, x=x, start=start: math.exp(log_integrand(tau) - start),
                    t,
                    np.inf,
                    epsabs=0,
                    epsrel=1e-13,
                    limit=500,
                )
                expected = math.log(r + s + x) + start + math.log(integral)
                self.assertAlmostEqual(tails[i], expected, delta=1e-10)

    def test_compressed_fit_equals_customer_by_customer(self):
        """The fits evaluate the likelihood once per distinct (x, t_x, T),
        weighted by its count: the same parameters (to 1e-6) and likelihood as
        the fit over every customer one by one."""

        def one_by_one(*columns):
            columns = [np.asarray(column, dtype=float) for column in columns]
            return columns, np.ones(len(columns[0]))

        rng = np.random.default_rng(5)
        T = np.floor(rng.uniform(20, 80, size=3000))
        for kind, params in [
            ("bgnbd", (0.5, 6.0, 0.9, 2.0)),
            ("pareto", self.PARETO),
            ("mbgnbd", self.MBG),
        ]:
            x, t_x = clv_simulation.simulate_counting(kind, params, T, seed=6)
            t_x = np.floor(t_x)
            (distinct, _t, _T), weights = clv_math._compress(x, t_x, T)
            self.assertLess(len(distinct), len(x) * 0.7)
            self.assertEqual(weights.sum(), len(x))
            fitted, log_likelihood = clv_math.MODELS[kind]["fit"](x, t_x, T)
            with patch.object(clv_math, "_compress", one_by_one):
                each, each_log_likelihood = clv_math.MODELS[kind]["fit"](x, t_x, T)
            np.testing.assert_allclose(fitted, each, rtol=1e-6)
            self.assertAlmostEqual(
                log_likelihood / each_log_likelihood, 1.0, delta=1e-9
            )
