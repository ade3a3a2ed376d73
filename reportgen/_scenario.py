"""Scenarios: load a lab scenario file, validate all of it, and normalize it.

:func:`load_scenario` reads the YAML with a position for every node, validates it
against ``schema/scenario.schema.json`` and then against what the schema cannot
say (ids, references, manifest files, command lines), and raises one
:class:`InvalidScenario` listing every problem with its ``file:line:column``.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import json
import os
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jsonschema
import yaml

from ._commands import (
    VARIABLES,
    Command,
    CommandError,
    ExecCommand,
    PortForwardCommand,
    check_selector,
    parse_command,
    resource_kind,
)
from ._exceptions import ScenarioError
from ._inputs import read_text
from ._scenario_text import text_problems

__all__ = [
    "DEFAULT_STEP_TIMEOUT",
    "DEFAULT_WAIT_TIMEOUT",
    "Block",
    "Check",
    "ComparisonColumn",
    "ExternalLink",
    "Finding",
    "InvalidScenario",
    "Link",
    "Manifest",
    "NextSteps",
    "Report",
    "Scenario",
    "Section",
    "Step",
    "Wait",
    "load_scenario",
    "parse_duration",
    "schema",
]

DEFAULT_WAIT_TIMEOUT = 120.0
"""Seconds a wait may take when the scenario does not say."""
DEFAULT_STEP_TIMEOUT = 30.0
"""Seconds a step may take when the scenario does not say."""

SCHEMA_PATH = Path(__file__).with_name("schema") / "scenario.schema.json"
CHECK_KINDS = ("object", "output", "dns", "pods_created_in_order", "all")
WAIT_KINDS: dict[str, tuple[str, ...]] = {
    "rollout": ("Deployment", "StatefulSet", "DaemonSet"),
    "ready": ("Pod", "Deployment", "StatefulSet", "DaemonSet"),
    "endpoints": ("Service",),
    "reachable": ("Service",),
}


class InvalidScenario(ScenarioError):
    """Every problem found in a scenario, raised once after validating all of it.

    ``file``, ``line`` and ``column`` are those of the first problem; ``str()``
    lists them all, one ``file:line:column: message`` (and hint) each.

    Attributes:
        errors: One :class:`ScenarioError` per problem, in file order.
    """

    def __init__(self, errors: list[ScenarioError]) -> None:
        listing = "\n".join(str(e) for e in errors)
        if len(errors) > 1:
            listing = f"{len(errors)} problems:\n{listing}"
        first = errors[0]
        super().__init__(listing, file=first.file, line=first.line, column=first.column, hint=first.hint)
        self.errors = errors

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------- model


@dataclass
class Link:
    """A link to another note of the vault."""

    note: str
    text: str | None = None


@dataclass
class ExternalLink:
    """A link to an outside reference."""

    title: str
    url: str


@dataclass
class NextSteps:
    """A group of notes to study next."""

    heading: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """The report's metadata; ``date`` None means the day of the run."""

    title: str
    icon: str | None = None
    language: str = "ko"
    date: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    series: str | None = None
    internal_links: list[Link] = field(default_factory=list)
    external_links: list[ExternalLink] = field(default_factory=list)
    next_steps: list[NextSteps] = field(default_factory=list)


