"""Resolve what a user types to ``kubectl get`` and fetch server-side Tables.

Resource resolution follows kubectl v1.34 (client-go ``restmapper``
shortcut/category expansion and priority mapping, cli-runtime
``resource.Builder`` argument rules); the text output comes from
:mod:`reportgen._tables`. Nothing here runs kubectl: every request goes
through the official client's :class:`kubernetes.client.ApiClient`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import quote

from kubernetes.client.exceptions import ApiException

from reportgen._commands import GetArgs
from reportgen._http import send
from reportgen._tables import TableData, format_tables, multiple_kinds, no_resources_message

__all__ = [
    "ApiError",
    "DISCOVERY_ACCEPT",
    "Discovery",
    "GetArgs",
    "GetError",
    "GetOutput",
    "ResourceType",
    "context_namespace",
    "discover",
    "fetch_table",
    "get_text",
    "parse_warning_headers",
    "plan_visits",
    "TABLE_ACCEPT",
]

TABLE_ACCEPT = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,"
    "application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
    "application/json"
)
DISCOVERY_ACCEPT = (
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json"
)
CHUNK_SIZE = 500
_ALL_NAMESPACES_BY_NAME = "a resource cannot be retrieved by name across all namespaces"


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
        return self.api_status.get("reason", "")

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


@dataclass
class GetOutput:
    """What ``kubectl get`` would write, plus the raw Tables behind it.

    Attributes:
        stdout: The tables' text.
        stderr: ``Warning:`` lines, "No resources found", error lines.
        tables: The Table JSON of every successful request, in order.
        exit_code: kubectl's exit code (1 when any request failed).
        sources: The same tables with their REST mappings.
        leading: How much of ``stderr`` kubectl writes before the tables
            (warnings print as responses arrive; notices and errors after).
    """

    stdout: str
    stderr: str
    tables: list[dict[str, Any]]
    exit_code: int = 0
    sources: list[TableData] = field(default_factory=list)
    leading: int = 0

    def streams(self) -> list[tuple[str, str]]:
        """stdout and stderr in the order kubectl writes them."""
        return [("stderr", self.stderr[: self.leading]), ("stdout", self.stdout),
                ("stderr", self.stderr[self.leading :])]


@dataclass(frozen=True)
class _Visit:
    """One request kubectl's builder would make: a list, or one named object."""

    resource: ResourceType
    namespace: str | None
    name: str | None = None


class _Client:
    """GETs through an ApiClient, collecting Warning headers like kubectl."""

    def __init__(self, api_client: Any, warnings: list[str] | None = None) -> None:
        self.api_client = api_client
        self.warnings = warnings if warnings is not None else []

    def get_json(self, path: str, query: Sequence[tuple[str, str]] = (), accept: str = TABLE_ACCEPT) -> dict[str, Any]:
        """GET ``path`` and decode the JSON body.

        Raises:
            ApiError: On a non-2xx answer.
        """
        status, body, headers = self._request(path, list(query), accept)
        self._collect_warnings(headers)
        if not 200 <= status <= 299:
            raise ApiError(status, body)
        return json.loads(body)

    def _request(self, path: str, query: list[tuple[str, str]], accept: str) -> tuple[int, bytes, Any]:
        try:
            response = send(self.api_client, "GET", path, query=query, accept=accept)
        except ApiException as exc:  # older clients raise on non-2xx
            return exc.status or 0, exc.body or b"", exc.headers
        body = response.read() if hasattr(response, "read") else response.data
        return response.status, body, response.getheaders()

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


def discover(api_client: Any) -> Discovery:
    """Read the server's resources through aggregated discovery (legacy fallback).

    Args:
        api_client: A configured :class:`kubernetes.client.ApiClient`.

    Returns:
        The resources in kubectl's discovery order.
    """
    return _discover(_Client(api_client))


def _discover(client: _Client) -> Discovery:
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


def _from_legacy(client: _Client, core: dict[str, Any], groups: dict[str, Any]) -> Discovery:
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


