"""Statements as signed violation margins over a domain of admissible inputs.

A :class:`Property` is what the trials and search checks share: the hypotheses' domain
(:class:`Domain`), a batched float64 margin and a high-precision margin for one instance.

Instances and batches
---------------------
An *instance* maps each variable name to a value: ``int`` for an :class:`Integer`, ``float``
for a :class:`Real`, an ``ndarray`` for a :class:`Matrix` or :class:`Vector`. A *batch* has the
same keys, with integers shared by the whole batch and a leading axis of length B on everything
else. The high-precision margin receives an instance whose reals and array entries are exact
``fractions.Fraction`` values (object arrays), so it can compute exactly (python-flint
``fmpq_mat``), with balls (``arb_mat``) or with mpmath at a given number of digits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from verify.errors import VerifyError
from verify.verdicts import Tolerance

Batch = dict[str, Any]
Instance = dict[str, Any]
Evaluation = tuple[np.ndarray, np.ndarray]
"""``(excess, scale)``, each of shape (B,): see :mod:`verify.verdicts`."""

MATRIX_STRUCTURES = ("general", "symmetric", "diagonal", "orthogonal", "psd")


@dataclass(frozen=True)
class Integer:
    """An integer parameter (a dimension, a depth, a step count) in ``[low, high]``."""

    name: str
    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise VerifyError(f"Integer {self.name}: empty range [{self.low}, {self.high}]")


@dataclass(frozen=True)
class Real:
    """A real parameter in ``[low, high]`` (endpoints excluded when ``open_low``/``open_high``).

    ``log=True`` samples log-uniformly (requires ``low > 0``).
    """

    name: str
    low: float
    high: float
    log: bool = False
    open_low: bool = False
    open_high: bool = False

    def __post_init__(self) -> None:
        if not (np.isfinite(self.low) and np.isfinite(self.high) and self.low < self.high):
            raise VerifyError(f"Real {self.name}: invalid range [{self.low}, {self.high}]")
        if self.log and self.low <= 0:
            raise VerifyError(f"Real {self.name}: log sampling needs low > 0")

    def clip(self, values: np.ndarray) -> np.ndarray:
        """Map values into the admissible interval (open ends are nudged inside)."""
        low = np.nextafter(self.low, np.inf) if self.open_low else self.low
        high = np.nextafter(self.high, -np.inf) if self.open_high else self.high
        return np.clip(values, low, high)


@dataclass(frozen=True)
class Matrix:
    """A matrix variable; ``rows``/``cols`` are ints or names of :class:`Integer` variables.

    Entries of the raw parametrisation lie in ``[low, high]``; ``structure`` restricts the
    matrix: ``general``, ``symmetric`` ((R + R^T)/2), ``diagonal`` (diag of the raw diagonal),
    ``orthogonal`` (Q of a QR decomposition with sign-fixed R, square only) or ``psd`` (R R^T).
    """

    name: str
    rows: int | str
    cols: int | str
    low: float = -1.0
    high: float = 1.0
    structure: str = "general"

    def __post_init__(self) -> None:
        if self.structure not in MATRIX_STRUCTURES:
            raise VerifyError(f"Matrix {self.name}: unknown structure {self.structure!r}")
        if not self.low < self.high:
            raise VerifyError(f"Matrix {self.name}: invalid entry range")

    def shape(self, dims: Mapping[str, int]) -> tuple[int, int]:
        return (_resolve(self.rows, dims, self.name), _resolve(self.cols, dims, self.name))

    def realize(self, raw: np.ndarray) -> np.ndarray:
        """Map raw parameters of shape (B, rows, cols) to matrices with this structure."""
        if self.structure == "general":
            return raw
        if self.structure == "symmetric":
            return 0.5 * (raw + np.swapaxes(raw, -1, -2))
        if self.structure == "diagonal":
            out = np.zeros_like(raw)
            k = min(raw.shape[-2:])
            idx = np.arange(k)
            out[..., idx, idx] = raw[..., idx, idx]
            return out
        if self.structure == "psd":
            return raw @ np.swapaxes(raw, -1, -2)
        q, r = np.linalg.qr(raw)
        signs = np.where(np.diagonal(r, axis1=-2, axis2=-1) < 0, -1.0, 1.0)
        return q * signs[..., None, :]


@dataclass(frozen=True)
class Vector:
    """A vector variable of length ``size`` (an int or the name of an :class:`Integer`)."""

    name: str
    size: int | str
    low: float = -1.0
    high: float = 1.0

    def shape(self, dims: Mapping[str, int]) -> tuple[int]:
        return (_resolve(self.size, dims, self.name),)


Variable = Integer | Real | Matrix | Vector


def _resolve(size: int | str, dims: Mapping[str, int], owner: str) -> int:
    if isinstance(size, int):
        return size
    if size not in dims:
        raise VerifyError(f"{owner}: size {size!r} is not an Integer variable of the domain")
    return int(dims[size])


@dataclass(frozen=True)
class Domain:
    """The inputs a statement quantifies over, and its hypotheses.

    ``repair`` (optional, batched) maps raw samples onto the hypothesis set, e.g. rescaling a
    perturbation into a ball; ``hypothesis`` (optional, batched) returns a boolean mask of the
    instances that satisfy the statement's hypotheses (others are discarded, never counted).
    ``dims_ok`` restricts combinations of integer parameters (e.g. ``d >= n``).
    """

    variables: tuple[Variable, ...]
    hypothesis: Callable[[Batch], np.ndarray] | None = None
    repair: Callable[[Batch], Batch] | None = None
    dims_ok: Callable[[Mapping[str, int]], bool] | None = None

    def __post_init__(self) -> None:
        names = [v.name for v in self.variables]
        if len(set(names)) != len(names):
            raise VerifyError(f"duplicate variable names in domain: {names}")

    @property
    def integers(self) -> tuple[Integer, ...]:
        return tuple(v for v in self.variables if isinstance(v, Integer))

    @property
    def continuous(self) -> tuple[Real | Matrix | Vector, ...]:
        return tuple(v for v in self.variables if not isinstance(v, Integer))

    def all_dims(self) -> list[dict[str, int]]:
        """Every admissible assignment of the integer parameters (smallest first)."""
        combos: list[dict[str, int]] = [{}]
        for var in self.integers:
            combos = [{**c, var.name: k} for c in combos for k in range(var.low, var.high + 1)]
        combos = [c for c in combos if self.dims_ok is None or self.dims_ok(c)]
        if not combos:
            raise VerifyError("the domain admits no integer parameters (dims_ok rejects all)")
        return sorted(combos, key=lambda c: (sum(c.values()), sorted(c.items())))

    def sample_dims(self, rng: np.random.Generator) -> dict[str, int]:
        combos = self.all_dims()
        return combos[int(rng.integers(len(combos)))]

    def vector_size(self, dims: Mapping[str, int]) -> int:
        """Length of the flat raw parametrisation of the continuous variables at ``dims``."""
        return sum(int(np.prod(self._shape(v, dims))) for v in self.continuous)

    def bounds(self, dims: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds of the flat raw parametrisation."""
        lows, highs = [], []
        for var in self.continuous:
            size = int(np.prod(self._shape(var, dims)))
            low, high = (var.low, var.high)
            if isinstance(var, Real) and var.log:
                low, high = np.log(var.low), np.log(var.high)
            lows.append(np.full(size, float(low)))
            highs.append(np.full(size, float(high)))
        return np.concatenate(lows or [np.zeros(0)]), np.concatenate(highs or [np.zeros(0)])

    def from_vector(self, flat: np.ndarray, dims: Mapping[str, int]) -> Batch:
        """Build a batch from raw parameters ``flat`` of shape (B, vector_size(dims)).

        Applies each matrix's structure, clips reals to their interval, then ``repair``.
        """
        flat = np.atleast_2d(np.asarray(flat, dtype=float))
        raw: dict[str, np.ndarray] = {}
        offset = 0
        for var in self.continuous:
            shape = self._shape(var, dims)
            size = int(np.prod(shape))
            chunk = flat[:, offset : offset + size]
            offset += size
            if isinstance(var, Real):
                raw[var.name] = np.exp(chunk[:, 0]) if var.log else chunk[:, 0]
            else:
                raw[var.name] = chunk.reshape((-1, *shape))
        return self.assemble(raw, dims)

    def assemble(self, raw: Mapping[str, np.ndarray], dims: Mapping[str, int]) -> Batch:
        """Build a batch from raw values per variable (reals as values, not logarithms).

        Reals are clipped to their interval, vector and matrix raw parameters to their entry
        box, matrices get their structure, then ``repair`` is applied. Raw values that already
        have the structure and lie in the box pass through unchanged (up to ``repair``).
        """
        batch: Batch = dict(dims)
        for var in self.continuous:
            values = np.asarray(raw[var.name], dtype=float)
            if isinstance(var, Real):
                batch[var.name] = var.clip(values.reshape(-1))
            elif isinstance(var, Matrix):
                batch[var.name] = var.realize(np.clip(values, var.low, var.high))
            else:
                batch[var.name] = np.clip(values, var.low, var.high)
        return self.repair(batch) if self.repair is not None else batch

    def to_vector(self, batch: Batch, dims: Mapping[str, int]) -> np.ndarray:
        """Flat raw parameters (B, vector_size(dims)) that :meth:`from_vector` maps to ``batch``.

        Exact inverse for reals, vectors and general, symmetric, diagonal and orthogonal
        matrices inside their box (before ``repair``); ``psd`` matrices use the symmetric
        square root. Values are clipped to :meth:`bounds`, so the result is always feasible.
        """
        n = batch_size(batch)
        chunks = []
        for var in self.continuous:
            values = np.asarray(batch[var.name], dtype=float)
            if isinstance(var, Real):
                values = values.reshape(n, 1)
                chunks.append(np.log(np.maximum(values, var.low)) if var.log else values)
                continue
            if isinstance(var, Matrix) and var.structure == "psd":
                values = _psd_factor(values, var.shape(dims)[1])
            chunks.append(values.reshape(n, -1))
        flat = np.concatenate(chunks, axis=1) if chunks else np.zeros((n, 0))
        low, high = self.bounds(dims)
        return np.clip(flat, low, high)

    def contains(self, instance: Instance) -> bool:
        """Does one (float or exact) instance lie in the domain's ranges and structures?

        Checks integer ranges and ``dims_ok``, real intervals (open ends excluded), vector
        and matrix entry boxes, and the symmetric/diagonal structures exactly. ``psd`` and
        ``orthogonal`` matrices are left to the hypotheses (``margin_hp`` decides).
        """
        dims = {v.name: instance[v.name] for v in self.integers}
        if any(not v.low <= dims[v.name] <= v.high for v in self.integers):
            return False
        if self.dims_ok is not None and not self.dims_ok(dims):
            return False
        for var in self.continuous:
            value = instance[var.name]
            if isinstance(var, Real):
                if not (value > var.low if var.open_low else value >= var.low):
                    return False
                if not (value < var.high if var.open_high else value <= var.high):
                    return False
                continue
            arr = np.asarray(value)
            structure = var.structure if isinstance(var, Matrix) else "general"
            if arr.shape != realized_shape(var, dims):
                return False
            if structure in ("psd", "orthogonal"):
                continue
            if not all(var.low <= x <= var.high for x in arr.ravel()):
                return False
            if structure == "symmetric" and not np.array_equal(arr, arr.T):
                return False
            if structure == "diagonal" and any(
                    arr[i, j] != 0 for i in range(arr.shape[0]) for j in range(arr.shape[1])
                    if i != j):
                return False
        return True

    def sample(self, rng: np.random.Generator, n: int, dims: Mapping[str, int]) -> Batch:
        """``n`` plain uniform samples of the raw parametrisation at fixed ``dims``."""
        low, high = self.bounds(dims)
        return self.from_vector(rng.uniform(low, high, size=(n, low.size)), dims)

    def admissible(self, batch: Batch) -> np.ndarray:
        """Boolean mask (B,) of instances satisfying the hypotheses (and finite)."""
        n = batch_size(batch)
        mask = np.ones(n, dtype=bool)
        for var in self.continuous:
            values = np.asarray(batch[var.name], dtype=float).reshape(n, -1)
            mask &= np.all(np.isfinite(values), axis=1)
        if self.hypothesis is not None:
            mask &= np.asarray(self.hypothesis(batch), dtype=bool)
        return mask

    @staticmethod
    def _shape(var: Variable, dims: Mapping[str, int]) -> tuple[int, ...]:
        if isinstance(var, Real):
            return (1,)
        return var.shape(dims)


