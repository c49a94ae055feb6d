# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The value side of customer lifetime value, without Odoo (numpy and scipy
only): the Gamma-Gamma model of the value of a purchase and the discounted
value over a horizon of a purchase model (``clv_math``) and that value model.

Gamma-Gamma: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for
customer base analysis", JMR 42(4), and Fader & Hardie (2013), "The Gamma-Gamma
model of monetary value". The value of a transaction is Gamma(p, nu) with
nu ~ Gamma(q, gamma) across customers (``gg_v`` is gamma).

Vectorised over customers as ``clv_math``: ``x`` is the number of repeat
purchases and ``m_x`` their mean value.
"""

import numpy as np
from scipy.special import gammaln

from .clv_math import (
    FitError,
    _as_arrays,
    _compress,
    _minimize,
    _negative_log_likelihood,
    bgnbd_expected_purchases,
)


def spend_frequency_correlation(x, m_x):
    """Pearson correlation of the number of repeat purchases and their mean
    value over the repeat customers (Gamma-Gamma assumes none); None when it
    is undefined (fewer than 3 such customers or no variation)."""
    x, m_x = _as_arrays(x, m_x)
    keep = (x > 0) & (m_x > 0)
    if keep.sum() < 3 or np.std(x[keep]) == 0 or np.std(m_x[keep]) == 0:
        return None
    return float(np.corrcoef(x[keep], m_x[keep])[0, 1])


# ---------------------------------------------------------------------- Gamma-Gamma
def gamma_gamma_log_likelihood(params, x, m_x):
    """Log density of the mean value m_x of x transactions (Fader & Hardie 2013)."""
    return _gamma_gamma_log_likelihood_function(x, m_x)(params)


def _gamma_gamma_log_likelihood_function(x, m_x):
    """``gamma_gamma_log_likelihood`` of these customers as a function of the
    parameters (see ``clv_math._bgnbd_log_likelihood_function``): the gamma functions
    once per distinct x, the logarithms of the data once."""
    x, m_x = _as_arrays(x, m_x)
    distinct_x, inverse = np.unique(x, return_inverse=True)
    with np.errstate(divide="ignore"):
        log_m_x, log_x = np.log(m_x), np.log(x)
    x_m_x = x * m_x

    def log_likelihood(params):
        p, q, v = params
        distinct_px = p * distinct_x
        per_x = (
            gammaln(distinct_px + q) - gammaln(distinct_px) - gammaln(q) + q * np.log(v)
        )[inverse]
        px = distinct_px[inverse]
        return per_x + (px - 1) * log_m_x + px * log_x - (px + q) * np.log(v + x_m_x)

    return log_likelihood


def gamma_gamma_expected_value(params, x, m_x):
    """E[M | x, m_x]: expected value of a future purchase; the population mean
    p v / (q - 1) for customers without repeat purchases (x = 0)."""
    p, q, v = params
    x, m_x = _as_arrays(x, m_x)
    population_mean = p * v / (q - 1)
    weight = p * x / (p * x + q - 1)
    return np.where(
        x > 0, (1 - weight) * population_mean + weight * m_x, population_mean
    )


def fit_gamma_gamma(x, m_x, initial=None):
    """Maximum likelihood Gamma-Gamma fit on customers with x > 0 and m_x > 0;
    returns ((p, q, v), log-likelihood)."""
    x, m_x = _as_arrays(x, m_x)
    keep = (x > 0) & (m_x > 0)
    x, m_x = x[keep], m_x[keep]
    if len(x) < 2:
        raise FitError("Not enough customers with repeat purchases.")
    scale = max(float(np.mean(m_x)), 1e-9) if len(m_x) else 1.0
    (ux, um), weights = _compress(x, m_x / scale)
    negative_ll = _negative_log_likelihood(
        _gamma_gamma_log_likelihood_function(ux, um), weights
    )
    params, _ll = _minimize(negative_ll, 3, initial, rows=len(ux))
    p, q, v = params
    params = (p, q, v * scale)
    log_likelihood = float(np.sum(gamma_gamma_log_likelihood(params, x, m_x)))
    return tuple(float(value) for value in params), log_likelihood


# ------------------------------------------------------------------------------ CLV
def discounted_value(
    bgnbd_params,
    gg_params,
    x,
    t_x,
    T,
    m_x,
    horizon,
    period,
    annual_rate,
    unit_days,
    expected_purchases=None,
):
    """Discounted expected value over ``horizon`` time units (discounted cash flow).

    The horizon is cut into steps of ``period`` time units (the last one may be
    shorter); the purchases expected in each step, E[Y(t_k)] - E[Y(t_k-1)], are
    valued at the Gamma-Gamma expected value and discounted at the end of the step
    with the annual rate ((1 + rate) ** -years). ``unit_days`` converts one time
    unit into days. Returns (expected purchases over the horizon, value).
    ``expected_purchases`` is the conditional expectation of the purchase model
    whose parameters are ``bgnbd_params`` (default: BG/NBD's).
    """
    expected_purchases = expected_purchases or bgnbd_expected_purchases
    x, t_x, T, m_x = _as_arrays(x, t_x, T, m_x)
    steps = max(int(np.ceil(horizon / period)), 1)
    ends = np.minimum(np.arange(1, steps + 1) * period, horizon)
    cumulative = expected_purchases(
        bgnbd_params, ends[None, :], x[:, None], t_x[:, None], T[:, None]
    )
    per_step = np.diff(np.hstack([np.zeros((len(x), 1)), cumulative]), axis=1)
    discount = (1.0 + annual_rate) ** (-(ends * unit_days / 365.25))
    value_per_purchase = gamma_gamma_expected_value(gg_params, x, m_x)
    value = value_per_purchase * (per_step @ discount)
    return cumulative[:, -1], value
