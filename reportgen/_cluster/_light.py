"""A light way to the API for the preview commands that only read, and kubectl's discovery cache.

kubectl answers ``get`` in about 65 ms; importing the official client alone
takes three times that. When the kubeconfig's user holds a client certificate
or a bearer token (the lab, kind and minikube do), :func:`light_reader` reads
the kubeconfig (:mod:`._block_yaml`, else PyYAML) and speaks HTTPS with :mod:`._http1` on one
kept-alive connection. Anything else (exec plugins, auth providers, basic
auth, proxies, impersonation, several kubeconfig files to merge) gives None,
and the caller takes the official client.

Discovery is cached on disk as kubectl caches it (cli-runtime v0.34.4
``pkg/genericclioptions/config_flags.go``: ``~/.kube/cache/discovery/<host>``,
a 6 hour TTL, the host's unsafe characters made ``_``), under
``$XDG_CACHE_HOME/reportgen/discovery``. As kubectl resets its RESTMapper on a
kind it does not know, :meth:`LightReader.forget_discovery` lets the caller
read it afresh once.
"""

from __future__ import annotations

import base64
import os
import re
import ssl
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from .._exceptions import ClusterError
from .._kubectl._discovery import DISCOVERY_ACCEPT, Discovery, Fetch, discover
from ._block_yaml import parse_mapping
from ._http1 import Connection

if TYPE_CHECKING:  # exec's pieces load when an exec runs
    from ._exec import ExecResult

__all__ = ["DISCOVERY_TTL_S", "LightReader", "cached_discovery_fetch", "discovery_cache_dir", "light_reader"]

DISCOVERY_TTL_S = 6 * 3600
_UNSAFE_HOST = re.compile(r"[^(0-9A-Za-z_/.)]")  # cli-runtime's overlyCautiousIllegalFileCharacters (ASCII \w)
_USER_KEYS = {"client-certificate", "client-certificate-data", "client-key", "client-key-data", "token",
              "tokenFile"}
_CLUSTER_KEYS = {"server", "certificate-authority", "certificate-authority-data", "insecure-skip-tls-verify",
                 "extensions"}
_TIMEOUT_S = 30
_EXEC_PROTOCOLS = "v5.channel.k8s.io,v4.channel.k8s.io"  # as kubectl v1.34 and the official client offer them


@dataclass(frozen=True)
class _Config:
    """What a light request needs from one kubeconfig context."""

    server: str
    namespace: str
    user: dict[str, Any]
    cluster: dict[str, Any]
    base: Path


def _one_kubeconfig(kubeconfig: str | None) -> Path | None:
    if kubeconfig:
        return Path(kubeconfig).expanduser()
    paths = [p for p in os.environ.get("KUBECONFIG", "").split(os.pathsep) if p]
    if len(paths) > 1:
        return None  # merging is the official client's job
    return Path(paths[0] if paths else "~/.kube/config").expanduser()


def _named(items: Any, name: str, key: str) -> dict[str, Any] | None:
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("name") == name and isinstance(item.get(key), dict):
            found: dict[str, Any] = item[key]
            return found
    return None


def _load(kubeconfig: str | None, context: str | None) -> _Config | None:
    """The chosen context, when it is one a light request can serve; else None."""
    path = _one_kubeconfig(kubeconfig)
    if path is None or not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None  # the official path reports it
    data = parse_mapping(text)
    if data is None:
        data = _pyyaml_mapping(text)
    if data is None:
        return None
    chosen = _named(data.get("contexts"), context or data.get("current-context") or "", "context")
    user = _named(data.get("users"), (chosen or {}).get("user", ""), "user")
    cluster = _named(data.get("clusters"), (chosen or {}).get("cluster", ""), "cluster")
    if chosen is None or user is None or cluster is None or not str(cluster.get("server", "")).startswith("https://"):
        return None
    if set(user) - _USER_KEYS or set(cluster) - _CLUSTER_KEYS or set(chosen) - {"cluster", "user", "namespace"}:
        return None
    return _Config(cluster["server"].rstrip("/"), chosen.get("namespace") or "default", user, cluster, path.parent)


