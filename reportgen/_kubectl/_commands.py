"""The kubectl commands a scenario step may run, as data: one dataclass per verb.

:func:`reportgen._kubectl.parse_command` builds them from a line; the kubectl
port's verbs (``_get``, ``_describe``, ``_logs``, ``_events``, ``_top``,
``_changes``, ``_rollout``, ``_watch``) run them. Verbs that change the cluster say so with
``mutates``: a scenario may point them only at its own namespace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ._pipes import Pipe

__all__ = [
    "VARIABLES",
    "ApplyCommand",
    "Command",
    "DeleteCommand",
    "DescribeCommand",
    "EventsCommand",
    "ExecCommand",
    "GetArgs",
    "GetCommand",
    "LogsCommand",
    "MetadataCommand",
    "PatchCommand",
    "PortForwardCommand",
    "RolloutCommand",
    "ScaleCommand",
    "SetImageCommand",
    "Target",
    "TopCommand",
    "WaitCommand",
]

VARIABLES: tuple[str, ...] = ("namespace",)
"""Variables a command line may use as ``${name}``."""


@dataclass(frozen=True)
class Target:
    """One ``TYPE/NAME`` a command acts on; ``resource`` is the API plural (``deploy`` -> ``deployments``)."""

    resource: str
    name: str
    typed: str = ""

    def __str__(self) -> str:
        return f"{self.typed or self.resource}/{self.name}"


@dataclass
class GetArgs:
    """What a user passes to ``kubectl get``.

    Attributes:
        resources: Resource arguments as typed: ``["pods,svc"]``, ``["svc"]``,
            ``["svc/web", "deploy/web"]``. Plain types are joined with commas.
        names: Object names following a single resource type.
        namespace: ``-n``; None means ``default`` (see ``_cluster.context_namespace``).
        all_namespaces: ``-A``.
        selector: ``-l``.
        wide: ``-o wide``.
        paired: ``resources[i]`` goes with ``names[i]`` (``TYPE/NAME`` form).
        output: ``-o`` other than wide: ``yaml``, ``json``, ``name``,
            ``jsonpath=...``, ``custom-columns=...``.
        show_labels: ``--show-labels``.
        label_columns: ``-L KEY`` (comma lists split).
        sort_by: ``--sort-by=JSONPATH``.
        no_headers: ``--no-headers``.
        field_selector: ``--field-selector``.
        watch: ``-w``/``--watch``; ``watch_only``: ``--watch-only``.
        watch_events: ``--output-watch-events``.
    """

    resources: list[str]
    names: list[str] = field(default_factory=list)
    namespace: str | None = None
    all_namespaces: bool = False
    selector: str | None = None
    wide: bool = False
    paired: bool = False
    output: str | None = None
    show_labels: bool = False
    label_columns: list[str] = field(default_factory=list)
    sort_by: str | None = None
    no_headers: bool = False
    field_selector: str | None = None
    watch: bool = False
    watch_only: bool = False
    watch_events: bool = False

    def positional(self) -> list[str]:
        """Return kubectl's positional arguments for these args."""
        if self.paired:
            return [f"{r}/{n}" for r, n in zip(self.resources, self.names)]
        if any("/" in r for r in self.resources):
            return [*self.resources, *self.names]
        typed = ",".join(self.resources)
        return [typed, *self.names] if typed else list(self.names)

    def kubectl_argv(self) -> list[str]:
        """Return the equivalent ``kubectl`` argument list (after the binary)."""
        argv = ["get", *self.positional()]
        if self.namespace:
            argv += ["-n", self.namespace]
        if self.all_namespaces:
            argv.append("-A")
        if self.selector is not None:
            argv += ["-l", self.selector]
        if self.wide or self.output:
            argv += ["-o", self.output or "wide"]
        argv += ["--show-labels"] * self.show_labels + [f"-L={key}" for key in self.label_columns]
        argv += [f"--sort-by={self.sort_by}"] * bool(self.sort_by) + ["--no-headers"] * self.no_headers
        if self.field_selector is not None:
            argv.append(f"--field-selector={self.field_selector}")
        argv += ["--watch"] * self.watch + ["--watch-only"] * self.watch_only
        return argv + ["--output-watch-events"] * self.watch_events


@dataclass(kw_only=True)
class GetCommand(GetArgs):
    """``kubectl get``: the table request, plus what its output is piped into.

    ``resources`` are API plural names (``svc`` -> ``services``), in order, and
    ``namespace`` None means the run's namespace.

    Attributes:
        pipes: What the output is piped into.
        line: The command line as written.
    """

    pipes: list[Pipe] = field(default_factory=list)
    line: str = ""

    verb: ClassVar[str] = "get"
    mutates: ClassVar[bool] = False

    def targets(self) -> list[tuple[str, str | None]]:
        """``(resource, name)`` pairs in kubectl's output order; name None lists all."""
        if self.paired:
            return list(zip(self.resources, self.names))
        names: list[str | None] = list(self.names) or [None]
        return [(r, n) for r in self.resources for n in names]


@dataclass(kw_only=True)
class ExecCommand:
    """``kubectl exec POD [-c CONTAINER] -- ARGV``."""

    pod: str
    argv: list[str]
    container: str | None = None
    namespace: str | None = None
    pipes: list[Pipe] = field(default_factory=list)
    line: str = ""

    verb: ClassVar[str] = "exec"
    mutates: ClassVar[bool] = False