@dataclass
class Manifest:
    """One Kubernetes object to apply, and where it was written.

    Attributes:
        body: The object as plain data.
        file: The file it is in (the scenario file for an inline one).
        line: The 1-based line where the object starts.
        inline: True when written in the scenario.
        column: The 1-based column where the object starts.
        lines: The line of each field, by path; see :meth:`locate`.
    """

    body: dict[str, Any]
    file: str
    line: int
    inline: bool = False
    column: int = 1
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def kind(self) -> str:
        """The object's kind, e.g. ``Service``."""
        return str(self.body.get("kind", ""))

    @property
    def name(self) -> str:
        """The object's ``metadata.name``."""
        return str((self.body.get("metadata") or {}).get("name", ""))

    @property
    def source(self) -> str:
        """``file:line`` of the object, for messages."""
        return f"{self.file}:{self.line}"

    def locate(self, field_path: str) -> int:
        """The line of a field, e.g. ``spec.template.spec.containers[0].image``.

        Falls back to the nearest enclosing field that exists, then to :attr:`line`.
        """
        path = _split_field_path(field_path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.line


@dataclass
class Wait:
    """A condition to wait for before a section's steps run.

    Attributes:
        kind: rollout, ready or endpoints.
        target: ``kind/name`` as written, e.g. ``deployment/backend-app``.
        timeout: Seconds to wait at most.
        count: For endpoints: how many ready addresses.
        port: For reachable: the Service port to probe.
        source: For reachable: the pod that probes, ``pod/NAME``.
        line: Where the wait is written in the scenario.
    """

    kind: Literal["rollout", "ready", "endpoints", "reachable"]
    target: str
    timeout: float = DEFAULT_WAIT_TIMEOUT
    count: int | None = None
    port: int | None = None
    source: str | None = None
    line: int = 0

    @property
    def target_kind(self) -> str:
        """The target's Kind, e.g. ``Deployment``."""
        return resource_kind(self.target.partition("/")[0]) or ""

    @property
    def target_name(self) -> str:
        """The target's name."""
        return self.target.partition("/")[2]


@dataclass
class Step:
    """One command whose output the report shows.

    Attributes:
        id: Given, or ``<section>-step-<n>``.
        run: The command line as written, ``${namespace}`` unsubstituted.
        command: ``run`` parsed (variables unsubstituted).
        request: For a port-forward: the URL to fetch through it.
        timeout: Seconds the command may take.
        requires: Capabilities without which the step is skipped.
        section: The id of its section.
        line: Where it is written in the scenario.
    """

    id: str
    run: str
    command: Command
    request: str | None = None
    timeout: float = DEFAULT_STEP_TIMEOUT
    requires: list[str] = field(default_factory=list)
    section: str = ""
    line: int = 0

    def command_for(self, namespace: str) -> str:
        """The command line with ``${namespace}`` replaced, as the report shows it."""
        return _substitute(self.run, {"namespace": namespace})

    def parsed_for(self, namespace: str) -> Command:
        """The command, parsed with ``${namespace}`` replaced."""
        return parse_command(self.command_for(namespace))


@dataclass
class Block:
    """Steps under a heading or a label."""

    steps: list[Step]
    heading: str | None = None
    label: str | None = None


@dataclass
class Check:
    """A claim judged on the evidence.

    Attributes:
        id: Given, or ``<section>-check-<n>``; parts of ``all`` are ``<id>.<n>``.
        title: The claim; ``{observed}`` is replaced by the value seen.
        kind: object, output, dns, pods_created_in_order or all.
        spec: The body as written, without title, id and requires; e.g.
            ``{"dns": "github-lookup", "cname": "api.github.com"}``.
        requires: Capabilities without which it is undecided.
        parts: For ``all``: the claims that must all hold.
        section: The id of its section.
        line: Where it is written in the scenario.
    """

    id: str
    title: str
    kind: str
    spec: dict[str, Any]
    requires: list[str] = field(default_factory=list)
    parts: list[Check] = field(default_factory=list)
    section: str = ""
    line: int = 0

    @property
    def target(self) -> Any:
        """What it looks at: a step id, ``kind/name``, a selector, or the parts."""
        return self.spec.get(self.kind)

    def to_data(self) -> dict[str, Any]:
        """Plain data: the body plus id, title, kind and requires."""
        data: dict[str, Any] = {"id": self.id, "title": self.title, "kind": self.kind, "requires": self.requires}
        data.update(self.spec)
        if self.kind == "all":
            data["all"] = [{"kind": p.kind, **p.spec} for p in self.parts]
        return data


@dataclass
class Section:
    """A part of the lab."""

    id: str
    title: str
    icon: str | None = None
    summary: list[str] = field(default_factory=list)
    manifests: list[Manifest] = field(default_factory=list)
    waits: list[Wait] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def steps(self) -> list[Step]:
        """The section's steps, in order."""
        return [s for b in self.blocks for s in b.steps]


@dataclass
class Finding:
    """A problem met during the lab, and what solved it."""

    title: str
    check: str | None = None
    step: str | None = None
    symptom: str | None = None
    cause: str | None = None
    resolution: str | None = None


@dataclass
class ComparisonColumn:
    """A service in the comparison table."""

    label: str
    service: str | None = None
    lookup: str | None = None
    pod_lookup: str | None = None
    purpose: str | None = None


@dataclass
class Scenario:
    """A validated scenario."""

    path: str
    report: Report
    sections: list[Section]
    namespace: str | None = None
    overview: str | None = None
    comparison: list[ComparisonColumn] = field(default_factory=list)
    learning_points: str | None = None
    findings: list[Finding] = field(default_factory=list)
    reflections: str | None = None

    def steps(self) -> list[Step]:
        """All steps, in order."""
        return [s for sec in self.sections for s in sec.steps]

    def checks(self) -> list[Check]:
        """All checks, in order."""
        return [c for sec in self.sections for c in sec.checks]

    def step(self, step_id: str) -> Step:
        """The step with this id (KeyError when there is none)."""
        return {s.id: s for s in self.steps()}[step_id]

    def check(self, check_id: str) -> Check:
        """The check with this id (KeyError when there is none)."""
        return {c.id: c for c in self.checks()}[check_id]

    def to_data(self) -> dict[str, Any]:
        """The normalized scenario as plain data, for the evidence bundle.

        Durations are seconds, defaults are filled in, ids are derived, and
        waits are ``{kind, target, timeout, count}``.
        """
        return {
            "report": dataclasses.asdict(self.report),
            "namespace": self.namespace,
            "overview": self.overview,
            "sections": [_section_data(s) for s in self.sections],
            "comparison": {"columns": [dataclasses.asdict(c) for c in self.comparison]} if self.comparison else None,
            "learning_points": self.learning_points,
            "findings": [dataclasses.asdict(f) for f in self.findings],
            "reflections": self.reflections,
        }


def _wait_data(wait: Wait) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": wait.kind, "target": wait.target, "timeout": wait.timeout, "count": wait.count}
    if wait.kind == "reachable":
        data.update(port=wait.port, source=wait.source)
    return data


def _section_data(section: Section) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": section.title,
        "icon": section.icon,
        "summary": section.summary,
        "manifests": [
            {"file": m.file, "line": m.line, "inline": m.inline, "kind": m.kind, "name": m.name, "body": m.body}
            for m in section.manifests
        ],
        "wait": [_wait_data(w) for w in section.waits],
        "blocks": [
            {
                "heading": b.heading,
                "label": b.label,
                "steps": [
                    {"id": s.id, "run": s.run, "verb": s.command.verb, "request": s.request,
                     "timeout": s.timeout, "requires": s.requires}
                    for s in b.steps
                ],
            }
            for b in section.blocks
        ],
        "checks": [c.to_data() for c in section.checks],
    }


