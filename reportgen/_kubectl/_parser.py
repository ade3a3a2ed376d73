"""The kubectl command lines a scenario step may run, parsed without a shell.

A step's ``run:`` is what the report shows, so it must mean what a reader who
pastes it into a POSIX shell would get. Only a safe subset is accepted:

* the kubectl verbs and flags listed in :data:`SUPPORTED`, parsed as kubectl
  (pflag) parses them;
* pipes into ``grep``, ``head``, ``tail`` and ``wc -l``, which
  :func:`reportgen._kubectl.apply_pipes` reproduces on the captured text;
* POSIX quoting, and ``${namespace}``-style variables substituted before a run.

Everything else (other verbs, redirections, ``;``, ``&&``, command substitution,
unquoted globs) raises :class:`CommandError` with the offset of the offending
character. ``-i``/``-t``/``-it`` on ``exec`` are accepted and ignored: a captured
command has no terminal and no input. The verbs that change the cluster are
parsed in :mod:`._parse_changes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from ._commands import (
    VARIABLES,
    Command,
    DescribeCommand,
    EventsCommand,
    ExecCommand,
    GetCommand,
    LogsCommand,
    PortForwardCommand,
    RolloutCommand,
    Target,
    TopCommand,
)
from ._flags import FlagSpec, Parsed, flag, parse_flags, take_flag
from ._parse_changes import CHANGE_PARSERS, CHANGE_USAGE
from ._parse_common import NAMESPACE, check_selector_flag, non_negative, resource, targets
from ._pipes import parse_pipe
from ._resources import resource_name
from ._usage import USAGE
from ._words import CommandError, Word, split_line

__all__ = ["SUPPORTED", "changes_cluster", "parse_command"]

SUPPORTED = (
    "kubectl get|describe|logs|events|top pod|top node|exec|port-forward|scale|delete|apply -f|label|annotate|patch|"
    "set image|rollout|wait (see `reportgen get --help`); "
    "pipes: grep [-v] [-i] [-E] [-c] PATTERN, head [-n N], tail [-n N], wc -l"
)
"""One-line summary of what :func:`parse_command` accepts, for hints."""

_VERBS = ("a step runs kubectl get, describe, logs, events, top, exec, port-forward, or a change "
          "(scale, delete, ...)")
_VERB_HINTS = {
    "create": "objects are created from the section's `manifests:` or `kubectl apply -f FILE`",
    "edit": "an editor needs a terminal; use `kubectl patch` or `kubectl apply -f FILE`",
}


def parse_command(line: str, *, variables: Collection[str] = VARIABLES) -> Command:
    """Parse one step's ``run:`` line.

    Args:
        line: The command line; ``${name}`` variables stay as written.
        variables: The variable names the line may use.

    Returns:
        The command, one of :data:`reportgen._kubectl.Command`.

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


def changes_cluster(command: Command) -> bool:
    """Whether running ``command`` changes objects in the cluster."""
    if isinstance(command, RolloutCommand):
        return command.action not in ("status", "history")
    return command.mutates


def _parse_kubectl(words: list[Word], end: int) -> Command:
    """Parse ``kubectl [-n NS] VERB ...`` (words[0] is ``kubectl``)."""
    i = 1
    pre = Parsed()
    while i < len(words) and words[i].value.startswith("-") and words[i].value not in ("-", "--"):
        i = take_flag(words, i, NAMESPACE, pre, "kubectl")
    if i >= len(words):
        raise CommandError("kubectl needs a command", offset=end, hint=_VERBS)
    verb = words[i]
    parsers: dict[str, Callable[[Word, list[Word], Parsed], Command]] = {**_READ_PARSERS, **CHANGE_PARSERS}
    if verb.value not in parsers:
        hint = _VERB_HINTS.get(verb.value, _VERBS)
        raise CommandError(f"unsupported kubectl command {verb.value!r}", offset=verb.offset, hint=hint)
    return parsers[verb.value](verb, words[i + 1 :], pre)


