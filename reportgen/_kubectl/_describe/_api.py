"""The requests describers make for related objects, through the ``fetch`` they are given.

Ports the request shapes of k8s.io/kubectl v0.34.4 ``pkg/describe/describe.go``
(``searchEvents``, ``getPodsInChunks``, ``getPodStatusForController``) and
k8s.io/cli-runtime v0.34.4 ``pkg/resource/helper.go`` (``FollowContinue``,
``EnhanceListError``). Objects are the API's JSON, as dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .._discovery import ApiError, Requester
from ._clock import Clock
from ._selectors import field_selector

__all__ = ["CHUNK_SIZE", "JSON", "Context", "controller_of", "controller_uid", "error_text", "meta"]

CHUNK_SIZE = 500
JSON = "application/json"


def meta(obj: Mapping[str, Any]) -> dict[str, Any]:
    """An object's ``metadata`` (empty when absent)."""
    found: dict[str, Any] = obj.get("metadata") or {}
    return found


def controller_uid(obj: Mapping[str, Any]) -> str | None:
    """The UID of the owner reference marked ``controller`` (``metav1.GetControllerOf``)."""
    owner = controller_of(obj)
    return owner.get("uid", "") if owner else None


def controller_of(obj: Mapping[str, Any]) -> dict[str, Any] | None:
    """The owner reference marked ``controller``, if any."""
    for owner in meta(obj).get("ownerReferences") or []:
        if owner.get("controller"):
            found: dict[str, Any] = owner
            return found
    return None


def error_text(exc: ApiError) -> str:
    """Go's ``err.Error()`` for a failed request: the Status message (with list context)."""
    status = exc.api_status
    if status:
        return exc.context + str(status.get("message", ""))
    return exc.context + (exc.body.strip() or f"HTTP {exc.status}")


def _path(group: str, version: str, plural: str, namespace: str | None, name: str | None = None) -> str:
    base = f"/apis/{group}/{version}" if group else f"/api/{version}"
    if namespace:
        base += f"/namespaces/{quote(namespace, safe='')}"
    base += f"/{plural}"
    return f"{base}/{quote(name, safe='')}" if name else base


@dataclass
class Context:
    """What a describer needs: a client for related requests and a clock for ages."""

    client: Requester
    clock: Clock

    def get(self, group: str, version: str, plural: str, namespace: str | None, name: str) -> dict[str, Any]:
        """GET one object as JSON.

        Raises:
            ApiError: On a non-2xx answer.
        """
        return self.client.get_json(_path(group, version, plural, namespace, name), accept=JSON)

    def list_all(self, group: str, version: str, plural: str, namespace: str | None, *,
             labels: str = "", fields: str = "", chunked: bool = True,
             subject: str | None = None) -> list[dict[str, Any]]:
        """List every item, following ``continue`` tokens (``FollowContinue``).

        ``subject`` names the list in errors (default: the plural).

        Raises:
            ApiError: On a non-2xx answer, with ``EnhanceListError``'s context.
        """
        query = [(k, v) for k, v in (("labelSelector", labels), ("fieldSelector", fields)) if v]
        if chunked:
            query.append(("limit", str(CHUNK_SIZE)))
        items: list[dict[str, Any]] = []
        token = ""
        while True:
            page_query = [*query, ("continue", token)] if token else query
            try:
                page = self.client.get_json(_path(group, version, plural, namespace), page_query, accept=JSON)
            except ApiError as exc:
                raise _enhance_list_error(exc, subject or plural, labels, fields) from exc
            items += page.get("items") or []
            token = (page.get("metadata") or {}).get("continue") or ""
            if not token:
                return items

    def pods(self, namespace: str | None, *, labels: str = "", fields: str = "") -> list[dict[str, Any]]:
        """``getPodsInChunks``."""
        return self.list_all("", "v1", "pods", namespace, labels=labels, fields=fields)

    def events(self, obj: Mapping[str, Any], kind: str | None, uid: str | None = None) -> list[dict[str, Any]]:
        """``searchEvents``: events whose involvedObject is ``obj`` (no kind term when ``kind`` is None).

        Raises:
            ApiError: When the events cannot be listed.
        """
        metadata = meta(obj)
        namespace = metadata.get("namespace", "")
        terms = [("involvedObject.name", metadata.get("name", "")), ("involvedObject.namespace", namespace)]
        if kind:
            terms.append(("involvedObject.kind", kind))
        uid = metadata.get("uid", "") if uid is None else uid
        if uid:
            terms.append(("involvedObject.uid", uid))
        return self.list_all("", "v1", "events", namespace or None, fields=field_selector(terms))

    def events_or_empty(self, obj: Mapping[str, Any], kind: str | None,
                        uid: str | None = None) -> list[dict[str, Any]]:
        """``events, _ = searchEvents(...)``: kubectl ignores a failed search (and shows no events)."""
        try:
            return self.events(obj, kind, uid)
        except ApiError:
            return []


def _enhance_list_error(exc: ApiError, subject: str, labels: str, fields: str) -> ApiError:
    """``EnhanceListError``: NotFound and BadRequest list errors say what was listed."""
    if exc.reason not in ("NotFound", "BadRequest"):
        return exc
    if not labels and not fields:
        context = f'Unable to list "{subject}": '
    else:
        context = f'Unable to find "{subject}" that match label selector "{labels}", field selector "{fields}": '
    return ApiError(exc.status, exc.body, context)
