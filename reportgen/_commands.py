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

import functools
import re
import warnings
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import ClassVar

__all__ = [
    "SUPPORTED",
    "VARIABLES",
    "Command",
    "CommandError",
    "ExecCommand",
    "GetCommand",
    "GrepPipe",
    "HeadPipe",
    "Pipe",
    "PortForwardCommand",
    "TailPipe",
    "WcPipe",
    "apply_pipes",
    "check_selector",
    "parse_command",
    "resource_kind",
    "resource_name",
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

# canonical resource (API plural) -> (Kind, aliases kubectl accepts)
_RESOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "pods": ("Pod", ("pod", "po")),
    "services": ("Service", ("service", "svc")),
    "endpoints": ("Endpoints", ("ep",)),
    "endpointslices": ("EndpointSlice", ("endpointslice",)),
    "deployments": ("Deployment", ("deployment", "deploy")),
    "replicasets": ("ReplicaSet", ("replicaset", "rs")),
    "statefulsets": ("StatefulSet", ("statefulset", "sts")),
    "daemonsets": ("DaemonSet", ("daemonset", "ds")),
    "jobs": ("Job", ("job",)),
    "cronjobs": ("CronJob", ("cronjob", "cj")),
    "configmaps": ("ConfigMap", ("configmap", "cm")),
    "secrets": ("Secret", ("secret",)),
    "serviceaccounts": ("ServiceAccount", ("serviceaccount", "sa")),
    "persistentvolumeclaims": ("PersistentVolumeClaim", ("persistentvolumeclaim", "pvc")),
    "ingresses": ("Ingress", ("ingress", "ing")),
    "networkpolicies": ("NetworkPolicy", ("networkpolicy", "netpol")),
    "events": ("Event", ("event", "ev")),
    "nodes": ("Node", ("node", "no")),
    "namespaces": ("Namespace", ("namespace", "ns")),
}
_ALIASES: dict[str, str] = {
    alias: plural
    for plural, (kind, aliases) in _RESOURCES.items()
    for alias in (plural, kind.lower(), *aliases)
}


def resource_name(text: str) -> str | None:
    """The API plural for a kubectl resource type (``svc`` -> ``services``), or None."""
    return _ALIASES.get(text.lower())


def resource_kind(text: str) -> str | None:
    """The object Kind for a kubectl resource type (``svc`` -> ``Service``), or None."""
    plural = resource_name(text)
    return _RESOURCES[plural][0] if plural else None


_LABEL_KEY = r"(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?"
_LABEL_VALUE = r"(?:[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?"
_REQUIREMENT = re.compile(
    rf"\s*(?:!\s*{_LABEL_KEY}|{_LABEL_KEY}\s*(?:(?:==?|!=)\s*{_LABEL_VALUE}"
    rf"|\s(?:in|notin)\s*\(\s*{_LABEL_VALUE}(?:\s*,\s*{_LABEL_VALUE})*\s*\))?)\s*"
)


def check_selector(selector: str) -> str | None:
    """Why a label selector is not valid kubectl syntax, or None when it is."""
    if not selector.strip():
        return "the label selector is empty"
    for part in re.split(r",(?![^()]*\))", selector):
        if not _REQUIREMENT.fullmatch(part):
            return f"{part.strip()!r} is not a label requirement (key=value, key!=value, key in (a,b), key, !key)"
    return None


