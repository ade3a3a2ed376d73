"""``kubectl logs``, ported from k8s.io/kubectl v0.34.4.

``pkg/cmd/logs/logs.go`` (flags, ``--tail`` 10 with a selector, ``--prefix``),
``pkg/polymorphichelpers/logsforobject.go`` and ``attachablepodforobject.go``
(a workload's pod chosen by ``podutils.ByLogging``, "Found N pods, using ..."),
and ``pkg/cmd/util/podcmd/podcmd.go`` (the default container and its notice).
With ``--all-containers`` kubectl ranges over a Go map of requests, so its
container order varies; this port always takes init, app, then ephemeral
containers, in spec order.
"""

from __future__ import annotations

from typing import Any

from ._api import Api, Output, VerbError, seconds
from ._commands import LogsCommand
from ._discovery import ApiError

__all__ = ["by_logging", "logs"]

_DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"
_PHASE_RANK = {"Running": 0, "Unknown": 1, "Pending": 2}


def logs(api: Api, command: LogsCommand) -> Output:
    """What ``kubectl logs`` prints for ``command``."""
    out = Output()
    try:
        for pod in _pods(api, command, out):
            for container in _containers(pod, command, out):
                _stream(api, command, pod, container, out)
    except ApiError as exc:
        out.err(exc.kubectl_message())
    except VerbError as exc:
        out.err(f"error: {exc}")
    return out


def _pods(api: Api, command: LogsCommand, out: Output) -> list[dict[str, Any]]:
    pods = api.resolve("pods")
    if command.selector is not None:
        items = list(api.get(pods, query=[("labelSelector", command.selector)]).get("items", []))
        if not items:
            out.err(f"No resources found in {api.namespace} namespace.", fail=False)
        return items
    assert command.target is not None
    if command.target.resource == "pods":
        try:
            pod = api.get(pods, command.target.name)
            return [pod]
        except ApiError as exc:
            if exc.status != 404:
                raise
            raise VerbError(f"error from server (NotFound): {exc.api_status.get('message')} in namespace "
                            f'"{api.namespace}"') from None
    return [_workload_pod(api, command, out)]


def _workload_pod(api: Api, command: LogsCommand, out: Output) -> dict[str, Any]:
    """The pod kubectl picks for ``TYPE/NAME``: by the workload's selector, ``ByLogging`` first."""
    assert command.target is not None
    resource = api.resolve(command.target.typed or command.target.resource)
    workload = api.get(resource, command.target.name)
    labels = ((workload.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
    selector = ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
    items = list(api.get(api.resolve("pods"), query=[("labelSelector", selector)]).get("items", []))
    if not items:
        raise VerbError(f"no pods found for {command.target}")
    items.sort(key=by_logging)
    if len(items) > 1:
        out.err(f"Found {len(items)} pods, using pod/{items[0]['metadata']['name']}", fail=False)
    chosen: dict[str, Any] = items[0]
    return chosen


def _ready_time(pod: dict[str, Any]) -> str | None:
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready" and condition.get("status") == "True":
            return str(condition.get("lastTransitionTime") or "")
    return None


def _restarts(pod: dict[str, Any]) -> int:
    return max((c.get("restartCount", 0) for c in (pod.get("status") or {}).get("containerStatuses") or []), default=0)


def by_logging(pod: dict[str, Any]) -> tuple[int, int, int, str, int, str]:
    """``podutils.ByLogging`` as a sort key: assigned, running, ready, ready longer, more restarts, older first."""
    ready = _ready_time(pod)
    return (
        0 if (pod.get("spec") or {}).get("nodeName") else 1,
        _PHASE_RANK.get((pod.get("status") or {}).get("phase", ""), 3),
        0 if ready is not None else 1,
        ready or "~",
        -_restarts(pod),
        str(pod["metadata"].get("creationTimestamp") or "~"),
    )


def _containers(pod: dict[str, Any], command: LogsCommand, out: Output) -> list[str]:
    spec = pod.get("spec") or {}
    if command.all_containers:
        return [c["name"] for group in ("initContainers", "containers", "ephemeralContainers")
                for c in spec.get(group) or []]
    names = [c["name"] for group in ("containers", "initContainers", "ephemeralContainers")
             for c in spec.get(group) or []]
    if command.container is not None:
        if command.container not in names:
            raise VerbError(f"container {command.container} is not valid for pod {pod['metadata']['name']}")
        return [command.container]
    default = (pod["metadata"].get("annotations") or {}).get(_DEFAULT_CONTAINER)
    if default in names:
        return [str(default)]
    first = spec["containers"][0]["name"]
    if len(names) > 1:
        out.err(f'Defaulted container "{first}" out of: {_all_names(spec)}', fail=False)
    return [first]


def _all_names(spec: dict[str, Any]) -> str:
    names = [c["name"] for c in spec.get("containers") or []]
    names += [f"{c['name']} (ephem)" for c in spec.get("ephemeralContainers") or []]
    names += [f"{c['name']} (init)" for c in spec.get("initContainers") or []]
    return ", ".join(names)


def _stream(api: Api, command: LogsCommand, pod: dict[str, Any], container: str, out: Output) -> None:
    name = pod["metadata"]["name"]
    query = [("container", container)]
    tail = command.tail if command.tail is not None else (10 if command.selector is not None else -1)
    if tail >= 0:
        query.append(("tailLines", str(tail)))
    if command.since:
        query.append(("sinceSeconds", str(max(1, int(seconds(command.since, 0) + 0.999)))))
    query += [("timestamps", "true")] * command.timestamps + [("previous", "true")] * command.previous
    status, body, _headers = api.fetch(f"/api/v1/namespaces/{api.namespace}/pods/{name}/log", query, "*/*")
    if not 200 <= status <= 299:
        raise ApiError(status, body)
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if command.prefix:
        text = "".join(f"[pod/{name}/{container}] {line}" for line in text.splitlines(keepends=True))
    out.out(text)
