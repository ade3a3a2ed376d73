"""Exec and port-forward over the API's streaming endpoints."""

from __future__ import annotations

import select
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubernetes.client.exceptions import ApiException
from kubernetes.stream import portforward, stream
from kubernetes.stream.ws_client import ERROR_CHANNEL, STDERR_CHANNEL, STDOUT_CHANNEL
from websocket import WebSocketException

from .._exceptions import ClusterError
from ._errors import api_message
from ._exec import OUTPUT_LIMIT, ExecResult, Sink, exec_refusal, exit_status, stream_pieces

if TYPE_CHECKING:
    from ._client import Cluster

def exec_in_pod(core: Any, namespace: str, pod: str, argv: list[str], *, container: str | None,
                timeout: float) -> ExecResult:
    """Run ``argv`` in a pod through the exec subresource."""
    try:
        resp = stream(
            core.connect_get_namespaced_pod_exec, pod, namespace, command=argv, container=container or "",
            stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False, binary=True,
        )
    except ApiException as exc:
        return ExecResult(error=_exec_refusal(exc, namespace, pod), exit_code=1)
    except (WebSocketException, OSError) as exc:
        return ExecResult(error=f"exec could not connect: {exc}")
    order: list[tuple[str, int]] = []
    out, err = Sink("stdout", order), Sink("stderr", order)
    deadline = time.monotonic() + timeout
    try:
        while resp.is_open() and time.monotonic() < deadline:
            resp.update(timeout=min(1.0, max(deadline - time.monotonic(), 0.01)))
            _drain(resp, out, err)
        timed_out = resp.is_open()
        _drain(resp, out, err)  # the last update may buffer output along with the close
        status = resp.read_channel(ERROR_CHANNEL)
    except (WebSocketException, OSError) as exc:
        return ExecResult(out.text(), err.text(), error=f"the exec stream broke: {exc}",
                          truncated=bool(out.dropped or err.dropped))
    finally:
        resp.close()
    result = ExecResult(out.text(), err.text(), truncated=bool(out.dropped or err.dropped),
                        streams=stream_pieces(order, out, err))
    if timed_out:
        result.error, result.timed_out = f"timed out after {timeout:g}s", True
        return result
    result.exit_code, result.error = exit_status(status)
    return result


def _drain(resp: Any, out: Sink, err: Sink) -> None:
    """Move what the stream has buffered into the sinks, without waiting."""
    out.add(resp.read_channel(STDOUT_CHANNEL, timeout=0) or b"")
    err.add(resp.read_channel(STDERR_CHANNEL, timeout=0) or b"")


def _exec_refusal(exc: ApiException, namespace: str, pod: str) -> str:
    """kubectl's words for an exec the server refused."""
    return exec_refusal(exc.status, f"{exc.reason or ''} {exc.body or ''}", namespace, pod, api_message(exc))


# -- port-forward --------------------------------------------------------------


@dataclass
class ForwardResult:
    """What a ``kubectl port-forward`` session showed, and the request made through it.

    Attributes:
        lines: kubectl's own output (``Forwarding from ...``, ``Handling connection ...``).
        request: The request sent, e.g. ``GET http://127.0.0.1:8080/``.
        response: Status line, blank line, body; None when no answer came.
        error: Why forwarding or the request failed.
    """

    lines: list[str] = field(default_factory=list)
    request: str | None = None
    response: str | None = None
    error: str | None = None


def resolve_forward_target(cluster: Cluster, namespace: str, target: str, port: int) -> tuple[str, int]:
    """Map ``svc/NAME`` or ``pod/NAME`` and a port to (pod, container port), as kubectl does."""
    kind, _, name = target.partition("/")
    if kind in ("pod", "pods", "po"):
        return name, port
    svc = cluster.read_typed("service", name, namespace)
    if svc is None:
        raise ClusterError(f'services "{name}" not found in namespace {namespace!r}')
    selector = ",".join(f"{k}={v}" for k, v in (svc["spec"].get("selector") or {}).items())
    pods = [p for p in cluster.list("pods", namespace, selector) if p.get("status", {}).get("phase") == "Running"]
    if not selector or not pods:
        raise ClusterError(f"service {name!r} has no running pods to forward to")
    pod = sorted(pods, key=lambda p: p["metadata"]["name"])[0]
    return pod["metadata"]["name"], _target_port(svc, pod, port)


