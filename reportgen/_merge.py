"""Merging a rebuilt note with the one already there, so that nothing the user wrote is lost.

What belongs to the user, and what happens to it on a rebuild:

* **keep regions** (``%% reportgen:keep NAME %%`` … ``%% reportgen:end %%``): carried
  over by name, bodies untouched;
* **properties they added** to the front matter: carried over, after the generated ones;
* **a region whose place is gone** (renamed, duplicated, its end marker deleted, or one
  the new note lacks): moved into the note's ``recovered`` keep region, under a
  heading that says where it came from. It is never dropped;
* **edits anywhere else**: the generated text wins, and the whole previous note is
  copied to a ``.bak`` beside it. Reportgen knows an edit happened because every note
  carries a digest of its generated part (the ``reportgen:digest`` comment).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ._lint import END_MARKER, KEEP_MARKER, code_lines, split_front_matter

__all__ = ["Merge", "Region", "is_generated", "keep_regions", "merge_note", "recorded_digest", "with_digest"]

RECOVERED = "recovered"
DIGEST_LINE = re.compile(r"^%% reportgen:digest ([0-9a-f]{16}) .*%%$")
_DIGEST_TEXT = ("%% reportgen:digest {digest} — generated note: write only between reportgen:keep and "
                "reportgen:end; a rebuild moves any other edit to a .bak beside this note %%")
_FRONT_KEY = re.compile(r"^([^\s#:][^:]*):(\s|$)")


@dataclass(frozen=True)
class Region:
    """A hand-written region: its name and the 0-based lines of its markers (end None: never closed)."""

    name: str
    start: int
    end: int | None


@dataclass
class Merge:
    """The merged note and what happened to the user's text.

    Attributes:
        text: The note to write.
        kept: Regions carried over to their place.
        recovered: Regions moved to the recovered section.
        properties: Front-matter keys the user added, carried over.
        edited: The previous note was edited outside its regions (it needs a .bak).
    """

    text: str
    kept: tuple[str, ...] = ()
    recovered: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()
    edited: bool = False


def keep_regions(text: str) -> tuple[list[Region], bool]:
    """The keep regions of a text, outside code, and whether all markers paired up."""
    skip = code_lines(text)
    regions: list[Region] = []
    open_at: tuple[str, int] | None = None
    sound = True
    for index, line in enumerate(text.split("\n")):
        keep, end = (KEEP_MARKER.match(line), END_MARKER.match(line)) if index not in skip else (None, None)
        if keep:
            if open_at is not None:
                regions.append(Region(open_at[0], open_at[1], None))
                sound = False
            open_at = (keep.group(1), index)
        elif end and open_at is None:
            sound = False
        elif end and open_at is not None:
            regions.append(Region(open_at[0], open_at[1], index))
            open_at = None
    if open_at is not None:
        regions.append(Region(open_at[0], open_at[1], None))
    names = [r.name for r in regions]
    return regions, sound and open_at is None and len(names) == len(set(names))


def is_generated(text: str) -> bool:
    """True when reportgen wrote this note (a digest, or at least a keep marker)."""
    return recorded_digest(text) is not None or bool(keep_regions(text)[0])


def recorded_digest(text: str) -> str | None:
    for line in text.split("\n")[:60]:
        found = DIGEST_LINE.match(line)
        if found:
            return found.group(1)
    return None


def digest(text: str, ignore_keys: frozenset[str] | set[str] = frozenset()) -> str:
    """A digest of the generated part of a note: keep bodies, the digest line and ``ignore_keys`` left out."""
    lines = text.split("\n")
    drop: set[int] = {i for i, line in enumerate(lines) if DIGEST_LINE.match(line)}
    for region in keep_regions(text)[0]:
        drop.update(range(region.start + 1, region.end if region.end is not None else len(lines)))
    drop.update(_property_lines(text, ignore_keys))
    kept = "\n".join(line for i, line in enumerate(lines) if i not in drop)
    return hashlib.sha256(kept.rstrip("\n").encode("utf-8")).hexdigest()[:16]


def with_digest(text: str, user_keys: frozenset[str] | set[str] = frozenset()) -> str:
    """``text`` with its digest comment (of all but the user's properties), right after the front matter."""
    lines = [line for line in text.split("\n") if not DIGEST_LINE.match(line)]
    body = "\n".join(lines)
    _, end = split_front_matter(body)
    at = end if end else 0
    lines.insert(at, _DIGEST_TEXT.format(digest=digest(body, user_keys)))
    return "\n".join(lines)


def _property_lines(text: str, keys: frozenset[str] | set[str]) -> set[int]:
    """0-based lines of the front-matter properties ``keys`` (each key with its continuation lines)."""
    _, end = split_front_matter(text)
    lines, found, current = text.split("\n"), set[int](), None
    for index in range(1, max(end - 1, 1)):
        key = _FRONT_KEY.match(lines[index])
        if key:
            current = key.group(1).strip()
        if current in keys:
            found.add(index)
    return found


def _property_keys(text: str) -> list[str]:
    _, end = split_front_matter(text)
    lines = text.split("\n")
    return [m.group(1).strip() for line in lines[1: max(end - 1, 1)] if (m := _FRONT_KEY.match(line))]


def merge_note(new: str, old: str) -> Merge:
    """``new`` (just generated) merged with ``old`` (the note there now); see the module docstring."""
    added = [k for k in _property_keys(old) if k not in set(_property_keys(new))]
    recorded = recorded_digest(old)
    edited = recorded is not None and digest(old, set(added)) != recorded
    text, kept, leftovers = _carry_regions(new, old)
    text = _carry_properties(text, old, added)
    recovered = tuple(name for name, _body in leftovers if name != RECOVERED)
    if leftovers:
        text = _recover(text, leftovers)
    return Merge(with_digest(text, set(added)), kept=kept, recovered=recovered, properties=tuple(added),
                 edited=edited or (recorded is None and not keep_regions(old)[1]))


def _carry_regions(new: str, old: str) -> tuple[str, tuple[str, ...], list[tuple[str, list[str]]]]:
    old_lines, lines = old.split("\n"), new.split("\n")
    placed: dict[str, list[str]] = {}
    leftovers: list[tuple[str, list[str]]] = []
    for region in keep_regions(old)[0]:
        body = old_lines[region.start + 1: region.end if region.end is not None else _next_marker(old_lines, region)]
        if region.end is not None and region.name not in placed and region.name != RECOVERED:
            placed[region.name] = body
        elif any(line.strip() for line in body):
            leftovers.append((region.name, body))
    targets = {r.name: r for r in keep_regions(new)[0] if r.end is not None}
    for name in [n for n in placed if n not in targets]:
        body = placed.pop(name)
        if any(line.strip() for line in body):
            leftovers.append((name, body))
    for region in sorted((targets[n] for n in placed), key=lambda r: r.start, reverse=True):
        lines[region.start + 1: region.end] = placed[region.name]
    return "\n".join(lines), tuple(sorted(placed)), leftovers


def _next_marker(lines: list[str], region: Region) -> int:
    """Where an unclosed region's text ends: the next marker, else the end of the note."""
    for index in range(region.start + 1, len(lines)):
        if KEEP_MARKER.match(lines[index]) or END_MARKER.match(lines[index]):
            return index
    return len(lines)


def _carry_properties(text: str, old: str, keys: list[str]) -> str:
    if not keys:
        return text
    old_lines = old.split("\n")
    carried = [old_lines[i] for i in sorted(_property_lines(old, set(keys)))]
    _, end = split_front_matter(text)
    lines = text.split("\n")
    lines[end - 1: end - 1] = carried
    return "\n".join(lines)


def _recover(text: str, leftovers: list[tuple[str, list[str]]]) -> str:
    """Append (or extend) the ``recovered`` region with text whose place is gone."""
    parts: list[str] = []
    for name, body in leftovers:
        text_lines = _trimmed(body)
        parts += text_lines if name == RECOVERED else [f"**↩ from region `{name}`:**", "", *text_lines]
        parts.append("")
    block = [
        "## ♻️ Recovered text",
        "",
        "> [!warning] Text you wrote whose place in the note is gone (a renamed, duplicated or broken "
        "`reportgen:keep` region). It is kept here until you move or delete it.",
        "",
        f"%% reportgen:keep {RECOVERED} %%",
        "",
        *parts,
        "%% reportgen:end %%",
    ]
    return text.rstrip("\n") + "\n\n" + "\n".join(block) + "\n"


def _trimmed(lines: list[str]) -> list[str]:
    """``lines`` without blank lines at either end."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]
