"""YAML with positions: parse a scenario or manifest file, keeping every node's line and column.

:func:`_read_yaml` returns plain data and a :class:`_Source` that maps each node's
path (e.g. ``("sections", 0, "blocks", 1)``) to where it was written, so that
later stages can point their errors at ``file:line:column``. Problems met while
building the data (duplicate keys, non-string keys, bad values) are recorded on
the source; text that is not YAML at all raises a :class:`ScenarioError` with a hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .._exceptions import ScenarioError

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
