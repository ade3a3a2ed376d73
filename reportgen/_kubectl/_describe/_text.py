"""``kubectl describe`` as text, without running kubectl (k8s.io/kubectl v0.34.4).

Ports ``DescribeOptions.Run`` and ``DescribeMatchingResources``
(``pkg/cmd/describe/describe.go``): objects are found as cli-runtime's builder
finds them (names, lists, ``-l``, ``-A``; see :func:`.._get.plan_visits`), each
is described by the describer of its kind (``pkg/describe/describe.go``), and a
``TYPE NAME`` that is not found describes every object whose name starts with
``NAME``. Errors print as ``cmdutil.CheckErr`` prints them.

Every request goes through the ``fetch`` function given; this package never
imports the cluster client.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from .._commands import GetArgs
from .._discovery import ApiError, Discovery, Fetch, GetError, Requester, ResourceType
from .._get import plan_visits
from ._api import Context, error_text, meta
from ._clock import Clock
from ._cluster import describe_limit_range, describe_namespace, describe_node, describe_resource_quota
from ._config import describe_config_map, describe_secret
from ._generic import describe_generic
from ._network import (
    describe_endpoint_slice,
    describe_endpoints,
    describe_ingress,
    describe_network_policy,
    describe_service,
)
from ._pods import describe_pod
from ._selectors import SelectorError
from ._storage import describe_persistent_volume_claim
from ._workloads import (
    describe_daemon_set,
    describe_deployment,
    describe_replica_set,
    describe_stateful_set,
)

__all__ = ["DESCRIBERS", "NOT_PORTED", "DescribeArgs", "DescribeNotPorted", "DescribeOutput", "describe_text"]

Describer = Callable[[Context, dict[str, Any]], str]

DESCRIBERS: dict[tuple[str, str], Describer] = {
    ("", "Pod"): describe_pod,
    ("", "Service"): describe_service,
    ("", "Endpoints"): describe_endpoints,
    ("discovery.k8s.io", "EndpointSlice"): describe_endpoint_slice,
    ("apps", "Deployment"): describe_deployment,
    ("apps", "ReplicaSet"): describe_replica_set,
    ("apps", "StatefulSet"): describe_stateful_set,
    ("apps", "DaemonSet"): describe_daemon_set,
    ("", "Node"): describe_node,
    ("", "Namespace"): describe_namespace,
    ("", "ConfigMap"): describe_config_map,
    ("", "Secret"): describe_secret,
    ("networking.k8s.io", "Ingress"): describe_ingress,
    ("networking.k8s.io", "NetworkPolicy"): describe_network_policy,
    ("", "PersistentVolumeClaim"): describe_persistent_volume_claim,
    ("", "LimitRange"): describe_limit_range,
    ("", "ResourceQuota"): describe_resource_quota,
}
"""The describers ported, by API group and kind; kinds kubectl has no describer for get the generic one."""

NOT_PORTED = frozenset({
    ("", "ReplicationController"), ("", "ServiceAccount"), ("", "PersistentVolume"),
    ("autoscaling", "HorizontalPodAutoscaler"), ("extensions", "Ingress"), ("networking.k8s.io", "IngressClass"),
    ("networking.k8s.io", "ServiceCIDR"), ("networking.k8s.io", "IPAddress"), ("batch", "Job"), ("batch", "CronJob"),
    ("certificates.k8s.io", "CertificateSigningRequest"), ("storage.k8s.io", "StorageClass"),
    ("storage.k8s.io", "CSINode"), ("storage.k8s.io", "VolumeAttributesClass"), ("policy", "PodDisruptionBudget"),
    ("rbac.authorization.k8s.io", "Role"), ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "RoleBinding"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("scheduling.k8s.io", "PriorityClass"),
})
"""Kinds kubectl has its own describer for that this port does not have: they raise :class:`DescribeNotPorted`."""

_MISSING_TYPE = ('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete '
                 "list of supported resources.\n")


class DescribeNotPorted(Exception):
    """An object of a kind whose describer this port does not have (kubectl would describe it)."""


@dataclass
class DescribeArgs:
    """What a user passes to ``kubectl describe``: ``TYPE [NAME_PREFIX...] | TYPE/NAME... [-l] [-n] [-A]``.

    Attributes:
        resources: Resource arguments as typed: ``["pods"]``, ``["pods,svc"]``,
            ``["svc/web", "deploy/web"]``.
        names: Names (or a name prefix) following a single resource argument.
        namespace: ``-n``; None means ``default``.
        all_namespaces: ``-A``.
        selector: ``-l``.
        paired: ``resources[i]`` goes with ``names[i]`` (``TYPE/NAME`` form).
    """

    resources: list[str]
    names: list[str] = field(default_factory=list)
    namespace: str | None = None
    all_namespaces: bool = False
    selector: str | None = None
    paired: bool = False

    def get_args(self) -> GetArgs:
        """The same request as ``kubectl get`` arguments (the builder plans both alike)."""
        return GetArgs(list(self.resources), list(self.names), namespace=self.namespace,
                       all_namespaces=self.all_namespaces, selector=self.selector, paired=self.paired)

    def positional(self) -> list[str]:
        """kubectl's positional arguments."""
        return self.get_args().positional()

    def kubectl_argv(self) -> list[str]:
        """The equivalent ``kubectl`` argument list (after the binary)."""
        return ["describe", *self.get_args().kubectl_argv()[1:]]  # get's flags with nothing of get's own set


