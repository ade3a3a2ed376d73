"""``kubectl get --watch``, ported from k8s.io/kubectl v0.34.4 ``pkg/cmd/get/get.go`` (``watch``).

The list is printed first (unless ``--watch-only``), then one row per watch
event through the same table printer and tabwriter, flushed after each event
(so columns never get narrower, as kubectl's RememberWidths keeps them).
``--output-watch-events`` adds kubectl's EVENT column. A captured watch is
bounded: it stops after ``seconds``, or after the first line that matches
``until``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._api import Api, Output
from ._commands import GetArgs
from ._discovery import TABLE_ACCEPT, ApiError, GetError, Requester
from ._get import plan_visits, table_options
from ._tables import TablePrinter
from ._tabwriter import TabWriter

__all__ = ["watch_text"]


def watch_text(api: Api, args: GetArgs, seconds: float, until: str | None = None) -> Output:
    """What ``kubectl get ARGS --watch`` prints in ``seconds`` (or until a line matches ``until``)."""
    out = Output()
    try:
        visit = _single_visit(api, args)
    except GetError as exc:
        out.err(f"error: {exc}")
        return out
    printer = TablePrinter(table_options(args, False))
    writer = TabWriter()
    pattern = re.compile(until) if until else None
    deadline = api.clock() + seconds
    data = visit.resource.table_data
    query = _query(args, visit.name)
    path = visit.resource.path(visit.namespace)
    try:
        if visit.name:  # kubectl GETs a named object first: a missing one is an error, not an empty watch
            Requester(api.fetch).get_json(visit.resource.path(visit.namespace, visit.name), query[:1])
        listed = Requester(api.fetch).get_json(path, query)
    except ApiError as exc:
        out.err(exc.kubectl_message())
        return out
    if not args.watch_only:
        event = "ADDED" if args.watch_events else ""
        if _emit(out, writer, printer.print_table(data(listed), event), pattern):
            return out
    assert api.watch is not None, "watching needs the cluster client's watch"
    version = [("resourceVersion", (listed.get("metadata") or {}).get("resourceVersion", ""))]
    for line in api.watch(path, [*query, *version], TABLE_ACCEPT, max(0.0, deadline - api.clock())):
        event_type, table = _event(line)
        if event_type == "ERROR":
            out.err(f"error: {table.get('message', 'watch failed')}")
            return out
        text = printer.print_table(data(table), event_type if args.watch_events else "")
        if _emit(out, writer, text, pattern) or api.clock() >= deadline:
            return out
    return out


def _single_visit(api: Api, args: GetArgs) -> Any:
    visits = plan_visits(api.discovery, args)
    if len({v.resource for v in visits}) != 1:
        raise GetError("you may only specify a single resource type")
    if len(visits) > 1:
        raise GetError("watch is only supported on individual resources and resource collections, but "
                       f"{len(visits)} resources were found")
    return visits[0]


def _query(args: GetArgs, name: str | None) -> list[tuple[str, str]]:
    query = [("includeObject", "Metadata")]
    if args.selector:
        query.append(("labelSelector", args.selector))
    selectors = [s for s in (args.field_selector, f"metadata.name={name}" if name else None) if s]
    if selectors:
        query.append(("fieldSelector", ",".join(selectors)))
    return query


def _event(line: bytes) -> tuple[str, dict[str, Any]]:
    try:
        decoded = json.loads(line)
    except ValueError:
        return "ERROR", {"message": line.decode("utf-8", "replace").strip()}
    if decoded.get("kind") == "Status":
        return "ERROR", decoded
    return str(decoded.get("type", "")), dict(decoded.get("object") or {})


def _emit(out: Output, writer: TabWriter, text: str, pattern: re.Pattern[str] | None) -> bool:
    """Write and flush one event's rows; True when a printed line matches ``until``."""
    writer.write(text)
    printed = writer.flush()
    out.out(printed)
    return pattern is not None and any(pattern.search(line) for line in printed.splitlines())
