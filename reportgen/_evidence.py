"""The evidence bundle: the contract between the runner and the renderer.

Everything a report says comes from a :class:`Bundle`. The runner fills it from
a live cluster; ``reportgen render`` reloads it from JSON without one.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from ._typed import TypeMismatch, decode

if TYPE_CHECKING:
    from ._scenario import ComparisonColumn, Finding, Report

SCHEMA_VERSION = 1

CaptureStatus = Literal["ok", "failed", "skipped", "timeout", "error"]
WaitStatus = Literal["met", "timeout", "error"]
CheckStatus = Literal["passed", "failed", "undecided"]


@dataclass
class Capture:
    """What one step showed, exactly as kubectl would have printed it.

    Attributes:
        step_id: The step's id in the scenario.
        command: The command line as run (variables substituted).
        stdout: Captured standard output, byte for byte (decoded as UTF-8).
        stderr: Captured standard error.
        exit_code: The command's exit code; None when it did not run.
        status: ok (exit 0), failed (non-zero exit), skipped, timeout or error.
        reason: Why it was skipped or errored, for the reader.
        started_at: ISO 8601 UTC time the step started.
        duration_s: Wall time of the step.
        truncated: True when output was cut to the size limit.
        request: For port-forward steps, the request sent through the tunnel
            from this machine, e.g. ``GET http://127.0.0.1:8080/``.
        response: The answer to ``request``: status line, blank line, body.
        streams: stdout and stderr in the order a terminal showed them, as
            ``[stream, text]`` pieces (``2>&1``); None when only the two
            streams are known (then stdout came first).
    """

    step_id: str
    command: str
    stdout: str = ""
    stderr: str = ""
    exit_code: int | None = None
    status: CaptureStatus = "ok"
    reason: str | None = None
    started_at: str = ""
    duration_s: float = 0.0
    truncated: bool = False
    request: str | None = None
    response: str | None = None
    streams: list[list[str]] | None = None

    @property
    def text(self) -> str:
        """What output checks read: the response of a request, else stdout."""
        return self.response if self.response is not None else self.stdout


@dataclass
class WaitRecord:
    """The outcome of one wait (rollout, readiness, endpoints).

    Attributes:
        target: What was waited for, e.g. ``rollout deployment/backend-app``.
        status: met, timeout or error.
        duration_s: How long the wait took.
        last_state: The last state observed, in one line.
        conditions: Conditions of the object (or its pods) when the wait ended.
        events: Recent events for the object, as ``Reason: message`` lines.
        reaction_s: For a wait that was met: seconds from the answer that met it (a watch event, a
            list, a probe) arriving until the wait handed back to the runner, whose next action follows.
    """

    target: str
    status: WaitStatus
    duration_s: float = 0.0
    last_state: str = ""
    conditions: list[dict[str, Any]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    reaction_s: float | None = None


@dataclass
class CheckResult:
    """One claim of the scenario, judged on the evidence.

    Attributes:
        id: The check's id (given, or derived from its position).
        title: The title with ``{observed}`` filled in.
        status: passed, failed or undecided.
        reason: Why it failed or could not be decided, in English; None when it passed.
        observed: The value the check looked at, JSON-compatible.
        reason_key: The reason's key in the report catalogs (``reasons.KEY``), so
            that each language words it; None when only the English text exists.
        reason_args: The values the worded reason fills in; ``parts`` holds
            several ``{key, args}`` reasons given together.
    """

    id: str
    title: str
    status: CheckStatus
    reason: str | None = None
    observed: Any = None
    reason_key: str | None = None
    reason_args: dict[str, Any] | None = None


@dataclass
class SectionRecord:
    """Evidence of one scenario section.

    ``applied`` holds ``kind/name`` of what it applied: its manifests, then what its ``apply -f`` steps sent.
    """

    id: str
    applied: list[str] = field(default_factory=list)
    waits: list[WaitRecord] = field(default_factory=list)
    captures: list[Capture] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)


@dataclass
class NodeFacts:
    """What the API says about one node."""

    name: str
    ready: bool
    kubelet_version: str = ""
    os_image: str = ""
    kernel_version: str = ""
    architecture: str = ""
    container_runtime: str = ""
    internal_ip: str = ""
    pod_cidr: str = ""


@dataclass
class ClusterFacts:
    """Cluster facts read from the API for the environment section.

    Empty strings mean the API did not tell; the report says so.
    """

    server_version: str = ""
    platform: str = ""
    context: str = ""
    nodes: list[NodeFacts] = field(default_factory=list)
    dns_service_ip: str = ""
    dns_provider: str = ""
    dns_upstream: bool | None = None
    egress: bool | None = None
    pod_cidr: str = ""
    service_cidr: str = ""
    cni: str = ""
    ingress_classes: list[str] = field(default_factory=list)
    gateway_classes: list[str] = field(default_factory=list)
    metrics_api: bool | None = None
    load_balancer: bool | None = None
    network_policy: bool | None = None


@dataclass
class Bundle:
    """Everything one build saw: the scenario, captures, objects and verdicts.

    Attributes:
        run_id: The run's id; every object the run created carries it as a label.
        scenario: The validated scenario document (plain data).
        scenario_path: Where the scenario came from.
        namespace: The namespace the run worked in.
        started_at: ISO 8601 UTC start time.
        finished_at: ISO 8601 UTC end time.
        cluster: Facts about the cluster.
        sections: Evidence per scenario section, in scenario order.
        objects: Snapshots of objects the checks read, keyed ``kind/name`` or
            ``pods:SELECTOR``.
        capabilities: What the environment offers, e.g. ``upstream_dns``; a check
            that requires a missing one is undecided.
        error: A run-level error (a wait that failed, an interrupt), if any.
        reportgen_version: The version that wrote the bundle.
    """

    run_id: str
    scenario: dict[str, Any]
    scenario_path: str = ""
    namespace: str = ""
    started_at: str = ""
    finished_at: str = ""
    cluster: ClusterFacts = field(default_factory=ClusterFacts)
    sections: list[SectionRecord] = field(default_factory=list)
    objects: dict[str, Any] = field(default_factory=dict)
    capabilities: dict[str, bool] = field(default_factory=dict)
    error: str | None = None
    reportgen_version: str = ""
    schema_version: int = SCHEMA_VERSION

    def all_checks(self) -> list[CheckResult]:
        """All check results, in scenario order."""
        return [c for s in self.sections for c in s.checks]

    def capture(self, step_id: str) -> Capture | None:
        """The capture of a step, or None when the step has none."""
        for section in self.sections:
            for cap in section.captures:
                if cap.step_id == step_id:
                    return cap
        return None

    def counts(self) -> dict[str, int]:
        """How many checks passed, failed and were undecided."""
        out = {"passed": 0, "failed": 0, "undecided": 0}
        for check in self.all_checks():
            out[check.status] += 1
        return out

    def broken_steps(self) -> list[Capture]:
        """Steps that errored or timed out (not those skipped for a missing capability)."""
        return [c for s in self.sections for c in s.captures if c.status in ("error", "timeout")]

    @property
    def status(self) -> str:
        """``failed`` (a check failed, a step broke, a wait timed out), ``undecided`` or ``passed``."""
        counts = self.counts()
        if self.error or counts["failed"] or self.broken_steps():
            return "failed"
        return "undecided" if counts["undecided"] else "passed"

    def to_dict(self) -> dict[str, Any]:
        """Plain data, ready for JSON."""
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        """Human-readable JSON, keys in the order the run wrote them (renders identically)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_dict(cls, data: Any) -> Bundle:
        """Rebuild a bundle from :meth:`to_dict` output, checking every field's type.

        Raises:
            TypeMismatch: The data does not fit; its ``path`` is the JSON path.
        """
        if isinstance(data, dict) and data.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
            raise TypeMismatch("$.schema_version", f"unsupported version {data['schema_version']!r}"
                               f" (this reportgen reads {SCHEMA_VERSION})")
        bundle: Bundle = decode(cls, data, names=globals())  # classes shown as reportgen.X keep their hints
        _check_scenario(bundle.scenario)
        return bundle

    @classmethod
    def read(cls, path: Path) -> Bundle:
        """Load a bundle the runner wrote (``reportgen._build.read_bundle`` reads one a user gives)."""
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