_OUTPUT_FORMATS = ("wide", "yaml", "json", "name")
_OUTPUT_TEMPLATES = ("jsonpath=", "jsonpath-as-json=", "custom-columns=")
_GET_FLAGS: FlagSpec = {
    **NAMESPACE,
    "-A": ("all_namespaces", False), "--all-namespaces": ("all_namespaces", False),
    "-l": ("selector", True), "--selector": ("selector", True),
    "-o": ("output", True), "--output": ("output", True),
    "--show-labels": ("show_labels", False),
    "-L": ("label_columns", True), "--label-columns": ("label_columns", True),
    "--sort-by": ("sort_by", True),
    "--no-headers": ("no_headers", False),
    "--field-selector": ("field_selector", True),
    "-w": ("watch", False), "--watch": ("watch", False),
    "--watch-only": ("watch_only", False),
    "--output-watch-events": ("watch_events", False),
}


def _parse_get(verb: Word, words: list[Word], pre: Parsed) -> GetCommand:
    parsed = parse_flags(words, _GET_FLAGS, "get", pre, dashdash=False)
    output = _output_format(parsed)
    check_selector_flag(parsed, "selector")
    if not parsed.args:
        raise CommandError("kubectl get needs a resource type", offset=verb.offset, hint=USAGE["get"])
    cmd = GetCommand(
        resources=[],
        namespace=flag(parsed, "namespace"),
        all_namespaces=parsed.has("all_namespaces"),
        selector=flag(parsed, "selector"),
        wide=output == "wide",
        output=output if output != "wide" else None,
        show_labels=parsed.has("show_labels"),
        label_columns=[key for value in parsed.repeated.get("label_columns", []) for key in value.split(",")],
        sort_by=flag(parsed, "sort_by"),
        no_headers=parsed.has("no_headers"),
        field_selector=flag(parsed, "field_selector"),
        watch=parsed.has("watch"),
        watch_only=parsed.has("watch_only"),
        watch_events=parsed.has("watch_events"),
    )
    if cmd.watch_events and not (cmd.watch or cmd.watch_only):
        raise CommandError("--output-watch-events option can only be used with --watch or --watch-only",
                           offset=parsed.offset("watch_events"), hint=USAGE["get"])
    _resources_and_names(cmd, parsed.args)
    return cmd


def _output_format(parsed: Parsed) -> str | None:
    output = flag(parsed, "output")
    if output is None or output in _OUTPUT_FORMATS or output.startswith(_OUTPUT_TEMPLATES):
        return output
    raise CommandError(f"unsupported output format {output!r}", offset=parsed.offset("output"),
                       hint="-o wide|yaml|json|name|jsonpath=TEMPLATE|custom-columns=SPEC")


def _resources_and_names(cmd: GetCommand | DescribeCommand, args: list[Word]) -> None:
    """Fill ``resources``/``names`` from ``TYPE[,TYPE] NAME...`` or ``TYPE/NAME...``."""
    if "/" in args[0].value:
        cmd.paired = True
        for target in targets(args):
            cmd.resources.append(target.resource)
            cmd.names.append(target.name)
        return
    cmd.resources = [resource(kind, args[0].offset) for kind in args[0].value.split(",")]
    cmd.names = [w.value for w in args[1:]]
    for word in args[1:]:
        if "/" in word.value:
            raise CommandError("a name cannot contain '/'", offset=word.offset,
                               hint="write every argument as TYPE/NAME, or TYPE NAME...")


_DESCRIBE_FLAGS: FlagSpec = {
    **NAMESPACE,
    "-A": ("all_namespaces", False), "--all-namespaces": ("all_namespaces", False),
    "-l": ("selector", True), "--selector": ("selector", True),
}


def _parse_describe(verb: Word, words: list[Word], pre: Parsed) -> DescribeCommand:
    parsed = parse_flags(words, _DESCRIBE_FLAGS, "describe", pre, dashdash=False)
    check_selector_flag(parsed, "selector")
    if not parsed.args:
        raise CommandError("kubectl describe needs a resource type", offset=verb.offset, hint=USAGE["describe"])
    cmd = DescribeCommand(resources=[], namespace=flag(parsed, "namespace"),
                          all_namespaces=parsed.has("all_namespaces"), selector=flag(parsed, "selector"))
    _resources_and_names(cmd, parsed.args)
    return cmd


_LOGS_FLAGS: FlagSpec = {
    **NAMESPACE,
    "-c": ("container", True), "--container": ("container", True),
    "-l": ("selector", True), "--selector": ("selector", True),
    "--tail": ("tail", True), "--since": ("since", True),
    "--timestamps": ("timestamps", False), "--prefix": ("prefix", False),
    "--all-containers": ("all_containers", False),
    "-p": ("previous", False), "--previous": ("previous", False),
}


