"""``kubectl get -o yaml|json|name|jsonpath=...|custom-columns=...``: objects, not Tables (kubectl v1.34).

Requests are planned as for tables (:func:`reportgen._kubectl._get.plan_visits`)
but fetched as JSON; what kubectl's ``printGeneric`` (``pkg/cmd/get/get.go``)
hands the printer is the one object a request named, or a ``List`` of all of
them; the JSON and YAML printers drop managedFields (jsonpath, custom-columns
and name see them, as in kubectl). ``--sort-by`` orders the objects by a JSONPath as
kubectl's ``RuntimeSort`` does for the values a lab sorts by (numbers, strings,
timestamps). Failed requests are reported after the output, as kubectl does.

The object printers load when an object format is asked for: a table preview
does without them.
"""

from __future__ import annotations

from typing import Any

from ._commands import GetArgs
from ._discovery import ApiError, Discovery, Fetch, GetError, Requester
from ._get import GetOutput, _list_error, get_text, list_query, plan_visits, table_options
from ._tables import format_tables, multiple_kinds

__all__ = ["OBJECT_FORMATS", "get_objects_text", "get_output", "sort_objects"]

OBJECT_FORMATS = ("yaml", "json", "name", "jsonpath=", "jsonpath-as-json=", "custom-columns=")


def get_output(fetch: Fetch, args: GetArgs, *, discovery: Discovery | None = None) -> GetOutput:
    """What ``kubectl get ARGS`` prints, in any output format: tables, or objects."""
    if args.output and args.output.startswith(OBJECT_FORMATS):
        return get_objects_text(fetch, args, discovery=discovery)
    output = get_text(fetch, args, discovery=discovery)
    if args.sort_by:
        for data in output.sources:
            rows = data.table.get("rows") or []
            objects = [row.get("object") or {} for row in rows]
            data.table["rows"] = [rows[i] for i in _positions(sort_objects(objects, args.sort_by), objects)]
        output.stdout = format_tables(output.sources, table_options(args, multiple_kinds(output.sources)))
    return output


def _positions(order: list[dict[str, Any]], objects: list[dict[str, Any]]) -> list[int]:
    by_id = {id(obj): i for i, obj in enumerate(objects)}
    return [by_id[id(obj)] for obj in order]


def get_objects_text(fetch: Fetch, args: GetArgs, *, discovery: Discovery | None = None) -> GetOutput:
    """What ``kubectl get ARGS -o FORMAT`` prints, for the formats in :data:`OBJECT_FORMATS`."""
    from ._serialize import output_object

    client = Requester(fetch)
    discovery = discovery or client.discover()
    resolution: list[str] = []
    try:
        visits = plan_visits(discovery, args, resolution)
    except GetError as exc:
        stderr = "".join(f"Warning: {w}\n" for w in resolution) + f"error: {exc}\n"
        return GetOutput("", stderr, [], 1, leading=len(stderr))
    objects, errors = [], []
    for visit in visits:
        try:
            objects += _fetch(client, visit, args)
        except ApiError as exc:
            errors.append(exc.kubectl_message())
    implied = len(visits) == 1 and visits[0].name is not None
    stdout, failure = "", ""
    if objects or not errors:  # kubectl prints nothing when every request failed
        stdout, failure = _print(args, output_object(sort_objects(objects, args.sort_by), single_item_implied=implied))
    warnings = "".join(f"Warning: {w}\n" for w in [*resolution, *client.warnings])
    stderr = warnings + "".join(f"{e}\n" for e in [*errors, *([failure] if failure else [])])
    return GetOutput(stdout, stderr, [], 1 if errors or failure else 0, leading=len(warnings))


def _fetch(client: Requester, visit: Any, args: GetArgs) -> list[dict[str, Any]]:
    from ._serialize import list_items

    path = visit.resource.path(visit.namespace, visit.name)
    accept = "application/json"
    if visit.name:
        return [client.get_json(path, accept=accept)]
    try:
        return [item for page in client.pages(path, list_query(args), accept) for item in list_items(page)]
    except ApiError as exc:
        raise _list_error(exc, visit.resource, args.selector, args.field_selector) from exc


def _print(args: GetArgs, data: dict[str, Any]) -> tuple[str, str]:
    """(stdout, the error line or "") for one format."""
    from ._custom_columns import parse_custom_columns, print_custom_columns
    from ._jsonpath import PrintError, print_jsonpath
    from ._name import print_names
    from ._serialize import print_json, print_yaml

    output = args.output or ""
    try:
        if output == "yaml":
            return print_yaml(data), ""
        if output == "json":
            return print_json(data), ""
        if output == "name":
            return print_names(data), ""
        if output.startswith("custom-columns="):
            columns = parse_custom_columns(output.removeprefix("custom-columns="))
            return print_custom_columns(columns, data, no_headers=args.no_headers), ""
        template = output.partition("=")[2]
        return print_jsonpath(template, data, as_json=output.startswith("jsonpath-as-json=")), ""
    except PrintError as exc:
        return exc.stdout, exc.stderr.rstrip("\n")


def sort_objects(objects: list[dict[str, Any]], sort_by: str | None) -> list[dict[str, Any]]:
    """``--sort-by``: a stable sort on the first value the JSONPath finds (missing values first)."""
    if not sort_by:
        return objects
    from ._jsonpath import find_results, parse_jsonpath, relaxed_jsonpath_expression

    root = parse_jsonpath(relaxed_jsonpath_expression(sort_by))

    def key(obj: dict[str, Any]) -> tuple[int, Any]:
        found = [v for group in find_results(root, obj, allow_missing_keys=True) for v in group]
        if not found:
            return (0, "")
        value = found[0]
        return (1, value) if isinstance(value, (int, float)) and not isinstance(value, bool) else (2, str(value))

    return sorted(objects, key=key)
