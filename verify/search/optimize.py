"""Adversarial optimisation of the margin over the flat raw parametrisation at fixed dims.

Differential evolution (``scipy.optimize.differential_evolution``, vectorized, seeded with the
best structured candidates) followed by a bounded L-BFGS-B polish whose finite-difference
gradient is one batched evaluation. Every evaluation goes through the :class:`Tracker`, which
records the float violators; the optimisation stops as soon as one is clearly positive, after
a short polish that pushes its margin away from the threshold.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.optimize import differential_evolution, minimize

from verify.domain import Property
from verify.search.tracker import PENALTY, Tracker

STAGE = "optimisation"
POLISH_SHARE = 0.2
"""Share of an optimisation task's evaluations reserved for the local polish."""
POLISH_CALLS = 60
"""At most this many L-BFGS-B function calls (each 2N + 1 evaluations) per polish."""


class _Objective:
    """``-margin`` of flat raw parameters, batched, within an evaluation budget."""

    def __init__(self, prop: Property, dims: Mapping[str, int], tracker: Tracker,
                 budget: int) -> None:
        self.prop, self.dims, self.tracker = prop, dict(dims), tracker
        self.stop_at = tracker.evaluations + budget

    @property
    def remaining(self) -> int:
        return self.stop_at - self.tracker.evaluations

    def batch(self, flat: np.ndarray) -> np.ndarray:
        """Objective values (B,) of flat points (B, N)."""
        margins = self.tracker.evaluate(self.prop, self.prop.domain.from_vector(flat, self.dims),
                                        STAGE)
        return np.where(np.isfinite(margins), -margins,
                        np.where(margins > 0, -PENALTY, PENALTY))

    def __call__(self, x: np.ndarray) -> np.ndarray | float:
        """scipy's vectorized convention: x is (N, S) -> (S,); a 1-d x gives a float."""
        if x.ndim == 1:
            return float(self.batch(x[None, :])[0])
        return self.batch(x.T)


def optimise(prop: Property, dims: Mapping[str, int], seeds: np.ndarray, rng: np.random.Generator,
             evaluations: int, tracker: Tracker) -> None:
    """Maximise the margin at ``dims`` from ``seeds`` (k, N) within ``evaluations``."""
    low, high = prop.domain.bounds(dims)
    size = low.size
    if size == 0 or evaluations < 10:
        return
    objective = _Objective(prop, dims, tracker, evaluations)
    population = int(np.clip(3 * size, 16, 60))
    de_budget = int(evaluations * (1 - POLISH_SHARE))
    if de_budget >= 2 * population:
        init = rng.uniform(low, high, size=(population, size))
        k = min(len(seeds), population // 2)
        if k:
            init[:k] = np.clip(seeds[:k], low, high)
        result = differential_evolution(
            objective, list(zip(low, high, strict=True)), maxiter=de_budget // population - 1,
            popsize=population, init=init, rng=rng, polish=False, tol=1e-6,
            vectorized=True, updating="deferred", callback=_stop_when_clear(tracker))
        start = result.x
    else:
        start = seeds[0] if len(seeds) else rng.uniform(low, high)
    polish(objective, np.clip(start, low, high), low, high)


def _stop_when_clear(tracker: Tracker):
    def callback(intermediate_result) -> bool:
        return tracker.clear

    return callback


def polish(objective: _Objective, x0: np.ndarray, low: np.ndarray, high: np.ndarray) -> None:
    """Bounded L-BFGS-B from ``x0`` with a batched central-difference gradient."""
    size = x0.size
    per_call = 2 * size + 1
    if objective.remaining < 3 * per_call:
        return
    step = 1e-7 * np.maximum(high - low, 1e-12)
    eye = np.eye(size)

    def fun(x: np.ndarray) -> tuple[float, np.ndarray]:
        up = np.minimum(x + step, high)
        down = np.maximum(x - step, low)
        points = np.vstack([x[None, :], x + eye * (up - x), x + eye * (down - x)])
        values = objective.batch(points)
        width = up - down
        grad = np.where(width > 0, (values[1:size + 1] - values[size + 1:]) / width, 0.0)
        if values[0] >= PENALTY or not np.all(np.abs(values) < PENALTY):
            grad = np.zeros(size)
        return float(values[0]), grad

    minimize(fun, x0, jac=True, method="L-BFGS-B", bounds=list(zip(low, high, strict=True)),
             options={"maxfun": max(1, min(objective.remaining // per_call - 1, POLISH_CALLS)),
                      "maxiter": POLISH_CALLS})
