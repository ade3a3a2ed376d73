"""Port of ``k8s.io/client-go/util/jsonpath`` v0.34.4 (``parser.go``, ``node.go``, ``jsonpath.go``).

Also ports kubectl's ``RelaxedJSONPathExpression`` (k8s.io/kubectl v0.34.4
``pkg/cmd/get/customcolumn.go``), the ``-o jsonpath`` printer and its error
wrapping (k8s.io/cli-runtime v0.34.4 ``pkg/printers/jsonpath.go`` and
``pkg/genericclioptions/jsonpath_flags.go``), the comparisons of
``third_party/forked/golang/template`` and Go's ``encoding/json`` output (as
since Go 1.22, ``\\b`` and ``\\f`` escaped short; the lab's kubectl is go1.26).

Values are JSON-decoded Python data as kubectl's unstructured decoder sees
them: integers that fit int64 stay integers, the rest are float64. Where Go
visits a map in random order (``*`` and ``..`` over a map), this port visits
keys sorted, so kubectl may print the same items in another order.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Union

from ._tables import go_sprint

__all__ = [
    "ArrayNode",
    "BoolNode",
    "FieldNode",
    "FilterNode",
    "FloatNode",
    "IdentifierNode",
    "IntNode",
    "JSONPath",
    "ListNode",
    "Node",
    "ParamsEntry",
    "PrintError",
    "PrintPanic",
    "RecursiveNode",
    "TextNode",
    "UnionNode",
    "WildcardNode",
    "execute_jsonpath",
    "find_results",
    "go_json",
    "go_syntax",
    "go_value",
    "parse_jsonpath",
    "print_jsonpath",
    "relaxed_jsonpath_expression",
]

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _fits_int64(value: int) -> bool:
    return _INT64_MIN <= value <= _INT64_MAX


class PrintError(ValueError):
    """A printer failed; ``str()`` is Go's ``err.Error()``, ``stderr`` what kubectl writes.

    Attributes:
        stdout: What kubectl had already written to stdout before failing.
    """

    def __init__(self, message: str, stdout: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.stdout = stdout

    @property
    def stderr(self) -> str:
        """The message as kubectl's ``CheckErr`` prints it: ``error: `` prefixed, one newline."""
        text = self.message if self.message.startswith("error: ") else f"error: {self.message}"
        return text if text.endswith("\n") else text + "\n"


class PrintPanic(PrintError):
    """Where kubectl itself panics (a Go runtime panic, exit code 2); ``stderr`` is the panic's first line.

    Go then prints the goroutine's stack, which this port cannot reproduce.
    """

    exit_code = 2

    @property
    def stderr(self) -> str:
        """The first line Go writes for the panic."""
        return f"panic: {self.message}\n"


# --- Go's view of JSON values -------------------------------------------------------------------


class _GoInt(int):
    """A Go ``int`` (from a number in the template), as opposed to a decoded ``int64``."""


class _GoByte(int):
    """A ``uint8``: what indexing a Go string yields."""


class _ZeroValue:
    """Go's zero ``reflect.Value``: what a range over nothing evaluates its body against."""

    def __repr__(self) -> str:
        return "<invalid reflect.Value>"


_ZERO = _ZeroValue()


