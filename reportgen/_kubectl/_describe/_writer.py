"""The writer every describer prints through, and the blocks describers share.

Ports, from k8s.io/kubectl v0.34.4 ``pkg/describe/describe.go``:
``PrefixWriter`` (two spaces per level, terminal escaping of cli-runtime's
``printers.WriteEscaped``), ``tabbedString`` (Go's ``text/tabwriter`` with
minwidth 0, padding 2), ``printLabelsMultiline``, ``printAnnotationsMultiline``,
``printNodeTaintsMultiline``, ``printPodTolerationsMultiline``,
``printPodsMultiline`` and ``DescribeEvents``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .._tabwriter import TabWriter
from ._clock import Clock, parse_time
from ._gosort import go_sort

__all__ = [
    "MAX_ANNOTATION_LEN",
    "PrefixWriter",
    "bool_text",
    "describe_events",
    "go_list",
    "print_annotations",
    "print_labels",
    "print_metadata",
    "print_name",
    "print_pods",
    "print_taints",
    "print_tolerations",
    "shorten",
    "string_or_none",
    "tabbed_string",
]

MAX_ANNOTATION_LEN = 140
_SKIPPED_ANNOTATIONS = frozenset({"kubectl.kubernetes.io/last-applied-configuration"})


class _GoTabWriter(TabWriter):
    """Go's ``text/tabwriter``: widths are recomputed after every flush (no RememberWidths)."""

    def _remember(self, width: int) -> int:
        return width


class PrefixWriter:
    """``PrefixWriter`` over one tabwriter; :meth:`nested` gives ``NewNestedPrefixWriter``."""

    def __init__(self, tabs: TabWriter | None = None, indent: int = 0) -> None:
        self._tabs = tabs or _GoTabWriter(min_width=0, padding=2)
        self._indent = indent
        self._done: list[str] = []

    def write(self, level: int, text: str) -> None:
        """Write already formatted ``text`` after ``level`` indentation steps."""
        prefix = "  " * (level + self._indent)
        self._tabs.write((prefix + text).replace("\x1b", "^[").replace("\r", "\\r"))

    def write_line(self, text: str = "") -> None:
        """``WriteLine``: the text and a newline (nested writers indent it)."""
        if self._indent:
            self.write(0, text + "\n")
        else:
            self._tabs.write((text + "\n").replace("\x1b", "^[").replace("\r", "\\r"))

    def nested(self, indent: int) -> PrefixWriter:
        """A writer adding ``indent`` levels, writing to the same tabwriter."""
        return PrefixWriter(self._tabs, self._indent + indent)

    def flush(self) -> None:
        """``Flush``: lay out what is buffered; later lines align on their own."""
        self._done.append(self._tabs.flush())

    def text(self) -> str:
        """Everything written, laid out."""
        self.flush()
        return "".join(self._done)


def tabbed_string(body: Callable[[PrefixWriter], None]) -> str:
    """``tabbedString``: run ``body`` on a fresh writer and return the aligned text."""
    writer = PrefixWriter()
    body(writer)
    return writer.text()


def string_or_none(text: str) -> str:
    """``stringOrNone``."""
    return text or "<none>"


def bool_text(value: object) -> str:
    """Go's ``%v``/``%t`` of a bool (absent fields are false)."""
    return "true" if value else "false"


def go_list(values: Iterable[object] | None) -> str:
    """Go's ``%v`` of a slice: ``[a b]``."""
    return "[" + " ".join(str(v) for v in values or []) + "]"


def _print_keyed_lines(w: PrefixWriter, title: str, lines: list[str], initial: str = "", inner: str = "\t") -> None:
    """The shared shape of the ``print*Multiline`` helpers: title, then one entry per line."""
    w.write(0, f"{initial}{title}:{inner}")
    if not lines:
        w.write_line("<none>")
        return
    for index, line in enumerate(lines):
        if index:
            w.write(0, initial)
            w.write(0, inner)
        w.write(0, line + "\n")


def print_labels(w: PrefixWriter, title: str, labels: Mapping[str, str] | None, initial: str = "",
                 inner: str = "\t") -> None:
    """``printLabelsMultilineWithIndent`` (``printLabelsMultiline`` with the defaults)."""
    labels = labels or {}
    _print_keyed_lines(w, title, [f"{key}={labels[key]}" for key in sorted(labels)], initial, inner)


def print_name(w: PrefixWriter, obj: Mapping[str, Any], *, namespace: bool = True) -> None:
    """The ``Name:`` and ``Namespace:`` lines most describers open with."""
    metadata = obj.get("metadata") or {}
    w.write(0, f"Name:\t{metadata.get('name', '')}\n")
    if namespace:
        w.write(0, f"Namespace:\t{metadata.get('namespace', '')}\n")