def realized_shape(var: Matrix | Vector, dims: Mapping[str, int]) -> tuple[int, ...]:
    """Shape of the variable's value in an instance (a ``psd`` matrix is rows x rows)."""
    shape = var.shape(dims)
    if isinstance(var, Matrix) and var.structure == "psd":
        return (shape[0], shape[0])
    return shape


def _psd_factor(values: np.ndarray, cols: int) -> np.ndarray:
    """Factors R (B, rows, cols) with R R^T equal to the PSD part of ``values`` (B, rows, rows),
    truncated to the ``cols`` largest eigenvalues when ``cols < rows``."""
    w, v = np.linalg.eigh(0.5 * (values + np.swapaxes(values, -1, -2)))
    factor = (v * np.sqrt(np.maximum(w, 0.0))[..., None, :])[..., ::-1]
    rows = values.shape[-1]
    if cols <= rows:
        return factor[..., :cols]
    return np.concatenate([factor, np.zeros((*factor.shape[:-1], cols - rows))], axis=-1)


def batch_size(batch: Batch) -> int:
    """Number of instances in a batch (1 when it holds only integers)."""
    for value in batch.values():
        if isinstance(value, np.ndarray) and value.ndim >= 1:
            return int(value.shape[0])
    return 1


def take(batch: Batch, index) -> Batch:
    """Sub-batch (index array or slice) or, for an integer index, one instance."""
    return {k: (v[index] if isinstance(v, np.ndarray) and v.ndim >= 1 else v)
            for k, v in batch.items()}


