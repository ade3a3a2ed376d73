"""Reading what ``nslookup`` printed, whichever nslookup it was.

Three formats are understood:

- busybox since 1.28 (its own resolver; the lab's busybox image)::

      Server:\t\t10.96.0.10
      Address:\t10.96.0.10:53

      foo.default.svc.cluster.local\tcanonical name = api.github.com
      Name:\tapi.github.com
      Address: 20.200.245.245

  with ``** server can't find NAME: NXDOMAIN`` for a failed query and
  ``*** Can't find NAME: No answer`` for one that got no reply;
- busybox before 1.28 (libc's getaddrinfo), which never shows a CNAME::

      Server:    10.96.0.10
      Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

      Name:      mongodb-headless
      Address 1: 10.244.0.8 mongodb-0.mongodb-headless.default.svc.cluster.local

  with ``nslookup: can't resolve 'NAME'`` on stderr when it fails;
- bind-utils, like the new busybox but with ``Address:\t10.96.0.10#53`` and a
  trailing dot on CNAME targets.

Nothing here raises on odd text: what is not recognised is skipped, and output
with nothing recognisable at all is a :class:`Lookup` whose error is
:data:`UNRECOGNIZED`.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from reportgen._evidence import Capture

__all__ = [
    "NOT_FOUND",
    "NO_ANSWER",
    "PARSE_ERROR",
    "TIMEOUT",
    "UNREACHABLE",
    "UNRECOGNIZED",
    "Lookup",
    "normalize_ip",
    "parse_capture",
    "parse_output",
]

NO_ANSWER = "no answer"
"""The server answered (or was asked) but gave no address."""
TIMEOUT = "timeout"
"""No server answered in time."""
UNREACHABLE = "unreachable"
"""No server could be reached (refused, network error)."""
NOT_FOUND = "not found"
"""Old busybox could not resolve the name; it does not say why."""
PARSE_ERROR = "parse error"
"""busybox could not parse the reply."""
UNRECOGNIZED = "unrecognized"
"""The text is not nslookup output (e.g. a kubectl error)."""

# Errors without an rcode, most telling first; rcodes (NXDOMAIN...) beat them all.
_PLAIN_ERRORS = (TIMEOUT, UNREACHABLE, NOT_FOUND, PARSE_ERROR, NO_ANSWER)

_SERVER = re.compile(r"^Server:\s*(\S+)")
_ADDRESS = re.compile(r"^Address(\s+\d+)?:\s*(\S+)")
_NAME = re.compile(r"^Name:\s*(\S+)")
_CNAME = re.compile(r"^(\S+)\s+canonical name\s*=\s*(\S+)")
_RCODE = re.compile(r"^\*\*\s*server can't find\s+(\S+?):\s*([A-Z][A-Z0-9]*|\d+)\b")
_CANT_FIND = re.compile(r"^\*\*\*\s*can't find\s+(\S+?):\s*(.*)$", re.IGNORECASE)
_CANT_RESOLVE = re.compile(r"^nslookup: can't resolve '([^']*)'")
_RESOLVER_NOTE = re.compile(r"^;;\s*(.*)$")


@dataclass
class Lookup:
    """What one nslookup run found.

    Attributes:
        server: The DNS server that answered, as printed (no port).
        name: The name asked for: the first CNAME alias, else the first answer
            name, else the name in the first error.
        cnames: ``(alias, target)`` pairs in order, without trailing dots.
        addresses: IPv4 and IPv6 answer addresses, in order, without repeats.
        error: None when an address came back; else an rcode such as
            ``NXDOMAIN`` or ``SERVFAIL``, or one of :data:`NO_ANSWER`,
            :data:`TIMEOUT`, :data:`UNREACHABLE`, :data:`NOT_FOUND`,
            :data:`PARSE_ERROR`, :data:`UNRECOGNIZED`.
        errors: Every error printed, in order (a search list gives several).
        legacy: True for old busybox output, which never shows CNAMEs.
        exit_code: The command's exit code, when known.
    """

    server: str | None = None
    name: str | None = None
    cnames: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    error: str | None = None
    errors: list[str] = field(default_factory=list)
    legacy: bool = False
    exit_code: int | None = None

    @property
    def resolved(self) -> bool:
        """True when at least one address came back."""
        return bool(self.addresses)

    @property
    def recognized(self) -> bool:
        """True when the text was nslookup output at all."""
        return self.error != UNRECOGNIZED


def normalize_ip(text: str) -> str | None:
    """The canonical form of an IP address, or None when it is not one."""
    try:
        return str(ipaddress.ip_address(text.split("%", 1)[0]))
    except ValueError:
        return None


def parse_capture(capture: Capture) -> Lookup:
    """Parse the stdout and stderr of a captured nslookup step."""
    return parse_output(capture.stdout, capture.stderr, capture.exit_code)


def parse_output(stdout: str, stderr: str = "", exit_code: int | None = None) -> Lookup:
    """Parse nslookup's output (busybox, old busybox or bind-utils)."""
    reader = _Reader()
    for line in f"{stdout}\n{stderr}".splitlines():
        reader.feed(line.strip())
    return reader.result(exit_code)


