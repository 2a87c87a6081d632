"""Memory budgets: split a batch of trials into chunks that fit a byte budget."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from verify.errors import VerifyError

DEFAULT_BUDGET = 2 * 2**30
"""Default memory budget of a batched run: 2 GiB."""

FLOAT_BYTES = 8


def network_trial_bytes(widths: Sequence[int], data_floats: int = 0,
                        copies: int = 6) -> int:
    """Bytes one trial of a depth-d network with widths (k_0, ..., k_d) needs in a GD step.

    ``copies`` counts the live arrays of layer size (weights, prefixes, backward products,
    gradients, updated weights, temporaries); ``data_floats`` the per-trial data entries.
    """
    layer = sum(widths[j + 1] * widths[j] for j in range(len(widths) - 1))
    chain = sum(w * widths[0] for w in widths[1:]) + sum(w * widths[-1] for w in widths[:-1])
    return FLOAT_BYTES * (copies * layer + 2 * chain + data_floats)


def chunk_size(trial_bytes: int, budget: int = DEFAULT_BUDGET, batch: int | None = None) -> int:
    """Largest number of trials whose working set fits ``budget`` (at least 1 trial)."""
    if trial_bytes <= 0 or budget <= 0:
        raise VerifyError("trial_bytes and budget must be positive")
    size = max(1, budget // trial_bytes)
    if size == 1 and trial_bytes > budget:
        raise VerifyError(f"one trial needs {trial_bytes} bytes, over the budget of {budget}")
    return size if batch is None else min(size, max(batch, 1))


def chunks(batch: int, size: int) -> Iterator[slice]:
    """Consecutive slices of ``range(batch)`` of length ``size`` (the last may be shorter)."""
    for start in range(0, batch, size):
        yield slice(start, min(start + size, batch))
