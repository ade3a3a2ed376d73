"""Judging a scenario's checks on the evidence of a run.

A check arrives as the plain dict the scenario gives (see ``checks:`` in
scenarios/services.yaml). It passes only when the evidence shows the claim; it
is undecided when the evidence is missing (a step that did not run, an object
not snapshotted, a capability the cluster lacks), never guessed.

This module dispatches a check to its kind's judge (:mod:`._judges`), which
reads the evidence through :mod:`._reading` and compares with :mod:`._verdict`.
:func:`fields_read` judges a check again to learn which snapshot fields it
read, and cuts the snapshots down to them (:mod:`._fields`) for the report.
"""


from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from reportgen._evidence import Bundle, CheckResult

from ._fields import prune
from ._judges import _judge_dns, _judge_object, _judge_output, _judge_pod_order
from ._reading import object_key, pods_key, recording, resolve_path, snapshot, usable_capture
from ._verdict import _CAPABILITIES, _passed, _Undecidable, _Verdict, format_observed

__all__ = [
    "evaluate",
    "evaluate_section",
    "fields_read",
    "format_observed",
    "object_key",
    "pods_key",
    "referenced_objects",
    "referenced_pod_selectors",
    "resolve_path",
    "snapshot",
    "usable_capture",
]


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



def fields_read(check: dict[str, Any], bundle: Bundle) -> dict[str, Any]:
    """The object snapshots a check read, each cut down to the fields it read.

    The check is judged again on the same evidence (judging reads nothing
    else), recording what its judges read: a check that read no snapshot, or
    was undecided before reading one, gives ``{}``.

    Returns:
        ``{bundle.objects key: the snapshot with only the fields read}``, in
        the order first read.
    """
    if not any(key in body for body in _bodies([check]) for key in _SNAPSHOT_KEYS):
        return {}  # reads captures only: no need to judge it again
    with recording() as reads:
        _judge(check, bundle)
    paths: dict[str, list[str]] = {}
    for key, path in reads:
        paths.setdefault(key, [])
        if path not in paths[key]:
            paths[key].append(path)
    return {key: prune(bundle.objects.get(key), read) for key, read in paths.items()}


_SNAPSHOT_KEYS = ("object", "addresses_equal_object", "addresses_equal_pods", "pods_created_in_order")


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



_KINDS: tuple[tuple[str, Callable[[dict[str, Any], Bundle], _Verdict]], ...] = (
    ("all", _judge_all),
    ("object", _judge_object),
    ("output", _judge_output),
    ("dns", _judge_dns),
    ("pods_created_in_order", _judge_pod_order),
)