def print_metadata(w: PrefixWriter, obj: Mapping[str, Any]) -> None:
    """An object's ``Labels:`` and ``Annotations:``."""
    metadata = obj.get("metadata") or {}
    print_labels(w, "Labels", metadata.get("labels"))
    print_annotations(w, "Annotations", metadata.get("annotations"))


def print_taints(w: PrefixWriter, title: str, taints: list[dict[str, Any]] | None) -> None:
    """``printNodeTaintsMultiline``: sorted by effect then key."""
    ordered = list(taints or [])
    go_sort(ordered, lambda a, b: _taint_key(a) < _taint_key(b))
    _print_keyed_lines(w, title, [_taint_text(t) for t in ordered])


def _taint_key(taint: Mapping[str, Any]) -> str:
    return f"{taint.get('effect', '')},{taint.get('key', '')}"


def _taint_text(taint: Mapping[str, Any]) -> str:
    """``Taint.ToString``."""
    key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def print_pods(w: PrefixWriter, title: str, pods: list[dict[str, Any]]) -> None:
    """``printPodsMultiline``: pod names, sorted."""
    ordered = list(pods)
    go_sort(ordered, lambda a, b: _name(a) < _name(b))
    _print_keyed_lines(w, title, [_name(p) for p in ordered])


def _name(obj: Mapping[str, Any]) -> str:
    name: str = (obj.get("metadata") or {}).get("name", "")
    return name


def print_tolerations(w: PrefixWriter, title: str, tolerations: list[dict[str, Any]] | None) -> None:
    """``printPodTolerationsMultiline``: sorted by key."""
    ordered = list(tolerations or [])
    go_sort(ordered, lambda a, b: a.get("key", "") < b.get("key", ""))
    _print_keyed_lines(w, title, [_toleration_text(t) for t in ordered])


def _toleration_text(toleration: Mapping[str, Any]) -> str:
    key, value, effect = toleration.get("key", ""), toleration.get("value", ""), toleration.get("effect", "")
    text: str = key + (f"={value}" if value else "") + (f":{effect}" if effect else "")
    if toleration.get("operator") == "Exists" and not value:
        text += " op=Exists" if key or effect else "op=Exists"
    if toleration.get("tolerationSeconds") is not None:
        text += f" for {toleration['tolerationSeconds']}s"
    return text


def print_annotations(w: PrefixWriter, title: str, annotations: Mapping[str, str] | None) -> None:
    """``printAnnotationsMultiline``: long or multi-line values folded and cut at 140 bytes."""
    annotations = annotations or {}
    w.write(0, f"{title}:\t")
    keys = sorted(k for k in annotations if k not in _SKIPPED_ANNOTATIONS)
    if not keys:
        w.write_line("<none>")
        return
    for index, key in enumerate(keys):
        if index:
            w.write(0, "\t")
        value = annotations[key].removesuffix("\n")
        if _byte_len(value) + _byte_len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for line in value.split("\n"):
                w.write(0, f"\t  {shorten(line, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def _byte_len(text: str) -> int:
    return len(text.encode())


def shorten(text: str, limit: int) -> str:
    """``shorten``: Go cuts bytes, so a cut may split a character (shown as U+FFFD here)."""
    raw = text.encode()
    return raw[:limit].decode(errors="replace") + "..." if len(raw) > limit else text


def describe_events(w: PrefixWriter, events: list[dict[str, Any]], clock: Clock) -> None:
    """``DescribeEvents``: the ``Events:`` table, oldest ``lastTimestamp`` first."""
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()
    ordered = list(events)
    go_sort(ordered, lambda a, b: parse_time(a.get("lastTimestamp")) < parse_time(b.get("lastTimestamp")))
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for event in ordered:
        source = (event.get("source") or {}).get("component") or event.get("reportingComponent", "")
        w.write(1, f"{event.get('type', '')}\t{event.get('reason', '')}\t{_event_age(event, clock)}\t"
                   f"{source}\t{event.get('message', '').strip()}\n")


def _event_age(event: Mapping[str, Any], clock: Clock) -> str:
    first = clock.since(event.get("eventTime")) if event.get("eventTime") else clock.since(event.get("firstTimestamp"))
    series = event.get("series")
    if series is not None:
        return f"{clock.since(series.get('lastObservedTime'))} (x{series.get('count', 0)} over {first})"
    if event.get("count", 0) > 1:
        return f"{clock.since(event.get('lastTimestamp'))} (x{event['count']} over {first})"
    return first