def go_value(value: Any) -> Any:
    """Return ``value`` as kubectl's unstructured decoding holds it.

    Integers outside int64 become float64; lone surrogates (which Go's JSON
    decoder turns into U+FFFD) become U+FFFD; containers are copied.
    """
    if isinstance(value, dict):
        return {_go_string(str(k)): go_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [go_value(v) for v in value]
    if isinstance(value, str):
        return _go_string(value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        return value if isinstance(value, _GoInt | _GoByte) or _fits_int64(value) else float(value)
    return value


_SURROGATES = re.compile("[\ud800-\udfff]")


def _go_string(text: str) -> str:
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def _sprint(value: Any) -> str:
    """``fmt.Sprint``; Go ints of this module are passed on as plain ints."""
    if value is _ZERO:
        return "<invalid reflect.Value>"
    if isinstance(value, int) and not isinstance(value, bool):
        value = int(value)
    return go_sprint(value)


def _type_name(value: Any) -> str:
    """The Go type name of a value, as ``%v`` of a ``reflect.Type`` prints it."""
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, _GoByte):
        return "uint8"
    if isinstance(value, _GoInt):
        return "int"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    return "string"


# --- Go's encoding/json -------------------------------------------------------------------------

_JSON_ESCAPES = re.compile('[\x00-\x1f"\\\\<>&\u2028\u2029]')
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _json_escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _SHORT_ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def _json_string(text: str) -> str:
    """Quote a string as Go's encoding/json does, HTML characters escaped."""
    return '"' + _JSON_ESCAPES.sub(_json_escape, _go_string(text)) + '"'


def _shortest_digits(value: float) -> tuple[str, int]:
    """The shortest round-trip digits of a positive float and its decimal exponent."""
    _, digit_tuple, exp = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    return digits, len(digits) + int(exp) - 1


def _json_float(value: float) -> str:
    """Format a float64 as encoding/json does (ES6 style: exponent below 1e-6 or from 1e21)."""
    if math.isnan(value) or math.isinf(value):
        raise PrintError(f"json: unsupported value: {go_sprint(value)}")
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    sign = "-" if value < 0 else ""
    digits, exponent = _shortest_digits(abs(value))
    if abs(value) < 1e-6 or abs(value) >= 1e21:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent)}"
    point = exponent + 1
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _json_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value)) if _fits_int64(value) else _json_float(float(value))
    if isinstance(value, float):
        return _json_float(value)
    return _json_string(str(value))


def go_json(value: Any, indent: str | None = None) -> str:
    """Encode ``value`` as Go's ``json.Marshal`` (or ``json.MarshalIndent(v, "", indent)``).

    Map keys are sorted; ``<``, ``>``, ``&``, U+2028 and U+2029 are escaped;
    non-ASCII text is kept; empty containers print as ``{}`` and ``[]``.
    """
    parts: list[str] = []
    _encode(value, parts, indent, 0)
    return "".join(parts)


def _encode(value: Any, parts: list[str], indent: str | None, depth: int) -> None:
    if isinstance(value, dict):
        items: Iterable[tuple[str | None, Any]] = ((str(k), value[k]) for k in sorted(value, key=str))
        _encode_container("{", "}", items, parts, indent, depth)
    elif isinstance(value, list | tuple):
        _encode_container("[", "]", ((None, v) for v in value), parts, indent, depth)
    else:
        parts.append(_json_scalar(value))


def _encode_container(
    open_: str, close: str, items: Iterable[tuple[str | None, Any]], parts: list[str], indent: str | None, depth: int
) -> None:
    parts.append(open_)
    empty = True
    for key, item in items:
        parts.append("" if empty else ",")
        empty = False
        if indent is not None:
            parts.append("\n" + indent * (depth + 1))
        if key is not None:
            parts.append(_json_string(key) + (": " if indent is not None else ":"))
        _encode(item, parts, indent, depth + 1)
    if not empty and indent is not None:
        parts.append("\n" + indent * depth)
    parts.append(close)


# --- Go's %#v, for kubectl's "object given to jsonpath engine was" ------------------------------

_GO_QUOTE_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
                     '"': '\\"', "\\": "\\\\"}


def _go_quote(text: str) -> str:
    """Go's ``strconv.Quote``: printable runes kept, others escaped."""
    out = ['"']
    for ch in text:
        if ch in _GO_QUOTE_ESCAPES:
            out.append(_GO_QUOTE_ESCAPES[ch])
        elif ch == " " or ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def go_syntax(value: Any) -> str:
    """Format a decoded JSON value as Go's ``%#v`` does for ``interface{}`` data."""
    if isinstance(value, dict):
        entries = ", ".join(f"{_go_quote(k)}:{go_syntax(value[k])}" for k in sorted(value))
        return "map[string]interface {}{" + entries + "}"
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_syntax(v) for v in value) + "}"
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, str):
        return _go_quote(value)
    if isinstance(value, _GoByte):
        return f"0x{value:x}"
    return _sprint(value)


# --- parse tree (node.go) -----------------------------------------------------------------------


@dataclass
class ListNode:
    """A sequence of nodes; each ``{...}`` action is one."""

    nodes: list[Node] = field(default_factory=list)


