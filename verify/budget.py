"""Budgets and the seeded run context shared by every check."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from verify.errors import VerifyError


@dataclass(frozen=True)
class Budget:
    """How hard the checks push. Counts are per check.

    trials: random instances per numeric-trials check; hp_rechecks: worst instances re-checked
    at high precision (for a search: float violators re-checked); search_evaluations: float
    margin evaluations a search may spend; search_restarts: independent optimisation runs
    among which the search's optimisation share is split; shrink_evaluations: high-precision
    evaluations spent shrinking a counterexample; digits: working precision of the
    high-precision tier.

    ============  ======  ===========  ====================================  ========  ======
    budget        trials  hp_rechecks  search_evaluations (struct/unif/opt)  restarts  shrink
    ============  ======  ===========  ====================================  ========  ======
    quick             64            8  4 000 (1 400 / 600 / 2 000)                  1      60
    standard         512           32  40 000 (14 000 / 6 000 / 20 000)             3     300
    thorough        4096          128  400 000 (140 000 / 60 000 / 200 000)         6    1500
    ============  ======  ===========  ====================================  ========  ======

    The search splits its evaluations 35 % structured sampling, 15 % uniform sampling and 50 %
    optimisation (see :mod:`verify.search.engine`); digits are 40 / 50 / 80.
    """

    name: str
    trials: int
    hp_rechecks: int
    search_evaluations: int
    shrink_evaluations: int
    digits: int
    search_restarts: int = 3

    def scaled(self, base: int) -> int:
        """Scale a claim-specific count (given for the standard budget) to this budget."""
        factor = {"quick": 0.125, "standard": 1.0, "thorough": 8.0}[self.name]
        return max(1, round(base * factor))


BUDGETS = {
    "quick": Budget("quick", trials=64, hp_rechecks=8, search_evaluations=4_000,
                    shrink_evaluations=60, digits=40, search_restarts=1),
    "standard": Budget("standard", trials=512, hp_rechecks=32, search_evaluations=40_000,
                       shrink_evaluations=300, digits=50, search_restarts=3),
    "thorough": Budget("thorough", trials=4096, hp_rechecks=128, search_evaluations=400_000,
                       shrink_evaluations=1500, digits=80, search_restarts=6),
}


def get_budget(name: str) -> Budget:
    """The named budget, or a clear error."""
    try:
        return BUDGETS[name]
    except KeyError:
        raise VerifyError(
            f"unknown budget {name!r}; choose one of: {', '.join(BUDGETS)}") from None


def stable_key(text: str) -> int:
    """A process-independent integer for a string (Python's hash() is salted)."""
    return zlib.crc32(text.encode("utf-8"))


@dataclass(frozen=True)
class RunContext:
    """What a check needs to run reproducibly: the budget, the master seed and its own path."""

    budget: Budget
    seed: int
    path: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.seed, int) or self.seed < 0:
            raise VerifyError(f"seed must be a non-negative integer, got {self.seed!r}")

    def child(self, *names: str) -> RunContext:
        return RunContext(self.budget, self.seed, self.path + names)

    @property
    def seed_sequence(self) -> np.random.SeedSequence:
        """SeedSequence(seed, spawn_key = stable keys of the path): replayable per check."""
        return np.random.SeedSequence(self.seed, spawn_key=tuple(stable_key(p) for p in self.path))

    def rng(self, *names: str) -> np.random.Generator:
        return np.random.default_rng(self.child(*names).seed_sequence)
