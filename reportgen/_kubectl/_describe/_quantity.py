"""Resource quantities (``100m``, ``64Mi``) as ``k8s.io/apimachinery`` v0.34.4 parses, adds and prints them.

Port of ``pkg/api/resource/quantity.go``, ``amount.go``, ``math.go`` and
``suffix.go``. A value is kept exactly, in nano units (parsing rounds up to
1n, as Go does); :meth:`Quantity.string` gives the canonical form, or the
string it was parsed from when Go's ``ParseQuantity`` keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ZERO", "Quantity", "parse_quantity", "quantity_of"]

_NANO = 10**9
_MAX_INT64 = 2**63 - 1
_SPLIT = re.compile(r"^([+-]?)0*([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$")
_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_BY_EXPONENT = {v: k for k, v in _DECIMAL_SUFFIXES.items()}
_BINARY_BY_EXPONENT = {0: "", **{v: k for k, v in _BINARY_SUFFIXES.items()}}


@dataclass(frozen=True)
class Quantity:
    """A quantity: ``nanos`` (the value times 10^9), its ``format`` and the string it may reuse."""

    nanos: int = 0
    format: str = ""
    cached: str | None = None

    def string(self) -> str:
        """Go's ``Quantity.String()``."""
        return self.cached if self.cached else _canonical(self.nanos, self.format)

    def add(self, other: Quantity) -> Quantity:
        """Go's ``Add``: a zero receiver takes the other's format."""
        fmt = other.format if self.nanos == 0 else self.format
        return Quantity(self.nanos + other.nanos, fmt)

    def cmp(self, other: Quantity) -> int:
        """-1, 0 or 1, as Go's ``Cmp``."""
        return (self.nanos > other.nanos) - (self.nanos < other.nanos)

    def value(self) -> int:
        """Go's ``Value()``: rounded up, away from zero."""
        return _scaled(self.nanos, _NANO)

    def milli_value(self) -> int:
        """Go's ``MilliValue()``: ``ceil(q * 1000)``, away from zero."""
        return _scaled(self.nanos, 10**6)

    @property
    def is_zero(self) -> bool:
        """True for a zero value."""
        return self.nanos == 0


ZERO = Quantity()


def _scaled(nanos: int, unit: int) -> int:
    quotient, remainder = divmod(abs(nanos), unit)
    rounded = quotient + (1 if remainder else 0)
    return rounded if nanos >= 0 else -rounded


def quantity_of(value: object) -> Quantity:
    """The quantity in a JSON value (a string, or a number), ``ZERO`` for anything else."""
    if isinstance(value, bool) or value is None:
        return ZERO
    if isinstance(value, (int, float)):
        value = repr(value) if isinstance(value, float) else str(value)
    return parse_quantity(value) if isinstance(value, str) else ZERO


def parse_quantity(text: str) -> Quantity:
    """Port of ``ParseQuantity``.

    Raises:
        ValueError: When ``text`` is not a quantity.
    """
    if text == "0":
        return Quantity(0, "DecimalSI", "0")
    match = _SPLIT.match(text)
    if not text or match is None:
        raise ValueError(f"quantities must match the regular expression: {text!r}")
    sign, num, denom, suffix = match.group(1), match.group(2) or "0", match.group(3) or "", match.group(4)
    base, exponent, fmt = _interpret(suffix)
    reused = _fast_path_string(text, num, denom, base, exponent, fmt)
    nanos = _exact_nanos(num, denom, base, exponent)
    if fmt == "BinarySI" and nanos > _MAX_INT64 * _NANO:
        nanos = _MAX_INT64 * _NANO
    if fmt == "BinarySI" and 0 < nanos < _NANO:
        fmt = "DecimalSI"
    return Quantity(-nanos if sign == "-" else nanos, fmt, reused)


def _interpret(suffix: str) -> tuple[int, int, str]:
    """The suffix's base, exponent and format (``suffixHandler.interpret``)."""
    if suffix in _DECIMAL_SUFFIXES:
        return 10, _DECIMAL_SUFFIXES[suffix], "DecimalSI"
    if suffix in _BINARY_SUFFIXES:
        return 2, _BINARY_SUFFIXES[suffix], "BinarySI"
    if len(suffix) > 1 and suffix[0] in "eE" and re.fullmatch(r"[-+]?[0-9]+", suffix[1:]):
        return 10, int(suffix[1:]), "DecimalExponent"
    raise ValueError(f"unable to parse quantity's suffix: {suffix!r}")


def _exact_nanos(num: str, denom: str, base: int, exponent: int) -> int:
    """The value in nano units, rounded up (away from zero) as Go rounds to ``Nano``."""
    numerator = int(num + denom) * ((1 << exponent) if base == 2 else 1)
    scale = (exponent if base == 10 else 0) - len(denom) + 9
    factor: int = 10 ** abs(scale)
    if scale >= 0:
        return numerator * factor
    quotient, remainder = divmod(numerator, factor)
    return quotient + (1 if remainder else 0)


def _fast_path_string(text: str, num: str, denom: str, base: int, exponent: int, fmt: str) -> str | None:
    """``text`` when Go's int64 fast path keeps it as the quantity's string, else None."""
    if fmt == "BinarySI":
        if exponent < 0 or denom:
            return None
        precision = 15 - len(num) - int(exponent * 3 / 10) - 1
        scale, mantissa = 0, 1 << exponent
    else:
        precision = 18 - (len(num) + len(denom))
        scale, mantissa = exponent, 1
    scale -= len(denom)
    shifted = num + denom
    if precision < 0 or scale < -9 or abs(int(shifted)) * mantissa > _MAX_INT64:
        return None
    if fmt == "BinarySI":
        return text if exponent % 10 == 0 and int(shifted) & 7 else None
    canonical = scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0"
    return text if canonical else None


def _canonical(nanos: int, fmt: str) -> str:
    """``CanonicalizeBytes``: the largest suffix that keeps the value exact."""
    if nanos == 0:
        return "0"
    if fmt == "BinarySI" and (-1024 * _NANO < nanos < 1024 * _NANO or nanos % _NANO):
        fmt = "DecimalSI"
    if fmt == "BinarySI":
        return _canonical_binary(nanos // _NANO)
    mantissa, exponent = nanos, -9
    while abs(mantissa) >= 10 and mantissa % 10 == 0:
        mantissa, exponent = mantissa // 10, exponent + 1
    while exponent % 3:
        mantissa, exponent = mantissa * 10, exponent - 1
    if fmt == "DecimalSI":
        return f"{mantissa}{_DECIMAL_BY_EXPONENT.get(exponent, '')}"
    return f"{mantissa}e{exponent}" if exponent else str(mantissa)


def _canonical_binary(value: int) -> str:
    times = 0
    while abs(value) >= 1024 and value % 1024 == 0:
        value, times = value // 1024, times + 1
    return f"{value}{_BINARY_BY_EXPONENT.get(times * 10, '')}"
