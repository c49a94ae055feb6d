# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer lifetime value mathematics, without Odoo (numpy and scipy only): the
purchase models and their fit. The value of a purchase and the discounted value
are in ``clv_value``, the simulations of customers in ``clv_simulation``.

* BG/NBD: Fader, Hardie & Lee (2005), "Counting your customers the easy way: an
  alternative to the Pareto/NBD model", Marketing Science 24(2). Repeat purchases
  follow a Poisson process with rate lambda ~ Gamma(r, alpha); after each repeat
  purchase the customer drops out with probability p ~ Beta(a, b).
* Pareto/NBD: Schmittlein, Morrison & Colombo (1987), "Counting your customers:
  who are they and what will they do next?", Management Science 33(1); the
  likelihood as written in Fader & Hardie (2005), "A note on deriving the
  Pareto/NBD model and related expressions" (equations 22-24, the Gaussian
  hypergeometric form, alpha >= beta and alpha < beta apart). The customer drops
  out after an exponential lifetime, mu ~ Gamma(s, beta).
* Modified BG/NBD (MBG/NBD): Batislam, Denizel & Filiztekin (2007), "Empirical
  validation and comparison of models for customer base analysis", IJRM 24(3).
  As BG/NBD, but the customer may also drop out at time 0 (right after the first
  purchase): a one-time buyer can be dead.

