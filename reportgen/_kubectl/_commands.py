"""The kubectl command lines a scenario step may run, parsed without a shell.

A step's ``run:`` is what the report shows, so it must mean what a reader who
pastes it into a POSIX shell would get. Only a small, safe subset is accepted:

* ``kubectl get``, ``kubectl exec`` and ``kubectl port-forward`` with the flags
  listed in :data:`SUPPORTED`;
* pipes into ``grep``, ``head``, ``tail`` and ``wc -l``, which
  :func:`apply_pipes` reproduces on the captured text;
* POSIX quoting, and ``${namespace}``-style variables substituted before a run.

Everything else (other verbs, redirections, ``;``, ``&&``, command substitution,
unquoted globs) raises :class:`CommandError` with the offset of the offending
character. ``-i``/``-t``/``-it`` on ``exec`` are accepted and ignored: a captured
command has no terminal and no input.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import ClassVar

from ._pipes import Pipe, parse_pipe
from ._resources import _ALIASES, check_selector, resource_name
from ._words import CommandError, Word, split_line

__all__ = [
    "SUPPORTED",
    "VARIABLES",
    "Command",
    "ExecCommand",
    "GetArgs",
    "GetCommand",
    "PortForwardCommand",
    "parse_command",
]

VARIABLES: tuple[str, ...] = ("namespace",)
"""Variables a command line may use as ``${name}``."""

SUPPORTED = (
    "kubectl get TYPE[,TYPE...] [NAME...] | TYPE/NAME... "
    "[-n NS | -A] [-l SELECTOR] [-o wide]; "
    "kubectl exec POD [-n NS] [-c CONTAINER] -- COMMAND [ARGS...]; "
    "kubectl port-forward svc/NAME|pod/NAME [LOCAL:]REMOTE [-n NS]; "
    "pipes: grep [-v] [-i] [-E] [-c] PATTERN, head [-n N], tail [-n N], wc -l"
)
"""One-line summary of what :func:`parse_command` accepts, for hints."""


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
    """

    resources: list[str]
    names: list[str] = field(default_factory=list)
    namespace: str | None = None
    all_namespaces: bool = False
    selector: str | None = None
    wide: bool = False
    paired: bool = False

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
        if self.wide:
            argv += ["-o", "wide"]
        return argv


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


Command = GetCommand | ExecCommand | PortForwardCommand


def parse_command(line: str, *, variables: Collection[str] = VARIABLES) -> Command:
    """Parse one step's ``run:`` line.

    Args:
        line: The command line; ``${name}`` variables stay as written.
        variables: The variable names the line may use.

    Returns:
        A :class:`GetCommand`, :class:`ExecCommand` or :class:`PortForwardCommand`.

    Raises:
        CommandError: The line is not in the supported subset; ``offset`` says where.
    """
    if not isinstance(line, str):
        raise CommandError("a command must be a string", hint=SUPPORTED)
    segments = split_line(line, variables)
    first = segments[0]
    if first[0].value != "kubectl":
        raise CommandError(f"unsupported command {first[0].value!r}", offset=first[0].offset, hint=_VERBS)
    pipes = [parse_pipe(words) for words in segments[1:]]
    command = _parse_kubectl(first, len(line))
    if pipes and isinstance(command, PortForwardCommand):
        raise CommandError("port-forward output cannot be piped", offset=segments[1][0].offset,
                           hint="check the response with an `output:` check instead")
    command.pipes = pipes
    command.line = line
    return command


# flag spec: name -> (dest, takes a value)
_FlagSpec = dict[str, tuple[str, bool]]
_NAMESPACE: _FlagSpec = {"-n": ("namespace", True), "--namespace": ("namespace", True)}
_GET_FLAGS: _FlagSpec = {
    **_NAMESPACE,
    "-A": ("all_namespaces", False),
    "--all-namespaces": ("all_namespaces", False),
    "-l": ("selector", True),
    "--selector": ("selector", True),
    "-o": ("output", True),
    "--output": ("output", True),
}
_EXEC_FLAGS: _FlagSpec = {
    **_NAMESPACE,
    "-c": ("container", True),
    "--container": ("container", True),
    "-i": ("stdin", False),
    "--stdin": ("stdin", False),
    "-t": ("tty", False),
    "--tty": ("tty", False),
}
_USAGE = {
    "kubectl": "kubectl [-n NS] get|exec|port-forward ...",
    "get": "kubectl get TYPE[,TYPE...] [NAME...] | TYPE/NAME... [-n NS | -A] [-l SELECTOR] [-o wide]",
    "exec": "kubectl exec POD [-n NS] [-c CONTAINER] -- COMMAND [ARGS...]",
    "port-forward": "kubectl port-forward svc/NAME|pod/NAME [LOCAL:]REMOTE [-n NS]",
}
_VERBS = "a step runs kubectl get, kubectl exec or kubectl port-forward"
_VERB_HINTS = {
    "apply": "objects are created from the section's `manifests:`, not by steps",
    "create": "objects are created from the section's `manifests:`, not by steps",
    "delete": "reportgen deletes what it created when the run ends",
    "wait": "use the section's `wait:` list",
    "rollout": "use `wait: [{rollout: deployment/NAME}]`",
}


