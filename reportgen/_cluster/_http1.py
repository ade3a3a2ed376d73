"""GET over one kept-alive HTTP/1.1 TLS connection: what a light preview needs, without http.client.

``http.client`` imports the ``email`` package (about 25 ms on the lab machine,
an eighth of a preview); a read-only preview needs only GET, a status line,
headers, and a body framed by ``Content-Length`` or chunked transfer coding
(RFC 9112 sections 6 and 7.1), and, for exec, a GET that upgrades to a
WebSocket (:mod:`._websocket` reads its frames). Anything else the server
sends is a :class:`ProtocolError`, and the caller opens a fresh connection once.
"""

from __future__ import annotations

import socket
import ssl

__all__ = ["Connection", "Headers", "ProtocolError"]

_MAX_LINE = 65536


class ProtocolError(OSError):
    """The server's answer is not HTTP/1.1 as this client reads it."""


class Headers:
    """An answer's headers, read as the kubectl port reads them (``getlist``, as urllib3's)."""

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        self._fields = fields

    def getlist(self, name: str) -> list[str]:
        return [value for key, value in self._fields if key == name.lower()]

    def get(self, name: str, default: str | None = None) -> str | None:
        found = self.getlist(name)
        return found[0] if found else default


class Connection:
    """One TLS connection to ``host:port``, opened on first use."""

    def __init__(self, host: str, port: int, context: ssl.SSLContext, timeout: float) -> None:
        self.host, self.port, self.context, self.timeout = host, port, context, timeout
        self._sock: ssl.SSLSocket | None = None
        self._file: socket.SocketIO | None = None

    def get(self, target: str, headers: dict[str, str]) -> tuple[int, bytes, Headers]:
        """GET ``target``: status, body and headers. Raises OSError (ProtocolError among them)."""
        status, fields = self._request(target, headers)
        body = self._body(fields)
        if (fields.get("connection") or "").lower() == "close":
            self.close()
        return status, body, fields

    def upgrade(self, target: str, headers: dict[str, str]) -> tuple[int, bytes, Headers]:
        """GET ``target`` asking to switch protocols: on 101 the connection is the new protocol's
        (:meth:`read_exactly`, :meth:`send`), and the body is empty; else as :meth:`get`."""
        status, fields = self._request(target, headers)
        return (status, b"", fields) if status == 101 else (status, self._body(fields), fields)

    def send(self, data: bytes) -> None:
        assert self._sock is not None
        self._sock.sendall(data)

    def set_timeout(self, seconds: float) -> None:
        """How long any one read or write may wait from now on."""
        assert self._sock is not None
        self._sock.settimeout(seconds)

    def _request(self, target: str, headers: dict[str, str]) -> tuple[int, Headers]:
        if self._sock is None:
            raw = socket.create_connection((self.host, self.port), timeout=self.timeout)
            self._sock = self.context.wrap_socket(raw, server_hostname=self.host)
            self._file = self._sock.makefile("rb")  # type: ignore[assignment]
        lines = [f"GET {target} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 *(f"{k}: {v}" for k, v in headers.items()), "", ""]
        self._sock.sendall("\r\n".join(lines).encode("latin-1"))
        return self._head()

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
        self._sock = self._file = None

    def _line(self) -> bytes:
        assert self._file is not None
        line = self._file.readline(_MAX_LINE + 1)
        if not line:
            raise ProtocolError("the server closed the connection")
        if len(line) > _MAX_LINE or not line.endswith(b"\r\n"):
            raise ProtocolError("a line of the answer is too long or unterminated")
        return bytes(line[:-2])

    def _head(self) -> tuple[int, Headers]:
        version, _, rest = self._line().partition(b" ")
        code = rest[:3]
        if not version.startswith(b"HTTP/1.") or not code.isdigit():
            raise ProtocolError(f"not an HTTP/1.1 status line: {version[:20]!r}")
        fields = []
        while line := self._line():
            name, colon, value = line.partition(b":")
            if not colon:
                raise ProtocolError("a header line without ':'")
            fields.append((name.decode("latin-1").strip().lower(), value.decode("latin-1").strip()))
        return int(code), Headers(fields)

    def _body(self, fields: Headers) -> bytes:
        if (fields.get("transfer-encoding") or "").lower() == "chunked":
            return self._chunked()
        length = fields.get("content-length") or ""
        if not length.isdigit():
            raise ProtocolError("an answer with neither Content-Length nor chunked coding")
        return self.read_exactly(int(length))

    def _chunked(self) -> bytes:
        parts = []
        while size := self._chunk_size():
            parts.append(self.read_exactly(size))
            if self._line():
                raise ProtocolError("a chunk longer than its size")
        while self._line():  # trailer fields, unused
            pass
        return b"".join(parts)

    def _chunk_size(self) -> int:
        digits = self._line().split(b";")[0].strip()
        if not digits or digits.strip(b"0123456789abcdefABCDEF"):
            raise ProtocolError(f"not a chunk size: {digits[:20]!r}")
        return int(digits, 16)

    def read_exactly(self, size: int) -> bytes:
        assert self._file is not None
        data = self._file.read(size)
        if data is None or len(data) != size:
            raise ProtocolError("the server closed the connection inside a body")
        return bytes(data)

