"""Structured candidates: boundaries and special structure, generated as batches.

Uniform sampling almost never lands on the sets where statements about matrices tend to fail:
the corners of an entry box, rank-deficient or exactly repeated singular values, a zero layer,
an identity-like or orthogonal matrix, a parameter at the end of its range. Each row of a
structured batch picks one *family* per variable (and sometimes the same family for every
matrix, or a copy of another variable). The corner, sign-rank-one, integer,
integer-low-rank, duplicate, permutation, identity and hadamard families build their values
from box ends, small integers, signs and powers of two, so the structure (rank, ties, zeros)
survives exactly in float64 and in the exact re-check; svd, orthogonal, rational and the
random families are continuous approximations the optimiser can start from. Everything goes
through :meth:`Domain.assemble` (box, structure, ``repair``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from verify.domain import Batch, Domain, Matrix, Real, Vector

Rng = np.random.Generator
MatrixFamily = Callable[[Rng, int, int, int, float, float, bool], np.ndarray]

TIE_PROBABILITY = 0.15
COHERENT_PROBABILITY = 0.3


# --------------------------------------------------------------------------- helpers


def _magnitude(low: float, high: float) -> float:
    """The largest c with [-c, c] inside [low, high] (or the largest |bound| if 0 is outside)."""
    if low <= 0 <= high:
        return min(-low, high) if min(-low, high) > 0 else max(-low, high)
    return max(abs(low), abs(high))


def _fit(values: np.ndarray, low: float, high: float, rng: Rng, exact: bool) -> np.ndarray:
    """Scale each sample (leading axis) into the box [low, high], touching the boundary.

    The scale is the largest one that fits (half the time) or a random fraction of it;
    ``exact`` families use the largest power of two that fits instead, so integer structure
    (rank, ties) is preserved exactly in float64.
    """
    if not low <= 0 <= high:
        return np.clip(values, low, high)
    flat = values.reshape(values.shape[0], -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.where(flat > 0, high / flat, np.inf)
        down = np.where(flat < 0, low / flat, np.inf)
    t = np.minimum(up.min(axis=1), down.min(axis=1))
    t = np.where(np.isfinite(t), t, 1.0)
    if exact:
        t = 2.0 ** np.floor(np.log2(np.maximum(t, 1e-300)))
        shrink = rng.random(t.shape) < 0.25
        t = np.where(shrink, t / 2.0 ** rng.integers(1, 4, size=t.shape), t)
    else:
        t = np.where(rng.random(t.shape) < 0.5, t, t * rng.uniform(0.05, 1.0, size=t.shape))
    return np.clip(values * t.reshape((-1,) + (1,) * (values.ndim - 1)), low, high)


def _haar(rng: Rng, n: int, rows: int, cols: int) -> np.ndarray:
    """n random matrices with orthonormal columns (rows >= cols) from the Haar measure."""
    q, r = np.linalg.qr(rng.standard_normal((n, rows, cols)))
    return q * np.sign(np.diagonal(r, axis1=-2, axis2=-1) + 0.5)[..., None, :]


def _spectrum(rng: Rng, n: int, k: int) -> np.ndarray:
    """Singular-value patterns: ties, zeros, all equal, one dominant, geometric, random."""
    s = rng.uniform(0.05, 1.0, size=(n, k))
    s = -np.sort(-s, axis=1)
    kind = rng.integers(0, 6, size=n)
    for i in range(n):
        if k < 2:
            break
        j = int(rng.integers(0, k - 1))
        if kind[i] == 0:  # a repeated singular value
            s[i, j + 1] = s[i, j]
        elif kind[i] == 1:  # trailing zeros (rank deficiency)
            s[i, j + 1:] = 0.0
        elif kind[i] == 2:  # all equal (a scaled isometry)
            s[i] = 1.0
        elif kind[i] == 3:  # one dominant direction
            s[i, 1:] = rng.uniform(0, 1e-3, size=k - 1)
        elif kind[i] == 4:
            s[i] = 2.0 ** -np.arange(k)
    return s


def _mirror(m: np.ndarray) -> np.ndarray:
    """Symmetric matrices from the upper triangles (exact: no averaging)."""
    upper = np.triu(m)
    return upper + np.swapaxes(np.triu(m, 1), -1, -2)


# --------------------------------------------------------------------------- matrix families
# Each family: (rng, n, rows, cols, low, high, symmetric) -> (n, rows, cols) raw values.


def _uniform(rng, n, r, c, lo, hi, sym):
    m = rng.uniform(lo, hi, size=(n, r, c))
    return _mirror(m) if sym else m


def _corner(rng, n, r, c, lo, hi, sym):
    """Entries at the box's ends (and sometimes 0): the vertices of the entry box."""
    choices = np.array([lo, hi, 0.0] if lo <= 0 <= hi else [lo, hi])
    p_zero = rng.uniform(0, 0.5, size=(n, 1, 1)) if lo <= 0 <= hi else None
    m = np.where(rng.random((n, r, c)) < 0.5, choices[0], choices[1])
    if p_zero is not None:
        m = np.where(rng.random((n, r, c)) < p_zero, 0.0, m)
    return _mirror(m) if sym else m