def _pyyaml_mapping(text: str) -> dict[str, Any] | None:
    """A kubeconfig outside the part :mod:`._block_yaml` reads, read with PyYAML."""
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None  # the official path reports it, at its line
    return data if isinstance(data, dict) else None


def _material(config: _Config, file_key: str, data_key: str, scratch: Path) -> str | None:
    """A path to a kubeconfig's PEM, written to ``scratch`` when it is inline data."""
    if config.user.get(data_key) or config.cluster.get(data_key):
        pem = base64.b64decode(config.user.get(data_key) or config.cluster[data_key])
        target = scratch / data_key
        target.write_bytes(pem)
        return str(target)
    name = config.user.get(file_key) or config.cluster.get(file_key)
    return str(config.base / name) if name else None


def _tls(config: _Config) -> ssl.SSLContext:
    with tempfile.TemporaryDirectory(prefix="reportgen-tls-") as scratch:
        ca = _material(config, "certificate-authority", "certificate-authority-data", Path(scratch))
        context = ssl.create_default_context(cafile=ca)
        if config.cluster.get("insecure-skip-tls-verify"):
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        cert = _material(config, "client-certificate", "client-certificate-data", Path(scratch))
        key = _material(config, "client-key", "client-key-data", Path(scratch))
        if cert:
            context.load_cert_chain(cert, key)
    return context


def _token(config: _Config) -> str | None:
    if config.user.get("token"):
        return str(config.user["token"])
    if config.user.get("tokenFile"):
        return (config.base / str(config.user["tokenFile"])).read_text(encoding="utf-8").strip()
    return None


class LightReader:
    """GETs on one kept-alive HTTPS connection, and discovery from the disk cache."""

    def __init__(self, config: _Config) -> None:
        self.server = config.server
        self.namespace = config.namespace
        split = urlsplit(config.server)
        self._prefix = split.path
        self._connect: Callable[[], Connection] = lambda: Connection(
            split.hostname or "", split.port or 443, _tls(config), _TIMEOUT_S)
        self._headers = {"User-Agent": "reportgen", "Accept-Encoding": "identity"}
        if token := _token(config):
            self._headers["Authorization"] = f"Bearer {token}"
        self._connection: Connection | None = None
        self._cache = discovery_cache_dir(config.server)
        self._discovery: Discovery | None = None

    def fetch(self, path: str, query: list[tuple[str, str]], accept: str) -> tuple[int, bytes, Any]:
        """GET ``path``: ``(status, body, headers)``, never raising on an HTTP status."""
        url = self._prefix + path + (f"?{urlencode(query)}" if query else "")
        for attempt in (1, 2):  # a kept-alive connection the server closed is opened once more
            try:
                if self._connection is None:
                    self._connection = self._connect()
                return self._connection.get(url, {**self._headers, "Accept": accept})
            except OSError as exc:
                if self._connection is not None:
                    self._connection.close()
                self._connection = None
                if attempt == 2 or isinstance(exc, (ssl.SSLError, TimeoutError)):
                    raise ClusterError(f"cluster at {self.server} is unreachable: {exc}\n"
                                       "  hint: is it running? (lab: hack/labcluster status)") from None
        raise AssertionError("unreachable")

    @property
    def discovery(self) -> Discovery:
        """The server's resources, from the disk cache while it is fresh."""
        if self._discovery is None:
            self._discovery = discover(cached_discovery_fetch(self.fetch, self._cache))
        return self._discovery

    def exec(self, namespace: str, pod: str, argv: list[str], *, container: str | None = None,
             timeout: float = 60) -> ExecResult:
        """Run ``argv`` in a pod over the exec subresource's WebSocket, as the official client's exec does."""
        from ._exec import ExecResult, exec_refusal
        from ._websocket import handshake

        query = [*(("command", a) for a in argv), *((("container", container),) if container else ()),
                 ("stdout", "true"), ("stderr", "true")]
        target = f"{self._prefix}/api/v1/namespaces/{namespace}/pods/{pod}/exec?{urlencode(query)}"
        connection = self._connect()  # its own: the stream ends with it
        try:
            try:
                code, body, _headers = handshake(connection, target, self._headers, _EXEC_PROTOCOLS)
            except OSError as exc:
                return ExecResult(error=f"exec could not connect: {exc}")
            if code != 101:
                text = body.decode("utf-8", "replace")
                return ExecResult(error=exec_refusal(code, text, namespace, pod, f"HTTP {code}: {text}"), exit_code=1)
            return _exec_streams(connection, timeout)
        finally:
            connection.close()

    def forget_discovery(self) -> None:
        """Drop the cached discovery, so the next read asks the server (a kind it did not know)."""
        for name in ("api.json", "apis.json"):
            (self._cache / name).unlink(missing_ok=True)
        self._discovery = None