Every function is vectorised over customers: ``x`` is the number of repeat
purchases (frequency), ``t_x`` the time of the last purchase since the first one
(recency) and ``T`` the time from the first purchase to the end of the
observation (age), all in the same time unit.
"""

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, hyp2f1

# The optimiser searches each parameter within [1 / SEARCH_LIMIT, SEARCH_LIMIT].
SEARCH_LIMIT = 1e5


class FitError(ValueError):
    """The optimiser did not converge to finite parameters."""


def _as_arrays(*values):
    return [np.asarray(value, dtype=float) for value in values]


# --------------------------------------------------------------------------- BG/NBD
def bgnbd_log_likelihood(params, x, t_x, T):
    """Log-likelihood of each customer under BG/NBD (equation 6 of the paper).

    L = B(a, b+x)/B(a, b) * G(r+x) a^r / (G(r) (alpha+T)^(r+x))
        + [x > 0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))
    """
    return _bgnbd_log_likelihood_function(x, t_x, T)(params)


def _bgnbd_log_likelihood_function(x, t_x, T):
    """``bgnbd_log_likelihood`` of these customers as a function of the
    parameters, for the optimiser (hundreds of evaluations on the same
    customers). The special functions depend on the parameters and x only,
    and x takes few values (purchase counts): they are evaluated once per
    distinct x, then spread over the customers. Same arithmetic, in the same
    order, as the customer by customer formula, hence the same values."""
    x, t_x, T = _as_arrays(x, t_x, T)
    distinct_x, inverse = np.unique(x, return_inverse=True)
    distinct_T, at_T = np.unique(T, return_inverse=True)
    distinct_t_x, at_t_x = np.unique(t_x, return_inverse=True)
    no_repeat = x <= 0
    distinct_repeat = distinct_x > 0

    def log_likelihood(params):
        r, alpha, a, b = params
        common = (
            gammaln(r + distinct_x) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
        )[inverse]
        r_x = (r + distinct_x)[inverse]
        # the logarithms once per distinct time (ages and recencies repeat)
        term_alive = (
            betaln(a, b + distinct_x)[inverse] - r_x * np.log(alpha + distinct_T)[at_T]
        )
        # For x = 0 the second term is absent (B(a+1, b-1) may not exist).
        b_safe = np.where(distinct_repeat, b + distinct_x - 1, 1.0)
        term_dead = (
            betaln(a + 1, b_safe)[inverse] - r_x * np.log(alpha + distinct_t_x)[at_t_x]
        )
        term_dead[no_repeat] = -np.inf
        # log(exp(alive) + exp(dead)), computed as scipy's logsumexp does
        top = np.maximum(term_alive, term_dead)
        top[~np.isfinite(top)] = 0
        with np.errstate(divide="ignore"):
            total = np.log(np.exp(term_alive - top) + np.exp(term_dead - top))
        return common + (total + top)

    return log_likelihood


def bgnbd_probability_alive(params, x, t_x, T):
    """P(alive | x, t_x, T) (equation 11); equal to 1 when x = 0."""
    r, alpha, a, b = params
    x, t_x, T = _as_arrays(x, t_x, T)
    has_repeat = x > 0
    b_safe = np.where(has_repeat, b + x - 1, 1.0)
    log_ratio = (
        np.log(a) - np.log(b_safe) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    )
    return np.where(has_repeat, 1.0 / (1.0 + np.exp(np.minimum(log_ratio, 700))), 1.0)


def bgnbd_expected_if_alive(params, t, x, T):
    """E[Y(t) | alive at T, x, T]: the numerator of equation 10 (equation 10
    is this times P(alive | x, t_x, T))."""
    r, alpha, a, b = params
    x, T = _as_arrays(x, T)
    t = np.asarray(t, dtype=float)
    z = t / (alpha + T + t)
    hyp = hyp2f1(r + x, b + x, a + b + x - 1, z)
    return (
        (a + b + x - 1)
        / (a - 1)
        * (1 - np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * hyp)
    )


def bgnbd_expected_purchases(params, t, x, t_x, T):
    """E[Y(t) | x, t_x, T]: repeat purchases expected in (T, T + t] (equation 10).

    ``t`` may be a scalar or an array broadcastable against the customers.
    """
    r, alpha, a, b = params
    x, t_x, T = _as_arrays(x, t_x, T)
    numerator = bgnbd_expected_if_alive(params, t, x, T)
    has_repeat = x > 0
    b_safe = np.where(has_repeat, b + x - 1, 1.0)
    odds_dead = np.where(
        has_repeat,
        np.exp(
            np.minimum(
                np.log(a)
                - np.log(b_safe)
                + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x)),
                700,
            )
        ),
        0.0,
    )
    return numerator / (1 + odds_dead)


def bgnbd_unconditional_expected_purchases(params, t):
    """E[X(t)] for a new customer (equation 9)."""
    r, alpha, a, b = params
    t = np.asarray(t, dtype=float)
    z = t / (alpha + t)
    return (
        (a + b - 1)
        / (a - 1)
        * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z))
    )


def _unique_rows(columns):
    """``np.unique(np.column_stack(columns), axis=0, return_inverse=True,
    return_counts=True)``, the rows as columns: the same distinct rows in the
    same (lexicographic) order, with a lexsort of the columns instead of
    numpy's sort of the rows as records (ten times slower on 100,000 rows).
    Returns (distinct columns, inverse, counts)."""
    columns = _as_arrays(*columns)
    if not len(columns[0]):
        return [column[:0] for column in columns], np.zeros(0, int), np.zeros(0, int)
    order = np.lexsort(columns[::-1])
    ordered = [column[order] for column in columns]
    new = np.zeros(len(order), bool)
    new[0] = True
    for column in ordered:
        new[1:] |= column[1:] != column[:-1]
    group = np.cumsum(new) - 1
    inverse = np.empty(len(order), int)
    inverse[order] = group
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, len(order)))
    return [column[starts] for column in ordered], inverse, counts


def _compress(*columns):
    """Unique rows of the columns and their multiplicities (faster fits):
    the likelihood is then evaluated once per distinct customer history."""
    unique, _inverse, counts = _unique_rows(columns)
    return unique, counts.astype(float)


def _finite(result):
    return np.all(np.isfinite(result.x)) and np.isfinite(result.fun)


def _negative_log_likelihood(log_likelihood, weights):
    """What the optimiser minimises: minus the weighted log-likelihood of the
    distinct customer histories, over the logarithms of the parameters
    (infinite where it is not finite). Called thousands of times: ndarray
    methods rather than the numpy functions that wrap them."""

    def negative_ll(log_params):
        params = np.exp(log_params)
        if not np.isfinite(params).all():
            return np.inf
        value = -(weights * log_likelihood(params)).sum()
        return value if np.isfinite(value) else np.inf

    return negative_ll


def _minimize(negative_ll, n_params, initial=None, rows=1, cost=1, starts=()):
    """Minimise over the log-parameters: L-BFGS-B first (a few hundred
    evaluations), then Nelder-Mead from its optimum with a bounded budget (it
    can improve on a flat likelihood, where the finite-difference gradient
    stops early); the better of the two. Each evaluation is a pass over every
    distinct customer history (``rows`` of them), so a budget of about 20
    million row evaluations, not a tolerance, bounds the time: on histories
    where the likelihood keeps rising towards a limit (a, b -> infinity: no
    heterogeneity in dropout), an unbounded Nelder-Mead walks the ridge for
    tens of thousands of evaluations. Small data sets converge fully. The
    parameters are searched within [1 / SEARCH_LIMIT, SEARCH_LIMIT] (on the
    fit's own time axis): a likelihood still rising at that edge gives a fit
    at a bound (``parameters_at_bound``), not an overflow. ``cost`` is the
    price of a row evaluation relative to BG/NBD's (Pareto/NBD's 2F1);
    ``starts`` are more starting points for L-BFGS-B (the best one wins)."""
    limit = np.log(SEARCH_LIMIT)
    bounds = [(-limit, limit)] * n_params
    start = np.log(initial) if initial is not None else np.zeros(n_params)
    best = None
    for point in [start, *(np.log(point) for point in starts)]:
        # finite differences next to an overflow: inf - inf, a failed step
        with np.errstate(invalid="ignore", over="ignore"):
            result = minimize(
                negative_ll,
                np.clip(point, -limit, limit),
                method="L-BFGS-B",
                bounds=bounds,
                options={"maxiter": 2000},
            )
        if best is None or (_finite(result) and not result.fun > best.fun):
            best = result
    if _finite(best):
        start = best.x
    else:
        best = None
    work = max(rows, 1) * cost
    budget = max(200 * n_params // cost, min(2000 * n_params, 20_000_000 // work))
    polish = minimize(
        negative_ll,
        start,
        method="Nelder-Mead",
        bounds=bounds,
        options={"maxfev": budget, "xatol": 1e-7, "fatol": 1e-9},
    )
    if _finite(polish) and (best is None or polish.fun <= best.fun):
        best = polish
    if best is None or not np.all(np.abs(best.x) < 30):
        raise FitError("The optimiser did not converge to finite parameters.")
    return np.exp(best.x), -best.fun


def fit_bgnbd(x, t_x, T, initial=None):
    """Maximum likelihood BG/NBD fit; returns ((r, alpha, a, b), log-likelihood)."""
    if len(np.atleast_1d(x)) < 2 or not np.any(np.asarray(x) > 0):
        raise FitError("Not enough customers with repeat purchases.")
    (ux, ut_x, uT), weights = _compress(x, t_x, T)
    scale = max(float(np.max(uT)), 1e-9) / 10.0
    # Fit on a rescaled time axis (better conditioned), alpha is rescaled back.
    ut_x, uT = ut_x / scale, uT / scale
    negative_ll = _negative_log_likelihood(
        _bgnbd_log_likelihood_function(ux, ut_x, uT), weights
    )
    params, _ll = _minimize(negative_ll, 4, initial, rows=len(ux))
    r, alpha, a, b = params
    params = (r, alpha * scale, a, b)
    log_likelihood = float(np.sum(bgnbd_log_likelihood(params, x, t_x, T)))
    return tuple(float(value) for value in params), log_likelihood


# ------------------------------------------------------------------------ Pareto/NBD
def pareto_nbd_log_likelihood(params, x, t_x, T):
    """Log-likelihood of each customer under Pareto/NBD (Fader & Hardie's note,
    equations 22-24):

    L = G(r+x) alpha^r beta^s / G(r)
        * [1 / ((alpha+T)^(r+x) (beta+T)^s) + s / (r+s+x) A0]

    with, for alpha >= beta (a1 = alpha, b1 = s + 1), or else (a1 = beta,
    b1 = r + x, the roles of alpha and beta exchanged):

    A0 = 2F1(r+s+x, b1; r+s+x+1; |alpha-beta| / (a1+t_x)) / (a1+t_x)^(r+s+x)
       - 2F1(r+s+x, b1; r+s+x+1; |alpha-beta| / (a1+T)) / (a1+T)^(r+s+x)

    so that the argument of 2F1 is in [0, 1) and the series converges.
    """
    return _pareto_log_likelihood_function(x, t_x, T, exact=True)(params)


def _log_hyp2f1_next(a, b, z, exact=False):
    """log 2F1(a, b; a + 1; z) for z in [0, 1), arrays.

    scipy's hyp2f1 returns inf for large a and z close to 1 (a customer base
    whose dropout rates barely differ: s and beta large), where the value is
    finite. There, Euler's transformation gives (1-z)^(1-b) 2F1(1, a+1-b; a+1;
    z), a series of positive terms whose ratio tends to z, summed in logs
    (with ``exact``: the predictions; the fit keeps scipy's value, the
    optimiser steps away from such points)."""
    a, b, z = np.broadcast_arrays(*_as_arrays(a, b, z))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        result = np.log(hyp2f1(a, b, a + 1.0, z))
    bad = ~np.isfinite(result) if exact else np.zeros(result.shape, bool)
    for i in np.flatnonzero(bad):
        ai, bi, zi = a.flat[i], b.flat[i], z.flat[i]
        if zi <= 0:
            result.flat[i] = 0.0
            continue
        count = int(min(max(40.0 / -np.log(zi), 10.0), 1e6)) + 1
        k = np.arange(count - 1, dtype=float)
        log_terms = np.concatenate(
            [[0.0], np.cumsum(np.log((1 + ai - bi + k) / (ai + 1 + k)) + np.log(zi))]
        )
        top = log_terms.max()
        result.flat[i] = (
            (1 - bi) * np.log1p(-zi) + top + np.log(np.exp(log_terms - top).sum())
        )
    return result


# Gauss-Legendre nodes and weights on [0, 1] for the Pareto/NBD tail integrals.
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(10)
_GL_NODES, _GL_WEIGHTS = (_GL_NODES + 1.0) / 2.0, _GL_WEIGHTS / 2.0
# A step between two times of a customer history is integrated by quadrature
# when the integrand varies little over it: its logarithm by at most
# _STEP_LOG_DROP, the step at most _STEP_SHARE of the distance to the nearest
# singularity (tau = -alpha or -beta). Gauss-Legendre with 10 nodes is then
# exact to about 1e-13 relative; the other steps take 2F1, and so do the
# arguments z of 2F1 under _SLOW_Z, where scipy's series converges quickly.
_STEP_LOG_DROP = 2.0
_STEP_SHARE = 0.5
_RUN = 128
_SLOW_Z = 0.8


def _pareto_log_tails(pair_x, pair_t, params, exact=False):
    """log F(x, t) for the (x, t) pairs sorted by x then t, where

    F(x, t) = (r+s+x) integral from t to infinity of
              (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau
            = 2F1(r+s+x, b1; r+s+x+1; |alpha-beta| / (a1+t)) / (a1+t)^(r+s+x)

    (the terms of A0 in ``pareto_nbd_log_likelihood``). 2F1 is costly where
    its argument is close to 1 (tens of microseconds a value with scipy): it
    is evaluated at the last time of each x and where a step to the next time
    is too long; elsewhere F(x, t_i) = F(x, t_i+1) + the integral over
    [t_i, t_i+1] by Gauss-Legendre quadrature (short steps, smooth integrand),
    summed backwards in logs."""
    r, alpha, s, beta = params
    rsx = r + s + pair_x
    if alpha >= beta:
        shift, b1, gap = alpha, s + 1.0, alpha - beta
    else:
        shift, b1, gap = beta, r + pair_x, beta - alpha
    count = len(pair_x)
    last = np.ones(count, bool)
    last[:-1] = pair_x[1:] != pair_x[:-1]

    def log_integrand(x, tau):
        return -(r + x) * np.log(alpha + tau) - (s + 1.0) * np.log(beta + tau)

    step = np.zeros(count)
    step[:-1] = pair_t[1:] - pair_t[:-1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        at_start = log_integrand(pair_x, pair_t)
        at_end = np.empty(count)
        at_end[:-1] = log_integrand(pair_x[:-1], pair_t[1:])
        at_end[-1] = at_start[-1]
        quadrature = (
            ~last
            & (step <= _STEP_SHARE * (min(alpha, beta) + pair_t))
            & (at_start - at_end <= _STEP_LOG_DROP)
            & np.isfinite(at_start)
            # scipy's 2F1 is quick (under a microsecond) far from z = 1
            & (gap > _SLOW_Z * (shift + pair_t))
        )
    # runs of at most _RUN - 1 quadrature steps: their sum stays below e^(2 _RUN)
    # times the anchor's tail, in floats
    quadrature[_RUN - 1 :: _RUN] = False
    anchor = ~quadrature
    log_tail = np.empty(count)
    with np.errstate(divide="ignore"):
        log_tail[anchor] = _log_hyp2f1_next(
            rsx[anchor],
            np.broadcast_to(b1, count)[anchor],
            gap / (shift + pair_t[anchor]),
            exact,
        ) - rsx[anchor] * np.log(shift + pair_t[anchor])
    if not quadrature.any():
        return log_tail
    i = np.flatnonzero(quadrature)
    px, t0, h = pair_x[i], pair_t[i], step[i]
    ends = np.flatnonzero(anchor)
    run = np.searchsorted(ends, i)  # the anchor ending the run of each step
    end_tail = log_tail[ends[run]]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        nodes = t0[:, None] + h[:, None] * _GL_NODES
        relative = log_integrand(px[:, None], nodes) - at_start[i][:, None]
        # log of the integral over the step, minus the log tail at its anchor
        log_step = (
            np.log(rsx[i])
            + at_start[i]
            - end_tail
            + np.log(h * (np.exp(relative) @ _GL_WEIGHTS))
        )
    # F(t_i) = F(anchor) (1 + the steps from t_i to the anchor), summed
    # backwards in each run: a table of runs x position before the anchor
    back = ends[run] - i - 1
    table = np.zeros((len(ends), _RUN))
    table[run, back] = np.exp(log_step)
    sums = np.cumsum(table, axis=1)[run, back]
    log_tail[i] = end_tail + np.log1p(sums)
    return log_tail


def _pareto_log_likelihood_function(x, t_x, T, exact=False):
    """``pareto_nbd_log_likelihood`` of these customers as a function of the
    parameters. 2F1 (the costly part) depends on x and one time (t_x or T):
    the tails are evaluated once per distinct (x, time) pair
    (``_pareto_log_tails``), then spread."""
    x, t_x, T = np.broadcast_arrays(*_as_arrays(x, t_x, T))
    shape = x.shape
    x, t_x, T = x.ravel(), t_x.ravel(), T.ravel()
    (pair_x, pair_t), inverse, _counts = _unique_rows(
        [np.concatenate([x, x]), np.concatenate([t_x, T])]
    )
    at_t_x, at_T = inverse[: len(x)], inverse[len(x) :]
    # the functions of x alone, or of T alone, once per distinct value
    distinct_x, at_x = np.unique(x, return_inverse=True)
    distinct_T, at_distinct_T = np.unique(T, return_inverse=True)

    def log_likelihood(params):
        r, alpha, s, beta = params
        log_pair = _pareto_log_tails(pair_x, pair_t, params, exact)
        upper, lower = log_pair[at_t_x], log_pair[at_T]
        # A0 = exp(upper) - exp(lower) >= 0 (an integral from t_x to T)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_a0 = upper + np.log(-np.expm1(np.minimum(lower - upper, 0.0)))
            log_dead = (np.log(s) - np.log(r + s + distinct_x))[at_x] + log_a0
        log_alive = (
            -(r + distinct_x)[at_x] * np.log(alpha + distinct_T)[at_distinct_T]
            - (s * np.log(beta + distinct_T))[at_distinct_T]
        )
        top = np.maximum(log_alive, log_dead)
        with np.errstate(divide="ignore", invalid="ignore"):
            total = top + np.log(np.exp(log_alive - top) + np.exp(log_dead - top))
        common = (
            gammaln(r + distinct_x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        )[at_x]
        return (common + total).reshape(shape)

    return log_likelihood


def pareto_nbd_probability_alive(params, x, t_x, T):
    """P(alive | x, t_x, T): the share of the likelihood of the customers still
    alive at T (Fader & Hardie's note, equation 25)."""
    r, alpha, s, beta = params
    x, t_x, T = _as_arrays(x, t_x, T)
    log_alive = (
        gammaln(r + x)
        - gammaln(r)
        + r * np.log(alpha)
        + s * np.log(beta)
        - (r + x) * np.log(alpha + T)
        - s * np.log(beta + T)
    )
    return np.minimum(
        np.exp(log_alive - pareto_nbd_log_likelihood(params, x, t_x, T)), 1.0
    )


def _pareto_expected_if_alive(params, t, x, T):
    """E[Y(t) | alive at T]: (r+x)(beta+T) / ((alpha+T)(s-1))
    * [1 - ((beta+T)/(beta+T+t))^(s-1)], with its limit at s = 1."""
    r, alpha, s, beta = params
    log_ratio = np.log(beta + T) - np.log(beta + T + t)
    if abs(s - 1.0) < 1e-9:
        factor = -log_ratio
    else:
        factor = -np.expm1((s - 1.0) * log_ratio) / (s - 1.0)
    return (r + x) * (beta + T) / (alpha + T) * factor


def pareto_nbd_expected_if_alive(params, t, x, T):
    """E[Y(t) | alive at T, x, T]."""
    x, T = _as_arrays(x, T)
    return _pareto_expected_if_alive(params, np.asarray(t, dtype=float), x, T)


def pareto_nbd_expected_purchases(params, t, x, t_x, T):
    """E[Y(t) | x, t_x, T]: repeat purchases expected in (T, T + t]."""
    x, t_x, T = _as_arrays(x, t_x, T)
    t = np.asarray(t, dtype=float)
    alive = pareto_nbd_probability_alive(params, x, t_x, T)
    return _pareto_expected_if_alive(params, t, x, T) * alive


def pareto_nbd_unconditional_expected_purchases(params, t):
    """E[X(t)] for a new customer:
    r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)]."""
    return _pareto_expected_if_alive(params, np.asarray(t, dtype=float), 0.0, 0.0)


def fit_pareto_nbd(x, t_x, T, initial=None, bgnbd_params=None):
    """Maximum likelihood Pareto/NBD fit; returns ((r, alpha, s, beta),
    log-likelihood). Without ``initial``, L-BFGS-B also starts from the
    purchase rate of a BG/NBD fit (r, alpha, s = 1, beta = alpha): from
    (1, 1, 1, 1) alone its first line search can step where 2F1 overflows and
    stop there. ``bgnbd_params``: that BG/NBD fit when the caller has it
    already (the same customers), not fitted again."""
    starts = ()
    if initial is None:
        if bgnbd_params is None:
            bgnbd_params, _ll = fit_bgnbd(x, t_x, T)
        r, alpha, _a, _b = bgnbd_params
        starts = [(r, alpha, 1.0, alpha)]
    return _fit_counting(
        _pareto_log_likelihood_function, (1, 3), x, t_x, T, initial, starts
    )


# -------------------------------------------------------------------------- MBG/NBD
def mbgnbd_log_likelihood(params, x, t_x, T):
    """Log-likelihood of each customer under MBG/NBD (Batislam et al. 2007):

    L = B(a, b+x+1)/B(a, b) * G(r+x) a^r / (G(r) (alpha+T)^(r+x))
        + B(a+1, b+x)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))

    the second term for every x, x = 0 included (dropout at time 0)."""
    return _mbgnbd_log_likelihood_function(x, t_x, T)(params)


def _mbgnbd_log_likelihood_function(x, t_x, T):
    """``mbgnbd_log_likelihood`` as a function of the parameters, the special
    functions once per distinct x (see ``_bgnbd_log_likelihood_function``)."""
    x, t_x, T = _as_arrays(x, t_x, T)
    distinct_x, inverse = np.unique(x, return_inverse=True)
    distinct_T, at_T = np.unique(T, return_inverse=True)
    distinct_t_x, at_t_x = np.unique(t_x, return_inverse=True)

    def log_likelihood(params):
        r, alpha, a, b = params
        common = (
            gammaln(r + distinct_x) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
        )[inverse]
        r_x = (r + distinct_x)[inverse]
        term_alive = (
            betaln(a, b + distinct_x + 1)[inverse]
            - r_x * np.log(alpha + distinct_T)[at_T]
        )
        term_dead = (
            betaln(a + 1, b + distinct_x)[inverse]
            - r_x * np.log(alpha + distinct_t_x)[at_t_x]
        )
        top = np.maximum(term_alive, term_dead)
        total = np.log(np.exp(term_alive - top) + np.exp(term_dead - top))
        return common + (total + top)

    return log_likelihood


def mbgnbd_probability_alive(params, x, t_x, T):
    """P(alive | x, t_x, T) = 1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)),
    below 1 for one-time buyers too."""
    r, alpha, a, b = params
    x, t_x, T = _as_arrays(x, t_x, T)
    log_odds = (
        np.log(a) - np.log(b + x) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    )
    return 1.0 / (1.0 + np.exp(np.minimum(log_odds, 700)))


def mbgnbd_expected_if_alive(params, t, x, T):
    """E[Y(t) | alive at T, x, T] = (a+b+x)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x)
    2F1(r+x, b+x+1; a+b+x; t/(alpha+T+t))]."""
    r, alpha, a, b = params
    x, T = _as_arrays(x, T)
    t = np.asarray(t, dtype=float)
    z = t / (alpha + T + t)
    hyp = hyp2f1(r + x, b + x + 1, a + b + x, z)
    return (
        (a + b + x)
        / (a - 1)
        * (1 - np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * hyp)
    )


def mbgnbd_expected_purchases(params, t, x, t_x, T):
    """E[Y(t) | x, t_x, T]: the expectation if alive times P(alive | x, t_x, T)."""
    x, t_x, T = _as_arrays(x, t_x, T)
    return mbgnbd_expected_if_alive(params, t, x, T) * mbgnbd_probability_alive(
        params, x, t_x, T
    )


def mbgnbd_unconditional_expected_purchases(params, t):
    """E[X(t)] = b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))]."""
    r, alpha, a, b = params
    t = np.asarray(t, dtype=float)
    z = t / (alpha + t)
    return b / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b + 1, a + b, z))