@dataclass
class TextNode:
    """Plain text, or a quoted string inside an action."""

    text: str


@dataclass
class FieldNode:
    """``.name``: a map key."""

    value: str


@dataclass
class IdentifierNode:
    """A keyword: ``range`` or ``end``."""

    name: str


@dataclass
class ParamsEntry:
    """One of an array node's start, end and step."""

    value: int = 0
    known: bool = False
    derived: bool = False


@dataclass
class ArrayNode:
    """``[start:end:step]``."""

    params: list[ParamsEntry]


@dataclass
class FilterNode:
    """``[?(left op right)]``; the operator ``exists`` when there is no comparison."""

    left: ListNode
    right: ListNode
    operator: str


@dataclass
class IntNode:
    """An integer literal."""

    value: int


@dataclass
class FloatNode:
    """A float literal."""

    value: float


@dataclass
class BoolNode:
    """``true`` or ``false``."""

    value: bool


@dataclass
class WildcardNode:
    """``.*`` or ``[*]`` over a map."""


@dataclass
class RecursiveNode:
    """``..``."""


@dataclass
class UnionNode:
    """``[a,b]``: each part is its own list."""

    nodes: list[ListNode]


Node = Union[ListNode, TextNode, FieldNode, IdentifierNode, ArrayNode, FilterNode, IntNode, FloatNode,  # noqa: UP007
             BoolNode, WildcardNode, RecursiveNode, UnionNode]


# --- parser.go ----------------------------------------------------------------------------------


class _ParseError(Exception):
    """A template that does not parse; the message is Go's."""


_EOF = ""
_DICT_KEY = re.compile(r"'([^']*)'")
_SLICE = re.compile(r"(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?")
_FILTER = re.compile(r"([^!<>=\n]+)([!<>=]+)([^\n]+?)")
_ATOI = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)")


def _is_digit(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch) == "Nd"


def _is_alphanumeric(ch: str) -> bool:
    return ch == "_" or (bool(ch) and (ch.isalpha() or _is_digit(ch)))


def _is_terminator(ch: str) -> bool:
    return ch in (_EOF, " ", "\t", "\r", "\n", ".", ",", "[", "]", "$", "@", "{", "}")


def _atoi(text: str) -> int | None:
    """Go's ``strconv.Atoi`` (64-bit): None when it fails."""
    if not _ATOI.fullmatch(text):
        return None
    value = int(text)
    return value if _fits_int64(value) else None


def _go_rune(ch: str) -> str:
    """Go's ``%#U``: ``U+0021 '!'``, without the character when it is not printable."""
    code = f"U+{ord(ch):04X}"
    return f"{code} '{ch}'" if ch == " " or ch.isprintable() else code


