"""The vault's index note (a map of content): every lab note with its status, checks and last verified day.

Each build records its outcome in ``<vault folder>/.reportgen/index.json`` (one
entry per note: title, status, check counts, the day its evidence was last
verified, even when the note itself did not change). The index note is rendered
from that record, so it lists notes built by earlier commands too, and it is
published with the same rules as every note: written only when it changes
(days, not times, so two builds on one day write nothing), keep regions kept.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
from pathlib import Path
from typing import Any

from ._publish import PublishResult, publish, write_atomic

__all__ = ["INDEX_TITLE", "update_index", "with_index_link"]

INDEX_TITLE = "Lab reports"
_STATE = Path(".reportgen") / "index.json"
_MARKS = {"passed": "✅", "failed": "❌", "undecided": "⚠️"}


def update_index(vault: Path, folder: Path, note: Path, title: str, status: str,
                 counts: dict[str, int]) -> PublishResult:
    """Record one note's latest verdict (the day is today, UTC) and republish the index of ``vault/folder``.

    Builds running side by side take turns (a lock on the record).
    """
    root = vault / folder
    (root / _STATE).parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(root / _STATE.with_suffix(".lock"), os.O_CREAT | os.O_RDWR)  # no truncation: no write
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = _load(root)
        state[note.relative_to(vault).with_suffix("").as_posix()] = {
            "title": title, "status": status, **counts, "verified": dt.datetime.now(dt.UTC).date().isoformat()}
        text = json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if not (root / _STATE).is_file() or (root / _STATE).read_text(encoding="utf-8") != text:
            write_atomic(root / _STATE, text)
        listed = {k: v for k, v in state.items() if (vault / f"{k}.md").is_file()}
        return publish(_index_text(listed), root / f"{INDEX_TITLE}.md")
    finally:
        os.close(lock)


def with_index_link(text: str) -> str:
    """A note's text with an ``up`` property linking to the index note."""
    head, _, rest = text.partition("\n")
    return f'{head}\nup: "[[{INDEX_TITLE}]]"\n{rest}' if head == "---" else text


def _load(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / _STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _index_text(state: dict[str, Any]) -> str:
    stems = [Path(key).name for key in state]
    rows = [_row(key if stems.count(Path(key).name) > 1 else Path(key).name, entry)  # a path only when needed
            for key, entry in sorted(state.items())]
    failing = sum(e["status"] == "failed" for e in state.values())
    return "\n".join([
        "---", f'title: "{INDEX_TITLE}"', "tags:", "  - reportgen", "  - moc", f"notes: {len(state)}",
        f"failing: {failing}", "---", "", f"# {INDEX_TITLE}", "",
        "| note | status | checks held | last verified |", "|---|---|---|---|", *rows, "",
        "%% reportgen:keep notes %%", "%% reportgen:end %%", "",
    ])


def _row(key: str, entry: dict[str, Any]) -> str:
    title = re.sub(r"[|\[\]]", " ", str(entry["title"]))
    total = entry.get("passed", 0) + entry.get("failed", 0) + entry.get("undecided", 0)
    mark = _MARKS.get(entry["status"], "")
    held = f"{entry.get('passed', 0)}/{total}"
    return f"| [[{key}\\|{title}]] | {mark} {entry['status']} | {held} | {entry['verified']} |"
