# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Time the fit of the three purchase models on synthetic customers.

    .venv/bin/python crm_segmentation/scripts/bench_clv_models.py [customers]

Customers with ages of 1 to 1,095 whole days (the model works on purchase
days), simulated from each model in turn; prints the time of each fit and the
total. A measurement, not a test: nothing is asserted.
"""

import importlib.util
import pathlib
import sys
import time

import numpy as np


def _load(name):
    """The module ``name`` of crm_segmentation, by its path (no Odoo, no
    package: the module must import none of its siblings)."""
    path = pathlib.Path(__file__).resolve().parent.parent / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


clv_math = _load("clv_math")
clv_simulation = _load("clv_simulation")

TRUE_PARAMS = {
    "bgnbd": (0.25, 40.0, 0.8, 2.5),
    "pareto": (0.55, 70.0, 0.6, 80.0),
    "mbgnbd": (0.5, 45.0, 0.9, 1.6),
}


def main(count=100_000):
    rng = np.random.default_rng(0)
    T = rng.integers(1, 1096, size=count).astype(float)
    total = 0.0
    for kind, params in TRUE_PARAMS.items():
        x, t_x = clv_simulation.simulate_counting(kind, params, T, seed=1)
        t_x = np.floor(t_x)  # whole days, as the purchase history gives them
        started = time.perf_counter()
        fitted, log_likelihood = clv_math.MODELS[kind]["fit"](x, t_x, T)
        elapsed = time.perf_counter() - started
        total += elapsed
        print(
            f"{kind:7} {count} customers: {elapsed:6.2f} s, "
            f"fitted {np.round(fitted, 3).tolist()} true {list(params)}, "
            f"LL {log_likelihood:.1f}"
        )
    print(f"three models: {total:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
