"""Judging a scenario's checks on the evidence of a run.

A check arrives as the plain dict the scenario gives (see ``checks:`` in
scenarios/services.yaml). It passes only when the evidence shows the claim; it
is undecided when the evidence is missing (a step that did not run, an object
not snapshotted, a capability the cluster lacks), never guessed.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from reportgen._dns import Lookup, normalize_ip, parse_capture
from reportgen._evidence import Bundle, Capture, CheckResult, CheckStatus

__all__ = [
    "evaluate",
    "evaluate_section",
    "format_observed",
    "object_key",
    "pods_key",
    "referenced_objects",
    "referenced_pod_selectors",
    "resolve_path",
    "snapshot",
    "usable_capture",
]

_CAPABILITIES = {"upstream_dns": "upstream DNS", "egress": "egress to the internet"}
_ORDINAL = re.compile(r"-(\d+)$")
_PATH_TOKEN = re.compile(r"""\.?([^.\[\]'"]+)|\[(\*|\d+|'[^']*'|"[^"]*")\]""")


class _Undecidable(Exception):
    """The evidence cannot decide the check; the message says why (``key``/``args``: in catalog words)."""

    def __init__(self, message: str, key: str | None = None, args: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.key, self.values = key, args


@dataclass
class _Verdict:
    status: CheckStatus
    reason: str | None = None
    observed: Any = None
    key: str | None = None
    args: dict[str, Any] | None = None


def _passed(observed: Any) -> _Verdict:
    return _Verdict("passed", None, observed)


def _failed(reason: str, observed: Any) -> _Verdict:
    return _Verdict("failed", reason, observed)


# ---------------------------------------------------------------- public API


def evaluate(check: dict[str, Any], bundle: Bundle, *, index: int, section_id: str) -> CheckResult:
    """Judge one check on the bundle's evidence.

    Args:
        check: The check as the scenario gives it.
        bundle: The run's evidence; captures and object snapshots are read.
        index: The check's 0-based position in its section.
        section_id: The section's id; with ``index`` it names an id-less check
            ``SECTION-check-N`` (N 1-based), as the scenario loader does.

    Returns:
        The result, with ``{observed}`` in the title filled in.
    """
    verdict = _judge(check, bundle)
    title = str(check.get("title") or "")
    if "{observed}" in title:
        title = title.replace("{observed}", format_observed(verdict.observed))
    return CheckResult(
        id=str(check.get("id") or f"{section_id}-check-{index + 1}"),
        title=title,
        status=verdict.status,
        reason=verdict.reason,
        observed=verdict.observed,
        reason_key=verdict.key,
        reason_args=verdict.args,
    )


def evaluate_section(section: dict[str, Any], bundle: Bundle) -> list[CheckResult]:
    """Judge every check of a scenario section, in order."""
    return [
        evaluate(check, bundle, index=i, section_id=str(section.get("id", "")))
        for i, check in enumerate(section.get("checks") or [])
    ]


def object_key(key: str) -> str:
    """The ``bundle.objects`` key for ``kind/name`` (kind lower-cased)."""
    kind, sep, name = key.partition("/")
    return f"{kind.lower()}{sep}{name}"


def pods_key(selector: str) -> str:
    """The ``bundle.objects`` key for the pods a label selector matches."""
    return f"pods:{selector}"


def referenced_objects(
    checks: Iterable[dict[str, Any]], columns: Iterable[dict[str, Any]] = ()
) -> set[str]:
    """The ``kind/name`` objects the runner must snapshot before judging.

    Args:
        checks: Checks of any sections (``all`` bodies are looked into).
        columns: The comparison table's columns; each needs its service and
            the service's endpoints.
    """
    keys: set[str] = set()
    for body in _bodies(checks):
        if isinstance(body.get("object"), str):
            keys.add(object_key(body["object"]))
        target = body.get("addresses_equal_object")
        if isinstance(target, dict) and isinstance(target.get("object"), str):
            keys.add(object_key(target["object"]))
    for column in columns:
        if column.get("service"):
            keys |= {f"service/{column['service']}", f"endpoints/{column['service']}"}
    return keys


def referenced_pod_selectors(checks: Iterable[dict[str, Any]]) -> set[str]:
    """The label selectors whose pods the runner must list, as ``pods_key(selector)``."""
    selectors: set[str] = set()
    for body in _bodies(checks):
        for key in ("addresses_equal_pods", "pods_created_in_order"):
            if isinstance(body.get(key), str):
                selectors.add(body[key])
    return selectors


def usable_capture(bundle: Bundle, step: str) -> tuple[Capture | None, str]:
    """The capture of a step that ran, or None and why there is none.

    A step that ran and exited non-zero is usable: its failure is evidence.
    """
    capture = bundle.capture(step)
    if capture is None:
        return None, f"step {step} has no capture in this run"
    why = capture.reason or "no reason recorded"
    if capture.status == "skipped":
        return None, f"step {step} did not run: {why}"
    # The error itself is shown once, under the step's output; the check refers to it.
    if capture.status == "timeout":
        return None, f"step {step} timed out (the note under its output says why)"
    if capture.status == "error":
        return None, f"step {step} could not run (the note under its output says why)"
    return capture, ""


_UNUSABLE_KEYS = {None: "step_missing", "skipped": "step_skipped", "timeout": "step_timeout", "error": "step_error"}


def snapshot(bundle: Bundle, key: str) -> tuple[Any, str]:
    """The snapshot of object ``kind/name``, or None and why there is none."""
    normal = object_key(key)
    if normal not in bundle.objects and key not in bundle.objects:
        return None, f"{key} was not snapshotted by this run"
    obj = bundle.objects.get(normal, bundle.objects.get(key))
    if obj is None:
        return None, f"{key} did not exist when the run snapshotted it"
    return obj, ""


def resolve_path(obj: Any, path: str) -> tuple[list[Any], bool]:
    """Follow a dotted path with ``[*]``, ``[N]`` and ``['key']`` steps.

    Returns:
        The values found (missing keys are skipped) and whether the path has a
        wildcard, i.e. whether it names a list of values rather than one.

    Raises:
        ValueError: The path is not of that form.
    """
    values = [obj]
    steps = _path_steps(path)
    for step in steps:
        values = [found for value in values for found in _step(value, step)]
    return values, "*" in steps


def format_observed(value: Any) -> str:
    """A short text for an observed value: lists joined with ", "."""
    if value is None:
        return "?"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(format_observed(v) for v in value)
    if isinstance(value, dict):
        if "name" in value:
            return format_observed(value["name"])
        return "; ".join(f"{k}: {format_observed(v)}" for k, v in value.items())
    return str(value)


# ---------------------------------------------------------------- dispatch


def _judge(body: dict[str, Any], bundle: Bundle) -> _Verdict:
    """Judge one check body (a check, or an item of ``all``)."""
    try:
        _require(body.get("requires") or [], bundle)
        for key, judge in _KINDS:
            if body.get("kind", key) == key and key in body:
                return judge(body, bundle)
        raise _Undecidable(f"the check names no known kind (keys: {', '.join(sorted(body))})")
    except _Undecidable as why:
        return _Verdict("undecided", str(why), key=why.key, args=why.values)


def _require(capabilities: list[str], bundle: Bundle) -> None:
    """Raise when the cluster lacks (or did not report) a required capability."""
    reasons, parts = [], []
    for name in capabilities:
        what = _CAPABILITIES.get(name, name.replace("_", " "))
        have = bundle.capabilities.get(name)
        if have is None:
            reasons.append(f"needs {what}, which was not determined for this cluster")
            parts.append({"key": "capability_unknown", "args": {"capability": name}})
        elif not have:
            detail = _lack_detail(name, bundle)
            reasons.append(f"needs {what}, which this cluster does not have{_DETAILS.get(detail, '')}")
            parts.append({"key": "capability_absent", "args": {"capability": name, "detail": detail}})
    if reasons:
        raise _Undecidable("; ".join(reasons), "parts", {"parts": parts})


_DETAILS = {
    "coredns_no_forward": " (CoreDNS has no forward)",
    "dns_forwards_nowhere": " (its DNS server forwards nowhere)",
}


def _lack_detail(capability: str, bundle: Bundle) -> str:
    """Why the cluster lacks a capability, when its facts say so: a key of ``_DETAILS``, or ""."""
    if capability == "upstream_dns" and bundle.cluster.dns_upstream is False:
        return "coredns_no_forward" if "coredns" in bundle.cluster.dns_provider.lower() else "dns_forwards_nowhere"
    return ""


def _bodies(checks: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every check body, ``all`` items included."""
    for body in checks:
        if isinstance(body, dict):
            yield body
            yield from _bodies(body.get("all") or [])


def _label(body: dict[str, Any]) -> str:
    """A short name for a check body, for reasons."""
    if "object" in body:
        return f"{body['object']} {body.get('path', '')}".strip()
    for key in ("dns", "output"):
        if key in body:
            return str(body[key])
    if "pods_created_in_order" in body:
        return f"pods {body['pods_created_in_order']}"
    return str(body.get("title") or "all")


# ---------------------------------------------------------------- all


def _judge_all(body: dict[str, Any], bundle: Bundle) -> _Verdict:
    """Pass when every item passes; fail when one fails; else undecided."""
    items = [b for b in body["all"] if isinstance(b, dict)]
    if not items:
        raise _Undecidable("`all` lists no checks")
    verdicts = [_judge(item, bundle) for item in items]
    observed = [v.observed for v in verdicts]
    for status in ("failed", "undecided"):
        hits = [f"{_label(i)}: {v.reason}" for i, v in zip(items, verdicts) if v.status == status]
        if hits:
            reason = f"{len(hits)} of {len(items)} {status}: " + "; ".join(hits)
            return _Verdict(status, reason, observed)
    return _passed(observed)


# ---------------------------------------------------------------- object


def _judge_object(body: dict[str, Any], bundle: Bundle) -> _Verdict:
    """Compare a field of a snapshotted object with one matcher."""
    key, path = str(body["object"]), str(body.get("path", ""))
    obj = _snapshot(bundle, key)
    try:
        values, many = resolve_path(obj, path)
    except ValueError as err:
        raise _Undecidable(str(err)) from None
    observed = values if many else (values[0] if values else None)
    for name, matcher in _OBJECT_MATCHERS:
        if name in body:
            problem = matcher(observed, body[name], many)
            if problem:
                return _failed(f"{key} {path}: {problem}", observed)
            return _passed(observed)
    raise _Undecidable(f"the check on {key} has no matcher (equals, matches, count or contains)")


def _snapshot(bundle: Bundle, key: str) -> Any:
    """The snapshot of ``kind/name``; raises when the run has none."""
    obj, why = snapshot(bundle, key)
    if why:
        raise _Undecidable(why)
    return obj


def _match_equals(observed: Any, expected: Any, many: bool) -> str | None:
    if many and isinstance(expected, list):
        same = sorted(map(_text, observed)) == sorted(map(_text, expected))
        return None if same else f"expected {_show(expected)}, found {_show(observed)}"
    if many:
        if observed and all(_same(v, expected) for v in observed):
            return None
        return f"expected every value to be {_show(expected)}, found {_show(observed)}"
    if observed is None and expected is not None:
        return f"expected {_show(expected)}, but it is not set"
    return None if _same(observed, expected) else f"expected {_show(expected)}, found {_show(observed)}"


def _match_matches(observed: Any, expected: Any, many: bool) -> str | None:
    pattern = _regex(expected)
    items = observed if many else [observed]
    if not items or any(v is None for v in items):
        return f"expected a value matching '{expected}', but it is not set"
    misses = [v for v in items if not pattern.search(_text(v))]
    if not misses:
        return None
    return f"expected {'every value' if many else 'a value'} to match '{expected}', found {_show(misses)}"


def _match_count(observed: Any, expected: Any, many: bool) -> str | None:
    want = _int(expected, "count")
    if many or isinstance(observed, (list, dict)):
        found = len(observed)
    else:
        found = 0 if observed is None else 1
    if found == want:
        return None
    listed = f": {_show(observed)}" if found and isinstance(observed, list) else ""
    return f"expected {want} values, found {found}{listed}"


def _match_contains(observed: Any, expected: Any, many: bool) -> str | None:
    if observed is None:
        return f"expected it to contain {_show(expected)}, but it is not set"
    if isinstance(observed, list):
        found = any(_same(v, expected) for v in observed)
    elif isinstance(observed, dict) or isinstance(observed, str):
        found = _text(expected) in observed
    else:
        found = _same(observed, expected)
    return None if found else f"expected it to contain {_show(expected)}, found {_show(observed)}"


_OBJECT_MATCHERS: tuple[tuple[str, Callable[[Any, Any, bool], str | None]], ...] = (
    ("equals", _match_equals),
    ("matches", _match_matches),
    ("count", _match_count),
    ("contains", _match_contains),
)


# ---------------------------------------------------------------- output


def _judge_output(body: dict[str, Any], bundle: Bundle) -> _Verdict:
    """Check a step's output with one or more matchers (all must hold).

    The output is :attr:`Capture.text` (a port-forward's response, else
    stdout); ``contains`` and ``matches`` read stderr too.
    """
    step = str(body["output"])
    capture = _capture(bundle, step)
    pieces: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, matcher in _OUTPUT_MATCHERS:
        if name in body:
            pieces[name], problem = matcher(capture, body[name])
            if problem:
                problems[name] = problem
    if not pieces:
        raise _Undecidable(f"the check on step {step} has no matcher")
    observed = next(iter(pieces.values())) if len(pieces) == 1 else pieces
    if not problems:
        return _passed(observed)
    text = "; ".join(problems.values())
    if capture.truncated and set(problems) - {"exit_code"}:
        raise _Undecidable(f"step {step}'s output was cut at the size limit; {text}")
    return _failed(f"step {step}: {text}", observed)


def _out_exit_code(capture: Capture, expected: Any) -> tuple[Any, str | None]:
    want = _int(expected, "exit_code")
    if capture.exit_code is None:
        raise _Undecidable(f"step {capture.step_id} has no exit code")
    if capture.exit_code == want:
        return capture.exit_code, None
    return capture.exit_code, f"expected exit code {want}, got {capture.exit_code}{_stderr_hint(capture)}"


def _out_contains(capture: Capture, expected: Any) -> tuple[Any, str | None]:
    text = _text(expected)
    hits = [line for line in _lines(_both(capture)) if text in line]
    if text in _both(capture):
        return hits, None
    return hits, f"expected the output to contain {text!r}; it did not{_first_line_hint(capture)}"


def _out_matches(capture: Capture, expected: Any) -> tuple[Any, str | None]:
    pattern = _regex(expected, re.MULTILINE)
    hits = [line for line in _lines(_both(capture)) if pattern.search(line)]
    if pattern.search(_both(capture)):
        return hits, None
    return hits, f"expected the output to match '{expected}'; it did not{_first_line_hint(capture)}"


def _out_lines(capture: Capture, expected: Any) -> tuple[Any, str | None]:
    want, lines = _int(expected, "lines"), _lines(capture.text)
    if len(lines) == want:
        return lines, None
    return lines, f"expected {want} lines of output, got {len(lines)}"


def _out_every_line_contains(capture: Capture, expected: Any) -> tuple[Any, str | None]:
    text, lines = _text(expected), _lines(capture.text)
    if not lines:
        return lines, f"expected every line to contain {text!r}, but there was no output"
    misses = [line for line in lines if text not in line]
    if not misses:
        return lines, None
    return lines, (
        f"expected every line to contain {text!r}; {len(misses)} of {len(lines)} did not, "
        f"first: {misses[0]!r}"
    )


_OUTPUT_MATCHERS: tuple[tuple[str, Callable[[Capture, Any], tuple[Any, str | None]]], ...] = (
    ("exit_code", _out_exit_code),
    ("lines", _out_lines),
    ("every_line_contains", _out_every_line_contains),
    ("contains", _out_contains),
    ("matches", _out_matches),
)


def _capture(bundle: Bundle, step: str) -> Capture:
    """The capture of a step that ran; raises when it has none to judge."""
    capture, why = usable_capture(bundle, step)
    if capture is None:
        found = bundle.capture(step)
        key = _UNUSABLE_KEYS[found.status if found else None]
        raise _Undecidable(why, key, {"step": step, "why": found.reason if found else ""})
    return capture


def _both(capture: Capture) -> str:
    """What ``contains`` and ``matches`` read: the output and stderr."""
    return f"{capture.text}\n{capture.stderr}"


def _lines(text: str) -> list[str]:
    """The non-blank lines of a text, without their line ends."""
    return [line for line in text.splitlines() if line.strip()]


def _first_line_hint(capture: Capture) -> str:
    lines = _lines(_both(capture))
    return f" (first line: {lines[0][:80]!r})" if lines else " (no output)"


def _stderr_hint(capture: Capture) -> str:
    lines = _lines(capture.stderr)
    return f" ({lines[-1][:80]})" if lines else ""


# ---------------------------------------------------------------- dns


def _judge_dns(body: dict[str, Any], bundle: Bundle) -> _Verdict:
    """Judge an nslookup step's answer."""
    step = str(body["dns"])
    capture = _capture(bundle, step)
    lookup = parse_capture(capture)
    if not lookup.recognized:
        raise _Undecidable(f"step {step} did not print nslookup output{_first_line_hint(capture)}")
    for name, judge in _DNS_MATCHERS:
        if name in body:
            return judge(lookup, body[name], bundle)
    raise _Undecidable(f"the check on step {step} has no DNS matcher")


def _dns_cname(lookup: Lookup, expected: Any, bundle: Bundle) -> _Verdict:
    want = _text(expected).rstrip(".")
    targets = [target for _, target in lookup.cnames]
    if any(t.casefold() == want.casefold() for t in targets):
        return _passed(targets)
    if targets:
        return _failed(f"expected a CNAME to {want}, found {_show(targets)}", targets)
    if lookup.legacy:
        raise _Undecidable("this nslookup (busybox before 1.28) never prints CNAME records")
    return _failed(f"expected a CNAME to {want}; the answer had none ({_outcome(lookup)})", targets)


def _dns_resolves(lookup: Lookup, expected: Any, bundle: Bundle) -> _Verdict:
    if not expected:
        return _dns_fails(lookup, True, bundle)
    if lookup.resolved:
        return _passed(lookup.addresses)
    return _failed(f"expected an address; the lookup got none ({_outcome(lookup)})", lookup.addresses)


def _dns_fails(lookup: Lookup, expected: Any, bundle: Bundle) -> _Verdict:
    """``fails: true``, or ``fails: NXDOMAIN`` for one error in particular."""
    if expected is False:
        return _dns_resolves(lookup, True, bundle)
    if lookup.resolved:
        exit_note = f" (exit code {lookup.exit_code})" if lookup.exit_code else ""
        reason = f"expected the lookup to fail; it resolved to {_show(lookup.addresses)}{exit_note}"
        return _failed(reason, lookup.addresses)
    if isinstance(expected, str) and lookup.error != expected:
        return _failed(f"expected the lookup to fail with {expected}; it failed with {lookup.error}", lookup.error)
    return _passed(lookup.error)


def _dns_equal_pods(lookup: Lookup, selector: Any, bundle: Bundle) -> _Verdict:
    pods = _pods(bundle, str(selector))
    if not pods:
        return _failed(f"no pods match {selector}, so there are no pod IPs to compare", lookup.addresses)
    ips = {ip for pod in pods for ip in _pod_ips(pod)}
    return _same_addresses(lookup, ips, f"the IPs of pods {selector}")


def _dns_equal_object(lookup: Lookup, target: Any, bundle: Bundle) -> _Verdict:
    if not isinstance(target, dict) or "object" not in target:
        raise _Undecidable("addresses_equal_object needs {object, path}")
    key, path = str(target["object"]), str(target.get("path", ""))
    try:
        values, _ = resolve_path(_snapshot(bundle, key), path)
    except ValueError as err:
        raise _Undecidable(str(err)) from None
    flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
    if not flat:
        return _failed(f"{key} {path} is not set", lookup.addresses)
    ips = {normalize_ip(_text(v)) for v in flat}
    if None in ips:
        return _failed(f"{key} {path} is {_show(flat)}, not an IP address", lookup.addresses)
    return _same_addresses(lookup, {ip for ip in ips if ip}, f"{key} {path}")


def _same_addresses(lookup: Lookup, expected: set[str], what: str) -> _Verdict:
    """Pass when the lookup's address set is exactly ``expected``."""
    got = set(lookup.addresses)
    if got == expected:
        return _passed(lookup.addresses)
    wanted = f"expected {what} ({_show(_ip_sorted(expected))})"
    if not got:
        return _failed(f"{wanted}; the lookup got none ({_outcome(lookup)})", lookup.addresses)
    notes = [f"missing {_show(_ip_sorted(expected - got))}"] if expected - got else []
    notes += [f"not expected {_show(_ip_sorted(got - expected))}"] if got - expected else []
    reason = f"{wanted}; DNS answered {_show(lookup.addresses)} ({'; '.join(notes)})"
    return _failed(reason, lookup.addresses)


def _outcome(lookup: Lookup) -> str:
    """What the lookup got instead, in a few words."""
    parts = [f"it answered {_show(lookup.addresses)}" if lookup.resolved else str(lookup.error)]
    if lookup.cnames:
        parts.append(f"CNAME to {_show([t for _, t in lookup.cnames])}")
    return ", ".join(parts)


_DNS_MATCHERS: tuple[tuple[str, Callable[[Lookup, Any, Bundle], _Verdict]], ...] = (
    ("cname", _dns_cname),
    ("resolves", _dns_resolves),
    ("fails", _dns_fails),
    ("addresses_equal_pods", _dns_equal_pods),
    ("addresses_equal_object", _dns_equal_object),
)


# ---------------------------------------------------------------- pods


def _judge_pod_order(body: dict[str, Any], bundle: Bundle) -> _Verdict:
    """StatefulSet pods created by ordinal, each after the previous was Ready."""
    selector = str(body["pods_created_in_order"])
    pods = sorted(_pods(bundle, selector), key=_ordinal)
    observed = [{"name": _pod_name(p), "created": _meta(p).get("creationTimestamp")} for p in pods]
    if not pods:
        return _failed(f"no pods match {selector}", observed)
    for before, after in zip(pods, pods[1:]):
        problem = _out_of_order(before, after)
        if problem:
            return _failed(problem, observed)
    return _passed(observed)


def _out_of_order(before: dict[str, Any], after: dict[str, Any]) -> str | None:
    """Why ``after`` was not created after ``before``, or None."""
    created_before, created_after = _created(before), _created(after)
    name_before, name_after = _pod_name(before), _pod_name(after)
    if created_after < created_before:
        return (
            f"{name_after} was created at {_iso(created_after)}, "
            f"before {name_before} ({_iso(created_before)})"
        )
    ready = _ready_since(before)
    if ready is not None and created_after < ready:
        return (
            f"{name_after} was created at {_iso(created_after)}, "
            f"before {name_before} was Ready at {_iso(ready)}"
        )
    return None


def _pods(bundle: Bundle, selector: str) -> list[dict[str, Any]]:
    """The snapshotted pods of a selector; raises when there is no snapshot."""
    key = pods_key(selector)
    if key not in bundle.objects or bundle.objects[key] is None:
        raise _Undecidable(f"the pods {selector} were not snapshotted by this run")
    pods = bundle.objects[key]
    if isinstance(pods, dict):
        pods = pods.get("items") or []
    return [p for p in pods if isinstance(p, dict)]


def _pod_ips(pod: dict[str, Any]) -> set[str]:
    status = pod.get("status") or {}
    texts = [status.get("podIP")] + [entry.get("ip") for entry in status.get("podIPs") or []]
    return {ip for ip in (normalize_ip(str(t)) for t in texts if t) if ip}


def _meta(pod: dict[str, Any]) -> dict[str, Any]:
    return pod.get("metadata") or {}


def _pod_name(pod: dict[str, Any]) -> str:
    return str(_meta(pod).get("name", "?"))


def _ordinal(pod: dict[str, Any]) -> int:
    match = _ORDINAL.search(_pod_name(pod))
    if not match:
        raise _Undecidable(f"pod {_pod_name(pod)} has no StatefulSet ordinal (-N suffix)")
    return int(match.group(1))


def _created(pod: dict[str, Any]) -> dt.datetime:
    stamp = _time(_meta(pod).get("creationTimestamp"))
    if stamp is None:
        raise _Undecidable(f"pod {_pod_name(pod)} has no creationTimestamp")
    return stamp


def _ready_since(pod: dict[str, Any]) -> dt.datetime | None:
    """When the pod last became Ready, if it is Ready."""
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready" and condition.get("status") == "True":
            return _time(condition.get("lastTransitionTime"))
    return None


def _time(text: Any) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def _iso(stamp: dt.datetime) -> str:
    return stamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_KINDS: tuple[tuple[str, Callable[[dict[str, Any], Bundle], _Verdict]], ...] = (
    ("all", _judge_all),
    ("object", _judge_object),
    ("output", _judge_output),
    ("dns", _judge_dns),
    ("pods_created_in_order", _judge_pod_order),
)


# ---------------------------------------------------------------- values


def _text(value: Any) -> str:
    """A value's string form as Kubernetes and YAML users write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _same(observed: Any, expected: Any) -> bool:
    """Equality that forgives YAML's typing: 3 equals "3", "None" is a string."""
    if observed is None or expected is None:
        return observed is expected
    if isinstance(observed, bool) or isinstance(expected, bool):
        return _text(observed) == _text(expected)
    if isinstance(observed, (int, float)) and isinstance(expected, (int, float)):
        return observed == expected
    if isinstance(observed, str) or isinstance(expected, str):
        return _text(observed) == _text(expected)
    same: bool = observed == expected  # lists and mappings from YAML or JSON
    return same


def _show(value: Any) -> str:
    """A value for a reason sentence."""
    if isinstance(value, list) and not value:
        return "nothing"
    return format_observed(value) if value is not None else "nothing"


def _int(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _Undecidable(f"{what} must be a whole number, not {value!r}") from None


def _regex(pattern: Any, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(str(pattern), flags)
    except re.error as err:
        raise _Undecidable(f"the pattern {pattern!r} is not a valid regular expression: {err}") from None


def _ip_sorted(ips: Iterable[str]) -> list[str]:
    return sorted(ips, key=lambda ip: (ipaddress.ip_address(ip).version, ipaddress.ip_address(ip)))


def _path_steps(path: str) -> list[str | int]:
    """Split ``a.b[*].c[0]['x.y']`` into keys, indexes and ``*``."""
    steps: list[str | int] = []
    position = 0
    while position < len(path):
        match = _PATH_TOKEN.match(path, position)
        if not match or (match.group(0).startswith(".") and position == 0):
            raise ValueError(f"invalid path {path!r} at {path[position:]!r}")
        key, bracket = match.group(1), match.group(2)
        if key is not None:
            steps.append(key)
        elif bracket == "*":
            steps.append("*")
        elif bracket.isdigit():
            steps.append(int(bracket))
        else:
            steps.append(bracket[1:-1])
        position = match.end()
    if not steps:
        raise ValueError("empty path")
    return steps


def _step(value: Any, step: str | int) -> list[Any]:
    """The values one path step leads to from ``value``."""
    if step == "*":
        if isinstance(value, list):
            return list(value)
        return list(value.values()) if isinstance(value, dict) else []
    if isinstance(step, int):
        return [value[step]] if isinstance(value, list) and step < len(value) else []
    return [value[step]] if isinstance(value, dict) and step in value else []
