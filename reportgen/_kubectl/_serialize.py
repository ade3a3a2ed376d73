"""``kubectl get -o json`` and ``-o yaml`` (kubectl v1.34.4), byte for byte.

Ports k8s.io/cli-runtime v0.34.4 ``pkg/printers/json.go``, ``yaml.go`` and
``managedfields.go``; how k8s.io/kubectl v0.34.4 ``pkg/cmd/get/get.go``
(``printGeneric``) wraps several objects in a ``List``; and sigs.k8s.io/yaml
v1.6.0 ``JSONToYAML`` over go.yaml.in/yaml/v2 v2.4.2: the JSON text decoded
as YAML (``decode.go``, ``resolve.go``, ``scannerc.go`` for what a quoted
scalar turns into) and encoded again (``encode.go``, ``sorter.go``,
``emitterc.go``: key order, quoting, block literals, 80-column folding).

go-yaml checks its input for control characters 512 bytes at a time, so which
of two decode errors it reports depends on where they are; this port follows
that, give or take the few characters its scanner looks ahead. go-yaml's key
comparison is not transitive for some mixes of digits and letters (``2583``,
``2w``, ``1244``) and starts from Go's random map order, so kubectl's own order
varies for such keys; and letters are told by Python's Unicode tables (14.0,
Go 1.26 has 15.0).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._jsonpath import PrintError, go_json, go_value
from ._tables import go_sprint

__all__ = [
    "as_list",
    "drop_managed_fields",
    "json_to_yaml",
    "list_items",
    "output_object",
    "print_json",
    "print_yaml",
]

_MISSING_KIND = "missing apiVersion or kind; try GetObjectKind().SetGroupVersionKind() if you know the type"


# --- what kubectl get prints --------------------------------------------------------------------


def list_items(response: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The items of a list response as kubectl's unstructured decoder returns them.

    Items without both ``kind`` and ``apiVersion`` get the list's (``PodList``
    gives ``Pod``), as ``decodeToList`` does.
    """
    api_version = _string_field(response, "apiVersion")
    kind = _string_field(response, "kind").removesuffix("List")
    items = []
    for item in response.get("items") or []:
        item = dict(item)
        if not item.get("kind") and not item.get("apiVersion"):
            item["kind"], item["apiVersion"] = kind, api_version
        items.append(item)
    return items


