"""What the API server serves, and what a user's ``kubectl get TYPE`` argument means on it.

Resource resolution follows kubectl v1.34 (client-go ``restmapper``
shortcut/category expansion and priority mapping); discovery reads aggregated
discovery (legacy fallback) as kubectl does. Nothing here talks to a cluster by
itself: every request goes through the ``fetch`` function it is given (the
cluster client's), so this port of kubectl never imports the cluster client.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import quote

from ._tables import TableData

__all__ = [
    "DISCOVERY_ACCEPT",
    "TABLE_ACCEPT",
    "ApiError",
    "Discovery",
    "Fetch",
    "GetError",
    "Requester",
    "ResourceType",
    "discover",
    "parse_warning_headers",
]

Fetch = Callable[[str, list[tuple[str, str]], str], tuple[int, "bytes | str", Any]]
"""GET ``path`` with ``query`` and an Accept header; answer ``(status, body, headers)``, never raise on non-2xx."""

TABLE_ACCEPT = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,"
    "application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
    "application/json"
)
DISCOVERY_ACCEPT = (
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json"
)
class GetError(Exception):
    """A usage or resolution error kubectl reports before any request."""


class ApiError(Exception):
    """A failed API request, formatted the way kubectl reports it.

    Attributes:
        status: The HTTP status code.
        body: The response body (a ``Status`` JSON for API errors).
        context: kubectl's prefix for failed lists (``Unable to list "...": ``).
    """

    def __init__(self, status: int, body: bytes | str | None, context: str = "") -> None:
        self.status = status
        self.body = body.decode("utf-8", "replace") if isinstance(body, bytes) else body or ""
        self.context = context
        super().__init__(self.kubectl_message())

    @property
    def api_status(self) -> dict[str, Any]:
        """The decoded ``Status`` object, or ``{}`` when the body is not one."""
        try:
            status = json.loads(self.body)
        except ValueError:
            return {}
        return status if isinstance(status, dict) and status.get("kind") == "Status" else {}

    @property
    def reason(self) -> str:
        """The Status reason (``NotFound``, ``Forbidden``...), or ``""``."""
        reason: str = self.api_status.get("reason", "")
        return reason

    def kubectl_message(self) -> str:
        """Return kubectl's one-line message (``Error from server (NotFound): ...``)."""
        status = self.api_status
        if not status:
            return f"Error from server: {self.context}{self.body.strip() or f'HTTP {self.status}'}"
        reason, message = status.get("reason", ""), self.context + status.get("message", "")
        if reason == "Unauthorized":
            return f"error: You must be logged in to the server ({message})"
        if reason:
            return f"Error from server ({reason}): {message}"
        return f"Error from server: {message}"


@dataclass(frozen=True)
class ResourceType:
    """One resource of one group/version, as API discovery describes it."""

    group: str
    version: str
    plural: str
    namespaced: bool
    kind: str
    singular: str = ""
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def singular_or_guess(self) -> str:
        """The singular name, guessed from the kind when discovery omits it."""
        return self.singular or self.kind.lower()

    @property
    def api_version(self) -> str:
        """``apiVersion`` as manifests write it: ``v1``, ``apps/v1``."""
        return f"{self.group}/{self.version}" if self.group else self.version

    def path(self, namespace: str | None = None, name: str | None = None) -> str:
        """Return the API path for a list (no name) or for one object."""
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if self.namespaced and namespace:
            base += f"/namespaces/{quote(namespace, safe='')}"
        base += f"/{self.plural}"
        return f"{base}/{quote(name, safe='')}" if name else base

    def table_data(self, table: dict[str, Any]) -> TableData:
        """Wrap a Table fetched for this resource for :func:`format_tables`."""
        return TableData(table, self.kind, self.group, self.version, self.plural, self.namespaced)