class _Parser:
    """Go's ``Parser``: positions are characters, which changes nothing for valid UTF-8."""

    def __init__(self, text: str) -> None:
        self.input = text
        self.root = ListNode()
        self.pos = 0
        self.start = 0
        self.width = 0

    def parse(self) -> ListNode:
        while self._parse_text():
            self.pos += 1  # the left delimiter
            self._consume()
            action = ListNode()
            self.root.nodes.append(action)
            while not self._parse_token(action):
                pass
        return self.root

    def _consume(self) -> str:
        value = self.input[self.start : self.pos]
        self.start = self.pos
        return value

    def _next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return _EOF
        self.width = 1
        self.pos += 1
        return self.input[self.pos - 1]

    def _peek(self) -> str:
        ch = self._next()
        self._backup()
        return ch

    def _backup(self) -> None:
        self.pos -= self.width

    def _parse_text(self) -> bool:
        """Collect text up to the next ``{``; True when an action starts there."""
        while True:
            if self.input.startswith("{", self.pos):
                if self.pos > self.start:
                    self.root.nodes.append(TextNode(self._consume()))
                return True
            if self._next() == _EOF:
                break
        if self.pos > self.start:
            self.root.nodes.append(TextNode(self._consume()))
        return False

    def _parse_token(self, cur: ListNode) -> bool:
        """Parse one token of an action into ``cur``; True when the action's ``}`` was reached."""
        rest = self.input[self.pos :]
        if rest.startswith("}"):
            self.pos += 1
            self._consume()
            return True
        if rest.startswith("[?("):
            self._parse_filter(cur)
            return False
        if rest.startswith(".."):
            self._parse_recursive(cur)
            return False
        ch = self._next()
        if ch == _EOF or ch in "\r\n":
            raise _ParseError("unclosed action")
        if ch in " @$":
            self._consume()
        elif ch == "[":
            self._parse_array(cur)
        elif ch in "\"'":
            self._parse_quote(cur, ch)
        elif ch == ".":
            self._parse_field(cur)
        elif ch in "+-" or _is_digit(ch):
            self._backup()
            self._parse_number(cur)
        elif _is_alphanumeric(ch):
            self._backup()
            self._parse_identifier(cur)
        else:
            raise _ParseError(f"unrecognized character in action: {_go_rune(ch)}")
        return False

    def _parse_identifier(self, cur: ListNode) -> None:
        while not _is_terminator(self._next()):
            pass
        self._backup()
        value = self._consume()
        cur.nodes.append(BoolNode(value == "true") if value in ("true", "false") else IdentifierNode(value))

    def _parse_recursive(self, cur: ListNode) -> None:
        if cur.nodes and isinstance(cur.nodes[-1], RecursiveNode):
            raise _ParseError("invalid multiple recursive descent")
        self.pos += 2
        self._consume()
        cur.nodes.append(RecursiveNode())
        if _is_alphanumeric(self._peek()):
            self._parse_field(cur)

    def _parse_number(self, cur: ListNode) -> None:
        if self._peek() in ("+", "-"):
            self._next()
        while True:
            ch = self._next()
            if ch != "." and not _is_digit(ch):
                self._backup()
                break
        value = self._consume()
        integer = _atoi(value)
        if integer is not None:
            cur.nodes.append(IntNode(integer))
        elif _FLOAT.fullmatch(value):
            cur.nodes.append(FloatNode(float(value)))
        else:
            raise _ParseError(f"cannot parse number {value}")

    def _parse_array(self, cur: ListNode) -> None:
        while True:
            ch = self._next()
            if ch in (_EOF, "\n"):
                raise _ParseError("unterminated array")
            if ch == "]":
                break
        text = self._consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            cur.nodes.append(UnionNode([_parse_action(f"[{p.strip(' ')}]") for p in parts]))
            return
        key = _DICT_KEY.fullmatch(text)
        if key:
            cur.nodes.extend(_parse_action(f".{key.group(1)}").nodes)
            return
        cur.nodes.append(ArrayNode(_slice_params(text)))

    def _parse_filter(self, cur: ListNode) -> None:
        self.pos += 3
        self._consume()
        self._scan_filter()
        if self._next() != "]":
            raise _ParseError("unclosed array expect ]")
        text = self._consume()[:-2]
        match = _FILTER.fullmatch(text)
        if match is None:
            cur.nodes.append(FilterNode(_parse_action(text), ListNode(), "exists"))
        else:
            left, right = _parse_action(match.group(1)), _parse_action(match.group(3))
            cur.nodes.append(FilterNode(left, right, match.group(2)))

    def _scan_filter(self) -> None:
        """Advance to the ``)`` that closes a filter, honouring one quoted operand."""
        begin = end = False
        pair = ""
        while True:
            ch = self._next()
            if ch in (_EOF, "\n"):
                raise _ParseError("unterminated filter")
            if ch in "\"'":
                if not begin:
                    begin, pair = True, ch
                    continue
                if self.input[self.pos - 2] != "\\" and ch == pair:
                    end = True
            elif ch == ")" and begin == end:
                return

    def _parse_quote(self, cur: ListNode, quote: str) -> None:
        while True:
            ch = self._next()
            if ch in (_EOF, "\n"):
                raise _ParseError("unterminated quoted string")
            if ch == quote and self.input[self.pos - 2] != "\\":
                break
        value = self._consume()
        try:
            cur.nodes.append(TextNode(_unquote_extend(value)))
        except ValueError:
            raise _ParseError(f"unquote string {value} error invalid syntax") from None

    def _parse_field(self, cur: ListNode) -> None:
        self._consume()
        while self._advance():
            pass
        value = self._consume()
        cur.nodes.append(WildcardNode() if value == "*" else FieldNode(value.replace("\\", "")))

    def _advance(self) -> bool:
        ch = self._next()
        if ch == "\\":
            self._next()
        elif _is_terminator(ch):
            self._backup()
            return False
        return True


