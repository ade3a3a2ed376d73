"""The scenario model: the validated, normalized scenario as dataclasses.

:class:`Scenario` and its parts are what the runner, the evidence bundle and the
renderer read; :class:`InvalidScenario` is what loading raises. The defaults and
kinds here (``DEFAULT_*``, ``WAIT_KINDS``, ``CHECK_KINDS``) are shared by the
checker and the loader.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from .._exceptions import ScenarioError
from .._kubectl import Command, parse_command, resource_kind
from ._values import _split_field_path, _substitute

DEFAULT_WAIT_TIMEOUT = 120.0
"""Seconds a wait may take when the scenario does not say."""
DEFAULT_STEP_TIMEOUT = 30.0
"""Seconds a step may take when the scenario does not say."""

CHECK_KINDS = ("object", "output", "dns", "pods_created_in_order", "all")
WAIT_KINDS: dict[str, tuple[str, ...]] = {
    "rollout": ("Deployment", "StatefulSet", "DaemonSet"),
    "ready": ("Pod", "Deployment", "StatefulSet", "DaemonSet"),
    "endpoints": ("Service",),
    "reachable": ("Service",),
}


class InvalidScenario(ScenarioError):
    """Every problem found in a scenario, raised once after validating all of it.

    ``file``, ``line`` and ``column`` are those of the first problem; ``str()``
    lists them all, one ``file:line:column: message`` (and hint) each.

    Attributes:
        errors: One :class:`ScenarioError` per problem, in file order.
    """

    def __init__(self, errors: list[ScenarioError]) -> None:
        listing = "\n".join(str(e) for e in errors)
        if len(errors) > 1:
            listing = f"{len(errors)} problems:\n{listing}"
        first = errors[0]
        super().__init__(listing, file=first.file, line=first.line, column=first.column, hint=first.hint)
        self.errors = errors

    def __str__(self) -> str:
        return self.message


@dataclass
class Link:
    """A link to another note of the vault."""

    note: str
    text: str | None = None


@dataclass
class ExternalLink:
    """A link to an outside reference."""

    title: str
    url: str


@dataclass
class NextSteps:
    """A group of notes to study next."""

    heading: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """The report's metadata; ``date`` None means the day of the run."""

    title: str
    icon: str | None = None
    language: str = "ko"
    date: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    series: str | None = None
    internal_links: list[Link] = field(default_factory=list)
    external_links: list[ExternalLink] = field(default_factory=list)
    next_steps: list[NextSteps] = field(default_factory=list)


