"""The light exec's WebSocket: the handshake's accept key, messages in fragments, ping and close answered."""

from __future__ import annotations

import base64
import hashlib
import io
import ssl

import pytest

from reportgen._cluster._http1 import Connection, ProtocolError
from reportgen._cluster._websocket import handshake, messages


class _Socket:
    def __init__(self) -> None:
        self.sent = b""

    def sendall(self, data: bytes) -> None:
        self.sent += data

    def close(self) -> None:
        pass


def _answering(answer: bytes) -> tuple[Connection, _Socket]:
    connection = Connection("10.0.0.1", 6443, ssl.create_default_context(), 5)
    sock = _Socket()
    connection._sock, connection._file = sock, io.BufferedReader(io.BytesIO(answer))  # type: ignore[assignment]
    return connection, sock


def _frame(opcode: int, payload: bytes, final: bool = True, mask: bytes = b"") -> bytes:
    length = bytes([len(payload)]) if len(payload) < 126 else bytes([126]) + len(payload).to_bytes(2, "big")
    head = bytes([(0x80 if final else 0) | opcode]) + bytes([length[0] | (0x80 if mask else 0)]) + length[1:]
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload)) if mask else payload
    return head + mask + body


def test_messages_in_fragments_masked_or_not_and_long_ones() -> None:
    stream = (_frame(2, b"\x01hel", final=False) + _frame(0, b"lo") + _frame(9, b"p") +
              _frame(2, b"\x02" + b"e" * 300, mask=b"abcd") + _frame(8, b"\x03\xe8bye"))
    connection, sock = _answering(stream)
    assert list(messages(connection)) == [b"\x01hello", b"\x02" + b"e" * 300]
    pong, close = sock.sent[:7], sock.sent[7:]  # both masked, as a client's frames must be
    assert pong[0] == 0x8A and pong[1] == 0x81 and bytes([pong[6] ^ pong[2]]) == b"p"
    assert close[0] == 0x88 and close[1] == 0x82 and bytes(b ^ close[2 + i % 4] for i, b in enumerate(close[6:])) == b"\x03\xe8"


def _accept(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()


@pytest.mark.parametrize("right", [True, False])
def test_the_handshake_checks_the_servers_accept_key(monkeypatch: pytest.MonkeyPatch, right: bool) -> None:
    monkeypatch.setattr("os.urandom", lambda n: b"k" * n)
    key = base64.b64encode(b"k" * 16).decode()
    accept = _accept(key) if right else _accept("other")
    connection, sock = _answering(f"HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: {accept}\r\n\r\n".encode())
    if right:
        assert handshake(connection, "/exec", {}, "v4.channel.k8s.io")[0] == 101
        assert b"Sec-WebSocket-Protocol: v4.channel.k8s.io\r\n" in sock.sent and f"Sec-WebSocket-Key: {key}".encode() in sock.sent
    else:
        with pytest.raises(ProtocolError):
            handshake(connection, "/exec", {}, "v4.channel.k8s.io")


def test_a_refused_handshake_gives_its_status_and_body() -> None:
    body = b'{"kind":"Status","code":404}'
    connection, _ = _answering(b"HTTP/1.1 404 Not Found\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    assert handshake(connection, "/exec", {}, "v4.channel.k8s.io")[:2] == (404, body)
