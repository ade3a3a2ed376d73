"""The light reader's HTTP/1.1 GET: framing by Content-Length or chunks, and answers it refuses."""

from __future__ import annotations

import io
import ssl

import pytest

from reportgen._cluster._http1 import Connection, ProtocolError


class _Socket:
    def __init__(self) -> None:
        self.sent = b""
        self.closed = False

    def sendall(self, data: bytes) -> None:
        self.sent += data

    def close(self) -> None:
        self.closed = True


def _answering(answer: bytes) -> tuple[Connection, _Socket]:
    connection = Connection("10.0.0.1", 6443, ssl.create_default_context(), 5)
    sock = _Socket()
    connection._sock, connection._file = sock, io.BufferedReader(io.BytesIO(answer))  # type: ignore[assignment]
    return connection, sock


def test_a_body_framed_by_its_length_and_the_headers_in_order() -> None:
    connection, sock = _answering(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nWarning: a\r\nwarning: b\r\n\r\nhelloNEXT")
    status, body, headers = connection.get("/api?x=1", {"Accept": "application/json"})
    assert (status, body) == (200, b"hello")
    assert headers.getlist("Warning") == ["a", "b"] and headers.get("content-length") == "5"
    assert sock.sent.startswith(b"GET /api?x=1 HTTP/1.1\r\nHost: 10.0.0.1:6443\r\nAccept: application/json\r\n")
    assert sock.sent.endswith(b"\r\n\r\n") and not sock.closed


def test_a_chunked_body_with_extensions_and_trailers() -> None:
    answer = (b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
              b"3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n")
    connection, sock = _answering(answer)
    assert connection.get("/", {})[:2] == (404, b"abc0123456789")
    assert sock.closed and connection._sock is None  # Connection: close


@pytest.mark.parametrize("answer", [
    b"",  # closed before answering
    b"SSH-2.0-OpenSSH\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
    b"HTTP/1.1 200 OK\r\n\r\nbody without framing",
    b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n" + b"x" * 70000 + b"\r\n\r\n",
])
def test_what_is_not_http_as_read_here_is_a_protocol_error(answer: bytes) -> None:
    connection, _sock = _answering(answer)
    with pytest.raises(ProtocolError):
        connection.get("/", {})
