"""Verdicts, and the values checks compare: paths into objects, text, numbers, regexes, and how they are shown."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reportgen._evidence import CheckStatus

_CAPABILITIES = {
    "upstream_dns": "upstream DNS", "egress": "egress to the internet",
    "load_balancer": "a LoadBalancer implementation", "ingress": "an IngressClass", "gateway": "a GatewayClass",
    "network_policy": "NetworkPolicy enforcement", "metrics": "the metrics API",
}
_ORDINAL = re.compile(r"-(\d+)$")
_PATH_TOKEN = re.compile(r"""\.?([^.\[\]'"]+)|\[(\*|\d+|'[^']*'|"[^"]*")\]""")


class _Undecidable(Exception):
    """The evidence cannot decide the check; the message says why (``key``/``args``: in catalog words)."""

    def __init__(self, message: str, key: str | None = None, args: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.key, self.values = key, args


@dataclass
class _Verdict:
    status: CheckStatus
    reason: str | None = None
    observed: Any = None
    key: str | None = None
    args: dict[str, Any] | None = None


def _passed(observed: Any) -> _Verdict:
    return _Verdict("passed", None, observed)


def _failed(reason: str, observed: Any) -> _Verdict:
    return _Verdict("failed", reason, observed)




def _text(value: Any) -> str:
    """A value's string form as Kubernetes and YAML users write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _same(observed: Any, expected: Any) -> bool:
    """Equality that forgives YAML's typing: 3 equals "3", "None" is a string."""
    if observed is None or expected is None:
        return observed is expected
    if isinstance(observed, bool) or isinstance(expected, bool):
        return _text(observed) == _text(expected)
    if isinstance(observed, (int, float)) and isinstance(expected, (int, float)):
        return observed == expected
    if isinstance(observed, str) or isinstance(expected, str):
        return _text(observed) == _text(expected)
    same: bool = observed == expected  # lists and mappings from YAML or JSON
    return same


def _show(value: Any) -> str:
    """A value for a reason sentence."""
    if isinstance(value, list) and not value:
        return "nothing"
    return format_observed(value) if value is not None else "nothing"


def _int(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _Undecidable(f"{what} must be a whole number, not {value!r}") from None


def _regex(pattern: Any, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(str(pattern), flags)
    except re.error as err:
        raise _Undecidable(f"the pattern {pattern!r} is not a valid regular expression: {err}") from None


def _ip_sorted(ips: Iterable[str]) -> list[str]:
    return sorted(ips, key=lambda ip: (ipaddress.ip_address(ip).version, ipaddress.ip_address(ip)))


def _path_steps(path: str) -> list[str | int]:
    """Split ``a.b[*].c[0]['x.y']`` into keys, indexes and ``*``."""
    steps: list[str | int] = []
    position = 0
    while position < len(path):
        match = _PATH_TOKEN.match(path, position)
        if not match or (match.group(0).startswith(".") and position == 0):
            raise ValueError(f"invalid path {path!r} at {path[position:]!r}")
        key, bracket = match.group(1), match.group(2)
        if key is not None:
            steps.append(key)
        elif bracket == "*":
            steps.append("*")
        elif bracket.isdigit():
            steps.append(int(bracket))
        else:
            steps.append(bracket[1:-1])
        position = match.end()
    if not steps:
        raise ValueError("empty path")
    return steps


def _step(value: Any, step: str | int) -> list[Any]:
    """The values one path step leads to from ``value``."""
    if step == "*":
        if isinstance(value, list):
            return list(value)
        return list(value.values()) if isinstance(value, dict) else []
    if isinstance(step, int):
        return [value[step]] if isinstance(value, list) and step < len(value) else []
    return [value[step]] if isinstance(value, dict) and step in value else []

def format_observed(value: Any) -> str:
    """A short text for an observed value: lists joined with ", "."""
    if value is None:
        return "?"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(format_observed(v) for v in value)
    if isinstance(value, dict):
        if "name" in value:
            return format_observed(value["name"])
        return "; ".join(f"{k}: {format_observed(v)}" for k, v in value.items())
    return str(value)
