"""Run claims: every check of every variant, seeded, into one results document (schema 1)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from verify.budget import Budget, RunContext
from verify.claims import Claim, Paper, Variant, registry
from verify.results import CheckResult
from verify.verdicts import Verdict, combine

RESULTS_SCHEMA = 1
Progress = Callable[[dict[str, Any]], None]


def run_check(check, ctx: RunContext) -> CheckResult:
    """Run one check; an exception inside it becomes an ``undecided`` result with the error.

    Floating-point warnings (overflow, invalid values) are silenced: checks meet them on
    purpose (divergent trajectories, degenerate instances) and turn them into non-finite,
    inadmissible margins, so they are not news to the user."""
    start = time.perf_counter()
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            result = check.run(ctx)
    except Exception as exc:  # a failing check must not abort the suite; it is reported
        result = CheckResult(check.kind, check.name, Verdict.UNDECIDED,
                             f"the check raised {type(exc).__name__}: {exc}",
                             error=traceback.format_exc(limit=8))
    result.wall_time = time.perf_counter() - start
    return result


def run_variant(claim: Claim, variant: Variant, budget: Budget, seed: int) -> dict[str, Any]:
    """Run every check of ``variant`` and combine their verdicts."""
    start = time.perf_counter()
    results = [run_check(c, RunContext(budget, seed, (claim.id, variant.name, c.name)))
               for c in variant.checks]
    verdict = combine((r.verdict for r in results), asymptotic=claim.asymptotic)
    margins = [r.margin for r in results if r.margin is not None]
    refuting = [r for r in results if r.verdict is Verdict.REFUTED and r.counterexample]
    checks_json = [r.to_json() for r in results]
    trials = [{"id": claim.id, "variant": variant.name, "check": r.name, "seed": seed, **t}
              for r in results for t in r.trials]
    return {
        "id": claim.id,
        "paper": claim.paper.key,
        "variant": variant.name,
        "description": variant.description,
        "verdict": verdict.value,
        "expected": variant.expected.value if variant.expected else None,
        "margin": max(margins) if margins else None,
        "checks": checks_json,
        "counterexample": refuting[0].counterexample if refuting else None,
        "wall_time": round(time.perf_counter() - start, 4),
        "_trials": trials,
    }


def _run_claim(claim_id: str, budget: Budget, seed: int) -> list[dict[str, Any]]:
    claim = registry().get(claim_id)
    return [run_variant(claim, v, budget, seed) for v in claim.variants]


def run_claims(claims: Sequence[Claim], budget: Budget, seed: int, jobs: int = 1,
               progress: Progress | None = None) -> dict[str, Any]:
    """Run ``claims`` and return the results document; ``jobs`` worker processes."""
    start = time.perf_counter()
    entries: dict[str, list[dict[str, Any]]] = {}
    if jobs > 1 and len(claims) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {c.id: pool.submit(_run_claim, c.id, budget, seed) for c in claims}
            for claim in claims:
                entries[claim.id] = futures[claim.id].result()
                for entry in entries[claim.id]:
                    progress and progress(entry)
    else:
        for claim in claims:
            entries[claim.id] = []
            for variant in claim.variants:
                entry = run_variant(claim, variant, budget, seed)
                entries[claim.id].append(entry)
                progress and progress(entry)
    results = [e for c in claims for e in entries[c.id]]
    trials = [t for e in results for t in e.pop("_trials")]
    return {
        "schema": RESULTS_SCHEMA,
        "provenance": provenance(budget, seed, time.perf_counter() - start, jobs),
        "papers": {c.paper.key: paper_info(c.paper) for c in claims},
        "claims": {c.id: claim_info(c) for c in claims},
        "coverage": registry().coverage(),
        "results": results,
        "_trials": trials,
    }


def paper_info(paper: Paper) -> dict[str, Any]:
    """The ``papers`` entry of a results document."""
    return {"title": paper.title, "source": paper.source, "findings": paper.findings}


def claim_info(claim: Claim) -> dict[str, Any]:
    return {
        "paper": claim.paper.key,
        "paper_title": claim.paper.title,
        "location": claim.location,
        "statement": claim.statement,
        "asymptotic": claim.asymptotic,
        "notes": claim.notes,
        "module": claim.module,
        "variants": {v.name: v.description for v in claim.variants},
    }


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                                text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def provenance(budget: Budget, seed: int, wall_time: float, jobs: int) -> dict[str, Any]:
    return {
        "tool": "verify",
        "versions": {name: _version(name) for name in
                     ("verify", "numpy", "scipy", "sympy", "mpmath", "python-flint",
                      "matplotlib")} | {"python": sys.version.split()[0]},
        "git_commit": _git_commit(),
        "seed": seed,
        "budget": budget.name,
        "budget_counts": {k: v for k, v in budget.__dict__.items() if k != "name"},
        "precision": {"float": "float64", "high_digits": budget.digits},
        "jobs": jobs,
        "wall_time": round(wall_time, 3),
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "platform": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cpus",
    }
