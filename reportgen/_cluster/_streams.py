"""Exec and port-forward over the API's streaming endpoints."""

from __future__ import annotations

import json
import select
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from kubernetes.client.exceptions import ApiException
from kubernetes.stream import portforward, stream
from kubernetes.stream.ws_client import ERROR_CHANNEL, STDERR_CHANNEL, STDOUT_CHANNEL
from websocket import WebSocketException

from .._evidence import interleave
from .._exceptions import ClusterError
from ._errors import api_message

if TYPE_CHECKING:
    from ._client import Cluster

OUTPUT_LIMIT = 1 << 20  # bytes kept per stream; the rest is counted, not stored


@dataclass
class ExecResult:
    """What ``kubectl exec`` showed.

    Attributes:
        stdout: The command's standard output (UTF-8, invalid bytes replaced).
        stderr: The command's standard error.
        exit_code: The exit code; None when it never ran or timed out.
        error: Why the command could not run (pod missing, timeout), else None.
        truncated: Output went past the size limit and was cut.
        timed_out: The command was still running at the deadline.
        streams: ``[stream, text]`` pieces in the order they arrived (within one
            read of the socket, stdout first).
    """

    stdout: str = ""
    stderr: str = ""
    exit_code: int | None = None
    error: str | None = None
    truncated: bool = False
    timed_out: bool = False
    streams: list[list[str]] | None = None


class _Sink:
    """Collect bytes up to a limit; ``order`` notes which stream each kept chunk came from."""

    def __init__(self, name: str, order: list[tuple[str, int]], limit: int = OUTPUT_LIMIT) -> None:
        self.name = name
        self.order = order
        self.data = bytearray()
        self.limit = limit
        self.dropped = 0

    def add(self, chunk: bytes | str) -> None:
        raw = chunk.encode() if isinstance(chunk, str) else chunk
        room = self.limit - len(self.data)
        kept = raw[: max(room, 0)]
        self.data += kept
        self.dropped += len(raw) - len(kept)
        if kept:
            self.order.append((self.name, len(self.data)))

    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


def _streams(order: list[tuple[str, int]], out: _Sink, err: _Sink) -> list[list[str]]:
    """The pieces of both sinks in arrival order (split on chunk ends, decoded per stream)."""
    sinks, start = {"stdout": out, "stderr": err}, {"stdout": 0, "stderr": 0}
    pieces: list[tuple[str, str]] = []
    for name, end in order:
        raw = bytes(sinks[name].data[start[name]:end])
        start[name] = end
        pieces.append((name, raw.decode("utf-8", "replace")))
    merged = interleave(*pieces)
    for name, sink in sinks.items():  # a character split across chunks: keep the streams whole
        if "".join(text for s, text in merged if s == name) != sink.text():
            return interleave(("stdout", out.text()), ("stderr", err.text()))
    return merged


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
    out, err = _Sink("stdout", order), _Sink("stderr", order)
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
                        streams=_streams(order, out, err))
    if timed_out:
        result.error, result.timed_out = f"timed out after {timeout:g}s", True
        return result
    result.exit_code, result.error = _exit_status(status)
    return result


def _drain(resp: Any, out: _Sink, err: _Sink) -> None:
    """Move what the stream has buffered into the sinks, without waiting."""
    out.add(resp.read_channel(STDOUT_CHANNEL, timeout=0) or b"")
    err.add(resp.read_channel(STDERR_CHANNEL, timeout=0) or b"")


def _exec_refusal(exc: ApiException, namespace: str, pod: str) -> str:
    """kubectl's words for an exec the server refused."""
    text = f"{exc.reason or ''} {exc.body or ''}"
    status = _embedded_status(text)
    code = status.get("code") or exc.status
    if code == 404 or (not status and "404" in text):
        return f'Error from server (NotFound): pods "{pod}" not found'
    if code == 403 or (not status and "403" in text):
        return f"Error from server (Forbidden): cannot create pods/exec in namespace {namespace!r}"
    if status.get("message"):
        return f"Error from server ({status.get('reason') or 'Error'}): {status['message']}"
    return f"Error from server: {api_message(exc)}"


def _embedded_status(text: str) -> dict[str, Any]:
    """The metav1.Status JSON a failed websocket handshake carries, if any."""
    start = text.find('{"kind":"Status"')
    if start < 0:
        return {}
    try:
        doc, _ = json.JSONDecoder().raw_decode(text[start:].encode().decode("unicode_escape"))
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _exit_status(status: bytes | str) -> tuple[int | None, str | None]:
    """Decode the error channel: (exit code, error message)."""
    if isinstance(status, bytes):
        status = status.decode("utf-8", "replace")
    if not status:
        return None, "the exec stream closed without a status"
    try:
        doc = yaml.safe_load(status) or {}
    except yaml.YAMLError:
        return None, status.strip()
    if doc.get("status") == "Success":
        return 0, None
    for cause in (doc.get("details") or {}).get("causes") or []:
        if cause.get("reason") == "ExitCode":
            return int(cause.get("message", 1)), None
    return 1, str(doc.get("message", status)).strip()


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
