"""Waits that follow watch events: rollouts, readiness, endpoints.

Each wait re-lists and re-watches when the stream breaks (an API server
restart), and always ends by its deadline.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .._evidence import WaitRecord, WaitStatus

if TYPE_CHECKING:
    from ._client import Cluster

Objects = dict[str, dict[str, Any]]
Judge = Callable[[Objects], tuple[bool, str]]


def wait(cluster: Cluster, kind: str, target: str, namespace: str, timeout: float,
         count: int | None = None) -> WaitRecord:
    """Wait for one scenario wait and say how it ended.

    Args:
        cluster: The cluster.
        kind: rollout, ready or endpoints.
        target: ``kind/name``, e.g. ``deployment/backend-app``.
        namespace: Where the target lives.
        timeout: Seconds to wait at most.
        count: For endpoints: how many ready addresses make it done.
    """
    typed, _, name = target.partition("/")
    res = cluster.resolve(typed)
    selector, judge = _plan(kind, res.kind, name, count)
    watched = "endpointslices" if kind == "endpoints" else res.plural
    started = time.monotonic()
    met_at, state = _follow(cluster, cluster.resolve(watched), namespace, selector, judge, started + timeout)
    record = WaitRecord(target=f"{kind} {target}", status="met" if met_at is not None else "timeout",
                        duration_s=round(time.monotonic() - started, 2), last_state=state)
    if met_at is not None:
        record.reaction_s = _since(met_at)
    else:
        record.conditions = _conditions(cluster, namespace, res.kind, name)
        record.events = cluster.events(namespace, name)
    return record


def _since(moment: float) -> float:
    """Seconds since ``moment`` (monotonic), to the tenth of a millisecond."""
    return round(time.monotonic() - moment, 4)


PROBE_SECONDS = 2  # one probe's bound; probes repeat until the wait's deadline
PROBE_PAUSE = 0.2


def reachable(cluster: Cluster, target: str, port: int, source: str, namespace: str,
              timeout: float, *, closed: bool = False) -> WaitRecord:
    """Wait until SOURCE's pod connects to the Service TARGET on PORT (busybox ``nc -z``), or with
    ``closed`` until it no longer does (a NetworkPolicy took effect; an exec that failed is no answer).

    Endpoints being ready is not enough: kube-proxy programs its rules from
    EndpointSlices a moment later. Each probe is bounded; none is evidence.
    """
    host = f"{target.partition('/')[2]}.{namespace}.svc"
    argv = ["nc", "-z", "-w", str(PROBE_SECONDS), host, str(port)]
    pod = source.partition("/")[2]
    started, probes = time.monotonic(), 0
    status: WaitStatus
    while True:
        probes += 1
        result = cluster.exec(namespace, pod, argv, timeout=PROBE_SECONDS + 5)
        answered_at, answered = time.monotonic(), result.exit_code == 0
        if answered != closed and (answered or (result.exit_code is not None and not result.error)):
            status, state = "met", f"{host}:{port} {'refused' if closed else 'answered'} {source} (probe {probes})"
            break
        state = f"{host}:{port} {'still answered' if closed else 'did not answer'} {source} after {probes} " \
                "probes" + ("" if closed else ": " + (result.error or result.stderr.strip()
                                                     or f"exit code {result.exit_code}"))
        if time.monotonic() + PROBE_PAUSE >= started + timeout:
            status = "timeout"
            break
        time.sleep(PROBE_PAUSE)
    what = "unreachable" if closed else "reachable"
    return WaitRecord(target=f"{what} {target}:{port} from {source}", status=status,
                      duration_s=round(time.monotonic() - started, 2), last_state=state,
                      reaction_s=_since(answered_at) if status == "met" else None)


def _plan(kind: str, res_kind: str, name: str, count: int | None) -> tuple[tuple[str, str], Judge]:
    """Which objects to watch (field or label selector) and how to judge them."""
    if kind == "endpoints":
        return ("labelSelector", f"kubernetes.io/service-name={name}"), _endpoints_ready(count or 1)
    judges = {"Deployment": _deployment_done, "StatefulSet": _statefulset_done, "Pod": _pod_ready,
              "DaemonSet": _daemonset_done}
    if res_kind not in judges:
        raise ValueError(f"cannot wait for {kind} of a {res_kind}")
    return ("fieldSelector", f"metadata.name={name}"), _single(judges[res_kind])


def _follow(cluster: Cluster, res: Any, namespace: str, selector: tuple[str, str], judge: Judge,
            deadline: float) -> tuple[float | None, str]:
    """List, then watch from that list's resourceVersion until judged done or deadline.

    Returns:
        When the answer that met the wait arrived (monotonic), or None; and the last state seen.
    """
    state = "nothing observed yet"
    while time.monotonic() < deadline:
        try:
            listing = cluster.raw("GET", res.path(namespace), query=[selector], timeout=10)
            listed_at = time.monotonic()
            objects = {o["metadata"]["name"]: o for o in listing.get("items", [])}
            done, state = judge(objects)
            if done:
                return listed_at, state
            met_at, state = _watch(cluster, res, namespace, selector, judge, objects,
                                   listing["metadata"].get("resourceVersion", ""), deadline, state)
            if met_at is not None:
                return met_at, state
        except Exception as exc:  # noqa: BLE001 - the API server may be restarting: retry until the deadline
            state = f"{state} (watch interrupted: {type(exc).__name__}; retrying)"
            time.sleep(min(1.0, max(deadline - time.monotonic(), 0)))
    return None, state


def _watch(cluster: Cluster, res: Any, namespace: str, selector: tuple[str, str], judge: Judge,
           objects: Objects, version: str, deadline: float, state: str) -> tuple[float | None, str]:
    remaining = max(int(deadline - time.monotonic()), 1)
    query = [selector, ("watch", "true"), ("resourceVersion", version), ("timeoutSeconds", remaining),
             ("allowWatchBookmarks", "false")]
    resp = cluster.request("GET", res.path(namespace), query=query, timeout=(5, remaining + 5)).response
    try:
        for event, arrived_at in _events(resp):
            obj = event.get("object") or {}
            if event.get("type") == "ERROR":
                raise ValueError(obj.get("message", "watch error"))
            name = obj.get("metadata", {}).get("name", "")
            if event.get("type") == "DELETED":
                objects.pop(name, None)
            else:
                objects[name] = obj
            done, state = judge(objects)
            if done or time.monotonic() > deadline:
                return arrived_at if done else None, state
    finally:
        resp.release_conn()
    return None, state


def _events(resp: Any) -> Iterator[tuple[dict[str, Any], float]]:
    """Decode a watch stream: one JSON event per line, with when its last bytes arrived (monotonic)."""

    buf = b""
    for chunk in resp.stream(4096, decode_content=False):
        arrived_at = time.monotonic()
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line.strip():
                yield json.loads(line), arrived_at


# -- judges: (done, one-line state) -----------------------------------------


def _single(judge: Callable[[dict[str, Any]], tuple[bool, str]]) -> Judge:
    def judge_all(objects: Objects) -> tuple[bool, str]:
        if not objects:
            return False, "not found yet"
        return judge(next(iter(objects.values())))

    return judge_all


def _deployment_done(d: dict[str, Any]) -> tuple[bool, str]:
    spec, st = d.get("spec", {}), d.get("status", {})
    want = spec.get("replicas", 1)
    updated, available = st.get("updatedReplicas", 0), st.get("availableReplicas", 0)
    current = st.get("observedGeneration", 0) >= d["metadata"].get("generation", 0)
    state = f"{updated} of {want} updated replicas, {available} available"
    done = current and updated == want and available == want and st.get("replicas", 0) == want
    return done, state


def _statefulset_done(s: dict[str, Any]) -> tuple[bool, str]:
    want, st = s.get("spec", {}).get("replicas", 1), s.get("status", {})
    ready = st.get("readyReplicas", 0)
    current = st.get("observedGeneration", 0) >= s["metadata"].get("generation", 0)
    same_revision = st.get("currentRevision") == st.get("updateRevision")
    return current and ready == want and same_revision, f"{ready} of {want} pods ready"


def _daemonset_done(d: dict[str, Any]) -> tuple[bool, str]:
    st = d.get("status", {})
    want, ready = st.get("desiredNumberScheduled", 0), st.get("numberReady", 0)
    return want > 0 and ready == want, f"{ready} of {want} pods ready"


def _pod_ready(p: dict[str, Any]) -> tuple[bool, str]:
    st = p.get("status", {})
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in st.get("conditions") or [])
    waiting = [
        f"{c['name']}: {c['state']['waiting'].get('reason', 'Waiting')}"
        for c in st.get("containerStatuses") or []
        if "waiting" in (c.get("state") or {})
    ]
    return ready, f"phase {st.get('phase', 'Unknown')}" + (f" ({', '.join(waiting)})" if waiting else "")


def _endpoints_ready(want: int) -> Judge:
    def judge(slices: Objects) -> tuple[bool, str]:
        ips = {
            addr
            for s in slices.values()
            for ep in s.get("endpoints") or []
            if (ep.get("conditions") or {}).get("ready", True)
            for addr in ep.get("addresses") or []
        }
        return len(ips) >= want, f"{len(ips)} of {want} endpoints ready"

    return judge


def _conditions(cluster: Cluster, namespace: str, kind: str, name: str) -> list[dict[str, Any]]:
    """Conditions of the object, or of its pods, when a wait gave up."""
    try:
        if kind == "Pod":
            pods = [cluster.read_typed("pod", name, namespace) or {}]
        else:
            pods = [p for p in cluster.list("pods", namespace) if p["metadata"]["name"].startswith(name)]
    except Exception:  # noqa: BLE001 - best effort, the wait already failed
        return []
    return [
        {"pod": p.get("metadata", {}).get("name", ""), **{k: c.get(k) for k in ("type", "status", "reason", "message")}}
        for p in pods
        for c in p.get("status", {}).get("conditions") or []
    ]