def stack(instances: list[Instance]) -> Batch:
    """Stack instances with identical integers into a batch."""
    first = instances[0]
    out: Batch = {}
    for key, value in first.items():
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            out[key] = int(value)
        else:
            out[key] = np.stack([np.asarray(inst[key], dtype=float) for inst in instances])
    return out


def summarize(instance: Instance, decimals: int = 6) -> dict[str, Any]:
    """A compact, JSON-friendly, rounded view of an instance (for near-miss reports)."""
    out: dict[str, Any] = {}
    for key, value in instance.items():
        if isinstance(value, np.ndarray):
            out[key] = np.round(value.astype(float), decimals).tolist()
        elif isinstance(value, (int, np.integer)):
            out[key] = int(value)
        else:
            out[key] = round(float(value), decimals + 3)
    return out


def to_exact(instance: Instance) -> Instance:
    """The same instance with every real and array entry as an exact ``Fraction``."""
    out: Instance = {}
    for key, value in instance.items():
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            out[key] = int(value)
        elif isinstance(value, np.ndarray) and value.dtype == object:
            out[key] = np.vectorize(Fraction, otypes=[object])(value)
        elif isinstance(value, np.ndarray):
            if not np.all(np.isfinite(value)):
                raise VerifyError(f"non-finite entries in {key!r}")
            out[key] = np.vectorize(Fraction, otypes=[object])(value.astype(float))
        else:
            out[key] = Fraction(value)
    return out


