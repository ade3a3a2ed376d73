"""``kubectl get`` as text: requests planned as cli-runtime's ``resource.Builder`` plans them, server-side
Tables fetched in chunks, and printed by :mod:`reportgen._kubectl._tables` (kubectl v1.34).

Requests go through the ``fetch`` function given (the cluster client's); this
module never imports the cluster client.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ._commands import GetArgs
from ._discovery import ApiError, Discovery, Fetch, GetError, Requester, ResourceType
from ._tables import TableData, TableOptions, format_tables, multiple_kinds, no_resources_message

__all__ = ["CHUNK_SIZE", "GetArgs", "GetError", "GetOutput", "get_text", "plan_visits"]

CHUNK_SIZE = 500
_ALL_NAMESPACES_BY_NAME = "a resource cannot be retrieved by name across all namespaces"


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


def _fetch(client: Requester, visit: _Visit, args: GetArgs) -> Iterator[dict[str, Any]]:
    """Run one visit; a list yields its chunks, one Table each, as they arrive."""
    resource = visit.resource
    path = resource.path(visit.namespace, visit.name)
    include = [("includeObject", "Object" if args.sort_by else "Metadata")]
    if visit.name:
        yield _expect_table(client.get_json(path, include))
        return
    try:
        for chunk in client.pages(path, list_query(args, include)):
            yield _expect_table(chunk)
    except ApiError as exc:
        raise _list_error(exc, resource, args.selector, args.field_selector) from exc


def list_query(args: GetArgs, include: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """A list request's query: chunked, with the label and field selectors given."""
    query = [*(include or []), ("limit", str(CHUNK_SIZE))]
    if args.selector:
        query.append(("labelSelector", args.selector))
    if args.field_selector is not None:
        query.append(("fieldSelector", args.field_selector))
    return query


def _list_error(exc: ApiError, resource: ResourceType, label_selector: str | None,
                field_selector: str | None = None) -> ApiError:
    """Add the context kubectl's ``EnhanceListError`` gives NotFound/BadRequest lists."""
    if exc.reason not in ("NotFound", "BadRequest"):
        return exc
    subject = f"{resource.group}/{resource.version}, Resource={resource.plural}"
    if label_selector or field_selector:
        context = (f'Unable to find "{subject}" that match label selector "{label_selector or ""}", '
                   f'field selector "{field_selector or ""}": ')
    else:
        context = f'Unable to list "{subject}": '
    return ApiError(exc.status, exc.body, context)


def _expect_table(doc: dict[str, Any]) -> dict[str, Any]:
    if doc.get("kind") != "Table":
        raise ApiError(0, f"server did not return a Table (got {doc.get('kind')!r})")
    return doc


def get_text(fetch: Fetch, args: GetArgs, *, discovery: Discovery | None = None) -> GetOutput:
    """Produce what ``kubectl get`` prints for ``args``, without running kubectl.

    Args:
        fetch: How to GET from the API server (the cluster client's ``fetch``).
        args: The get arguments.
        discovery: Reuse an earlier :func:`discover` result.

    Returns:
        stdout, stderr (warnings, "No resources found", errors), the raw
        Tables and kubectl's exit code.
    """
    client = Requester(fetch)
    discovery = discovery or client.discover()
    resolution: list[str] = []
    try:
        visits = plan_visits(discovery, args, resolution)
    except GetError as exc:
        stderr = _stderr([*client.warnings, *resolution], [f"error: {exc}"])
        return GetOutput("", stderr, [], 1, leading=len(stderr))
    fetched, errors = _run_visits(client, visits, args)
    stdout = format_tables(fetched, table_options(args, multiple_kinds(fetched)))
    message = ""
    if not stdout and not errors:
        namespaced = all(v.resource.namespaced for v in visits)
        message = no_resources_message(args.namespace, args.all_namespaces, namespaced=namespaced)
    leading = _stderr([*resolution, *client.warnings], [])
    return GetOutput(stdout, leading + _stderr([], errors, message), [t.table for t in fetched],
                     1 if errors else 0, fetched, leading=len(leading))


def table_options(args: GetArgs, show_kind: bool) -> TableOptions:
    """The table printer's options for ``args``."""
    return TableOptions(wide=args.wide, all_namespaces=args.all_namespaces, show_kind=show_kind,
                        no_headers=args.no_headers, label_columns=tuple(args.label_columns),
                        show_labels=args.show_labels)


def _run_visits(
    client: Requester, visits: list[_Visit], args: GetArgs
) -> tuple[list[TableData], list[str]]:
    """Fetch every visit, continuing past failures as kubectl does."""
    fetched: list[TableData] = []
    errors: list[str] = []
    for visit in visits:
        try:
            for table in _fetch(client, visit, args):
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
