"""The light reader for preview commands: which kubeconfigs it serves, and kubectl's discovery cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen._cluster._light import (
    DISCOVERY_TTL_S,
    _load,
    cached_discovery_fetch,
    discovery_cache_dir,
    light_reader,
)
from reportgen._kubectl._discovery import DISCOVERY_ACCEPT, TABLE_ACCEPT

ROOT = Path(__file__).resolve().parent.parent


def kubeconfig(tmp_path: Path, user: dict[str, Any], cluster: dict[str, Any] | None = None,
               context: dict[str, Any] | None = None) -> str:
    data = {"apiVersion": "v1", "kind": "Config", "current-context": "c",
            "clusters": [{"name": "k", "cluster": cluster or {"server": "https://127.0.0.1:6443"}}],
            "users": [{"name": "u", "user": user}],
            "contexts": [{"name": "c", "context": context or {"cluster": "k", "user": "u", "namespace": "lab"}}]}
    path = tmp_path / "config"
    path.write_text(yaml.safe_dump(data))
    return str(path)


@pytest.mark.parametrize("user", [
    {"client-certificate": "a.crt", "client-key": "a.key"},
    {"client-certificate-data": "QQ==", "client-key-data": "QQ=="},
    {"token": "abc"},
    {"tokenFile": "/var/run/token"},
])
def test_certificates_and_tokens_are_served_light(tmp_path: Path, user: dict[str, Any]) -> None:
    config = _load(kubeconfig(tmp_path, user), None)
    assert config is not None and config.server == "https://127.0.0.1:6443" and config.namespace == "lab"


@pytest.mark.parametrize(("user", "cluster", "context"), [
    ({"exec": {"command": "aws"}}, None, None),
    ({"auth-provider": {"name": "oidc"}}, None, None),
    ({"username": "a", "password": "b"}, None, None),
    ({"token": "t", "as": "someone"}, None, None),
    ({"token": "t"}, {"server": "https://h", "proxy-url": "http://proxy"}, None),
    ({"token": "t"}, {"server": "https://h", "tls-server-name": "x"}, None),
    ({"token": "t"}, {"server": "http://h"}, None),
    ({"token": "t"}, None, {"cluster": "k", "user": "nobody"}),
])
def test_anything_else_is_left_to_the_official_client(tmp_path: Path, user: dict[str, Any],
                                                      cluster: dict[str, Any] | None,
                                                      context: dict[str, Any] | None) -> None:
    assert _load(kubeconfig(tmp_path, user, cluster, context), None) is None


def test_a_missing_or_broken_kubeconfig_is_left_to_the_official_client(tmp_path: Path) -> None:
    assert light_reader(str(tmp_path / "absent"), None) is None
    (tmp_path / "bad").write_text("clusters: [\n")
    assert light_reader(str(tmp_path / "bad"), None) is None
    assert _load(kubeconfig(tmp_path, {"token": "t"}), "no-such-context") is None


def test_several_kubeconfig_files_are_merged_by_the_official_client(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = kubeconfig(tmp_path, {"token": "t"})
    monkeypatch.setenv("KUBECONFIG", os.pathsep.join([path, path]))
    assert _load(None, None) is None
    monkeypatch.setenv("KUBECONFIG", path)
    assert _load(None, None) is not None


@pytest.mark.parametrize(("server", "name"), [
    ("https://127.0.0.1:6443", "127.0.0.1_6443"),  # as kubectl names ~/.kube/cache/discovery/<host>
    ("https://kind-control-plane:6443/base", "kind_control_plane_6443/base"),
    ("https://[::1]:6443", "___1__6443"),
])
def test_the_cache_is_named_as_kubectls(server: str, name: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert discovery_cache_dir(server) == tmp_path / "reportgen" / "discovery" / name


class Server:
    """A fetch that counts its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def fetch(self, path: str, query: list[tuple[str, str]], accept: str) -> tuple[int, bytes, Any]:
        self.calls.append(path)
        return 200, json.dumps({"kind": "APIGroupDiscoveryList", "items": [], "path": path}).encode(), None