def _slice_params(text: str) -> list[ParamsEntry]:
    """The start, end and step of ``[text]``, as parseArray works them out."""
    match = _SLICE.fullmatch(text)
    if match is None:
        raise _ParseError(f"invalid array index {text}")
    values = [g or "" for g in match.groups()]
    params = [ParamsEntry(), ParamsEntry(), ParamsEntry()]
    for i in range(3):
        if values[i]:
            if i > 0:
                values[i] = values[i][1:]
            if i > 0 and not values[i]:
                params[i].known = False
                continue
            number = _atoi(values[i])
            if number is None:
                raise _ParseError(f"array index {values[i]} is not a number")
            params[i].known, params[i].value = True, number
        elif i == 1:
            params[i] = ParamsEntry(params[0].value + 1, True, True)
    return params


def _parse_action(text: str) -> ListNode:
    """Go's ``parseAction``: parse ``{text}`` and return its first action."""
    root = _Parser("{" + text + "}").parse()
    first = root.nodes[0]
    assert isinstance(first, ListNode)
    return first


def _unquote_extend(text: str) -> str:
    """Go's ``UnquoteExtend``: strconv.Unquote that also takes single quotes; ValueError when invalid."""
    if len(text) < 2 or text[0] != text[-1] or text[0] not in "\"'":
        raise ValueError(text)
    quote, body = text[0], text[1:-1]
    if "\\" not in body and quote not in body:
        return body
    buf = bytearray()
    while body:
        value, multibyte, body = _unquote_char(body, quote)
        if value < 0x80 or not multibyte:
            buf.append(value)
        else:
            buf += chr(value).encode("utf-8", "surrogatepass")
    return buf.decode("utf-8", "surrogateescape")


_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
_HEX = re.compile(r"[0-9a-fA-F]+")


def _unquote_char(text: str, quote: str) -> tuple[int, bool, str]:
    """Go's ``strconv.UnquoteChar``: (rune, multibyte, rest); ValueError on bad syntax."""
    ch = text[0]
    if ch == quote:
        raise ValueError(text)
    if ord(ch) >= 0x80:
        return ord(ch), True, text[1:]
    if ch != "\\":
        return ord(ch), False, text[1:]
    if len(text) <= 1:
        raise ValueError(text)
    escape, rest = text[1], text[2:]
    if escape in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[escape], False, rest
    if escape in "xuU":
        size = {"x": 2, "u": 4, "U": 8}[escape]
        digits = rest[:size]
        if len(digits) < size or not _HEX.fullmatch(digits):
            raise ValueError(text)
        value = int(digits, 16)
        if escape != "x" and (value > 0x10FFFF or 0xD800 <= value <= 0xDFFF):
            raise ValueError(text)
        return value, escape != "x", rest[size:]
    if escape in "01234567":
        digits = escape + rest[:2]
        if len(digits) < 3 or any(d not in "01234567" for d in digits):
            raise ValueError(text)
        value = int(digits, 8)
        if value > 255:
            raise ValueError(text)
        return value, False, rest[2:]
    if escape in "'\"" and escape == quote:
        return ord(escape), False, rest
    raise ValueError(text)


def parse_jsonpath(template: str) -> ListNode:
    """Parse a jsonpath template as ``jsonpath.Parse`` does.

    Raises:
        PrintError: With Go's parser message (e.g. ``unclosed action``).
    """
    try:
        return _Parser(template).parse()
    except _ParseError as exc:
        raise PrintError(str(exc)) from None


# --- jsonpath.go ----------------------------------------------------------------------------


class _GoPanic(Exception):
    """A Go runtime panic in the engine: not an error value, nothing recovers it."""


class _EvalError(Exception):
    """An execution error; the message is Go's, ``partial`` the values Go returns along with it."""

    def __init__(self, message: str, partial: list[Any] | None = None) -> None:
        super().__init__(message)
        self.partial = partial or []


