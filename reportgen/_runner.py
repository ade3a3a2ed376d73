"""The runner: apply a scenario to a cluster and capture what it shows.

    scenario ─▶ preflight (server-side dry run) ─▶ namespace ─▶ per section:
    apply ─▶ wait ─▶ steps ─▶ snapshots ─▶ checks ─▶ cleanup ─▶ Bundle
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._checks import evaluate, pods_key, referenced_objects, referenced_pod_selectors
from ._cleanup import Cleanup, Interrupts, run_labels, signals_raise
from ._cluster import Cluster, ObjectRef
from ._cluster._facts import capabilities
from ._diagram import spec_objects
from ._evidence import Bundle, Capture, SectionRecord, interleave
from ._exceptions import ClusterError, Rejected, ScenarioError
from ._inputs import read_text
from ._kubectl import Command, ExecCommand, GetArgs, GetCommand, PortForwardCommand, apply_pipes
from ._kubectl._api import Api, Output
from ._kubectl._get import GetOutput
from ._kubectl._get_objects import get_output
from ._kubectl._run import run_command
from ._kubectl._watch import watch_text
from ._redact import redact_bundle, secret_values
from ._scenario import InvalidScenario, Manifest, Scenario, Section, Step
from ._version import __version__

Progress = Callable[[str], None]


@dataclass
class RunOptions:
    """How a run behaves.

    Attributes:
        keep: Keep everything the run created.
        keep_on_failure: Keep it only when a check failed or the run broke.
        progress: Called with a short line as the run moves on.
        on_evidence: Called with the finished evidence (judged, redacted) before
            cleanup starts, so the report is on disk while cleanup runs.
    """

    keep: bool = False
    keep_on_failure: bool = False
    progress: Progress | None = None
    on_evidence: Callable[[Bundle], None] | None = None


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_run_id() -> str:
    """A short, sortable, unique run id, valid as a label value."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


def run(scenario: Scenario, cluster: Cluster, options: RunOptions | None = None) -> Bundle:
    """Run a scenario on a cluster and return its evidence.

    Raises:
        ScenarioError: A manifest was rejected by the server's dry run; nothing was created.
        ClusterError: The cluster could not be used; what was created is cleaned up.
        RunInterrupted: SIGINT or SIGTERM; what was created is cleaned up first.
    """
    return _Run(scenario, cluster, options or RunOptions()).execute()


