"""CONV-Claim5: without a deficiency margin, a 0-balanced initialization can fail for every
learning rate.

Arora, Cohen, Golowich and Hu, "A Convergence Analysis of Gradient Descent for Deep Linear
Neural Networks", App. C (Claim 5, footnote 11); proof in App. D.7 (Lemma 18).

The proof's construction: Phi symmetric with an eigenvalue -mu < 0, W_j(0) = I_d. Then the
initialization is 0-balanced (W_{j+1}^T W_{j+1} = W_j W_j^T = I), non-stationary (every layer
gradient is I - Phi != 0), and by Lemma 18 W_{1:N}(t) = U D^(t)^N U^T, so for N even
l(t) = 1/2 sum_i (D^_i(t)^N - lambda_i)^2 >= 1/2 (D^_1(t)^N + mu)^2 >= mu^2 / 2 since
D^_1(t)^N >= 0. (The paper prints ||D^(t)^L - D||_F: L is a typo for N.)

Checks: symbolic (the last inequality for even N, and the non-stationarity gradient at the
identity); exact trials and search over d in {1, 2, 3}, N in {2, 4, 6}, eta in [1e-6, 1e6]
(log scale), mu in (0, 2], the other eigenvalues in [-2, 2] (zero, repeated and negative ones
included) and rational orthogonal eigenbases: 0-balancedness and non-stationarity at t = 0 and
l(t) >= mu^2 / 2 for t = 0..steps(N) in exact rationals (``networks.gd_step``, FMPQ backend);
Lemma 18 (CONV-Lem18) and the symbolic bound extend it to all t.

Verdict: holds (``as-printed`` supported; the trials certify exactly). Mutant ``odd-depth``:
the same construction with N odd, where D^_1(t)^N can reach -mu (N = 1, eta = 1: W(1) = Phi).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from itertools import pairwise

import flint
import numpy as np
import sympy as sp

from theorems.convergence.lem17 import excess_le, largest
from theorems.convergence.lem18 import identity_run, target
from theorems.papers import CONV
from verify.checks import SymbolicOutcome, search, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import networks as nw
from verify.core.hp import FMPQ
from verify.core.hp_linalg import identity
from verify.domain import Batch, Domain, Instance, Integer, Property, Real, Vector
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "Consider a network whose depth  $N$  is even, and whose input, output and hidden "
    "dimensions  $d_0, \\dots, d_N$  are all equal to some  $d \\in \\mathbb{N}$ . Then, there "
    "exist target matrices  $\\Phi$  for which there are non-stationary initializations  "
    "$W_1(0), \\dots, W_N(0)$  that are 0-balanced, and yet lead gradient descent, under any "
    "learning rate, to fail — objective will never go beneath a positive constant."
)

TOLERANCE = Tolerance(rtol=0.0, atol=0.0)


def steps(N: int) -> int:
    """Exact GD steps checked: 3, or 2 for N >= 5 (the rationals grow like (2N-1)^t bits)."""
    return 3 if N <= 4 else 2


@dataclass(frozen=True)
class Reading:
    """``odd``: the construction at odd depth (mutant)."""

    odd: bool = False


PRINTED = Reading()


@cache
def claim_excess(d: int, N: int, eta: Fraction, mu: Fraction, lam: tuple, s: tuple) -> flint.fmpq:
    """Max of: the balancedness defect and minus the stationarity gap at t = 0, and
    mu^2/2 <= l(t) for t = 0..steps(N), each normalised (exact)."""
    _, Phi = target([-mu, *lam[: d - 1]], list(s), d)
    runs = identity_run(Phi, N, eta, steps(N))
    start = runs[0]
    balance = sum((FMPQ.sum_squares(v.transpose() * v - w * w.transpose())
                   for w, v in pairwise(start)), flint.fmpq(0))
    moving = FMPQ.sum_squares(identity(d) - Phi)
    loss = nw.WhitenedLoss(np.array([[Fraction(int(Phi[i, j].p), int(Phi[i, j].q))
                                      for j in range(d)] for i in range(d)], dtype=object))
    floor = FMPQ.scalar(mu * mu / 2)
    excesses = [balance, -moving / (1 + moving)]
    for layers in runs:
        excesses.append(excess_le(floor, loss.value(nw.end_to_end(layers, FMPQ), FMPQ)))
    return largest(excesses)


def _domain(reading: Reading) -> Domain:
    """d in {1, 2, 3}; N even in {2, 4, 6} (odd in {1, 3, 5} for the mutant); eta in
    [1e-6, 1e6] (log); mu in (0, 2]; the other eigenvalues lam (first d - 1 entries) in
    [-2, 2]; Cayley parameters s in [-2, 2]^3."""
    parity = 1 if reading.odd else 0
    return Domain(variables=(Integer("d", 1, 3), Integer("N", 1, 6),
                             Real("eta", 1e-6, 1e6, log=True), Real("mu", 0.0, 2.0, open_low=True),
                             Vector("lam", 2, -2.0, 2.0), Vector("s", 3, -2.0, 2.0)),
                  dims_ok=lambda dims: dims["N"] % 2 == parity)


def _args(instance: Instance) -> tuple | None:
    d, N = instance["d"], instance["N"]
    eta, mu = Fraction(instance["eta"]), Fraction(instance["mu"])
    if eta <= 0 or mu <= 0 or d < 1 or N < 1:
        return None
    return (d, N, eta, mu, tuple(Fraction(v) for v in instance["lam"]),
            tuple(Fraction(v) for v in instance["s"]))


def _margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """Float tier: the exact computation, rounded (float64 GD overflows at large eta)."""
    n = len(batch["eta"])
    out = np.empty(n)
    for i in range(n):
        value = claim_excess(*_args({k: (v[i] if isinstance(v, np.ndarray) else v)
                                     for k, v in batch.items()}))
        out[i] = int(value.p) / int(value.q)
    return out, np.ones(n)


def _margin_hp(instance: Instance, digits: int) -> tuple | None:
    args = _args(instance)
    return None if args is None else (claim_excess(*args), flint.fmpq(1))


def prop(reading: Reading) -> Property:
    return Property(_domain(reading), _margin, _margin_hp, TOLERANCE, rigorous=True,
                    description="0-balanced, non-stationary, l(t) >= mu^2/2 (exact)")


def sampler(reading: Reading) -> Callable[[np.random.Generator, int], list[Batch]]:
    """Per (d, N): eta at decades (1 included) or log-uniform, mu and lam on grids of eighths
    (zero, repeated and negative eigenvalues frequent), Cayley parameters in quarters; for odd
    depth also N = 1, eta = 1 (one step lands on Phi)."""

    def sample(rng: np.random.Generator, total: int) -> list[Batch]:
        batches = []
        size = max(1, total // 9)
        for d in (1, 2, 3):
            for N in ((1, 3, 5) if reading.odd else (2, 4, 6)):
                eta = np.where(rng.random(size) < 0.5, 10.0 ** rng.integers(-6, 7, size),
                               np.exp(rng.uniform(np.log(1e-6), np.log(1e6), size)))
                batches.append({"d": d, "N": N, "eta": eta,
                                "mu": rng.integers(1, 17, size) / 8.0,
                                "lam": rng.integers(-16, 17, (size, 2)) / 8.0,
                                "s": rng.integers(-8, 9, (size, 3)) / 4.0})
        if reading.odd:
            batches.append({"d": 1, "N": 1, "eta": np.ones(1), "mu": np.ones(1),
                            "lam": np.zeros((1, 2)), "s": np.zeros((1, 3))})
        return batches

    return sample


def derive_bound() -> SymbolicOutcome:
    """Sympy: for N = 2, 4, 6, (x^N + mu)^2 - mu^2 = y^2 (y^2 + 2 mu) with y = x^(N/2), >= 0;
    and the layer gradient at W_j = I (d = 2, N = 2, 3, entrywise) is I - Phi."""
    x, mu = sp.symbols("x mu", real=True)
    bound = all(sp.expand((x ** N + mu) ** 2 - mu ** 2
                          - (x ** (N // 2)) ** 2 * ((x ** (N // 2)) ** 2 + 2 * mu)) == 0
                for N in (2, 4, 6))
    p = sp.symbols("p0:4", real=True)
    Phi = sp.Matrix([[p[0], p[1]], [p[1], p[3]]])
    gradient = True
    for N in (2, 3):
        mats = [sp.Matrix(2, 2, sp.symbols(f"m{j}_0:4", real=True)) for j in range(N)]
        W = sp.eye(2)
        for M in mats:
            W = M * W
        loss = sp.Rational(1, 2) * sum(e ** 2 for e in (W - Phi))
        at = {M[i]: sp.eye(2)[i] for M in mats for i in range(4)}
        gradient &= all(sp.expand(sp.diff(loss, M[i]).subs(at) - (sp.eye(2) - Phi)[i]) == 0
                        for M in mats for i in range(4))
    return SymbolicOutcome(bound and gradient,
                           f"(x^N + mu)^2 >= mu^2 for even N [{'ok' if bound else 'FAILED'}]; "
                           f"dL/dW_j at W = I equals I - Phi [{'ok' if gradient else 'FAILED'}]")


def _variant(name: str, description: str, reading: Reading, expected: Verdict) -> Variant:
    p = prop(reading)
    checks = (trials("identity-init", p, sampler=sampler(reading), count=144),
              search("identity-init-search", p, evaluations=800))
    if not reading.odd:
        checks = (symbolic("bound", derive_bound), *checks)
    return Variant(name, description, checks, expected=expected)


CLAIM = Claim(
    id="CONV-Claim5",
    paper=CONV,
    location="App. C (Claim 5, footnote 11); App. D.7, Lemma 18",
    statement=STATEMENT,
    variants=(
        _variant("as-printed",
                 "Phi symmetric with eigenvalue -mu < 0, W_j(0) = I, N even, any eta: "
                 "0-balanced, non-stationary and l(t) >= mu^2/2 (t = 0..steps(N), exact; all t "
                 "by Lemma 18 and the symbolic bound)", PRINTED, Verdict.SUPPORTED),
        _variant("mutant:odd-depth", "the same construction at odd depth N",
                 Reading(odd=True), Verdict.REFUTED),
    ),
    notes=("Typo in App. D.7: ||D^(t)^L - D||_F should read ||D^(t)^N - D||_F. 'supported' only "
           "because search checks never certify; the trials are exact certificates."),
)
