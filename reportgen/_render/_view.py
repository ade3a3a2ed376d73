"""The view of a bundle a template receives (:func:`build_context`): meta, sections, checks, outputs, diagrams,
and the proofs checks link to (output blocks, and callouts of the object fields they read)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from reportgen._catalog import load_catalog
from reportgen._checks import fields_read, format_observed
from reportgen._diagram import spec_diagram
from reportgen._evidence import Bundle, Capture, CheckResult, SectionRecord

from ._escape import _fold, inline_code, md_escape, oneline, tag_name, yaml_block
from ._filters import _field, as_date, utc_time


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _meta(report: Mapping[str, Any], bundle: Bundle) -> dict[str, Any]:
    """The report's metadata with every key present."""
    day = as_date(report.get("date")) or as_date(bundle.started_at)
    return {
        "title": oneline(report.get("title") or bundle.scenario_path or "reportgen"),
        "icon": _text(report.get("icon")),
        "date": day,
        "author": oneline(report.get("author") or ""),
        "tags": [tag_name(t) for t in report.get("tags") or []],
        "aliases": [oneline(a) for a in report.get("aliases") or []],
        "related": [_text(n) for n in _as_list(report.get("related"))],
        "series": _text(report.get("series")),
        "internal_links": [
            {"note": _text(link.get("note")), "text": oneline(link.get("text") or "")}
            for link in report.get("internal_links") or []
        ],
        "external_links": [
            {"title": _text(link.get("title")), "url": _text(link.get("url"))}
            for link in report.get("external_links") or []
        ],
        "next_steps": [
            {
                "heading": oneline(step.get("heading") or ""),
                "notes": [_text(n) for n in step.get("notes") or []],
            }
            for step in report.get("next_steps") or []
        ],
    }


def _run(bundle: Bundle) -> dict[str, Any]:
    path = bundle.scenario_path
    return {
        "id": bundle.run_id,
        "namespace": bundle.namespace,
        "scenario": _text(bundle.scenario.get("name")) or (Path(path).stem if path else ""),
        "started_at": bundle.started_at,
        "finished_at": bundle.finished_at,
        "error": bundle.error,
        "reportgen_version": bundle.reportgen_version,
        "kubernetes_version": bundle.cluster.server_version or None,
        "platform": bundle.cluster.platform or None,
    }


def _check_title(template: str | None, result: CheckResult) -> str:
    """A check's title with its observed value escaped for where it stands.

    The title comes from the scenario (trusted Markdown); ``{observed}`` is
    filled in again from the evidence, as a code span where the scenario wrapped
    it in backticks and as escaped prose elsewhere.
    """
    if not template or "{observed}" not in template:
        return oneline(template) if template else md_escape(result.title)
    observed = format_observed(result.observed)
    parts = [_fold(part) for part in template.split("{observed}")]
    out = [parts[0]]
    for part in parts[1:]:
        if out[-1].endswith("`") and part.startswith("`"):
            out[-1] = out[-1][:-1]
            out += [inline_code(observed), part[1:]]
        else:
            out += [md_escape(observed), part]
    return "".join(out).strip()


def _check_view(result: CheckResult, template: str | None) -> dict[str, Any]:
    return {
        "id": result.id,
        "title": _check_title(template, result),
        "status": result.status,
        "reason": result.reason,
        "reason_key": result.reason_key,
        "reason_args": result.reason_args,
        "observed": result.observed,
    }