class CommandError(ValueError):
    """A command line that reportgen cannot run.

    Args:
        message: What is wrong.
        offset: 0-based offset in the line of the offending character.
        hint: What to do about it.
    """

    def __init__(self, message: str, *, offset: int = 0, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


# --------------------------------------------------------------------------- words


@dataclass(frozen=True)
class _Word:
    value: str
    offset: int


_SHELL_HINT = "a step runs one kubectl command, optionally piped into grep, head, tail or wc -l"
_QUOTE_HINT = "quote it ('...') so that it reaches the command as it is"
_OPERATORS = {
    ";": "';' (command list)",
    "&": "'&' (background or '&&')",
    ">": "'>' (redirection)",
    "<": "'<' (redirection)",
    "(": "'(' (subshell)",
    ")": "')' (subshell)",
    "`": "'`' (command substitution)",
}
_GLOBS = {"*", "?", "[", "{", "}", "!"}


class _Scanner:
    """Splits a line into pipe segments of words, with POSIX sh quoting."""

    def __init__(self, line: str, variables: Collection[str]) -> None:
        self.line = line
        self.variables = variables
        self.segments: list[list[_Word]] = [[]]
        self.chars: list[str] | None = None
        self.start = 0
        self.bar = 0

    def scan(self) -> list[list[_Word]]:
        i = 0
        while i < len(self.line):
            i = self._step(i)
        self._end_word()
        if not self.segments[-1]:
            where = self.bar if len(self.segments) > 1 else 0
            raise CommandError("nothing after '|'" if where else "empty command", offset=where, hint=_SHELL_HINT)
        return self.segments

    def _step(self, i: int) -> int:
        c = self.line[i]
        if c in " \t":
            self._end_word()
            return i + 1
        if c in "\n\r":
            raise CommandError("a line break ends the command", offset=i, hint=_SHELL_HINT)
        if c == "|":
            return self._pipe(i)
        if c in _OPERATORS:
            raise CommandError(f"unsupported shell operator {_OPERATORS[c]}", offset=i, hint=_SHELL_HINT)
        if self.chars is None and c in "#~":
            what = "a comment" if c == "#" else "home directory expansion"
            raise CommandError(f"unquoted {c!r} starts {what}", offset=i, hint=_QUOTE_HINT)
        if c in _GLOBS and not (c == "!" and self.line[i + 1 : i + 2] in ("", "=", " ", "\t")):
            raise CommandError(f"unquoted {c!r} is expanded by the shell", offset=i, hint=_QUOTE_HINT)
        if self.chars is None:
            self.chars, self.start = [], i
        if c == "\\":
            return self._escape(i)
        if c == "'":
            return self._single(i)
        if c == '"':
            return self._double(i)
        if c == "$":
            return self._dollar(i, quoted=False)
        self.chars.append(c)
        return i + 1

    def _end_word(self) -> None:
        if self.chars is not None:
            self.segments[-1].append(_Word("".join(self.chars), self.start))
            self.chars = None

    def _pipe(self, i: int) -> int:
        nxt = self.line[i + 1 : i + 2]
        if nxt in ("|", "&"):
            raise CommandError(f"unsupported shell operator '|{nxt}'", offset=i, hint=_SHELL_HINT)
        self._end_word()
        if not self.segments[-1]:
            raise CommandError("nothing before '|'", offset=i, hint=_SHELL_HINT)
        self.segments.append([])
        self.bar = i
        return i + 1

    def _escape(self, i: int) -> int:
        if i + 1 >= len(self.line) or self.line[i + 1] in "\n\r":
            raise CommandError("a trailing backslash continues the command", offset=i, hint=_SHELL_HINT)
        assert self.chars is not None
        self.chars.append(self.line[i + 1])
        return i + 2

    def _single(self, i: int) -> int:
        end = self.line.find("'", i + 1)
        if end < 0:
            raise CommandError("unterminated single quote", offset=i, hint="close it with '")
        assert self.chars is not None
        self.chars.append(self.line[i + 1 : end])
        return end + 1

    def _double(self, i: int) -> int:
        assert self.chars is not None
        j = i + 1
        while j < len(self.line):
            c = self.line[j]
            if c == '"':
                return j + 1
            if c == "\\" and self.line[j + 1 : j + 2] in ("$", "`", '"', "\\", "\n"):
                self.chars.append(self.line[j + 1].replace("\n", ""))
                j += 2
            elif c == "`":
                raise CommandError("'`' runs a command on your machine", offset=j, hint=_SINGLE_QUOTE_HINT)
            elif c == "$":
                j = self._dollar(j, quoted=True)
            else:
                self.chars.append(c)
                j += 1
        raise CommandError('unterminated double quote', offset=i, hint='close it with "')

    def _dollar(self, i: int, *, quoted: bool) -> int:
        assert self.chars is not None
        nxt = self.line[i + 1 : i + 2]
        hint = _SINGLE_QUOTE_HINT if quoted else _VARIABLE_HINT.format(", ".join(self.variables))
        if nxt == "{":
            end = self.line.find("}", i + 2)
            name = self.line[i + 2 : end] if end > 0 else ""
            if end < 0 or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise CommandError("unsupported parameter expansion", offset=i, hint=hint)
            if name not in self.variables:
                known = ", ".join(f"${{{v}}}" for v in self.variables)
                raise CommandError(f"unknown variable ${{{name}}}", offset=i, hint=f"available: {known}")
            self.chars.append(self.line[i : end + 1])
            return end + 1
        if nxt == "(":
            raise CommandError("'$(' runs a command on your machine", offset=i, hint=hint)
        if nxt in ("'", '"') and not quoted:
            raise CommandError(f"${nxt}...{nxt} quoting means something else in bash than in sh", offset=i,
                               hint="write the characters themselves, in plain single quotes")
        if nxt and (nxt.isalnum() or nxt in "_?#@*!-$"):
            shown = re.match(r"[A-Za-z_][A-Za-z0-9_]*|.", self.line[i + 1 :], re.S)
            assert shown is not None
            raise CommandError(f"'${shown.group()}' is expanded by your shell", offset=i, hint=hint)
        self.chars.append("$")
        return i + 1


_SINGLE_QUOTE_HINT = "single-quote it ('...') to pass it to the container as it is"
_VARIABLE_HINT = "variables are written ${{name}} with name one of: {}; single-quote a literal '$'"


# --------------------------------------------------------------------------- pipes


@dataclass(frozen=True)
class GrepPipe:
    """``grep [-v] [-i] [-E] [-c] PATTERN`` (GNU grep semantics)."""

    pattern: str
    invert: bool = False
    ignore_case: bool = False
    extended: bool = False
    count: bool = False

    name: ClassVar[str] = "grep"

    def apply(self, text: str) -> tuple[str, int]:
        """Filter ``text`` like grep: matching lines, each ending with a newline."""
        regex = _compile_grep(self.pattern, extended=self.extended, ignore_case=self.ignore_case)
        kept = [ln for ln in _content_lines(text) if bool(regex.search(ln)) != self.invert]
        status = 0 if kept else 1
        if self.count:
            return f"{len(kept)}\n", status
        return "".join(f"{ln}\n" for ln in kept), status


@dataclass(frozen=True)
class HeadPipe:
    """``head -n N``, or ``head -n -N`` (all but the last N) when ``all_but_last``."""

    lines: int = 10
    all_but_last: bool = False

    name: ClassVar[str] = "head"

    def apply(self, text: str) -> tuple[str, int]:
        """The first lines of ``text``, line endings kept as they were."""
        lines = _raw_lines(text)
        stop = max(len(lines) - self.lines, 0) if self.all_but_last else self.lines
        return "".join(lines[:stop]), 0


@dataclass(frozen=True)
class TailPipe:
    """``tail -n N``, or ``tail -n +N`` (from line N on) when ``from_start``."""

    lines: int = 10
    from_start: bool = False

    name: ClassVar[str] = "tail"

    def apply(self, text: str) -> tuple[str, int]:
        """The last lines of ``text``, line endings kept as they were."""
        lines = _raw_lines(text)
        if self.from_start:
            return "".join(lines[max(self.lines - 1, 0) :]), 0
        return "".join(lines[-self.lines :] if self.lines > 0 else []), 0


@dataclass(frozen=True)
class WcPipe:
    """``wc -l``: the number of newline characters, as GNU wc prints it."""

    name: ClassVar[str] = "wc"

    def apply(self, text: str) -> tuple[str, int]:
        """The newline count of ``text`` followed by a newline."""
        return f"{text.count(chr(10))}\n", 0


Pipe = GrepPipe | HeadPipe | TailPipe | WcPipe


def apply_pipes(text: str, pipes: list[Pipe], exit_code: int = 0) -> tuple[str, int]:
    """Run captured output through a step's pipes, as a shell would.

    Args:
        text: What the kubectl part printed on standard output.
        pipes: The command's pipes, in order.
        exit_code: The kubectl part's exit status.

    Returns:
        The final output and the pipeline's exit status: the last pipe's, or
        ``exit_code`` when there are no pipes.
    """
    for pipe in pipes:
        text, exit_code = pipe.apply(text)
    return text, exit_code


def _raw_lines(text: str) -> list[str]:
    """Lines split on ``\\n`` only, each keeping its ``\\n`` (the last may lack one)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _content_lines(text: str) -> list[str]:
    """Lines split on ``\\n`` only, without their ``\\n``."""
    return [ln.removesuffix("\n") for ln in _raw_lines(text)]


_POSIX_CLASSES = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "space": r" \t\n\r\f\v",
    "blank": r" \t",
    "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "xdigit": "0-9A-Fa-f",
    "cntrl": r"\x00-\x1f\x7f",
    "print": r"\x20-\x7e",
    "graph": r"\x21-\x7e",
}


@functools.lru_cache(maxsize=256)
def _compile_grep(pattern: str, *, extended: bool, ignore_case: bool) -> re.Pattern[str]:
    """Compile a POSIX basic (or, with ``extended``, extended) regex for Python."""
    flags = re.IGNORECASE if ignore_case else 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return re.compile(_translate(pattern, extended), flags)
    except (re.error, OverflowError, RecursionError) as exc:
        raise ValueError(f"grep: invalid pattern: {exc}") from None


def _translate(pattern: str, extended: bool) -> str:
    """Translate a POSIX (GNU) regular expression into Python syntax."""
    out: list[str] = []
    i, n = 0, len(pattern)
    start = True  # at the start of an expression, where '*' is literal
    while i < n:
        c = pattern[i]
        was_start, start = start, False
        if c == "\\":
            if i + 1 >= n:
                raise ValueError("grep: trailing backslash")
            d = pattern[i + 1]
            i += 2
            if not extended and d in "(|":
                out.append(d)
                start = True
            elif not extended and d in "+?){}":
                out.append(d)
            elif d in "<>":
                out.append(r"\b")
            elif d in "wWsSbB" or d.isdigit():
                out.append("\\" + d)
            else:
                out.append(re.escape(d))
            continue
        if c == "[":
            cls, i = _bracket(pattern, i)
            out.append(cls)
            continue
        i += 1
        if c in "*+?" and (was_start or (c != "*" and not extended)):
            out.append(re.escape(c))
        elif c == "*" or c == ".":
            out.append(c)
        elif c == "^":
            literal = not extended and not was_start
            out.append(r"\^" if literal else "^")
            start = not literal
        elif c == "$":
            at_end = i >= n or pattern.startswith(("\\)", "\\|"), i)
            out.append("$" if extended or at_end else r"\$")
        elif c in "(|" and extended:
            out.append(c)
            start = True
        elif c in "+?){}" and extended:
            out.append(c)
        else:
            out.append(re.escape(c))
    return "".join(out)


def _bracket(pattern: str, i: int) -> tuple[str, int]:
    """Translate the bracket expression starting at ``pattern[i] == '['``."""
    j = i + 1
    negate = pattern[j : j + 1] == "^"
    j += negate
    parts: list[str] = []
    first = True
    while j < len(pattern):
        c = pattern[j]
        if c == "]" and not first:
            return "[" + ("^" if negate else "") + "".join(parts) + "]", j + 1
        first = False
        if c == "[" and pattern[j + 1 : j + 2] in (":", "=", "."):
            close = pattern.find(pattern[j + 1] + "]", j + 2)
            if close < 0:
                raise ValueError("grep: unterminated character class")
            name = pattern[j + 2 : close]
            if pattern[j + 1] == ":":
                if name not in _POSIX_CLASSES:
                    raise ValueError(f"grep: unknown character class [:{name}:]")
                parts.append(_POSIX_CLASSES[name])
            else:
                parts.append(re.escape(name))
            j = close + 2
        elif c == "-" and parts and pattern[j + 1 : j + 2] not in ("]", ""):
            parts.append("-")
            j += 1
        else:
            parts.append(re.escape(c))
            j += 1
    raise ValueError("grep: unmatched [")


# --------------------------------------------------------------------------- commands


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
    segments = _Scanner(line, variables).scan()
    first = segments[0]
    if first[0].value != "kubectl":
        raise CommandError(f"unsupported command {first[0].value!r}", offset=first[0].offset, hint=_VERBS)
    pipes = [_parse_pipe(words) for words in segments[1:]]
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
    args: list[_Word] = field(default_factory=list)
    rest: list[_Word] | None = None  # after "--"


def _parse_kubectl(words: list[_Word], end: int) -> Command:
    """Parse ``kubectl [-n NS] VERB ...`` (words[0] is ``kubectl``)."""
    i = 1
    pre = _Parsed()
    while i < len(words) and words[i].value.startswith("-") and words[i].value not in ("-", "--"):
        i = _take_flag(words, i, _NAMESPACE, pre, "kubectl")
    if i >= len(words):
        raise CommandError("kubectl needs a command", offset=end, hint=_VERBS)
    verb = words[i]
    parsers: dict[str, Callable[[_Word, list[_Word], _Parsed], Command]] = {
        "get": _parse_get,
        "exec": _parse_exec,
        "port-forward": _parse_port_forward,
    }
    if verb.value not in parsers:
        hint = _VERB_HINTS.get(verb.value, _VERBS)
        raise CommandError(f"unsupported kubectl command {verb.value!r}", offset=verb.offset, hint=hint)
    return parsers[verb.value](verb, words[i + 1 :], pre)


def _parse_flags(words: list[_Word], spec: _FlagSpec, verb: str, pre: _Parsed, *, dashdash: bool) -> _Parsed:
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


def _take_flag(words: list[_Word], i: int, spec: _FlagSpec, parsed: _Parsed, verb: str) -> int:
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


def _store(words: list[_Word], i: int, spec: _FlagSpec, parsed: _Parsed, verb: str,
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


def _unknown_flag(word: _Word, name: str, verb: str) -> None:
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


def _parse_get(verb: _Word, words: list[_Word], pre: _Parsed) -> GetCommand:
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


def _parse_exec(verb: _Word, words: list[_Word], pre: _Parsed) -> ExecCommand:
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


def _parse_port_forward(verb: _Word, words: list[_Word], pre: _Parsed) -> PortForwardCommand:
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


def _parse_pipe(words: list[_Word]) -> Pipe:
    head = words[0]
    parsers: dict[str, Callable[[list[_Word]], Pipe]] = {
        "grep": _parse_grep,
        "head": _parse_head,
        "tail": _parse_tail,
        "wc": _parse_wc,
    }
    if head.value not in parsers:
        raise CommandError(f"unsupported pipe command {head.value!r}", offset=head.offset,
                           hint="pipes may use grep [-v] [-i] [-E] [-c], head [-n N], tail [-n N], wc -l")
    return parsers[head.value](words)


_GREP_FLAGS = {
    "v": "invert", "i": "ignore_case", "E": "extended", "c": "count",
    "-invert-match": "invert", "-ignore-case": "ignore_case",
    "-extended-regexp": "extended", "-count": "count",
}


def _parse_grep(words: list[_Word]) -> GrepPipe:
    opts: dict[str, bool] = {}
    args: list[_Word] = []
    rest = iter(words[1:])
    for word in rest:
        text = word.value
        if text == "--":
            args.extend(rest)
        elif text.startswith("--") or (text.startswith("-") and len(text) > 1):
            names = [text[1:]] if text.startswith("--") else list(text[1:])
            for name in names:
                if name not in _GREP_FLAGS:
                    raise CommandError(f"unsupported grep option -{name}", offset=word.offset,
                                       hint="grep supports -v, -i, -E and -c")
                opts[_GREP_FLAGS[name]] = True
        else:
            args.append(word)
    if len(args) != 1:
        where = args[1].offset if len(args) > 1 else words[0].offset
        raise CommandError("grep takes exactly one pattern", offset=where,
                           hint="grep reads the command's output; quote a pattern that has spaces")
    pipe = GrepPipe(args[0].value, **opts)
    try:
        _compile_grep(pipe.pattern, extended=pipe.extended, ignore_case=pipe.ignore_case)
    except ValueError as exc:
        raise CommandError(str(exc), offset=args[0].offset, hint="check the regular expression") from None
    return pipe


def _count_option(words: list[_Word], tool: str, *, signs: str) -> tuple[int, str]:
    """Parse ``-n N``, ``-nN``, ``--lines=N`` or ``-N``; return (N, sign written)."""
    hint = f"{tool} -n N (or {tool} -N)"
    if len(words) == 1:
        return 10, ""
    args = [w.value for w in words[1:]]
    text = None
    if len(args) == 2 and args[0] in ("-n", "--lines"):
        text = args[1]
    elif len(args) == 1 and args[0].startswith(("-n", "--lines=")):
        text = args[0].removeprefix("--lines=").removeprefix("-n")
    elif len(args) == 1 and re.fullmatch(r"-\d+", args[0]):
        text = args[0][1:]
    sign = text[:1] if text and text[0] in signs else ""
    digits = text[len(sign) :] if text is not None else ""
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
        raise CommandError(f"unsupported {tool} arguments", offset=words[1].offset, hint=hint)
    return int(digits), sign


def _parse_head(words: list[_Word]) -> HeadPipe:
    count, sign = _count_option(words, "head", signs="-")
    return HeadPipe(count, all_but_last=bool(sign))


def _parse_tail(words: list[_Word]) -> TailPipe:
    count, sign = _count_option(words, "tail", signs="+")
    return TailPipe(count, from_start=bool(sign))


def _parse_wc(words: list[_Word]) -> WcPipe:
    if [w.value for w in words[1:]] not in (["-l"], ["--lines"]):
        where = words[1].offset if len(words) > 1 else words[0].offset
        raise CommandError("only wc -l is supported", offset=where, hint="count lines with wc -l")
    return WcPipe()