@dataclass
class DescribeOutput:
    """What ``kubectl describe`` would write.

    Attributes:
        stdout: The descriptions.
        stderr: ``Warning:`` lines, "No resources found", error lines.
        exit_code: kubectl's exit code (1 when anything failed).
        leading: How much of ``stderr`` kubectl writes before stdout (warnings).
    """

    stdout: str
    stderr: str
    exit_code: int = 0
    leading: int = 0

    def streams(self) -> list[tuple[str, str]]:
        """stdout and stderr in the order kubectl writes them."""
        return [("stderr", self.stderr[: self.leading]), ("stdout", self.stdout),
                ("stderr", self.stderr[self.leading :])]


@dataclass(frozen=True)
class _Failure:
    """One error as Go holds it: ``err.Error()``, and kubectl's standard message when it is an API error."""

    text: str
    standard: str | None = None
    reason: str = ""

    @classmethod
    def of(cls, exc: Exception) -> _Failure:
        """The failure of a request (an :class:`ApiError`) or of a describer."""
        if isinstance(exc, ApiError):
            return cls(error_text(exc), exc.kubectl_message(), exc.reason)
        return cls(str(exc))

    def message(self) -> str:
        """``messageForError``."""
        return self.standard or self.text


def _check_err(errors: list[_Failure | list[_Failure]]) -> str:
    """``cmdutil.CheckErr`` of ``NewAggregate(errors)``: the stderr kubectl prints, or ``""``."""
    if not errors:
        return ""
    if len(errors) == 1:
        only = errors[0]
        if isinstance(only, list):
            return "".join(f"{e.message()}\n" for e in only)
        text = only.standard or (only.text if only.text.startswith("error: ") else f"error: {only.text}")
        return text if text.endswith("\n") else text + "\n"
    return "".join(f"{_aggregate_text(e) if isinstance(e, list) else e.message()}\n" for e in errors)


def _aggregate_text(errors: list[_Failure]) -> str:
    """``aggregate.Error()``: unique messages, bracketed when more than one."""
    unique = list(dict.fromkeys(e.text for e in errors))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


def _builder_error(failures: list[_Failure]) -> list[_Failure | list[_Failure]]:
    """``ContinueOnErrorVisitor``: one error as itself, several as an aggregate."""
    if not failures:
        return []
    return [failures[0]] if len(failures) == 1 else [failures]


def _find_objects(ctx: Context, discovery: Discovery, args: GetArgs,
                  warnings: list[str]) -> tuple[list[tuple[ResourceType, dict[str, Any]]], list[_Failure]]:
    """Run the builder's visits: named GETs and (chunked) lists, continuing past failures.

    Raises:
        GetError: For the argument errors kubectl reports before any request.
    """
    found: list[tuple[ResourceType, dict[str, Any]]] = []
    failures: list[_Failure] = []
    selector = (args.selector or "").strip()
    for visit in plan_visits(discovery, args, warnings):
        r = visit.resource
        try:
            if visit.name:
                found.append((r, ctx.get(r.group, r.version, r.plural, visit.namespace, visit.name)))
            else:
                subject = f"{r.group}/{r.version}, Resource={r.plural}"
                items = ctx.list_all(r.group, r.version, r.plural, visit.namespace, labels=selector, subject=subject)
                found += [(r, item) for item in items]
        except ApiError as exc:
            failures.append(_Failure.of(exc))
    return found, failures


