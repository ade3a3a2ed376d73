"""The one way reportgen reads a file a user gave it: scenarios, manifests, bundles, templates, notes.

Only regular files (a FIFO would block, /dev/zero would never end), at most
``limit`` bytes (checked before parsing), and strict UTF-8, whose errors name
their line and column. Every refusal is a ScenarioError-style message (exit 2).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from ._exceptions import InputError

__all__ = ["MAX_BUNDLE_BYTES", "MAX_INPUT_BYTES", "read_bundle_data", "read_text"]

MAX_INPUT_BYTES = 4 * 1024 * 1024  # a scenario, manifest, template, kubeconfig or note
MAX_BUNDLE_BYTES = 256 * 1024 * 1024  # an evidence bundle: 1 MiB per stream, many steps
_MAX_JSON_DEPTH = 200


def read_text(path: str | os.PathLike[str], what: str, *, limit: int = MAX_INPUT_BYTES,
              error: type[InputError] = InputError) -> str:
    """The text of a regular file, or ``error`` saying in one line why not."""
    file = os.fspath(path)
    try:
        info = os.stat(file)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{what} is not a regular file ({_kind(info.st_mode)})", file=file,
                        hint="give the path of an ordinary file")
        if info.st_size > limit:
            raise error(f"{what} is {info.st_size:,} bytes, over the {limit:,}-byte limit", file=file,
                        hint="split it, or check that this is the file you meant")
        with open(file, "rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise error(f"{what} not found", file=file) from None
    except IsADirectoryError:
        raise error(f"{what} is a directory", file=file, hint="give the path of a file") from None
    except PermissionError:
        raise error(f"{what} cannot be read: permission denied", file=file) from None
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror or exc}", file=file) from None
    if len(raw) > limit:
        raise error(f"{what} is over the {limit:,}-byte limit", file=file)
    return _decoded(raw, what, file, error)


def _decoded(raw: bytes, what: str, file: str, error: type[InputError]) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8", "replace")) + 1
        raise error(f"{what} is not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot start a character",
                    file=file, line=line, column=column, hint="save the file as UTF-8") from None


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def read_bundle_data(path: str | os.PathLike[str], error: type[InputError]) -> Any:
    """A bundle file's JSON, or ``error`` with its line and column."""
    file = os.fspath(path)
    text = read_text(file, "the evidence bundle", limit=MAX_BUNDLE_BYTES, error=error)
    if not text.strip():
        raise error("the evidence bundle is empty", file=file, hint="rebuild it with `reportgen build`")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"the evidence bundle is not valid JSON: {exc.msg}", file=file, line=exc.lineno,
                    column=exc.colno, hint="was it cut short? rebuild it with `reportgen build`") from None
    except RecursionError:
        raise error("the evidence bundle is nested too deeply", file=file) from None
    if _depth(data) > _MAX_JSON_DEPTH:
        raise error("the evidence bundle is nested too deeply", file=file)
    return data


def _depth(data: Any) -> int:
    """How deeply ``data`` nests, without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def ensure_not_same(out: Path, source: Path, what: str, error: type[InputError]) -> None:
    """Refuse to write ``out`` over ``source`` (e.g. a report over its own bundle)."""
    try:
        same = out.exists() and os.path.samefile(out, source)
    except OSError:
        same = False
    if same or out.resolve() == source.resolve():
        raise error(f"--out {out} is the {what} itself", file=str(out), hint="write the report to another path")