@dataclass
class _Parsed:
    flags: dict[str, tuple[str | bool, int]] = field(default_factory=dict)
    args: list[Word] = field(default_factory=list)
    rest: list[Word] | None = None  # after "--"


def _parse_kubectl(words: list[Word], end: int) -> Command:
    """Parse ``kubectl [-n NS] VERB ...`` (words[0] is ``kubectl``)."""
    i = 1
    pre = _Parsed()
    while i < len(words) and words[i].value.startswith("-") and words[i].value not in ("-", "--"):
        i = _take_flag(words, i, _NAMESPACE, pre, "kubectl")
    if i >= len(words):
        raise CommandError("kubectl needs a command", offset=end, hint=_VERBS)
    verb = words[i]
    parsers: dict[str, Callable[[Word, list[Word], _Parsed], Command]] = {
        "get": _parse_get,
        "exec": _parse_exec,
        "port-forward": _parse_port_forward,
    }
    if verb.value not in parsers:
        hint = _VERB_HINTS.get(verb.value, _VERBS)
        raise CommandError(f"unsupported kubectl command {verb.value!r}", offset=verb.offset, hint=hint)
    return parsers[verb.value](verb, words[i + 1 :], pre)


def _parse_flags(words: list[Word], spec: _FlagSpec, verb: str, pre: _Parsed, *, dashdash: bool) -> _Parsed:
    """Split words into flags (per ``spec``), positional args and what follows ``--``."""
    parsed = _Parsed(flags=dict(pre.flags))
    i = 0
    while i < len(words):
        word = words[i]
        if word.value == "--" and dashdash:
            parsed.rest = words[i + 1 :]
            return parsed
        if word.value.startswith("-") and word.value != "-":
            i = _take_flag(words, i, spec, parsed, verb)
        else:
            parsed.args.append(word)
            i += 1
    return parsed


def _take_flag(words: list[Word], i: int, spec: _FlagSpec, parsed: _Parsed, verb: str) -> int:
    """Record the flag at ``words[i]``; return the index of the next word."""
    word = words[i]
    text = word.value
    if text.startswith("--"):
        name, eq, value = text.partition("=")
        return _store(words, i, spec, parsed, verb, name, value if eq else None)
    # short flags: -n NS, -nNS, -n=NS, -it
    for k in range(1, len(text)):
        name = "-" + text[k]
        if name not in spec:
            _unknown_flag(word, name, verb)
        if spec[name][1]:
            attached = text[k + 1 :].removeprefix("=") if k + 1 < len(text) else None
            return _store(words, i, spec, parsed, verb, name, attached)
        if text[k + 1 : k + 2] == "=":
            raise CommandError(f"{name} takes no value", offset=word.offset, hint=_USAGE[verb])
        parsed.flags[spec[name][0]] = (True, word.offset)
    return i + 1


def _store(words: list[Word], i: int, spec: _FlagSpec, parsed: _Parsed, verb: str,
           name: str, value: str | None) -> int:
    word = words[i]
    if name not in spec:
        _unknown_flag(word, name, verb)
    dest, takes_value = spec[name]
    if not takes_value:
        if value is not None:
            raise CommandError(f"{name} takes no value", offset=word.offset, hint=_USAGE[verb])
        parsed.flags[dest] = (True, word.offset)
        return i + 1
    if value is None:
        if i + 1 >= len(words):
            raise CommandError(f"{name} needs a value", offset=word.offset, hint=_USAGE[verb])
        parsed.flags[dest] = (words[i + 1].value, words[i + 1].offset)
        return i + 2
    parsed.flags[dest] = (value, word.offset)
    return i + 1


def _unknown_flag(word: Word, name: str, verb: str) -> None:
    hints = {
        "--context": "steps run against the cluster reportgen connects to",
        "--kubeconfig": "steps run against the cluster reportgen connects to",
        "-w": "a step captures one snapshot; use the section's `wait:` to wait for a state",
        "--watch": "a step captures one snapshot; use the section's `wait:` to wait for a state",
    }
    raise CommandError(f"unsupported flag {name} for {verb}", offset=word.offset, hint=hints.get(name, _USAGE[verb]))


def _flag(parsed: _Parsed, dest: str) -> str | None:
    value = parsed.flags.get(dest)
    return value[0] if value and isinstance(value[0], str) else None


