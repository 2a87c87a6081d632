"""Counterexample search (placeholder engine: plain sampling, no shrinking).

The staged search (structured sampling, adversarial optimisation, shrinking) replaces this.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from verify.budget import RunContext
from verify.counterexample import HPEvaluation, evaluate_hp
from verify.domain import Instance, Property, summarize, take
from verify.results import CheckResult
from verify.verdicts import Verdict, relative_margin


def shrink(prop: Property, instance: Instance, hp: HPEvaluation,
           ctx: RunContext) -> tuple[Instance, HPEvaluation]:
    """Shrink a confirmed counterexample (placeholder: returns it unchanged)."""
    return instance, hp


def run(name: str, prop: Property, ctx: RunContext, **options: Any) -> CheckResult:
    """Search ``prop``'s domain for a violation (placeholder: uniform sampling)."""
    from verify.checks import make_counterexample

    start = time.perf_counter()
    rng = ctx.rng("search")
    evaluations = 0
    best: tuple[float, Instance] | None = None
    while evaluations < ctx.budget.search_evaluations:
        dims = prop.domain.sample_dims(rng)
        batch = prop.domain.sample(rng, 256, dims)
        evaluations += 256
        excess, scale = prop.margin(batch)
        margins = np.where(prop.domain.admissible(batch), relative_margin(excess, scale), -np.inf)
        i = int(np.nanargmax(margins))
        if best is None or margins[i] > best[0]:
            best = (float(margins[i]), take(batch, i))
        if prop.tolerance.violated(excess[i], scale[i]) and np.isfinite(margins[i]):
            hp = evaluate_hp(prop.margin_hp, best[1], prop.tolerance, ctx.budget.digits)
            if hp is not None and hp.violated:
                shrunk, shrunk_hp = shrink(prop, best[1], hp, ctx)
                return CheckResult("search", name, Verdict.REFUTED, "sampling found a violation",
                                   margin=best[0], margin_hp=shrunk_hp.describe(),
                                   tolerance=prop.tolerance, evaluations=evaluations,
                                   counterexample=make_counterexample(ctx, shrunk, best[0],
                                                                      shrunk_hp, "sampling"),
                                   wall_time=time.perf_counter() - start)
    near = {"margin": best[0], "inputs": summarize(best[1])} if best else None
    return CheckResult("search", name, Verdict.SUPPORTED,
                       f"no violation in {evaluations} evaluations", margin=best and best[0],
                       tolerance=prop.tolerance, evaluations=evaluations, near_miss=near,
                       wall_time=time.perf_counter() - start)
