"""The scenario JSON Schema, and its errors told as positioned ScenarioErrors with hints.

:func:`schema` loads ``reportgen/schema/scenario.schema.json``; :func:`_explain_all`
turns what ``jsonschema`` finds into one :class:`ScenarioError` per problem, at
the node's ``file:line:column``, with a hint where the likely fix is known (a
typo of a key, a value to quote, the alternative of a ``oneOf`` meant).
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .._exceptions import ScenarioError
from ._yaml import _NodePath, _Source

SCHEMA_PATH = Path(__file__).parents[1] / "schema" / "scenario.schema.json"  # reportgen/schema/


@cache
def schema() -> dict[str, Any]:
    """The scenario JSON Schema (draft 2020-12)."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator() -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(schema())


_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping (key: value)",
    "null": "null",
}
_ITEM_NAMES: dict[object, str] = {
    (): "the scenario",
    "sections": "section",
    "blocks": "block",
    "steps": "step",
    "checks": "check",
    "all": "check",
    "manifests": "manifest",
    "wait": "wait",
    "findings": "finding",
    "columns": "comparison column",
    "internal_links": "internal link",
    "external_links": "external link",
    "next_steps": "next-steps group",
}
_SHAPE_HINTS = {
    "manifests": "write `- file: PATH` or `- inline: {apiVersion: ..., kind: ..., metadata: ...}`",
    "steps": "write `- run: kubectl ...`",
    "wait": "write `- rollout: deployment/NAME`, `- ready: pod/NAME` or `- endpoints: service/NAME`",
    "blocks": "write `- steps: [...]`",
}


def _name(path: _NodePath) -> str:
    """How to call the node at ``path`` in a message."""
    if not path:
        return "the scenario"
    last = path[-1]
    if isinstance(last, str):
        return f"'{last}'"
    parent = path[-2] if len(path) > 1 else ()
    return f"{_ITEM_NAMES.get(parent, 'item')} {last + 1}" + (f" of '{parent}'" if parent not in _ITEM_NAMES else "")


def _where_in(path: _NodePath) -> str:
    """`` in step 2`` for the mapping at ``path``."""
    return f" in {_name(path)}" if path else ""


def _type_name(value: Any) -> str:
    if value is None:
        return "empty"
    for json_type in ("boolean", "integer", "number", "string", "array", "object"):
        if _validator().is_type(value, json_type):
            return _TYPES[json_type]
    return type(value).__name__


def _suggest(word: Any, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def _explain(error: jsonschema.ValidationError, source: _Source) -> list[ScenarioError]:
    """Turn one jsonschema error into positioned ScenarioErrors with hints."""
    path = tuple(error.absolute_path)
    instance, value, sub = error.instance, error.validator_value, error.schema
    kind = error.validator
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(sub.get("properties", {}))
        return [_unknown_key(source, (*path, k), allowed) for k in instance if k not in allowed]
    if kind == "required" and isinstance(instance, dict):
        props = sub.get("properties", {})
        unknown = [str(k) for k in instance if k not in props]
        return [
            source.error(path, f"missing key {k!r}{_where_in(path)}", hint=props.get(k, {}).get("description"))
            for k in value
            if k not in instance and not difflib.get_close_matches(k, unknown, n=1, cutoff=0.6)  # a typo of it
        ]
    if kind in ("oneOf", "anyOf"):
        return _explain_choice(error, source)
    if kind == "type":
        return [_type_error(source, path, instance, value)]
    if kind == "enum":
        choices = [str(c) for c in value]
        hint = _suggest(instance, choices) or f"one of: {', '.join(choices)}"
        return [source.error(path, f"{_name(path)} must be one of {', '.join(choices)}, not {instance!r}", hint=hint)]
    if kind == "pattern":
        hint = sub.get("patternErrorMessage") or f"it must match {value}"
        return [source.error(path, f"{_name(path)} is not valid: {instance!r}", hint=hint)]
    if kind in ("minItems", "minLength") and value == 1:
        return [source.error(path, f"{_name(path)} must not be empty")]
    if kind == "uniqueItems":
        return [source.error(path, f"{_name(path)} has duplicate items", hint="remove the repeated item")]
    return [source.error(path, f"{_name(path)}: {error.message}", hint=sub.get("description"))]


def _unknown_key(source: _Source, path: _NodePath, allowed: list[str]) -> ScenarioError:
    key = path[-1]
    hint = _suggest(key, allowed) or f"allowed keys: {', '.join(allowed)}"
    return source.error(path, f"unknown key {key!r}{_where_in(path[:-1])}", key=True, hint=hint)


def _type_error(source: _Source, path: _NodePath, instance: Any, expected: str | list[str]) -> ScenarioError:
    types = [expected] if isinstance(expected, str) else list(expected)
    want = " or ".join(_TYPES.get(t, t) for t in types)
    got = _type_name(instance)
    node = source.nodes.get(path)
    text = node.value if isinstance(node, yaml.ScalarNode) else None
    hint = None
    if instance is None:
        hint = "the value is empty: give it one, or remove the key"
    elif "string" in types and text is not None:
        hint = f"quote it: '{text}'"
    elif "array" in types and not isinstance(instance, (list, dict)):
        hint = f"write a list: [{text or instance}]"
    elif len(path) > 1 and isinstance(path[-1], int) and path[-2] in _SHAPE_HINTS:
        hint = _SHAPE_HINTS[str(path[-2])]
    return source.error(path, f"{_name(path)} must be {want}, not {got}", hint=hint, key=instance is None)


def _explain_choice(error: jsonschema.ValidationError, source: _Source) -> list[ScenarioError]:
    """Explain a failed oneOf/anyOf by the alternative the author most likely meant."""
    path = tuple(error.absolute_path)
    instance, variants = error.instance, error.validator_value
    keys = [v.get("required", [None])[0] if isinstance(v, dict) else None for v in variants]
    if isinstance(instance, dict) and all(keys):
        names = [k for k in keys if k is not None]  # the same list: only narrows its type
        present = [k for k in names if k in instance]
        if len(present) == 1:
            index = names.index(present[0])
            return _explain_all([e for e in error.context if e.relative_schema_path[0] == index], source)
        if len(present) > 1:
            last = max(present, key=lambda k: source.where((*path, k), key=True))
            return [source.error((*path, last), f"use only one of {', '.join(map(repr, present))}"
                                 f"{_where_in(path)}", key=True, hint=f"choose one of: {', '.join(names)}")]
        allowed = sorted({p for v in variants for p in v.get("properties", {})})
        unknown = [k for k in instance if allowed and k not in allowed]
        found = [_unknown_key(source, (*path, k), allowed) for k in unknown]
        if not any(difflib.get_close_matches(str(k), names, n=1, cutoff=0.6) for k in unknown):
            quantity = "one" if error.validator == "oneOf" else "at least one"
            found.append(source.error(path, f"{_name(path)} needs {quantity} of: {', '.join(names)}",
                                      hint=error.schema.get("description")))
        return found
    for index, variant in enumerate(variants):
        if isinstance(variant, dict) and "type" in variant and _validator().is_type(instance, variant["type"]):
            return _explain_all([e for e in error.context if e.relative_schema_path[0] == index], source)
    if "type" in error.schema:
        return []  # the schema's own "type" reports it
    types = [t for v in variants if isinstance(v, dict) for t in [v.get("type")] if isinstance(t, str)]
    return [_type_error(source, path, instance, list(dict.fromkeys(types)) or ["string"])]


def _explain_all(errors: list[jsonschema.ValidationError], source: _Source) -> list[ScenarioError]:
    return [out for e in errors for out in _explain(e, source)]