def test_discovery_is_read_from_the_cache_while_fresh(tmp_path: Path) -> None:
    server, clock = Server(), [1_000_000.0]
    fetch = cached_discovery_fetch(server.fetch, tmp_path, now=lambda: clock[0])
    first = fetch("/apis", [], DISCOVERY_ACCEPT)
    clock[0] = (tmp_path / "apis.json").stat().st_mtime + DISCOVERY_TTL_S - 1
    assert fetch("/apis", [], DISCOVERY_ACCEPT)[1] == first[1]
    assert server.calls == ["/apis"]
    clock[0] += 2  # stale: asked again
    fetch("/apis", [], DISCOVERY_ACCEPT)
    assert server.calls == ["/apis", "/apis"]


def test_only_the_aggregated_documents_are_cached(tmp_path: Path) -> None:
    server = Server()
    fetch = cached_discovery_fetch(server.fetch, tmp_path)
    fetch("/api/v1/pods", [], TABLE_ACCEPT)
    fetch("/api/v1/pods", [], TABLE_ACCEPT)
    fetch("/apis", [("timeout", "5s")], DISCOVERY_ACCEPT)
    assert server.calls == ["/api/v1/pods", "/api/v1/pods", "/apis"]
    assert not (tmp_path / "apis.json").exists()

    def refused(path: str, query: list[tuple[str, str]], accept: str) -> tuple[int, bytes, Any]:
        return 403, b'{"kind":"Status"}', None

    assert cached_discovery_fetch(refused, tmp_path)("/api", [], DISCOVERY_ACCEPT)[0] == 403
    assert not (tmp_path / "api.json").exists()


@pytest.mark.cluster
def test_a_preview_get_never_loads_the_official_client(lab_kubeconfig: str, tmp_path: Path) -> None:
    """Nor click, nor http.client, nor PyYAML for the lab's kubeconfig: what a preview imports is most of what it costs (docs/benchmarks.md)."""
    heavy = "('kubernetes', 'click', 'http.client', 'jinja2', 'yaml')"
    probe = ("import sys, runpy, atexit\n"
             f"atexit.register(lambda: sys.stderr.write(f\"\\nofficial={{any(m in sys.modules for m in {heavy})}}\\n\"))\n"
             "sys.argv = ['reportgen', 'get', 'ns', 'kube-system', '--kubeconfig', sys.argv[1]]\n"
             "runpy.run_module('reportgen', run_name='__main__')\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    for _ in range(2):  # the first fills the discovery cache, the second reads it
        proc = subprocess.run([sys.executable, "-c", probe, lab_kubeconfig], capture_output=True, text=True,
                              env=env, timeout=60)
        assert proc.returncode == 0 and proc.stdout.startswith("NAME"), proc.stderr
        assert proc.stderr.strip().endswith("official=False"), proc.stderr
    assert list(tmp_path.rglob("discovery/*/apis.json"))


@pytest.mark.cluster
def test_a_kind_new_since_the_cache_is_found(lab_kubeconfig: str, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}

    def reportgen(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "reportgen", *args, "--kubeconfig", lab_kubeconfig],
                              capture_output=True, text=True, env=env, timeout=60)

    assert reportgen("get", "ns").returncode == 0  # discovery cached, without the new kind
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "gadgets.light.reportgen.test"},
           "spec": {"group": "light.reportgen.test", "scope": "Namespaced",
                    "names": {"plural": "gadgets", "singular": "gadget", "kind": "Gadget"},
                    "versions": [{"name": "v1", "served": True, "storage": True,
                                  "schema": {"openAPIV3Schema": {"type": "object"}}}]}}
    (tmp_path / "crd.yaml").write_text(yaml.safe_dump(crd))
    lab = [str(ROOT / "hack" / "labcluster"), "kubectl"]
    subprocess.run([*lab, "apply", "-f", str(tmp_path / "crd.yaml")], check=True, capture_output=True, timeout=60)
    try:
        subprocess.run([*lab, "wait", "--for=condition=Established", "crd/gadgets.light.reportgen.test"],
                       check=True, capture_output=True, timeout=60)
        proc = reportgen("get", "gadgets", "-A")
        assert proc.returncode == 0 and "No resources found" in proc.stderr, proc.stderr
    finally:
        subprocess.run([*lab, "delete", "-f", str(tmp_path / "crd.yaml")], capture_output=True, timeout=60)