def _parse_logs(verb: Word, words: list[Word], pre: Parsed) -> LogsCommand:
    parsed = parse_flags(words, _LOGS_FLAGS, "logs", pre, dashdash=False)
    check_selector_flag(parsed, "selector")
    selector = flag(parsed, "selector")
    if len(parsed.args) != (0 if selector is not None else 1):
        where = parsed.args[-1].offset if parsed.args else verb.offset
        raise CommandError("kubectl logs takes one pod (POD or TYPE/NAME), or -l SELECTOR", offset=where,
                           hint=USAGE["logs"])
    tail = flag(parsed, "tail")
    return LogsCommand(
        target=_log_target(parsed.args[0]) if parsed.args else None,
        selector=selector,
        container=flag(parsed, "container"),
        tail=None if tail is None else non_negative(tail, parsed.offset("tail"), "--tail", allow=(-1,)),
        since=_duration(parsed, "since"),
        timestamps=parsed.has("timestamps"),
        prefix=parsed.has("prefix"),
        all_containers=parsed.has("all_containers"),
        previous=parsed.has("previous"),
        namespace=flag(parsed, "namespace"),
    )


def _log_target(word: Word) -> Target:
    if "/" not in word.value:
        return Target("pods", word.value, "pod")
    [target] = targets([word])
    return target


def _duration(parsed: Parsed, dest: str) -> str | None:
    value = flag(parsed, dest)
    if value is not None and not _is_go_duration(value):
        raise CommandError(f"{value!r} is not a duration", offset=parsed.offset(dest),
                           hint="write durations as Go does: 30s, 5m, 1h")
    return value


def _is_go_duration(text: str) -> bool:
    return bool(re.fullmatch(r"(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+", text))


_EVENTS_FLAGS: FlagSpec = {
    **NAMESPACE,
    "-A": ("all_namespaces", False), "--all-namespaces": ("all_namespaces", False),
    "--for": ("for", True), "--types": ("types", True), "--no-headers": ("no_headers", False),
}


def _parse_events(verb: Word, words: list[Word], pre: Parsed) -> EventsCommand:
    parsed = parse_flags(words, _EVENTS_FLAGS, "events", pre, dashdash=False)
    if parsed.args:
        raise CommandError("kubectl events takes no arguments", offset=parsed.args[0].offset,
                           hint=USAGE["events"])
    for_object = flag(parsed, "for")
    types = [t for value in parsed.repeated.get("types", []) for t in value.split(",")]
    for kind in types:
        if kind.lower() not in ("normal", "warning"):
            raise CommandError(f"valid --types are Normal or Warning, not {kind!r}",
                               offset=parsed.offset("types"), hint=USAGE["events"])
    return EventsCommand(
        for_object=targets([Word(for_object, parsed.offset("for"))])[0] if for_object else None,
        types=types,
        all_namespaces=parsed.has("all_namespaces"),
        no_headers=parsed.has("no_headers"),
        namespace=flag(parsed, "namespace"),
    )


_TOP_FLAGS: dict[str, FlagSpec] = {
    "pods": {
        **NAMESPACE,
        "-A": ("all_namespaces", False), "--all-namespaces": ("all_namespaces", False),
        "-l": ("selector", True), "--selector": ("selector", True),
        "--field-selector": ("field_selector", True), "--containers": ("containers", False),
        "--sort-by": ("sort_by", True), "--no-headers": ("no_headers", False), "--sum": ("sum", False),
    },
    "nodes": {
        **NAMESPACE,
        "-l": ("selector", True), "--selector": ("selector", True),
        "--sort-by": ("sort_by", True), "--no-headers": ("no_headers", False),
        "--show-capacity": ("show_capacity", False),
    },
}
_TOP_RESOURCES = {"pod": "pods", "pods": "pods", "po": "pods", "node": "nodes", "nodes": "nodes", "no": "nodes"}