def _children(value: Any) -> list[Any]:
    """What ``*`` and ``..`` visit: map values (keys sorted), list items, a string's bytes."""
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    if isinstance(value, list):
        return list(value)
    if isinstance(value, str):
        return [_GoByte(b) for b in value.encode("utf-8", "surrogateescape")]
    return []


class JSONPath:
    """Go's ``JSONPath``: a parsed template plus the range state ``FindResults`` keeps."""

    def __init__(self, root: ListNode, *, allow_missing_keys: bool = False) -> None:
        self.root = root
        self.allow_missing_keys = allow_missing_keys
        self.begin_range = 0
        self.in_range = 0
        self.end_range = 0
        self.last_end_node: int | None = None

    def find_results(self, data: Any, start: int = 0) -> list[list[Any]]:
        """Port of ``FindResults``; ``start`` stands for ``j.parser.Root.Nodes = nodes[i+1:]``."""
        nodes = self.root.nodes
        full: list[list[Any]] = []
        i = start
        while i < len(nodes):
            results = self._walk([data], nodes[i])
            if self.end_range > 0 and self.end_range <= self.in_range:
                self.end_range -= 1
                self.last_end_node = i
                break
            if self.begin_range > 0:
                self.begin_range -= 1
                self.in_range += 1
                for value in results:
                    if value is _ZERO:
                        raise _GoPanic("reflect: call of reflect.Value.Interface on zero Value")
                    # value.Interface() of a null item is nil, and reflect.ValueOf(nil) the zero Value
                    full.extend(self.find_results(_ZERO if value is None else value, i + 1))
                if not results:
                    self.find_results(_ZERO, i + 1)
                self.in_range -= 1
                if self.last_end_node is not None and i < self.last_end_node < len(nodes):
                    i = self.last_end_node
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def _walk(self, values: list[Any], node: Node) -> list[Any]:
        handler: Callable[[list[Any], Any], list[Any]] = getattr(self, _WALKERS[type(node)])
        return handler(values, node)

    def _eval_list(self, values: list[Any], node: ListNode) -> list[Any]:
        for child in node.nodes:
            values = self._walk(values, child)
        return values

    def _eval_text(self, values: list[Any], node: TextNode) -> list[Any]:
        return [node.text]

    def _eval_literal(self, values: list[Any], node: IntNode | FloatNode | BoolNode) -> list[Any]:
        literal = _GoInt(node.value) if isinstance(node, IntNode) else node.value
        return [literal for _ in values]

    def _eval_identifier(self, values: list[Any], node: IdentifierNode) -> list[Any]:
        if node.name == "range":
            self.begin_range += 1
            return values
        if node.name == "end":
            if self.in_range > 0:
                self.end_range += 1
                return []
            raise _EvalError("not in range, nothing to end")
        raise _EvalError(f"unrecognized identifier {node.name}", values)

    def _eval_field(self, values: list[Any], node: FieldNode) -> list[Any]:
        results = [v[node.value] for v in values if isinstance(v, dict) and node.value in v]
        if not results and values and not self.allow_missing_keys:
            raise _EvalError(f"{node.value} is not found")
        return results

    def _eval_array(self, values: list[Any], node: ArrayNode) -> list[Any]:
        results: list[Any] = []
        for value in values:
            if value is None:
                continue
            if value is _ZERO:
                raise _GoPanic("reflect: call of reflect.Value.Type on zero Value")
            if not isinstance(value, list):
                raise _EvalError(f"{_type_name(value)} is not array or slice", values)
            try:
                bounds = _slice_bounds(node.params, len(value))
            except _EvalError as exc:
                raise _EvalError(str(exc), values) from None
            if bounds is None:
                return results
            begin, end, step = bounds
            results.extend(value[begin:end:step])
        return results

    def _eval_union(self, values: list[Any], node: UnionNode) -> list[Any]:
        results: list[Any] = []
        for part in node.nodes:
            try:
                results.extend(self._eval_list(values, part))
            except _EvalError as exc:
                raise _EvalError(str(exc), values) from None
        return results

    def _eval_wildcard(self, values: list[Any], node: WildcardNode) -> list[Any]:
        return [child for value in values for child in _children(value)]

    def _eval_recursive(self, values: list[Any], node: RecursiveNode) -> list[Any]:
        results: list[Any] = []
        for value in values:
            children = _children(value)
            if children:
                results.append(value)
                results.extend(self._eval_recursive(children, node))
        return results

    def _eval_filter(self, values: list[Any], node: FilterNode) -> list[Any]:
        results: list[Any] = []
        for value in values:
            if not isinstance(value, list):
                raise _EvalError(f"{_sprint(value)} is not array or slice and cannot be filtered", values)
            for item in value:
                if self._passes(item, node, values, results):
                    results.append(item)
        return results

    def _passes(self, item: Any, node: FilterNode, values: list[Any], results: list[Any]) -> bool:
        """Whether one element passes a filter (the body of evalFilter's loop).

        With ``exists`` an error is ignored, but what the failing step returned
        still counts, as in Go.
        """
        try:
            lefts = self._eval_list([item], node.left)
        except _EvalError as exc:
            if node.operator == "exists":
                return bool(exc.partial)
            raise _EvalError(str(exc), values) from None
        if node.operator == "exists":
            return bool(lefts)
        if not lefts:
            return False
        if len(lefts) > 1:
            raise _EvalError("can only compare one element at a time", values)
        try:
            rights = self._eval_list([item], node.right)
        except _EvalError as exc:
            raise _EvalError(str(exc), values) from None
        if not rights:
            return False
        if len(rights) > 1:
            raise _EvalError("can only compare one element at a time", values)
        try:
            return _compare(node.operator, lefts[0], rights[0])
        except _EvalError as exc:
            raise _EvalError(str(exc), results) from None


