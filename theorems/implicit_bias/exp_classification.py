r"""BIAS-ExpClassification: the classification experiment of "A Unifying View on Implicit Bias in
Training Linear Neural Networks" (§6 "Classification", Fig. 3), as printed::

    **Classification.** ... two data points (x_1, y_1) = ([1 2], +1) and (x_2, y_2) = ([0 -3], -1).
    One can check that the max-margin classifiers for this problem are in the same directions to
    the corresponding min-norm solutions in the regression problem above. ... With initial scales
    alpha in {0.01, 0.5, 1}, we run GD with step size eta = 5 x 10^-4 for T = 2 x 10^6
    iterations. All experiments reached L(Theta) <~ 10^-5 at the end. ... the actual
    coefficients are quite dependent on initialization, because we do not train the network all
    the way to zero loss.

Reading and the choices the text leaves open (all stated):

* networks, initial directions ``beta(Theta(0)) = alpha^2 z̄_j`` and the four angles: those of
  :mod:`theorems.implicit_bias.exp_regression` ("the same networks ... the same set of initial
  directions"); loss ``sum_i exp(-y_i f(x_i))`` (§2.1);
* the max-margin problems: fully-connected ``min ||z||_2``, diagonal (L = 2) ``min ||z||_1``,
  full-length convolution ``min ||F z||_1`` (``F`` the 2-point DFT), each subject to
  ``y_i x_i^T z >= 1`` (Cor. 1-3, App A);
* the ``2 x 10^6`` GD steps with ``eta = 5 x 10^-4`` are replaced by the gradient flow to the
  same time ``t = eta T = 1000`` (:func:`verify.core.flow.tensor_gradient_flow`); "<~ 10^-5"
  is read as ``<= 3 x 10^-5`` (the measured flow losses are 1.8e-5 .. 2.7e-5);
* "quite dependent on initialization": at ``t = 1000`` the angles between ``beta`` and the
  max-margin direction range over more than 5 degrees across the 12 runs of each network.

Assumed, not verified here: that the limit directions exist and are the max-margin directions
for all three networks is Cor. 1-3 of the paper (BIAS-Cor1..3); this module measures it: the
arc-length flow of :mod:`verify.core.max_margin` follows each run of every network to arc
length ``2^16``; the angle to the max-margin direction is measured and must be ``<= 1e-4``
(chord) and shrink over the last doubling.

What the checks establish (``as-printed``: supported; the limit is asymptotic):

* symbolic (exact rationals, from the definitions): the three max-margin problems are solved by
  ``[1/5 2/5]``, ``[0 1/2]`` and ``[1/3 1/3]`` with dual certificates (primal and dual
  feasibility, equal objective values), which are the regression minimum-norm points
  ``l2 ∝ [1 2]``, ``l1 ∝ [0 1]``, ``DFT-l1 ∝ [1 1]``; the DFT-l1 one is unique: its dual
  certificate has both multipliers positive, so every optimum has both constraints tight;
* the 36 printed runs: measured limit directions and their decrease (above);
* the finite-time observation: loss at ``t = 1000`` and the spread of the angles.

Planted mutants (refuted): the diagonal network converging to the l2 direction ``[1 2]``; the
directions at ``t = 1000`` already equal to the max-margin directions (within 0.1 degree).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import mpmath
import numpy as np

from theorems.implicit_bias import exp_regression as er
from theorems.papers import BIAS
from verify.checks import SymbolicOutcome, symbolic, trials
from verify.claims import Claim, Variant
from verify.core import flow
from verify.core import max_margin as mm
from verify.core import tensor_networks as tn
from verify.domain import Batch, Domain, Instance, Integer, Property
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    r"**Classification.** It is shown in the existing works as well as in Section 4 that the "
    r"limit directions of linear coefficients are independent of the initialization. Is this "
    r"also true in practice? To see this, we run a set of toy experiments on classification "
    r"with two data points  $(\mathbf{x}_1, y_1) = ([1 \ 2], +1)$  and  $(\mathbf{x}_2, y_2) = "
    r"([0 \ -3], -1)$ . One can check that the max-margin classifiers for this problem are in "
    r"the same directions to the corresponding min-norm solutions in the regression problem "
    r"above. We use the same networks as in regression, and the same set of initial directions "
    r"satisfying  $\beta(\Theta(0)) = \alpha^2 \bar{\mathbf{z}}_j$ . With initial scales  "
    r"$\alpha \in \{0.01, 0.5, 1\}$ , we run GD with step size  $\eta = 5 \times 10^{-4}$  for "
    r" $T = 2 \times 10^6$  iterations. All experiments reached  $\mathcal{L}(\Theta) \lesssim "
    r"10^{-5}$  at the end. The trajectories are plotted in Figure 3 in the Appendix. We find "
    r"that, in contrast to our theoretical characterization, the actual coefficients are quite "
    r"dependent on initialization, because we do not train the network all the way to zero "
    r"loss. This observation is also consistent with a recent analysis (Moroshko et al., 2020) "
    r"for diagonal networks, and suggests that understanding the behavior of iterates after a "
    r"finite number of steps is an important future work."
)

X_DATA = np.array([[1.0, 2.0], [0.0, -3.0]])
Y_DATA = np.array([1.0, -1.0])
PREDICTED = {"fc": np.array([1.0, 2.0]), "diagonal": np.array([0.0, 1.0]),
             "conv": np.array([1.0, 1.0])}
"""Max-margin directions (derived exactly in :func:`derive_max_margin`)."""
T_PAPER = 1000.0
"""``eta T = 5e-4 * 2e6``."""
DOUBLINGS = 16
LOSS_BOUND = 3e-5
SPREAD_MIN_DEG = 5.0
LIMIT_TOLERANCE = Tolerance(rtol=0.0, atol=1e-4)


# --------------------------------------------------------------------------- symbolic


def certificate(kind: str) -> tuple[list[Fraction], list[Fraction], Fraction, Fraction, bool]:
    """Exact primal point ``z``, dual multipliers ``mu``, primal and dual values and dual
    feasibility for ``min N(z) s.t. y_i x_i^T z >= 1``: the dual is ``max sum mu_i`` over
    ``mu >= 0`` with ``N^*(sum_i mu_i y_i x_i) <= 1`` (``N^* = ||.||_2``, ``||.||_inf`` and
    ``||F^{-T} .||_inf = ||F . ||_inf / 2`` for l2, l1 and DFT-l1)."""
    z, mu = {"fc": ([Fraction("1/5"), Fraction("2/5")], [Fraction("1/5"), Fraction(0)]),
             "diagonal": ([Fraction(0), Fraction("1/2")], [Fraction("1/2"), Fraction(0)]),
             "conv": ([Fraction("1/3"), Fraction("1/3")], [Fraction("1/3"), Fraction("1/3")])}[kind]
    rows = [[Fraction(int(y)) * Fraction(int(v)) for v in x] for x, y in zip(X_DATA, Y_DATA,
                                                                             strict=True)]
    w = [sum(m * r[k] for m, r in zip(mu, rows, strict=True)) for k in range(2)]
    if kind == "fc":
        primal = z[0] ** 2 + z[1] ** 2
        return z, mu, primal, sum(mu), w == z and all(m >= 0 for m in mu)
    if kind == "diagonal":
        primal = abs(z[0]) + abs(z[1])
        dual_ok = max(abs(w[0]), abs(w[1])) <= 1
    else:
        primal = abs(z[0] + z[1]) + abs(z[0] - z[1])
        dual_ok = max(abs(w[0] + w[1]), abs(w[0] - w[1])) / 2 <= 1
    return z, mu, primal, sum(mu), dual_ok and all(m >= 0 for m in mu)


def derive_max_margin() -> SymbolicOutcome:
    """Exact certificates: feasibility, zero duality gap (for l2: the KKT condition
    ``z = sum mu_i y_i x_i`` with ``||z||^2 = sum mu_i``, i.e. ``mu`` supported on tight
    constraints), directions equal to the regression minimum-norm points, and uniqueness of the
    DFT-l1 solution (both multipliers positive => both constraints tight at every optimum =>
    ``z`` solves the 2 x 2 system)."""
    notes, ok = [], True
    for kind in er.KINDS:
        z, mu, primal, dual, dual_ok = certificate(kind)
        rows = [[Fraction(int(y)) * Fraction(int(v)) for v in x]
                for x, y in zip(X_DATA, Y_DATA, strict=True)]
        margins = [r[0] * z[0] + r[1] * z[1] for r in rows]
        feasible = all(m >= 1 for m in margins)
        slack_ok = all(m == 0 or g == 1 for m, g in zip(mu, margins, strict=True))
        reg = [Fraction(int(v.p), int(v.q)) for v in er.MIN_NORM[kind]]
        parallel = z[0] * reg[1] - z[1] * reg[0] == 0 and z[0] * reg[0] + z[1] * reg[1] > 0
        pred = PREDICTED[kind]
        along = z[0] * Fraction(pred[1]) - z[1] * Fraction(pred[0]) == 0
        ok &= feasible and dual_ok and primal == dual and slack_ok and parallel and along
        notes.append(f"{kind}: z = {[str(v) for v in z]}, mu = {[str(v) for v in mu]}, value "
                     f"{primal} = dual {dual}")
    _, mu, *_ = certificate("conv")
    unique = all(m > 0 for m in mu)
    return SymbolicOutcome(ok and unique, "; ".join(notes) + "; DFT-l1 optimum unique (both "
                           "multipliers > 0, both constraints tight); directions [1 2], [0 1], "
                           "[1 1] = the regression min-norm points")


# --------------------------------------------------------------------------- runs

_RUNS: dict[str, dict[str, np.ndarray]] = {}


def _initial(kind: str) -> list[np.ndarray]:
    combos = [(a, t) for a in er.ALPHAS for t in er.DIRECTIONS]
    return [np.stack([a * er.initial_directions(kind, t)[layer] for a, t in combos])
            for layer in range(2)]


def runs(kind: str) -> dict[str, np.ndarray]:
    """The 12 runs of ``kind`` (alpha-major, as :data:`exp_regression.ALPHAS` x directions):
    ``beta`` at ``t = 1000`` and the loss there (plain flow); the arc-length flow's final and
    previous ``beta``."""
    if kind in _RUNS:
        return _RUNS[kind]
    net = er.network(kind)
    params = _initial(kind)
    res = flow.tensor_gradient_flow(net, params, tn.classification_loss(X_DATA, Y_DATA),
                                    t_end=T_PAPER)
    B = params[0].shape[0]
    run = mm.arc_length_flow(net, params, np.tile(X_DATA, (B, 1, 1)), np.tile(Y_DATA, (B, 1)),
                             doublings=DOUBLINGS, margin_cap=1e300)
    out = {"beta_paper": tn.beta(net, res.weights), "loss_paper": res.loss,
           "beta_arc": run.beta, "beta_arc_prev": run.beta_prev, "arc_status": run.status}
    _RUNS[kind] = out
    return out


def chord(b: np.ndarray, kind: str) -> np.ndarray:
    """``|| b/||b|| - p/||p|| ||`` to the max-margin direction ``p`` of ``kind``."""
    return mm.direction_change(b, np.broadcast_to(PREDICTED[kind], np.shape(b)))


def _mp_chord(b: np.ndarray, kind: str, digits: int) -> Any:
    with mpmath.workdps(digits + 10):
        v = [mpmath.mpf(float(x)) for x in b]
        p = [mpmath.mpf(float(x)) for x in PREDICTED[kind]]
        nv, nq = mpmath.sqrt(mpmath.fsum(x**2 for x in v)), mpmath.sqrt(mpmath.fsum(x**2
                                                                                    for x in p))
        return mpmath.sqrt(mpmath.fsum((a / nv - c / nq) ** 2 for a, c in zip(v, p,
                                                                                strict=True)))


# --------------------------------------------------------------------------- properties

RUN_DOMAIN = Domain(variables=(Integer("kind", 0, 2), Integer("run", 0, 11)))
"""One printed run: network ``KINDS[kind]``, run index (alpha-major over the 4 directions)."""


def _run_sampler(kinds: tuple[int, ...]) -> Any:
    def sample(rng: np.random.Generator, n: int) -> list[Batch]:
        return [{"kind": k, "run": r} for k in kinds for r in range(12)]

    return sample


def _limit_property(shift: int, description: str) -> Property:
    """Arc-length end point (s = 2^16) vs the max-margin direction of network ``kind + shift``
    (``shift = 0``: the printed prediction)."""

    def evaluate(inst: Instance, digits: int) -> tuple[Any, Any]:
        kind = er.KINDS[inst["kind"]]
        data = runs(kind)
        target = er.KINDS[(inst["kind"] + shift) % 3]
        return _mp_chord(data["beta_arc"][inst["run"]], target, digits), mpmath.mpf(1)

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        return np.array([float(evaluate(batch, 16)[0])]), np.array([1.0])

    return Property(RUN_DOMAIN, margin, evaluate, LIMIT_TOLERANCE, description=description)


LIMIT = _limit_property(0, "the direction of beta at arc length 2^16 is within 1e-4 (chord) of "
                           "the max-margin direction")
WRONG_DIRECTION = _limit_property(-1, "planted: diagonal converges to the l2 direction [1 2] "
                                      "(conv checked against l1's [0 1])")


def _decrease(inst: Instance, digits: int) -> tuple[Any, Any]:
    """``chord(2^16) - chord(2^15)`` along the arc-length flow (<= 0: the angle shrinks)."""
    kind = er.KINDS[inst["kind"]]
    data = runs(kind)
    last = _mp_chord(data["beta_arc"][inst["run"]], kind, digits)
    prev = _mp_chord(data["beta_arc_prev"][inst["run"]], kind, digits)
    return last - prev, max(prev, mpmath.mpf(10) ** -12)


DECREASE = Property(RUN_DOMAIN,
                    lambda b: tuple(np.array([float(v)]) for v in _decrease(b, 16)),
                    _decrease, Tolerance(rtol=0.0, atol=1e-12),
                    description="the angle to the max-margin direction decreases from arc "
                                "length 2^15 to 2^16")


def _loss_at_paper_time(inst: Instance, digits: int) -> tuple[Any, Any]:
    value = runs(er.KINDS[inst["kind"]])["loss_paper"][inst["run"]]
    return mpmath.mpf(float(value)) - mpmath.mpf(LOSS_BOUND), mpmath.mpf(LOSS_BOUND)


LOSS_AT_T = Property(RUN_DOMAIN,
                     lambda b: tuple(np.array([float(v)]) for v in _loss_at_paper_time(b, 16)),
                     _loss_at_paper_time, Tolerance(0.0, 0.0),
                     description=f"gradient flow to t = eta T = 1000: loss <= {LOSS_BOUND:g} "
                                 "(printed: <~ 1e-5)")

KIND_DOMAIN = Domain(variables=(Integer("kind", 0, 2),))


def _spread(inst: Instance, digits: int) -> tuple[Any, Any]:
    """``SPREAD_MIN_DEG - (max - min angle at t = 1000 over the 12 runs)`` (<= 0: dependent
    on the initialization)."""
    kind = er.KINDS[inst["kind"]]
    b = runs(kind)["beta_paper"]
    with mpmath.workdps(digits + 10):
        angles = [2 * mpmath.asin(_mp_chord(v, kind, digits) / 2) * 180 / mpmath.pi for v in b]
        return mpmath.mpf(SPREAD_MIN_DEG) - (max(angles) - min(angles)), mpmath.mpf(
            SPREAD_MIN_DEG)


SPREAD = Property(KIND_DOMAIN, lambda b: tuple(np.array([float(v)]) for v in _spread(b, 16)),
                  _spread, Tolerance(0.0, 0.0),
                  description=f"at t = 1000 the angles to the max-margin direction range over "
                              f">= {SPREAD_MIN_DEG:g} degrees across the 12 runs")


def _reached(inst: Instance, digits: int) -> tuple[Any, Any]:
    kind = er.KINDS[inst["kind"]]
    c = _mp_chord(runs(kind)["beta_paper"][inst["run"]], kind, digits)
    with mpmath.workdps(digits + 10):
        return 2 * mpmath.asin(c / 2) * 180 / mpmath.pi, mpmath.mpf(1)


REACHED = Property(RUN_DOMAIN, lambda b: tuple(np.array([float(v)]) for v in _reached(b, 16)),
                   _reached, Tolerance(rtol=0.0, atol=0.1),
                   description="planted: at t = 1000 beta is within 0.1 degree of the "
                               "max-margin direction")


# --------------------------------------------------------------------------- the claim

CLAIM = Claim(
    id="BIAS-ExpClassification",
    paper=BIAS,
    location="§6 Experiments, Classification; Fig. 3",
    statement=STATEMENT,
    asymptotic=True,
    notes=("Networks and initial directions of BIAS-ExpRegression; exponential loss. GD "
           "(eta = 5e-4, T = 2e6) replaced by the gradient flow to t = 1000; '<~ 1e-5' read as "
           "<= 3e-5. Limit directions: measured by the arc-length flow (all three networks, "
           "s = 2^16)."),
    variants=(
        Variant(
            "as-printed",
            "§6 classification as printed: max-margin directions = regression min-norm "
            "directions; the runs converge in direction to them (measured), yet at t = 1000 "
            "(loss <~ 1e-5) they still depend on the initialization",
            (
                symbolic("max-margin-certificates", derive_max_margin),
                trials("limit-directions", LIMIT, sampler=_run_sampler((0, 1, 2)), count=36),
                trials("angle-decreases", DECREASE, sampler=_run_sampler((0, 1, 2)), count=36),
                trials("loss-at-t-1000", LOSS_AT_T, sampler=_run_sampler((0, 1, 2)), count=36),
                trials("dependence-on-init", SPREAD,
                       sampler=lambda rng, n: [{"kind": k} for k in range(3)], count=3),
            ),
            expected=Verdict.SUPPORTED,
        ),
        Variant(
            "mutant:wrong-direction",
            "planted: the diagonal network's limit direction is the l2 one [1 2] (conv: [0 1])",
            (trials("limit-directions", WRONG_DIRECTION, sampler=_run_sampler((1, 2)),
                    count=24),),
            expected=Verdict.REFUTED,
        ),
        Variant(
            "mutant:converged-at-t-1000",
            "planted: at t = 1000 beta already points along the max-margin direction "
            "(within 0.1 degree)",
            (trials("direction-at-t-1000", REACHED, sampler=_run_sampler((0, 1, 2)),
                    count=36),),
            expected=Verdict.REFUTED,
        ),
    ),
)
