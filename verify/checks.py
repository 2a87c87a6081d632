"""The three kinds of check a variant can use: symbolic, numeric trials, counterexample search.

Every factory returns a :class:`verify.claims.Check`. Trials and search share a
:class:`verify.domain.Property`; the verdict rules are the same for both:

* ``refuted`` when some instance violates the tolerance in float64 *and* its high-precision
  re-evaluation confirms it (the counterexample is shrunk and attached);
* ``undecided`` when float64 shows violations that high precision does not confirm, or when no
  admissible instance was found;
* ``certified`` when the property is rigorous (exact or ball arithmetic) and every instance
  re-evaluated that way holds exactly (for the finite computation checked);
* ``supported`` otherwise: no violation beyond the stated tolerance.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from verify import search as search_engine
from verify.budget import RunContext
from verify.claims import Check
from verify.counterexample import Counterexample, HPEvaluation, evaluate_hp
from verify.domain import Batch, Instance, Property, batch_size, summarize, take
from verify.results import CheckResult
from verify.verdicts import Verdict, relative_margin

Sampler = Callable[[np.random.Generator, int], Batch | list[Batch]]


def check_path(ctx: RunContext) -> tuple[str, str, str]:
    """(claim id, variant, check name) of the check being run."""
    padded = (*ctx.path, "", "", "")
    return padded[0], padded[1], padded[2]


def make_counterexample(ctx: RunContext, instance: Instance, margin_float: float,
                        hp: HPEvaluation, stage: str) -> dict[str, Any]:
    """JSON form of a re-checked counterexample found by the check running in ``ctx``."""
    claim_id, variant, check = check_path(ctx)
    return Counterexample.build(claim_id=claim_id, variant=variant, check=check,
                                instance=instance, margin_float=margin_float, hp=hp,
                                seed=ctx.seed, stage=stage).to_json()


# --------------------------------------------------------------------------- symbolic


@dataclass(frozen=True)
class SymbolicOutcome:
    """What a sympy derivation established.

    ``holds``: True when the derived and printed expressions agree identically (exact
    symbolic algebra), False when they differ, None when sympy could not decide.
    ``counterexample``: an exact substitution (an instance) at which they differ; it is
    re-evaluated with the check's ``replay`` before the variant is refuted.
    """

    holds: bool | None
    details: str
    counterexample: Instance | None = None


def symbolic(name: str, derive: Callable[[], SymbolicOutcome],
             replay: Callable[[Instance, int], Any] | None = None) -> Check:
    """A check backed by a sympy derivation from the definitions."""

    def run(ctx: RunContext) -> CheckResult:
        outcome = derive()
        if outcome.holds:
            return CheckResult("symbolic", name, Verdict.CERTIFIED, outcome.details,
                               precision="exact (sympy)")
        if outcome.holds is None or outcome.counterexample is None or replay is None:
            return CheckResult("symbolic", name, Verdict.UNDECIDED, outcome.details,
                               precision="exact (sympy)")
        from verify.verdicts import Tolerance

        hp = evaluate_hp(replay, outcome.counterexample, Tolerance(0.0, 0.0), ctx.budget.digits)
        if hp is None or not hp.violated:
            return CheckResult("symbolic", name, Verdict.UNDECIDED,
                               outcome.details + " (the substitution did not re-check)",
                               precision="exact (sympy)")
        cex = make_counterexample(ctx, outcome.counterexample, float(hp.margin), hp, "symbolic")
        return CheckResult("symbolic", name, Verdict.REFUTED, outcome.details,
                           margin=float(hp.margin), margin_hp=hp.describe(),
                           precision=f"{hp.excess.tier}:{hp.digits}", counterexample=cex)

    return Check("symbolic", name, run, replay=replay)


# --------------------------------------------------------------------------- trials


def _draw(prop: Property, sampler: Sampler | None, rng: np.random.Generator,
          n: int) -> list[Batch]:
    if sampler is not None:
        drawn = sampler(rng, n)
        return drawn if isinstance(drawn, list) else [drawn]
    combos = prop.domain.all_dims()
    chunks = min(n, 8)
    batches = []
    for i in range(chunks):
        dims = combos[int(rng.integers(len(combos)))] if len(combos) > chunks else \
            combos[i % len(combos)]
        size = n // chunks + (1 if i < n % chunks else 0)
        batches.append(prop.domain.sample(rng, size, dims))
    return batches


def trials(name: str, prop: Property, *, sampler: Sampler | None = None,
           count: int | None = None, certify: bool | None = None) -> Check:
    """Batched, seeded numeric trials of ``prop``, re-checked at high precision.

    ``count`` is the number of instances at the standard budget (scaled for the others;
    default: the budget's ``trials``). ``sampler(rng, n)`` replaces the domain's uniform
    sampler (e.g. to draw the paper's random initialisation). With ``certify`` (default:
    ``prop.rigorous``) every admissible instance is re-evaluated rigorously, and the check is
    certified when all of them hold exactly.
    """
    certify = prop.rigorous if certify is None else certify

    def run(ctx: RunContext) -> CheckResult:
        start = time.perf_counter()
        rng = ctx.rng("trials")
        n = ctx.budget.scaled(count) if count else ctx.budget.trials
        tol, digits = prop.tolerance, ctx.budget.digits
        candidates: list[tuple[float, Instance]] = []
        records: list[dict[str, Any]] = []
        float_violations = 0
        for batch in _draw(prop, sampler, rng, n):
            excess, scale = prop.margin(batch)
            margins = relative_margin(excess, scale)
            ok = prop.domain.admissible(batch) & ~np.isnan(margins)
            violated = ok & tol.violated(excess, scale)
            float_violations += int(violated.sum())
            dims = {k: v for k, v in batch.items() if isinstance(v, int)}
            for i in range(batch_size(batch)):
                if ok[i]:
                    records.append({"trial": len(records), "dims": dims,
                                    "margin": float(margins[i]), "precision": "float64"})
                    candidates.append((float(margins[i]), take(batch, i)))
        if not candidates:
            return CheckResult("trials", name, Verdict.UNDECIDED,
                               f"no admissible instance among {n} samples",
                               tolerance=tol, evaluations=n, wall_time=time.perf_counter() - start)
        candidates.sort(key=lambda c: c[0], reverse=True)
        worst_margin, worst = candidates[0]
        to_recheck = candidates if certify else candidates[: ctx.budget.hp_rechecks]
        all_hold = True
        worst_hp: HPEvaluation | None = None
        for margin_float, instance in to_recheck:
            hp = evaluate_hp(prop.margin_hp, instance, tol, digits)
            if hp is None:
                all_hold = False
                continue
            worst_hp = worst_hp or hp
            if hp.violated:
                shrunk, shrunk_hp = search_engine.shrink(prop, instance, hp, ctx)
                cex = make_counterexample(ctx, shrunk, margin_float, shrunk_hp, "trials")
                return CheckResult(
                    "trials", name, Verdict.REFUTED,
                    f"{float_violations} of {len(candidates)} admissible trials violate the "
                    f"statement in float64; the worst re-checks at high precision",
                    margin=worst_margin, margin_hp=shrunk_hp.describe(), tolerance=tol,
                    precision=f"{shrunk_hp.excess.tier}:{digits}", evaluations=n,
                    trials=records, counterexample=cex, wall_time=time.perf_counter() - start)
            all_hold &= hp.holds_rigorously
        elapsed = time.perf_counter() - start
        margin_hp = worst_hp.describe() if worst_hp else None
        if float_violations:
            return CheckResult(
                "trials", name, Verdict.UNDECIDED,
                f"{float_violations} float64 violations not confirmed at high precision",
                margin=worst_margin, margin_hp=margin_hp, tolerance=tol, evaluations=n,
                trials=records, wall_time=elapsed)
        near = {"margin": worst_margin, "inputs": summarize(worst)}
        if certify and all_hold:
            return CheckResult(
                "trials", name, Verdict.CERTIFIED,
                f"all {len(candidates)} admissible instances hold in "
                f"{to_recheck and worst_hp.excess.tier} arithmetic",
                margin=worst_margin, margin_hp=margin_hp, tolerance=tol,
                precision=f"{worst_hp.excess.tier}:{digits}", evaluations=n, trials=records,
                near_miss=near, wall_time=elapsed)
        return CheckResult(
            "trials", name, Verdict.SUPPORTED,
            f"{len(candidates)} admissible instances, none violates the tolerance "
            f"(rtol={tol.rtol:g}, atol={tol.atol:g}); the {len(to_recheck)} worst re-checked "
            f"at {digits} digits", margin=worst_margin, margin_hp=margin_hp, tolerance=tol,
            evaluations=n, trials=records, near_miss=near, wall_time=elapsed)

    return Check("trials", name, run, replay=prop.margin_hp, prop=prop)


# --------------------------------------------------------------------------- search


def search(name: str, prop: Property, **options: Any) -> Check:
    """An adversarial counterexample search over ``prop``'s domain (see :mod:`verify.search`)."""

    def run(ctx: RunContext) -> CheckResult:
        return search_engine.run(name, prop, ctx, **options)

    return Check("search", name, run, replay=prop.margin_hp, prop=prop)