class _Run:
    def __init__(self, scenario: Scenario, cluster: Cluster, options: RunOptions) -> None:
        self.scenario = scenario
        self.cluster = cluster
        self.options = options
        self.run_id = new_run_id()
        self.namespace = scenario.namespace or _namespace_name(scenario.path, self.run_id)
        self.cleanup = Cleanup(cluster, self.run_id, say=self.say)
        self._applied: list[str] = []  # the running section's SectionRecord.applied
        self.bundle = Bundle(
            run_id=self.run_id, scenario=scenario.to_data(), scenario_path=scenario.path,
            namespace=self.namespace, reportgen_version=__version__,
        )

    def say(self, text: str) -> None:
        if self.options.progress:
            self.options.progress(text)

    def execute(self) -> Bundle:
        self.bundle.started_at = now()
        self.say("reading cluster facts")
        self.bundle.cluster = self.cluster.facts()
        self.bundle.capabilities = capabilities(self.bundle.cluster)
        self.preflight()
        with signals_raise():
            try:
                try:
                    self.capture_and_judge()
                finally:
                    self.redact()  # once, whether the run finished or broke
                self.bundle.finished_at = now()
                if self.options.on_evidence:
                    self.options.on_evidence(self.bundle)
            finally:
                self.finish()
        return self.bundle

    def capture_and_judge(self) -> None:
        self.create_namespace()
        for section in self.scenario.sections:
            self.bundle.sections.append(self.run_section(section))
            Interrupts.raise_if_any()
        self.snapshot()
        Interrupts.raise_if_any()
        self.judge()

    # -- before anything is created ------------------------------------------

    def preflight(self) -> None:
        """Dry-run every manifest server-side; report every rejection at its file:line."""
        self.say("server-side dry run of every manifest")
        where = self.namespace if self.scenario.namespace and self._namespace_exists() else "default"
        problems = []
        for manifest in (m for s in self.scenario.sections for m in s.manifests):
            try:
                self.cluster.apply(self._labelled(manifest), where, dry_run=True)
            except Rejected as exc:
                if exc.status == 403:
                    raise ClusterError(f"forbidden: dry run of {manifest.kind} {manifest.name}: {exc}") from None
                problems.append(ScenarioError(
                    f"the server rejects {manifest.kind} {manifest.name!r}: {exc}",
                    file=manifest.file, line=manifest.locate(exc.field) if exc.field else manifest.line,
                    hint="fix the manifest; `kubectl apply --dry-run=server -f` shows the same"))
            except ClusterError as exc:
                problems.append(ScenarioError(str(exc), file=manifest.file, line=manifest.line,
                                              hint="check apiVersion and kind"))
        if problems:
            raise InvalidScenario(problems)

    def _namespace_exists(self) -> bool:
        return self.cluster.read("v1", "Namespace", self.namespace, None) is not None

    def _labelled(self, manifest: Manifest) -> dict[str, Any]:
        return self._labelled_object(dict(manifest.body))

    # -- the run -------------------------------------------------------------

    def create_namespace(self) -> None:
        if self.scenario.namespace and self._namespace_exists():
            return
        self.say(f"creating namespace {self.namespace}")
        ref = self.cluster.create_namespace(self.namespace, run_labels(self.run_id))
        self.cleanup.created(ref, owns_namespace=True)

    def run_section(self, section: Section) -> SectionRecord:
        record = SectionRecord(id=section.id)
        if self.bundle.error:
            return self._skip_steps(record, section, "an earlier wait did not finish")
        for manifest in section.manifests:
            record.applied.append(str(self.apply(manifest)))
        for w in section.waits:
            missing = [c for c in w.requires if self.bundle.capabilities.get(c) is False]
            if missing:
                self.say(f"not waiting for {w.kind} {w.target}: needs {', '.join(missing)}")
                continue
            self.say(f"waiting for {w.kind} {w.target} (up to {w.timeout:g}s)")
            result = self.cluster.wait(w, self.namespace)
            Interrupts.raise_if_any()
            record.waits.append(result)
            if result.status != "met":
                self.bundle.error = f"{result.target} did not finish in {w.timeout:g}s: {result.last_state}"
                return self._skip_steps(record, section, "its section's wait did not finish")
        self._applied = record.applied
        for step in section.steps:
            self.say(f"$ {step.command_for(self.namespace)}")
            record.captures.append(self.run_step(step))
            Interrupts.raise_if_any()
        return record

    def apply(self, manifest: Manifest) -> ObjectRef:
        self.say(f"applying {manifest.kind} {manifest.name}")
        try:
            ref = self.cluster.apply(self._labelled(manifest), self.namespace)
        except Rejected as exc:
            raise ClusterError(f"{manifest.source}: applying {manifest.kind} {manifest.name!r} failed: {exc}") from None
        self.cleanup.created(ref)
        return ref

    def run_step(self, step: Step) -> Capture:
        missing = [c for c in step.requires if self.bundle.capabilities.get(c) is False]
        if missing:
            return self._skipped(step, f"needs {', '.join(missing)}, which this cluster does not offer")
        capture = Capture(step_id=step.id, command=step.command_for(self.namespace), started_at=now())
        started = time.monotonic()
        try:
            self._execute(step, capture)
        except Exception as exc:  # noqa: BLE001 - a broken step is evidence, never a crash
            capture.status, capture.reason = "error", f"{type(exc).__name__}: {exc}".splitlines()[0]
        capture.duration_s = round(time.monotonic() - started, 3)
        return capture

    def _execute(self, step: Step, capture: Capture) -> None:
        command = step.parsed_for(self.namespace)
        ns = command.namespace or self.namespace
        if isinstance(command, ExecCommand):
            res = self.cluster.exec(ns, command.pod, command.argv, container=command.container, timeout=step.timeout)
            capture.stdout, capture.stderr, capture.exit_code = res.stdout, res.stderr, res.exit_code
            capture.truncated, capture.streams = res.truncated, res.streams
            if res.error:
                capture.reason = res.error
                capture.status = "timeout" if res.timed_out else "error"
        elif isinstance(command, PortForwardCommand):
            fwd = self.cluster.forward_and_request(ns, command.target, command.remote_port, command.local_port,
                                                   step.request, timeout=step.timeout)
            capture.stdout = "".join(f"{line}\n" for line in fwd.lines)
            capture.request, capture.response = fwd.request, fwd.response
            capture.exit_code = 1 if fwd.error else 0
            capture.reason = fwd.error
            capture.status = "error" if fwd.error else "ok"
        else:
            out = self._kubectl(command, ns, step)
            capture.stdout, capture.stderr, capture.exit_code = out.stdout, out.stderr, out.exit_code
            capture.streams = interleave(*out.streams())
        if command.pipes and capture.status == "ok":
            capture.stdout, capture.exit_code = apply_pipes(capture.stdout, command.pipes, capture.exit_code or 0)
            capture.streams = None if capture.streams is None else _piped(capture.streams, capture.stdout)
        if capture.status == "ok" and capture.exit_code:
            capture.status = "failed"

    def _kubectl(self, command: Command, namespace: str, step: Step) -> GetOutput | Output:
        """Run a command through the kubectl port, against the run's cluster."""
        api = Api(fetch=self.cluster.fetch, send=self.cluster.send, namespace=namespace,
                  discovery=self.cluster.discovery, watch=self.cluster.watch, read_file=self._step_file,
                  prepare=self._step_object, timeout=step.timeout, confined=True)
        if isinstance(command, GetCommand) and (command.watch or command.watch_only):
            return watch_text(api, get_args(command, namespace), step.watch_for or step.timeout, step.watch_until)
        if isinstance(command, GetCommand):
            return get_output(self.cluster.fetch, get_args(command, namespace), discovery=self.cluster.discovery)
        return run_command(api, command)

    def _step_file(self, name: str) -> str:
        """A file an ``apply -f`` step names, beside the scenario (the scenario check proved it is inside)."""
        base = os.path.dirname(os.path.abspath(self.scenario.path))
        return read_text(os.path.join(base, name), f"file {name}", error=ScenarioError)

    def _step_object(self, body: dict[str, Any]) -> dict[str, Any]:
        """An object a step's ``apply -f`` sends: labelled, and counted among its section's applied."""
        ref = f"{str(body.get('kind', '')).lower()}/{(body.get('metadata') or {}).get('name', '')}"
        if ref not in self._applied:
            self._applied.append(ref)
        return self._labelled_object(body)

    def _labelled_object(self, body: dict[str, Any]) -> dict[str, Any]:
        meta = dict(body.get("metadata") or {})
        meta["labels"] = {**(meta.get("labels") or {}), **run_labels(self.run_id)}
        return {**body, "metadata": meta}

    def _skip_steps(self, record: SectionRecord, section: Section, reason: str) -> SectionRecord:
        record.captures = [self._skipped(s, reason) for s in section.steps]
        return record

    def _skipped(self, step: Step, reason: str) -> Capture:
        return Capture(step_id=step.id, command=step.command_for(self.namespace), status="skipped", reason=reason)

    # -- judging ---------------------------------------------------------------

    def snapshot(self) -> None:
        """Read every object and pod list the checks and comparison look at."""
        data = self.bundle.scenario
        checks = [c for s in data["sections"] for c in s["checks"]]
        columns = (data.get("comparison") or {}).get("columns") or []
        self.say("reading the objects the checks look at")
        needed = referenced_objects(checks, columns)
        shown = {key for s, record in zip(data["sections"], self.bundle.sections)
                 for key in spec_objects(s, record.applied)}
        for key in sorted(needed | shown - {pods_key("")}):
            typed, _, name = key.partition("/")
            try:
                self.bundle.objects[key] = self.cluster.read_typed(typed, name, self.namespace)
            except ClusterError:
                if key in needed:
                    raise
                self.bundle.objects[key] = None  # only a diagram wanted it: it draws what could be read
        for selector in sorted(referenced_pod_selectors(checks)):
            self.bundle.objects[pods_key(selector)] = self.cluster.list("pods", self.namespace, selector)
        if pods_key("") in shown and pods_key("") not in self.bundle.objects:
            try:  # a policy's diagram: the pods it selects
                self.bundle.objects[pods_key("")] = self.cluster.list("pods", self.namespace)
            except ClusterError:
                self.bundle.objects[pods_key("")] = None

    def judge(self) -> None:
        for spec, record in zip(self.bundle.scenario["sections"], self.bundle.sections):
            record.checks = [
                evaluate(check, self.bundle, index=i, section_id=spec["id"])
                for i, check in enumerate(spec["checks"])
            ]

    def redact(self) -> None:
        """Scrub the values of every Secret the run applied or can see in its namespace."""
        values: set[str] = set()
        for manifest in (m for s in self.scenario.sections for m in s.manifests):
            if manifest.kind == "Secret":
                values |= secret_values(manifest.body)
        try:
            for secret in self.cluster.list("secrets", self.namespace):
                values |= secret_values(secret)
        except ClusterError as exc:  # no right to list secrets: manifests and JWTs are still scrubbed
            self.say(f"cannot list secrets for redaction: {exc}")
        redact_bundle(self.bundle, values)

    def finish(self) -> None:
        failed = self.bundle.error is not None or any(c.status == "failed" for c in self.bundle.all_checks())
        keep = self.options.keep or (self.options.keep_on_failure and failed)
        if keep:
            self.say(f"keeping namespace {self.namespace} (run {self.run_id})")
        else:
            self.cleanup.run()
        self.bundle.finished_at = self.bundle.finished_at or now()


def _piped(streams: list[list[str]], stdout: str) -> list[list[str]]:
    """Terminal order after a pipe: the pipe's output where stdout began, stderr unchanged."""
    stderr_only = [(s, text) for s, text in streams if s == "stderr"]
    first_out = next((i for i, (s, _t) in enumerate(streams) if s == "stdout"), len(streams))
    before = [(s, text) for s, text in streams[:first_out] if s == "stderr"]
    return interleave(*before, ("stdout", stdout), *stderr_only[len(before):])


def get_args(command: GetCommand, namespace: str) -> GetArgs:
    """The table request of a parsed ``kubectl get``, in ``namespace`` unless it says -n."""
    return dataclasses.replace(command, namespace=command.namespace or namespace)


def _namespace_name(path: str, run_id: str) -> str:
    stem = re.sub(r"[^a-z0-9-]+", "-", path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()).strip("-")
    return f"rg-{stem[:40] or 'lab'}-{run_id[-6:]}"