def _describer(resource: ResourceType) -> Describer:
    """The kind's describer (``DescriberFor``), else the generic one (``GenericDescriberFor``).

    Raises:
        DescribeNotPorted: For a kind kubectl has a describer for that this port lacks.
    """
    key = (resource.group, resource.kind)
    if key in NOT_PORTED:
        kind = f"{resource.kind}.{resource.group}" if resource.group else resource.kind
        raise DescribeNotPorted(f"reportgen does not port kubectl describe for {kind}")
    return DESCRIBERS.get(key) or (lambda ctx, obj: describe_generic(ctx, resource, obj))


def describe_text(fetch: Fetch, args: DescribeArgs, *, discovery: Discovery | None = None,
                  now: datetime | None = None, zone: tzinfo | None = None) -> DescribeOutput:
    """Produce what ``kubectl describe`` prints for ``args``, without running kubectl.

    Args:
        fetch: How to GET from the API server (the cluster client's ``fetch``).
        args: The describe arguments.
        discovery: Reuse an earlier :func:`discover` result.
        now: The moment ages are counted to (default: the current time).
        zone: The zone timestamps print in (default: the machine's, as kubectl).

    Returns:
        stdout, stderr and kubectl's exit code.

    Raises:
        DescribeNotPorted: When an object found is of a kind this port cannot describe.
    """
    client = Requester(fetch)
    discovery = discovery or client.discover()
    ctx = Context(client, Clock(now or datetime.now(UTC), zone))
    resolution: list[str] = []
    if not args.positional():
        return _output(client, resolution, "", [_Failure(_MISSING_TYPE)])
    try:
        found, failures = _find_objects(ctx, discovery, args.get_args(), resolution)
    except GetError as exc:
        return _output(client, resolution, "", [_Failure(str(exc))])
    positional = args.positional()
    if len(failures) == 1 and failures[0].reason == "NotFound" and len(positional) == 2:
        return _describe_matching(ctx, discovery, args, failures[0], resolution)
    for resource, _ in found:
        _describer(resource)
    return _describe_all(ctx, args, found, failures, resolution)


def _describe_all(ctx: Context, args: DescribeArgs, found: list[tuple[ResourceType, dict[str, Any]]],
                  failures: list[_Failure], resolution: list[str]) -> DescribeOutput:
    """The main loop of ``DescribeOptions.Run``: descriptions two blank lines apart, errors once each."""
    errors = _builder_error(failures)
    seen: set[str] = set()
    parts: list[str] = []
    for resource, obj in found:
        try:
            parts.append(_describer(resource)(ctx, obj))
        except (ApiError, SelectorError) as exc:
            failure = _Failure.of(exc)
            if failure.text not in seen:
                seen.add(failure.text)
                errors.append(failure)
    notice = ""
    if not found and not errors:
        namespace = args.namespace or "default"
        notice = "No resources found\n" if args.all_namespaces else f"No resources found in {namespace} namespace.\n"
    return _output(ctx.client, resolution, "\n\n".join(parts), errors, notice)


def _describe_matching(ctx: Context, discovery: Discovery, args: DescribeArgs, original: _Failure,
                       resolution: list[str]) -> DescribeOutput:
    """``DescribeMatchingResources``: every object of the type whose name starts with the prefix."""
    typed, prefix = args.positional()
    if "/" not in typed and len(dict.fromkeys(discovery.expand_categories(typed).split(","))) > 1:
        return _output(ctx.client, resolution, "", [_Failure("you may only specify a single resource type")])
    listing = GetArgs([typed], namespace=args.namespace)
    try:
        found, failures = _find_objects(ctx, discovery, listing, resolution)
    except GetError as exc:
        return _output(ctx.client, resolution, "", [_Failure(str(exc))])
    if failures:
        return _output(ctx.client, resolution, "", [failures[0]])
    out: list[str] = []
    for resource, obj in found:
        if str(meta(obj).get("name", "")).startswith(prefix):
            try:
                out.append(_describer(resource)(ctx, obj) + "\n")
            except (ApiError, SelectorError) as exc:
                return _output(ctx.client, resolution, "".join(out), [_Failure.of(exc)])
    return _output(ctx.client, resolution, "".join(out), [] if out else [original])


def _output(client: Requester, resolution: list[str], stdout: str, errors: list[_Failure | list[_Failure]],
            notice: str = "") -> DescribeOutput:
    """Assemble stderr (warnings first, then the notice, then errors) and the exit code."""
    leading = "".join(f"Warning: {w}\n" for w in [*resolution, *client.warnings])
    stderr = leading + notice + _check_err(errors)
    return DescribeOutput(stdout, stderr, 1 if errors else 0, len(leading))
