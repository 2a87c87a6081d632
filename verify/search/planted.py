"""Planted statements: false ones the search must refute from scratch, true ones with tight
constants it must not refute. ``hit_rate_table()`` runs them and prints the hit rates.

Each planted statement is a :class:`verify.domain.Property` with a float64 margin and a
high-precision one (exact rationals and python-flint where the statement is rational or
discrete, mpmath singular values/eigenvalues at the budget's digits otherwise). Run
``python -m verify.search.planted [budget] [seeds]`` for the table.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from fractions import Fraction

import flint
import mpmath
import numpy as np

from verify.budget import RunContext, get_budget
from verify.domain import Domain, Instance, Integer, Matrix, Property, Real
from verify.results import CheckResult
from verify.search.engine import run
from verify.verdicts import Verdict

# --------------------------------------------------------------------------- helpers


def _mpf(x: Fraction) -> mpmath.mpf:
    return mpmath.mpf(x.numerator) / x.denominator


def _mp_matrix(arr: np.ndarray) -> mpmath.matrix:
    return mpmath.matrix([[_mpf(Fraction(x)) for x in row] for row in arr])


def _singular_values(arr: np.ndarray, digits: int) -> list[mpmath.mpf]:
    """Singular values, largest first, at ``digits`` (+10 guard) digits."""
    with mpmath.workdps(digits + 10):
        values = mpmath.svd_r(_mp_matrix(arr), compute_uv=False)
        return sorted((values[i] for i in range(values.rows)), reverse=True)


def _fmpq_mat(arr: np.ndarray) -> flint.fmpq_mat:
    rows, cols = arr.shape
    return flint.fmpq_mat(rows, cols, [flint.fmpq(Fraction(x).numerator, Fraction(x).denominator)
                                       for x in arr.ravel()])


def _sq_norm(arr: np.ndarray) -> Fraction:
    return sum((x * x for x in arr.ravel()), Fraction(0))


def _square_box(n: int | str = 3, *names: str) -> tuple[Matrix, ...]:
    return tuple(Matrix(name, n, n) for name in names)


# --------------------------------------------------------------------------- false statements


def norm_boundary() -> Property:
    """||A||_2^2 <= 8.9 for 3x3 A with entries in [-1, 1] (max is 9, at the box's corners)."""

    def margin(b):
        s = np.linalg.norm(b["A"], ord=2, axis=(1, 2))
        return s**2 - 8.9, np.full(s.shape, 8.9)

    def margin_hp(inst, digits):
        with mpmath.workdps(digits + 10):
            s = _singular_values(inst["A"], digits)[0]
            return s**2 - _mpf(Fraction(89, 10)), _mpf(Fraction(89, 10))

    return Property(Domain(_square_box(3, "A")), margin, margin_hp,
                    description="||A||^2 <= 8.9 on [-1,1]^{3x3}")


def rank_full() -> Property:
    """rank(A) = 3 for 3x3 A in [-1, 1] with ||A||_F >= 1: false only for singular A."""

    def hypothesis(b):
        return np.sum(b["A"] ** 2, axis=(1, 2)) >= 1

    def margin(b):
        rank = np.linalg.matrix_rank(b["A"])
        return np.where(rank < 3, 1.0, -np.abs(np.linalg.det(b["A"]))), np.ones(rank.shape)

    def margin_hp(inst, digits):
        a = inst["A"]
        if _sq_norm(a) < 1:
            return None
        m = _fmpq_mat(a)
        if m.rank() < 3:
            return Fraction(1), Fraction(1)
        det = m.det()
        return -abs(Fraction(int(det.p), int(det.q))), Fraction(1)

    return Property(Domain(_square_box(3, "A"), hypothesis=hypothesis), margin, margin_hp,
                    rigorous=True, description="rank(A) = 3 when ||A||_F >= 1")


def distinct_singular_values() -> Property:
    """The singular values of a 3x3 A in [-1, 1] with |det A| >= 1/8 are distinct: false
    only when two coincide exactly."""

    def hypothesis(b):
        return np.abs(np.linalg.det(b["A"])) >= 0.125

    def margin(b):
        s = np.linalg.svd(b["A"], compute_uv=False)
        gap = np.min(s[:, :-1] - s[:, 1:], axis=1) / np.maximum(s[:, 0], 1e-300)
        return np.where(gap <= 1e-12, 1.0, -gap), np.ones(gap.shape)

    def margin_hp(inst, digits):
        a = inst["A"]
        m = _fmpq_mat(a)
        det = m.det()
        if abs(Fraction(int(det.p), int(det.q))) < Fraction(1, 8):
            return None
        p = (m.transpose() * m).charpoly()
        if p.gcd(p.derivative()).degree() > 0:
            return Fraction(1), Fraction(1)
        with mpmath.workdps(digits + 10):
            s = _singular_values(a, digits)
            return -min(s[0] - s[1], s[1] - s[2]) / s[0], mpmath.mpf(1)

    return Property(Domain(_square_box(3, "A"), hypothesis=hypothesis), margin, margin_hp,
                    description="distinct singular values when |det A| >= 1/8")


def _frobenius_ball(b):
    norm = np.sqrt(np.sum(b["X"] ** 2, axis=(1, 2)))
    factor = np.where(norm > 1, (1 - 1e-12) / np.maximum(norm, 1e-300), 1.0)
    return {**b, "X": b["X"] * factor[:, None, None]}


def descent_step(eta_low: float, eta_high: float) -> Property:
    """One gradient step on L(W) = 1/2 ||W X - Y||_F^2 with ||X||_F <= 1 does not increase L
    for eta in [eta_low, eta_high]: true for [0, 2] (tight at 2), false for any eta < 0."""

    def loss(w, x, y):
        r = w @ x - y
        return 0.5 * np.sum(r**2, axis=(-2, -1)), r

    def margin(b):
        w, x, y, eta = b["W"], b["X"], b["Y"], b["eta"]
        before, r = loss(w, x, y)
        after, _ = loss(w - eta[:, None, None] * (r @ np.swapaxes(x, -1, -2)), x, y)
        return after - before, before

    def margin_hp(inst, digits):
        w, x, y, eta = inst["W"], inst["X"], inst["Y"], inst["eta"]
        if _sq_norm(x) > 1:
            return None
        r = w @ x - y
        g = r @ x.T
        before = _sq_norm(r) / 2
        after = _sq_norm((w - eta * g) @ x - y) / 2
        return after - before, before

    variables = (Real("eta", eta_low, eta_high), *_square_box(2, "W", "X", "Y"))
    return Property(Domain(variables, repair=_frobenius_ball), margin, margin_hp, rigorous=True,
                    description=f"GD step does not increase the loss, eta in "
                                f"[{eta_low}, {eta_high}]")


def gradient_identity(factor: int) -> Property:
    """d/de L(W1 + e E) at 0 equals factor * <W2^T R X^T, E>, L = 1/2 ||W2 W1 X - Y||_F^2,
    R = W2 W1 X - Y: true for factor 1, false by a constant factor otherwise."""

    def parts(b, xp):
        w1, w2, x, y, e = b["W1"], b["W2"], b["X"], b["Y"], b["E"]
        tr = (lambda m: np.swapaxes(m, -1, -2)) if xp is np else (lambda m: m.T)
        sq = (lambda m: np.sum(m**2, axis=(-2, -1))) if xp is np else _sq_norm

        def loss(w):
            return sq(w2 @ w @ x - y) / 2

        lhs = (loss(w1 + e) - loss(w1 - e)) / 2
        grad = tr(w2) @ (w2 @ w1 @ x - y) @ tr(x)
        inner = np.sum(grad * e, axis=(-2, -1)) if xp is np else \
            sum((g * v for g, v in zip(grad.ravel(), e.ravel(), strict=True)), Fraction(0))
        return lhs, factor * inner

    def margin(b):
        lhs, rhs = parts(b, np)
        return np.abs(lhs - rhs), np.abs(lhs) + np.abs(rhs)

    def margin_hp(inst, digits):
        lhs, rhs = parts(inst, None)
        return abs(lhs - rhs), abs(lhs) + abs(rhs)

    variables = (Integer("d", 1, 3), Matrix("W1", "d", 2), Matrix("W2", 2, "d"),
                 Matrix("X", 2, 2), Matrix("Y", 2, 2), Matrix("E", "d", 2))
    return Property(Domain(variables), margin, margin_hp, rigorous=True,
                    description=f"directional derivative = {factor} <grad, E>")


def stability(eta_high: float) -> Property:
    """||I - eta A^T A||_2 <= 1 for 2x2 A in [-1, 1] and eta in (0, eta_high]: true for
    eta_high = 1/2 (tight at A = all ones), false just beyond, only near that corner."""

    def margin(b):
        a, eta = b["A"], b["eta"]
        m = np.eye(2) - eta[:, None, None] * (np.swapaxes(a, -1, -2) @ a)
        return np.max(np.abs(np.linalg.eigvalsh(m)), axis=1) - 1.0, np.ones(eta.shape)

    def margin_hp(inst, digits):
        a, eta = inst["A"], inst["eta"]
        m = np.eye(2, dtype=object) * Fraction(1) - eta * (a.T @ a)
        with mpmath.workdps(digits + 10):
            eigs = mpmath.eigsy(_mp_matrix(m), eigvals_only=True)
            return max(abs(eigs[i]) for i in range(2)) - 1, mpmath.mpf(1)

    variables = (Real("eta", 0.0, eta_high, open_low=True), *_square_box(2, "A"))
    return Property(Domain(variables), margin, margin_hp,
                    description=f"||I - eta A^T A|| <= 1 for eta in (0, {eta_high}]")


INTERIOR_CENTRE = np.array([[0.3137, -0.5821, 0.0442], [0.7304, 0.1968, -0.4473],
                            [-0.2659, 0.6391, 0.5015]])


def interior_bump() -> Property:
    """||A - M||_F^2 >= 1/400 for 3x3 A in [-1, 1] and a fixed generic M: false only in a
    small ball around M, away from boundaries and structure (optimisation territory)."""
    centre = np.vectorize(lambda x: Fraction(str(x)), otypes=[object])(INTERIOR_CENTRE)

    def margin(b):
        sq = np.sum((b["A"] - INTERIOR_CENTRE) ** 2, axis=(1, 2))
        return 1 / 400 - sq, np.full(sq.shape, 1 / 400)

    def margin_hp(inst, digits):
        return Fraction(1, 400) - _sq_norm(inst["A"] - centre), Fraction(1, 400)

    return Property(Domain(_square_box(3, "A")), margin, margin_hp, rigorous=True,
                    description="||A - M||_F >= 1/20 for a generic M")


# --------------------------------------------------------------------------- true statements


def weyl_sigma_min(constant: float = 1.0) -> Property:
    """sigma_min(A + B) >= sigma_min(A) - c ||B||_2 for 3x3 A, B in [-1, 1]: true and tight
    for c = 1 (Weyl), false for c < 1 when B pushes against A's smallest singular pair."""

    def margin(b):
        sa = np.linalg.svd(b["A"], compute_uv=False)
        sb = np.linalg.svd(b["B"], compute_uv=False)
        sab = np.linalg.svd(b["A"] + b["B"], compute_uv=False)
        return sa[:, -1] - constant * sb[:, 0] - sab[:, -1], sa[:, 0] + sb[:, 0]

    def margin_hp(inst, digits):
        with mpmath.workdps(digits + 10):
            sa = _singular_values(inst["A"], digits)
            sb = _singular_values(inst["B"], digits)
            sab = _singular_values(inst["A"] + inst["B"], digits)
            c = _mpf(Fraction(str(constant)))
            return sa[-1] - c * sb[0] - sab[-1], sa[0] + sb[0]

    return Property(Domain(_square_box(3, "A", "B")), margin, margin_hp,
                    description=f"sigma_min(A + B) >= sigma_min(A) - {constant} ||B||")


def norm_corner() -> Property:
    """||A||_2^2 <= 9 for 3x3 A in [-1, 1]: true, with equality at rank-one sign matrices."""

    def margin(b):
        s = np.linalg.norm(b["A"], ord=2, axis=(1, 2))
        return s**2 - 9.0, np.full(s.shape, 9.0)

    def margin_hp(inst, digits):
        with mpmath.workdps(digits + 10):
            s = _singular_values(inst["A"], digits)[0]
            return s**2 - 9, mpmath.mpf(9)

    return Property(Domain(_square_box(3, "A")), margin, margin_hp,
                    description="||A||^2 <= 9 on [-1,1]^{3x3}")


def rank_product() -> Property:
    """rank(AB) <= min(rank A, rank B) for 3x3 A, B in [-1, 1] (exact ranks)."""

    def margin(b):
        rank = np.linalg.matrix_rank
        excess = rank(b["A"] @ b["B"]) - np.minimum(rank(b["A"]), rank(b["B"]))
        return excess.astype(float), np.ones(excess.shape)

    def margin_hp(inst, digits):
        a, bm = _fmpq_mat(inst["A"]), _fmpq_mat(inst["B"])
        return Fraction((a * bm).rank() - min(a.rank(), bm.rank())), Fraction(1)

    return Property(Domain(_square_box(3, "A", "B")), margin, margin_hp, rigorous=True,
                    description="rank(AB) <= min(rank A, rank B)")


def submultiplicative() -> Property:
    """||AB||_2 <= ||A||_2 ||B||_2 for n x n A, B in [-1, 1], n = 1..4 (tight when aligned)."""

    def margin(b):
        norm = lambda m: np.linalg.norm(m, ord=2, axis=(1, 2))  # noqa: E731
        bound = norm(b["A"]) * norm(b["B"])
        return norm(b["A"] @ b["B"]) - bound, bound

    def margin_hp(inst, digits):
        with mpmath.workdps(digits + 10):
            bound = _singular_values(inst["A"], digits)[0] * _singular_values(inst["B"], digits)[0]
            return _singular_values(inst["A"] @ inst["B"], digits)[0] - bound, bound

    variables = (Integer("n", 1, 4), *_square_box("n", "A", "B"))
    return Property(Domain(variables), margin, margin_hp, description="||AB|| <= ||A|| ||B||")


# --------------------------------------------------------------------------- the suite


@dataclass(frozen=True)
class Planted:
    """A planted statement; ``false`` ones must be refuted, true ones must not."""

    name: str
    kind: str
    prop: Property
    false: bool


def planted_suite() -> list[Planted]:
    """Every planted statement, false ones first."""
    return [
        Planted("norm-boundary", "boundary of the entry box", norm_boundary(), True),
        Planted("rank-deficient", "false only for singular inputs", rank_full(), True),
        Planted("repeated-singular-values", "false only when two singular values coincide",
                distinct_singular_values(), True),
        Planted("step-sign", "false only for a negative step size",
                descent_step(-0.25, 1.0), True),
        Planted("gradient-factor-2", "identity false by a constant factor",
                gradient_identity(2), True),
        Planted("stability-edge", "false only at the edge of the parameter range and box",
                stability(0.51), True),
        Planted("weyl-0.9", "constant 10 % too strong, needs alignment", weyl_sigma_min(0.9),
                True),
        Planted("interior-bump", "false only near a generic interior point", interior_bump(),
                True),
        Planted("weyl-sigma-min", "tight inequality (Weyl)", weyl_sigma_min(), False),
        Planted("norm-corner", "tight at the box's corners", norm_corner(), False),
        Planted("descent-lemma", "tight at eta = 2", descent_step(0.0, 2.0), False),
        Planted("stability", "tight at eta = 1/2 and the corner", stability(0.5), False),
        Planted("rank-product", "discrete, float rank can mislead", rank_product(), False),
        Planted("gradient-identity", "exact identity", gradient_identity(1), False),
        Planted("submultiplicative", "tight when aligned", submultiplicative(), False),
    ]


def run_planted(planted: Planted, budget: str = "standard", seed: int = 0,
                **options: object) -> CheckResult:
    """Run the search on one planted statement (``options`` as for the search check)."""
    ctx = RunContext(get_budget(budget), seed, (f"PLANTED-{planted.name}", "as-printed",
                                                "search"))
    return run("search", planted.prop, ctx, **options)


def correct(planted: Planted, result: CheckResult) -> bool:
    """False statements must be refuted, true ones must not be."""
    return (result.verdict is Verdict.REFUTED) == planted.false


def hit_rate_table(budget: str = "standard", seeds: tuple[int, ...] = (0, 1, 2, 3, 4)) -> str:
    """A Markdown table of the search's verdicts and run times over ``seeds``, with a
    uniform-sampling baseline that spends the same budget on ``sampling`` alone."""
    lines = [f"Planted suite, budget {budget}, seeds {', '.join(map(str, seeds))}.", "",
             "| statement | kind | truth | refuted | found by | mean time (s) | "
             "uniform-only baseline refuted |",
             "|---|---|---|---|---|---|---|"]
    hits = total = 0
    for planted in planted_suite():
        refuted = baseline = 0
        stages: list[str] = []
        verdicts: list[str] = []
        times = []
        for seed in seeds:
            start = time.perf_counter()
            result = run_planted(planted, budget, seed)
            times.append(time.perf_counter() - start)
            verdicts.append(result.verdict.value)
            if result.verdict is Verdict.REFUTED:
                refuted += 1
                stages.append(result.counterexample["stage"])
            hits += correct(planted, result)
            total += 1
            base = run_planted(planted, budget, seed, stages=("sampling",))
            baseline += base.verdict is Verdict.REFUTED
        truth = "false" if planted.false else "true"
        shown = ", ".join(sorted(set(stages))) or ", ".join(sorted(set(verdicts)))
        lines.append(f"| {planted.name} | {planted.kind} | {truth} | {refuted}/{len(seeds)} | "
                     f"{shown} | {np.mean(times):.2f} | {baseline}/{len(seeds)} |")
    lines += ["", f"correct verdicts: {hits}/{total} (false statements refuted, true ones not)"]
    return "\n".join(lines)


def describe_counterexample(result: CheckResult) -> Instance | None:
    """The counterexample's inputs as readable strings (for printing)."""
    if result.counterexample is None:
        return None
    return {k: v["value"] for k, v in result.counterexample["inputs"].items()}


if __name__ == "__main__":
    args = sys.argv[1:]
    print(hit_rate_table(args[0] if args else "standard",
                         tuple(range(int(args[1]))) if len(args) > 1 else (0, 1, 2, 3, 4)))
