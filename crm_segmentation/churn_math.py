# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Churn and value at risk of every customer, without Odoo (numpy only).

From a fitted purchase model (BG/NBD, Pareto/NBD or MBG/NBD, see ``clv_math``)
and the Gamma-Gamma value model, per customer:

* ``alive``: P(alive | x, t_x, T), the probability the customer has not left.
  BG/NBD says 1 for every one-time buyer (it can only drop out after a repeat
  purchase); Pareto/NBD and MBG/NBD give them a real probability.
* ``no_purchase``: P(no purchase in (T, T + window] | x, t_x, T), the
  probability of no purchase in the next ``window`` (the company's churn
  horizon), whether the customer left or is only slow.
* ``purchases``: E[Y(horizon) | x, t_x, T], the purchases expected over the
  model's horizon.
* ``value``: E[V | x, t_x, T], their discounted value (the predicted value).
* ``value_at_risk``: the predicted value lost if the customer has left:

      value at risk = E[V | alive] x (1 - P(alive)) = E[V | alive] - E[V]

  where E[V | alive] is the discounted value of the purchases expected if the
  customer is still active. In the three models E[Y(t) | x, t_x, T] =
  P(alive) E[Y(t) | alive], so E[V] = P(alive) E[V | alive], and the value at
  risk is the part of the customer's value while active that the model
  already writes off because the customer has probably left: what winning it
  back is worth. It is 0 for a customer surely active and tends to the whole
  value while active for one surely gone; it never exceeds E[V | alive].

The customer's own rhythm (``purchase_rhythm``) gives the reasons shown beside
the figures: the days since its last purchase against its usual interval, and
its purchases of the last window against those its earlier rate predicts.
"""

import numpy as np

from . import clv_math, clv_value

# Frequency is "falling" when the purchases of the last window are fewer than
# this share of what the customer's earlier rate predicts for a window.
FALLING_SHARE = 0.5
# "Late" against its rhythm: no purchase for this many usual intervals.
LATE_INTERVALS = 2.0


def churn_predictions(
    kind,
    purchase_params,
    gg_params,
    x,
    t_x,
    T,
    m_x,
    horizon,
    period,
    annual_rate,
    unit_days,
    window,
):
    """The churn figures of the customers (see the module docstring), a dict of
    arrays: alive, no_purchase, purchases, value, value_at_risk. ``horizon``,
    ``period`` and ``window`` are in time units (``unit_days`` days each);
    ``period`` is the discounting step (see ``clv_value.discounted_value``)."""
    functions = clv_math.MODELS[kind]
    x, t_x, T, m_x = clv_math._as_arrays(x, t_x, T, m_x)
    alive = np.clip(functions["probability_alive"](purchase_params, x, t_x, T), 0, 1)
    if_alive = functions["expected_if_alive"]
    purchases_if_alive, value_if_alive = clv_value.discounted_value(
        purchase_params,
        gg_params,
        x,
        t_x,
        T,
        m_x,
        horizon=horizon,
        period=period,
        annual_rate=annual_rate,
        unit_days=unit_days,
        expected_purchases=lambda params, t, x_, _t_x, T_: if_alive(params, t, x_, T_),
    )
    no_purchase = clv_math.probability_no_purchase(
        kind, purchase_params, window, x, t_x, T
    )
    return {
        "alive": alive,
        "no_purchase": np.clip(no_purchase, 0.0, 1.0),
        "purchases": purchases_if_alive * alive,
        "value": value_if_alive * alive,
        "value_at_risk": value_if_alive * (1.0 - alive),
    }


def purchase_rhythm(ids, partners, days, cut, window):
    """The rhythm of each customer of ``ids`` (sorted) at the day ``cut`` from
    its purchase days (``partners``/``days`` sorted by partner and day,
    ordinals, as ``crm.clv.model._purchase_history`` returns them), a dict of
    arrays:

    * ``days_since``: days from the last purchase to ``cut``;
    * ``interval``: mean days between two purchases (last - first over the
      repeat purchases), 0 for a one-time buyer;
    * ``recent``: purchases in the last ``window`` days (after cut - window);
    * ``usual``: the purchases a window holds at the customer's earlier rate
      (purchases before the window over the days from the first purchase to
      the window's start, times the window), 0 when the customer is younger
      than two windows (too little earlier history to tell a rate).
    """
    keep = (days <= cut) & np.isin(partners, ids)
    partners, days = partners[keep], days[keep]
    count = len(ids)
    result = {
        "days_since": np.zeros(count, int),
        "interval": np.zeros(count),
        "recent": np.zeros(count, int),
        "usual": np.zeros(count),
    }
    if not len(partners):
        return result
    present, starts, counts = np.unique(partners, return_index=True, return_counts=True)
    index = np.searchsorted(ids, present)
    first = days[starts]
    last = days[starts + counts - 1]
    result["days_since"][index] = cut - last
    result["interval"][index] = np.divide(
        (last - first).astype(float),
        counts - 1,
        out=np.zeros(len(counts)),
        where=counts > 1,
    )
    start = cut - window
    recent = days > start
    np.add.at(result["recent"], np.searchsorted(ids, partners[recent]), 1)
    before = np.zeros(count)
    np.add.at(before, np.searchsorted(ids, partners[~recent]), 1)
    earlier_days = np.zeros(count)
    earlier_days[index] = start - first
    old_enough = earlier_days >= window
    result["usual"] = np.divide(
        before * window,
        earlier_days,
        out=np.zeros(count),
        where=old_enough,
    )
    return result


def risk_flags(rhythm):
    """(late, falling) booleans per customer from ``purchase_rhythm``: late
    when it has not bought for ``LATE_INTERVALS`` of its usual intervals,
    falling when the last window holds fewer than ``FALLING_SHARE`` of the
    purchases its earlier rate predicts (at least one predicted)."""
    interval = rhythm["interval"]
    late = (interval > 0) & (rhythm["days_since"] > LATE_INTERVALS * interval)
    usual = rhythm["usual"]
    falling = (usual >= 1) & (rhythm["recent"] < FALLING_SHARE * usual)
    return late, falling