def _slice_bounds(params: list[ParamsEntry], length: int) -> tuple[int, int, int] | None:
    """evalArray's index arithmetic; None when zero elements were asked for."""
    begin = params[0].value if params[0].known else 0
    if begin < 0:
        begin += length
    end = params[1].value if params[1].known else length
    if end < 0 or (end == 0 and params[1].derived):
        end += length
    if end == begin:
        return None
    if begin >= length or begin < 0:
        raise _EvalError(f"array index out of bounds: index {begin}, length {length}")
    if end > length or end < 0:
        raise _EvalError(f"array index out of bounds: index {end - 1}, length {length}")
    if begin > end:
        raise _EvalError(f"starting index {begin} is greater than ending index {end}")
    step = 1
    if params[2].known:
        if params[2].value <= 0:
            raise _EvalError("step must be > 0")
        step = params[2].value
    return begin, end, step


_WALKERS: dict[type, str] = {
    ListNode: "_eval_list", TextNode: "_eval_text", FieldNode: "_eval_field", ArrayNode: "_eval_array",
    FilterNode: "_eval_filter", IntNode: "_eval_literal", BoolNode: "_eval_literal", FloatNode: "_eval_literal",
    WildcardNode: "_eval_wildcard", RecursiveNode: "_eval_recursive", UnionNode: "_eval_union",
    IdentifierNode: "_eval_identifier",
}


# --- third_party/forked/golang/template comparisons ---------------------------------------------


def _basic_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, _GoByte):
        return "uint"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    raise _EvalError("invalid type for comparison")


def _kinds(left: Any, right: Any) -> tuple[str, str]:
    kind = _basic_kind(left)
    other = _basic_kind(right)
    if kind != other and {kind, other} != {"int", "uint"}:
        raise _EvalError("incompatible types for comparison")
    return kind, other


def _equal(left: Any, right: Any) -> bool:
    _kinds(left, right)
    return bool(left == right)


def _less(left: Any, right: Any) -> bool:
    kind, _ = _kinds(left, right)
    if kind == "bool":
        raise _EvalError("invalid type for comparison")
    return bool(left < right)


def _compare(operator: str, left: Any, right: Any) -> bool:
    """A filter comparison, as template.Equal/Less and friends decide it."""
    if operator == "==":
        return _equal(left, right)
    if operator == "!=":
        return not _equal(left, right)
    if operator == "<":
        return _less(left, right)
    if operator == "<=":
        return _less(left, right) or _equal(left, right)
    if operator == ">":
        return not (_less(left, right) or _equal(left, right))
    if operator == ">=":
        return not _less(left, right)
    raise _EvalError(f"unrecognized filter operator {operator}")


