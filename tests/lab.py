"""Small helpers for the lab-cluster tests: the lab's kubectl, throwaway
namespaces, bounded waits and a reader for busybox nslookup output.

Everything goes through `hack/labcluster`, so the tests use exactly the
kubectl and kubeconfig the lab itself uses. Every call has a timeout.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[1]
LABCLUSTER = REPO / "hack" / "labcluster"

# Mirrors hack/lab/common.sh.
NODE_NAME = "labnode"
POD_CIDR = "10.244.0.0/16"
SERVICE_CIDR = "10.96.0.0/12"
DNS_IP = "10.96.0.10"
CLUSTER_DOMAIN = "cluster.local"
STATE_DIR = Path(os.environ.get("REPORTGEN_LAB_STATE", "/var/lib/reportgen-lab"))
RUN_DIR = Path("/run/reportgen-lab")
CACHE_ROOT = Path(
    os.environ.get("REPORTGEN_LAB_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reportgen-lab"
)

NAMESPACE_PREFIX = "labtest-"

T = TypeVar("T")


class CommandError(AssertionError):
    """A command failed; the message carries everything needed to see why."""


def run(args: list[str], *, timeout: float = 60, check: bool = False,
        input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ARGS with a timeout; raise CommandError on timeout, or on failure if CHECK."""
    try:
        proc = subprocess.run(args, input=input, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise CommandError(f"timed out after {timeout}s: {' '.join(args)}\n"
                           f"stdout: {exc.stdout!r}\nstderr: {exc.stderr!r}") from None
    if check and proc.returncode != 0:
        raise CommandError(f"exit {proc.returncode}: {' '.join(args)}\n"
                           f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
    return proc


def labcluster(*args: str, timeout: float = 60, check: bool = False) -> subprocess.CompletedProcess[str]:
    return run([str(LABCLUSTER), *args], timeout=timeout, check=check)


def status(timeout: float = 30) -> tuple[bool, str]:
    """(True, message) when `hack/labcluster status` succeeds, else (False, why)."""
    if not LABCLUSTER.exists():
        return False, f"{LABCLUSTER} is missing"
    try:
        proc = labcluster("status", timeout=timeout)
    except (CommandError, OSError) as exc:
        return False, str(exc).splitlines()[0]
    text = (proc.stdout + proc.stderr).strip() or f"exit {proc.returncode}"
    return proc.returncode == 0, text


def kubectl(*args: str, namespace: str | None = None, timeout: float = 60, check: bool = True,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
    """The lab's own kubectl (`hack/labcluster kubectl`)."""
    ns = ["--namespace", namespace] if namespace else []
    return run([str(LABCLUSTER), "kubectl", *ns, *args], timeout=timeout, check=check, input=input)


def kubectl_json(*args: str, namespace: str | None = None, timeout: float = 60) -> Any:
    return json.loads(kubectl(*args, "-o", "json", namespace=namespace, timeout=timeout).stdout)


def apply(objects: list[dict], namespace: str, timeout: float = 60) -> None:
    """Create or update OBJECTS (dicts as the API takes them) in NAMESPACE."""
    doc = json.dumps({"apiVersion": "v1", "kind": "List", "items": objects})
    kubectl("apply", "-f", "-", namespace=namespace, input=doc, timeout=timeout)


def pod_spec(image: str, grace: int = 1, **container) -> dict:
    """A one-container pod spec for a lab image (never pulled: the lab has no registry)."""
    return {"terminationGracePeriodSeconds": grace,
            "containers": [{"name": "main", "image": image, "imagePullPolicy": "Never", **container}]}


def deployment(name: str, replicas: int, spec: dict) -> dict:
    """A Deployment of SPEC whose pods carry app=NAME."""
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": spec}}}


def service(name: str, app: str, port: int, target_port: int | None = None, **spec) -> dict:
    """A Service selecting app=APP, PORT -> TARGET_PORT (default: the same)."""
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"selector": {"app": app}, "ports": [{"port": port, "targetPort": target_port or port}], **spec}}


def exec_in(namespace: str, pod: str, *command: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`kubectl exec POD -- COMMAND`; never raises on a non-zero exit."""
    return kubectl("exec", pod, "--", *command, namespace=namespace, timeout=timeout, check=False)


def create_namespace(prefix: str = NAMESPACE_PREFIX) -> str:
    name = f"{prefix}{secrets.token_hex(4)}"
    kubectl("create", "namespace", name)
    kubectl("label", "namespace", name, "reportgen-lab/test=true")
    return name


def delete_namespace(name: str, timeout: float = 180) -> None:
    """Delete a test namespace and wait (bounded) until it is gone."""
    if not name.startswith(NAMESPACE_PREFIX):
        raise ValueError(f"refusing to delete {name!r}: tests only delete {NAMESPACE_PREFIX}* namespaces")
    kubectl("delete", "namespace", name, "--ignore-not-found", "--wait=true",
            f"--timeout={int(timeout)}s", timeout=timeout + 30)


def wait_until(probe: Callable[[], T], *, timeout: float, interval: float = 0.5,
               ok: Callable[[T], object] = bool, what: str = "condition") -> T:
    """Call PROBE until OK(its value) holds, for at most TIMEOUT seconds; return the value.

    Exceptions from PROBE count as "not yet"; the last value or error is shown on timeout.
    """
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            value = probe()
            if ok(value):
                return value
            last = value
        except Exception as exc:
            last = exc
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}")
        time.sleep(interval)


@dataclass
class NsLookup:
    """What busybox `nslookup` printed, reduced to its records."""

    server: str | None = None
    addresses: list[tuple[str, str]] = field(default_factory=list)  # (name, address)
    cnames: list[tuple[str, str]] = field(default_factory=list)  # (alias, canonical name)
    errors: list[str] = field(default_factory=list)

    @property
    def ips(self) -> list[str]:
        return [ip for _, ip in self.addresses]


def parse_nslookup(stdout: str, stderr: str = "") -> NsLookup:
    """Read busybox (>= 1.28) nslookup output: a Server/Address header, then
    `Name:`/`Address:` pairs and `ALIAS<TAB>canonical name = TARGET` lines."""
    out = NsLookup()
    lines = stdout.splitlines()
    i = 0
    # Header: "Server:\t\t10.96.0.10" then "Address:\t10.96.0.10:53", up to the first blank line.
    while i < len(lines) and lines[i].strip():
        key, _, value = lines[i].partition(":")
        if key.strip() == "Server":
            out.server = value.strip()
        i += 1
    name = None
    for line in lines[i:]:
        text = line.strip()
        if not text:
            continue
        if "canonical name =" in text:
            alias, _, target = text.partition("canonical name =")
            pair = (alias.strip().rstrip("."), target.strip().rstrip("."))
            if pair not in out.cnames:
                out.cnames.append(pair)
        elif text.startswith("Name:"):
            name = text.partition(":")[2].strip().rstrip(".")
        elif text.startswith("Address:") or text.startswith("Address "):
            value = text.split(":", 1)[1].strip() if text.startswith("Address:") else text.split()[-1]
            out.addresses.append((name or "", value))
        else:
            out.errors.append(text)
    out.errors += [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    return out