class _Reader:
    """A line-by-line reader that remembers whether it is in the server block."""

    def __init__(self) -> None:
        self.in_server = False
        self.recognized = False
        self.server: str | None = None
        self.names: list[str] = []
        self.error_names: list[str] = []
        self.cnames: list[tuple[str, str]] = []
        self.addresses: list[str] = []
        self.errors: list[str] = []
        self.legacy = False

    def feed(self, line: str) -> None:
        """Take one stripped line."""
        if not line:
            self.in_server = False
            return
        for handler in (self._server, self._address, self._name, self._cname, self._failure):
            if handler(line):
                self.recognized = True
                return

    def _server(self, line: str) -> bool:
        match = _SERVER.match(line)
        if not match:
            return False
        self.in_server = True
        if self.server is None:
            self.server = match.group(1)
        return True

    def _address(self, line: str) -> bool:
        match = _ADDRESS.match(line)
        if not match:
            return False
        if match.group(1):
            self.legacy = True
        if not self.in_server:
            ip = normalize_ip(match.group(2))
            if ip is None:
                return False
            if ip not in self.addresses:
                self.addresses.append(ip)
        return True

    def _name(self, line: str) -> bool:
        match = _NAME.match(line)
        if not match:
            return False
        self.in_server = False
        self.names.append(match.group(1).rstrip("."))
        return True

    def _cname(self, line: str) -> bool:
        match = _CNAME.match(line)
        if not match:
            return False
        self.in_server = False
        pair = (match.group(1).rstrip("."), match.group(2).rstrip("."))
        if pair not in self.cnames:  # busybox prints it once for A and once for AAAA
            self.cnames.append(pair)
        return True

    def _failure(self, line: str) -> bool:
        found = _failure_of(line)
        if found is None:
            return False
        name, error = found
        if name is not None and name == self.server:
            return True  # old busybox failing to name its own server
        if name:
            self.error_names.append(name)
        self.errors.append(error)
        return True

    def result(self, exit_code: int | None) -> Lookup:
        """The :class:`Lookup` for everything fed so far."""
        names = [alias for alias, _ in self.cnames[:1]] + self.names + self.error_names
        return Lookup(
            server=self.server,
            name=names[0] if names else None,
            cnames=self.cnames,
            addresses=self.addresses,
            error=self._error(),
            errors=self.errors,
            legacy=self.legacy,
            exit_code=exit_code,
        )

    def _error(self) -> str | None:
        if self.addresses:
            return None
        for error in self.errors:
            if error not in _PLAIN_ERRORS:
                return error  # an rcode
        for error in _PLAIN_ERRORS:
            if error in self.errors:
                return error
        return NO_ANSWER if self.recognized else UNRECOGNIZED


def _failure_of(line: str) -> tuple[str | None, str] | None:
    """The (name, error) a failure line reports, or None for other lines."""
    match = _RCODE.match(line)
    if match:
        return match.group(1), match.group(2)
    match = _CANT_FIND.match(line)
    if match:
        return match.group(1), PARSE_ERROR if "parse" in match.group(2).lower() else NO_ANSWER
    match = _CANT_RESOLVE.match(line)
    if match:
        return match.group(1), NOT_FOUND
    match = _RESOLVER_NOTE.match(line)
    if match:
        return _resolver_note(match.group(1))
    return None


def _resolver_note(note: str) -> tuple[str | None, str] | None:
    """Read a ``;; ...`` line: timeouts and unreachable servers."""
    lowered = note.lower()
    if "timed out" in lowered:
        return None, TIMEOUT
    if "no servers could be reached" in lowered or "communications error" in lowered:
        return None, UNREACHABLE
    return None  # e.g. ";; Got SERVFAIL reply from ...": the ** line follows