@dataclass(frozen=True)
class Discovery:
    """Server resources in discovery order, with kubectl's priority rules.

    Attributes:
        resources: Every top-level resource, group by group (core first),
            each group's versions in discovery order.
        preferred: Each group's preferred version.
    """

    resources: tuple[ResourceType, ...]
    preferred: dict[str, str] = field(default_factory=dict)

    def resolve(self, arg: str, warnings: list[str] | None = None) -> ResourceType:
        """Map ``svc``, ``deployments.apps``, ``hpa.v1.autoscaling``... to a resource.

        Args:
            arg: The resource as typed.
            warnings: Receives kubectl's ambiguous short name warnings.

        Raises:
            GetError: When no resource or kind matches.
        """
        parts = arg.split(".", 2)
        resource, group = parts[0], ".".join(parts[1:])
        found = None
        if len(parts) == 3:
            found = self._expanded_kind_for(parts[0], parts[1], parts[2], warnings)
        if found is None:
            found = self._expanded_kind_for(resource, "", group, warnings)
        if found is None:
            found = self._by_kind(arg)
        if found is None:
            raise GetError(f'the server doesn\'t have a resource type "{resource}"')
        return found

    def expand_categories(self, arg: str) -> str:
        """Replace category names (``all``) in a comma list, like ``ReplaceAliases``."""
        return ",".join(self._expand_category(item) for item in arg.split(","))

    def _expand_category(self, item: str) -> str:
        members = [r for r in self.resources if item in r.categories]
        if not members:
            return item
        return ",".join(f"{r.plural}.{r.group}" if r.group else r.plural for r in members)

    def _expanded_kind_for(
        self, resource: str, version: str, group: str, warnings: list[str] | None
    ) -> ResourceType | None:
        """client-go's shortcutExpander.KindFor: expand, match, expand again on no match."""
        found = self._kind_for(*self._expand(resource, version, group, warnings))
        if found is None:
            found = self._kind_for(*self._expand(resource, version, group, warnings))
        return found

    def _expand(
        self, resource: str, version: str, group: str, warnings: list[str] | None = None
    ) -> tuple[str, str, str]:
        """Port of client-go's shortcut expander (exact names win over short names)."""
        in_group = [r for r in self.resources if not group or r.group == group]
        if any(resource in (r.plural, r.singular) for r in in_group):
            return resource, version, group
        shortened = [r for r in in_group if resource in r.short_names]
        if shortened:
            first = shortened[0]
            if warnings is not None:
                warnings += _ambiguous_short_name(resource, first, shortened[1:])
            return first.plural, "", first.group
        if group:
            for r in self.resources:
                if r.group.startswith(group) and resource in r.short_names:
                    return r.plural, version, r.group
        return resource, version, group

    def _kind_for(self, resource: str, version: str, group: str) -> ResourceType | None:
        """Best match of a (possibly partial) group/version/resource by priority."""
        lowered = resource.lower()
        matches = [
            r
            for r in self.resources
            if (not group or r.group == group)
            and (not version or r.version == version)
            and lowered in (r.plural, r.singular_or_guess)
        ]
        return min(matches, key=self._rank, default=None)

    def _by_kind(self, arg: str) -> ResourceType | None:
        """Fallback on ``Kind[.version].group`` matching, as kubectl's mappingFor does."""
        parts = arg.split(".", 2)
        candidates = [(parts[0], "", ".".join(parts[1:]))]
        if len(parts) == 3:
            candidates.insert(0, (parts[0], parts[1], parts[2]))
        for kind, version, group in candidates:
            matches = [
                r
                for r in self.resources
                if r.group == group
                and (not version or r.version == version)
                and kind in (r.kind, r.kind.lower())
            ]
            if matches:
                return min(matches, key=self._rank)
        return None

    def _rank(self, resource: ResourceType) -> tuple[int, int, int]:
        """Priority: core v1, then groups in order, preferred version first."""
        preferred = self.preferred.get(resource.group) == resource.version
        group_rank, version_rank = self._order[(resource.group, resource.version)]
        return (group_rank, 0 if preferred else 1, version_rank)

    @cached_property
    def _order(self) -> dict[tuple[str, str], tuple[int, int]]:
        """Discovery position of each group, and of each version in its group."""
        groups: dict[str, list[str]] = {}
        for r in self.resources:
            versions = groups.setdefault(r.group, [])
            if r.version not in versions:
                versions.append(r.version)
        return {
            (group, version): (group_rank, version_rank)
            for group_rank, (group, versions) in enumerate(groups.items())
            for version_rank, version in enumerate(versions)
        }


def _ambiguous_short_name(short: str, chosen: ResourceType, others: list[ResourceType]) -> list[str]:
    """kubectl's warnings for other resources sharing a short name, once each."""
    chosen_key = (chosen.group, chosen.plural)
    keys = dict.fromkeys((r.group, r.plural) for r in others if (r.group, r.plural) != chosen_key)
    return [
        f'short name "{short}" could also match lower priority resource {plural}{"." + group if group else ""}'
        for group, plural in keys
    ]


class Requester:
    """GETs through the ``fetch`` it is given, collecting Warning headers like kubectl."""

    def __init__(self, fetch: Fetch, warnings: list[str] | None = None) -> None:
        self.fetch = fetch
        self.warnings = warnings if warnings is not None else []

    def get_json(self, path: str, query: Sequence[tuple[str, str]] = (), accept: str = TABLE_ACCEPT) -> dict[str, Any]:
        """GET ``path`` and decode the JSON body.

        Raises:
            ApiError: On a non-2xx answer.
        """
        status, body, headers = self.fetch(path, list(query), accept)
        self._collect_warnings(headers)
        if not 200 <= status <= 299:
            raise ApiError(status, body)
        decoded: dict[str, Any] = json.loads(body)
        return decoded

    def pages(self, path: str, query: Sequence[tuple[str, str]],
              accept: str = TABLE_ACCEPT) -> Iterator[dict[str, Any]]:
        """GET a list chunk by chunk, following its ``continue`` tokens (cli-runtime's ``FollowContinue``)."""
        token: str | None = ""
        while True:
            page = self.get_json(path, [*query, ("continue", token)] if token else query, accept)
            yield page
            if not (token := (page.get("metadata") or {}).get("continue")):
                return

    def discover(self) -> Discovery:
        """The server's resources (see :func:`discover`), warnings collected here."""
        return _discover(self)

    def _collect_warnings(self, headers: Any) -> None:
        if headers is None:
            return
        values = headers.getlist("Warning") if hasattr(headers, "getlist") else [headers.get("Warning")]
        for message in parse_warning_headers(v for v in values if v):
            if message not in self.warnings:
                self.warnings.append(message)


