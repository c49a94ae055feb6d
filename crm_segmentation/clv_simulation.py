# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Simulated customers of the purchase and value models of ``clv_math`` and
``clv_value``, for the tests and the benchmarks (numpy only, without Odoo; no
import of the other modules: the benchmark script loads it by its path)."""

import numpy as np


def simulate_bgnbd(params, T, seed=0):
    """Simulate (x, t_x) for customers observed over ages ``T`` (for tests)."""
    r, alpha, a, b = params
    rng = np.random.default_rng(seed)
    T = np.asarray(T, dtype=float)
    n = len(T)
    rates = rng.gamma(r, 1.0 / alpha, size=n)
    dropout = rng.beta(a, b, size=n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    for i in range(n):
        now = 0.0
        while True:
            now += rng.exponential(1.0 / rates[i])
            if now > T[i]:
                break
            x[i] += 1
            t_x[i] = now
            if rng.random() < dropout[i]:
                break
    return x, t_x


def simulate_gamma_gamma(params, x, seed=0):
    """Simulate the mean transaction value of customers with ``x`` transactions."""
    p, q, v = params
    rng = np.random.default_rng(seed)
    x = np.asarray(x, dtype=int)
    nus = rng.gamma(q, 1.0 / v, size=len(x))
    means = [
        rng.gamma(p, 1.0 / nu, size=count).mean()
        for nu, count in zip(nus, x, strict=True)
    ]
    return np.array(means)


def simulate_counting(kind, params, T, seed=0):
    """Simulate (x, t_x) of customers observed over ages ``T`` under model
    ``kind``, vectorised (no loop per customer): for the synthetic benchmark.

    BG/NBD: the purchase after which the customer drops out is geometric; of the
    K ~ Poisson(lambda T) arrivals the first x = min(K, N) are made, the x-th of
    K uniform arrival times is T Beta(x, K - x + 1). MBG/NBD: also dead at time 0
    with probability p. Pareto/NBD: x ~ Poisson(lambda min(tau, T)),
    tau ~ Exp(mu), the last of x uniform times on the active span."""
    rng = np.random.default_rng(seed)
    T = np.asarray(T, dtype=float)
    n = len(T)
    r, alpha, third, fourth = params
    rates = rng.gamma(r, 1.0 / alpha, size=n)
    if kind == "pareto":
        dropout_rates = rng.gamma(third, 1.0 / fourth, size=n)
        span = np.minimum(rng.exponential(1.0 / dropout_rates), T)
        x = rng.poisson(rates * span).astype(float)
        t_x = np.where(x > 0, span * rng.random(n) ** (1.0 / np.maximum(x, 1)), 0.0)
        return x, t_x
    p = rng.beta(third, fourth, size=n)
    arrivals = rng.poisson(rates * T)
    # N = the purchase after which the customer drops out (N >= 1)
    dropout_after = rng.geometric(np.maximum(p, 1e-12))
    x = np.minimum(arrivals, dropout_after).astype(float)
    if kind == "mbgnbd":
        x[rng.random(n) < p] = 0.0
    safe = np.maximum(x, 1)
    t_x = np.where(x > 0, T * rng.beta(safe, np.maximum(arrivals - safe + 1, 1)), 0.0)
    return x, t_x
