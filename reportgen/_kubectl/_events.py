"""``kubectl events``, ported from k8s.io/kubectl v0.34.4 ``pkg/cmd/events/events.go`` and ``event_printer.go``.

Events are listed (``--for`` becomes an ``involvedObject`` field selector),
filtered by ``--types``, sorted by their last time (series, lastTimestamp, then
eventTime) and printed with LAST SEEN, TYPE, REASON, OBJECT and MESSAGE.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ._api import Api, Output
from ._commands import EventsCommand
from ._describe._clock import ZERO_TIME, Clock, parse_time
from ._discovery import ApiError, GetError, Requester
from ._get import CHUNK_SIZE
from ._tables import escape_terminal
from ._tabwriter import TabWriter

__all__ = ["event_time", "events"]

def events(api: Api, command: EventsCommand, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Output:
    """What ``kubectl events`` prints for ``command``."""
    out = Output()
    try:
        items = _list(api, command)
    except ApiError as exc:
        out.err(exc.kubectl_message())
        return out
    except GetError as exc:
        out.err(f"error: {exc}")
        return out
    wanted = {t.lower() for t in command.types}
    items = [e for e in items if not wanted or str(e.get("type", "")).lower() in wanted]
    if not items:
        where = "" if command.all_namespaces else f" in {api.namespace} namespace"
        out.err(f"No events found{where}.", fail=False)
        return out
    items.sort(key=event_time)
    writer = TabWriter()
    if not command.no_headers:
        writer.write("NAMESPACE\t" * command.all_namespaces + "LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n")
    moment = now()
    for event in items:
        writer.write(_row(event, command.all_namespaces, moment))
    out.out(writer.flush())
    return out


def _list(api: Api, command: EventsCommand) -> list[dict[str, Any]]:
    query = [("limit", str(CHUNK_SIZE))]
    if command.for_object is not None:
        target = api.resolve(command.for_object.typed or command.for_object.resource)
        query.append(("fieldSelector", f"involvedObject.kind={target.kind},involvedObject.apiVersion="
                                       f"{target.api_version},involvedObject.name={command.for_object.name}"))
    path = "/api/v1/events" if command.all_namespaces else f"/api/v1/namespaces/{api.namespace}/events"
    return [item for page in Requester(api.fetch).pages(path, query, "application/json")
            for item in page.get("items") or []]


def event_time(event: dict[str, Any]) -> datetime:
    """``eventTime()``: the series' last observation, else lastTimestamp, else eventTime."""
    series = event.get("series") or {}
    for text in (series.get("lastObservedTime"), event.get("lastTimestamp"), event.get("eventTime")):
        if (moment := parse_time(text)) != ZERO_TIME:
            return moment
    return ZERO_TIME


def _interval(event: dict[str, Any], now: datetime) -> str:
    since = Clock(now).since
    first = since(event.get("eventTime")) if event.get("eventTime") else since(event.get("firstTimestamp"))
    if series := event.get("series"):
        return f"{since(series.get('lastObservedTime'))} (x{series.get('count', 0)} over {first})"
    if (event.get("count") or 0) > 1:
        return f"{since(event.get('lastTimestamp'))} (x{event['count']} over {first})"
    return first


def _row(event: dict[str, Any], all_namespaces: bool, now: datetime) -> str:
    involved = event.get("involvedObject") or {}
    cells = [_interval(event, now), escape_terminal(event.get("type", "")), escape_terminal(event.get("reason", "")),
             f"{escape_terminal(involved.get('kind', ''))}/{escape_terminal(involved.get('name', ''))}",
             escape_terminal(str(event.get("message", "")).strip())]
    namespace = [event.get("metadata", {}).get("namespace", "")] if all_namespaces else []
    return "\t".join([*namespace, *cells]) + "\n"