def _parse_get(verb: Word, words: list[Word], pre: _Parsed) -> GetCommand:
    parsed = _parse_flags(words, _GET_FLAGS, "get", pre, dashdash=False)
    output = parsed.flags.get("output")
    if output and output[0] != "wide":
        raise CommandError(f"unsupported output format {output[0]!r}", offset=output[1],
                           hint="only -o wide is supported; assert on fields with an `object:` check")
    selector = parsed.flags.get("selector")
    if selector and isinstance(selector[0], str) and (problem := check_selector(selector[0])):
        raise CommandError(problem, offset=selector[1], hint="see `kubectl get --help` for selector syntax")
    if not parsed.args:
        raise CommandError("kubectl get needs a resource type", offset=verb.offset, hint=_USAGE["get"])
    cmd = GetCommand(
        resources=[],
        namespace=_flag(parsed, "namespace"),
        all_namespaces="all_namespaces" in parsed.flags,
        selector=_flag(parsed, "selector"),
        wide=output is not None,
    )
    if "/" in parsed.args[0].value:
        cmd.paired = True
        for word in parsed.args:
            kind, slash, name = word.value.partition("/")
            if not slash or not name:
                raise CommandError("mixing TYPE/NAME with other arguments", offset=word.offset,
                                   hint="write every argument as TYPE/NAME, or TYPE NAME...")
            cmd.resources.append(_resource(kind, word.offset))
            cmd.names.append(name)
    else:
        cmd.resources = [_resource(kind, parsed.args[0].offset) for kind in parsed.args[0].value.split(",")]
        cmd.names = [w.value for w in parsed.args[1:]]
        for word in parsed.args[1:]:
            if "/" in word.value:
                raise CommandError("a name cannot contain '/'", offset=word.offset,
                                   hint="write every argument as TYPE/NAME, or TYPE NAME...")
    return cmd


def _resource(text: str, offset: int) -> str:
    plural = resource_name(text)
    if plural is None:
        known = ", ".join(sorted(_ALIASES))
        raise CommandError(f"unsupported resource type {text!r}", offset=offset, hint=f"supported: {known}")
    return plural


def _parse_exec(verb: Word, words: list[Word], pre: _Parsed) -> ExecCommand:
    parsed = _parse_flags(words, _EXEC_FLAGS, "exec", pre, dashdash=True)
    if not parsed.args:
        raise CommandError("kubectl exec needs a pod name", offset=verb.offset, hint=_USAGE["exec"])
    if parsed.rest is None or len(parsed.args) > 1:
        where = parsed.args[1].offset if len(parsed.args) > 1 else parsed.args[0].offset
        raise CommandError("the command to run must follow '--'", offset=where,
                           hint=_USAGE["exec"])
    if not parsed.rest:
        raise CommandError("nothing to run after '--'", offset=parsed.args[0].offset, hint=_USAGE["exec"])
    pod = parsed.args[0]
    kind, slash, name = pod.value.rpartition("/")
    if (slash and resource_name(kind) != "pods") or not name:
        raise CommandError(f"exec target {pod.value!r} is not a pod", offset=pod.offset,
                           hint="name the pod: kubectl exec POD -- ...")
    return ExecCommand(
        pod=name,
        container=_flag(parsed, "container"),
        namespace=_flag(parsed, "namespace"),
        argv=[w.value for w in parsed.rest],
    )


def _parse_port_forward(verb: Word, words: list[Word], pre: _Parsed) -> PortForwardCommand:
    parsed = _parse_flags(words, _NAMESPACE, "port-forward", pre, dashdash=False)
    if len(parsed.args) != 2:
        where = parsed.args[2].offset if len(parsed.args) > 2 else verb.offset
        raise CommandError("port-forward takes a target and one port", offset=where,
                           hint=_USAGE["port-forward"])
    target, ports = parsed.args
    kind, slash, name = target.value.rpartition("/")
    plural = resource_name(kind) if slash else "pods"
    if plural not in ("pods", "services") or not name:
        raise CommandError(f"cannot port-forward to {target.value!r}", offset=target.offset,
                           hint="forward to svc/NAME or pod/NAME")
    local, colon, remote = ports.value.rpartition(":")
    local_port = _port(local, ports.offset, allow_zero=True) if colon and local else None
    remote_port = _port(remote, ports.offset, allow_zero=False)
    return PortForwardCommand(
        target=("svc/" if plural == "services" else "pod/") + name,
        local_port=local_port or (None if colon else remote_port),
        remote_port=remote_port,
        namespace=_flag(parsed, "namespace"),
    )


def _port(text: str, offset: int, *, allow_zero: bool) -> int:
    if not text.isascii() or not text.isdigit() or not (0 if allow_zero else 1) <= int(text) <= 65535:
        raise CommandError(f"{text!r} is not a port number", offset=offset,
                           hint="write ports as numbers: LOCAL:REMOTE or PORT")
    return int(text)