@dataclass
class Manifest:
    """One Kubernetes object to apply, and where it was written.

    Attributes:
        body: The object as plain data.
        file: The file it is in (the scenario file for an inline one).
        line: The 1-based line where the object starts.
        inline: True when written in the scenario.
        column: The 1-based column where the object starts.
        lines: The line of each field, by path; see :meth:`locate`.
    """

    body: dict[str, Any]
    file: str
    line: int
    inline: bool = False
    column: int = 1
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def kind(self) -> str:
        """The object's kind, e.g. ``Service``."""
        return str(self.body.get("kind", ""))

    @property
    def name(self) -> str:
        """The object's ``metadata.name``."""
        return str((self.body.get("metadata") or {}).get("name", ""))

    @property
    def source(self) -> str:
        """``file:line`` of the object, for messages."""
        return f"{self.file}:{self.line}"

    def locate(self, field_path: str) -> int:
        """The line of a field, e.g. ``spec.template.spec.containers[0].image``.

        Falls back to the nearest enclosing field that exists, then to :attr:`line`.
        """
        path = _split_field_path(field_path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.line


@dataclass
class Wait:
    """A condition to wait for before a section's steps run.

    Attributes:
        kind: rollout, ready or endpoints.
        target: ``kind/name`` as written, e.g. ``deployment/backend-app``.
        timeout: Seconds to wait at most.
        count: For endpoints: how many ready addresses.
        port: For reachable: the Service port to probe.
        source: For reachable: the pod that probes, ``pod/NAME``.
        closed: For reachable: wait until the probe no longer connects.
        requires: Capabilities it needs; skipped on a cluster without one.
        line: Where the wait is written in the scenario.
    """

    kind: Literal["rollout", "ready", "endpoints", "reachable"]
    target: str
    timeout: float = DEFAULT_WAIT_TIMEOUT
    count: int | None = None
    port: int | None = None
    source: str | None = None
    closed: bool = False
    requires: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def target_kind(self) -> str:
        """The target's Kind, e.g. ``Deployment``."""
        return resource_kind(self.target.partition("/")[0]) or ""

    @property
    def target_name(self) -> str:
        """The target's name."""
        return self.target.partition("/")[2]


@dataclass
class Step:
    """One command whose output the report shows.

    Attributes:
        id: Given, or ``<section>-step-<n>``.
        run: The command line as written, ``${namespace}`` unsubstituted.
        command: ``run`` parsed (variables unsubstituted).
        request: For a port-forward: the URL to fetch through it.
        timeout: Seconds the command may take.
        requires: Capabilities without which the step is skipped.
        section: The id of its section.
        line: Where it is written in the scenario.
        watch_for: For ``get --watch``: seconds to watch.
        watch_until: For ``get --watch``: stop at the first line matching this regex.
    """

    id: str
    run: str
    command: Command
    request: str | None = None
    timeout: float = DEFAULT_STEP_TIMEOUT
    requires: list[str] = field(default_factory=list)
    section: str = ""
    line: int = 0
    watch_for: float | None = None
    watch_until: str | None = None

    def command_for(self, namespace: str) -> str:
        """The command line with ``${namespace}`` replaced, as the report shows it."""
        return _substitute(self.run, {"namespace": namespace})

    def parsed_for(self, namespace: str) -> Command:
        """The command, parsed with ``${namespace}`` replaced."""
        return parse_command(self.command_for(namespace))


@dataclass
class Block:
    """Steps under a heading or a label."""

    steps: list[Step]
    heading: str | None = None
    label: str | None = None


@dataclass
class Check:
    """A claim judged on the evidence.

    Attributes:
        id: Given, or ``<section>-check-<n>``; parts of ``all`` are ``<id>.<n>``.
        title: The claim; ``{observed}`` is replaced by the value seen.
        kind: object, output, dns, pods_created_in_order or all.
        spec: The body as written, without title, id and requires; e.g.
            ``{"dns": "github-lookup", "cname": "api.github.com"}``.
        requires: Capabilities without which it is undecided.
        parts: For ``all``: the claims that must all hold.
        section: The id of its section.
        line: Where it is written in the scenario.
    """

    id: str
    title: str
    kind: str
    spec: dict[str, Any]
    requires: list[str] = field(default_factory=list)
    parts: list[Check] = field(default_factory=list)
    section: str = ""
    line: int = 0

    @property
    def target(self) -> Any:
        """What it looks at: a step id, ``kind/name``, a selector, or the parts."""
        return self.spec.get(self.kind)

    def to_data(self) -> dict[str, Any]:
        """Plain data: the body plus id, title, kind and requires."""
        data: dict[str, Any] = {"id": self.id, "title": self.title, "kind": self.kind, "requires": self.requires}
        data.update(self.spec)
        if self.kind == "all":
            data["all"] = [{"kind": p.kind, **p.spec} for p in self.parts]
        return data


@dataclass
class Section:
    """A part of the lab."""

    id: str
    title: str
    icon: str | None = None
    summary: list[str] = field(default_factory=list)
    manifests: list[Manifest] = field(default_factory=list)
    waits: list[Wait] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    diagram: bool | list[str] = True

    @property
    def steps(self) -> list[Step]:
        """The section's steps, in order."""
        return [s for b in self.blocks for s in b.steps]


@dataclass
class Finding:
    """A problem met during the lab, and what solved it."""

    title: str
    check: str | None = None
    step: str | None = None
    symptom: str | None = None
    cause: str | None = None
    resolution: str | None = None


@dataclass
class ComparisonColumn:
    """A service in the comparison table."""

    label: str
    service: str | None = None
    lookup: str | None = None
    pod_lookup: str | None = None
    purpose: str | None = None


@dataclass
class Scenario:
    """A validated scenario."""

    path: str
    report: Report
    sections: list[Section]
    namespace: str | None = None
    overview: str | None = None
    comparison: list[ComparisonColumn] = field(default_factory=list)
    learning_points: str | None = None
    findings: list[Finding] = field(default_factory=list)
    reflections: str | None = None

    def steps(self) -> list[Step]:
        """All steps, in order."""
        return [s for sec in self.sections for s in sec.steps]

    def checks(self) -> list[Check]:
        """All checks, in order."""
        return [c for sec in self.sections for c in sec.checks]

    def step(self, step_id: str) -> Step:
        """The step with this id (KeyError when there is none)."""
        return {s.id: s for s in self.steps()}[step_id]

    def check(self, check_id: str) -> Check:
        """The check with this id (KeyError when there is none)."""
        return {c.id: c for c in self.checks()}[check_id]

    def to_data(self) -> dict[str, Any]:
        """The normalized scenario as plain data, for the evidence bundle.

        Durations are seconds, defaults are filled in, ids are derived, and
        waits are ``{kind, target, timeout, count}``.
        """
        return {
            "report": dataclasses.asdict(self.report),
            "namespace": self.namespace,
            "overview": self.overview,
            "sections": [_section_data(s) for s in self.sections],
            "comparison": {"columns": [dataclasses.asdict(c) for c in self.comparison]} if self.comparison else None,
            "learning_points": self.learning_points,
            "findings": [dataclasses.asdict(f) for f in self.findings],
            "reflections": self.reflections,
        }


def _wait_data(wait: Wait) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": wait.kind, "target": wait.target, "timeout": wait.timeout, "count": wait.count}
    if wait.kind == "reachable":
        data.update(port=wait.port, source=wait.source, closed=wait.closed)
    if wait.requires:
        data["requires"] = wait.requires
    return data


def _section_data(section: Section) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": section.title,
        "icon": section.icon,
        "summary": section.summary,
        "diagram": section.diagram,
        "manifests": [
            {"file": m.file, "line": m.line, "inline": m.inline, "kind": m.kind, "name": m.name, "body": m.body}
            for m in section.manifests
        ],
        "wait": [_wait_data(w) for w in section.waits],
        "blocks": [
            {
                "heading": b.heading,
                "label": b.label,
                "steps": [
                    {"id": s.id, "run": s.run, "verb": s.command.verb, "request": s.request,
                     "timeout": s.timeout, "requires": s.requires}
                    for s in b.steps
                ],
            }
            for b in section.blocks
        ],
        "checks": [c.to_data() for c in section.checks],
    }
