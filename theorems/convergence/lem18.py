"""CONV-Lem18: identity initialization and a symmetric target keep the layers equal and
co-diagonal with the target.

Arora, Cohen, Golowich and Hu, "A Convergence Analysis of Gradient Descent for Deep Linear
Neural Networks", App. D.7 (proof of Claim 5), Lemma 18 (= Bartlett et al. 2018, Lemma 6).

Statement (``STATEMENT``): W_j(0) = I_d for all j, Phi = U D U^T symmetric, GD with any
learning rate: for each t >= 0 there is a diagonal D^(t) with W_j(t) = U D^(t) U^T for all j.

Derivation (symbolic check): if W_j = U D^ U^T for every j, the layer gradient
W_{j+1:N}^T (W_{1:N} - Phi) W_{1:j-1}^T is U D^^{N-1} (D^^N - D) U^T, the same for every j,
so the step gives U (D^ - eta D^^{N-1} (D^^N - D)) U^T: by induction from D^(0) = I the claim
holds for every t, every d, N >= 1, eta (any sign even) and any eigenbasis U (repeated or zero
eigenvalues included). Sympy derives the step from the loss entrywise (d = 2, N = 2, 3, U a
rational rotation).

Trials and search: Phi = U diag(lambda) U^T with a rational orthogonal U (Cayley transform
of a rational skew matrix), d in {1, 2, 3}, N in {1, ..., 5}, eta in [1e-6, 1e6] (log scale),
eigenvalues in [-2, 2] (coinciding and zero ones sampled); STEPS exact rational GD steps
(``networks.gd_step``, FMPQ backend): every W_j(t) equals W_1(t) and U^T W_1(t) U is
diagonal, exactly.

Verdict: holds (certified exactly for the steps run, all t by the symbolic induction).
Mutant ``non-symmetric``: Phi = U diag(lambda) U^T + K with K skew (so not symmetric), and the
conclusion weakened to "all layers stay equal": false from t = 2 (N >= 2), since W_1(1) is not
symmetric and W_{j+1:N}^T R W_{1:j-1}^T then depends on j.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import flint
import numpy as np
import sympy as sp

from theorems.convergence.lem17 import largest, trajectory
from theorems.papers import CONV
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core.hp import FMPQ
from verify.core.hp_linalg import identity
from verify.domain import Batch, Domain, Instance, Integer, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "If  $W_1(0), \\dots, W_N(0)$  are all initialized to identity,  $\\Phi$  is symmetric,  "
    "$\\Phi = UDU^\\top$  is a diagonalization of  $\\Phi$ , and gradient descent is performed "
    "with any learning rate, then for each  $t \\geq 0$  there is a diagonal matrix  "
    "$\\hat{D}(t)$  such that  $W_j(t) = U\\hat{D}(t)U^\\top$  for each  $1 \\leq j \\leq N$ ."
)

STEPS = 3
"""Exact GD steps checked (t = 0..STEPS)."""

TOLERANCE = Tolerance(rtol=0.0, atol=0.0)


def cayley(s: list[Fraction], d: int) -> flint.fmpq_mat:
    """The rational orthogonal (I - S)(I + S)^{-1}, S skew with upper entries s (d <= 3)."""
    S = flint.fmpq_mat(d, d)
    pairs = [(i, j) for i in range(d) for j in range(i + 1, d)]
    for (i, j), v in zip(pairs, s, strict=False):
        S[i, j], S[j, i] = FMPQ.scalar(v), -FMPQ.scalar(v)
    eye = identity(d)
    return (eye - S) * (eye + S).inv()


def target(lam: list[Fraction], s: list[Fraction], d: int,
           skew: list[Fraction] | None = None) -> tuple[flint.fmpq_mat, flint.fmpq_mat]:
    """(U, Phi = U diag(lam) U^T [+ K]) exactly; K is the skew matrix of ``skew``."""
    U = cayley(s, d)
    D = flint.fmpq_mat(d, d)
    for i in range(d):
        D[i, i] = FMPQ.scalar(lam[i])
    Phi = U * D * U.transpose()
    if skew is not None:
        K = cayley(skew, d) - cayley(skew, d).transpose()
        Phi = Phi + K
    return U, Phi


def identity_run(Phi: flint.fmpq_mat, N: int, eta: Fraction, steps: int) -> list[list]:
    """Layers at t = 0..steps of exact GD from W_j(0) = I on 1/2 ||W_{1:N} - Phi||_F^2."""
    d = Phi.nrows()
    start = [identity(d) for _ in range(N)]
    phi = np.array([[Fraction(int(Phi[i, j].p), int(Phi[i, j].q)) for j in range(d)]
                    for i in range(d)], dtype=object)
    return [start, *trajectory(start, FMPQ.scalar(eta), steps, FMPQ, phi)]


@dataclass(frozen=True)
class Reading:
    """``symmetric``: Phi as printed (else a skew part is added and only equality of the
    layers is claimed)."""

    symmetric: bool = True


PRINTED = Reading()


def _instance_args(instance: Instance) -> tuple | None:
    d, N = instance["d"], instance["N"]
    eta = Fraction(instance["eta"])
    if eta <= 0 or N < 1 or d < 1:
        return None
    lam = [Fraction(v) for v in instance["lam"]][:d]
    s = [Fraction(v) for v in instance["s"]]
    return d, N, eta, tuple(lam), tuple(s)


@cache
def lemma_excess(d: int, N: int, eta: Fraction, lam: tuple, s: tuple,
                 reading: Reading) -> flint.fmpq:
    """Max over t = 0..STEPS of (||W_j - W_1||^2 summed + off-diagonal mass of U^T W_1 U)
    / (1 + ||W_1||^2): zero exactly when the lemma's conclusion holds."""
    skew = None if reading.symmetric else [Fraction(1, 2), *s[1:]]
    U, Phi = target(list(lam), list(s), d, skew)
    out = []
    for layers in identity_run(Phi, N, eta, STEPS):
        first = layers[0]
        defect = sum((FMPQ.sum_squares(w - first) for w in layers[1:]), flint.fmpq(0))
        if reading.symmetric:
            M = U.transpose() * first * U
            defect += sum((M[i, j] ** 2 for i in range(d) for j in range(d) if i != j),
                          flint.fmpq(0))
        out.append(defect / (1 + FMPQ.sum_squares(first)))
    return largest(out)