def _target_port(svc: dict[str, Any], pod: dict[str, Any], port: int) -> int:
    for sp in svc["spec"].get("ports") or []:
        if sp.get("port") == port:
            target = sp.get("targetPort", port)
            if isinstance(target, int):
                return target
            for c in pod["spec"]["containers"]:
                for cp in c.get("ports") or []:
                    if cp.get("name") == target:
                        return int(cp["containerPort"])
    raise ClusterError(f"service {svc['metadata']['name']!r} has no port {port}")


def forward_request(core: Any, namespace: str, pod: str, pod_port: int, local_port: int, url: str | None,
                    *, timeout: float) -> ForwardResult:
    """Listen on 127.0.0.1:local_port, tunnel to the pod, and make one HTTP request."""
    result = ForwardResult()
    try:
        listener = socket.create_server(("127.0.0.1", local_port))
    except OSError as exc:
        result.error = f"unable to listen on port {local_port}: {exc.strerror}"
        return result
    result.lines.append(f"Forwarding from 127.0.0.1:{local_port} -> {pod_port}")
    stop = threading.Event()
    pump = threading.Thread(target=_serve, args=(core, namespace, pod, pod_port, listener, result, stop),
                            daemon=True)
    pump.start()
    try:
        if url:
            _request(url, result, timeout)
    finally:
        stop.set()
        listener.close()
        pump.join(timeout=5)
    return result


def _request(url: str, result: ForwardResult, timeout: float) -> None:
    result.request = f"GET {url}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            body = resp.read(OUTPUT_LIMIT).decode("utf-8", "replace")
            result.response = f"HTTP {resp.status} {resp.reason}\n\n{body}"
    except urllib.error.HTTPError as exc:
        result.response = f"HTTP {exc.code} {exc.reason}\n\n{exc.read(OUTPUT_LIMIT).decode('utf-8', 'replace')}"
    except (urllib.error.URLError, OSError) as exc:
        result.error = f"request {url} failed: {getattr(exc, 'reason', exc)}"


def _serve(core: Any, namespace: str, pod: str, port: int, listener: socket.socket,
           result: ForwardResult, stop: threading.Event) -> None:
    """Accept local connections and pipe each through its own forward stream."""
    listener.settimeout(0.2)
    while not stop.is_set():
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        result.lines.append(f"Handling connection for {listener.getsockname()[1]}")
        threading.Thread(target=_pipe, args=(core, namespace, pod, port, conn, result), daemon=True).start()


def _pipe(core: Any, namespace: str, pod: str, port: int, conn: socket.socket, result: ForwardResult) -> None:
    try:
        pf = portforward(core.connect_get_namespaced_pod_portforward, pod, namespace, ports=str(port))
        remote = pf.socket(port)
    except ApiException as exc:
        result.error = f"error forwarding port {port} to pod {pod}: {api_message(exc)}"
        conn.close()
        return
    try:
        _copy_both_ways(conn, remote)
    finally:
        conn.close()
        remote.close()
        err = pf.error(port)
        if err:
            result.error = f"error forwarding port {port} to pod {pod}: {err.strip()}"


def _copy_both_ways(a: socket.socket, b: Any, idle_s: float = 30) -> None:
    while True:
        ready, _, _ = select.select([a, b], [], [], idle_s)
        if not ready:
            return
        for src in ready:
            data = src.recv(65536)
            if not data:
                return
            (b if src is a else a).sendall(data)