# --- printing -----------------------------------------------------------------------------------


def _print_text(value: Any) -> str:
    """evalToText: strings raw, null as ``null``, other scalars as fmt.Fprint prints them."""
    if value is None:
        return "null"
    if value is _ZERO:
        return "<no value>"
    if isinstance(value, str):
        return value
    return _sprint(value)


def _print_results(results: list[Any], as_json: bool) -> str:
    """Port of ``PrintResults``: containers as JSON, the rest as text, separated by spaces."""
    if as_json:
        if any(r is _ZERO for r in results):
            raise PrintPanic("reflect: call of reflect.Value.Interface on zero Value")
        return go_json(results, "    ") + "\n"
    texts = [go_json(r) if isinstance(r, dict | list) else _print_text(r) for r in results]
    return " ".join(texts)


def execute_jsonpath(root: ListNode, data: Any, *, allow_missing_keys: bool, as_json: bool = False) -> str:
    """Run a parsed template over data as ``JSONPath.Execute`` does.

    Raises:
        PrintError: With Go's execution error, unwrapped.
    """
    results = find_results(root, data, allow_missing_keys=allow_missing_keys)
    return "".join(_print_results(r, as_json) for r in results)


def find_results(root: ListNode, data: Any, *, allow_missing_keys: bool) -> list[list[Any]]:
    """``FindResults`` for a parsed template (what custom columns print).

    Raises:
        PrintError: With Go's execution error.
    """
    path = JSONPath(root, allow_missing_keys=allow_missing_keys)
    try:
        return path.find_results(go_value(data))
    except _EvalError as exc:
        raise PrintError(str(exc)) from None
    except _GoPanic as exc:
        raise PrintPanic(str(exc)) from None


def print_jsonpath(template: str, data: Any, *, allow_missing_keys: bool = True, as_json: bool = False) -> str:
    """What ``kubectl get -o jsonpath=TEMPLATE`` writes for ``data``.

    Args:
        template: The template after ``jsonpath=`` (``{.metadata.name}``).
        data: The object kubectl prints: one object, or the ``List`` wrapper
            (managedFields included: kubectl drops them for json and yaml only).
        allow_missing_keys: ``--allow-missing-template-keys`` (default true).
        as_json: ``-o jsonpath-as-json``.

    Raises:
        PrintError: Parse errors as ``error parsing jsonpath T, MSG``, execution
            errors as ``error executing jsonpath "T": ...`` with kubectl's dump of the object.
    """
    if not template:
        raise PrintError("template format specified but no template given")
    try:
        root = parse_jsonpath(template)
    except PrintError as exc:
        raise PrintError(f"error parsing jsonpath {template}, {exc.message}") from None
    try:
        return execute_jsonpath(root, data, allow_missing_keys=allow_missing_keys, as_json=as_json)
    except PrintPanic:
        raise
    except PrintError as exc:
        raise PrintError(_execution_message(template, exc.message, data)) from None


def _execution_message(template: str, message: str, data: Any) -> str:
    debug = (
        f"Error executing template: {message}. Printing more information for debugging the template:\n"
        f"\ttemplate was:\n\t\t{template}\n"
        f"\tobject given to jsonpath engine was:\n\t\t{go_syntax(go_value(data))}\n\n"
    )
    return f"error executing jsonpath {_go_quote(template)}: {debug}\n"


_RELAXED = re.compile(r"\{\.?([^{}]+)\}|\.?([^{}]+)", re.DOTALL)


def relaxed_jsonpath_expression(expression: str) -> str:
    """kubectl's ``RelaxedJSONPathExpression``: ``a.b``, ``.a.b``, ``{a.b}`` all become ``{.a.b}``.

    Raises:
        PrintError: For anything else (kubectl's message).
    """
    if not expression:
        return expression
    match = _RELAXED.fullmatch(expression)
    if match is None:
        raise PrintError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
        )
    return "{." + (match.group(1) or match.group(2)) + "}"
