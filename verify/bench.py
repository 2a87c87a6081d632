"""``verify bench``: throughput of the numeric core and the ratios its design promises.

For representative shapes (depth, width, batch) it measures, in one run:

* the batched GD step (whitened loss, in place): trials per second and achieved GFLOP/s
  (flops of the step's matrix products);
* ``vs loop``: the same trials stepped one at a time in a Python loop (target >= 20x at
  widths <= 8);
* ``vs matmul``: the step's own list of stacked products timed as bare ``np.matmul`` calls
  into preallocated outputs, the practical ceiling (target >= 0.5 at widths >= 16);
* the high-precision step at 50 digits: python-flint ``arb_mat`` vs mpmath matrices
  (target >= 20x), with the exact ``fmpq_mat`` step for reference.

Times are the best of several repeats (the machine is shared). Returns 0 when every target
is met, 1 otherwise.
"""

from __future__ import annotations

import json
import pathlib
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from verify.core import hp
from verify.core.backend import NumpyBackend
from verify.core.losses import WhitenedLoss
from verify.core.memory import DEFAULT_BUDGET, chunk_size, network_trial_bytes
from verify.core.networks import gd_step, value_and_layer_gradients

LOOP_TARGET = 20.0
MATMUL_TARGET = 0.5
FLINT_TARGET = 20.0

QUICK_SHAPES = [(3, 2, 10_000), (5, 4, 10_000), (3, 8, 10_000), (4, 16, 4_000),
                (3, 32, 1_000), (8, 64, 100)]
FULL_SHAPES = [*QUICK_SHAPES, (3, 4, 1), (6, 8, 1_000), (8, 8, 10_000), (3, 16, 10_000),
               (5, 32, 2_000), (4, 64, 500)]


@dataclass
class StepRecord:
    """Measurements of the batched GD step for one shape."""

    depth: int
    width: int
    batch: int
    seconds: float
    trials_per_s: float
    gflops: float
    loop_ratio: float
    matmul_ratio: float
    chunk: int

    @property
    def meets(self) -> bool:
        """Whether the targets that apply to this width are met."""
        ok = True
        if self.width <= 8 and self.batch >= 1_000:
            ok &= self.loop_ratio >= LOOP_TARGET
        if self.width >= 16:
            ok &= self.matmul_ratio >= MATMUL_TARGET
        return ok


class _Recorder(NumpyBackend):
    """numpy backend that records the operand shapes of every matrix product."""

    def __init__(self) -> None:
        self.shapes: list[tuple[tuple[int, ...], tuple[int, ...]]] = []

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.shapes.append((a.shape, b.shape))
        return np.matmul(a, b)


def best_times(fns: Sequence[Callable[[], Any]], repeats: int,
               min_seconds: float = 0.0) -> list[float]:
    """Best wall time of each of ``fns`` over interleaved runs (so all see the same load):
    at least ``repeats`` rounds, more while a round's total is under ``min_seconds``."""
    for fn in fns:
        fn()
    best = [np.inf] * len(fns)
    spent, rounds = 0.0, 0
    while rounds < repeats or spent < min_seconds:
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - start
            best[i] = min(best[i], elapsed)
            spent += elapsed
        rounds += 1
    return best


def bench_step(depth: int, width: int, batch: int, repeats: int,
               rng: np.random.Generator) -> StepRecord:
    """Measure the batched GD step for one shape against the loop and raw matmul."""
    weights = [np.eye(width) + 0.1 * rng.standard_normal((batch, width, width)) / np.sqrt(width)
               for _ in range(depth)]
    loss = WhitenedLoss(np.eye(width) + 0.1 * rng.standard_normal((width, width)))
    eta = 1e-4
    work = [w.copy() for w in weights]
    n_loop = min(batch, 100)
    singles = [[w[i: i + 1] for w in weights] for i in range(n_loop)]

    recorder = _Recorder()
    value_and_layer_gradients(weights, loss, recorder)
    operands = [(rng.standard_normal(a), rng.standard_normal(b)) for a, b in recorder.shapes]
    outs = [np.empty((*np.broadcast_shapes(a.shape[:-2], b.shape[:-2]), a.shape[-2],
                      b.shape[-1])) for a, b in operands]

    def raw() -> None:
        for (a, b), o in zip(operands, outs, strict=True):
            np.matmul(a, b, out=o)

    t_batch, t_raw, t_loop = best_times(
        [lambda: gd_step(work, loss, eta, out=work), raw,
         lambda: [gd_step(s, loss, eta) for s in singles]], repeats, 0.3)
    t_loop *= batch / n_loop
    flops = sum(2.0 * np.prod(a) * b[-1] for a, b in recorder.shapes)
    dims = [width] * (depth + 1)
    return StepRecord(depth, width, batch, t_batch, batch / t_batch, flops / t_batch / 1e9,
                      t_loop / t_batch, t_raw / t_batch,
                      chunk_size(network_trial_bytes(dims), DEFAULT_BUDGET, batch))


