"""Benchmark of the customer value fit of crm_segmentation (see `make bench`).

    .venv/bin/python tools/bench_clv.py [--customers 100000] [--markdown FILE]

Times the fit of the three purchase models (BG/NBD, Pareto/NBD, MBG/NBD, as
``crm.clv.model`` fits them: Pareto/NBD starting from the BG/NBD fit) on
synthetic customers, without Odoo (``clv_math`` is plain numpy and scipy):

- customers simulated from each model in turn (ages of 1 to 1,095 whole days,
  as ``crm_segmentation/scripts/bench_clv_models.py``): the three fits on
  each data set, target under 15 s in total;
- the purchase histories of ``tools/bench_segmentation.py`` (10 purchases at
  random days of a buying life, time in weeks), which none of the models fits
  well: the optimisers end on a ridge or at a parameter bound, the hardest case.

The likelihood is evaluated once per distinct (x, t_x, T) history: the table
gives their number.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from bench_common import record, write_markdown

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "crm_segmentation"))
from scripts.bench_clv_models import (  # noqa: E402
    TRUE_PARAMS,
    clv_math,
    clv_simulation,
)

TARGET = 15.0


def simulated(kind, count):
    rng = np.random.default_rng(0)
    T = rng.integers(1, 1096, size=count).astype(float)
    x, t_x = clv_simulation.simulate_counting(kind, TRUE_PARAMS[kind], T, seed=1)
    return x, np.floor(t_x), T


def bench_segmentation_like(count):
    """(x, t_x, T) in weeks of the customers of tools/bench_segmentation.py:
    first purchase 400 to 1,100 days ago, 10 purchases, the first one that
    day and the others at random days of a buying life of 0 to 100 % of the
    age (same-day purchases count once)."""
    rng = np.random.default_rng(0)
    ids = np.arange(1, count + 1)
    age = 400 + (ids * 7919) % 701
    life = ((ids * 104729) % 1000) / 1000.0
    offsets = np.floor(rng.random((count, 9)) * (life * age)[:, None]).astype(int)
    days = np.sort(np.hstack([np.zeros((count, 1), int), offsets]), axis=1)
    x = (np.diff(days, axis=1) > 0).sum(axis=1).astype(float)
    return x, days[:, -1] / 7.0, age / 7.0


def fit_three(x, t_x, T):
    """({kind: seconds}, CPU seconds) of the three fits, as
    crm.clv.model._fit_arrays does them."""
    times, bgnbd = {}, None
    cpu = time.process_time()
    for kind in clv_math.MODELS:
        more = {"bgnbd_params": bgnbd} if kind == "pareto" else {}
        started = time.perf_counter()
        params, _ll = clv_math.MODELS[kind]["fit"](x, t_x, T, **more)
        times[kind] = time.perf_counter() - started
        if kind == "bgnbd":
            bgnbd = params
    return times, time.process_time() - cpu


def bench(count):
    data = {f"simulated from {kind}": simulated(kind, count) for kind in TRUE_PARAMS}
    data["histories of bench_segmentation"] = bench_segmentation_like(count)
    for name, (x, t_x, T) in data.items():
        (distinct, _t, _T), _weights = clv_math._compress(x, t_x, T)
        times, cpu = fit_three(x, t_x, T)
        total = sum(times.values())
        record(
            "clv fit",
            f"three models, {count} customers {name}",
            f"{total:.1f}",
            "s",
            f"{len(distinct)} distinct (x, t_x, T); CPU {cpu:.1f} s; "
            + ", ".join(f"{kind} {seconds:.1f} s" for kind, seconds in times.items())
            + f"; target < {TARGET:.0f} s: {'met' if total < TARGET else 'NOT met'}",
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--markdown")
    args = parser.parse_args()
    bench(args.customers)
    if args.markdown:
        write_markdown(args.markdown, title="crm_segmentation: customer value fit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