@pytest.mark.cluster
@pytest.mark.parametrize("words", [("get", "ns", "kube-system", "-o", "yaml"), ("describe", "ns", "kube-system"),
                                   ("get", "nosuchkind"), ("get", "pods", "--bogus"),
                                   ("exec", "-n", "kube-system", "nope", "--", "true")])
def test_the_fast_path_and_the_cli_print_the_same(lab_kubeconfig: str, words: tuple[str, ...]) -> None:
    """``reportgen VERB`` runs read-only previews without click; through click the bytes and code are the same."""
    argv = [*words, "--kubeconfig", lab_kubeconfig]
    script = Path(sys.executable).with_name("reportgen")  # the console script: reportgen._previews:main
    fast = subprocess.run([str(script), *argv], capture_output=True, text=True, timeout=60)
    cli = subprocess.run([sys.executable, "-c", "import sys; from reportgen.cli import main; sys.argv[0] = 'reportgen'; "
                          "main()", *argv], capture_output=True, text=True, timeout=60)
    assert (fast.returncode, fast.stdout, fast.stderr) == (cli.returncode, cli.stdout, cli.stderr)


@pytest.fixture(scope="module")
def shell_pod(lab_kubeconfig: str) -> Any:
    """A namespace with one busybox pod; deleted afterwards."""
    import lab

    name = lab.create_namespace()
    try:
        lab.apply([{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "shell"},
                    "spec": lab.pod_spec("busybox:1.36", command=["sleep", "3600"])}], name)
        lab.kubectl("wait", "pod/shell", "--for=condition=Ready", "--timeout=120s", namespace=name, timeout=130)
        yield name
    finally:
        lab.delete_namespace(name)


@pytest.mark.cluster
@pytest.mark.parametrize(("argv", "code"), [
    (["sh", "-c", "echo out; echo err >&2; echo more; exit 3"], 3),
    (["sh", "-c", "seq 1 30000"], 0),  # 169 KB: many WebSocket messages
    (["nosuchcommand"], 1),
    (["sh", "-c", "printf '\\377\\376 half'"], 0),
])
def test_a_light_exec_shows_what_the_official_client_shows(lab_kubeconfig: str, shell_pod: str,
                                                           argv: list[str], code: int) -> None:
    from reportgen._cluster import connect

    light = light_reader(lab_kubeconfig, None)
    assert light is not None
    ours, theirs = (client.exec(shell_pod, "shell", argv, timeout=30) for client in (light, connect(lab_kubeconfig)))
    assert (ours.stdout, ours.stderr, ours.exit_code, ours.truncated) == \
        (theirs.stdout, theirs.stderr, theirs.exit_code, theirs.truncated)
    assert (ours.error or "").split('"')[0] == (theirs.error or "").split('"')[0]  # the runtime's exec id differs
    assert ours.exit_code == code and (ours.error is None) == (code != 1)


@pytest.mark.cluster
def test_a_light_exec_is_refused_and_timed_out_as_the_official_one(lab_kubeconfig: str, shell_pod: str) -> None:
    light = light_reader(lab_kubeconfig, None)
    assert light is not None
    missing = light.exec(shell_pod, "nope", ["true"])
    assert (missing.exit_code, missing.error) == (1, 'Error from server (NotFound): pods "nope" not found')
    slow = light.exec(shell_pod, "shell", ["sleep", "5"], timeout=1)
    assert slow.timed_out and slow.exit_code is None and slow.error == "timed out after 1s"


@pytest.mark.cluster
def test_a_preview_exec_never_loads_the_official_client(lab_kubeconfig: str, shell_pod: str) -> None:
    probe = ("import sys, runpy, atexit\n"
             "atexit.register(lambda: sys.stderr.write(f\"\\nofficial={'kubernetes' in sys.modules or 'click' in sys.modules}\\n\"))\n"
             "sys.argv = ['reportgen', 'exec', '-n', sys.argv[2], 'shell', '--kubeconfig', sys.argv[1], '--', 'echo', 'hi']\n"
             "runpy.run_module('reportgen', run_name='__main__')\n")
    proc = subprocess.run([sys.executable, "-c", probe, lab_kubeconfig, shell_pod], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and proc.stdout == "hi\n", proc.stderr
    assert proc.stderr.strip().endswith("official=False"), proc.stderr