def bench_hp(depth: int = 3, width: int = 8, digits: int = 50,
             repeats: int = 3) -> dict[str, float]:
    """Seconds per high-precision GD step (one trial): arb, mpmath, exact; and the ratio."""
    rng = np.random.default_rng(1)
    weights = [rng.standard_normal((1, width, width)) for _ in range(depth)]
    loss = WhitenedLoss(rng.standard_normal((width, width)))
    times = {}
    for name, xp in (("arb", hp.arb_backend(digits)), ("mpmath", hp.mpmath_backend(digits)),
                     ("fmpq", hp.FMPQ)):
        ws = hp.to_backend(weights, xp, trial=0)

        def step(ws: list[Any] = ws, xp: Any = xp) -> None:
            with hp.precision(xp):
                gd_step(ws, loss, 0.01, xp=xp)

        times[name] = best_times([step], repeats)[0]
    times["mpmath_over_flint"] = times["mpmath"] / times["arb"]
    return times


def main(json_path: pathlib.Path | None = None, quick: bool = False) -> int:
    """Run the benchmarks, print a table (and write JSON); 0 iff every target is met."""
    rng = np.random.default_rng(0)
    shapes = QUICK_SHAPES if quick else FULL_SHAPES
    repeats = 5 if quick else 15
    print(f"{'depth':>5} {'width':>5} {'batch':>6} {'ms/step':>9} {'trials/s':>11} "
          f"{'GFLOP/s':>8} {'vs loop':>8} {'vs matmul':>9}  target")
    records = []
    for depth, width, batch in shapes:
        rec = bench_step(depth, width, batch, repeats, rng)
        records.append(rec)
        print(f"{depth:>5} {width:>5} {batch:>6} {rec.seconds * 1e3:>9.3f} "
              f"{rec.trials_per_s:>11.3g} {rec.gflops:>8.2f} {rec.loop_ratio:>7.1f}x "
              f"{rec.matmul_ratio:>8.2f}x  {'ok' if rec.meets else 'MISSED'}")
    hp_times = bench_hp(repeats=2 if quick else 5)
    flint_ok = hp_times["mpmath_over_flint"] >= FLINT_TARGET
    print(f"high precision (depth 3, width 8, 50 digits): arb {hp_times['arb'] * 1e3:.2f} ms, "
          f"mpmath {hp_times['mpmath'] * 1e3:.2f} ms, exact fmpq {hp_times['fmpq'] * 1e3:.2f} ms"
          f"; flint/mpmath speed-up {hp_times['mpmath_over_flint']:.1f}x  "
          f"{'ok' if flint_ok else 'MISSED'}")
    print(f"targets: vs loop >= {LOOP_TARGET:g}x at widths <= 8, vs matmul >= {MATMUL_TARGET:g}"
          f" at widths >= 16, flint >= {FLINT_TARGET:g}x mpmath; memory budget "
          f"{DEFAULT_BUDGET / 2**30:g} GiB (chunk column of the JSON)")
    ok = flint_ok and all(r.meets for r in records)
    if json_path is not None:
        payload = {"steps": [asdict(r) | {"meets": r.meets} for r in records],
                   "high_precision": hp_times, "targets_met": ok}
        pathlib.Path(json_path).write_text(json.dumps(payload, indent=2))
    return 0 if ok else 1
