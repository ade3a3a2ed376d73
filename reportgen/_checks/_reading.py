"""The evidence as checks read it: object keys, usable captures, snapshots, paths, and a record of what was read."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from reportgen._evidence import Bundle, Capture

from ._verdict import _path_steps, _step


def object_key(key: str) -> str:
    """The ``bundle.objects`` key for ``kind/name`` (kind lower-cased)."""
    kind, sep, name = key.partition("/")
    return f"{kind.lower()}{sep}{name}"


def pods_key(selector: str) -> str:
    """The ``bundle.objects`` key for the pods a label selector matches."""
    return f"pods:{selector}"



_READS: ContextVar[list[tuple[str, str]] | None] = ContextVar("reportgen_fields_read", default=None)


@contextlib.contextmanager
def recording() -> Iterator[list[tuple[str, str]]]:
    """Collect, while judging, the ``(bundle.objects key, path)`` pairs the judges read (see :func:`note_read`)."""
    reads: list[tuple[str, str]] = []
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)


def note_read(key: str, *paths: str) -> None:
    """Say that a judge read ``paths`` (see :func:`resolve_path`) of snapshot ``key``; kept only when recording."""
    reads = _READS.get()
    if reads is not None:
        reads += [(key, path) for path in paths]


def stored_key(bundle: Bundle, key: str) -> str:
    """The key under which ``bundle.objects`` holds ``kind/name`` (kind lower-cased, else as written)."""
    normal = object_key(key)
    return normal if normal in bundle.objects else key


def usable_capture(bundle: Bundle, step: str) -> tuple[Capture | None, str]:
    """The capture of a step that ran, or None and why there is none.

    A step that ran and exited non-zero is usable: its failure is evidence.
    """
    capture = bundle.capture(step)
    if capture is None:
        return None, f"step {step} has no capture in this run"
    why = capture.reason or "no reason recorded"
    if capture.status == "skipped":
        return None, f"step {step} did not run: {why}"
    # The error itself is shown once, under the step's output; the check refers to it.
    if capture.status == "timeout":
        return None, f"step {step} timed out (the note under its output says why)"
    if capture.status == "error":
        return None, f"step {step} could not run (the note under its output says why)"
    return capture, ""


_UNUSABLE_KEYS = {None: "step_missing", "skipped": "step_skipped", "timeout": "step_timeout", "error": "step_error"}


def snapshot(bundle: Bundle, key: str) -> tuple[Any, str]:
    """The snapshot of object ``kind/name``, or None and why there is none."""
    normal = object_key(key)
    if normal not in bundle.objects and key not in bundle.objects:
        return None, f"{key} was not snapshotted by this run"
    obj = bundle.objects.get(normal, bundle.objects.get(key))
    if obj is None:
        return None, f"{key} did not exist when the run snapshotted it"
    return obj, ""


def resolve_path(obj: Any, path: str) -> tuple[list[Any], bool]:
    """Follow a dotted path with ``[*]``, ``[N]`` and ``['key']`` steps.

    Returns:
        The values found (missing keys are skipped) and whether the path has a
        wildcard, i.e. whether it names a list of values rather than one.

    Raises:
        ValueError: The path is not of that form.
    """
    values = [obj]
    steps = _path_steps(path)
    for step in steps:
        values = [found for value in values for found in _step(value, step)]
    return values, "*" in steps

