"""The judges of each check kind: object fields, step output, nslookup answers, StatefulSet pod order."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from reportgen._dns import Lookup, normalize_ip, parse_capture
from reportgen._evidence import Bundle, Capture

from ._reading import _UNUSABLE_KEYS, note_read, pods_key, resolve_path, snapshot, stored_key, usable_capture
from ._verdict import (
    _ORDINAL,
    _failed,
    _int,
    _ip_sorted,
    _passed,
    _regex,
    _same,
    _show,
    _text,
    _Undecidable,
    _Verdict,
)

# ---------------------------------------------------------------- object


def _judge_object(body: dict[str, Any], bundle: Bundle) -> _Verdict:
    """Compare a field of a snapshotted object with one matcher."""
    key, path = str(body["object"]), str(body.get("path", ""))
    obj = _snapshot(bundle, key)
    try:
        values, many = resolve_path(obj, path)
    except ValueError as err:
        raise _Undecidable(str(err)) from None
    note_read(stored_key(bundle, key), path)
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
    pods = _pods(bundle, str(selector), _IP_FIELDS)
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
    note_read(stored_key(bundle, key), path)
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
    pods = sorted(_pods(bundle, selector, _ORDER_FIELDS), key=_ordinal)
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


# The fields of each pod the pod judges read (the name too: it says which pod a value is of).
_IP_FIELDS = ("metadata.name", "status.podIP", "status.podIPs[*].ip")  # _pod_ips
_ORDER_FIELDS = ("metadata.name", "metadata.creationTimestamp",  # _ordinal, _created, _ready_since
                 "status.conditions[*].type", "status.conditions[*].status", "status.conditions[*].lastTransitionTime")


def _pods(bundle: Bundle, selector: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """The snapshotted pods of a selector, of which the judge reads ``fields``; raises when there is no snapshot."""
    key = pods_key(selector)
    if key not in bundle.objects or bundle.objects[key] is None:
        raise _Undecidable(f"the pods {selector} were not snapshotted by this run")
    pods = bundle.objects[key]
    listed = "items[*]" if isinstance(pods, dict) else "[*]"
    note_read(key, *(f"{listed}.{field}" for field in fields))
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