# --------------------------------------------------------------------------- YAML with positions

_NodePath = tuple[str | int, ...]
_MAX_NODES = 100_000
_MAX_DEPTH = 40
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class _MarkedLoader(yaml.SafeLoader):
    """A SafeLoader that keeps timestamps as text and builds data node by node,
    recording each node's path so that errors can point at it."""

    def __init__(self, text: str, source: _Source) -> None:
        super().__init__(text)
        self.source = source
        self.count = 0
        self.seen: set[int] = set()
        self.expanded = False  # some node was built twice: an alias
        self.stack: set[int] = set()
        self.own: dict[int, list[tuple[yaml.Node, yaml.Node]]] = {}

    def build(self, node: yaml.Node, path: _NodePath) -> Any:
        """Plain data for ``node``; problems are recorded on the source."""
        self.source.nodes[path] = node
        self.count += 1
        self.expanded = self.expanded or id(node) in self.seen
        self.seen.add(id(node))
        if len(path) > _MAX_DEPTH:
            raise _TooLarge(node, f"the YAML nests deeper than {_MAX_DEPTH} levels", "flatten the structure")
        if self.count > _MAX_NODES:
            hint = "check anchors and aliases" if self.expanded else "a scenario is far smaller: the right file?"
            raise _TooLarge(node, f"the YAML holds more than {_MAX_NODES:,} values", hint)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.stack:
            self.source.problem(path, "an alias refers to a node that contains it")
            return None
        if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            self.source.problem(path, f"unsupported YAML tag {node.tag}", hint="remove the tag")
            return None
        self.stack.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)  # the composer makes only these three kinds
            return self._mapping(node, path)
        finally:
            self.stack.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, path: _NodePath) -> Any:
        try:
            return self.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            self.source.problem(path, f"invalid value: {getattr(exc, 'problem', None) or exc}")
            return None

    def _mapping(self, node: yaml.MappingNode, path: _NodePath) -> dict[str, Any]:
        own = self.own.setdefault(id(node), [p for p in node.value if p[0].tag != "tag:yaml.org,2002:merge"])
        own_keys = {id(k) for k, _ in own}
        try:
            self.flatten_mapping(node)
        except yaml.YAMLError as exc:
            self.source.problem(path, f"invalid merge: {getattr(exc, 'problem', None) or exc}")
            return {}
        merged = node.value[: len(node.value) - len(own)]
        out: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in merged + own:
            key = self._key(key_node, path)
            if id(key_node) in own_keys:
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    self.source.problem((*path, key), f"duplicate key {key!r}", key=True,
                                        hint=f"it is already set on line {first}", node=key_node)
                seen[key] = key_node
            self.source.keys[(*path, key)] = key_node
            out[key] = self.build(value_node, (*path, key))
        return out

    def _key(self, key_node: yaml.Node, path: _NodePath) -> str:
        if isinstance(key_node, yaml.ScalarNode):
            key = self._scalar(key_node, path)
            if isinstance(key, str):
                return key
            text = key_node.value
        else:
            text = "<complex key>"
        self.source.problem(path, f"key {text!r} is not a string", node=key_node,
                            hint=f"quote it: '{text}' (YAML reads yes, no, on, off, numbers and null as non-strings)")
        return str(text)


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_MarkedLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node, reason: str, hint: str) -> None:
        self.node, self.reason, self.hint = node, reason, hint


