"""Write a note where it belongs, keeping what the user wrote (see :mod:`reportgen._merge`).

:func:`publish` lints the new text, merges it with the note already at the
path, and replaces the file atomically, only when its bytes change. Whatever
of the user's text cannot be carried to its place is kept, and said:
regions whose place is gone move to the note's recovered section; edits
elsewhere leave a ``.bak`` of the previous note. Each becomes a notice the CLI
prints. A file at the path that reportgen did not write is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ._exceptions import VaultError
from ._inputs import read_text
from ._lint import LintProblem, check_report, lint_report, split_front_matter
from ._merge import Region, is_generated, keep_regions, merge_note, with_digest
from ._scenario_text import HIDDEN

__all__ = [
    "PublishResult",
    "Region",
    "check_vault_target",
    "keep_regions",
    "publish",
    "safe_filename",
    "vault_path",
    "write_atomic",
]

_FILENAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|#^\[\]%]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{port}{i}" for port in ("COM", "LPT") for i in range(1, 10)}
_MAX_NAME_BYTES = 200


@dataclass(frozen=True)
class PublishResult:
    """What :func:`publish` did.

    Attributes:
        path: The note's path.
        written: False when the file already held exactly this text.
        kept: Names of the regions whose hand-written body was carried over.
        backup: Where the previous note was copied (it was edited outside its regions).
        problems: Lint problems of the written text that come from the user's text
            (the generated text itself always passes lint).
        notices: What happened to the user's text, one line each, for the terminal.
    """

    path: Path
    written: bool
    kept: tuple[str, ...] = ()
    backup: Path | None = None
    problems: tuple[LintProblem, ...] = ()
    notices: tuple[str, ...] = ()


def _with_final_newline(text: str) -> str:
    return text.rstrip("\n") + "\n"


def _backup(path: Path) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{stamp}.bak")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{stamp}-{counter}.bak")
        counter += 1
    shutil.copy2(path, target)
    return target


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: a temp file beside it, then os.replace."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise VaultError(f"cannot write here: {exc.strerror or exc}", file=str(path),
                         hint="check that the folder exists, is a folder, and is writable") from None
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


def publish(text: str, path: Path, *, equivalent: Callable[[str], str] | None = None) -> PublishResult:
    """Write a note to ``path``, keeping what the user wrote in the note there.

    With ``equivalent``, a note whose merged text maps to the same value as the
    note already there is left as it is (a rebuild whose evidence did not change).

    Raises:
        ReportError: The generated text fails lint; nothing is written.
        VaultError: The path cannot be written, or holds a note reportgen did not write.
    """
    check_report(text)
    generated = _with_final_newline(text)
    if not os.path.lexists(path):
        write_atomic(path, with_digest(generated))
        return PublishResult(path, written=True)
    old = read_text(path, "the existing note", error=VaultError).replace("\r\n", "\n")
    _refuse_foreign(old, path)
    merge = merge_note(generated, old)
    merged = _with_final_newline(merge.text)
    problems = tuple(lint_report(merged)) if merge.kept or merge.recovered or merge.properties else ()
    if merged == old or (equivalent is not None and not merge.edited and not merge.recovered
                         and equivalent(merged) == equivalent(old)):
        return PublishResult(path, written=False, kept=merge.kept, problems=problems)
    backup = _backup(path) if merge.edited else None
    write_atomic(path, merged)
    return PublishResult(path, written=True, kept=merge.kept, backup=backup, problems=problems,
                         notices=_notices(path, merge.recovered, backup))


def _notices(path: Path, recovered: tuple[str, ...], backup: Path | None) -> tuple[str, ...]:
    notices = []
    if recovered:
        notices.append(f"{path}: your text from region(s) {', '.join(recovered)} had no place in the new note; "
                       "it is in the note's 'Recovered text' section")
    if backup is not None:
        notices.append(f"{path}: the note was edited outside its keep regions; the previous note is saved "
                       f"as {backup}")
    return tuple(notices)


def safe_filename(title: str) -> str:
    """A file name (no extension) from a title, valid on Windows, macOS, Linux and in Obsidian links.

    Link and path syntax, controls and invisible characters (bidi overrides
    included) become spaces; names Windows reserves get a ``_``; ``.`` and ``..``
    and names that end up empty become ``report``.
    """
    name = unicodedata.normalize("NFC", HIDDEN.sub(" ", _FILENAME_FORBIDDEN.sub(" ", title)))
    name = " ".join(name.split()).strip(". ")
    while len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        name = name[:-1].rstrip(". ")
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = f"_{name}"
    return name or "report"


def vault_path(vault_dir: Path, scenario: Mapping[str, Any], folder: str | Path = "") -> Path:
    """Where a scenario's note goes in an Obsidian vault: ``<vault>/<folder>/<title>.md``."""
    report = scenario.get("report") or {}
    title = str(report.get("title") or scenario.get("title") or "")
    return Path(vault_dir) / folder / f"{safe_filename(title)}.md"


def check_vault_target(vault_dir: Path, target: Path, scenario_name: str) -> None:
    """Refuse a note path that leaves the vault, is a symlink, or holds another scenario's note.

    Raises:
        VaultError: With the path and why.
    """
    root = Path(os.path.realpath(vault_dir))
    if os.path.islink(target):
        raise VaultError("the note is a symlink; reportgen writes only real files inside the vault",
                         file=str(target), hint="replace the link with the note itself, or remove it")
    if not Path(os.path.realpath(target.parent)).is_relative_to(root):
        raise VaultError(f"the note would be written outside the vault {vault_dir}", file=str(target),
                         hint="a folder on the way is a symlink or '..' leads out; publish elsewhere")
    if target.exists() and not target.is_file():
        raise VaultError("the note's path is taken by something that is not a file", file=str(target),
                         hint="move it away, or publish into another folder")
    if not target.is_file():
        return
    text = read_text(target, "the existing note", error=VaultError)
    _refuse_foreign(text, target)
    owner = _note_scenario(text)
    if owner is not None and owner != scenario_name:
        raise VaultError(f"the note belongs to scenario {owner!r}, not {scenario_name!r}: two scenarios map to "
                         "one note name", file=str(target), hint="give one of them another report title or folder")


def _refuse_foreign(text: str, path: Path) -> None:
    """VaultError unless reportgen wrote the note ``text`` found at ``path``."""
    if not is_generated(text):
        raise VaultError("a note reportgen did not write is already there; it was left alone", file=str(path),
                         hint="rename or move that note, or publish into another folder")


def _note_scenario(text: str) -> str | None:
    """The ``scenario`` property of a note reportgen wrote, if it has one."""
    front, _ = split_front_matter(text)
    try:
        data = yaml.safe_load(front) if front else None
    except yaml.YAMLError:
        return None
    value = data.get("scenario") if isinstance(data, dict) else None
    return str(value) if value else None