# -- the scenario as a bundle holds it (Scenario.to_data) ----------------------


class StepData(TypedDict):
    id: str
    run: str
    verb: str
    request: str | None
    timeout: float
    requires: list[str]


class BlockData(TypedDict):
    heading: str | None
    label: str | None
    steps: list[StepData]


class ManifestData(TypedDict):
    file: str | None
    line: int
    inline: bool
    kind: str
    name: str
    body: dict[str, Any]


class WaitData(TypedDict):
    kind: str
    target: str
    timeout: float
    count: int | None


class CheckData(TypedDict):
    """A check as written (its kind's own fields besides these)."""

    id: str
    title: str
    kind: str
    requires: list[str]


class SectionData(TypedDict):
    id: str
    title: str
    icon: str | None
    summary: list[str]
    manifests: list[ManifestData]
    wait: list[WaitData]
    blocks: list[BlockData]
    checks: list[CheckData]


class ComparisonData(TypedDict):
    columns: list[ComparisonColumn]


class ScenarioData(TypedDict):
    report: Report
    namespace: str | None
    overview: str | None
    sections: list[SectionData]
    comparison: ComparisonData | None
    learning_points: str | None
    findings: list[Finding]
    reflections: str | None


def _check_scenario(data: dict[str, Any]) -> None:
    """The bundle's scenario has the shape the renderer reads (raises TypeMismatch)."""
    from . import _scenario  # the model's dataclasses, which the hints name

    decode(ScenarioData, data, "$.scenario", names={**globals(), **vars(_scenario)})


def interleave(*pieces: tuple[str, str]) -> list[list[str]]:
    """Ordered ``(stream, text)`` pieces as a Capture's ``streams``: empty ones dropped, neighbours merged."""
    merged: list[list[str]] = []
    for stream, text in pieces:
        if not text:
            continue
        if merged and merged[-1][0] == stream:
            merged[-1][1] += text
        else:
            merged.append([stream, text])
    return merged
