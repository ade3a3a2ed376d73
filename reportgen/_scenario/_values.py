"""Values inside a scenario: durations, field paths and ``${variable}`` substitution.

The leaf of the scenario stage: plain functions on strings, used by the model
(:meth:`Manifest.locate`, :meth:`Step.command_for`), the checker and the loader.
"""

from __future__ import annotations

import re

_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


MAX_DURATION_S = 6 * 3600  # no lab step or wait needs more; a typo like 99999999h is refused


def parse_duration(value: str | int | float) -> float:
    """Seconds in a duration like ``"180s"``, ``"2m"``, ``"1m30s"`` or a number of seconds.

    Raises:
        ValueError: It is not a positive duration.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, (int, float)):
        seconds = float(value) if abs(value) < 1e12 else float("inf")
    elif isinstance(value, str) and re.fullmatch(rf"(?:{_DURATION.pattern})+", value.strip()):
        seconds = sum(float(n) * _UNITS[u] for n, u in _DURATION.findall(value))
    else:
        raise ValueError(f"{value!r} is not a duration")
    if not 0 < seconds < float("inf"):
        raise ValueError(f"{value!r} is not a positive duration")
    if seconds > MAX_DURATION_S:
        raise ValueError(f"{value!r} is longer than the {MAX_DURATION_S // 3600:g}h a wait or step may take")
    return seconds


_FIELD = re.compile(r"""\.?([^.\[\]]+)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]|\[\*\]""")


def _split_field_path(field_path: str) -> tuple[str | int, ...]:
    """``a.b[0]['c.d']`` -> ``("a", "b", 0, "c.d")``."""
    out: list[str | int] = []
    for name, index, double, single in _FIELD.findall(field_path):
        out.append(int(index) if index else (double or single or name))
    return tuple(p for p in out if p != "")


def _substitute(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\$\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text)