def fetch_table(
    api_client: Any,
    resource: ResourceType | str,
    *,
    namespace: str | None = None,
    all_namespaces: bool = False,
    label_selector: str | None = None,
    names: Sequence[str] = (),
    warnings: list[str] | None = None,
) -> dict[str, Any]:
    """Fetch the server-side Table for one resource type.

    A list request (in chunks of 500) when ``names`` is empty, one GET per
    name otherwise; the rows of all responses are merged in order.

    Args:
        api_client: A configured :class:`kubernetes.client.ApiClient`.
        resource: A resolved type, or what a user would type (``svc``).
        namespace: Namespace for namespaced types; None means ``default``.
        all_namespaces: List across all namespaces (lists only).
        label_selector: ``-l`` selector for lists.
        names: Object names to get one by one.
        warnings: A list that receives server Warning texts, deduplicated.

    Returns:
        The meta.k8s.io/v1 Table JSON.

    Raises:
        ApiError: When a request fails.
        GetError: When ``resource`` cannot be resolved.
    """
    client = _Client(api_client, warnings)
    if isinstance(resource, str):
        resource = _discover(client).resolve(resource)
    target = None if all_namespaces and not names else namespace or "default"
    visits = [_Visit(resource, target, name) for name in names] or [_Visit(resource, target)]
    return _merge_tables([chunk for visit in visits for chunk in _fetch(client, visit, label_selector)])


def _fetch(client: _Client, visit: _Visit, label_selector: str | None) -> Iterator[dict[str, Any]]:
    """Run one visit; a list yields its chunks, one Table each, as they arrive."""
    resource = visit.resource
    path = resource.path(visit.namespace, visit.name)
    if visit.name:
        yield _expect_table(client.get_json(path, [("includeObject", "Metadata")]))
        return
    query = [("includeObject", "Metadata"), ("limit", str(CHUNK_SIZE))]
    if label_selector:
        query.append(("labelSelector", label_selector))
    token = ""
    while True:
        try:
            chunk = _expect_table(client.get_json(path, [*query, ("continue", token)] if token else query))
        except ApiError as exc:
            raise _list_error(exc, resource, label_selector) from exc
        yield chunk
        if not (token := (chunk.get("metadata") or {}).get("continue")):
            return


def _list_error(exc: ApiError, resource: ResourceType, label_selector: str | None) -> ApiError:
    """Add the context kubectl's ``EnhanceListError`` gives NotFound/BadRequest lists."""
    if exc.reason not in ("NotFound", "BadRequest"):
        return exc
    subject = f"{resource.group}/{resource.version}, Resource={resource.plural}"
    if label_selector:
        context = f'Unable to find "{subject}" that match label selector "{label_selector}", field selector "": '
    else:
        context = f'Unable to list "{subject}": '
    return ApiError(exc.status, exc.body, context)


def _expect_table(doc: dict[str, Any]) -> dict[str, Any]:
    if doc.get("kind") != "Table":
        raise ApiError(0, f"server did not return a Table (got {doc.get('kind')!r})")
    return doc


def _merge_tables(tables: list[dict[str, Any]]) -> dict[str, Any]:
    """Concatenate the rows of same-typed Tables into the first one."""
    merged = dict(tables[0])
    merged["rows"] = [row for table in tables for row in table.get("rows") or []]
    return merged


def get_text(api_client: Any, args: GetArgs, *, discovery: Discovery | None = None) -> GetOutput:
    """Produce what ``kubectl get`` prints for ``args``, without running kubectl.

    Args:
        api_client: A configured :class:`kubernetes.client.ApiClient`.
        args: The get arguments.
        discovery: Reuse an earlier :func:`discover` result.

    Returns:
        stdout, stderr (warnings, "No resources found", errors), the raw
        Tables and kubectl's exit code.
    """
    client = _Client(api_client)
    discovery = discovery or _discover(client)
    resolution: list[str] = []
    try:
        visits = plan_visits(discovery, args, resolution)
    except GetError as exc:
        stderr = _stderr([*client.warnings, *resolution], [f"error: {exc}"])
        return GetOutput("", stderr, [], 1, leading=len(stderr))
    fetched, errors = _run_visits(client, visits, args.selector)
    stdout = format_tables(
        fetched,
        wide=args.wide,
        all_namespaces=args.all_namespaces,
        show_kind=multiple_kinds(fetched),
    )
    message = ""
    if not stdout and not errors:
        namespaced = all(v.resource.namespaced for v in visits)
        message = no_resources_message(args.namespace, args.all_namespaces, namespaced=namespaced)
    leading = _stderr([*resolution, *client.warnings], [])
    return GetOutput(stdout, leading + _stderr([], errors, message), [t.table for t in fetched],
                     1 if errors else 0, fetched, leading=len(leading))


def _run_visits(
    client: _Client, visits: list[_Visit], selector: str | None
) -> tuple[list[TableData], list[str]]:
    """Fetch every visit, continuing past failures as kubectl does."""
    fetched: list[TableData] = []
    errors: list[str] = []
    for visit in visits:
        try:
            for table in _fetch(client, visit, selector):
                fetched.append(visit.resource.table_data(table))
        except ApiError as exc:
            errors.append(exc.kubectl_message())
    return fetched, errors


