"""Assembly: load a scenario file, run every validation, and build the model.

:func:`load_scenario` reads the file, parses it with positions (``_yaml``),
validates it against the schema (``_schema``) and the semantic rules
(``_checker``), raises one :class:`InvalidScenario` with every problem in file
order, and otherwise builds the :class:`Scenario` (``_model``) from the raw data.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .._exceptions import ScenarioError
from .._inputs import read_text
from ._checker import _as_dict, _check_id, _Checker, _iter_steps
from ._model import (
    CHECK_KINDS,
    DEFAULT_STEP_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT,
    WAIT_KINDS,
    Block,
    Check,
    ComparisonColumn,
    ExternalLink,
    Finding,
    InvalidScenario,
    Link,
    NextSteps,
    Report,
    Scenario,
    Section,
    Step,
    Wait,
)
from ._schema import _explain_all, _validator
from ._values import parse_duration
from ._yaml import _NodePath, _read_yaml, _Source


def _build(data: dict[str, Any], source: _Source, checker: _Checker) -> Scenario:
    """The model of a scenario that passed validation."""
    def line(path: _NodePath) -> int:
        return source.where(path)[0]

    sections = []
    for index, raw in enumerate(data["sections"]):
        section = Section(
            id=raw["id"], title=raw["title"], icon=raw.get("icon"), summary=list(raw.get("summary", [])),
            manifests=checker.manifests.get(index, []),
            waits=[_wait(w, line(("sections", index, "wait", wi))) for wi, w in enumerate(raw.get("wait", []))],
            diagram=raw.get("diagram", True),
        )
        steps = iter(_iter_steps(raw, index))
        for block in raw.get("blocks", []):
            built = [_step(*next(steps), checker, section.id, line) for _ in block["steps"]]
            section.blocks.append(Block(steps=built, heading=block.get("heading"), label=block.get("label")))
        for ci, check in enumerate(raw.get("checks", [])):
            path = ("sections", index, "checks", ci)
            section.checks.append(_check(check, _check_id(raw, index, ci, check), section.id, line(path)))
        sections.append(section)
    return Scenario(
        path=source.file,
        report=_report(data["report"]),
        sections=sections,
        namespace=data.get("namespace"),
        overview=data.get("overview"),
        comparison=[ComparisonColumn(**c) for c in _as_dict(data.get("comparison")).get("columns", [])],
        learning_points=data.get("learning_points"),
        findings=[Finding(**f) for f in data.get("findings", [])],
        reflections=data.get("reflections"),
    )


def _report(raw: dict[str, Any]) -> Report:
    related = raw.get("related", [])
    return Report(
        title=raw["title"], icon=raw.get("icon"), language=raw.get("language", "ko"), date=raw.get("date"),
        author=raw.get("author"), tags=list(raw.get("tags", [])), aliases=list(raw.get("aliases", [])),
        related=[related] if isinstance(related, str) else list(related), series=raw.get("series"),
        internal_links=[Link(**x) for x in raw.get("internal_links", [])],
        external_links=[ExternalLink(**x) for x in raw.get("external_links", [])],
        next_steps=[NextSteps(heading=x["heading"], notes=list(x.get("notes", []))) for x in raw.get("next_steps", [])],
    )


def _wait(raw: dict[str, Any], line: int) -> Wait:
    kind = next(k for k in WAIT_KINDS if k in raw)
    count = raw.get("count", 1) if kind == "endpoints" else None
    timeout = parse_duration(raw["timeout"]) if "timeout" in raw else DEFAULT_WAIT_TIMEOUT
    return Wait(kind=kind, target=raw[kind], timeout=timeout, count=count, port=raw.get("port"),  # type: ignore[arg-type]
                source=raw.get("from"), closed=bool(raw.get("closed", False)), requires=list(raw.get("requires", [])),
                line=line)


def _step(path: _NodePath, raw: dict[str, Any], step_id: str, checker: _Checker, section: str,
          line: Any) -> Step:
    command = checker.steps[step_id].command
    assert command is not None
    return Step(
        id=step_id, run=raw["run"], command=command, request=raw.get("request"),
        timeout=parse_duration(raw["timeout"]) if "timeout" in raw else DEFAULT_STEP_TIMEOUT,
        requires=list(raw.get("requires", [])), section=section, line=line(path),
        watch_for=parse_duration(raw["watch"]["for"]) if "for" in raw.get("watch", {}) else None,
        watch_until=raw.get("watch", {}).get("until"),
    )


def _check(raw: dict[str, Any], check_id: str, section: str, line: int) -> Check:
    spec = {k: v for k, v in raw.items() if k not in ("title", "id", "requires")}
    kind = next(k for k in CHECK_KINDS if k in raw)
    parts = [
        Check(id=f"{check_id}.{n + 1}", title="", kind=next(k for k in CHECK_KINDS if k in part),
              spec=dict(part), section=section, line=line)
        for n, part in enumerate(raw.get("all", []))
    ]
    return Check(id=check_id, title=raw["title"], kind=kind, spec=spec, requires=list(raw.get("requires", [])),
                 parts=parts, section=section, line=line)


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Load, validate and normalize a scenario file.

    Args:
        path: The scenario YAML; manifest files are relative to its folder.

    Returns:
        The validated :class:`Scenario`.

    Raises:
        InvalidScenario: A :class:`ScenarioError` listing every problem, each
            with its ``file:line:column`` and a hint (``.errors`` has them one by one).
    """
    file = os.fspath(path)
    try:
        text = read_text(file, "scenario file", error=ScenarioError)
    except ScenarioError as exc:
        raise InvalidScenario([exc]) from None
    return _load_text(text, file, Path(file).parent)


def _load_text(text: str, file: str, base: Path) -> Scenario:
    try:
        [data], source = _read_yaml(text, file)
    except ScenarioError as exc:
        raise InvalidScenario([exc]) from None
    if data is None:
        raise InvalidScenario([ScenarioError("the scenario is empty", file=file, line=1, column=1,
                                             hint="see docs/scenario-format.md for an example")])
    errors = list(source.problems)
    try:
        found = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    except RecursionError:
        raise InvalidScenario([ScenarioError("the scenario is nested too deeply", file=file)]) from None
    errors += _explain_all(found, source)
    checker = _Checker(_as_dict(data), source, base)
    checker.run()
    errors += checker.errors
    if errors:
        raise InvalidScenario(_sorted(errors, file))
    return _build(data, source, checker)


def _sorted(errors: list[ScenarioError], file: str) -> list[ScenarioError]:
    """Errors without repeats, the scenario file's first, each file's in line order."""
    files = [file] + [e.file for e in errors if e.file != file]
    order = {f: i for i, f in reversed(list(enumerate(files)))}
    unique = {(e.file, e.line, e.column, e.message): e for e in errors}
    return sorted(unique.values(), key=lambda e: (order.get(e.file, 0), e.line or 0, e.column or 0))
