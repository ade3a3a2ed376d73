"""Plain JSON data checked against type hints: dataclasses, TypedDicts, lists, unions, literals.

The evidence bundle is input (a user may hand-edit or truncate one), so it is
decoded against the same types the runner wrote it from, never trusted. A
mismatch names its JSON path, e.g. ``$.sections[0].captures[1].stdout``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, NotRequired, Required, Union, get_args, get_origin, get_type_hints

__all__ = ["TypeMismatch", "decode"]

_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false", type(None): "null",
          list: "a list", dict: "an object"}


class TypeMismatch(ValueError):
    """Data that does not fit its type: where (a JSON path) and what was wrong."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def decode(tp: Any, value: Any, path: str = "$", *, names: dict[str, Any] | None = None) -> Any:
    """``value`` as ``tp``: dataclasses are built, everything else is checked and returned.

    ``names`` resolves annotations naming types that the hints' module imports only for type checking.
    """
    return _Decoder(names or {}).decode(tp, value, path)


class _Decoder:
    def __init__(self, names: dict[str, Any]) -> None:
        self.names = names
        self._hints: dict[Any, dict[str, Any]] = {}  # resolving hints compiles their strings: once per type

    def decode(self, tp: Any, value: Any, path: str) -> Any:
        origin = get_origin(tp)
        if tp is Any:
            return value
        if origin in (Union, types.UnionType):
            return self._union(tp, value, path)
        if origin is Literal:
            allowed = get_args(tp)
            if value not in allowed or isinstance(value, bool) != any(isinstance(a, bool) for a in allowed):
                raise TypeMismatch(path, f"expected one of {', '.join(map(repr, allowed))}, got {_shown(value)}")
            return value
        if origin in (list, dict):
            return self._container(tp, origin, value, path)
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return tp(**self._fields(tp, value, path, _required_fields(tp)))
        if typing.is_typeddict(tp):
            return self._fields(tp, value, path, tp.__required_keys__, closed=False)
        return _scalar(tp, value, path)

    def _union(self, tp: Any, value: Any, path: str) -> Any:
        options = get_args(tp)
        if value is None and type(None) in options:
            return None  # the common case, without trying each option's mismatch first
        for option in options:
            try:
                return self.decode(option, value, path)
            except TypeMismatch:
                if len(options) == 2 and type(None) in options and value is not None:
                    raise  # Optional[X]: X's own message says more
        raise TypeMismatch(path, f"expected {' or '.join(_name(o) for o in options)}, got {_shown(value)}")

    def _container(self, tp: Any, origin: type, value: Any, path: str) -> Any:
        args = get_args(tp)
        if origin is list and isinstance(value, list):
            return [self.decode(args[0] if args else Any, v, f"{path}[{i}]") for i, v in enumerate(value)]
        if origin is dict and isinstance(value, dict):
            return {k: self.decode(args[1] if args else Any, v, _key_path(path, k)) for k, v in value.items()}
        raise TypeMismatch(path, f"expected {_NAMES[origin]}, got {_shown(value)}")

    def _fields(self, tp: Any, value: Any, path: str, required: frozenset[str],
                closed: bool = True) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise TypeMismatch(path, f"expected an object, got {_shown(value)}")
        hints = self._hints_of(tp)
        missing = sorted(required - value.keys())
        if missing:
            raise TypeMismatch(path, f"missing field {missing[0]!r}")
        unknown = sorted(value.keys() - hints.keys()) if closed else []
        if unknown:
            raise TypeMismatch(_key_path(path, unknown[0]), "unknown field")
        return {k: self.decode(hints.get(k, Any), v, _key_path(path, k)) for k, v in value.items()}

    def _hints_of(self, tp: Any) -> dict[str, Any]:
        if tp not in self._hints:
            self._hints[tp] = {k: _unwrap(v) for k, v in get_type_hints(tp, localns=self.names).items()}
        return self._hints[tp]


def _scalar(tp: Any, value: Any, path: str) -> Any:
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, tp) or (isinstance(value, bool) and tp is not bool):
        raise TypeMismatch(path, f"expected {_name(tp)}, got {_shown(value)}")
    return value


def _unwrap(tp: Any) -> Any:
    """``Required[X]`` and ``NotRequired[X]`` are X."""
    return get_args(tp)[0] if get_origin(tp) in (Required, NotRequired) else tp


def _required_fields(tp: Any) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(tp)
                     if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)


def _key_path(path: str, key: str) -> str:
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{key!r}]"


def _name(tp: Any) -> str:
    if get_origin(tp) in (list, dict):
        return _NAMES[get_origin(tp)]
    if dataclasses.is_dataclass(tp) or typing.is_typeddict(tp):
        return "an object"
    if get_origin(tp) is Literal:
        return " or ".join(map(repr, get_args(tp)))
    return _NAMES.get(tp, getattr(tp, "__name__", str(tp)))


_KINDS = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, (list, dict)):
        return _NAMES[type(value)] if type(value) in _NAMES else type(value).__name__
    kind = _KINDS.get(type(value), type(value).__name__)
    text = repr(value)
    return f"{kind} {text if len(text) <= 40 else text[:37] + '...'}"