def as_list(objects: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The ``List`` kubectl prints for zero or several objects (``printGeneric``)."""
    items = [dict(o) for o in objects]
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


def output_object(objects: Sequence[Mapping[str, Any]], *, single_item_implied: bool) -> dict[str, Any]:
    """What kubectl hands its printer: the object alone when one was named, else a ``List``.

    Args:
        objects: Every object visited, list items flattened, in order.
        single_item_implied: The request named exactly one object
            (``get pod x``, ``get pod/x``), not a list or several names.
    """
    if single_item_implied and len(objects) == 1:
        return dict(objects[0])
    return as_list(objects)


def drop_managed_fields(obj: Mapping[str, Any]) -> dict[str, Any]:
    """Remove ``metadata.managedFields`` (of each item, for a list), as ``--show-managed-fields=false`` does.

    Returns a copy; the input is not changed.
    """
    copy = dict(obj)
    items = copy.get("items")
    if isinstance(items, list):
        copy["items"] = [_without_managed_fields(i) if isinstance(i, Mapping) else i for i in items]
        return copy
    return _without_managed_fields(copy)


def _without_managed_fields(obj: Mapping[str, Any]) -> dict[str, Any]:
    copy = dict(obj)
    metadata = copy.get("metadata")
    if isinstance(metadata, Mapping) and "managedFields" in metadata:
        copy["metadata"] = {k: v for k, v in metadata.items() if k != "managedFields"}
    return copy


def _string_field(obj: Mapping[str, Any], name: str) -> str:
    value = obj.get(name)
    return value if isinstance(value, str) else ""


def _check_kind(obj: Mapping[str, Any]) -> None:
    """The printers' refusal of an object with neither apiVersion nor kind."""
    api_version, kind = _string_field(obj, "apiVersion"), _string_field(obj, "kind")
    if api_version.count("/") > 1 or not (api_version.strip("/") or kind):
        raise PrintError(_MISSING_KIND)


def print_json(obj: Mapping[str, Any], *, show_managed_fields: bool = False) -> str:
    """``-o json``: Go's ``json.MarshalIndent`` with four spaces, plus a newline.

    Args:
        obj: The object kubectl prints (one object, or the ``List`` wrapper).
        show_managed_fields: ``--show-managed-fields``; by default they are dropped.

    Raises:
        PrintError: When the object has no apiVersion or kind.
    """
    _check_kind(obj)
    if not show_managed_fields:
        obj = drop_managed_fields(obj)
    return go_json(go_value(obj), "    ") + "\n"


def print_yaml(obj: Mapping[str, Any], *, show_managed_fields: bool = False) -> str:
    """``-o yaml``: sigs.k8s.io/yaml's ``Marshal`` of the object.

    Args:
        obj: The object kubectl prints (one object, or the ``List`` wrapper).
        show_managed_fields: ``--show-managed-fields``; by default they are dropped.

    Raises:
        PrintError: When the object has no apiVersion or kind, or go-yaml
            refuses the JSON (``yaml: control characters are not allowed``).
    """
    _check_kind(obj)
    if not show_managed_fields:
        obj = drop_managed_fields(obj)
    return json_to_yaml(obj)


def json_to_yaml(data: Any) -> str:
    """sigs.k8s.io/yaml's ``JSONToYAML`` of Go's JSON for ``data``: go-yaml v2 reads the JSON, then writes YAML.

    Raises:
        PrintError: With go-yaml's message when it cannot read the JSON back.
    """
    value = go_value(data)
    decoder = _YAMLDecoder(go_json(value))
    decoded = decoder.decode(value)
    decoder.check_reader(None)
    return _Emitter(list(_events(decoded))).run()


# --- JSON text read back by go-yaml -------------------------------------------------------------

_NOT_ALLOWED = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")
_INT_TEXT = re.compile(r"-?[0-9]+")
_RAW_CHUNK = 512  # go-yaml's reader decodes (and checks) its input this many bytes at a time


class _UInt(int):
    """A value go-yaml decodes as ``uint64`` (a whole float64 past int64)."""


class _Float(float):
    """A value go-yaml decodes as ``float64``; kept apart so ``1.0`` is not an int."""


class _YAMLDecoder:
    """What go-yaml v2 makes of Go's JSON text: numbers re-resolved, quoted scalars folded, its errors.

    ``pos`` follows the JSON text (characters) as the value is walked in the
    same order, so an error knows how much input the reader had checked.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 0  # line breaks (NEL) the scanner has seen
        bad = _NOT_ALLOWED.search(text)
        self.bad_end = len(text[: bad.end()].encode("utf-8")) if bad else None

    def check_reader(self, pos: int | None) -> None:
        """Raise the reader's error if it has decoded the first control character by ``pos`` (+4 characters)."""
        if self.bad_end is None:
            return
        if pos is not None:
            needed = len(self.text[: pos + 4].encode("utf-8"))
            if self.bad_end > -(-needed // _RAW_CHUNK) * _RAW_CHUNK:
                return
        raise PrintError("yaml: control characters are not allowed")

    def decode(self, value: Any) -> Any:
        if isinstance(value, dict):
            return self._mapping(value)
        if isinstance(value, list):
            self.pos += 1
            items = []
            for index, item in enumerate(value):
                self.pos += 1 if index else 0
                items.append(self.decode(item))
            self.pos += 1
            return items
        if isinstance(value, str):
            return self._string(value)
        self.pos += len(go_json(value))
        if value is None or isinstance(value, bool):
            return value
        return _yaml_number(go_json(value))

    def _mapping(self, value: dict[str, Any]) -> dict[str, Any]:
        self.pos += 1
        result = {}
        for index, key in enumerate(sorted(value)):
            self.pos += 1 if index else 0
            decoded = self._key(key)
            self.pos += 1  # the colon
            result[decoded] = self.decode(value[key])
        self.pos += 1
        return result

    def _key(self, text: str) -> str:
        """A mapping key: go-yaml drops a simple key spanning lines or over 1024 characters, and then fails."""
        lines_before, start = self.line, self.pos
        key = self._string(text)
        if self.line > lines_before or self.pos - start > 1024:
            self.check_reader(self.pos)
            where = f"line {self.line}: " if self.line else ""
            raise PrintError(f"yaml: {where}did not find expected ',' or '}}'")
        return key

    def _string(self, text: str) -> str:
        start = self.pos
        self.pos += len(go_json(text))
        return self._fold(text, start) if "\x85" in text else text

    def _fold(self, text: str, start: int) -> str:
        """A double-quoted scalar's line folding; NEL is the only raw break Go's JSON leaves."""
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            begin = i
            while i < n and text[i] not in " \x85":
                i += 1
            out.append(text[begin:i])
            spaces, breaks, at_line_start = 0, 0, False
            while i < n and text[i] in " \x85":
                if text[i] == "\x85":
                    breaks, at_line_start = breaks + 1, True
                    self.line += 1
                elif breaks == 0:
                    spaces += 1
                else:
                    at_line_start = False
                i += 1
            out.append(" " * spaces if not breaks else " " if breaks == 1 else "\n" * (breaks - 1))
            if at_line_start and text[i : i + 3] in ("---", "...") and text[i + 3 : i + 4] in (" ", "\x85"):
                self.check_reader(start + len(go_json(text[:i])) - 1)
                raise PrintError(f"yaml: line {self.line + 1}: found unexpected document indicator")
        return "".join(out)


def _yaml_number(text: str) -> int | float:
    """A JSON number as go-yaml resolves it: int, then uint64, else float64."""
    if _INT_TEXT.fullmatch(text):
        value = int(text)
        if -(2**63) <= value < 2**63:
            return value
        if 0 <= value < 2**64:
            return _UInt(value)
    return _Float(float(text))


# --- resolve.go: would a plain scalar read back as something else than a string? ----------------

_RESOLVE_HINTS = {**dict.fromkeys("+-", "S"), **dict.fromkeys("0123456789", "D"),
                  **dict.fromkeys("yYnNtTfFoO~", "M"), ".": "."}
_RESOLVE_MAP = frozenset((
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
    "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
    "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
    "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<",
))
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_DOT_FLOAT = re.compile(r"\.[0-9]+(_[0-9]+)*([eE][-+]?[0-9]+(_[0-9]+)*)?")  # Go float syntax, "_" between digits
_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_DIGITS = {2: re.compile(r"[01]+"), 8: re.compile(r"[0-7]*"), 10: re.compile(r"[0-9]+"),
           16: re.compile(r"[0-9a-fA-F]+")}


def _plain_is_string(text: str) -> bool:
    """Whether ``text`` may be written plain: ``resolve("", s)`` says ``!!str`` and it is no base 60 float."""
    return _resolves_to_string(text) and not _BASE60.fullmatch(text)


def _resolves_to_string(text: str) -> bool:
    """Port of go-yaml's ``resolve`` for an untagged plain scalar: True for ``!!str``."""
    hint = _RESOLVE_HINTS.get(text[0]) if text else "N"
    if hint is None:
        return True
    if text in _RESOLVE_MAP:
        return False
    if hint == "M":
        return True
    if hint == ".":
        return not (_DOT_FLOAT.fullmatch(text) and _finite(text.replace("_", "")))
    if _parse_timestamp(text):
        return False
    plain = text.replace("_", "")
    if _parse_int(plain, 0, signed=True) is not None or _parse_int(plain, 0, signed=False) is not None:
        return False
    if _YAML_FLOAT.fullmatch(plain) and _finite(plain):
        return False
    if plain.startswith("0b"):
        binary = plain[2:]
        return _parse_int(binary, 2, signed=True) is None and _parse_int(binary, 2, signed=False) is None
    if plain.startswith("-0b"):
        return _parse_int("-" + plain[3:], 2, signed=True) is None
    return True


def _finite(text: str) -> bool:
    """Go's ParseFloat fails with ErrRange on overflow (Python gives inf)."""
    return abs(float(text)) != float("inf")


def _parse_int(text: str, base: int, *, signed: bool) -> int | None:
    """Go's ``strconv.ParseInt``/``ParseUint`` (64-bit, no underscores left); None on any error."""
    negative = False
    if signed and text[:1] in ("+", "-"):
        negative, text = text[0] == "-", text[1:]
    if not text:
        return None
    if base == 0:
        base = 10
        if text[0] == "0":
            prefix = text[1:2].lower()
            if len(text) >= 3 and prefix in ("b", "o", "x"):
                base, text = {"b": 2, "o": 8, "x": 16}[prefix], text[2:]
            else:
                base, text = 8, text[1:]
    if not _DIGITS[base].fullmatch(text):
        return None
    value = int(text, base) if text else 0
    if not signed:
        return value if value < 2**64 else None
    value = -value if negative else value
    return value if -(2**63) <= value < 2**63 else None


_TIMESTAMPS = [
    re.compile(r"([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)T([0-9][0-9]?):([0-9][0-9]?):([0-9][0-9]?)"
               r"(?:[.,][0-9]+)?(?:Z|[+-]([0-9]{2}):([0-9]{2}))"),
    re.compile(r"([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)t([0-9][0-9]?):([0-9][0-9]?):([0-9][0-9]?)"
               r"(?:[.,][0-9]+)?(?:Z|[+-]([0-9]{2}):([0-9]{2}))"),
    re.compile(r"([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?) +([0-9][0-9]?):([0-9][0-9]?):([0-9][0-9]?)(?:[.,][0-9]+)?"),
    re.compile(r"([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)"),
]
_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def _parse_timestamp(text: str) -> bool:
    """Whether go-yaml's ``parseTimestamp`` accepts ``text`` (Go's time.Parse on its four layouts)."""
    if not re.match(r"[0-9]{4}-", text):
        return False
    for layout in _TIMESTAMPS:
        match = layout.fullmatch(text)
        if match and _valid_time([int(g) if g else 0 for g in match.groups()]):
            return True
    return False


def _valid_time(fields: list[int]) -> bool:
    year, month, day, *clock = fields + [0] * (8 - len(fields))
    hour, minute, second, zone_hour, zone_minute = clock
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if not 1 <= day <= _DAYS[month - 1] + (1 if month == 2 and leap else 0):
        return False
    return hour < 24 and minute < 60 and second < 60 and zone_hour <= 24 and zone_minute <= 60


# --- encode.go: values to events ----------------------------------------------------------------

_PLAIN, _SINGLE, _DOUBLE, _LITERAL = "plain", "single", "double", "literal"


@dataclass(frozen=True)
class _Event:
    """One emitter event: ``scalar`` (with value and requested style), ``seq``/``map`` start or ``end``."""

    kind: str
    value: str = ""
    style: str = _PLAIN


_SEQ_END = _Event("seq_end")
_MAP_END = _Event("map_end")


def _events(value: Any) -> Iterator[_Event]:
    """The events go-yaml's encoder emits for a decoded value, map keys in ``keyList`` order."""
    if isinstance(value, dict):
        yield _Event("map_start")
        for key in sorted(value, key=functools.cmp_to_key(_key_cmp)):
            yield _string_event(key)
            yield from _events(value[key])
        yield _MAP_END
    elif isinstance(value, list):
        yield _Event("seq_start")
        for item in value:
            yield from _events(item)
        yield _SEQ_END
    elif isinstance(value, str):
        yield _string_event(value)
    else:
        yield _Event("scalar", _scalar_text(value))


def _scalar_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _Float):
        return go_sprint(float(value))
    return str(int(value))


def _string_event(text: str) -> _Event:
    """``stringv``: literal for multi-line text, plain when it reads back as a string, else double quotes."""
    if "\n" in text:
        return _Event("scalar", text, _LITERAL)
    return _Event("scalar", text, _PLAIN if _plain_is_string(text) else _DOUBLE)


def _key_cmp(a: str, b: str) -> int:
    return -1 if _key_less(a, b) else 1 if _key_less(b, a) else 0


def _key_less(a: str, b: str) -> bool:
    """``keyList.Less`` for two string keys: letters before others, digit runs by value."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        a_letter, b_letter = a[i].isalpha(), b[i].isalpha()
        if a_letter and b_letter:
            return a[i] < b[i]
        if a_letter or b_letter:
            return b_letter
        return _digits_less(a, b, i)
    return len(a) < len(b)


def _digits_less(a: str, b: str, i: int) -> bool:
    """The numeric part of ``keyList.Less`` from the first differing rune (int64 wrap-around included)."""
    an = bn = 0
    if a[i] == "0" or b[i] == "0":
        j = i - 1
        while j >= 0 and _is_go_digit(a[j]):
            if a[j] != "0":
                an = bn = 1
                break
            j -= 1
    ai = i
    while ai < len(a) and _is_go_digit(a[ai]):
        an = _wrap64(an * 10 + ord(a[ai]) - 48)
        ai += 1
    bi = i
    while bi < len(b) and _is_go_digit(b[bi]):
        bn = _wrap64(bn * 10 + ord(b[bi]) - 48)
        bi += 1
    if an != bn:
        return an < bn
    if ai != bi:
        return ai < bi
    return a[i] < b[i]


def _is_go_digit(ch: str) -> bool:
    """``unicode.IsDigit``: decimal digits of any script."""
    return ch.isdecimal()


def _wrap64(value: int) -> int:
    return (value + 2**63) % 2**64 - 2**63


# --- emitterc.go --------------------------------------------------------------------------------

_BREAKS = "\r\n\x85\u2028\u2029"


def _is_printable(ch: str) -> bool:
    """go-yaml's ``is_printable``: no C0/C1 controls but LF, no BOM, nothing past U+FFFD."""
    code = ord(ch)
    return (code == 0x0A or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF
            or (0xE000 <= code <= 0xFFFD and code != 0xFEFF))


@dataclass
class _Analysis:
    """``yaml_emitter_analyze_scalar``'s verdict on a scalar."""

    multiline: bool = False
    flow_plain: bool = True
    block_plain: bool = True
    single_quoted: bool = True
    block: bool = True


def _analyze(value: str) -> _Analysis:
    """Port of ``yaml_emitter_analyze_scalar``."""
    if not value:
        return _Analysis(False, False, True, True, False)
    flow_ind, block_ind = _indicators(value)
    flags = _whitespace_flags(value)
    special = any(not _is_printable(ch) for ch in value)
    result = _Analysis(multiline=flags["line_breaks"])
    if flags["leading_space"] or flags["leading_break"] or flags["trailing_space"] or flags["trailing_break"]:
        result.flow_plain = result.block_plain = False
    if flags["trailing_space"]:
        result.block = False
    if flags["break_space"]:
        result.flow_plain = result.block_plain = result.single_quoted = False
    if flags["space_break"] or special:
        result.flow_plain = result.block_plain = result.single_quoted = result.block = False
    if flags["line_breaks"]:
        result.flow_plain = result.block_plain = False
    if flow_ind:
        result.flow_plain = False
    if block_ind:
        result.block_plain = False
    return result


def _indicators(value: str) -> tuple[bool, bool]:
    """The flow and block indicators of a scalar, as analyze_scalar finds them."""
    flow = block = value[:3] in ("---", "...")
    preceded_by_whitespace = True
    for i, ch in enumerate(value):
        followed_by_whitespace = i + 1 >= len(value) or value[i + 1] in " \t"
        if i == 0:
            if ch in "#,[]{}&*!|>'\"%@`":
                flow = block = True
            elif ch in "?:":
                flow = True
                block = block or followed_by_whitespace
            elif ch == "-" and followed_by_whitespace:
                flow = block = True
        elif ch in ",?[]{}":
            flow = True
        elif ch == ":":
            flow = True
            block = block or followed_by_whitespace
        elif ch == "#" and preceded_by_whitespace:
            flow = block = True
        preceded_by_whitespace = ch in " \t\x00" or ch in _BREAKS
    return flow, block


def _whitespace_flags(value: str) -> dict[str, bool]:
    """Leading/trailing spaces and breaks, and spaces next to breaks, in a scalar."""
    flags = dict.fromkeys(("leading_space", "leading_break", "trailing_space", "trailing_break",
                           "break_space", "space_break", "line_breaks"), False)
    previous_space = previous_break = False
    last = len(value) - 1
    for i, ch in enumerate(value):
        if ch == " ":
            flags["leading_space"] |= i == 0
            flags["trailing_space"] |= i == last
            flags["break_space"] |= previous_break
            previous_space, previous_break = True, False
        elif ch in _BREAKS:
            flags["line_breaks"] = True
            flags["leading_break"] |= i == 0
            flags["trailing_break"] |= i == last
            flags["space_break"] |= previous_space
            previous_space, previous_break = False, True
        else:
            previous_space = previous_break = False
    return flags


class _Emitter:
    """go-yaml v2's emitter state machine for block style (flow only for empty collections)."""

    def __init__(self, events: list[_Event]) -> None:
        self.events = events
        self.head = 0
        self.out: list[str] = []
        self.states: list[str] = []
        self.indents: list[int] = []
        self.indent = -1
        self.flow_level = 0
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.root_context = self.mapping_context = self.simple_key_context = False
        self.analysis = _Analysis()

    def run(self) -> str:
        """Emit the document (implicit start and end, no ``---``) and return the text."""
        self.states.append("document_end")
        self._next_event()
        self._emit_node(root=True, mapping=False, simple_key=False)
        while self.head < len(self.events):
            state = self.states.pop()
            self._next_event()
            getattr(self, "_state_" + state)()
        self._state_document_end()
        return "".join(self.out)

    def _next_event(self) -> None:
        event = self.events[self.head]
        self.event = event
        if event.kind == "scalar":
            self.analysis = _analyze(event.value)

    def _advance(self) -> None:
        self.head += 1

    # --- low-level writers

    def _put(self, text: str) -> None:
        self.out.append(text)
        self.column += len(text)

    def _put_break(self) -> None:
        self.out.append("\n")
        self.column = 0

    def _write_break(self, ch: str) -> None:
        if ch == "\n":
            self._put_break()
        else:
            self.out.append(ch)
            self.column = 0

    def _write_indent(self) -> None:
        indent = max(self.indent, 0)
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self._put_break()
        if self.column < indent:
            self._put(" " * (indent - self.column))
        self.whitespace = self.indention = True

    def _write_indicator(self, indicator: str, need_whitespace: bool, is_whitespace: bool,
                         is_indention: bool) -> None:
        if need_whitespace and not self.whitespace:
            self._put(" ")
        self._put(indicator)
        self.whitespace = is_whitespace
        self.indention = self.indention and is_indention

    def _increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = 2 if flow else 0
        elif not indentless:
            self.indent += 2

    def _pop_indent(self) -> None:
        self.indent = self.indents.pop()

    # --- states

    def _emit_node(self, *, root: bool, mapping: bool, simple_key: bool) -> None:
        self.root_context, self.mapping_context, self.simple_key_context = root, mapping, simple_key
        kind = self.event.kind
        if kind == "scalar":
            self._emit_scalar()
        elif kind in ("seq_start", "map_start"):
            empty = self.events[self.head + 1].kind in ("seq_end", "map_end")
            flow = "flow" if empty else "block"
            noun = "sequence_first_item" if kind == "seq_start" else "mapping_first_key"
            self.states.append(f"{flow}_{noun}")
        self._advance()

    def _state_flow_sequence_first_item(self) -> None:
        self._flow_empty("[", "]")

    def _state_flow_mapping_first_key(self) -> None:
        self._flow_empty("{", "}")

    def _flow_empty(self, open_: str, close: str) -> None:
        """An empty collection: go-yaml writes it in flow style."""
        self._write_indicator(open_, True, True, False)
        self._increase_indent(True, False)
        self._pop_indent()
        self._write_indicator(close, False, False, False)
        self._advance()

    def _state_block_sequence_first_item(self) -> None:
        self._increase_indent(False, self.mapping_context and not self.indention)
        self._block_sequence_item()

    def _state_block_sequence_item(self) -> None:
        self._block_sequence_item()

    def _block_sequence_item(self) -> None:
        if self.event.kind == "seq_end":
            self._pop_indent()
            self._advance()
            return
        self._write_indent()
        self._write_indicator("-", True, False, True)
        self.states.append("block_sequence_item")
        self._emit_node(root=False, mapping=False, simple_key=False)

    def _state_block_mapping_first_key(self) -> None:
        self._increase_indent(False, False)
        self._block_mapping_key()

    def _state_block_mapping_key(self) -> None:
        self._block_mapping_key()

    def _block_mapping_key(self) -> None:
        if self.event.kind == "map_end":
            self._pop_indent()
            self._advance()
            return
        self._write_indent()
        if self._check_simple_key():
            self.states.append("block_mapping_simple_value")
            self._emit_node(root=False, mapping=True, simple_key=True)
            return
        self._write_indicator("?", True, False, True)
        self.states.append("block_mapping_value")
        self._emit_node(root=False, mapping=True, simple_key=False)

    def _check_simple_key(self) -> bool:
        """Keys are scalars: simple unless multi-line or over 128 bytes."""
        if self.analysis.multiline:
            return False
        return len(self.event.value.encode("utf-8", "surrogateescape")) <= 128

    def _state_block_mapping_simple_value(self) -> None:
        self._write_indicator(":", False, False, False)
        self.states.append("block_mapping_key")
        self._emit_node(root=False, mapping=True, simple_key=False)

    def _state_block_mapping_value(self) -> None:
        self._write_indent()
        self._write_indicator(":", True, False, True)
        self.states.append("block_mapping_key")
        self._emit_node(root=False, mapping=True, simple_key=False)

    def _state_document_end(self) -> None:
        self._write_indent()

    # --- scalars

    def _emit_scalar(self) -> None:
        style = self._select_style()
        self._increase_indent(True, False)
        value = self.event.value
        if style == _PLAIN:
            self._write_plain(value, not self.simple_key_context)
        elif style == _SINGLE:
            self._write_single_quoted(value, not self.simple_key_context)
        elif style == _DOUBLE:
            self._write_double_quoted(value, not self.simple_key_context)
        else:
            self._write_literal(value)
        self._pop_indent()

    def _select_style(self) -> str:
        """Port of ``yaml_emitter_select_scalar_style`` (no tags, never canonical)."""
        style, analysis, value = self.event.style, self.analysis, self.event.value
        if self.simple_key_context and analysis.multiline:
            style = _DOUBLE
        if style == _PLAIN:
            if (self.flow_level > 0 and not analysis.flow_plain) or (self.flow_level == 0 and not analysis.block_plain):
                style = _SINGLE
            if not value and (self.flow_level > 0 or self.simple_key_context):
                style = _SINGLE
        if style == _SINGLE and not analysis.single_quoted:
            style = _DOUBLE
        if style == _LITERAL and (not analysis.block or self.flow_level > 0 or self.simple_key_context):
            style = _DOUBLE
        return style

    def _write_plain(self, value: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self._put(" ")
        spaces = breaks = False
        for i, ch in enumerate(value):
            if ch == " ":
                following = value[i + 1] if i + 1 < len(value) else ""
                if allow_breaks and not spaces and self.column > 80 and following != " ":
                    self._write_indent()
                else:
                    self._put(ch)
                spaces = True
            elif ch in _BREAKS:
                if not breaks and ch == "\n":
                    self._put_break()
                self._write_break(ch)
                self.indention, breaks = True, True
            else:
                if breaks:
                    self._write_indent()
                self._put(ch)
                self.indention = spaces = breaks = False
        self.whitespace = self.indention = False

    def _write_single_quoted(self, value: str, allow_breaks: bool) -> None:
        self._write_indicator("'", True, False, False)
        spaces = breaks = False
        last = len(value) - 1
        for i, ch in enumerate(value):
            if ch == " ":
                if allow_breaks and not spaces and self.column > 80 and 0 < i < last and value[i + 1] != " ":
                    self._write_indent()
                else:
                    self._put(ch)
                spaces = True
            elif ch in _BREAKS:
                if not breaks and ch == "\n":
                    self._put_break()
                self._write_break(ch)
                self.indention, breaks = True, True
            else:
                if breaks:
                    self._write_indent()
                self._put("''" if ch == "'" else ch)
                self.indention = spaces = breaks = False
        self._write_indicator("'", False, False, False)
        self.whitespace = self.indention = False

    def _write_double_quoted(self, value: str, allow_breaks: bool) -> None:
        self._write_indicator('"', True, False, False)
        spaces = False
        bom = value.startswith("\ufeff")  # go-yaml's is_bom looks at the start of the value, for every rune
        last = len(value) - 1
        for i, ch in enumerate(value):
            if bom or not _is_printable(ch) or ch in _BREAKS or ch in '"\\':
                self._put(_escape(ch))
                spaces = False
            elif ch == " ":
                if allow_breaks and not spaces and self.column > 80 and 0 < i < last:
                    self._write_indent()
                    if value[i + 1] == " ":
                        self._put("\\")
                else:
                    self._put(ch)
                spaces = True
            else:
                self._put(ch)
                spaces = False
        self._write_indicator('"', False, False, False)
        self.whitespace = self.indention = False

    def _write_literal(self, value: str) -> None:
        self._write_indicator("|", True, False, False)
        self._write_block_hints(value)
        self._put_break()
        self.indention = self.whitespace = True
        breaks = True
        for ch in value:
            if ch in _BREAKS:
                self._write_break(ch)
                self.indention, breaks = True, True
            else:
                if breaks:
                    self._write_indent()
                self._put(ch)
                self.indention = breaks = False

    def _write_block_hints(self, value: str) -> None:
        """The indentation and chomping indicators after ``|``."""
        if value and (value[0] == " " or value[0] in _BREAKS):
            self._write_indicator("2", False, False, False)
        if not value or value[-1] not in _BREAKS:
            chomp = "-"
        elif len(value) == 1 or value[-2] in _BREAKS:
            chomp = "+"
        else:
            chomp = ""
        if chomp:
            self._write_indicator(chomp, False, False, False)


_NAMED_ESCAPES = {"\x00": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v", "\x0c": "f",
                  "\r": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_",
                  "\u2028": "L", "\u2029": "P"}


def _escape(ch: str) -> str:
    """A character in double quotes, escaped as go-yaml writes it (upper-case hex)."""
    if ch in _NAMED_ESCAPES:
        return "\\" + _NAMED_ESCAPES[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"
