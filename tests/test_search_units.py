"""Units of the search engine: structured sampling, the domain's inverse map and membership,
the tracker, the shrinker's proposals and the budgets."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from verify.budget import BUDGETS
from verify.domain import Domain, Integer, Matrix, Property, Real, Vector, take, to_exact
from verify.search.shrink import cost, fraction_cost
from verify.search.structured import structured_batch
from verify.search.tracker import Tracker
from verify.verdicts import Tolerance

DOMAIN = Domain((
    Integer("n", 2, 3),
    Matrix("A", "n", "n"),
    Matrix("S", "n", "n", structure="symmetric"),
    Matrix("D", "n", 3, low=-0.5, high=2.0, structure="diagonal"),
    Matrix("Q", 3, 3, structure="orthogonal"),
    Matrix("P", 2, 3, structure="psd"),
    Vector("v", "n", low=0.0, high=1.0),
    Real("x", 0.0, 1.0, open_low=True),
    Real("y", 1e-3, 10.0, log=True),
))


@pytest.fixture(scope="module")
def batch():
    return structured_batch(DOMAIN, {"n": 3}, np.random.default_rng(0), 3000)


def test_structured_batch_stays_in_the_domain(batch):
    assert all(DOMAIN.contains(take(batch, i)) for i in range(0, 3000, 7))
    q = batch["Q"]
    assert np.allclose(np.swapaxes(q, 1, 2) @ q, np.eye(3), atol=1e-12)
    assert np.all(np.linalg.eigvalsh(batch["P"]) > -1e-12)
    assert batch["x"].min() > 0


def test_structured_batch_has_special_structure(batch):
    a = batch["A"]
    ranks = np.linalg.matrix_rank(a)
    assert np.mean(ranks < 3) > 0.1
    exact_deficient = sum(to_exact_rank(m) < 3 for m in a[:400])
    assert exact_deficient > 20
    corners = np.all(np.abs(a) == 1.0, axis=(1, 2))
    assert corners.sum() > 30
    s = np.linalg.svd(a, compute_uv=False)
    ties = np.any(s[:, :-1] == s[:, 1:], axis=1) & (s[:, -1] > 0)
    assert ties.sum() > 10
    assert np.any(batch["x"] < 1e-9) and np.any(batch["x"] == 1.0)
    assert np.any(batch["y"] == 1e-3) and np.any(batch["y"] == 10.0)


def to_exact_rank(m: np.ndarray) -> int:
    import flint

    return flint.fmpq_mat(3, 3, [flint.fmpq(*Fraction(x).as_integer_ratio())
                                 for x in m.ravel()]).rank()


def test_to_vector_inverts_from_vector(batch):
    dims = {"n": 3}
    flat = DOMAIN.to_vector(batch, dims)
    low, high = DOMAIN.bounds(dims)
    assert flat.shape == (3000, DOMAIN.vector_size(dims))
    assert np.all((flat >= low) & (flat <= high))
    again = DOMAIN.from_vector(flat, dims)
    for name in ("A", "S", "D", "Q", "v", "x", "y"):
        assert np.allclose(again[name], batch[name], atol=1e-9), name


def test_contains_rejects_out_of_box_and_broken_structure(batch):
    inst = to_exact(take(batch, 0))
    assert DOMAIN.contains(inst)
    bad = dict(inst, A=inst["A"].copy())
    bad["A"][0, 0] = Fraction(3, 2)
    assert not DOMAIN.contains(bad)
    asym = dict(inst, S=inst["S"].copy())
    asym["S"][0, 1] += 1 if asym["S"][0, 1] < 0 else -1
    assert not DOMAIN.contains(asym)
    assert not DOMAIN.contains(dict(inst, x=Fraction(0)))
    assert not DOMAIN.contains(dict(inst, n=4))


def test_tracker_records_best_and_violators():
    domain = Domain((Real("x", -1.0, 1.0),))
    prop = Property(domain, lambda b: (b["x"] - 0.5, np.ones_like(b["x"])),
                    lambda inst, d: (inst["x"] - Fraction(1, 2), Fraction(1)), Tolerance())
    tracker = Tracker(keep=4)
    margins = tracker.evaluate(prop, {"x": np.array([0.0, 0.9, np.nan, 0.6, 0.9])}, "sampling")
    assert margins[2] == -np.inf and margins[1] == pytest.approx(0.4)
    assert tracker.evaluations == 5 and tracker.float_violations == 3
    assert [c.instance["x"] for c in tracker.violators] == [0.9, 0.6]
    assert tracker.clear and tracker.overall_best().margin == pytest.approx(0.4)


def test_costs_prefer_small_dims_and_simple_numbers():
    assert fraction_cost(Fraction(0)) == 0
    assert fraction_cost(Fraction(1)) < fraction_cost(Fraction(1, 2)) < \
        fraction_cost(Fraction(0.1))
    domain = Domain((Integer("n", 1, 3), Matrix("A", "n", "n")))
    small = {"n": 1, "A": np.array([[Fraction(7, 3)]], dtype=object)}
    large = {"n": 2, "A": np.zeros((2, 2), dtype=object) + Fraction(0)}
    assert cost(domain, small) < cost(domain, large)


def test_budgets_document_search_counts():
    assert BUDGETS["quick"].search_evaluations < BUDGETS["standard"].search_evaluations \
        < BUDGETS["thorough"].search_evaluations
    assert all(b.search_restarts >= 1 for b in BUDGETS.values())
    assert "search_evaluations" in BUDGETS["standard"].__doc__


def test_plan_dims_covers_smallest_and_largest():
    from verify.search.engine import PLAN_DIMS, plan_dims

    domain = Domain((Integer("n", 1, 30), Matrix("A", "n", "n")))
    prop = Property(domain, lambda b: (np.zeros(1), np.ones(1)), lambda i, d: None)
    plan = plan_dims(prop, np.random.default_rng(0), None)
    assert len(plan) == PLAN_DIMS
    assert plan[:4] == [{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}] and plan[-1] == {"n": 30}