def parse_warning_headers(values: Iterable[str]) -> list[str]:
    """Return the texts of code-299 warnings in HTTP ``Warning`` header values.

    Port of apimachinery's ``ParseWarningHeaders`` (``299 - "text"``, comma
    separated, backslash escapes); malformed headers stop parsing, as in Go.
    """
    texts: list[str] = []
    for header in values:
        rest = header
        while rest.strip():
            parsed = _parse_one_warning(rest)
            if parsed is None:
                break
            code, text, rest = parsed
            if code == 299 and text:
                texts.append(text)
    return texts


def _parse_one_warning(header: str) -> tuple[int, str, str] | None:
    """Parse ``code agent "text" ["date"]`` and return code, text, remainder."""
    parts = header.strip().split(" ", 2)
    if len(parts) != 3 or not (parts[0].isdigit() and len(parts[0]) == 3) or not parts[1]:
        return None
    text, rest = _parse_quoted(parts[2])
    if text is None:
        return None
    if rest.startswith('"'):
        end = rest.find('"', 1)
        if end < 0:
            return None
        rest = rest[end + 1 :]
    rest = rest.lstrip()
    if rest and not rest.startswith(","):
        return None
    return int(parts[0]), text, rest[1:]


def _parse_quoted(text: str) -> tuple[str | None, str]:
    """Read a backslash-escaped quoted string; return it and what follows."""
    if not text.startswith('"'):
        return None, text
    out: list[str] = []
    escaped = False
    for index, ch in enumerate(text[1:], start=1):
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            return "".join(out), text[index + 1 :].lstrip()
        else:
            out.append(ch)
    return None, text


def discover(fetch: Fetch) -> Discovery:
    """Read the server's resources through aggregated discovery (legacy fallback).

    Args:
        fetch: How to GET from the API server (the cluster client's ``fetch``).

    Returns:
        The resources in kubectl's discovery order.
    """
    return _discover(Requester(fetch))


def _discover(client: Requester) -> Discovery:
    core = client.get_json("/api", accept=DISCOVERY_ACCEPT)
    groups = client.get_json("/apis", accept=DISCOVERY_ACCEPT)
    if core.get("kind") == "APIGroupDiscoveryList":
        items = [*core.get("items", []), *groups.get("items", [])]
        return _from_aggregated(items)
    return _from_legacy(client, core, groups)


def _from_aggregated(items: list[dict[str, Any]]) -> Discovery:
    """Build a Discovery from ``APIGroupDiscovery`` items (first version is preferred)."""
    resources: list[ResourceType] = []
    preferred: dict[str, str] = {}
    for item in items:
        group = (item.get("metadata") or {}).get("name", "")
        versions = [v for v in item.get("versions") or [] if v.get("freshness") != "Stale"]
        for version in versions:
            preferred.setdefault(group, version["version"])
            resources += _aggregated_resources(group, version)
    return Discovery(tuple(resources), preferred)


def _aggregated_resources(group: str, version: dict[str, Any]) -> list[ResourceType]:
    out = []
    for r in version.get("resources") or []:
        kind = (r.get("responseKind") or {}).get("kind")
        if kind:
            out.append(
                ResourceType(
                    group=group,
                    version=version["version"],
                    plural=r["resource"],
                    namespaced=r.get("scope") == "Namespaced",
                    kind=kind,
                    singular=r.get("singularResource", ""),
                    short_names=tuple(r.get("shortNames") or ()),
                    categories=tuple(r.get("categories") or ()),
                )
            )
    return out


def _from_legacy(client: Requester, core: dict[str, Any], groups: dict[str, Any]) -> Discovery:
    """Build a Discovery from ``/api``, ``/apis`` and one request per group version."""
    listed = [("", v, f"/api/{v}") for v in core.get("versions", [])]
    preferred = {"": core["versions"][0]} if core.get("versions") else {}
    for group in groups.get("groups", []):
        preferred[group["name"]] = (group.get("preferredVersion") or {}).get("version", "")
        listed += [(group["name"], v["version"], f"/apis/{v['groupVersion']}") for v in group.get("versions", [])]
    resources: list[ResourceType] = []
    for group_name, version, path in listed:
        for r in client.get_json(path, accept="application/json").get("resources", []):
            if "/" not in r["name"]:
                resources.append(_legacy_resource(group_name, version, r))
    return Discovery(tuple(resources), preferred)


def _legacy_resource(group: str, version: str, r: dict[str, Any]) -> ResourceType:
    return ResourceType(
        group=group,
        version=version,
        plural=r["name"],
        namespaced=bool(r.get("namespaced")),
        kind=r.get("kind", ""),
        singular=r.get("singularName", ""),
        short_names=tuple(r.get("shortNames") or ()),
        categories=tuple(r.get("categories") or ()),
    )
