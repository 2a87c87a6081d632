"""Counterexamples as data: exact encoding of instances, JSON files, high-precision replay."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import mpmath
import numpy as np

from verify.domain import Instance, to_exact
from verify.errors import VerifyError
from verify.precision import Bounds, bounds
from verify.verdicts import Tolerance

SCHEMA = 1


def encode_instance(instance: Instance) -> dict[str, Any]:
    """JSON form of an instance with exact rational entries written as "p/q" strings."""
    exact = to_exact(instance)
    out: dict[str, Any] = {}
    for key, value in exact.items():
        if isinstance(value, int):
            out[key] = {"type": "integer", "value": value}
        elif isinstance(value, np.ndarray):
            out[key] = {"type": "array", "shape": list(value.shape),
                        "value": np.vectorize(str, otypes=[object])(value).tolist()}
        else:
            out[key] = {"type": "rational", "value": str(value)}
    return out


def decode_instance(data: Any) -> Instance:
    """Inverse of :func:`encode_instance`; raises VerifyError on anything malformed."""
    if not isinstance(data, dict) or not data:
        raise VerifyError("counterexample inputs must be a non-empty object")
    out: Instance = {}
    for key, item in data.items():
        if not isinstance(item, dict) or "type" not in item or "value" not in item:
            raise VerifyError(f"input {key!r} must have 'type' and 'value'")
        kind, value = item["type"], item["value"]
        if kind == "integer":
            if not isinstance(value, int) or isinstance(value, bool):
                raise VerifyError(f"input {key!r}: integer expected")
            out[key] = value
        elif kind == "rational":
            out[key] = _fraction(value, key)
        elif kind == "array":
            shape = item.get("shape")
            arr = np.array(value, dtype=object)
            if not isinstance(shape, list) or list(arr.shape) != shape:
                raise VerifyError(f"input {key!r}: entries do not match shape {shape}")
            out[key] = np.vectorize(lambda v, k=key: _fraction(v, k), otypes=[object])(arr) \
                if arr.size else arr
        else:
            raise VerifyError(f"input {key!r}: unknown type {kind!r}")
    return out


def _fraction(value: Any, key: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise VerifyError(f"input {key!r}: rational entries must be strings like '3/4'")
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise VerifyError(f"input {key!r}: {value!r} is not a rational number") from None


@dataclass(frozen=True)
class HPEvaluation:
    """A high-precision re-evaluation of one instance against a tolerance."""

    excess: Bounds
    scale: Bounds
    tolerance: Tolerance
    digits: int

    @property
    def violated(self) -> bool:
        """The excess is certainly above the allowance (a genuine counterexample)."""
        allowance = self.tolerance.atol + self.tolerance.rtol * abs(self.scale.high)
        return bool(self.excess.low > allowance)

    @property
    def holds_rigorously(self) -> bool:
        """Rigorous bounds show excess <= 0."""
        return self.excess.rigorous and bool(self.excess.high <= 0)

    @property
    def margin(self) -> mpmath.mpf:
        with mpmath.workdps(self.digits):
            return self.excess.mid / max(abs(self.scale.mid), mpmath.mpf("1e-300"))

    def describe(self) -> str:
        return (f"excess {self.excess} ({self.excess.tier}, {self.digits} digits), "
                f"scale {self.scale}, margin {mpmath.nstr(self.margin, 12)}")


def evaluate_hp(replay: Callable[[Instance, int], Any], instance: Instance,
                tolerance: Tolerance, digits: int) -> HPEvaluation | None:
    """Evaluate ``replay`` (a property's ``margin_hp``) on the exact form of ``instance``.

    Returns None when the instance fails the hypotheses at high precision.
    """
    result = replay(to_exact(instance), digits)
    if result is None:
        return None
    excess, scale = result
    return HPEvaluation(bounds(excess, digits), bounds(scale, digits), tolerance, digits)


@dataclass(frozen=True)
class Counterexample:
    """A re-checked violation: enough data to replay it with one command."""

    claim_id: str
    variant: str
    check: str
    inputs: dict[str, Any]
    margin_float: float
    margin_hp: str
    excess_hp: str
    precision: str
    seed: int
    stage: str
    tolerance: Tolerance

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "claim_id": self.claim_id,
            "variant": self.variant,
            "check": self.check,
            "inputs": self.inputs,
            "margin_float": self.margin_float,
            "margin_hp": self.margin_hp,
            "excess_hp": self.excess_hp,
            "precision": self.precision,
            "seed": self.seed,
            "stage": self.stage,
            "tolerance": self.tolerance.to_json(),
        }

    @classmethod
    def build(cls, *, claim_id: str, variant: str, check: str, instance: Instance,
              margin_float: float, hp: HPEvaluation, seed: int, stage: str) -> Counterexample:
        return cls(claim_id, variant, check, encode_instance(instance), float(margin_float),
                   mpmath.nstr(hp.margin, 20), str(hp.excess), f"{hp.excess.tier}:{hp.digits}",
                   seed, stage, hp.tolerance)

    @classmethod
    def from_json(cls, data: Any) -> Counterexample:
        if not isinstance(data, dict):
            raise VerifyError("a counterexample file must hold a JSON object")
        required = ("claim_id", "variant", "check", "inputs", "tolerance")
        missing = [k for k in required if k not in data]
        if missing:
            raise VerifyError(f"counterexample is missing field(s): {', '.join(missing)}")
        if data.get("schema", SCHEMA) != SCHEMA:
            raise VerifyError(f"unsupported counterexample schema {data.get('schema')!r}")
        decode_instance(data["inputs"])
        tol = data["tolerance"]
        if not isinstance(tol, dict) or set(tol) != {"rtol", "atol"}:
            raise VerifyError("counterexample tolerance must be {'rtol': ..., 'atol': ...}")
        for key in ("claim_id", "variant", "check"):
            if not isinstance(data[key], str):
                raise VerifyError(f"counterexample field {key!r} must be a string")
        return cls(data["claim_id"], data["variant"], data["check"], data["inputs"],
                   _number(data.get("margin_float", float("nan"))), str(data.get("margin_hp", "")),
                   str(data.get("excess_hp", "")), str(data.get("precision", "")),
                   int(data.get("seed", 0)), str(data.get("stage", "")),
                   Tolerance(tol["rtol"], tol["atol"]))

    def instance(self) -> Instance:
        return decode_instance(self.inputs)


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise VerifyError(f"counterexample margin {value!r} is not a number") from None


def save(counterexample: Counterexample, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(counterexample.to_json(), indent=2) + "\n")


def load(path: Path) -> Counterexample:
    """Read a saved counterexample; any problem becomes a one-line VerifyError."""
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise VerifyError(f"cannot read counterexample {path}: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise VerifyError(f"corrupt counterexample {path}: invalid JSON ({exc.msg}, "
                          f"line {exc.lineno})") from None
    return Counterexample.from_json(data)