def _section_checks(
    spec: Mapping[str, Any], record: SectionRecord | None, words: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Check views of a section: its results, or the scenario's checks marked not run."""
    specs = spec.get("checks") or []
    titles = {str(c.get("id")): c.get("title") for c in specs}
    if record is not None and record.checks:
        return [_check_view(r, titles.get(r.id)) for r in record.checks]
    missing = [
        CheckResult(str(c.get("id")), str(c.get("title") or ""), "undecided", reason=words["not_run"])
        for c in specs
    ]
    return [_check_view(r, titles.get(r.id)) for r in missing]


def _lines(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def _output(capture: Capture) -> str:
    """What the step printed, verbatim: stdout and stderr as the terminal interleaved them, then any request
    and its response.

    The request (port-forward steps) is shown as a shell comment, for it was
    sent from this machine, not typed.
    """
    streams = getattr(capture, "streams", None)
    if streams:
        text = _lines("".join(piece for _stream, piece in streams))
    else:
        text = _lines(capture.stdout) + _lines(capture.stderr)
    request = getattr(capture, "request", None)
    if request:
        text += f"# {request}\n" + _lines(getattr(capture, "response", None) or "")
    return text


def _transcript(chunks: list[str]) -> str:
    """Steps of one block, a blank line between them (unless the output ends with one)."""
    return "".join(c if i == len(chunks) - 1 or c.endswith("\n\n") else c + "\n" for i, c in enumerate(chunks))


def _step_note(step_id: str, command: str, capture: Capture | None) -> dict[str, Any] | None:
    """What a reader must be told about a step beyond its output, if anything."""
    if capture is not None and capture.status == "ok" and not capture.truncated:
        return None
    return {
        "step_id": step_id,
        "command": command,
        "status": capture.status if capture else "missing",
        "exit_code": capture.exit_code if capture else None,
        "reason": capture.reason if capture else None,
        "truncated": capture.truncated if capture else False,
    }


def _block_view(block: Mapping[str, Any], bundle: Bundle) -> dict[str, Any]:
    """A block: its heading/label, one transcript of its steps, and notes on steps."""
    chunks, notes = [], []
    for step in block.get("steps") or []:
        step_id = str(step.get("id"))
        capture = bundle.capture(step_id)
        command = capture.command if capture and capture.command else str(step.get("run") or "")
        body = _output(capture) if capture else ""
        chunks.append(f"$ {command}\n{body}")
        note = _step_note(step_id, command, capture)
        if note:
            notes.append(note)
    return {
        "heading": oneline(block.get("heading") or ""),
        "label": oneline(block.get("label") or ""),
        "transcript": _transcript(chunks),
        "notes": notes,
    }


def _wait_view(wait: Any) -> dict[str, Any]:
    return {
        "target": wait.target,
        "status": wait.status,
        "duration_s": round(float(wait.duration_s or 0.0), 1),
        "last_state": wait.last_state,
        "events": list(wait.events),
    }


def _sections(bundle: Bundle, words: Mapping[str, str]) -> list[dict[str, Any]]:
    records = {s.id: s for s in bundle.sections}
    views = []
    for number, spec in enumerate(bundle.scenario.get("sections") or [], start=1):
        record = records.get(str(spec.get("id")))
        icon = _text(spec.get("icon"))
        views.append({
            "id": _text(spec.get("id")),
            "number": number,
            "icon_prefix": f"{icon} " if icon else "",
            "title": oneline(spec.get("title") or ""),
            "summary": [oneline(item) for item in spec.get("summary") or []],
            "waits": [_wait_view(w) for w in (record.waits if record else []) if w.status != "met"],
            "blocks": [_block_view(b, bundle) for b in spec.get("blocks") or []],
            "checks": _section_checks(spec, record, words),
            "diagram": spec_diagram(spec, record.applied if record else [], bundle.objects, bundle.namespace or ""),
        })
    _link_proofs(bundle.scenario.get("sections") or [], views)
    _link_fields(bundle.scenario.get("sections") or [], views, bundle)
    return views


def block_anchor(step_id: str) -> str:
    """An Obsidian block id for the output block whose first step is ``step_id``: ``[a-z0-9-]`` only."""
    return re.sub(r"[^a-z0-9-]+", "-", step_id.lower()).strip("-") or "step"


def _link_proofs(specs: list[Any], views: list[dict[str, Any]]) -> None:
    """Give each block its anchor and each check the anchors of the output blocks it read."""
    anchors: dict[str, str] = {}
    for spec, view in zip(specs, views):
        for block, block_view in zip(spec.get("blocks") or [], view["blocks"]):
            steps = [str(s.get("id")) for s in block.get("steps") or []]
            block_view["anchor"] = block_anchor(steps[0]) if steps else None
            anchors.update(dict.fromkeys(steps, block_view["anchor"]))
    for spec, view in zip(specs, views):
        read = {str(c.get("id")): _steps_read(c) for c in spec.get("checks") or []}
        for check in view["checks"]:
            found = [anchors[s] for s in read.get(check["id"], []) if s in anchors]
            check["proofs"] = list(dict.fromkeys(found))


def _link_fields(specs: list[Any], views: list[dict[str, Any]], bundle: Bundle) -> None:
    """Give each section the callouts of the object fields its checks read, and each such check its callout's anchor.

    A section's ``fields`` lists ``{anchor, title, yaml}``; a check's ``fields``
    is the anchor of its callout, or None when it read no object snapshot.
    """
    taken = {b["anchor"] for view in views for b in view["blocks"] if b.get("anchor")}
    judged = {s.id for s in bundle.sections if s.checks}
    for spec, view in zip(specs, views):
        bodies = {str(c.get("id")): c for c in spec.get("checks") or [] if isinstance(c, Mapping)}
        if view["id"] not in judged:
            bodies = {}  # checks not judged in this run read nothing
        view["fields"] = []
        for check in view["checks"]:
            body = bodies.get(check["id"])
            read = fields_read(dict(body), bundle) if body is not None else {}
            check["fields"] = _unique(block_anchor(f"{check['id']}-fields"), taken) if read else None
            if read:
                view["fields"].append({"anchor": check["fields"], "title": check["title"], "yaml": yaml_block(read)})


def _unique(anchor: str, taken: set[str]) -> str:
    """``anchor``, or ``anchor-2``, ``-3``… when the note has it already; then it is taken."""
    found, number = anchor, 1
    while found in taken:
        number += 1
        found = f"{anchor}-{number}"
    taken.add(found)
    return found


def _steps_read(check: Mapping[str, Any]) -> list[str]:
    """The steps whose output a check reads (an ``all`` check: those of its parts)."""
    own = [str(check[k]) for k in ("output", "dns") if isinstance(check.get(k), str)]
    return own + [s for part in check.get("all") or [] if isinstance(part, Mapping) for s in _steps_read(part)]


def _counts(checks: Iterable[Mapping[str, Any]], error: str | None) -> tuple[dict[str, int], str]:
    counts = {"passed": 0, "failed": 0, "undecided": 0}
    for check in checks:
        counts[check["status"]] += 1
    counts["total"] = sum(counts.values())
    if error or counts["failed"]:
        return counts, "failed"
    return counts, "undecided" if counts["undecided"] else "passed"


def _cell(cell: Any) -> dict[str, Any]:
    """A comparison cell: ``kind`` (worded by the template), ``ok`` mark, value, note."""
    if not isinstance(cell, Mapping) and not hasattr(cell, "kind"):
        cell = {"kind": "text", "value": cell}
    value, ok = _field(cell, "value"), _field(cell, "ok")
    items = [format_observed(v) for v in _as_list(value)]
    return {
        "kind": _text(_field(cell, "kind")) or "text",
        "ok": None if ok is None else bool(ok),
        "value": ", ".join(items),
        "count": len(items),
        "note": _text(_field(cell, "note")),
    }


def _comparison(bundle: Bundle, rows: Any) -> dict[str, Any] | None:
    """The comparison table: columns from the scenario, rows from the evidence.

    ``rows`` is what ``reportgen._compare.compare`` returns: a list of rows with
    ``key`` (and optionally ``label``) and ``cells``, one per column, each with
    ``kind``, ``ok``, ``value`` and ``note``; mappings or objects alike.
    """
    spec = bundle.scenario.get("comparison")
    if not spec:
        return None
    columns = [oneline(c.get("label") or "") for c in spec.get("columns") or []]
    view_rows: list[dict[str, Any]] = []
    for row in rows or []:
        cells = [_cell(c) for c in _field(row, "cells") or []]
        cells += [_cell({"kind": "unknown", "note": "no cell for this column"})] * (len(columns) - len(cells))
        key, label = _text(_field(row, "key")), _text(_field(row, "label"))
        view_rows.append({"key": key, "label": label, "cells": cells})
    unknown = [
        {"row_key": row["key"], "row_label": row["label"], "column": column, "note": cell["note"]}
        for row in view_rows
        for column, cell in zip(columns, row["cells"])
        if cell["kind"] == "unknown" and cell["note"]
    ]
    title = oneline(spec.get("title") or "")
    return {"title": title, "columns": columns, "rows": view_rows, "unknown": unknown}


def _finding_check(
    check_id: Any, checks: Mapping[str, dict[str, Any]], words: Mapping[str, str]
) -> dict[str, Any] | None:
    if not check_id:
        return None
    found = checks.get(str(check_id))
    if found is not None:
        return found
    missing = CheckResult(str(check_id), str(check_id), "undecided", reason=words["no_result"])
    return _check_view(missing, None)


def _findings(
    bundle: Bundle, checks: Mapping[str, dict[str, Any]], words: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Findings with what this run showed: the check's verdict and the step's output."""
    views = []
    for number, spec in enumerate(bundle.scenario.get("findings") or [], start=1):
        check = _finding_check(spec.get("check"), checks, words)
        step = bundle.capture(str(spec["step"])) if spec.get("step") else None
        transcript = f"$ {step.command}\n{_output(step)}" if step else None
        observed = None
        if transcript is None and check is not None and check["observed"] is not None:
            observed = yaml.safe_dump(check["observed"], allow_unicode=True, sort_keys=False)
        views.append({
            "number": number,
            "title": oneline(spec.get("title") or ""),
            "symptom": oneline(spec.get("symptom") or ""),
            "resolution": oneline(spec.get("resolution") or ""),
            "cause": oneline(spec.get("cause") or ""),
            "check": check,
            "transcript": transcript,
            "observed_yaml": observed,
        })
    return views


def _environment(bundle: Bundle) -> dict[str, list[tuple[str, Any]]]:
    """Cluster facts as ordered YAML key/value pairs; None where the API did not tell."""
    cluster = bundle.cluster
    nodes = cluster.nodes
    first = nodes[0] if nodes else None
    dns_ip = f"({cluster.dns_service_ip})" if cluster.dns_service_ip else ""
    dns = " ".join(p for p in (cluster.dns_provider, dns_ip) if p)
    os_line = None
    if first and first.os_image:
        kernel = f"kernel {first.kernel_version}" if first.kernel_version else ""
        extra = ", ".join(p for p in (first.architecture, kernel) if p)
        os_line = f"{first.os_image} ({extra})" if extra else first.os_image
    facts = [
        ("Kubernetes", cluster.server_version or None),
        ("Platform", cluster.platform or None),
        ("Context", cluster.context or None),
        ("OS", os_line),
        ("Container Runtime", (first.container_runtime if first else "") or None),
        ("CNI", cluster.cni or None),
        ("DNS", dns or None),
        ("Upstream DNS", cluster.dns_upstream),
        ("Egress", cluster.egress),
    ]
    if len(nodes) > 1:
        node_fact: tuple[str, Any] = ("Nodes", [_node_line(n, single=False) for n in nodes])
    else:
        node_fact = ("Node IP", _node_line(first, single=True) if first else None)
    network = [
        ("Node Pod CIDR", cluster.pod_cidr or None),  # the cluster-wide range is not in the API
        ("Service Network", cluster.service_cidr or None),
        node_fact,
    ]
    run = [
        ("Run ID", bundle.run_id or None),
        ("Namespace", bundle.namespace or None),
        ("Started", utc_time(bundle.started_at) or None),
        ("Finished", utc_time(bundle.finished_at) or None),
        ("Capabilities", dict(sorted(bundle.capabilities.items())) or None),
        ("reportgen", bundle.reportgen_version or None),
    ]
    return {"cluster": facts, "network": network, "run": run}


def _node_line(node: Any, *, single: bool) -> str:
    details = [node.internal_ip, "Ready" if node.ready else "NotReady", "single node" if single else ""]
    return f"{node.name} ({', '.join(d for d in details if d)})"


def build_context(bundle: Bundle, language: str, comparison: Any = None,
                  catalog: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything a report template sees.

    Keys: ``t`` (the language's catalog), ``lang``, ``bundle`` (raw), ``scenario`` (raw), ``meta``, ``overview``,
    ``run``, ``counts`` (passed/failed/undecided/total), ``status``,
    ``open_checks``, ``sections``, ``comparison``, ``learning_points``,
    ``findings``, ``environment``, ``reflections``.
    """
    words = catalog if catalog is not None else load_catalog(language)
    scenario = bundle.scenario
    sections = _sections(bundle, words)
    checks = [c for s in sections for c in s["checks"]]
    counts, status = _counts(checks, bundle.error)
    by_id = {c["id"]: c for c in checks}
    return {
        "t": words,
        "lang": language,
        "bundle": bundle,
        "scenario": scenario,
        "meta": _meta(scenario.get("report") or {}, bundle),
        "overview": _text(scenario.get("overview")),
        "run": _run(bundle),
        "counts": counts,
        "status": status,
        "open_checks": [c for c in checks if c["status"] != "passed"],
        "sections": sections,
        "comparison": _comparison(bundle, getattr(bundle, "comparison", None) if comparison is None else comparison),
        "learning_points": _text(scenario.get("learning_points")),
        "findings": _findings(bundle, by_id, words),
        "environment": _environment(bundle),
        "reflections": _text(scenario.get("reflections")),
    }