def float_rerun(margin: Callable[[Batch], tuple[np.ndarray, np.ndarray]]
                ) -> Callable[[Instance, int], tuple[Fraction, Fraction] | None]:
    """A ``margin_hp`` for properties that only exist in float64 (e.g. long GD runs): it
    re-runs ``margin`` on the float64 rounding of the instance and returns the result as exact
    rationals, or None when it is not finite (a diverged run: inadmissible). It re-checks the
    float computation; it does not add precision."""

    def margin_hp(inst: Instance, digits: int) -> tuple[Fraction, Fraction] | None:
        excess, scale = margin(stack([to_float(inst)]))
        if not (np.isfinite(excess[0]) and np.isfinite(scale[0])):
            return None
        return Fraction(float(excess[0])), Fraction(float(scale[0]))

    return margin_hp


def to_float(instance: Instance) -> Instance:
    """The same instance with exact entries rounded to float64 (for the batched margin)."""
    out: Instance = {}
    for key, value in instance.items():
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            out[key] = int(value)
        elif isinstance(value, np.ndarray):
            out[key] = np.asarray(value, dtype=float)
        else:
            out[key] = float(value)
    return out


@dataclass(frozen=True)
class Property:
    """A statement as a signed violation margin over a :class:`Domain`.

    ``margin(batch) -> (excess, scale)`` is batched float64. ``margin_hp(instance, digits)``
    re-evaluates one exact instance (see module docstring) and returns ``(excess, scale)``
    where ``excess`` is exact (``Fraction`` / ``flint.fmpq``), a ball (``flint.arb``) or an
    ``mpmath.mpf``/``mpi`` computed with ``digits`` significant digits; it returns ``None``
    when the instance does not satisfy the hypotheses at high precision (so float rounding
    at the boundary of the hypotheses can never produce a counterexample). ``rigorous``
    states that ``margin_hp`` is exact or interval arithmetic, so its bounds can certify.
    """

    domain: Domain
    margin: Callable[[Batch], Evaluation]
    margin_hp: Callable[[Instance, int], tuple[Any, Any] | None]
    tolerance: Tolerance = field(default_factory=Tolerance)
    rigorous: bool = False
    description: str = ""