def _parse_top(verb: Word, words: list[Word], pre: Parsed) -> TopCommand:
    """``kubectl top pod|node``; kubectl's own checks (``Validate``) become parse errors with its words."""
    i, pre = 0, Parsed(flags=dict(pre.flags))
    while i < len(words) and words[i].value.startswith("-") and words[i].value not in ("-", "--"):
        i = take_flag(words, i, NAMESPACE, pre, "top")  # kubectl top -n NS pod: cobra skips -n to find pod
    if i >= len(words) or words[i].value not in _TOP_RESOURCES:
        where = words[i].offset if i < len(words) else verb.offset
        raise CommandError("kubectl top needs pod or node", offset=where, hint=USAGE["top"])
    resource = _TOP_RESOURCES[words[i].value]
    parsed = parse_flags(words[i + 1 :], _TOP_FLAGS[resource], "top", pre, dashdash=False)
    check_selector_flag(parsed, "selector")
    if len(parsed.args) > 1:
        raise CommandError(f"kubectl top {resource[:-1]} takes one NAME at most", offset=parsed.args[1].offset,
                           hint=USAGE["top"])
    sort_by = flag(parsed, "sort_by") or ""
    if sort_by not in ("", "cpu", "memory"):
        raise CommandError("--sort-by accepts only cpu or memory", offset=parsed.offset("sort_by"), hint=USAGE["top"])
    name = parsed.args[0].value if parsed.args else None
    if name and (flag(parsed, "selector") or flag(parsed, "field_selector")):
        which = "selector" if resource == "pods" else "--selector"
        raise CommandError(f"only one of NAME or {which} can be provided", offset=parsed.args[0].offset,
                           hint=USAGE["top"])
    return TopCommand(
        resource=resource, name=name, selector=flag(parsed, "selector"),
        field_selector=flag(parsed, "field_selector"), all_namespaces=parsed.has("all_namespaces"),
        containers=parsed.has("containers"), sort_by=sort_by, no_headers=parsed.has("no_headers"),
        sum=parsed.has("sum"), show_capacity=parsed.has("show_capacity"), namespace=flag(parsed, "namespace"),
    )


_EXEC_FLAGS: FlagSpec = {
    **NAMESPACE,
    "-c": ("container", True), "--container": ("container", True),
    "-i": ("stdin", False), "--stdin": ("stdin", False),
    "-t": ("tty", False), "--tty": ("tty", False),
}


def _parse_exec(verb: Word, words: list[Word], pre: Parsed) -> ExecCommand:
    parsed = parse_flags(words, _EXEC_FLAGS, "exec", pre, dashdash=True)
    if not parsed.args:
        raise CommandError("kubectl exec needs a pod name", offset=verb.offset, hint=USAGE["exec"])
    if parsed.rest is None or len(parsed.args) > 1:
        where = parsed.args[1].offset if len(parsed.args) > 1 else parsed.args[0].offset
        raise CommandError("the command to run must follow '--'", offset=where, hint=USAGE["exec"])
    if not parsed.rest:
        raise CommandError("nothing to run after '--'", offset=parsed.args[0].offset, hint=USAGE["exec"])
    pod = parsed.args[0]
    kind, slash, name = pod.value.rpartition("/")
    if (slash and resource_name(kind) != "pods") or not name:
        raise CommandError(f"exec target {pod.value!r} is not a pod", offset=pod.offset,
                           hint="name the pod: kubectl exec POD -- ...")
    return ExecCommand(pod=name, container=flag(parsed, "container"), namespace=flag(parsed, "namespace"),
                       argv=[w.value for w in parsed.rest])


def _parse_port_forward(verb: Word, words: list[Word], pre: Parsed) -> PortForwardCommand:
    parsed = parse_flags(words, NAMESPACE, "port-forward", pre, dashdash=False)
    if len(parsed.args) != 2:
        where = parsed.args[2].offset if len(parsed.args) > 2 else verb.offset
        raise CommandError("port-forward takes a target and one port", offset=where, hint=USAGE["port-forward"])
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
        namespace=flag(parsed, "namespace"),
    )


def _port(text: str, offset: int, *, allow_zero: bool) -> int:
    if not text.isascii() or not text.isdigit() or not (0 if allow_zero else 1) <= int(text) <= 65535:
        raise CommandError(f"{text!r} is not a port number", offset=offset,
                           hint="write ports as numbers: LOCAL:REMOTE or PORT")
    return int(text)


_READ_PARSERS: dict[str, Callable[[Word, list[Word], Parsed], Command]] = {
    "get": _parse_get,
    "describe": _parse_describe,
    "logs": _parse_logs,
    "events": _parse_events,
    "top": _parse_top,
    "exec": _parse_exec,
    "port-forward": _parse_port_forward,
}
assert not set(_READ_PARSERS) & set(CHANGE_USAGE)
