"""The staged counterexample search shared by every claim's search check.

Stages, each maximising the signed relative margin over the hypotheses' domain:

1. ``structured-sampling``: batches biased toward boundaries and special structure
   (:mod:`verify.search.structured`) at a plan of dimensions (smallest first, plus the largest
   and a few others when there are many);
2. ``sampling``: plain uniform samples of the raw parametrisation at random dimensions;
3. ``optimisation``: differential evolution plus an L-BFGS-B polish
   (:mod:`verify.search.optimize`) from the best candidates of the dimensions that came
   closest, one restart per :attr:`Budget.search_restarts`.

The stages share :attr:`Budget.search_evaluations` float evaluations (35 %, 15 % and 50 %).
Work is split into independent tasks with their own seeds, run in order; after each task its
float violators (largest margin first, then simplest) are re-checked at high precision, at
most :attr:`Budget.hp_rechecks` of them per search. The first confirmed one is shrunk
(:mod:`verify.search.shrink`) and reported. If float violations occurred but none is
confirmed, the search is ``undecided`` when some distinct violating instance was never
re-checked (over the re-check budget, or not retained), and ``supported`` when every one of
them was re-checked and held (the high-precision result decides); otherwise the best margin
reached and where is reported as a near miss.

Several cores: with ``workers > 1`` (the ``workers`` option, or the ``VERIFY_SEARCH_WORKERS``
environment variable) tasks run in waves on a fork-based process pool. Tasks are
independent and their results are processed in task order, so the counterexample found is the
same for every number of workers (only the evaluation count can grow with the wave size).
The runner's ``--jobs`` already spreads claims over cores, so the default is one worker.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields
from typing import Any

import mpmath
import numpy as np

from verify.budget import RunContext
from verify.counterexample import HPEvaluation
from verify.domain import Property, stack, summarize
from verify.errors import VerifyError
from verify.results import CheckResult
from verify.search.optimize import optimise
from verify.search.shrink import float_margin, safe_evaluate, shrink
from verify.search.structured import structured_batch
from verify.search.tracker import Candidate, Tracker
from verify.verdicts import Verdict

STAGES = ("structured-sampling", "sampling", "optimisation")
SHARES = {"structured-sampling": 0.35, "sampling": 0.15, "optimisation": 0.5}
CHUNK = 2048
"""Evaluations per sampling task."""
PLAN_DIMS = 8
"""At most this many dimension assignments get structured sampling."""
WORKERS_ENV = "VERIFY_SEARCH_WORKERS"


@dataclass(frozen=True)
class SearchOptions:
    """Per-check options of ``checks.search(name, prop, **options)``.

    ``evaluations``: float evaluations at the standard budget (scaled for the others; default
    the budget's ``search_evaluations``); ``dims``: restrict the integer parameters to these
    assignments; ``workers``: processes (see the module docstring); ``shrink``: simplify the
    counterexample (default True); ``stages``: run only these stages (e.g. ``("sampling",)``
    for a uniform-sampling baseline), which then share the whole budget.
    """

    evaluations: int | None = None
    dims: tuple[dict[str, int], ...] | None = None
    workers: int | None = None
    shrink: bool = True
    stages: tuple[str, ...] = STAGES

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> SearchOptions:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise VerifyError(f"unknown search option(s): {', '.join(unknown)}; "
                              f"known: {', '.join(sorted(known))}")
        dims = options.get("dims")
        stages = tuple(options.get("stages", STAGES))
        if not stages or set(stages) - set(STAGES):
            raise VerifyError(f"search stages must be among {', '.join(STAGES)}, got {stages}")
        return cls(options.get("evaluations"), tuple(dict(d) for d in dims) if dims else None,
                   options.get("workers"), bool(options.get("shrink", True)), stages)

    def worker_count(self) -> int:
        workers = self.workers if self.workers is not None else \
            int(os.environ.get(WORKERS_ENV, "1") or 1)
        return max(1, int(workers))

    def shares(self) -> dict[str, float]:
        """Evaluation shares of the selected stages (:data:`SHARES`, renormalised)."""
        total = sum(SHARES[s] for s in self.stages)
        return {s: SHARES[s] / total if s in self.stages else 0.0 for s in STAGES}


@dataclass(frozen=True)
class Task:
    """An independent unit of search work with its own seed."""

    stage: str
    dims: dict[str, int]
    evaluations: int
    seed: np.random.SeedSequence
    seeds: np.ndarray | None = None


def run_task(prop: Property, task: Task) -> Tracker:
    """Run one task and return its records."""
    tracker = Tracker()
    rng = np.random.default_rng(task.seed)
    if task.stage == "optimisation":
        seeds = task.seeds if task.seeds is not None else np.zeros((0, 0))
        optimise(prop, task.dims, seeds, rng, task.evaluations, tracker)
        return tracker
    remaining = task.evaluations
    while remaining > 0:
        n = min(remaining, CHUNK)
        batch = structured_batch(prop.domain, task.dims, rng, n) \
            if task.stage == "structured-sampling" else prop.domain.sample(rng, n, task.dims)
        tracker.evaluate(prop, batch, task.stage)
        remaining -= n
    return tracker


_POOL_PROPERTY: Property | None = None


def _pool_task(task: Task) -> Tracker:
    assert _POOL_PROPERTY is not None
    return run_task(_POOL_PROPERTY, task)


class _Executor:
    """Runs tasks in order, in waves on a fork pool when ``workers > 1``."""

    def __init__(self, prop: Property, workers: int) -> None:
        global _POOL_PROPERTY
        self.prop, self.workers, self.pool = prop, workers, None
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            _POOL_PROPERTY = prop
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))

    def run(self, tasks: Sequence[Task]) -> Iterator[Tracker]:
        if self.pool is None:
            for task in tasks:
                yield run_task(self.prop, task)
            return
        for start in range(0, len(tasks), self.workers):
            yield from self.pool.map(_pool_task, tasks[start:start + self.workers])

    def close(self) -> None:
        global _POOL_PROPERTY
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            _POOL_PROPERTY = None


class _Confirmer:
    """High-precision re-check of float violators, within the budget's ``hp_rechecks``."""

    def __init__(self, prop: Property, ctx: RunContext) -> None:
        self.prop, self.digits, self.limit = prop, ctx.budget.digits, ctx.budget.hp_rechecks
        self.checked: set[bytes] = set()
        self.rejected = 0

    def first_confirmed(self, violators: list[Candidate]) -> tuple[Candidate, HPEvaluation] | None:
        for cand in violators:
            if cand.key in self.checked or len(self.checked) >= self.limit:
                continue
            self.checked.add(cand.key)
            hp = safe_evaluate(self.prop, cand.instance, self.digits)
            if hp is not None and hp.violated:
                return cand, hp
            self.rejected += 1
        return None


def plan_dims(prop: Property, rng: np.random.Generator,
              only: Sequence[dict[str, int]] | None) -> list[dict[str, int]]:
    """Dimension assignments for structured sampling: all of them when few, otherwise the
    smallest four, the largest and random others (smallest first)."""
    combos = [dict(d) for d in only] if only else prop.domain.all_dims()
    if len(combos) <= PLAN_DIMS:
        return combos
    middle = rng.choice(np.arange(4, len(combos) - 1), size=PLAN_DIMS - 5, replace=False)
    return [combos[i] for i in sorted([0, 1, 2, 3, len(combos) - 1, *middle.tolist()])]


def sampling_tasks(ctx: RunContext, shares: Mapping[str, float], total: int,
                   dims: list[dict[str, int]], all_dims: list[dict[str, int]],
                   rng: np.random.Generator) -> list[Task]:
    """Structured tasks (round-robin over ``dims``, smallest first), then uniform ones."""
    tasks = []
    per_dims = int(total * shares["structured-sampling"]) // len(dims)
    rounds = -(-per_dims // CHUNK)
    for r in range(rounds):
        for d in dims:
            n = min(CHUNK, per_dims - r * CHUNK)
            if n > 0:
                tasks.append(Task("structured-sampling", d, n,
                                  _seed(ctx, "structured", len(tasks))))
    uniform = int(total * shares["sampling"])
    for i in range(-(-uniform // CHUNK)):
        d = all_dims[int(rng.integers(len(all_dims)))]
        tasks.append(Task("sampling", d, min(CHUNK, uniform - i * CHUNK),
                          _seed(ctx, "sampling", i)))
    return tasks


def optimisation_tasks(prop: Property, ctx: RunContext, evaluations: int, record: Tracker,
                       fallback: list[dict[str, int]]) -> list[Task]:
    """One DE task per restart, at the dims whose best candidates came closest."""
    restarts = ctx.budget.search_restarts
    ranked = sorted(record.best.values(), key=lambda cands: -cands[0].margin)
    per_task = evaluations // restarts
    if per_task <= 0:
        return []
    tasks = []
    for i in range(restarts):
        if ranked:
            closest = ranked[i % len(ranked)]
            cands = closest[min(i // len(ranked), len(closest) - 1):]
            dims = cands[0].dims
            seeds = prop.domain.to_vector(stack([c.instance for c in cands]), dims)
        else:
            dims, seeds = fallback[i % len(fallback)], None
        tasks.append(Task("optimisation", dims, per_task, _seed(ctx, "optimisation", i), seeds))
    return tasks


def _seed(ctx: RunContext, stage: str, index: int) -> np.random.SeedSequence:
    return ctx.child("search", f"{stage}-{index}").seed_sequence


def _search(prop: Property, ctx: RunContext, opts: SearchOptions, total: int,
            dims: list[dict[str, int]], all_dims: list[dict[str, int]],
            rng: np.random.Generator, record: Tracker, confirmer: _Confirmer,
            executor: _Executor) -> tuple[Candidate, HPEvaluation] | None:
    """Sampling tasks, then optimisation tasks built from their results; after each task,
    re-check its violators. Returns the first confirmed violation."""
    shares = opts.shares()
    for tracker in executor.run(sampling_tasks(ctx, shares, total, dims, all_dims, rng)):
        record.merge(tracker)
        found = confirmer.first_confirmed(tracker.violators)
        if found:
            return found
    tasks = optimisation_tasks(prop, ctx, int(total * shares["optimisation"]), record, dims)
    for tracker in executor.run(tasks):
        record.merge(tracker)
        found = confirmer.first_confirmed(tracker.violators)
        if found:
            return found
    return None


def run(name: str, prop: Property, ctx: RunContext, **options: Any) -> CheckResult:
    """Search ``prop``'s domain for a counterexample (see the module docstring)."""
    from verify.checks import make_counterexample

    start = time.perf_counter()
    opts = SearchOptions.parse(options)
    total = ctx.budget.scaled(opts.evaluations) if opts.evaluations else \
        ctx.budget.search_evaluations
    rng = ctx.rng("search", "plan")
    all_dims = [dict(d) for d in opts.dims] if opts.dims else prop.domain.all_dims()
    dims = plan_dims(prop, rng, opts.dims)
    record = Tracker()
    confirmer = _Confirmer(prop, ctx)
    executor = _Executor(prop, opts.worker_count())
    try:
        found = _search(prop, ctx, opts, total, dims, all_dims, rng, record, confirmer, executor)
    finally:
        executor.close()
    tried = _describe(record, dims, confirmer, ctx)
    best = record.overall_best()
    base = dict(tolerance=prop.tolerance, evaluations=record.evaluations,
                margin=best.margin if best else None)
    if found:
        cand, hp = found
        instance, hp = shrink(prop, cand.instance, hp, ctx) if opts.shrink else \
            (cand.instance, hp)
        margin = float_margin(prop, instance)
        margin = margin if np.isfinite(margin) else float(hp.margin)
        cex = make_counterexample(ctx, instance, margin, hp, cand.stage)
        return CheckResult("search", name, Verdict.REFUTED,
                           f"{cand.stage} found a violation confirmed at high precision"
                           f"{' and shrunk' if opts.shrink else ''}; {tried}",
                           margin_hp=hp.describe(), precision=f"{hp.excess.tier}:{hp.digits}",
                           counterexample=cex, wall_time=time.perf_counter() - start, **base)
    if best is None:
        return CheckResult("search", name, Verdict.UNDECIDED,
                           f"no admissible instance found; {tried}",
                           wall_time=time.perf_counter() - start, **base)
    best_hp = safe_evaluate(prop, best.instance, ctx.budget.digits)
    near = {"margin": best.margin, "inputs": summarize(best.instance), "stage": best.stage,
            "dims": best.dims,
            "margin_hp": mpmath.nstr(best_hp.margin, 12) if best_hp else None}
    verdict, summary = Verdict.SUPPORTED, "no violation beyond the tolerance"
    if record.float_violations:
        unchecked = len(record.violator_keys - confirmer.checked)
        distinct = len(record.violator_keys)
        summary = (f"{record.float_violations} float64 violations at {distinct} distinct "
                   f"instances, none confirmed at {ctx.budget.digits} digits")
        if unchecked:
            verdict = Verdict.UNDECIDED
            summary += f"; {unchecked} of them not re-checked (over the re-check budget)"
        else:
            summary += " (all re-checked: float artefacts, the high-precision result decides)"
    return CheckResult("search", name, verdict,
                       f"{summary}; best margin {best.margin:.3g} ({best.stage}, dims "
                       f"{best.dims or '-'}); {tried}",
                       margin_hp=best_hp.describe() if best_hp else None, near_miss=near,
                       wall_time=time.perf_counter() - start, **base)


def _describe(record: Tracker, dims: list[dict[str, int]], confirmer: _Confirmer,
              ctx: RunContext) -> str:
    counts = ", ".join(f"{stage} {record.stage_evaluations.get(stage, 0)}" for stage in STAGES)
    shown = ", ".join(str(d) for d in dims[:4]) + (" ..." if len(dims) > 4 else "")
    return (f"evaluations: {counts} (dims {shown or '-'}; {ctx.budget.search_restarts} "
            f"optimisation restarts); {record.float_violations} float64 violations, "
            f"{len(confirmer.checked)} re-checked at {ctx.budget.digits} digits")

