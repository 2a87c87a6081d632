"""ALIGN-Exp1bc (§6, Fig. 1b, 1c; App. L items 2-3): classification with squared and cross
entropy loss, alignment is not an invariant of training.

Printed (§6): "In Figures 1b and c, we show that alignment is also not an invariant in standard
classification settings. In particular, we trained a 2-hidden layer fully connected network to
classify a linearly separable subset of 256 MNIST examples under MSE loss and cross entropy
loss." App. L (000: App. M, same text): 1024 units in the first hidden layer, 64 in the second,
"256 linearly separable examples from MNIST", squared loss (Fig. 1b) / cross entropy (Fig. 1c),
GD with learning rate 1e-2 until the loss is below 1e-4.

**Data: a synthetic stand-in, not MNIST** (no download is possible; scikit-learn is not
installed): 256 digits of :func:`verify.core.synthetic_digits.digit_set` (10 classes, 26 or 25
per class, stroke templates under a seeded random affine jitter -- rotation up to 0.2 rad,
scale 0.85..1.15 per axis, shear up to 0.15, shift up to 0.08 -- stroke width 0.08..0.14,
uniform pixel noise of amplitude 0.1), at 20 x 20 pixels (k_0 = 400; MNIST has 28 x 28: the
largest side tried that keeps the quick run near budget, and still k_0 >= n), pixels on the
1/16 grid, every image scaled by one common factor so that all have norm <= 1 (the paper does not
state its pixel scaling), one-hot labels (k_3 = 10 outputs). The set is selected to be
linearly separable: every class is separated from the others by a linear program
(:func:`verify.core.synthetic_digits.one_vs_rest_separable`; a drawn set that fails is
redrawn), so ``argmax W x`` can classify all examples.

**Architecture:** d = 3, widths 400 -> 192 -> 12 -> 10 at every budget: the printed hidden
widths 1024 and 64 are scaled by 3/16 (ratio 16 : 1 kept; k_2 >= 10 outputs), because the
frame-free defect costs O(k_1^3) per checkpoint (2.3 s at 784 -> 1024 against 0.05 s at
784 -> 256, single-threaded) and a GD step O(k_0 k_1). The budget scales only the step cap and
the counts.

**Exact tier (tiny scaled instance):** the first GD step is certified on 20 synthetic 4 x 4
digits (2 per class, separable by LP) with widths 16 -> 20 -> 12 -> 10 (the same shape
k_0 < k_1 > k_2 > k_3 = 10): in exact rationals for the squared loss, in ball arithmetic
(python-flint ``arb``) for the cross entropy (its softmax is transcendental).

Values chosen here (App. L gives none): the losses are eq. (2) ``1/(2n) sum_i l(f(x_i), y_i)``
with ``l`` the squared error (``verify.core.alignment.squared_loss``) or the softmax cross
entropy (``verify.core.losses.SoftmaxCrossEntropyLoss``, ``"half_mean"``); the aligned
initialization (Definition 2 for rectangular layers) ``W_i = F_i Sigma_i F_{i-1}^T`` with
Sigma_i the k_i x k_{i-1} diagonal of singular values uniform in [0.5, 1.5] on the 1/16 grid
(a third of the instances rounded to halves: repeated values), frames F_0..F_3 Haar-random
(QR, float tier) or rational Cayley transforms of uniform [-1, 1] matrices on the 1/16 grid
(exact tier); the step cap of the float run (300 steps at the standard budget, 38 at quick,
2 400 at thorough): with eta = 1e-2 the losses do not reach 1e-4 within it (both decrease
slowly from ~0.5 (squared) and ~1.15 (cross entropy): the images have norm <= 1).

Measured as ALIGN-Exp1a, by the frame-free invariance defect of
:func:`verify.core.alignment.invariance_defect` (zero on any trajectory whose frames stay
frozen as Definition 3 asks; the paper plots column dot products of usSVD frames): positive
after the first step (certified), and the relative squared defect against W(0) is >= 1e-12 at
every checkpoint of the float64 run.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from typing import Any

import flint
import numpy as np

from theorems.alignment.exp1a import (
    GRID,
    frozen_property,
    long_run_check,
    long_run_property,
    moved_property,
)
from theorems.papers import ALIGN
from verify.budget import RunContext
from verify.checks import search, trials
from verify.claims import Check, Claim, Variant
from verify.core.alignment import aligned_layers, aligned_layers_exact, invariance_defect
from verify.core.alignment import squared_loss as paper_squared_loss
from verify.core.alignment_condition import condition_defect, condition_defect_exact
from verify.core.alignment_runs import Experiment
from verify.core.balanced_layers import cayley, cayley_exact
from verify.core.hp import arb_backend, precision
from verify.core.hp_linalg import to_fmpq_mat
from verify.core.losses import Loss, SoftmaxCrossEntropyLoss
from verify.core.networks import gd_step
from verify.core.synthetic_digits import DigitSet, digit_set, one_vs_rest_separable
from verify.domain import Batch, Domain, Instance, Property, Real
from verify.errors import VerifyError
from verify.verdicts import Tolerance, Verdict

STATEMENT = (
    "In Figures 1b and c, we show that alignment is also not an invariant in standard "
    "classification settings. In particular, we trained a 2-hidden layer fully connected "
    "network to classify a linearly separable subset of 256 MNIST examples under MSE loss and "
    "cross entropy loss. [...] In all settings, we train using gradient descent with a "
    r"learning rate of  $10^{-2}$  until the loss was below  $10^{-4}$ . [...] 2. Figure 1b: "
    "We use a 2-hidden layer fully connected network with 1024 hidden units in the first "
    "hidden layer and 64 hidden units in the second hidden layer. Our data consists of 256 "
    "linearly separable examples from MNIST and is trained using Squared Loss. [...] 3. Figure "
    "1c: We use a 2-hidden layer fully connected network with 1024 hidden units in the first "
    "hidden layer and 64 hidden units in the second hidden layer. Our data consists of 256 "
    "linearly separable examples from MNIST and is trained using Cross Entropy Loss.")

CLASSES = 10
SIDE = 20
"""Image side (k_0 = 400; MNIST's 28 x 28 scaled to keep the run within budget, k_0 >= n)."""
N = 256
WIDTHS = (SIDE * SIDE, 192, 12, CLASSES)
"""Float tier: the printed hidden widths 1024, 64 scaled by 3/16 (ratio 16 : 1 kept)."""
TINY_SIDE = 4
TINY_N = 20
TINY_WIDTHS = (TINY_SIDE * TINY_SIDE, 20, 12, CLASSES)
"""Exact tier: a tiny instance of the same shape (k_0 < k_1 > k_2 > k_3 = 10)."""
DEPTH = 3
ETA = Fraction(1, 100)
LONG_STEPS = 300
"""Step cap of the float run at the standard budget (quick 38, thorough 2 400)."""
SEEDS = 2**16
DATA_SEEDS = 64
"""Data seeds cycle through 64 cached digit sets (each costs 10 LPs to select)."""
LOSSES = ("squared", "cross-entropy")


def seed(x: Any, count: int = SEEDS) -> int:
    """An integer seed in [0, count) from a Real variable in [0, 1)."""
    return int(float(x) * count) % count


@cache
def digits(data_seed: int, side: int, n: int) -> DigitSet:
    """The first one-vs-rest separable set among the draws ``digit_set(rng([seed, a]))``,
    a = 0, 1, ... (the stand-in for App. L's '256 linearly separable examples')."""
    for attempt in range(8):
        data = digit_set(np.random.default_rng([data_seed, attempt]), n, side)
        if one_vs_rest_separable(data):
            return data
    raise VerifyError(f"no separable digit set drawn from seed {data_seed}")


def loss_of(name: str, X: Any, Y: Any) -> Loss:
    """Eq. (2) with the squared error (Fig. 1b) or the softmax cross entropy (Fig. 1c)."""
    if name == "squared":
        return paper_squared_loss(X, Y)
    return SoftmaxCrossEntropyLoss(X, Y, "half_mean")


def singular_values(rng: np.random.Generator, widths: tuple[int, ...], tie: bool) -> list:
    """Per layer, min(k_i, k_{i-1}) values uniform in [0.5, 1.5] on the 1/GRID grid (halves
    when ``tie``), as Fractions."""
    out = []
    for i in range(DEPTH):
        s = rng.uniform(0.5, 1.5, min(widths[i], widths[i + 1]))
        level = 2 if tie else GRID
        out.append([Fraction(int(v), level) for v in np.round(level * s)])
    return out


def _instance(item: Any, i: int | None = None) -> tuple[int, int, bool]:
    pick = (lambda v: v) if i is None else (lambda v: v[i])
    return (seed(pick(item["data"]), DATA_SEEDS), seed(pick(item["init"])),
            float(pick(item["snap"])) < 1 / 3)


# --------------------------------------------------------------------------- float tier


def haar(rng: np.random.Generator, k: int) -> np.ndarray:
    """A Haar-random orthogonal k x k matrix (QR with the sign convention of R's diagonal)."""
    Q, R = np.linalg.qr(rng.standard_normal((k, k)))
    return Q * np.sign(np.diag(R))


def float_network(init_seed: int, tie: bool) -> list[np.ndarray]:
    """Aligned layers (Definition 2) of widths WIDTHS: Haar frames, grid singular values."""
    rng = np.random.default_rng([init_seed, 1])
    frames = [haar(rng, k)[None] for k in WIDTHS]
    sigmas = [np.array([[float(v) for v in s]]) for s in singular_values(rng, WIDTHS, tie)]
    return aligned_layers(frames, sigmas)


def float_experiment(loss: str) -> Experiment:
    """The 400 -> 192 -> 12 -> 10 network on 256 synthetic 20 x 20 digits (float64 only)."""

    def build(batch: Batch) -> tuple[list[Any], Loss, None]:
        items = [_instance(batch, b) for b in range(len(batch["init"]))]
        layers = [np.concatenate(ws) for ws in zip(*(float_network(i, t) for _, i, t in items),
                                                  strict=True)]
        sets = [digits(d, SIDE, N) for d, _, _ in items]
        X = np.array([s.X for s in sets])
        Y = np.array([s.Y for s in sets])
        return layers, loss_of(loss, X, Y), None

    return Experiment(build, None, ETA)


# --------------------------------------------------------------------------- exact tier


def _raw_frames(rng: np.random.Generator, widths: tuple[int, ...]) -> list[np.ndarray]:
    return [np.round(GRID * rng.uniform(-1, 1, (k, k))) / GRID for k in widths]


def tiny_data(batch_or_inst: Any, i: int | None = None) -> DigitSet:
    return digits(_instance(batch_or_inst, i)[0], TINY_SIDE, TINY_N)


def tiny_network_exact(init_seed: int, tie: bool) -> list[flint.fmpq_mat]:
    """Exact aligned layers of widths TINY_WIDTHS (rational Cayley frames)."""
    rng = np.random.default_rng([init_seed, 2])
    raw = _raw_frames(rng, TINY_WIDTHS)
    frames = [cayley_exact(np.array([[Fraction(v) for v in row] for row in R], dtype=object))
              for R in raw]
    return aligned_layers_exact(frames, singular_values(rng, TINY_WIDTHS, tie))


def tiny_network(init_seed: int, tie: bool) -> list[np.ndarray]:
    """The same network in float64 (batch of one)."""
    rng = np.random.default_rng([init_seed, 2])
    frames = [cayley(R[None]) for R in _raw_frames(rng, TINY_WIDTHS)]
    sigmas = [np.array([[float(v) for v in s]]) for s in singular_values(rng, TINY_WIDTHS, tie)]
    return aligned_layers(frames, sigmas)


def tiny_experiment(loss: str) -> Experiment:
    """The tiny instance; its exact twin is rational for the squared loss (the cross entropy's
    is ball arithmetic, :func:`ce_first_step_defect_ball`)."""

    def build(batch: Batch) -> tuple[list[Any], Loss, None]:
        items = [_instance(batch, b) for b in range(len(batch["init"]))]
        layers = [np.concatenate(ws) for ws in zip(*(tiny_network(i, t) for _, i, t in items),
                                                  strict=True)]
        sets = [digits(d, TINY_SIDE, TINY_N) for d, _, _ in items]
        return layers, loss_of(loss, np.array([s.X for s in sets]),
                               np.array([s.Y for s in sets])), None

    def build_exact(inst: Instance) -> tuple[list[Any], Loss, None]:
        data_seed, init_seed, tie = _instance(inst)
        data = digits(data_seed, TINY_SIDE, TINY_N)
        return tiny_network_exact(init_seed, tie), loss_of(loss, data.X_exact, data.Y_exact), None

    return Experiment(build, build_exact if loss == "squared" else None, ETA)


def ce_first_step_defect_ball(inst: Instance, digits_: int) -> flint.arb:
    """Relative invariance defect of [W(0), W(1)] for the cross entropy, in ball arithmetic
    (W(0) exact, one GD step with the softmax evaluated in arb at ``digits_`` digits)."""
    data_seed, init_seed, tie = _instance(inst)
    data = digits(data_seed, TINY_SIDE, TINY_N)
    xp = arb_backend(digits_)
    with precision(xp):
        W0 = [flint.arb_mat(w) for w in tiny_network_exact(init_seed, tie)]
        loss = loss_of("cross-entropy", data.X_exact, data.Y_exact)
        W1 = gd_step(W0, loss, xp.scalar(ETA), xp=xp)
        excess, scale = invariance_defect([W0, W1])
        return excess / scale


def violates_condition(batch: Batch) -> np.ndarray:
    """Theorem 1/4's data condition fails (commutator criterion, float, clearly)."""
    sets = [tiny_data(batch, b) for b in range(len(batch["init"]))]
    excess, scale = condition_defect(np.array([s.X for s in sets]),
                                     np.array([s.Y for s in sets]))
    return excess > 1e-8 * scale


def exact_hypothesis(inst: Instance) -> bool:
    """The tiny data violate the condition exactly (separability holds by construction)."""
    data = tiny_data(inst)
    return condition_defect_exact(data.X_exact, data.Y_exact)[0] != 0


SEED_VARS = (Real("data", 0.0, 1.0, open_high=True), Real("init", 0.0, 1.0, open_high=True),
             Real("snap", 0.0, 1.0))
TINY_DOMAIN = Domain(SEED_VARS, hypothesis=violates_condition)
FLOAT_DOMAIN = Domain(SEED_VARS)


def sampler(rng: np.random.Generator, n: int) -> Batch:
    """Uniform data seed, initialization seed and tie switch."""
    return {"data": rng.uniform(0, 1, n), "init": rng.uniform(0, 1, n),
            "snap": rng.uniform(0, 1, n)}


def ce_moved_property(dom: Domain = TINY_DOMAIN) -> Property:
    """Cross entropy, not invariant: relative defect after one GD step > 0 (float screening
    as :func:`moved_property`; re-check certified in ball arithmetic)."""
    experiment = tiny_experiment("cross-entropy")

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        rel = experiment.first_steps_defect(batch, 1)
        return np.where(rel <= 1e-24, 1.0, -rel), np.ones_like(rel)

    def margin_hp(inst: Instance, digits_: int) -> tuple[Any, Any] | None:
        if not exact_hypothesis(inst):
            return None
        return -ce_first_step_defect_ball(inst, digits_), Fraction(1)

    return Property(dom, margin, margin_hp, Tolerance(rtol=0.0, atol=0.0), rigorous=True,
                    description="relative invariance defect after 1 GD step > 0 (ball)")


# --------------------------------------------------------------------------- mutant data


def condition_network(inst: Any, i: int | None = None) -> tuple[list[Any], Any, Any]:
    """Mutant data meeting Theorem 1's condition: one example per class, ``X = F_0[:, :10] D``
    (D diagonal, 1/16 grid in [1/2, 1]), ``Y = I`` and ``F_3 = I``; the rest as the tiny exact
    instance. Exact layers, X, Y."""
    _, init_seed, tie = _instance(inst, i)
    rng = np.random.default_rng([init_seed, 3])
    raw = _raw_frames(rng, TINY_WIDTHS)
    frames = [cayley_exact(np.array([[Fraction(v) for v in row] for row in R], dtype=object))
              for R in raw[:-1]] + [to_fmpq_mat(np.eye(CLASSES, dtype=int))]
    layers = aligned_layers_exact(frames, singular_values(rng, TINY_WIDTHS, tie))
    D = flint.fmpq_mat(CLASSES, CLASSES)
    for j, v in enumerate(np.round(GRID * rng.uniform(0.5, 1.0, CLASSES))):
        D[j, j] = flint.fmpq(int(v), GRID)
    F0 = frames[0]
    E = flint.fmpq_mat([[int(r == c) for c in range(CLASSES)] for r in range(F0.nrows())])
    return layers, F0 * E * D, to_fmpq_mat(np.eye(CLASSES, dtype=int))


def _to_numpy(M: flint.fmpq_mat) -> np.ndarray:
    return np.array([[float(M[r, c]) for c in range(M.ncols())] for r in range(M.nrows())])


def condition_experiment() -> Experiment:
    """Squared loss on the condition-meeting data of :func:`condition_network`."""

    def build(batch: Batch) -> tuple[list[Any], Loss, None]:
        nets = [condition_network(batch, b) for b in range(len(batch["init"]))]
        layers = [np.array([_to_numpy(n[0][i]) for n in nets]) for i in range(DEPTH)]
        X = np.array([_to_numpy(n[1]) for n in nets])
        Y = np.array([_to_numpy(n[2]) for n in nets])
        return layers, paper_squared_loss(X, Y), None

    def build_exact(inst: Instance) -> tuple[list[Any], Loss, None]:
        layers, X, Y = condition_network(inst)
        obj = [np.array([[Fraction(int(M[r, c].p), int(M[r, c].q)) for c in range(M.ncols())]
                         for r in range(M.nrows())], dtype=object) for M in (X, Y)]
        return layers, paper_squared_loss(*obj), None

    return Experiment(build, build_exact, ETA)


def always(_: Instance) -> bool:
    return True


# --------------------------------------------------------------------------- long runs


def long_run(name: str, loss: str, count: int) -> Check:
    """Float64 run of the 400 -> 192 -> 12 -> 10 network (step cap scaled with the budget):
    the defect against W(0) is >= 1e-12 at every checkpoint; with the defect curves."""
    experiment = float_experiment(loss)
    title = f"Exp1{'b' if loss == 'squared' else 'c'} {loss} loss, 400-192-12-10, " \
            f"256 synthetic digits"

    def run_check(ctx: RunContext) -> Any:
        prop = long_run_property(experiment, FLOAT_DOMAIN, ctx.budget.scaled(LONG_STEPS), True)
        return long_run_check(name, prop, experiment, sampler, LONG_STEPS, count, title).run(ctx)

    prop = long_run_property(experiment, FLOAT_DOMAIN, LONG_STEPS, True)
    return Check("trials", name, run_check, replay=prop.margin_hp, prop=prop)


SQUARED = tiny_experiment("squared")
MUTANT_DATA = condition_experiment()

CLAIM = Claim(
    id="ALIGN-Exp1bc",
    paper=ALIGN,
    location="§6, Fig. 1b, 1c; App. L items 2-3 (000: App. M items 2-3)",
    statement=STATEMENT,
    notes=("Data: a SYNTHETIC stand-in for MNIST (no downloads; scikit-learn is not installed): "
           "256 seeded synthetic 20 x 20 digits (10 classes, random affine jitter, pixel "
           "noise, 1/16 pixel grid, common scale to norm <= 1, one-hot labels), one-vs-rest "
           "linearly separable by LP. Architecture: 400 -> 192 -> 12 -> 10 (the printed hidden "
           "widths 1024 and 64 scaled by 3/16, MNIST's 28 x 28 by 20 x 20, for time) at "
           "every budget; the "
           f"float run's step cap follows the budget ({LONG_STEPS} standard, 38 quick, 2 400 "
           "thorough) and the losses do not reach the printed 1e-4 within it. The first step "
           "is certified on a tiny instance (20 synthetic 4 x 4 digits, widths 16 -> 20 -> 12 "
           "-> 10): exact rationals (squared loss), arb balls (cross entropy). Chosen here: "
           "eq. (2)'s 1/(2n) averaging for both losses; Haar (float) / rational Cayley (exact) "
           "frames, singular values in [0.5, 1.5] for the aligned initialization. Alignment is "
           "measured by the frame-free invariance defect (verify/core/alignment.py). The data "
           "violate Theorem 1/4's condition; data meeting it (one example per class, X = "
           "F_0[:, :10] D, F_3 = I) keep the frames exactly frozen under the squared loss "
           "(mutant), which the statement's 'MNIST' rules out only generically."),
    variants=(
        Variant("as-printed",
                "classification of 256 linearly separable synthetic digits (stand-in for "
                "MNIST), aligned init, GD eta = 1e-2, squared (Fig. 1b) and cross-entropy "
                "(Fig. 1c) loss: the invariance defect is positive after one step (exact / "
                "ball, tiny instance) and exceeds 1e-12 against W(0) at every checkpoint of "
                "the float64 run of the 400 -> 192 -> 12 -> 10 network",
                (trials("first-step-exact-squared",
                        moved_property(SQUARED, TINY_DOMAIN, 1, exact_hypothesis),
                        sampler=sampler, count=6),
                 trials("first-step-ball-cross-entropy", ce_moved_property(), sampler=sampler,
                        count=8),
                 long_run("long-run-squared", "squared", 2),
                 long_run("long-run-cross-entropy", "cross-entropy", 2),
                 search("first-step-search-squared",
                        moved_property(SQUARED, TINY_DOMAIN, 1, exact_hypothesis),
                        evaluations=160),
                 search("first-step-search-cross-entropy", ce_moved_property(),
                        evaluations=160)),
                expected=Verdict.SUPPORTED),
        Variant("mutant:claimed-invariant",
                "the same classification experiment (squared loss) claimed to keep alignment "
                "invariant (defect = 0)",
                (search("first-step-search",
                        frozen_property(SQUARED, TINY_DOMAIN, 1, exact_hypothesis),
                        evaluations=200, shrink=False),),
                expected=Verdict.REFUTED),
        Variant("mutant:condition-data",
                "the hypothesis 'data violate Theorem 1's condition' dropped: on separable "
                "data meeting it (one example per class, X = F_0[:, :10] D, Y = I, F_3 = I) "
                "the squared-loss run is claimed not invariant too (defect > 0)",
                (trials("first-step-exact",
                        moved_property(MUTANT_DATA, FLOAT_DOMAIN, 1, always),
                        sampler=sampler, count=4),),
                expected=Verdict.REFUTED),
    ),
)
