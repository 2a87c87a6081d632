"""INIT-Cor7 (seed 004): the module's helpers. Verdicts, replay and the statement quote are
checked for every claim by tests/test_claim_verdicts.py and tests/test_claim_statements.py."""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any

import mpmath
import numpy as np
import pytest

from theorems.initialization import cor7, lem5
from verify import linalg_exact as lx
from verify.claims import registry

CLAIM = registry().get("INIT-Cor7")


@pytest.mark.parametrize("size", cor7.SYMBOLIC_SIZES)
def test_derivation_steps_hold(size: tuple[int, int]) -> None:
    assert all(cor7.derivation(*size).values())


def test_finite_time_runs_reach_a_bi_optimal_limit() -> None:
    for inst in cor7.finite_time_instances():
        run = cor7.finite_time_run(inst, "printed")
        assert run is not None and run["parts"] == [0, 0, 0]
        assert run["proof"]["x_inf"] == 0 and run["proof"]["x_0"] > 0
        wrong = cor7.finite_time_run(inst, "w-transposed")
        assert wrong["parts"][:2] == [0, 0] and wrong["parts"][2] > 0


def _instance() -> dict[str, Any]:
    obj = lambda rows: np.array(rows, dtype=object)  # noqa: E731
    return {"A": obj([[F(1), F(2), F(0)], [F(0), F(1), F(-1)]]), "b": obj([F(1), F(-2)]),
            "x0": obj([F(1), F(-1, 2), F(3)]), "alpha": F(1, 8),
            "Z0": obj([[F(1), F(0), F(2)], [F(-1), F(1), F(0)]]),
            "u": obj([F(1), F(0), F(0)])}


@pytest.mark.parametrize(("start", "failing"), [("rank-one", []), ("range", [2, 3]),
                                                 ("any-rank-one", [1, 3])])
def test_which_statements_fail_at_each_start(start: str, failing: list[int]) -> None:
    inst = _instance()
    s = lem5.exact_setting(inst)
    W = cor7.limit_exact(s, inst, start)
    (_, _), (W1, x1) = lem5.exact_run(s, W, s["x0"], steps=1)
    assert W1 == W and x1 == s["x0"]
    parts, _ = cor7.statements_exact(s["A"], s["b"], W, s["x0"], "printed")
    assert [i + 1 for i, e in enumerate(parts) if e != 0] == failing


def test_float_and_mpmath_statements_agree_with_exact() -> None:
    inst = _instance()
    s = lem5.exact_setting(inst)
    batch = {k: np.asarray(v, dtype=float)[None] for k, v in inst.items() if k != "alpha"}
    for start in ("rank-one", "range"):
        W = cor7.limit_exact(s, inst, start)
        Wf = cor7.limit_float(batch, start)
        assert np.allclose(Wf[0], np.array(lx.to_fractions(W), dtype=float))
        parts, _ = cor7.statements_exact(s["A"], s["b"], W, s["x0"], "printed")
        exact = sum(float(e) ** 0.5 for e in parts)
        total, _ = cor7.statements_float(batch["A"], batch["b"], Wf, batch["x0"], "printed")
        with mpmath.workdps(40):
            mp = lambda M: mpmath.matrix([[mpmath.mpf(e.numerator) / e.denominator  # noqa: E731
                                           for e in row] for row in lx.to_fractions(M)])
            hp, _ = cor7.statements_mp(mp(s["A"]), mp(s["b"]), mp(W), mp(s["x0"]), "printed",
                                       mpmath.mpf(10) ** -30)
        assert abs(total[0] - exact) < 1e-9 and abs(float(hp) - exact) < 1e-9