def fit_mbgnbd(x, t_x, T, initial=None):
    """Maximum likelihood MBG/NBD fit; returns ((r, alpha, a, b), log-likelihood)."""
    return _fit_counting(_mbgnbd_log_likelihood_function, (1,), x, t_x, T, initial)


# ------------------------------------------------------------ the three, compared
def _fit_counting(make_function, time_params, x, t_x, T, initial=None, starts=()):
    """Fit a purchase-count model on a rescaled time axis (the parameters at
    ``time_params`` are scale parameters of time and are rescaled back)."""
    if len(np.atleast_1d(x)) < 2 or not np.any(np.asarray(x) > 0):
        raise FitError("Not enough customers with repeat purchases.")
    (ux, ut_x, uT), weights = _compress(x, t_x, T)
    scale = max(float(np.max(uT)), 1e-9) / 10.0

    def rescale(point):
        return [
            value / scale if i in time_params else value
            for i, value in enumerate(point)
        ]

    initial = rescale(initial) if initial is not None else None
    starts = [rescale(point) for point in starts]
    negative_ll = _negative_log_likelihood(
        make_function(ux, ut_x / scale, uT / scale), weights
    )
    cost = 4 if 3 in time_params else 1  # Pareto/NBD: two 2F1 per row
    params, _ll = _minimize(
        negative_ll, 4, initial, rows=len(ux), cost=cost, starts=starts
    )
    params = tuple(
        float(value * scale if i in time_params else value)
        for i, value in enumerate(params)
    )
    log_likelihood = float(np.sum(weights * make_function(ux, ut_x, uT)(params)))
    return params, log_likelihood