def _sign_rank_one(rng, n, r, c, lo, hi, sym):
    """c * u v^T with sign vectors (a few zeros): rank one, at the box's boundary, exact."""
    u = rng.choice([-1.0, 1.0, 1.0, 1.0, 0.0], size=(n, r, 1))
    v = u.swapaxes(-1, -2) if sym else rng.choice([-1.0, 1.0, 1.0, 1.0, 0.0], size=(n, 1, c))
    return _magnitude(lo, hi) * (u @ v)


def _integer(rng, n, r, c, lo, hi, sym):
    m = rng.integers(-3, 4, size=(n, r, c)).astype(float)
    return _fit(_mirror(m) if sym else m, lo, hi, rng, exact=True)


def _integer_low_rank(rng, n, r, c, lo, hi, sym):
    """Sums of k < min(r, c) integer rank-one terms: exactly rank-deficient."""
    out = np.zeros((n, r, c))
    kmax = max(1, min(r, c) - 1)
    ranks = rng.integers(1, kmax + 1, size=n)
    for i in range(n):
        u = rng.integers(-2, 3, size=(r, ranks[i])).astype(float)
        if sym:
            d = rng.choice([-1.0, 1.0], size=ranks[i])
            out[i] = (u * d) @ u.T
        else:
            out[i] = u @ rng.integers(-2, 3, size=(ranks[i], c)).astype(float)
    return _fit(out, lo, hi, rng, exact=True)


def _duplicate(rng, n, r, c, lo, hi, sym):
    """Random entries with a row or column copied (up to sign) or zeroed: exactly singular.

    Symmetric matrices copy a row and the matching column, which keeps the symmetry.
    """
    m = _uniform(rng, n, r, c, lo, hi, sym)
    zero_ok = lo <= 0 <= hi
    flip = -1.0 if lo == -hi and not sym else 1.0
    for i in range(n):
        axis = 0 if sym else int(rng.integers(0, 2))
        size = (r, c)[axis]
        if size < 2:
            continue
        a, b = rng.choice(size, size=2, replace=False)
        factor = 0.0 if zero_ok and rng.random() < 0.3 else (flip if rng.random() < 0.5 else 1.0)
        if axis == 0:
            m[i, b] = factor * m[i, a]
        if axis == 1 or sym:
            m[i, :, b] = factor * m[i, :, a]
    return m


def _svd(rng, n, r, c, lo, hi, sym):
    """U diag(s) V^T with repeated, zero or equal singular values (continuous)."""
    k = min(r, c)
    s = _spectrum(rng, n, k)
    u = _haar(rng, n, r, k)
    if sym:
        signs = rng.choice([-1.0, 1.0], size=(n, 1, k))
        m = (u * s[:, None, :] * signs) @ u.swapaxes(-1, -2)
    else:
        m = (u * s[:, None, :]) @ _haar(rng, n, c, k).swapaxes(-1, -2)
    return _fit(m, lo, hi, rng, exact=False)


def _diagonal(rng, n, r, c, lo, hi, sym):
    k = min(r, c)
    d = _values(rng, n, k, lo, hi)
    out = np.zeros((n, r, c))
    idx = np.arange(k)
    out[:, idx, idx] = d
    return out


def _permutation(rng, n, r, c, lo, hi, sym):
    """Signed (partial) permutations times a magnitude, sometimes with tied weights: exact."""
    k = min(r, c)
    out = np.zeros((n, r, c))
    mag = _magnitude(lo, hi)
    for i in range(n):
        rows = rng.permutation(r)[:k]
        cols = rows if sym and r == c else rng.permutation(c)[:k]
        signs = np.ones(k) if sym else rng.choice([-1.0, 1.0], size=k)
        weights = mag * 2.0 ** -rng.integers(0, 2, size=k) if rng.random() < 0.5 else mag
        out[i, rows, cols] = signs * weights
    return _mirror(out) if sym else out


def _identity(rng, n, r, c, lo, hi, sym):
    eye = np.broadcast_to(np.eye(r, c), (n, r, c))
    scale = _magnitude(lo, hi) * 2.0 ** -rng.integers(0, 3, size=(n, 1, 1))
    return eye * np.where(rng.random((n, 1, 1)) < 0.2, -scale, scale)


