"""Many scenarios in one command: found in files and folders, run side by side, summed up for people and CI.

* A folder means every scenario below it. A scenario is a YAML file whose top
  level has ``report:`` and ``sections:``; anything else there (manifests, with
  ``apiVersion``/``kind``) is not one and is skipped.
* Each scenario runs in its own ``reportgen build`` process, so each has its own
  namespace, signals and cleanup, and one's failure never stops the others.
  ``--jobs N`` runs N at a time.
* Outputs keep the scenario's path below the folder it was found in, so
  ``a/lab.yaml`` and ``b/lab.yaml`` never overwrite each other.
* The exit code is the worst of the runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import yaml

__all__ = ["Item", "Outcome", "find_scenarios", "run_all", "summary_table", "write_json", "write_junit"]

_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Item:
    """One scenario to build: its file, and the folder (below out/ and the vault folder) its outputs go to."""

    path: Path
    subdir: Path = Path()


@dataclass
class Outcome:
    """How one scenario's build ended (what ``--json`` and ``--junit`` write)."""

    scenario: str
    exit_code: int
    status: str
    passed: int = 0
    failed: int = 0
    undecided: int = 0
    report: str | None = None
    vault_note: str | None = None
    written: bool | None = None
    run_id: str | None = None
    duration_s: float = 0.0
    message: str = ""
    notices: list[str] = field(default_factory=list)


def is_scenario(path: Path) -> bool:
    """True for a one-document YAML file whose top level has ``report:`` and ``sections:`` (read cheaply,
    size-capped); a manifest, one or many documents, is not."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 20)
        docs = yaml.safe_load_all(head.decode("utf-8", "replace"))
        data = next(docs, None)
        if isinstance(data, dict) and "apiVersion" in data and "kind" in data:
            return False  # a manifest, though a later document may be broken
        several = next(docs, None) is not None
    except (OSError, yaml.YAMLError):
        return path.suffix in _SUFFIXES  # let validation say what is wrong with it
    return isinstance(data, dict) and "report" in data and "sections" in data and not several


def find_scenarios(paths: Iterable[str | Path]) -> list[Item]:
    """Files as given; folders searched for scenarios, each keeping its path below the folder."""
    items: list[Item] = []
    for given in map(Path, paths):
        if given.is_dir():
            items += [Item(p, p.parent.relative_to(given)) for p in sorted(_yaml_below(given)) if is_scenario(p)]
        else:
            items.append(Item(given))
    return items


def _yaml_below(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from (Path(root) / f for f in files if f.endswith(_SUFFIXES))


def run_all(items: list[Item], build_args: list[str], jobs: int) -> list[Outcome]:
    """Build every item in its own process, ``jobs`` at a time; outcomes in the items' order."""
    with ThreadPoolExecutor(max_workers=max(jobs, 1)) as pool:
        return list(pool.map(lambda item: _run_one(item, build_args), items))


def _run_one(item: Item, build_args: list[str]) -> Outcome:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="reportgen-") as tmp:
        result = Path(tmp) / "result.json"
        argv = [sys.executable, "-m", "reportgen", "build", str(item.path), "--result-json", str(result),
                "--subdir", str(item.subdir), "-q", *build_args]
        proc = subprocess.run(argv, capture_output=True, text=True)
        data = json.loads(result.read_text(encoding="utf-8")) if result.exists() else {}
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    last = lines[-1] if lines and proc.returncode and not data else ""  # a crash: its last word is the news
    message = next((line for line in reversed(lines) if line.startswith("error:")), last)
    outcome = Outcome(scenario=str(item.path), exit_code=proc.returncode, status=_status(proc.returncode, data),
                      duration_s=round(time.monotonic() - started, 2), message=message.removeprefix("error: "))
    for key, value in data.items():
        setattr(outcome, key, value)
    return outcome


def _status(code: int, data: dict[str, Any]) -> str:
    if "status" in data:
        return str(data["status"])
    # exit 1 without the result file: the build died before its verdicts, not on them
    return {0: "passed", 2: "invalid"}.get(code, "interrupted" if code in (130, 143) else "error")


def worst(outcomes: list[Outcome]) -> int:
    """The exit code of the whole batch: the worst single one (an interrupt beats everything)."""
    codes = [o.exit_code for o in outcomes]
    return max(codes, key=lambda c: (c >= 128, c)) if codes else 0


def summary_table(outcomes: list[Outcome]) -> str:
    """A plain table for the terminal."""
    rows = [("scenario", "status", "passed", "failed", "undecided", "seconds")]
    rows += [(o.scenario, o.status, str(o.passed), str(o.failed), str(o.undecided), f"{o.duration_s:g}")
             for o in outcomes]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    notes = [f"  {o.scenario}: {o.message}" for o in outcomes if o.message]
    return "\n".join([*lines, *notes]) + "\n"


def write_json(path: Path, outcomes: list[Outcome]) -> None:
    """The summary as JSON: ``{"exit_code": N, "scenarios": [Outcome, ...]}``."""
    doc = {"exit_code": worst(outcomes), "scenarios": [asdict(o) for o in outcomes]}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_junit(path: Path, outcomes: list[Outcome]) -> None:
    """The summary as JUnit XML: one testcase per scenario; failed is a failure, invalid or broken an error."""
    failures = sum(o.status == "failed" for o in outcomes)
    errors = sum(o.status not in ("passed", "failed", "undecided") for o in outcomes)
    cases = []
    for o in outcomes:
        body = ""
        detail = o.message or f"{o.passed} passed, {o.failed} failed, {o.undecided} undecided"
        if o.status == "failed":
            body = f"<failure message={quoteattr(detail)}/>"
        elif o.status not in ("passed", "undecided"):
            body = f"<error message={quoteattr(detail)} type={quoteattr(o.status)}/>"
        cases.append(f'  <testcase classname="reportgen" name={quoteattr(o.scenario)} time="{o.duration_s}">'
                     f"{body}</testcase>")
    total = sum(o.duration_s for o in outcomes)
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="reportgen" tests="{len(outcomes)}" '
           f'failures="{failures}" errors="{errors}" time="{total:g}">\n' + "\n".join(cases) + "\n</testsuite>\n")
    path.write_text(xml, encoding="utf-8")