def _stderr(warnings: list[str], errors: list[str], message: str = "") -> str:
    """Assemble stderr: warnings as they arrived, the notice, then errors."""
    lines = [f"Warning: {w}\n" for w in warnings] + [message] + [f"{e}\n" for e in errors]
    return "".join(lines)


def plan_visits(discovery: Discovery, args: GetArgs, warnings: list[str] | None = None) -> list[_Visit]:
    """Turn get arguments into requests, following cli-runtime's Builder.

    Args:
        discovery: The server's resources.
        args: The get arguments.
        warnings: Receives resolution warnings (ambiguous short names).

    Raises:
        GetError: For the argument errors kubectl reports before any request.
    """
    argv = _normalize_multiple(args.positional())
    if not argv:
        raise GetError("Required resource not specified.")
    namespace = "" if args.all_namespaces else args.namespace or "default"
    selector = (args.selector or "").strip() or None
    slashed = sum("/" in a for a in argv)
    if slashed:
        if slashed != len(argv):
            raise GetError(_MIXED_FORMS)
        if selector is not None:
            raise GetError("selectors and the all flag cannot be used when passing resource/name arguments")
        return _visits_by_tuples(discovery, [_split_tuple(a) for a in argv], namespace, warnings)
    types = _split_resource_argument(discovery.expand_categories(argv[0]))
    names = argv[1:]
    if not names:
        resources = _unique_mappings(discovery, types, warnings)
        return [_Visit(r, namespace if r.namespaced else None) for r in resources]
    if selector is not None:
        raise GetError("name cannot be provided when a selector is specified")
    if len(types) > 1:
        raise GetError("you must specify only one resource")
    return _visits_by_tuples(discovery, [(types[0], n) for n in names], namespace, warnings)


_MIXED_FORMS = (
    "there is no need to specify a resource type as a separate argument when passing arguments "
    "in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of "
    "'kubectl get resource resource/<resource_name>'"
)


def _normalize_multiple(argv: list[str]) -> list[str]:
    """``a,b x y`` becomes ``a/x a/y b/x b/y`` (normalizeMultipleResourcesArgs)."""
    if len(argv) < 2:
        return argv
    types = _split_resource_argument(argv[0])
    if len(types) < 2:
        return argv
    return [f"{t}/{name}" for t in types for name in argv[1:]]


def _split_resource_argument(arg: str) -> list[str]:
    """Split a comma list, dropping repeats but keeping order."""
    return list(dict.fromkeys(arg.split(",")))


def _split_tuple(arg: str) -> tuple[str, str]:
    """Split ``type/name``, with kubectl's error messages."""
    parts = arg.split("/")
    if len(parts) != 2:
        raise GetError("arguments in resource/name form may not have more than one slash")
    resource, name = parts
    if not resource or not name or len(_split_resource_argument(resource)) != 1:
        raise GetError("arguments in resource/name form must have a single resource and name")
    return resource, name


def _unique_mappings(discovery: Discovery, types: list[str], warnings: list[str] | None) -> list[ResourceType]:
    """Resolve types, dropping ones that map to an already seen kind."""
    seen: dict[tuple[str, str, str], ResourceType] = {}
    for typed in types:
        resource = discovery.resolve(typed, warnings)
        seen.setdefault((resource.group, resource.version, resource.kind), resource)
    return list(seen.values())


def _visits_by_tuples(
    discovery: Discovery, tuples: list[tuple[str, str]], namespace: str, warnings: list[str] | None
) -> list[_Visit]:
    """One GET per (type, name), in the order given."""
    mappings: dict[str, ResourceType] = {}
    for typed, _ in tuples:
        if typed not in mappings:
            mappings[typed] = discovery.resolve(typed, warnings)
    visits = []
    for typed, name in tuples:
        resource = mappings[typed]
        if resource.namespaced and not namespace:
            raise GetError(_ALL_NAMESPACES_BY_NAME)
        visits.append(_Visit(resource, namespace if resource.namespaced else None, name))
    return visits


def context_namespace(config_file: str | None = None, context: str | None = None) -> str:
    """Return the namespace of a kubeconfig context (``default`` when unset).

    Args:
        config_file: Kubeconfig path; None uses ``KUBECONFIG`` or ``~/.kube/config``.
        context: Context name; None uses the current context.
    """
    from kubernetes import config

    contexts, active = config.list_kube_config_contexts(config_file)
    chosen = next((c for c in contexts if c["name"] == context), active) if context else active
    return (chosen or {}).get("context", {}).get("namespace") or "default"
