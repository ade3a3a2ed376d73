"""Connecting to a cluster, and reading, applying and deleting objects."""

from __future__ import annotations

import builtins
import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import urllib3
import yaml
from kubernetes import client as k8s
from kubernetes import config as k8s_config
from kubernetes.client.exceptions import ApiException
from kubernetes.config.config_exception import ConfigException

from .._exceptions import ClusterError, InputError, Rejected
from .._inputs import read_text
from .._kubectl._api import Send, Watch
from .._kubectl._discovery import Discovery, Fetch, ResourceType, discover
from . import _facts, _streams, _waits
from ._errors import api_message, cluster_error, rejected_field, status_of
from ._exec import ExecResult
from ._http import fetcher, send_request, sender, watcher

FIELD_MANAGER = "reportgen"
PING_TIMEOUT_S = 5


@dataclass(frozen=True)
class ObjectRef:
    """One object the run applied, enough to find and delete it again."""

    api_version: str
    kind: str
    name: str
    namespace: str | None = None

    def __str__(self) -> str:
        return f"{self.kind.lower()}/{self.name}"


def _check_kubeconfig(path: str) -> None:
    """A kubeconfig that is a readable YAML mapping, or InputError at its line."""
    text = read_text(path, "kubeconfig")
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise InputError(f"kubeconfig is not valid YAML: {exc.problem}", file=path,
                         line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
                         hint="fix the file, or point --kubeconfig at another") from None
    except yaml.YAMLError as exc:
        raise InputError(f"kubeconfig is not valid YAML: {exc}", file=path) from None
    if not isinstance(data, dict):
        raise InputError("kubeconfig is not a YAML mapping", file=path, line=1,
                         hint="a kubeconfig has clusters, users and contexts") from None


def _in_cluster(context: str | None) -> Cluster:
    """Inside a pod (a CronJob): the ServiceAccount's in-cluster config."""
    if context:
        raise ClusterError("--context has no meaning inside a pod (in-cluster config)")
    configuration = k8s.Configuration()
    load: Callable[..., None] = k8s_config.load_incluster_config  # the module is unannotated
    try:
        load(client_configuration=configuration)
    except ConfigException as exc:
        raise ClusterError(f"in-cluster config: {exc}") from None
    cluster = Cluster(k8s.ApiClient(configuration), context="in-cluster")
    cluster.ping()
    return cluster


def connect(kubeconfig: str | None = None, context: str | None = None) -> Cluster:
    """Load a kubeconfig and check that its cluster answers.

    Args:
        kubeconfig: Path to a kubeconfig; default ``$KUBECONFIG`` or ``~/.kube/config``, and
            inside a pod with neither, the in-cluster config of its ServiceAccount.
        context: A context name in it; default its current context.

    Raises:
        ClusterError: The kubeconfig or context is unusable, or the server does
            not answer within a few seconds.
    """
    path = kubeconfig or os.environ.get("KUBECONFIG", "").split(os.pathsep)[0] or "~/.kube/config"
    path = str(Path(path).expanduser())
    if not kubeconfig and not os.path.exists(path) and os.environ.get("KUBERNETES_SERVICE_HOST"):
        return _in_cluster(context)
    if not os.path.exists(path):
        raise ClusterError(
            f"no kubeconfig at {path} (hint: pass --kubeconfig PATH or set KUBECONFIG; "
            "for the lab: --kubeconfig $(hack/labcluster kubeconfig))"
        )
    _check_kubeconfig(path)
    try:
        api_client = _new_client(path, context)
        _, active = kubeconfig_contexts(path)
    except (ConfigException, ValueError, TypeError, KeyError, AttributeError, OSError, yaml.YAMLError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"kubeconfig cannot be used: {reason}", file=path,
                         hint="check --context and the file (`kubectl config view`)") from None
    cluster = Cluster(api_client, context=context or active.get("name", ""))
    cluster.ping()
    return cluster


def _new_client(path: str, context: str | None) -> k8s.ApiClient:
    """An ApiClient for a kubeconfig context (``new_client_from_config``, typed)."""
    new_client: Callable[..., k8s.ApiClient] = k8s_config.new_client_from_config  # the module is unannotated
    return new_client(config_file=path, context=context)