@dataclass
class _Source:
    """A YAML file being read: its text and where each node of its data came from."""

    file: str
    text: str
    nodes: dict[_NodePath, yaml.Node] = field(default_factory=dict)
    keys: dict[_NodePath, yaml.Node] = field(default_factory=dict)
    problems: list[ScenarioError] = field(default_factory=list)

    def where(self, path: _NodePath, *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of the node at ``path`` (or its key)."""
        node = self.keys.get(path) if key else None
        while node is None and path not in self.nodes and path:
            path = path[:-1]
        node = node or self.nodes.get(path)
        if node is None:
            return 1, 1
        return node.start_mark.line + 1, node.start_mark.column + 1

    def error(self, path: _NodePath, message: str, *, key: bool = False, hint: str | None = None,
              node: yaml.Node | None = None) -> ScenarioError:
        """A ScenarioError pointing at the node at ``path``."""
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node else self.where(path, key=key)
        return ScenarioError(message, file=self.file, line=line, column=column, hint=hint)

    def problem(self, path: _NodePath, message: str, **kwargs: Any) -> None:
        """Record a problem found while reading."""
        self.problems.append(self.error(path, message, **kwargs))

    def offset_position(self, path: _NodePath, offset: int) -> tuple[int, int]:
        """1-based line and column of character ``offset`` of the string scalar at ``path``."""
        node = self.nodes.get(path)
        if not isinstance(node, yaml.ScalarNode):
            return self.where(path)
        lines = _LINE_BREAK.split(self.text)
        start, value = node.start_mark, node.value
        if node.style in (None, "'", '"') and start.line == node.end_mark.line:
            col = start.column + (1 if node.style else 0)
            if lines[start.line][col : col + len(value)] == value:
                return start.line + 1, col + offset + 1
        elif node.style in ("|", ">"):
            for number in range(start.line + 1, min(node.end_mark.line + 1, len(lines))):
                text = lines[number]
                indent = len(text) - len(text.lstrip(" "))
                if text.strip():
                    if text[indent : indent + offset] == value[:offset]:
                        return number + 1, indent + offset + 1
                    break
        return start.line + 1, start.column + 1


def _read_yaml(text: str, file: str, *, documents: bool = False) -> tuple[list[Any], _Source]:
    """Parse YAML text; return its documents and their positions.

    Raises:
        ScenarioError: The text is not YAML (problems within it are on the source).
    """
    source = _Source(file, text)
    loader: _MarkedLoader | None = None
    try:
        loader = _MarkedLoader(text, source)
        if not documents:
            node = loader.get_single_node()
            return [None if node is None else loader.build(node, ())], source
        docs: list[Any] = []
        while loader.check_node():
            doc = loader.get_node()
            assert doc is not None  # check_node() said there is one
            docs.append(loader.build(doc, (len(docs),)))
        return docs, source
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, file) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise ScenarioError(f"invalid character: {exc.reason}", file=file, line=line, column=column,
                            hint="remove the control character") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"invalid YAML: {exc}", file=file) from None
    except _TooLarge as exc:
        mark = exc.node.start_mark
        raise ScenarioError(exc.reason, file=file, line=mark.line + 1, column=mark.column + 1,
                            hint=exc.hint) from None
    except RecursionError:
        raise ScenarioError("the YAML is nested too deeply", file=file) from None
    finally:
        if loader is not None:
            loader.dispose()


_YAML_HINTS = {
    "found character '\\t'": "indent with spaces: YAML does not allow tabs",
    "mapping values are not allowed here": "quote a value that contains ': ', or check the indentation",
    "could not find expected ':'": "a key needs ': ' after it; check this line and the one above",
    "found undefined alias": "define the anchor (&name) before using it (*name)",
    "expected a single document": "a scenario is one YAML document: remove '---'",
    "found unhashable key": "a key must be a plain string",
}


def _yaml_error(exc: yaml.MarkedYAMLError, file: str) -> ScenarioError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    hint = next((h for key, h in _YAML_HINTS.items() if key in f"{exc.problem} {exc.context}"), None)
    if hint is None and exc.context and exc.context_mark and exc.context_mark is not mark:
        hint = f"{exc.context} at line {exc.context_mark.line + 1}"
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return ScenarioError(f"invalid YAML: {problem}", file=file, line=line, column=column, hint=hint)


# --------------------------------------------------------------------------- schema errors


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


# --------------------------------------------------------------------------- durations, paths


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


# --------------------------------------------------------------------------- semantic validation


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _iter_steps(section: dict[str, Any], index: int) -> Iterator[tuple[_NodePath, dict[str, Any], str]]:
    """``(path, step, id)`` for each step of section ``index``, ids derived where missing."""
    sid = _as_str(section.get("id")) or f"section-{index + 1}"
    n = 0
    for bi, block in enumerate(_as_list(section.get("blocks"))):
        for ti, step in enumerate(_as_list(_as_dict(block).get("steps"))):
            n += 1
            step = _as_dict(step)
            yield ("sections", index, "blocks", bi, "steps", ti), step, _as_str(step.get("id")) or f"{sid}-step-{n}"


def _check_id(section: dict[str, Any], index: int, number: int, check: dict[str, Any]) -> str:
    sid = _as_str(section.get("id")) or f"section-{index + 1}"
    return _as_str(check.get("id")) or f"{sid}-check-{number + 1}"


@dataclass
class _StepInfo:
    path: _NodePath
    section: int
    command: Command | None


class _Checker:
    """The checks the schema cannot express; collects every problem."""

    def __init__(self, data: dict[str, Any], source: _Source, base: Path) -> None:
        self.data = data
        self.source = source
        self.base = base
        self.errors: list[ScenarioError] = []
        self.steps: dict[str, _StepInfo] = {}
        self.check_ids: dict[str, _NodePath] = {}
        self.objects: dict[tuple[str, str], Manifest] = {}
        self.manifests: dict[int, list[Manifest]] = {}

    def error(self, path: _NodePath, message: str, **kwargs: Any) -> None:
        self.errors.append(self.source.error(path, message, **kwargs))

    def run(self) -> None:
        sections = [(i, _as_dict(s)) for i, s in enumerate(_as_list(self.data.get("sections")))]
        self._unique_ids(sections)
        for index, section in sections:
            self.manifests[index] = self._manifests(index, section)
            self._waits(index, section)
        for index, section in sections:
            self._checks(index, section)
        self._report()
        self._findings()
        self._comparison()
        self._text()

    def _text(self) -> None:
        """Scenario text that would break the note (see _scenario_text), refused now, not after the run."""
        for path, offset, message, hint in text_problems(self.data):
            line, column = self.source.offset_position(path, offset)
            field_name = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
            self.errors.append(ScenarioError(f"{field_name}: {message}", file=self.source.file, line=line,
                                             column=column, hint=hint))

    def _unique_ids(self, sections: list[tuple[int, dict[str, Any]]]) -> None:
        seen: dict[str, _NodePath] = {}
        step_paths: dict[str, _NodePath] = {}
        for index, section in sections:
            sid = _as_str(section.get("id"))
            if sid is not None:
                self._once(seen, sid, ("sections", index, "id"), "section")
            for path, step, step_id in _iter_steps(section, index):
                self._once(step_paths, step_id, (*path, "id"), "step")
                if "timeout" in step:
                    self._duration((*path, "timeout"), step["timeout"])
                self.steps.setdefault(step_id, _StepInfo(path, index, self._command(path, step)))
            for number, check in enumerate(_as_list(section.get("checks"))):
                check_id = _check_id(section, index, number, _as_dict(check))
                self._once(self.check_ids, check_id, ("sections", index, "checks", number, "id"), "check")

    def _once(self, seen: dict[str, _NodePath], ident: str, path: _NodePath, what: str) -> None:
        if ident in seen:
            line, _ = self.source.where(seen[ident])
            derived = "" if path in self.source.nodes else " (derived from its position: give it an id)"
            self.error(path, f"duplicate {what} id {ident!r}{derived}",
                       hint=f"{what} {ident!r} is already on line {line}")
        seen.setdefault(ident, path)

    def _command(self, path: _NodePath, step: dict[str, Any]) -> Command | None:
        run = _as_str(step.get("run"))
        if run is None:
            return None
        try:
            command = parse_command(run, variables=VARIABLES)
        except CommandError as exc:
            line, column = self.source.offset_position((*path, "run"), exc.offset)
            self.errors.append(ScenarioError(f"unsupported command: {exc.message}", file=self.source.file,
                                             line=line, column=column, hint=exc.hint))
            return None
        self._step_options(path, step, command)
        return command

    def _step_options(self, path: _NodePath, step: dict[str, Any], command: Command) -> None:
        request = _as_str(step.get("request"))
        if request is None:
            return
        where = (*path, "request")
        if not isinstance(command, PortForwardCommand):
            self.error(where, "'request' is only for port-forward steps", key=True,
                       hint="fetch a URL from a pod with `kubectl exec POD -- wget -qO- URL`")
            return
        url = urllib.parse.urlsplit(request)
        try:
            port = url.port or {"http": 80, "https": 443}.get(url.scheme)
        except ValueError:
            port = None
        if url.hostname not in ("127.0.0.1", "localhost", "::1"):
            self.error(where, f"request goes to {url.hostname!r}, not to the forwarded port",
                       hint="request http://127.0.0.1:LOCAL_PORT/...")
        elif command.local_port is None:
            self.error(where, "the port-forward has no fixed local port to request",
                       hint=f"write LOCAL:REMOTE, e.g. {command.remote_port}:{command.remote_port}")
        elif port != command.local_port:
            self.error(where, f"request goes to port {port}, but the step forwards local port {command.local_port}",
                       hint=f"use http://127.0.0.1:{command.local_port}/")

    def _duration(self, path: _NodePath, value: Any) -> None:
        """Flag what the schema lets through: zero (``0s``) or endless durations."""
        if isinstance(value, str) and not re.fullmatch(rf"(?:{_DURATION.pattern})+", value):
            return  # the schema reports it
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or (
                not isinstance(value, str) and value <= 0):
            return  # the schema reports it
        try:
            parse_duration(value)
        except ValueError as exc:
            self.error(path, str(exc), hint='write a duration like "30s", "2m" or "1m30s"')

    # manifests

    def _manifests(self, index: int, section: dict[str, Any]) -> list[Manifest]:
        out: list[Manifest] = []
        for mi, entry in enumerate(_as_list(section.get("manifests"))):
            entry = _as_dict(entry)
            path: _NodePath = ("sections", index, "manifests", mi)
            if isinstance(entry.get("file"), str):
                found = self._manifest_file((*path, "file"), entry["file"])
            elif isinstance(entry.get("inline"), dict):
                found = [self._manifest(entry["inline"], self.source, (*path, "inline"), inline=True)]
            else:
                continue
            for manifest in found:
                if manifest is not None:
                    self._register(manifest)
                    out.append(manifest)
        return out

    def _manifest_file(self, path: _NodePath, name: str) -> list[Manifest | None]:
        if os.path.isabs(name):
            self.error(path, f"manifest path {name!r} is absolute", hint="write it relative to the scenario file")
            return []
        file = self.base / name
        shown = os.path.normpath(os.path.join(os.path.dirname(self.source.file), name))
        if not file.exists():
            near = [p.relative_to(self.base).as_posix() for g in ("*.y*ml", "*/*.y*ml") for p in self.base.glob(g)]
            hint = _suggest(name, near) or f"paths are relative to the scenario file's folder ({self.base})"
            self.error(path, f"manifest file not found: {shown}", hint=hint)
            return []
        if not _inside(file, self.base):
            self.error(path, f"manifest file {shown} is outside the scenario's folder ({self.base})",
                       hint="put the file beside the scenario, or in a folder below it")
            return []
        try:
            text = read_text(file, f"manifest file {shown}", error=ScenarioError)
        except ScenarioError as exc:
            if exc.line:
                self.errors.append(exc)
            else:
                self.error(path, exc.message, hint=exc.hint)
            return []
        try:
            docs, source = _read_yaml(text, shown, documents=True)
        except ScenarioError as exc:
            self.errors.append(exc)
            return []
        self.errors.extend(source.problems)
        found = [self._manifest(doc, source, (i,)) for i, doc in enumerate(docs) if doc is not None]
        if not found:
            self.errors.append(ScenarioError(f"no objects in manifest file {shown}", file=shown, line=1, column=1))
        return found

    def _manifest(self, doc: Any, source: _Source, path: _NodePath, *, inline: bool = False) -> Manifest | None:
        def bad(message: str, where: _NodePath = path, hint: str | None = None, key: bool = False) -> None:
            self.errors.append(source.error(where, message, hint=hint, key=key))

        if not isinstance(doc, dict):
            bad(f"a manifest must be a mapping, not {_type_name(doc)}")
            return None
        metadata = doc.get("metadata")
        problems = [k for k in ("apiVersion", "kind") if not isinstance(doc.get(k), str) or not doc[k]]
        if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str) or not metadata["name"]:
            problems.append("metadata.name")
        if problems or not isinstance(metadata, dict):  # metadata is a dict when nothing is missing
            bad(f"the object needs {', '.join(problems)}", hint="every object needs apiVersion, kind and metadata.name")
            return None
        if "namespace" in metadata and metadata["namespace"] != self.data.get("namespace"):
            bad("the object sets metadata.namespace", (*path, "metadata", "namespace"),
                hint="remove it: objects are created in the run's namespace (set top-level `namespace:` to pin it)",
                key=True)
        odd = _non_json(doc)
        if odd is not None:
            bad(f"value of type {type(odd[1]).__name__} cannot be sent to the API", (*path, *odd[0]))
        prefix = len(path)
        lines = {p[prefix:]: n.start_mark.line + 1 for p, n in source.nodes.items() if p[:prefix] == path}
        line, column = source.where(path)
        return Manifest(body=doc, file=source.file, line=line, column=column, inline=inline, lines=lines)

    def _register(self, manifest: Manifest) -> None:
        key = (manifest.kind, manifest.name)
        first = self.objects.get(key)
        if first is not None:
            self.errors.append(ScenarioError(
                f"{manifest.kind} {manifest.name!r} is defined twice", file=manifest.file, line=manifest.line,
                column=manifest.column, hint=f"it is already defined at {first.source}"))
            return
        self.objects[key] = manifest

    # waits

    def _waits(self, index: int, section: dict[str, Any]) -> None:
        for wi, wait in enumerate(_as_list(section.get("wait"))):
            wait = _as_dict(wait)
            path: _NodePath = ("sections", index, "wait", wi)
            if "timeout" in wait:
                self._duration((*path, "timeout"), wait["timeout"])
            for kind, kinds in WAIT_KINDS.items():
                if isinstance(wait.get(kind), str):
                    self._wait_target((*path, kind), kind, wait[kind], kinds)
            if isinstance(wait.get("from"), str):
                self._wait_target((*path, "from"), "a probe from", wait["from"], ("Pod",))

    def _wait_target(self, path: _NodePath, kind: str, target: str, kinds: tuple[str, ...]) -> None:
        resource, _, name = target.partition("/")
        object_kind = resource_kind(resource)
        if object_kind not in kinds:
            self.error(path, f"cannot wait for {kind} of {target!r}",
                       hint=f"{kind} applies to: {', '.join(k.lower() for k in kinds)}")
        elif (object_kind, name) not in self.objects:
            names = [n for k, n in self.objects if k == object_kind]
            hint = _suggest(name, names) or "waits name objects of this section's or an earlier section's manifests"
            self.error(path, f"no manifest defines {object_kind} {name!r}", hint=hint)

    # checks

    def _checks(self, index: int, section: dict[str, Any]) -> None:
        for ci, check in enumerate(_as_list(section.get("checks"))):
            path: _NodePath = ("sections", index, "checks", ci)
            check = _as_dict(check)
            title = _as_str(check.get("title"))
            for name in re.findall(r"\{(\w*)\}", title or ""):
                if name != "observed":
                    self.error((*path, "title"), f"unknown placeholder {{{name}}} in the title",
                               hint="only {observed} is replaced (by the value the check saw)")
            self._check_body(path, check, index)
            for pi, part in enumerate(_as_list(check.get("all"))):
                self._check_body((*path, "all", pi), _as_dict(part), index)

    def _check_body(self, path: _NodePath, body: dict[str, Any], index: int) -> None:
        for key in ("output", "dns"):
            if isinstance(body.get(key), str):
                self._step_ref((*path, key), body[key], index, dns=key == "dns")
        if isinstance(body.get("object"), str):
            self._object_ref((*path, "object"), body["object"])
        if isinstance(body.get("matches"), str):
            self._regex((*path, "matches"), body["matches"])
        for key in ("addresses_equal_pods", "pods_created_in_order"):
            if isinstance(body.get(key), str) and (problem := check_selector(body[key])):
                self.error((*path, key), problem, hint="write a label selector like app=mongodb")
        target = _as_dict(body.get("addresses_equal_object"))
        if isinstance(target.get("object"), str):
            self._object_ref((*path, "addresses_equal_object", "object"), target["object"])

    def _step_ref(self, path: _NodePath, step_id: str, index: int | None, *, dns: bool = False) -> None:
        info = self.steps.get(step_id)
        if info is None:
            hint = _suggest(step_id, list(self.steps)) or f"known steps: {', '.join(list(self.steps)[:8])}"
            self.error(path, f"no step has id {step_id!r}", hint=hint)
        elif index is not None and info.section > index:
            self.error(path, f"step {step_id!r} runs in a later section",
                       hint="a check can only use steps of its own or an earlier section")
        elif dns and info.command is not None and not _is_nslookup(info.command):
            self.error(path, f"step {step_id!r} does not run nslookup",
                       hint="a dns check reads the output of `kubectl exec POD -- nslookup NAME` (without pipes)")

    def _object_ref(self, path: _NodePath, ref: str) -> None:
        resource = ref.partition("/")[0]
        if resource_kind(resource) is None:
            self.error(path, f"unknown resource type {resource!r}",
                       hint="write kind/name with a kubectl resource type, e.g. service/NAME")

    def _regex(self, path: _NodePath, pattern: str) -> None:
        try:
            re.compile(pattern)
        except re.error as exc:
            line, column = self.source.offset_position(path, exc.pos or 0)
            self.errors.append(ScenarioError(f"invalid regular expression: {exc.msg}", file=self.source.file,
                                             line=line, column=column, hint="matches uses Python's re syntax"))

    # top-level parts

    def _report(self) -> None:
        language = _as_dict(self.data.get("report")).get("language")
        if isinstance(language, str):
            from ._catalog import languages  # the catalogs that exist are the languages

            if language not in languages():
                self.error(("report", "language"), f"no report catalog for language {language!r}",
                           hint=f"languages: {', '.join(languages())}")
        date = _as_dict(self.data.get("report")).get("date")
        if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            try:
                datetime.date.fromisoformat(date)
            except ValueError:
                self.error(("report", "date"), f"{date!r} is not a date", hint="write the date as YYYY-MM-DD")

    def _findings(self) -> None:
        for fi, finding in enumerate(_as_list(self.data.get("findings"))):
            finding = _as_dict(finding)
            check = _as_str(finding.get("check"))
            if check is not None and check not in self.check_ids:
                hint = _suggest(check, list(self.check_ids)) or "give the check an `id:` and use it here"
                self.error(("findings", fi, "check"), f"no check has id {check!r}", hint=hint)
            if isinstance(finding.get("step"), str):
                self._step_ref(("findings", fi, "step"), finding["step"], None)

    def _comparison(self) -> None:
        columns = _as_list(_as_dict(self.data.get("comparison")).get("columns"))
        for ci, column in enumerate(columns):
            column = _as_dict(column)
            path: _NodePath = ("comparison", "columns", ci)
            for key in ("lookup", "pod_lookup"):
                if isinstance(column.get(key), str):
                    self._step_ref((*path, key), column[key], None, dns=True)
            service = _as_str(column.get("service"))
            if service is not None and ("Service", service) not in self.objects:
                names = [n for k, n in self.objects if k == "Service"]
                self.error((*path, "service"), f"no manifest defines Service {service!r}",
                           hint=_suggest(service, names) or f"services: {', '.join(names)}")


def _is_nslookup(command: Command) -> bool:
    return isinstance(command, ExecCommand) and command.argv[0] == "nslookup" and not command.pipes


def _non_json(value: Any, path: _NodePath = ()) -> tuple[_NodePath, Any] | None:
    """The first value that JSON cannot carry, with its path, or None."""
    if isinstance(value, dict):
        for key, item in value.items():
            if (found := _non_json(item, (*path, key))) is not None:
                return found
        return None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if (found := _non_json(item, (*path, i))) is not None:
                return found
        return None
    return None if value is None or isinstance(value, (str, int, float, bool)) else (path, value)


# --------------------------------------------------------------------------- building


def _build(data: dict[str, Any], source: _Source, checker: _Checker) -> Scenario:
    """The model of a scenario that passed validation."""
    def line(path: _NodePath) -> int:
        return source.where(path)[0]

    sections = []
    for index, raw in enumerate(data["sections"]):
        section = Section(
            id=raw["id"], title=raw["title"], icon=raw.get("icon"), summary=list(raw.get("summary", [])),
            manifests=checker.manifests.get(index, []),
            waits=[_wait(w, line(("sections", index, "wait", wi))) for wi, w in enumerate(raw.get("wait", []))],
        )
        steps = iter(_iter_steps(raw, index))
        for block in raw.get("blocks", []):
            built = [_step(*next(steps), checker, section.id, line) for _ in block["steps"]]
            section.blocks.append(Block(steps=built, heading=block.get("heading"), label=block.get("label")))
        for ci, check in enumerate(raw.get("checks", [])):
            path = ("sections", index, "checks", ci)
            section.checks.append(_check(check, _check_id(raw, index, ci, check), section.id, line(path)))
        sections.append(section)
    return Scenario(
        path=source.file,
        report=_report(data["report"]),
        sections=sections,
        namespace=data.get("namespace"),
        overview=data.get("overview"),
        comparison=[ComparisonColumn(**c) for c in _as_dict(data.get("comparison")).get("columns", [])],
        learning_points=data.get("learning_points"),
        findings=[Finding(**f) for f in data.get("findings", [])],
        reflections=data.get("reflections"),
    )


def _report(raw: dict[str, Any]) -> Report:
    related = raw.get("related", [])
    return Report(
        title=raw["title"], icon=raw.get("icon"), language=raw.get("language", "ko"), date=raw.get("date"),
        author=raw.get("author"), tags=list(raw.get("tags", [])), aliases=list(raw.get("aliases", [])),
        related=[related] if isinstance(related, str) else list(related), series=raw.get("series"),
        internal_links=[Link(**x) for x in raw.get("internal_links", [])],
        external_links=[ExternalLink(**x) for x in raw.get("external_links", [])],
        next_steps=[NextSteps(heading=x["heading"], notes=list(x.get("notes", []))) for x in raw.get("next_steps", [])],
    )


def _wait(raw: dict[str, Any], line: int) -> Wait:
    kind = next(k for k in WAIT_KINDS if k in raw)
    count = raw.get("count", 1) if kind == "endpoints" else None
    timeout = parse_duration(raw["timeout"]) if "timeout" in raw else DEFAULT_WAIT_TIMEOUT
    return Wait(kind=kind, target=raw[kind], timeout=timeout, count=count, port=raw.get("port"),  # type: ignore[arg-type]
                source=raw.get("from"), line=line)


def _step(path: _NodePath, raw: dict[str, Any], step_id: str, checker: _Checker, section: str,
          line: Any) -> Step:
    command = checker.steps[step_id].command
    assert command is not None
    return Step(
        id=step_id, run=raw["run"], command=command, request=raw.get("request"),
        timeout=parse_duration(raw["timeout"]) if "timeout" in raw else DEFAULT_STEP_TIMEOUT,
        requires=list(raw.get("requires", [])), section=section, line=line(path),
    )


def _check(raw: dict[str, Any], check_id: str, section: str, line: int) -> Check:
    spec = {k: v for k, v in raw.items() if k not in ("title", "id", "requires")}
    kind = next(k for k in CHECK_KINDS if k in raw)
    parts = [
        Check(id=f"{check_id}.{n + 1}", title="", kind=next(k for k in CHECK_KINDS if k in part),
              spec=dict(part), section=section, line=line)
        for n, part in enumerate(raw.get("all", []))
    ]
    return Check(id=check_id, title=raw["title"], kind=kind, spec=spec, requires=list(raw.get("requires", [])),
                 parts=parts, section=section, line=line)


# --------------------------------------------------------------------------- entry point


def _inside(file: Path, base: Path) -> bool:
    """True when ``file``, symlinks followed, lies in ``base`` or below it."""
    return file.resolve().is_relative_to(base.resolve())


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Load, validate and normalize a scenario file.

    Args:
        path: The scenario YAML; manifest files are relative to its folder.

    Returns:
        The validated :class:`Scenario`.

    Raises:
        InvalidScenario: A :class:`ScenarioError` listing every problem, each
            with its ``file:line:column`` and a hint (``.errors`` has them one by one).
    """
    file = os.fspath(path)
    try:
        text = read_text(file, "scenario file", error=ScenarioError)
    except ScenarioError as exc:
        raise InvalidScenario([exc]) from None
    return _load_text(text, file, Path(file).parent)


def _load_text(text: str, file: str, base: Path) -> Scenario:
    try:
        [data], source = _read_yaml(text, file)
    except ScenarioError as exc:
        raise InvalidScenario([exc]) from None
    if data is None:
        raise InvalidScenario([ScenarioError("the scenario is empty", file=file, line=1, column=1,
                                             hint="see docs/scenario-format.md for an example")])
    errors = list(source.problems)
    try:
        found = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    except RecursionError:
        raise InvalidScenario([ScenarioError("the scenario is nested too deeply", file=file)]) from None
    errors += _explain_all(found, source)
    checker = _Checker(_as_dict(data), source, base)
    checker.run()
    errors += checker.errors
    if errors:
        raise InvalidScenario(_sorted(errors, file))
    return _build(data, source, checker)


def _sorted(errors: list[ScenarioError], file: str) -> list[ScenarioError]:
    """Errors without repeats, the scenario file's first, each file's in line order."""
    files = [file] + [e.file for e in errors if e.file != file]
    order = {f: i for i, f in reversed(list(enumerate(files)))}
    unique = {(e.file, e.line, e.column, e.message): e for e in errors}
    return sorted(unique.values(), key=lambda e: (order.get(e.file, 0), e.line or 0, e.column or 0))
