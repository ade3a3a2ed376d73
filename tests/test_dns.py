"""Parsing nslookup output: recordings, edge cases, and any text at all."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen._dns import (
    NO_ANSWER,
    NOT_FOUND,
    PARSE_ERROR,
    TIMEOUT,
    UNREACHABLE,
    UNRECOGNIZED,
    normalize_ip,
    parse_capture,
    parse_output,
)
from reportgen._evidence import Capture

FIXTURES = Path(__file__).parent / "fixtures" / "nslookup"

HEADLESS = ["10.244.0.8", "10.244.0.10", "10.244.0.9"]
GITHUB = [("github-api-external.default.svc.cluster.local", "api.github.com")]

# recording: (name asked, cnames, addresses, error, legacy)
EXPECTED: dict[str, tuple[str | None, list[tuple[str, str]], list[str], str | None, bool]] = {
    "busybox-cname": ("github-api-external.default.svc.cluster.local", GITHUB, ["20.200.245.245"], None, False),
    "busybox-cname-no-upstream": ("github-api-external.default.svc.cluster.local", GITHUB, [], NO_ANSWER, False),
    "busybox-headless": ("mongodb-headless.default.svc.cluster.local", [], HEADLESS, None, False),
    "busybox-clusterip": ("mongodb-clusterip.default.svc.cluster.local", [], ["10.97.68.182"], None, False),
    "busybox-pod": ("mongodb-0.mongodb-headless.default.svc.cluster.local", [], ["10.244.0.8"], None, False),
    "busybox-short-name": ("mongodb-headless.default.svc.cluster.local", [], HEADLESS, None, False),
    "busybox-nxdomain": ("nosuch.default.svc.cluster.local", [], [], "NXDOMAIN", False),
    "busybox-servfail": ("broken.default.svc.cluster.local", [], [], "SERVFAIL", False),
    "busybox-nodata": (None, [], [], NO_ANSWER, False),
    "busybox-dual-stack": ("dual.default.svc.cluster.local", [], ["10.96.1.2", "fd00:10:96::1:2"], None, False),
    "busybox-timeout": (None, [], [], TIMEOUT, False),
    "busybox-legacy-headless": ("mongodb-headless.default.svc.cluster.local", [], HEADLESS, None, True),
    "busybox-legacy-cname": ("github-api-external.default.svc.cluster.local", [], ["20.200.245.245"], None, True),
    "busybox-legacy-short-name": ("mongodb-headless", [], [], NOT_FOUND, True),
    "bind-cname": ("github-api-external.default.svc.cluster.local", GITHUB, ["20.200.245.245"], None, False),
    "bind-cname-no-upstream": ("github-api-external.default.svc.cluster.local", GITHUB, [], "SERVFAIL", False),
    "bind-headless": ("mongodb-headless.default.svc.cluster.local", [], HEADLESS, None, False),
    "bind-short-name": ("mongodb-headless.default.svc.cluster.local", [], HEADLESS, None, False),
    "bind-nxdomain": ("nosuch.default.svc.cluster.local", [], [], "NXDOMAIN", False),
    "bind-servfail": ("broken.default.svc.cluster.local", [], [], "SERVFAIL", False),
    "bind-dual-stack": ("dual.default.svc.cluster.local", [], ["10.96.1.2", "fd00:10:96::1:2"], None, False),
    "bind-timeout": (None, [], [], TIMEOUT, False),
    "seed-cname": ("github-api-external.default.svc.cluster.local", GITHUB, ["20.200.245.245"], None, False),
    "seed-headless": ("mongodb-headless.default.svc.cluster.local", [], HEADLESS, None, False),
    "seed-pod-excerpt": ("mongodb-0.mongodb-headless.default.svc.cluster.local", [], ["10.244.0.8"], None, False),
}


def recording(name: str, step_id: str | None = None) -> Capture:
    """A recorded nslookup run as the Capture of a step."""
    stderr, code = FIXTURES / f"{name}.stderr.txt", FIXTURES / f"{name}.exit"
    exit_code = int(code.read_text()) if code.exists() else 0
    return Capture(
        step_id=step_id or name,
        command=f"kubectl exec dns-test -- nslookup {name}",
        stdout=(FIXTURES / f"{name}.txt").read_text(encoding="utf-8"),
        stderr=stderr.read_text(encoding="utf-8") if stderr.exists() else "",
        exit_code=exit_code,
        status="ok" if exit_code == 0 else "failed",
    )


def all_recordings() -> list[str]:
    return sorted(p.name[: -len(".txt")] for p in FIXTURES.glob("*.txt") if not p.name.endswith(".stderr.txt"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recording_parses_as_expected(name: str) -> None:
    asked, cnames, addresses, error, legacy = EXPECTED[name]
    lookup = parse_capture(recording(name))
    assert (lookup.name, lookup.cnames, lookup.addresses, lookup.error, lookup.legacy) == (
        asked,
        cnames,
        addresses,
        error,
        legacy,
    )


@pytest.mark.parametrize("name", all_recordings())
def test_every_recording_is_nslookup_output(name: str) -> None:
    lookup = parse_capture(recording(name))
    assert lookup.recognized
    assert (lookup.error is None) == bool(lookup.addresses)


def test_every_recording_is_listed() -> None:
    assert set(all_recordings()) <= set(EXPECTED), "add new recordings to EXPECTED"


@pytest.mark.parametrize("name", ["busybox-headless", "busybox-legacy-headless", "bind-headless", "seed-headless"])
def test_the_server_block_is_not_an_answer(name: str) -> None:
    lookup = parse_capture(recording(name))
    assert lookup.server == "10.96.0.10"
    assert "10.96.0.10" not in lookup.addresses


def test_search_domain_errors_are_kept_but_the_answer_wins() -> None:
    lookup = parse_capture(recording("busybox-short-name"))
    assert lookup.resolved and lookup.error is None
    assert lookup.errors == ["NXDOMAIN"] * 4
    assert lookup.exit_code == 1


def test_bind_timeout_prefers_timeout_over_unreachable() -> None:
    lookup = parse_capture(recording("bind-timeout"))
    assert lookup.errors == [TIMEOUT, UNREACHABLE]
    assert lookup.error == TIMEOUT


def test_refused_connection_is_unreachable() -> None:
    text = ";; communications error to 10.96.0.10#53: connection refused\n;; no servers could be reached\n\n"
    assert parse_output(text, exit_code=1).error == UNREACHABLE


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("*** Can't find x.default.svc.cluster.local: No answer", NO_ANSWER),
        ("*** Can't find x.default.svc.cluster.local: Parse error", PARSE_ERROR),
        ("** server can't find x.default.svc.cluster.local: REFUSED", "REFUSED"),
    ],
)
def test_busybox_failure_lines(line: str, error: str) -> None:
    lookup = parse_output(f"Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n{line}\n\n")
    assert (lookup.name, lookup.error) == ("x.default.svc.cluster.local", error)


def test_an_rcode_beats_no_answer() -> None:
    text = (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
        "*** Can't find a.default.svc.cluster.local: No answer\n"
        "** server can't find a.svc.cluster.local: NXDOMAIN\n\n"
    )
    assert parse_output(text).error == "NXDOMAIN"


def test_legacy_verbose_error_on_stderr() -> None:
    stdout = "Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\n"
    lookup = parse_output(stdout, "nslookup: can't resolve 'mongodb-headless': Name does not resolve\n", 1)
    assert (lookup.name, lookup.error, lookup.legacy) == ("mongodb-headless", NOT_FOUND, True)


def test_legacy_failing_to_name_its_own_server_is_not_the_answer() -> None:
    stdout = "Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\nName:      foo\nAddress 1: 10.1.2.3\n"
    lookup = parse_output(stdout, "nslookup: can't resolve '10.96.0.10'\n")
    assert (lookup.addresses, lookup.errors, lookup.name) == (["10.1.2.3"], [], "foo")


def test_kubectl_error_is_unrecognized() -> None:
    lookup = parse_output("", 'Error from server (NotFound): pods "dns-test" not found\n', 1)
    assert lookup.error == UNRECOGNIZED and not lookup.recognized


def test_crlf_and_ipv6_are_normalised() -> None:
    text = "Server:\t\t10.96.0.10\r\nAddress:\t10.96.0.10:53\r\n\r\nName:\tx\r\nAddress: FD00:0:0::1\r\n"
    assert parse_output(text).addresses == ["fd00::1"]


def test_bind_trailing_dots_are_dropped() -> None:
    lookup = parse_output("a.b.svc.cluster.local.\tcanonical name = api.github.com.\n")
    assert lookup.cnames == [("a.b.svc.cluster.local", "api.github.com")]
    assert lookup.name == "a.b.svc.cluster.local"


def test_address_that_is_not_an_ip_is_not_an_address() -> None:
    assert parse_output("Name:\tx\nAddress: not-an-ip\n").addresses == []


@pytest.mark.parametrize(("text", "ip"), [("10.0.0.1", "10.0.0.1"), ("fe80::1%eth0", "fe80::1"), ("x", None)])
def test_normalize_ip(text: str, ip: str | None) -> None:
    assert normalize_ip(text) == ip


_FRAGMENTS = st.sampled_from(
    [
        "Server:",
        "Address:",
        "Address 1:",
        "Name:",
        "canonical name =",
        "** server can't find",
        "*** Can't find",
        "nslookup: can't resolve '",
        ";; connection timed out",
        "10.96.0.10",
        "fd00::1",
        "10.96.0.10:53",
        "NXDOMAIN",
        ":",
        "'",
        "\t",
        " ",
        "\n",
        "\r",
        "\x00",
        "é",
    ]
)
_NSLOOKUPISH = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=400)
@given(stdout=st.one_of(st.text(), _NSLOOKUPISH), stderr=st.one_of(st.text(max_size=50), _NSLOOKUPISH))
def test_any_text_parses_without_crashing(stdout: str, stderr: str) -> None:
    lookup = parse_output(stdout, stderr, 1)
    assert (lookup.error is None) == bool(lookup.addresses)
    assert len(set(lookup.addresses)) == len(lookup.addresses)
    for address in lookup.addresses:
        assert str(ipaddress.ip_address(address)) == address
    assert all(isinstance(a, str) and isinstance(t, str) for a, t in lookup.cnames)
