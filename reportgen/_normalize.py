"""What makes two notes of the same lab "the same": a normalized text, and what changed between two runs.

A nightly rebuild must not rewrite a note whose evidence did not change in
meaning. Every run has its own run id, namespace, timestamps, ages, pod-name
suffixes and IPs; :func:`normalize` masks exactly those, so that two runs of an
unchanged lab give the same text, while any change a reader would care about
(a check that flipped, a replica more, another image, a new warning) does not.

Masked, in this order:

* run ids ``20261202-062921-bfd096`` and generated namespaces ``rg-<name>-<hex6>``;
* ISO timestamps, ``YYYY-MM-DD HH:MM UTC``, dates (``2026-12-02``, ``2026.12.02``,
  ``2026년 12월 2일``, ``December 2, 2026``);
* kubectl ages (``5s``, ``3m2s``, ``10d``, ``<invalid>``) in table cells;
* pod-template hashes and random suffixes (``web-57c7cd5d4b-4mtqg``, ``web-4mtqg``);
* IPv4 addresses, with or without a port;
* runs of spaces (table columns widen and narrow with the masked values).

:func:`comparable` is what a rebuild compares: the normalized note without its
digest line, its "changes" callout and blank lines, and with the lines of each
code block sorted, because how a command's stdout and stderr interleave varies
from run to run while their content does not.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._evidence import Bundle, Capture

__all__ = ["CHANGES_CALLOUT", "changed_lines", "comparable", "drift", "normalize"]

CHANGES_CALLOUT = "> [!abstract]"  # the note's "Changes since the last run" callout starts so

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b\d{8}-\d{6}-[0-9a-f]{6}\b"), "<run>"),
    (re.compile(r"\brg-[a-z0-9-]+?-[0-9a-f]{6}\b"), "<namespace>"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}| UTC)?"), "<time>"),
    (re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}\b"),
     "<time>"),  # describe's RFC 1123 times
    (re.compile(r"(?<=reportgen\.dev/pid=)\d+"), "<pid>"),  # the run label with the builder's process id
    (re.compile(r"\b\d{4}[-.]\d{2}[-.]\d{2}\b"), "<date>"),
    (re.compile(r"\d{4}년 \d{1,2}월 \d{1,2}일"), "<date>"),
    (re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December) "
                r"\d{1,2}, \d{4}\b"), "<date>"),
    (re.compile(r"(?<=-)[0-9a-f]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\b"), "<hash>-<id>"),
    (re.compile(r"(?<=-)[bcdfghjklmnpqrstvwxz2456789]{5}\b"), "<id>"),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b"), "<ip>"),
    (re.compile(r"(?<=\s)(\d+[smhdy])+(?=\s|$)|<invalid>"), "<age>"),
    (re.compile(r"[ \t]+"), " "),
]


def normalize(text: str) -> str:
    """``text`` with everything that differs between two runs of an unchanged lab masked."""
    for pattern, mask in _RULES:
        text = pattern.sub(mask, text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


_PROGRESS = re.compile(r"^(?:Waiting for |waiting for statefulset rolling update)")
"""Lines whose number depends on timing: ``rollout status`` prints one per change it happened to see."""
_EVENT_SERIES = re.compile(r" \(x\d+ over [^)]*\)|\(combined from similar events\): ")
"""How the API server happened to aggregate repeated events."""


def _block_lines(lines: list[str]) -> list[str]:
    """A code block as compared: without progress lines, spacing collapsed, each line once, sorted.

    A watch prints a row per event and kubectl's tabwriter widens columns as rows
    arrive, so the count of repeated rows and their spacing vary with timing, as
    does how the server aggregates repeated events. In a ``kubectl top`` table the
    usage figures are masked.
    """
    usage = any("CPU(cores)" in line for line in lines)
    return sorted({_usage(_EVENT_SERIES.sub("", " ".join(line.split())), usage)
                   for line in lines if not _PROGRESS.match(line)})


_USAGE = re.compile(r"(?<!\S)\d+(?:m|Mi|Ki|Gi|%)(?!\S)")
"""``kubectl top``'s usage figures (``81m``, ``1841Mi``, ``4%``): they move from sample to sample."""


def _usage(line: str, masked: bool) -> str:
    return _USAGE.sub("<usage>", line) if masked else line


def comparable(text: str) -> str:
    """A note as compared between runs: normalized, without its digest line, its changes callout and
    blank lines, and with each code block's lines sorted (how stdout and stderr interleave varies)."""
    kept: list[str] = []
    block: list[str] | None = None
    in_callout = False
    for line in normalize(text).split("\n"):
        in_callout = line.startswith(CHANGES_CALLOUT) or (in_callout and line.startswith(">"))
        if in_callout or not line.strip() or line.startswith("%% reportgen:digest "):
            continue
        if line.startswith(("```", "~~~")):
            if block is not None:
                kept += _block_lines(block)
            block = [] if block is None else None
            kept.append(line)
        elif block is not None:
            block.append(line)
        else:
            kept.append(line)
    return "\n".join(kept + _block_lines(block or []))


def changed_lines(old: str, new: str, *, context: int = 0, limit: int = 12) -> list[str]:
    """A compact unified diff of two normalized texts (at most ``limit`` lines), for a reader."""
    diff = difflib.unified_diff(normalize(old).split("\n"), normalize(new).split("\n"), lineterm="", n=context)
    lines = [line for line in diff if not line.startswith(("---", "+++", "@@"))]
    return lines[:limit] + ([f"… {len(lines) - limit} more"] if len(lines) > limit else [])


def drift(previous: Bundle | None, current: Bundle) -> dict[str, Any] | None:
    """What changed in meaning since the previous run, for the note's "Changes since the last run" callout.

    Returns None when there is no previous run, else ``flipped`` checks (id, title, before, after),
    ``outputs`` that differ as a rebuild compares them, so not by line order or blank lines alone
    (step id and a compact diff), ``objects`` added and gone, and the Kubernetes ``version`` change, if
    any. All empty means nothing changed.
    """
    if previous is None:
        return None
    before = {c.id: c for c in previous.all_checks()}
    flipped = [{"id": c.id, "title": c.title, "before": before[c.id].status, "after": c.status}
               for c in current.all_checks() if c.id in before and before[c.id].status != c.status]
    old_out = {c.step_id: c for s in previous.sections for c in s.captures}
    outputs = []
    for capture in (c for s in current.sections for c in s.captures):
        old = old_out.get(capture.step_id)
        if old is not None and _output(old) != _output(capture):
            outputs.append({"step": capture.step_id, "diff": changed_lines(_shown(old), _shown(capture))})
    was, now = set(previous.objects), set(current.objects)
    version = (previous.cluster.server_version, current.cluster.server_version)
    return {"flipped": flipped, "outputs": outputs, "added": sorted(now - was), "gone": sorted(was - now),
            "version": version if version[0] != version[1] else None}


def _output(capture: Capture) -> list[str]:
    """A captured output as a rebuild compares it: as :func:`comparable` compares a code block."""
    return _block_lines([line for line in normalize(_shown(capture)).split("\n") if line.strip()])


def _shown(capture: Capture) -> str:
    pieces = capture.streams or [["stdout", capture.stdout], ["stderr", capture.stderr]]
    return "".join(text for _stream, text in pieces) + (capture.response or "")