def _orthogonal(rng, n, r, c, lo, hi, sym):
    if r >= c:
        m = _haar(rng, n, r, c)
    else:
        m = _haar(rng, n, c, r).swapaxes(-1, -2)
    if sym:
        q = _haar(rng, n, r, r)
        m = (q * rng.choice([-1.0, 1.0], size=(n, 1, r))) @ q.swapaxes(-1, -2)
    return _fit(m, lo, hi, rng, exact=False)


def _hadamard(rng, n, r, c, lo, hi, sym):
    """Blocks [[1, 1], [1, -1]] (equal singular values) on the diagonal, exact."""
    out = np.zeros((n, r, c))
    for i in range(min(r, c) // 2):
        out[:, 2 * i: 2 * i + 2, 2 * i: 2 * i + 2] = [[1.0, 1.0], [1.0, -1.0]]
    k = min(r, c)
    if k % 2:
        out[:, k - 1, k - 1] = rng.choice([-1.0, 1.0], size=n)
    return _fit(out, lo, hi, rng, exact=True)


def _rational(rng, n, r, c, lo, hi, sym):
    q = rng.choice([2.0, 3.0, 4.0, 5.0], size=(n, 1, 1))
    m = np.round(rng.uniform(lo, hi, size=(n, r, c)) * q) / q
    m = np.clip(m, lo, hi)
    return _mirror(m) if sym else m


def _zero(rng, n, r, c, lo, hi, sym):
    return np.zeros((n, r, c)) if lo <= 0 <= hi else _uniform(rng, n, r, c, lo, hi, sym)


def _sparse(rng, n, r, c, lo, hi, sym):
    keep = rng.random((n, r, c)) < rng.uniform(0.1, 0.4, size=(n, 1, 1))
    ends = np.where(rng.random((n, r, c)) < 0.5, lo, hi)
    values = np.where(rng.random((n, r, c)) < 0.5, ends, rng.uniform(lo, hi, size=(n, r, c)))
    m = np.where(keep, values, 0.0 if lo <= 0 <= hi else lo)
    return _mirror(m) if sym else m


def _boundary_mix(rng, n, r, c, lo, hi, sym):
    m = rng.uniform(lo, hi, size=(n, r, c))
    push = rng.random((n, r, c)) < rng.uniform(0.3, 0.9, size=(n, 1, 1))
    m = np.where(push, np.where(m > 0.5 * (lo + hi), hi, lo), m)
    return _mirror(m) if sym else m


MATRIX_FAMILIES: dict[str, tuple[MatrixFamily, float]] = {
    "uniform": (_uniform, 1.0),
    "corner": (_corner, 2.0),
    "sign-rank-one": (_sign_rank_one, 1.0),
    "integer": (_integer, 1.0),
    "integer-low-rank": (_integer_low_rank, 1.5),
    "duplicate": (_duplicate, 1.0),
    "svd": (_svd, 2.0),
    "diagonal": (_diagonal, 1.0),
    "permutation": (_permutation, 1.0),
    "identity": (_identity, 0.5),
    "orthogonal": (_orthogonal, 1.0),
    "hadamard": (_hadamard, 0.5),
    "rational": (_rational, 1.0),
    "zero": (_zero, 0.5),
    "sparse": (_sparse, 1.0),
    "boundary-mix": (_boundary_mix, 1.0),
}

ORTHOGONAL_FAMILIES = ("identity", "permutation", "orthogonal", "hadamard", "uniform")


# --------------------------------------------------------------------------- vectors, reals


def _values(rng: Rng, n: int, k: int, lo: float, hi: float) -> np.ndarray:
    """(n, k) special value patterns: box ends, zeros, ties, one-hot, integers, rationals."""
    out = rng.uniform(lo, hi, size=(n, k))
    kind = rng.integers(0, 8, size=n)
    zero_ok = lo <= 0 <= hi
    mag = _magnitude(lo, hi)
    for i in range(n):
        if kind[i] == 0:
            out[i] = np.where(rng.random(k) < 0.5, lo, hi)
        elif kind[i] == 1 and zero_ok:
            out[i] = np.where(rng.random(k) < 0.5, 0.0, out[i])
        elif kind[i] == 2 and k > 1:  # ties
            j = rng.choice(k, size=2, replace=False)
            out[i, j[1]] = out[i, j[0]]
        elif kind[i] == 3:
            out[i] = out[i, 0]
        elif kind[i] == 4 and zero_ok:
            out[i] = 0.0
            out[i, rng.integers(k)] = mag if rng.random() < 0.5 else -mag
        elif kind[i] == 5:
            out[i] = _fit(rng.integers(-3, 4, size=(1, k)).astype(float), lo, hi, rng, True)[0]
        elif kind[i] == 6:
            q = float(rng.choice([2, 3, 4]))
            out[i] = np.clip(np.round(out[i] * q) / q, lo, hi)
        elif kind[i] == 7 and zero_ok:
            out[i] = 0.0
    return out


def _real_values(rng: Rng, var: Real, n: int) -> np.ndarray:
    """Endpoints (nudged inside when open), 0, ±1, simple rationals, near-end and uniform."""
    lo, hi = var.low, var.high
    width = hi - lo
    nudges = np.array([2.0**-40, 2.0**-20, 2.0**-10, 1e-3])
    if var.log:
        near_lo = lo * (hi / lo) ** nudges
        near_hi = hi * (lo / hi) ** nudges
    else:
        near_lo, near_hi = lo + width * nudges, hi - width * nudges
    ends = [near_lo if var.open_low else np.array([lo]), near_hi if var.open_high else
            np.array([hi])]
    special = [x for x in (0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0) if lo < x < hi]
    kind = rng.integers(0, 8, size=n)
    out = (np.exp(rng.uniform(np.log(lo), np.log(hi), size=n)) if var.log
           else rng.uniform(lo, hi, size=n))
    for i in range(n):
        if kind[i] in (0, 1):
            out[i] = rng.choice(ends[0])
        elif kind[i] in (2, 3):
            out[i] = rng.choice(ends[1])
        elif kind[i] == 4 and special:
            out[i] = rng.choice(special)
        elif kind[i] == 5:
            q = float(rng.choice([1, 2, 3, 4, 10]))
            out[i] = np.round(out[i] * q) / q
        elif kind[i] == 6:
            out[i] = rng.choice(np.concatenate([near_lo, near_hi]))
    return var.clip(out)


# --------------------------------------------------------------------------- batches


def _matrix_raw(rng: Rng, var: Matrix, n: int, shape: tuple[int, int],
                families: np.ndarray) -> np.ndarray:
    """Raw values of ``var`` for each row, drawn from the family named in ``families``."""
    r, c = shape
    out = np.empty((n, r, c))
    sym = var.structure == "symmetric"
    for name in np.unique(families):
        rows = np.flatnonzero(families == name)
        if var.structure == "diagonal":
            fam = _diagonal
        elif var.structure == "orthogonal" and name not in ORTHOGONAL_FAMILIES:
            fam = _orthogonal
        else:
            fam = MATRIX_FAMILIES[str(name)][0]
        out[rows] = fam(rng, rows.size, r, c, var.low, var.high, sym)
    return out


def structured_batch(domain: Domain, dims: Mapping[str, int], rng: Rng, n: int) -> Batch:
    """``n`` structured candidates at fixed ``dims`` (see the module docstring)."""
    names = list(MATRIX_FAMILIES)
    weights = np.array([MATRIX_FAMILIES[k][1] for k in names])
    weights /= weights.sum()
    coherent = rng.random(n) < COHERENT_PROBABILITY
    shared = rng.choice(names, size=n, p=weights)
    raw: dict[str, np.ndarray] = {}
    shapes: dict[str, tuple[int, ...]] = {}
    for var in domain.continuous:
        if isinstance(var, Real):
            raw[var.name] = _real_values(rng, var, n)
            continue
        shape = var.shape(dims)
        if isinstance(var, Vector):
            raw[var.name] = _values(rng, n, shape[0], var.low, var.high)
        else:
            own = rng.choice(names, size=n, p=weights)
            raw[var.name] = _matrix_raw(rng, var, n, shape, np.where(coherent, shared, own))
        _tie(rng, var, raw, shapes, shape)
        shapes[var.name] = shape
    return domain.assemble(raw, dims)


def _tie(rng: Rng, var: Matrix | Vector, raw: dict[str, np.ndarray],
         shapes: dict[str, tuple[int, ...]], shape: tuple[int, ...]) -> None:
    """Sometimes copy an earlier variable (up to sign, a factor 2 or a transpose) into ``var``."""
    for other, other_shape in shapes.items():
        transpose = len(shape) == 2 and other_shape == shape[::-1] and shape[0] != shape[1]
        if other_shape != shape and not transpose:
            continue
        n = raw[var.name].shape[0]
        rows = np.flatnonzero(rng.random(n) < TIE_PROBABILITY)
        source = raw[other][rows]
        if transpose:
            source = np.swapaxes(source, -1, -2)
        factor = rng.choice([1.0, -1.0, 0.5, -0.5, 2.0], size=(rows.size,) + (1,) * len(shape))
        raw[var.name][rows] = np.clip(source * factor, var.low, var.high)