def _exec_streams(connection: Connection, timeout: float) -> ExecResult:
    """Read an exec's channels until the server closes or ``timeout`` passes."""
    from ._exec import ExecResult, Sink, exit_status, stream_pieces
    from ._websocket import messages

    order: list[tuple[str, int]] = []
    out, err, status = Sink("stdout", order), Sink("stderr", order), bytearray()
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        connection.set_timeout(timeout)
        for message in messages(connection):
            keep = {b"\x01": out.add, b"\x02": err.add, b"\x03": status.extend}.get(message[:1])
            if keep is not None:  # another channel (resize, stdin) carries nothing to keep
                keep(message[1:])
            if time.monotonic() > deadline:
                timed_out = True
                break
    except TimeoutError:
        timed_out = True
    except OSError as exc:
        return ExecResult(out.text(), err.text(), error=f"the exec stream broke: {exc}",
                          truncated=bool(out.dropped or err.dropped))
    result = ExecResult(out.text(), err.text(), truncated=bool(out.dropped or err.dropped),
                        streams=stream_pieces(order, out, err))
    if timed_out:
        result.error, result.timed_out = f"timed out after {timeout:g}s", True
    else:
        result.exit_code, result.error = exit_status(bytes(status))
    return result


def light_reader(kubeconfig: str | None, context: str | None) -> LightReader | None:
    """A :class:`LightReader` for the kubeconfig context, or None when only the official client can serve it."""
    config = _load(kubeconfig, context)
    return LightReader(config) if config is not None else None


def discovery_cache_dir(server: str) -> Path:
    """Where discovery of ``server`` is cached, named as kubectl names it."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reportgen" / "discovery"
    host = server.replace("https://", "", 1).replace("http://", "", 1)
    return root / _UNSAFE_HOST.sub("_", host)


def cached_discovery_fetch(fetch: Fetch, cache: Path, now: Callable[[], float] = time.time) -> Fetch:
    """``fetch``, with the two aggregated discovery documents served from ``cache`` while fresh."""
    files = {"/api": cache / "api.json", "/apis": cache / "apis.json"}

    def cached(path: str, query: list[tuple[str, str]], accept: str) -> tuple[int, bytes | str, Any]:
        file = files.get(path) if accept == DISCOVERY_ACCEPT and not query else None
        if file is None:
            return fetch(path, query, accept)
        try:
            if now() - file.stat().st_mtime < DISCOVERY_TTL_S:
                return 200, file.read_bytes(), None
        except OSError:
            pass
        status, body, headers = fetch(path, query, accept)
        if status == 200 and b'"APIGroupDiscoveryList"' in (body if isinstance(body, bytes) else body.encode()):
            _write_private(file, body if isinstance(body, bytes) else body.encode())
        return status, body, headers

    return cached


def _write_private(file: Path, data: bytes) -> None:
    """Write atomically, readable by this user only; a cache that cannot be written is no cache."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, file)
    except OSError:
        pass
