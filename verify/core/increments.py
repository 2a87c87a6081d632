"""Accurate increments of end-to-end products and losses under tiny steps.

With a step size near 1e-10 the change of ``W_N ... W_1`` in one GD step is far below the
float64 resolution of the product itself, so ``prod(new) - prod(old)`` is mostly rounding.
By multilinearity,

    prod_j (W_j + D_j) - prod_j W_j = sum over non-empty S of prod_j (D_j if j in S else W_j),

which :func:`product_increment` evaluates term by term (2^N - 1 products; N is small here),
each term accurate to float64 relative to its own size. :func:`whitened_loss_increment`
turns it into ``L(W + dW) - L(W) = <W - Phi, dW> + 1/2 ||dW||_F^2`` for
``L(W) = 1/2 ||W - Phi||_F^2`` (Arora et al., seed 002, eq. (2)).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product

import numpy as np

from verify.errors import VerifyError

MAX_LAYERS = 12


def product_increment(weights: Sequence[np.ndarray],
                      deltas: Sequence[np.ndarray]) -> np.ndarray:
    """``(W_N + D_N) ... (W_1 + D_1) - W_N ... W_1`` for batched layers (B, d_j, d_{j-1})."""
    if len(weights) != len(deltas) or not weights:
        raise VerifyError("product_increment needs one delta per layer")
    if len(weights) > MAX_LAYERS:
        raise VerifyError(f"product_increment expands 2^N terms; N <= {MAX_LAYERS}")
    total = None
    for pick in product((False, True), repeat=len(weights)):
        if not any(pick):
            continue
        term = None
        for w, d, use_delta in zip(weights, deltas, pick, strict=True):
            factor = d if use_delta else w
            term = factor if term is None else factor @ term
        total = term if total is None else total + term
    return total


def whitened_loss_increment(W: np.ndarray, dW: np.ndarray, Phi: np.ndarray) -> np.ndarray:
    """``L(W + dW) - L(W)`` for ``L = 1/2 ||. - Phi||_F^2``, per trial (B,)."""
    return np.sum((W - Phi) * dW, axis=(-2, -1)) + 0.5 * np.sum(dW * dW, axis=(-2, -1))
