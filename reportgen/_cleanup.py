"""Cleanup: delete what a run created, and only that, whatever happens.

Every object a run creates carries :data:`RUN_LABEL`. A run deletes its own
objects in reverse order and waits until they are gone; ``reportgen gc`` finds
what crashed runs left behind by the same label.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ._cluster import ObjectRef
from ._exceptions import ClusterError, RunInterrupted

if TYPE_CHECKING:
    from ._cluster import Cluster

RUN_LABEL = "reportgen.dev/run-id"
MANAGED_LABEL = "app.kubernetes.io/managed-by"
HOST_LABEL = "reportgen.dev/host"
PID_LABEL = "reportgen.dev/pid"
DELETE_TIMEOUT_S = 120


def run_labels(run_id: str) -> dict[str, str]:
    """The labels every object of a run carries."""
    host = socket.gethostname()[:63].strip("-.") or "unknown"
    return {RUN_LABEL: run_id, MANAGED_LABEL: "reportgen", HOST_LABEL: host, PID_LABEL: str(os.getpid())}


class Interrupts:
    """The signal that came during a run, kept even if some handler swallowed its exception."""

    signum: int | None = None

    @classmethod
    def raise_if_any(cls) -> None:
        """Raise RunInterrupted again when a signal came: called between a run's phases."""
        if cls.signum is not None:
            raise RunInterrupted(cls.signum)


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into RunInterrupted, so ``finally`` blocks run."""

    def handler(signum: int, _frame: object) -> None:
        Interrupts.signum = signum
        raise RunInterrupted(signum)

    Interrupts.signum = None
    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


@contextlib.contextmanager
def signals_deferred() -> Iterator[list[int]]:
    """Hold SIGINT and SIGTERM while cleanup runs; yields the signals that came."""
    arrived: list[int] = []
    previous = {s: signal.signal(s, lambda n, _f: arrived.append(n)) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield arrived
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


class Cleanup:
    """Remembers what a run created and deletes it, newest first.

    Args:
        cluster: The cluster.
        run_id: The run's id.
        say: Progress callback.
    """

    def __init__(self, cluster: Cluster, run_id: str, say: Callable[[str], None] = lambda _t: None) -> None:
        self.cluster = cluster
        self.run_id = run_id
        self.say = say
        self.refs: list[ObjectRef] = []
        self.namespaces: list[ObjectRef] = []

    def created(self, ref: ObjectRef, *, owns_namespace: bool = False) -> None:
        """Record an object the run created; objects in a namespace it owns go with it."""
        if owns_namespace:
            self.namespaces.append(ref)
        elif ref.namespace not in {ns.name for ns in self.namespaces}:
            self.refs.append(ref)

    def run(self) -> list[str]:
        """Delete everything recorded and wait until it is gone; return what was left.

        Deletes are retried while the API server does not answer (it may be
        restarting), up to :data:`DELETE_TIMEOUT_S` in all.
        """
        with signals_deferred() as arrived:
            left = self._delete_all()
        if arrived:  # held while cleaning up, never dropped
            Interrupts.signum = arrived[0]
            raise RunInterrupted(arrived[0])
        return left

    def _delete_all(self) -> list[str]:
        targets = list(reversed(self.refs)) + self.namespaces
        if not targets:
            return []
        self.say(f"cleaning up run {self.run_id}: {len(targets)} object(s)")
        deadline = time.monotonic() + DELETE_TIMEOUT_S
        pending = targets
        while pending and time.monotonic() < deadline:
            pending = [ref for ref in pending if not self._delete(ref)]
            if pending:
                time.sleep(1)
        left = self._wait_gone(targets, deadline)
        self.refs, self.namespaces = [], []
        return left

    def _delete(self, ref: ObjectRef) -> bool:
        """Ask for deletion; False when the API did not answer (try again)."""
        try:
            if ref.kind == "Namespace":
                self._hurry_pods(ref.name)
            self.cluster.delete(ref)
        except ClusterError as exc:
            if "forbidden" in str(exc):
                self.say(f"could not delete {ref}: {exc}")
                return True
            return False
        return True

    def _hurry_pods(self, namespace: str) -> None:
        """Give the pods of a run-owned namespace 1 s to stop, not 30."""
        with contextlib.suppress(Exception):
            self.cluster.raw("DELETE", f"/api/v1/namespaces/{namespace}/pods",
                             query=[("gracePeriodSeconds", 1), ("labelSelector", "")])

    def _wait_gone(self, targets: list[ObjectRef], deadline: float) -> list[str]:
        remaining = list(targets)
        while remaining and time.monotonic() < deadline:
            remaining = [r for r in remaining if _exists(self.cluster, r)]
            if remaining:
                time.sleep(0.5)
        for ref in remaining:
            self.say(f"still there after {DELETE_TIMEOUT_S}s: {ref}")
        return [str(r) for r in remaining]


def _exists(cluster: Cluster, ref: ObjectRef) -> bool:
    try:
        return cluster.exists(ref)
    except ClusterError:
        return True


# -- reportgen gc --------------------------------------------------------------


def _alive_here(labels: dict[str, str]) -> bool:
    """True when the run that labelled an object still runs on this machine."""
    if labels.get(HOST_LABEL) != (socket.gethostname()[:63].strip("-.") or "unknown"):
        return False
    try:
        os.kill(int(labels.get(PID_LABEL, "0")), 0)
    except (ValueError, ProcessLookupError, PermissionError):
        return False
    return int(labels.get(PID_LABEL, "0")) > 0


def find_leftovers(cluster: Cluster, *, include_live: bool = False) -> list[ObjectRef]:
    """Objects carrying a run label whose run is no longer alive, namespaces last.

    Every listable resource type is searched in its preferred version, except
    the kinds controllers create for us (pods, replica sets, endpoints, events).
    """
    found: list[ObjectRef] = []
    namespaces: list[ObjectRef] = []
    for res in cluster.discovery.resources:
        if "/" in res.plural or res.kind in ("Event", "Pod", "ReplicaSet", "EndpointSlice", "Endpoints"):
            continue  # subresources, and objects controllers make for us
        if cluster.discovery.preferred.get(res.group, res.version) != res.version:
            continue
        for obj in cluster.list_labelled(res, RUN_LABEL):
            labels = obj["metadata"].get("labels") or {}
            if not include_live and _alive_here(labels):
                continue
            ref = ObjectRef(res.api_version, res.kind, obj["metadata"]["name"], obj["metadata"].get("namespace"))
            (namespaces if res.kind == "Namespace" else found).append(ref)
    owned = {n.name for n in namespaces}
    return [r for r in found if r.namespace not in owned] + namespaces


def collect(cluster: Cluster, refs: list[ObjectRef], say: Callable[[str], None] = lambda _t: None) -> list[str]:
    """Delete leftovers (namespaces last) and wait until they are gone; return what is still there."""
    sweeper = Cleanup(cluster, "gc", say=say)
    for ref in refs:
        sweeper.created(ref, owns_namespace=ref.kind == "Namespace")
    return sweeper.run()
