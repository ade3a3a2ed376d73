"""Semantic validation: what the JSON Schema cannot say about a scenario.

:class:`_Checker` walks the raw data once the YAML is read and collects every
problem: duplicate ids, references to steps, checks and objects that do not
exist, manifest files (read, parsed and registered by kind and name), command
lines, durations, regular expressions and the scenario text. It also keeps what
the loader needs to build the model: each step's parsed command and each
section's manifests.
"""

from __future__ import annotations

import datetime
import os
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._exceptions import ScenarioError
from .._inputs import read_text
from .._kubectl import (
    VARIABLES,
    ApplyCommand,
    Command,
    CommandError,
    ExecCommand,
    GetCommand,
    PortForwardCommand,
    changes_cluster,
    check_selector,
    parse_command,
    resource_kind,
)
from .._scenario_text import text_problems
from ._model import WAIT_KINDS, Manifest
from ._schema import _suggest, _type_name
from ._values import _DURATION, parse_duration
from ._yaml import _NodePath, _read_yaml, _Source

_NOTE_NAME_FORBIDDEN = re.compile(r'[*"\\/<>:|?#^\[\]]')


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _iter_steps(section: dict[str, Any], index: int) -> Iterator[tuple[_NodePath, dict[str, Any], str]]:
    """``(path, step, id)`` for each step of section ``index``, ids derived where missing."""
    sid = _as_str(section.get("id")) or f"section-{index + 1}"
    n = 0
    for bi, block in enumerate(_as_list(section.get("blocks"))):
        for ti, step in enumerate(_as_list(_as_dict(block).get("steps"))):
            n += 1
            step = _as_dict(step)
            yield ("sections", index, "blocks", bi, "steps", ti), step, _as_str(step.get("id")) or f"{sid}-step-{n}"


def _check_id(section: dict[str, Any], index: int, number: int, check: dict[str, Any]) -> str:
    sid = _as_str(section.get("id")) or f"section-{index + 1}"
    return _as_str(check.get("id")) or f"{sid}-check-{number + 1}"


@dataclass
class _StepInfo:
    path: _NodePath
    section: int
    command: Command | None