@dataclass(kw_only=True)
class PortForwardCommand:
    """``kubectl port-forward svc/NAME|pod/NAME [LOCAL:]REMOTE``.

    Attributes:
        target: ``svc/NAME`` or ``pod/NAME``.
        local_port: The local port; None lets the runner choose one.
        remote_port: The service or pod port.
    """

    target: str
    remote_port: int
    local_port: int | None = None
    namespace: str | None = None
    pipes: list[Pipe] = field(default_factory=list)
    line: str = ""

    verb: ClassVar[str] = "port-forward"
    mutates: ClassVar[bool] = False


@dataclass(kw_only=True)
class _Step:
    """What every command has: its namespace (None: the run's), its pipes and the line as written."""

    namespace: str | None = None
    pipes: list[Pipe] = field(default_factory=list)
    line: str = ""

    mutates: ClassVar[bool] = True


@dataclass(kw_only=True)
class DescribeCommand(_Step):
    """``kubectl describe TYPE [NAME_PREFIX...] | TYPE/NAME... [-l SEL] [-A]``."""

    resources: list[str]
    names: list[str] = field(default_factory=list)
    all_namespaces: bool = False
    selector: str | None = None
    paired: bool = False

    verb: ClassVar[str] = "describe"
    mutates: ClassVar[bool] = False


@dataclass(kw_only=True)
class LogsCommand(_Step):
    """``kubectl logs POD|TYPE/NAME|-l SEL [-c C] [--tail N] [--since D] ...``."""

    target: Target | None
    selector: str | None = None
    container: str | None = None
    tail: int | None = None
    since: str | None = None
    timestamps: bool = False
    prefix: bool = False
    all_containers: bool = False
    previous: bool = False

    verb: ClassVar[str] = "logs"
    mutates: ClassVar[bool] = False


@dataclass(kw_only=True)
class EventsCommand(_Step):
    """``kubectl events [--for TYPE/NAME] [--types T,...] [-A] [--no-headers]``."""

    for_object: Target | None = None
    types: list[str] = field(default_factory=list)
    all_namespaces: bool = False
    no_headers: bool = False

    verb: ClassVar[str] = "events"
    mutates: ClassVar[bool] = False


@dataclass(kw_only=True)
class TopCommand(_Step):
    """``kubectl top pod|node [NAME] [-l SEL] [--sort-by=cpu|memory] [--no-headers] ...``.

    Attributes:
        resource: ``pods`` or ``nodes`` (``kubectl top pod`` or ``kubectl top node``).
        name: The one pod or node to show; None shows all (or those ``-l`` selects).
        field_selector, all_namespaces, containers, sum: ``top pod``'s ``--field-selector``,
            ``-A``, ``--containers`` and ``--sum``.
        show_capacity: ``top node --show-capacity``: percentages of capacity, not allocatable.
        sort_by: ``cpu``, ``memory`` or ``""`` (by name).
    """

    resource: str
    name: str | None = None
    selector: str | None = None
    field_selector: str | None = None
    all_namespaces: bool = False
    containers: bool = False
    sort_by: str = ""
    no_headers: bool = False
    sum: bool = False
    show_capacity: bool = False

    verb: ClassVar[str] = "top"
    mutates: ClassVar[bool] = False


@dataclass(kw_only=True)
class ScaleCommand(_Step):
    """``kubectl scale TYPE/NAME... --replicas=N``."""

    targets: list[Target]
    replicas: int

    verb: ClassVar[str] = "scale"


@dataclass(kw_only=True)
class DeleteCommand(_Step):
    """``kubectl delete TYPE NAME... | TYPE/NAME... | TYPE -l SEL``; waits for the objects to go, as kubectl does."""

    targets: list[Target] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    selector: str | None = None
    wait: bool = True

    verb: ClassVar[str] = "delete"


@dataclass(kw_only=True)
class ApplyCommand(_Step):
    """``kubectl apply -f FILE``: a file beside the scenario."""

    files: list[str]

    verb: ClassVar[str] = "apply"


@dataclass(kw_only=True)
class MetadataCommand(_Step):
    """``kubectl label|annotate TYPE/NAME KEY=VALUE... KEY-... [--overwrite]``."""

    verb: str
    targets: list[Target]
    changes: list[tuple[str, str | None]]
    overwrite: bool = False


@dataclass(kw_only=True)
class PatchCommand(_Step):
    """``kubectl patch TYPE/NAME --type strategic|merge|json -p PATCH``."""

    target: Target
    patch: str
    patch_type: str = "strategic"

    verb: ClassVar[str] = "patch"


@dataclass(kw_only=True)
class SetImageCommand(_Step):
    """``kubectl set image TYPE/NAME CONTAINER=IMAGE...``."""

    target: Target
    images: list[tuple[str, str]]

    verb: ClassVar[str] = "set image"


@dataclass(kw_only=True)
class RolloutCommand(_Step):
    """``kubectl rollout status|history|undo|restart|pause|resume TYPE/NAME``."""

    action: str
    targets: list[Target]
    revision: int | None = None
    timeout: str | None = None

    verb: ClassVar[str] = "rollout"

    @property
    def changes_cluster(self) -> bool:
        """status and history only read."""
        return self.action not in ("status", "history")


@dataclass(kw_only=True)
class WaitCommand(_Step):
    """``kubectl wait TYPE/NAME... | TYPE -l SEL --for=condition=C|delete|jsonpath=... [--timeout=D]``."""

    targets: list[Target] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    selector: str | None = None
    condition: str = ""
    timeout: str | None = None

    verb: ClassVar[str] = "wait"
    mutates: ClassVar[bool] = False


Command = (
    GetCommand | ExecCommand | PortForwardCommand | DescribeCommand | LogsCommand | EventsCommand | TopCommand
    | ScaleCommand | DeleteCommand | ApplyCommand | MetadataCommand | PatchCommand | SetImageCommand
    | RolloutCommand | WaitCommand
)
