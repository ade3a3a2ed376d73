"""The comparison of service types (📊 서비스 타입별 비교 분석), from evidence.

Each column of the scenario's ``comparison:`` names a service, the step that
looked it up and, optionally, a step that looked up one of its pods. Every cell
is computed from the run: the service snapshot, its endpoints and the parsed
nslookup output. Where the evidence is missing the cell is ``unknown``; nothing
is filled in from what the service type usually does, except where noted.

Cells carry language-neutral kinds; the template words them.

=============== ===========================================================
row key         cell kinds (value)
=============== ===========================================================
cluster_ip      virtual_ip (the IP), none (external_name | headless)
dns_answer      cname (target), single_ip (the IP), pod_ips (the IPs),
                addresses (IPs that are neither), failed (the error)
load_balancing  kube_proxy, none
pod_access      yes (the addresses), no (the error, or None)
purpose         text (the scenario's words)
=============== ===========================================================

Any row may hold ``unknown`` cells, with the reason in ``note``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportgen._checks import resolve_path, snapshot, usable_capture
from reportgen._dns import Lookup, normalize_ip, parse_capture
from reportgen._evidence import Bundle

__all__ = ["ROW_KEYS", "Cell", "Row", "compare"]

ROW_KEYS = ("cluster_ip", "dns_answer", "load_balancing", "pod_access", "purpose")


@dataclass(frozen=True)
class Cell:
    """One fact of the table.

    Attributes:
        kind: What the fact is, language-neutral (see the module docs).
        ok: True for a ✅ mark, False for ❌, None for no mark.
        value: The concrete fact: an IP, a CNAME target, a list of IPs, text.
        note: Where the fact comes from, or why it is unknown.
    """

    kind: str
    ok: bool | None = None
    value: Any = None
    note: str = ""


@dataclass(frozen=True)
class Row:
    """One row: a fact for every column, in column order."""

    key: str
    cells: tuple[Cell, ...]


def _unknown(note: str) -> Cell:
    return Cell("unknown", None, None, note)


@dataclass
class _Column:
    """What the run saw for one column."""

    spec: dict[str, Any]
    bundle: Bundle

    @property
    def service(self) -> str:
        return str(self.spec.get("service") or "")

    def lookup(self, field: str) -> tuple[Lookup | None, str]:
        """The parsed nslookup of the column's ``lookup`` or ``pod_lookup`` step."""
        step = self.spec.get(field)
        if not step:
            return None, f"the column names no {field} step"
        capture, why = usable_capture(self.bundle, str(step))
        if capture is None:
            return None, why
        parsed = parse_capture(capture)
        if not parsed.recognized:
            return None, f"step {step} did not print nslookup output"
        return parsed, f"step {step}"

    def endpoint_ips(self) -> set[str] | None:
        """The ready addresses of the service's endpoints, if snapshotted."""
        obj, _ = snapshot(self.bundle, f"endpoints/{self.service}")
        if obj is None:
            return None
        values, _ = resolve_path(obj, "subsets[*].addresses[*].ip")
        return {ip for ip in (normalize_ip(str(v)) for v in values) if ip}

    def cluster_ip(self) -> Cell:
        """Whether the service has a virtual IP, from its snapshot."""
        key = f"service/{self.service}"
        obj, why = snapshot(self.bundle, key)
        if obj is None:
            return _unknown(why)
        spec = obj.get("spec") or {}
        if spec.get("type") == "ExternalName":
            return Cell("none", False, "external_name", f"{key} spec.type ExternalName")
        ip = spec.get("clusterIP")
        if ip == "None":
            return Cell("none", False, "headless", f"{key} spec.clusterIP None")
        if isinstance(ip, str) and normalize_ip(ip):
            return Cell("virtual_ip", True, normalize_ip(ip), f"{key} spec.clusterIP")
        return _unknown(f"{key} has no spec.clusterIP")