class Cluster:
    """A live cluster, reached through the official Python client.

    Args:
        api_client: A configured :class:`kubernetes.client.ApiClient`.
        context: The kubeconfig context name, for the report.
    """

    def __init__(self, api_client: k8s.ApiClient, *, context: str = "") -> None:
        self.api_client = api_client
        self.context = context
        self._discovery: Discovery | None = None

    @functools.cached_property
    def core(self) -> Any:
        """The typed core API, for exec and port-forward streams (its models are slow to import)."""
        return k8s.CoreV1Api(self.api_client)

    @property
    def server(self) -> str:
        """The API server's URL."""
        host: str = self.api_client.configuration.host
        return host

    def ping(self) -> dict[str, Any]:
        """Return ``/version``; raise ClusterError when the server does not answer."""
        try:
            return self.raw("GET", "/version", timeout=PING_TIMEOUT_S)
        except ApiException as exc:
            if exc.status in (401, 403):
                raise ClusterError(f"{self.server} refused our credentials ({exc.status} {exc.reason})") from exc
            raise ClusterError(f"{self.server} answered {exc.status} {exc.reason} to GET /version") from exc
        except Exception as exc:  # urllib3 raises many kinds for a dead server
            reason = str(getattr(exc, "reason", "") or exc).splitlines()[0]
            raise ClusterError(
                f"cluster at {self.server} is unreachable: {reason}\n"
                "  hint: is it running? (lab: hack/labcluster status)"
            ) from exc

    def request(self, method: str, path: str, *, query: list[tuple[str, Any]] | None = None,
                body: Any = None, content_type: str | None = None, timeout: Any = 30,
                accept: str = "application/json") -> Any:
        """Send one authenticated request; return the (unread) RESTResponse.

        Raises:
            ApiException: The server answered outside 2xx (body attached).
        """
        try:
            resp = send_request(self.api_client, method, path, query=query, accept=accept, content_type=content_type,
                        body=body, timeout=timeout)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            reason = str(getattr(exc, "reason", "") or exc).splitlines()[0]
            raise ClusterError(f"{method} {path}: the API server did not answer: {reason}") from exc
        if not 200 <= resp.status <= 299:
            resp.read()
            raise ApiException(status=resp.status, reason=resp.reason, http_resp=resp)
        return resp

    def raw(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """Like :meth:`request`, returning the decoded JSON body."""
        payload = self.request(method, path, **kwargs).read()
        decoded: dict[str, Any] = json.loads(payload) if payload else {}
        return decoded

    @property
    def discovery(self) -> Discovery:
        """The server's resources (read once)."""
        if self._discovery is None:
            try:
                self._discovery = discover(self.fetch)
            except Exception as exc:
                raise cluster_error(exc, "discover", "API resources") from exc
        return self._discovery

    def resource(self, api_version: str, kind: str) -> ResourceType:
        """The REST resource serving ``kind`` in ``api_version``.

        Raises:
            ClusterError: The server does not serve that kind.
        """
        for res in self.discovery.resources:
            if res.kind == kind and res.api_version == api_version and "/" not in res.plural:
                return res
        raise ClusterError(f"the server does not serve {kind} in {api_version}")

    def resolve(self, typed: str) -> ResourceType:
        """Resolve what a user types (``svc``, ``statefulset``) to a resource."""
        try:
            return self.discovery.resolve(typed)
        except Exception as exc:
            raise ClusterError(f"unknown resource type {typed!r}: {exc}") from exc

    # -- objects -------------------------------------------------------------

    def apply(self, manifest: dict[str, Any], namespace: str | None, *, dry_run: bool = False) -> ObjectRef:
        """Server-side apply one manifest (or only dry-run it).

        Raises:
            Rejected: The server refused it (the caller knows the manifest's file:line).
        """
        res = self.resource(manifest.get("apiVersion", ""), manifest.get("kind", ""))
        name = manifest["metadata"]["name"]
        ns = namespace if res.namespaced else None
        body = json.loads(json.dumps(manifest))
        if ns:
            body["metadata"]["namespace"] = ns
        query: list[tuple[str, Any]] = [("fieldManager", FIELD_MANAGER), ("force", "true")]
        if dry_run:
            query.append(("dryRun", "All"))
        try:
            self.raw("PATCH", res.path(ns, name), query=query, body=json.dumps(body),
                     content_type="application/apply-patch+yaml")
        except ApiException as exc:
            raise Rejected(api_message(exc), status=exc.status or 0, field=rejected_field(exc)) from None
        return ObjectRef(manifest["apiVersion"], manifest["kind"], name, ns)

    def delete(self, ref: ObjectRef) -> bool:
        """Delete an object with foreground propagation; False if it was gone."""
        res = self.resource(ref.api_version, ref.kind)
        body = {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Foreground"}
        try:
            self.raw("DELETE", res.path(ref.namespace, ref.name), body=body, content_type="application/json")
        except ApiException as exc:
            if exc.status == 404:
                return False
            raise cluster_error(exc, "delete", str(ref), ref.namespace) from exc
        return True

    def exists(self, ref: ObjectRef) -> bool:
        """True while the object can still be read."""
        return self.read(ref.api_version, ref.kind, ref.name, ref.namespace) is not None

    def read(self, api_version: str, kind: str, name: str, namespace: str | None) -> dict[str, Any] | None:
        """One object as JSON, or None when it does not exist."""
        res = self.resource(api_version, kind)
        try:
            return self.raw("GET", res.path(namespace if res.namespaced else None, name))
        except ApiException as exc:
            if exc.status == 404:
                return None
            raise cluster_error(exc, "get", f"{res.plural}/{name}", namespace) from exc

    def read_typed(self, typed: str, name: str, namespace: str | None) -> dict[str, Any] | None:
        """Like :meth:`read`, for a type as a user writes it (``service``, ``sts``)."""
        res = self.resolve(typed)
        return self.read(res.api_version, res.kind, name, namespace)

    def list(self, typed: str, namespace: str | None, selector: str | None = None) -> list[dict[str, Any]]:
        """Objects of a type in a namespace, as JSON, optionally by label selector."""
        res = self.resolve(typed)
        query = [("labelSelector", selector)] if selector else []
        try:
            items: list[dict[str, Any]] = self.raw("GET", res.path(namespace), query=query).get("items", [])
        except ApiException as exc:
            raise cluster_error(exc, "list", res.plural, namespace) from exc
        return items

    # below ``def list``, the name ``list`` in this class body is that method: annotations say ``builtins.list``

    def list_labelled(self, res: ResourceType, selector: str) -> builtins.list[dict[str, Any]]:
        """Objects of a resource in every namespace carrying a label selector."""
        try:
            found = self.raw("GET", res.path(None), query=[("labelSelector", selector)])
            items: list[dict[str, Any]] = found.get("items", [])
            return items
        except ApiException as exc:
            if status_of(exc) in (404, 405):
                return []
            raise cluster_error(exc, "list", res.plural) from exc

    def events(self, namespace: str, name_prefix: str, limit: int = 10) -> builtins.list[str]:
        """Recent events about objects whose name starts with ``name_prefix``."""
        try:
            items = self.raw("GET", f"/api/v1/namespaces/{namespace}/events").get("items", [])
        except ApiException:
            return []
        items = [e for e in items if e.get("involvedObject", {}).get("name", "").startswith(name_prefix)]
        items.sort(key=lambda e: e.get("lastTimestamp") or e.get("eventTime") or "")
        return [
            f"{e['involvedObject'].get('kind', '')}/{e['involvedObject'].get('name', '')}: "
            f"{e.get('reason', '')}: {e.get('message', '').strip()}"
            for e in items[-limit:]
        ]

    # -- namespaces ----------------------------------------------------------

    def create_namespace(self, name: str, labels: dict[str, str]) -> ObjectRef:
        """Create a namespace for a run."""
        body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}
        try:
            self.raw("POST", "/api/v1/namespaces", body=body, content_type="application/json")
        except ApiException as exc:
            raise cluster_error(exc, "create", f"namespaces/{name}") from exc
        return ObjectRef("v1", "Namespace", name)

    # -- kubectl equivalents ---------------------------------------------------

    @property
    def fetch(self) -> Fetch:
        """GETs for the kubectl port (``reportgen._kubectl._get.get_text(cluster.fetch, ...)``)."""
        return fetcher(self.api_client)

    @property
    def send(self) -> Send:
        """Any request for the kubectl port's verbs that change the cluster."""
        return sender(self.api_client)

    @property
    def watch(self) -> Watch:
        """Watch streams, for ``kubectl get --watch``."""
        return watcher(self.api_client)

    def exec(self, namespace: str, pod: str, argv: builtins.list[str], *, container: str | None = None,
             timeout: float = 60) -> ExecResult:
        """Run a command in a container, capturing stdout, stderr and exit code."""
        return _streams.exec_in_pod(self.core, namespace, pod, argv, container=container, timeout=timeout)

    def forward_and_request(self, namespace: str, target: str, remote_port: int, local_port: int | None,
                            url: str | None, *, timeout: float = 30) -> _streams.ForwardResult:
        """``kubectl port-forward`` plus one HTTP request through the tunnel."""
        pod, pod_port = _streams.resolve_forward_target(self, namespace, target, remote_port)
        return _streams.forward_request(self.core, namespace, pod, pod_port, local_port or remote_port,
                                        url, timeout=timeout)

    def wait(self, spec: Any, namespace: str) -> Any:
        """Wait for one scenario wait (a rollout, readiness, endpoints or reachability); return a WaitRecord."""
        if spec.kind == "reachable":
            return _waits.reachable(self, spec.target, spec.port, spec.source, namespace, spec.timeout,
                                    closed=spec.closed)
        return _waits.wait(self, spec.kind, spec.target, namespace, spec.timeout, spec.count)

    def facts(self) -> Any:
        """Cluster facts for the environment section (a ClusterFacts)."""
        return _facts.read_facts(self)


def context_namespace(config_file: str | None = None, context: str | None = None) -> str:
    """Return the namespace of a kubeconfig context (``default`` when unset).

    Args:
        config_file: Kubeconfig path; None uses ``KUBECONFIG`` or ``~/.kube/config``.
        context: Context name; None uses the current context.
    """
    contexts, active = kubeconfig_contexts(config_file)
    chosen = next((c for c in contexts if c["name"] == context), active) if context else active
    return (chosen or {}).get("context", {}).get("namespace") or "default"


_Contexts = tuple[list[dict[str, Any]], dict[str, Any]]


def kubeconfig_contexts(config_file: str | None = None) -> _Contexts:
    """A kubeconfig's contexts and its current one (``list_kube_config_contexts``, typed).

    Args:
        config_file: Kubeconfig path; None uses ``KUBECONFIG`` or ``~/.kube/config``.
    """
    from kubernetes import config

    contexts: Callable[..., _Contexts] = config.list_kube_config_contexts  # the module is unannotated
    return contexts(config_file)