class _Checker:
    """The checks the schema cannot express; collects every problem."""

    def __init__(self, data: dict[str, Any], source: _Source, base: Path) -> None:
        self.data = data
        self.source = source
        self.base = base
        self.errors: list[ScenarioError] = []
        self.steps: dict[str, _StepInfo] = {}
        self.check_ids: dict[str, _NodePath] = {}
        self.objects: dict[tuple[str, str], Manifest] = {}
        self.manifests: dict[int, list[Manifest]] = {}

    def error(self, path: _NodePath, message: str, **kwargs: Any) -> None:
        self.errors.append(self.source.error(path, message, **kwargs))

    def run(self) -> None:
        sections = [(i, _as_dict(s)) for i, s in enumerate(_as_list(self.data.get("sections")))]
        self._unique_ids(sections)
        for index, section in sections:
            self.manifests[index] = self._manifests(index, section)
            self._waits(index, section)
        for index, section in sections:
            self._checks(index, section)
        self._report()
        self._findings()
        self._comparison()
        self._text()

    def _text(self) -> None:
        """Scenario text that would break the note (see _scenario_text), refused now, not after the run."""
        for path, offset, message, hint in text_problems(self.data):
            line, column = self.source.offset_position(path, offset)
            field_name = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
            self.errors.append(ScenarioError(f"{field_name}: {message}", file=self.source.file, line=line,
                                             column=column, hint=hint))

    def _unique_ids(self, sections: list[tuple[int, dict[str, Any]]]) -> None:
        seen: dict[str, _NodePath] = {}
        step_paths: dict[str, _NodePath] = {}
        for index, section in sections:
            sid = _as_str(section.get("id"))
            if sid is not None:
                self._once(seen, sid, ("sections", index, "id"), "section")
            for path, step, step_id in _iter_steps(section, index):
                self._once(step_paths, step_id, (*path, "id"), "step")
                if "timeout" in step:
                    self._duration((*path, "timeout"), step["timeout"])
                self.steps.setdefault(step_id, _StepInfo(path, index, self._command(path, step)))
            for number, check in enumerate(_as_list(section.get("checks"))):
                check_id = _check_id(section, index, number, _as_dict(check))
                self._once(self.check_ids, check_id, ("sections", index, "checks", number, "id"), "check")

    def _once(self, seen: dict[str, _NodePath], ident: str, path: _NodePath, what: str) -> None:
        if ident in seen:
            line, _ = self.source.where(seen[ident])
            derived = "" if path in self.source.nodes else " (derived from its position: give it an id)"
            self.error(path, f"duplicate {what} id {ident!r}{derived}",
                       hint=f"{what} {ident!r} is already on line {line}")
        seen.setdefault(ident, path)

    def _command(self, path: _NodePath, step: dict[str, Any]) -> Command | None:
        run = _as_str(step.get("run"))
        if run is None:
            return None
        try:
            command = parse_command(run, variables=VARIABLES)
        except CommandError as exc:
            line, column = self.source.offset_position((*path, "run"), exc.offset)
            self.errors.append(ScenarioError(f"unsupported command: {exc.message}", file=self.source.file,
                                             line=line, column=column, hint=exc.hint))
            return None
        self._step_options(path, step, command)
        return command

    def _step_options(self, path: _NodePath, step: dict[str, Any], command: Command) -> None:
        self._step_scope(path, command)
        self._step_watch(path, step, command)
        if isinstance(command, ApplyCommand):
            for name in command.files:
                self._step_file((*path, "run"), name)
        request = _as_str(step.get("request"))
        if request is None:
            return
        where = (*path, "request")
        if not isinstance(command, PortForwardCommand):
            self.error(where, "'request' is only for port-forward steps", key=True,
                       hint="fetch a URL from a pod with `kubectl exec POD -- wget -qO- URL`")
            return
        url = urllib.parse.urlsplit(request)
        try:
            port = url.port or {"http": 80, "https": 443}.get(url.scheme)
        except ValueError:
            port = None
        if url.hostname not in ("127.0.0.1", "localhost", "::1"):
            self.error(where, f"request goes to {url.hostname!r}, not to the forwarded port",
                       hint="request http://127.0.0.1:LOCAL_PORT/...")
        elif command.local_port is None:
            self.error(where, "the port-forward has no fixed local port to request",
                       hint=f"write LOCAL:REMOTE, e.g. {command.remote_port}:{command.remote_port}")
        elif port != command.local_port:
            self.error(where, f"request goes to port {port}, but the step forwards local port {command.local_port}",
                       hint=f"use http://127.0.0.1:{command.local_port}/")

    def _step_scope(self, path: _NodePath, command: Command) -> None:
        """A step that changes the cluster changes only the run's namespace."""
        if changes_cluster(command) and command.namespace not in (None, "${namespace}"):
            self.error((*path, "run"), f"`kubectl {command.verb}` would change namespace {command.namespace!r}",
                       hint="a step changes only the run's namespace: drop -n, or write -n ${namespace}")

    def _step_watch(self, path: _NodePath, step: dict[str, Any], command: Command) -> None:
        watching = isinstance(command, GetCommand) and (command.watch or command.watch_only)
        if watching and not isinstance(step.get("watch"), dict):
            self.error((*path, "run"), "a --watch step needs to know when to stop",
                       hint="add `watch: {for: 30s}` or `watch: {until: 'REGEX'}` to the step")
        elif "watch" in step and not watching:
            self.error((*path, "watch"), "'watch' is only for `kubectl get --watch` steps", key=True,
                       hint="add --watch to the command, or remove `watch:`")
        until = _as_str((step.get("watch") or {}).get("until")) if isinstance(step.get("watch"), dict) else None
        if until is not None:
            try:
                re.compile(until)
            except re.error as exc:
                self.error((*path, "watch", "until"), f"not a regular expression: {exc}",
                           hint="write a Python regular expression, e.g. 'web-2 +1/1 +Running'")
        if isinstance(step.get("watch"), dict) and "for" in step["watch"]:
            self._duration((*path, "watch", "for"), step["watch"]["for"])

    def _step_file(self, path: _NodePath, name: str) -> None:
        """``apply -f FILE``: a file beside the scenario, or below it."""
        file = self.base / name
        if os.path.isabs(name) or not file.is_file() or not _inside(file, self.base):
            self.error(path, f"cannot apply {name!r}: not a file in the scenario's folder ({self.base})",
                       hint="put the file beside the scenario and name it relative to it")

    def _duration(self, path: _NodePath, value: Any) -> None:
        """Flag what the schema lets through: zero (``0s``) or endless durations."""
        if isinstance(value, str) and not re.fullmatch(rf"(?:{_DURATION.pattern})+", value):
            return  # the schema reports it
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or (
                not isinstance(value, str) and value <= 0):
            return  # the schema reports it
        try:
            parse_duration(value)
        except ValueError as exc:
            self.error(path, str(exc), hint='write a duration like "30s", "2m" or "1m30s"')

    # manifests

    def _manifests(self, index: int, section: dict[str, Any]) -> list[Manifest]:
        out: list[Manifest] = []
        for mi, entry in enumerate(_as_list(section.get("manifests"))):
            entry = _as_dict(entry)
            path: _NodePath = ("sections", index, "manifests", mi)
            if isinstance(entry.get("file"), str):
                found = self._manifest_file((*path, "file"), entry["file"])
            elif isinstance(entry.get("inline"), dict):
                found = [self._manifest(entry["inline"], self.source, (*path, "inline"), inline=True)]
            else:
                continue
            for manifest in found:
                if manifest is not None:
                    self._register(manifest)
                    out.append(manifest)
        return out

    def _manifest_file(self, path: _NodePath, name: str) -> list[Manifest | None]:
        if os.path.isabs(name):
            self.error(path, f"manifest path {name!r} is absolute", hint="write it relative to the scenario file")
            return []
        file = self.base / name
        shown = os.path.normpath(os.path.join(os.path.dirname(self.source.file), name))
        if not file.exists():
            near = [p.relative_to(self.base).as_posix() for g in ("*.y*ml", "*/*.y*ml") for p in self.base.glob(g)]
            hint = _suggest(name, near) or f"paths are relative to the scenario file's folder ({self.base})"
            self.error(path, f"manifest file not found: {shown}", hint=hint)
            return []
        if not _inside(file, self.base):
            self.error(path, f"manifest file {shown} is outside the scenario's folder ({self.base})",
                       hint="put the file beside the scenario, or in a folder below it")
            return []
        try:
            text = read_text(file, f"manifest file {shown}", error=ScenarioError)
        except ScenarioError as exc:
            if exc.line:
                self.errors.append(exc)
            else:
                self.error(path, exc.message, hint=exc.hint)
            return []
        try:
            docs, source = _read_yaml(text, shown, documents=True)
        except ScenarioError as exc:
            self.errors.append(exc)
            return []
        self.errors.extend(source.problems)
        found = [self._manifest(doc, source, (i,)) for i, doc in enumerate(docs) if doc is not None]
        if not found:
            self.errors.append(ScenarioError(f"no objects in manifest file {shown}", file=shown, line=1, column=1))
        return found

    def _manifest(self, doc: Any, source: _Source, path: _NodePath, *, inline: bool = False) -> Manifest | None:
        def bad(message: str, where: _NodePath = path, hint: str | None = None, key: bool = False) -> None:
            self.errors.append(source.error(where, message, hint=hint, key=key))

        if not isinstance(doc, dict):
            bad(f"a manifest must be a mapping, not {_type_name(doc)}")
            return None
        metadata = doc.get("metadata")
        problems = [k for k in ("apiVersion", "kind") if not isinstance(doc.get(k), str) or not doc[k]]
        if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str) or not metadata["name"]:
            problems.append("metadata.name")
        if problems or not isinstance(metadata, dict):  # metadata is a dict when nothing is missing
            bad(f"the object needs {', '.join(problems)}", hint="every object needs apiVersion, kind and metadata.name")
            return None
        if "namespace" in metadata and metadata["namespace"] != self.data.get("namespace"):
            bad("the object sets metadata.namespace", (*path, "metadata", "namespace"),
                hint="remove it: objects are created in the run's namespace (set top-level `namespace:` to pin it)",
                key=True)
        odd = _non_json(doc)
        if odd is not None:
            bad(f"value of type {type(odd[1]).__name__} cannot be sent to the API", (*path, *odd[0]))
        prefix = len(path)
        lines = {p[prefix:]: n.start_mark.line + 1 for p, n in source.nodes.items() if p[:prefix] == path}
        line, column = source.where(path)
        return Manifest(body=doc, file=source.file, line=line, column=column, inline=inline, lines=lines)

    def _register(self, manifest: Manifest) -> None:
        key = (manifest.kind, manifest.name)
        first = self.objects.get(key)
        if first is not None:
            self.errors.append(ScenarioError(
                f"{manifest.kind} {manifest.name!r} is defined twice", file=manifest.file, line=manifest.line,
                column=manifest.column, hint=f"it is already defined at {first.source}"))
            return
        self.objects[key] = manifest

    # waits

    def _waits(self, index: int, section: dict[str, Any]) -> None:
        for wi, wait in enumerate(_as_list(section.get("wait"))):
            wait = _as_dict(wait)
            path: _NodePath = ("sections", index, "wait", wi)
            if "timeout" in wait:
                self._duration((*path, "timeout"), wait["timeout"])
            for kind, kinds in WAIT_KINDS.items():
                if isinstance(wait.get(kind), str):
                    self._wait_target((*path, kind), kind, wait[kind], kinds)
            if isinstance(wait.get("from"), str):
                self._wait_target((*path, "from"), "a probe from", wait["from"], ("Pod",))

    def _wait_target(self, path: _NodePath, kind: str, target: str, kinds: tuple[str, ...]) -> None:
        resource, _, name = target.partition("/")
        object_kind = resource_kind(resource)
        if object_kind not in kinds:
            self.error(path, f"cannot wait for {kind} of {target!r}",
                       hint=f"{kind} applies to: {', '.join(k.lower() for k in kinds)}")
        elif (object_kind, name) not in self.objects:
            names = [n for k, n in self.objects if k == object_kind]
            hint = _suggest(name, names) or "waits name objects of this section's or an earlier section's manifests"
            self.error(path, f"no manifest defines {object_kind} {name!r}", hint=hint)

    # checks

    def _checks(self, index: int, section: dict[str, Any]) -> None:
        for ci, check in enumerate(_as_list(section.get("checks"))):
            path: _NodePath = ("sections", index, "checks", ci)
            check = _as_dict(check)
            title = _as_str(check.get("title"))
            for name in re.findall(r"\{(\w*)\}", title or ""):
                if name != "observed":
                    self.error((*path, "title"), f"unknown placeholder {{{name}}} in the title",
                               hint="only {observed} is replaced (by the value the check saw)")
            self._check_body(path, check, index)
            for pi, part in enumerate(_as_list(check.get("all"))):
                self._check_body((*path, "all", pi), _as_dict(part), index)

    def _check_body(self, path: _NodePath, body: dict[str, Any], index: int) -> None:
        for key in ("output", "dns"):
            if isinstance(body.get(key), str):
                self._step_ref((*path, key), body[key], index, dns=key == "dns")
        if isinstance(body.get("object"), str):
            self._object_ref((*path, "object"), body["object"])
        if isinstance(body.get("matches"), str):
            self._regex((*path, "matches"), body["matches"])
        for key in ("addresses_equal_pods", "pods_created_in_order"):
            if isinstance(body.get(key), str) and (problem := check_selector(body[key])):
                self.error((*path, key), problem, hint="write a label selector like app=mongodb")
        target = _as_dict(body.get("addresses_equal_object"))
        if isinstance(target.get("object"), str):
            self._object_ref((*path, "addresses_equal_object", "object"), target["object"])

    def _step_ref(self, path: _NodePath, step_id: str, index: int | None, *, dns: bool = False) -> None:
        info = self.steps.get(step_id)
        if info is None:
            hint = _suggest(step_id, list(self.steps)) or f"known steps: {', '.join(list(self.steps)[:8])}"
            self.error(path, f"no step has id {step_id!r}", hint=hint)
        elif index is not None and info.section > index:
            self.error(path, f"step {step_id!r} runs in a later section",
                       hint="a check can only use steps of its own or an earlier section")
        elif dns and info.command is not None and not _is_nslookup(info.command):
            self.error(path, f"step {step_id!r} does not run nslookup",
                       hint="a dns check reads the output of `kubectl exec POD -- nslookup NAME` (without pipes)")

    def _object_ref(self, path: _NodePath, ref: str) -> None:
        resource = ref.partition("/")[0]
        if resource_kind(resource) is None:
            self.error(path, f"unknown resource type {resource!r}",
                       hint="write kind/name with a kubectl resource type, e.g. service/NAME")

    def _regex(self, path: _NodePath, pattern: str) -> None:
        try:
            re.compile(pattern)
        except re.error as exc:
            line, column = self.source.offset_position(path, exc.pos or 0)
            self.errors.append(ScenarioError(f"invalid regular expression: {exc.msg}", file=self.source.file,
                                             line=line, column=column, hint="matches uses Python's re syntax"))

    # top-level parts

    def _report(self) -> None:
        self._title(_as_dict(self.data.get("report")).get("title"))
        language = _as_dict(self.data.get("report")).get("language")
        if isinstance(language, str):
            from .._catalog import languages  # the catalogs that exist are the languages

            if language not in languages():
                self.error(("report", "language"), f"no report catalog for language {language!r}",
                           hint=f"languages: {', '.join(languages())}")
        date = _as_dict(self.data.get("report")).get("date")
        if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            try:
                datetime.date.fromisoformat(date)
            except ValueError:
                self.error(("report", "date"), f"{date!r} is not a date", hint="write the date as YYYY-MM-DD")

    def _title(self, title: Any) -> None:
        """The title names the note in Obsidian: refuse what a note name cannot hold."""
        if not isinstance(title, str):
            return  # the schema reports it
        bad = sorted(set(_NOTE_NAME_FORBIDDEN.findall(title)))
        if bad:
            self.error(("report", "title"), f"the title names the note, and a note name cannot contain "
                       f"{' '.join(bad)}", hint="Obsidian refuses * \" \\ / < > : | ? # ^ [ ] in note names; "
                       "use a dash or a space instead")
        elif title.strip().startswith("."):
            self.error(("report", "title"), "a note name that starts with '.' is hidden from Obsidian",
                       hint="start the title with a letter or a digit")

    def _findings(self) -> None:
        for fi, finding in enumerate(_as_list(self.data.get("findings"))):
            finding = _as_dict(finding)
            check = _as_str(finding.get("check"))
            if check is not None and check not in self.check_ids:
                hint = _suggest(check, list(self.check_ids)) or "give the check an `id:` and use it here"
                self.error(("findings", fi, "check"), f"no check has id {check!r}", hint=hint)
            if isinstance(finding.get("step"), str):
                self._step_ref(("findings", fi, "step"), finding["step"], None)

    def _comparison(self) -> None:
        columns = _as_list(_as_dict(self.data.get("comparison")).get("columns"))
        for ci, column in enumerate(columns):
            column = _as_dict(column)
            path: _NodePath = ("comparison", "columns", ci)
            for key in ("lookup", "pod_lookup"):
                if isinstance(column.get(key), str):
                    self._step_ref((*path, key), column[key], None, dns=True)
            service = _as_str(column.get("service"))
            if service is not None and ("Service", service) not in self.objects:
                names = [n for k, n in self.objects if k == "Service"]
                self.error((*path, "service"), f"no manifest defines Service {service!r}",
                           hint=_suggest(service, names) or f"services: {', '.join(names)}")


def _is_nslookup(command: Command) -> bool:
    return isinstance(command, ExecCommand) and command.argv[0] == "nslookup" and not command.pipes


def _non_json(value: Any, path: _NodePath = ()) -> tuple[_NodePath, Any] | None:
    """The first value that JSON cannot carry, with its path, or None."""
    if isinstance(value, dict):
        for key, item in value.items():
            if (found := _non_json(item, (*path, key))) is not None:
                return found
        return None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if (found := _non_json(item, (*path, i))) is not None:
                return found
        return None
    return None if value is None or isinstance(value, (str, int, float, bool)) else (path, value)


def _inside(file: Path, base: Path) -> bool:
    """True when ``file``, symlinks followed, lies in ``base`` or below it."""
    return file.resolve().is_relative_to(base.resolve())