def compare(columns: list[dict[str, Any]], bundle: Bundle) -> list[Row]:
    """The comparison rows for the scenario's columns, from the run's evidence.

    Args:
        columns: The scenario's ``comparison.columns`` ({label, service,
            lookup, pod_lookup?, purpose}).
        bundle: The run's evidence; needs ``service/NAME`` and
            ``endpoints/NAME`` snapshots and the lookup captures.

    Returns:
        One :class:`Row` per key of :data:`ROW_KEYS`, in that order.
    """
    seen = [_Column(spec, bundle) for spec in columns]
    makers = {
        "cluster_ip": _Column.cluster_ip,
        "dns_answer": _dns_answer,
        "load_balancing": _load_balancing,
        "pod_access": _pod_access,
        "purpose": _purpose,
    }
    return [Row(key, tuple(makers[key](column) for column in seen)) for key in ROW_KEYS]


def _dns_answer(column: _Column) -> Cell:
    """What kind of answer the service's name got."""
    lookup, source = column.lookup("lookup")
    if lookup is None:
        return _unknown(source)
    if lookup.cnames:
        alias, target = lookup.cnames[0]
        return Cell("cname", None, target, f"{source}: {alias} canonical name = {target}")
    if not lookup.resolved:
        return Cell("failed", None, lookup.error, f"{source}: {lookup.error}")
    found = set(lookup.addresses)
    vip = column.cluster_ip()
    if vip.kind == "virtual_ip" and found == {vip.value}:
        return Cell("single_ip", None, vip.value, f"{source}: the cluster IP of service/{column.service}")
    endpoints = column.endpoint_ips()
    if endpoints and found == endpoints:
        note = f"{source}: the {len(found)} addresses of endpoints/{column.service}"
        return Cell("pod_ips", None, list(lookup.addresses), note)
    return Cell("addresses", None, list(lookup.addresses), _why_unmatched(column, lookup, vip, endpoints))


def _why_unmatched(column: _Column, lookup: Lookup, vip: Cell, endpoints: set[str] | None) -> str:
    """Why the answer is neither the cluster IP nor the endpoints."""
    notes = [f"step {column.spec.get('lookup')} answered {', '.join(lookup.addresses)}"]
    if lookup.name and not lookup.name.startswith(f"{column.service}."):
        notes.append(f"it asked for {lookup.name}, not service {column.service}")
    if vip.kind == "virtual_ip":
        notes.append(f"service/{column.service} has cluster IP {vip.value}")
    if endpoints is None:
        notes.append(f"endpoints/{column.service} was not snapshotted")
    else:
        notes.append(f"endpoints/{column.service} holds {', '.join(sorted(endpoints)) or 'nothing'}")
    return "; ".join(notes)


def _load_balancing(column: _Column) -> Cell:
    """kube-proxy balances a virtual IP; without one, nothing does."""
    vip = column.cluster_ip()
    if vip.kind == "unknown":
        return _unknown(vip.note)
    if vip.kind == "virtual_ip":
        return Cell("kube_proxy", True, vip.value, f"the service proxy spreads {vip.value} over the endpoints")
    return Cell("none", False, None, f"no virtual IP ({vip.note})")


def _pod_access(column: _Column) -> Cell:
    """Whether one pod could be reached by its own DNS name."""
    if not column.spec.get("pod_lookup"):
        vip = column.cluster_ip()
        if vip.kind == "unknown" or vip.value == "headless":
            return _unknown(f"no pod lookup was made for service {column.service}")
        return Cell("no", False, None, "not a headless service, so DNS has no per-pod names (not tested)")
    lookup, source = column.lookup("pod_lookup")
    if lookup is None:
        return _unknown(source)
    if lookup.resolved:
        return Cell("yes", True, list(lookup.addresses), f"{source}: {lookup.name} resolved")
    return Cell("no", False, lookup.error, f"{source}: {lookup.error}")


def _purpose(column: _Column) -> Cell:
    """The scenario's words on what the type is for."""
    text = column.spec.get("purpose")
    return Cell("text", None, str(text), "scenario") if text else _unknown("the column gives no purpose")