MODELS = {
    "bgnbd": {
        "fit": fit_bgnbd,
        "log_likelihood": bgnbd_log_likelihood,
        "probability_alive": bgnbd_probability_alive,
        "expected_purchases": bgnbd_expected_purchases,
        "expected_if_alive": bgnbd_expected_if_alive,
        "unconditional": bgnbd_unconditional_expected_purchases,
        "time_params": (1,),
    },
    "pareto": {
        "fit": fit_pareto_nbd,
        "log_likelihood": pareto_nbd_log_likelihood,
        "probability_alive": pareto_nbd_probability_alive,
        "expected_purchases": pareto_nbd_expected_purchases,
        "expected_if_alive": pareto_nbd_expected_if_alive,
        "unconditional": pareto_nbd_unconditional_expected_purchases,
        "time_params": (1, 3),
    },
    "mbgnbd": {
        "fit": fit_mbgnbd,
        "log_likelihood": mbgnbd_log_likelihood,
        "probability_alive": mbgnbd_probability_alive,
        "expected_purchases": mbgnbd_expected_purchases,
        "expected_if_alive": mbgnbd_expected_if_alive,
        "unconditional": mbgnbd_unconditional_expected_purchases,
        "time_params": (1,),
    },
}


def probability_no_purchase(kind, params, t, x, t_x, T):
    """P(no purchase in (T, T + t] | x, t_x, T) under model ``kind``.

    In the three models the likelihood of (x, t_x) observed up to T' is the
    probability of the history, up to a factor of the purchase times only, so
    the history observed up to T + t with no further purchase over the one
    observed up to T is that probability: L(x, t_x, T + t) / L(x, t_x, T).
    """
    log_likelihood = MODELS[kind]["log_likelihood"]
    x, t_x, T = _as_arrays(x, t_x, T)
    T_later = T + np.asarray(t, dtype=float)
    return np.exp(
        log_likelihood(params, x, t_x, T_later) - log_likelihood(params, x, t_x, T)
    )


def bic(log_likelihood, n_params, n_customers):
    """Bayesian information criterion: k ln(n) - 2 LL (lower is better)."""
    return n_params * np.log(max(n_customers, 1)) - 2.0 * log_likelihood


PARAMETER_BOUNDS = (1e-4, 1e4)


def parameters_at_bound(kind, params, T):
    """True when a fitted parameter sits at the edge of what the optimiser
    explores (below 1e-4 or above 1e4, time scales on the fit's own axis, where
    the oldest customer is 10 time units old): the likelihood was still rising
    there, the estimate is a limit, not a maximum (for example a, b -> infinity
    when the customers do not differ in their dropout)."""
    scale = max(float(np.max(np.atleast_1d(T))), 1e-9) / 10.0
    time_params = MODELS[kind]["time_params"] if kind in MODELS else ()
    low, high = PARAMETER_BOUNDS
    for i, value in enumerate(params):
        value = value / scale if i in time_params else value
        if not (low < value < high):
            return True
    return False
