"""Batched margins evaluated instance by instance in exact arithmetic.

Some properties are logical (an "if and only if" between two exact zero tests, the existence
of a certificate) rather than a continuous inequality: their float64 margin would only be a
thresholded copy of the exact test. :func:`exact_margin` turns the exact ``margin_hp`` of a
:class:`verify.domain.Property` into its batched ``margin``: every instance of the batch is
converted to exact rationals (:func:`verify.domain.to_exact`), evaluated, and the result
rounded to float64 (NaN where the hypotheses fail, so the instance is not admissible).
Meant for tiny instances (a few exact GD steps on k <= 4).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from verify.domain import Batch, Instance, batch_size, take, to_exact

MarginHP = Callable[[Instance, int], "tuple[Any, Any] | None"]


def _as_float(value: Any) -> float:
    if hasattr(value, "p") and hasattr(value, "q"):
        return int(value.p) / int(value.q)
    return float(value)


def exact_margin(margin_hp: MarginHP, digits: int = 30) -> Callable[[Batch], tuple[np.ndarray,
                                                                                np.ndarray]]:
    """The batched ``margin`` of ``margin_hp`` (module docstring)."""

    def margin(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        size = batch_size(batch)
        excess, scale = np.full(size, np.nan), np.ones(size)
        for b in range(size):
            out = margin_hp(to_exact(take(batch, b)), digits)
            if out is not None:
                excess[b], scale[b] = _as_float(out[0]), _as_float(out[1])
        return excess, scale

    return margin