def _domain() -> Domain:
    """d in {1, 2, 3}, N in {1, ..., 5}, eta in [1e-6, 1e6] (log), eigenvalues lam in [-2, 2]
    (the first d entries), Cayley parameters s in [-2, 2]^3."""
    return Domain(variables=(Integer("d", 1, 3), Integer("N", 1, 5),
                             Real("eta", 1e-6, 1e6, log=True), Vector("lam", 3, -2.0, 2.0),
                             Vector("s", 3, -2.0, 2.0)))


def _margin(reading: Reading) -> Callable[[Batch], tuple[np.ndarray, np.ndarray]]:
    """Float tier: the exact computation, rounded (float64 GD overflows at large eta)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        n = len(batch["eta"])
        out = np.empty(n)
        for i in range(n):
            args = _instance_args({"d": batch["d"], "N": batch["N"], "eta": batch["eta"][i],
                                   "lam": batch["lam"][i], "s": batch["s"][i]})
            value = lemma_excess(*args, reading)
            out[i] = int(value.p) / int(value.q)
        return out, np.ones(n)

    return margin


def _margin_hp(reading: Reading) -> Callable[[Instance, int], tuple | None]:
    def margin_hp(instance: Instance, digits: int) -> tuple | None:
        args = _instance_args(instance)
        return None if args is None else (lemma_excess(*args, reading), flint.fmpq(1))

    return margin_hp


def prop(reading: Reading) -> Property:
    return Property(_domain(), _margin(reading), _margin_hp(reading), TOLERANCE, rigorous=True,
                    description="W_j(t) = U D^(t) U^T for all j, t = 0..STEPS (exact)")


def sampler(rng: np.random.Generator, total: int) -> list[Batch]:
    """Per (d, N): eta at decades 1e-6 .. 1e6 or log-uniform; eigenvalues on a grid of
    eighths in [-2, 2] (so coinciding and zero eigenvalues are frequent), Cayley parameters
    in quarters."""
    batches = []
    size = max(1, total // 15)
    for d in (1, 2, 3):
        for N in range(1, 6):
            eta = np.where(rng.random(size) < 0.5, 10.0 ** rng.integers(-6, 7, size),
                           np.exp(rng.uniform(np.log(1e-6), np.log(1e6), size)))
            batches.append({"d": d, "N": N, "eta": eta,
                            "lam": rng.integers(-16, 17, (size, 3)) / 8.0,
                            "s": rng.integers(-8, 9, (size, 3)) / 4.0})
    return batches


# --------------------------------------------------------------------------- symbolic


@cache
def derive_invariance() -> SymbolicOutcome:
    """Sympy, d = 2, N = 2, 3: with W_j = U diag(a, b) U^T (U the rotation
    [[3/5, -4/5], [4/5, 3/5]]; general U are covered by the exact trials), the GD step
    derived entrywise from 1/2 ||W_N ... W_1 - U diag(l1, l2) U^T||^2
    is U diag(a - eta a^(N-1)(a^N - l1), b - eta b^(N-1)(b^N - l2)) U^T for every j."""
    eta, a, b, l1, l2 = sp.symbols("eta a b l1 l2", real=True)
    U = sp.Matrix([[3, -4], [4, 3]]) / 5
    Phi = U * sp.diag(l1, l2) * U.T
    common = U * sp.diag(a, b) * U.T
    ok_all = True
    parts = []
    for N in (2, 3):
        mats = [sp.Matrix(2, 2, sp.symbols(f"m{j}_0:4", real=True)) for j in range(N)]
        W = sp.eye(2)
        for M in mats:
            W = M * W
        loss = sp.Rational(1, 2) * sum(e ** 2 for e in (W - Phi))
        at = {M[i]: common[i] for M in mats for i in range(4)}
        expected = U * sp.diag(a - eta * a ** (N - 1) * (a ** N - l1),
                               b - eta * b ** (N - 1) * (b ** N - l2)) * U.T
        ok = all(sp.expand((M[i] - eta * sp.diff(loss, M[i])).subs(at) - expected[i]) == 0
                 for M in mats for i in range(4))
        ok_all &= ok
        parts.append(f"N = {N} [{'ok' if ok else 'FAILED'}]")
    return SymbolicOutcome(ok_all, "GD step from W_j = U diag(a, b) U^T, all j: "
                           "U diag(a - eta a^(N-1)(a^N - l1), b - eta b^(N-1)(b^N - l2)) U^T; "
                           + ", ".join(parts) + "; with D^(0) = I the induction covers all t")


CLAIM = Claim(
    id="CONV-Lem18",
    paper=CONV,
    location="App. D.7 (proof of Claim 5), Lemma 18 (Bartlett et al. 2018, Lemma 6)",
    statement=STATEMENT,
    variants=(
        Variant("as-printed",
                "identity init, Phi = U diag(lam) U^T (rational orthogonal U), any eta > 0: "
                "W_j(t) = W_1(t) and U^T W_1(t) U diagonal, t = 0..STEPS, exactly",
                (symbolic("invariance", derive_invariance),
                 trials("identity-init", prop(PRINTED), sampler=sampler, count=120),
                 search("identity-init-search", prop(PRINTED), evaluations=800)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:non-symmetric",
                "Phi not symmetric (a skew part added); conclusion weakened to 'the layers stay "
                "equal'", (trials("identity-init", prop(Reading(symmetric=False)),
                                  sampler=sampler, count=120),
                           search("identity-init-search", prop(Reading(symmetric=False)),
                                  evaluations=800)),
                expected=Verdict.REFUTED),
    ),
    notes=("Holds for every d, N >= 1 and eta (the evenness of N is not needed). 'supported' "
           "only because search checks never certify; the trials are exact certificates."),
)
