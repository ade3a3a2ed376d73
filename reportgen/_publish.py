"""Write a report where it belongs, keeping what the user wrote by hand.

A report marks the regions its reader owns (the reflections) as::

    %% reportgen:keep reflections %%
    ...written by hand in the vault...
    %% reportgen:end %%

:func:`publish` lints the new text, carries the body of each such region over
from the file already at the path (by name), and replaces the file atomically.
When the old file's regions cannot all be carried over (markers deleted or
broken, a region the new text lacks), the old file is first copied to a
``.bak`` beside it, so nothing written by hand is ever lost.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen._lint import END_MARKER, KEEP_MARKER, LintProblem, check_report, code_lines, lint_report

__all__ = [
    "PublishResult",
    "Region",
    "publish",
    "keep_regions",
    "merge_regions",
    "vault_path",
    "safe_filename",
]

_FILENAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|#^\[\]]|[\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{port}{i}" for port in ("COM", "LPT") for i in range(1, 10)}
_MAX_NAME_BYTES = 200


@dataclass(frozen=True)
class Region:
    """A hand-written region: its name and the 0-based lines of its markers."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class PublishResult:
    """What :func:`publish` did.

    Attributes:
        path: The report's path.
        written: False when the file already held exactly this text.
        kept: Names of the regions whose hand-written body was carried over.
        backup: Where the previous file was copied when some of its regions
            could not be carried over; None otherwise.
        problems: Lint problems of the written text that come from carried-over
            regions (the generated text itself always passes lint).
    """

    path: Path
    written: bool
    kept: tuple[str, ...] = ()
    backup: Path | None = None
    problems: tuple[LintProblem, ...] = ()


def keep_regions(text: str) -> tuple[list[Region], bool]:
    """The keep regions of a text, outside code, and whether all markers paired up."""
    skip = code_lines(text)
    regions: list[Region] = []
    names: set[str] = set()
    open_at: tuple[str, int] | None = None
    sound = True
    for index, line in enumerate(text.split("\n")):
        if index in skip:
            continue
        keep, end = KEEP_MARKER.match(line), END_MARKER.match(line)
        if keep:
            sound = sound and open_at is None and keep.group(1) not in names
            open_at = (keep.group(1), index)
            names.add(keep.group(1))
        elif end and open_at is None:
            sound = False
        elif end and open_at is not None:
            regions.append(Region(open_at[0], open_at[1], index))
            open_at = None
    return regions, sound and open_at is None


def merge_regions(new: str, old: str) -> tuple[str, tuple[str, ...], bool]:
    """``new`` with each keep region's body taken from ``old``.

    Returns:
        The merged text, the names carried over, and whether every region of
        ``old`` found its place (False means something hand-written would be lost).
    """
    new_regions, _ = keep_regions(new)
    old_regions, old_sound = keep_regions(old)
    old_lines, lines = old.split("\n"), new.split("\n")
    bodies = {r.name: old_lines[r.start + 1 : r.end] for r in old_regions}
    kept = []
    for region in sorted(new_regions, key=lambda r: r.start, reverse=True):
        if region.name in bodies:
            lines[region.start + 1 : region.end] = bodies[region.name]
            kept.append(region.name)
    complete = old_sound and {r.name for r in old_regions} == {r.name for r in new_regions}
    return "\n".join(lines), tuple(sorted(kept)), complete


def _with_final_newline(text: str) -> str:
    return text.rstrip("\n") + "\n"


def _backup(path: Path) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{stamp}.bak")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{stamp}-{counter}.bak")
        counter += 1
    shutil.copy2(path, target)
    return target


def _write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: a temp file beside it, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def publish(text: str, path: Path) -> PublishResult:
    """Write a report to ``path``, keeping the hand-written regions of the file there.

    Args:
        text: The generated report.
        path: Where to write it (an existing file there is updated).

    Raises:
        ReportError: The generated text fails lint; nothing is written.
    """
    check_report(text)
    merged = _with_final_newline(text)
    if not path.exists():
        _write_atomic(path, merged)
        return PublishResult(path, written=True)
    old = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    merged, kept, complete = merge_regions(merged, old)
    merged = _with_final_newline(merged)
    problems = tuple(lint_report(merged)) if kept else ()
    if merged == old:
        return PublishResult(path, written=False, kept=kept, problems=problems)
    backup = None if complete else _backup(path)
    _write_atomic(path, merged)
    return PublishResult(path, written=True, kept=kept, backup=backup, problems=problems)


def safe_filename(title: str) -> str:
    """A file name (no extension) from a title, valid on Windows, macOS, Linux and in Obsidian links."""
    name = unicodedata.normalize("NFC", _FILENAME_FORBIDDEN.sub(" ", title))
    name = " ".join(name.split()).strip(". ")
    while len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        name = name[:-1].rstrip(". ")
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = f"_{name}"
    return name or "report"


def vault_path(vault_dir: Path, scenario: Mapping[str, Any]) -> Path:
    """Where a scenario's report goes in an Obsidian vault folder: ``<title>.md``."""
    report = scenario.get("report") or {}
    title = str(report.get("title") or scenario.get("title") or "")
    return Path(vault_dir) / f"{safe_filename(title)}.md"
