"""The kubeconfig reader without PyYAML: what it reads is what yaml.safe_load reads, or it declines."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reportgen._cluster._block_yaml import parse_mapping

LAB = """apiVersion: v1
kind: Config
clusters:
- name: reportgen-lab
  cluster:
    certificate-authority: /var/lib/reportgen-lab/pki/ca.crt
    server: https://127.0.0.1:6443
users:
- name: admin
  user:
    client-certificate: /var/lib/reportgen-lab/pki/admin.crt
    client-key: /var/lib/reportgen-lab/pki/admin.key
contexts:
- name: reportgen-lab
  context: {cluster: reportgen-lab, user: admin, namespace: default}
current-context: reportgen-lab
"""

KIND = """apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
    server: https://127.0.0.1:41235
  name: kind-kind
contexts:
- context:
    cluster: kind-kind
    user: kind-kind
  name: kind-kind
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURJ
    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlF
"""

MINIKUBE = """apiVersion: v1
clusters:
- cluster:
    certificate-authority: /home/me/.minikube/ca.crt
    extensions:
    - extension:
        last-update: Wed, 02 Dec 2026 09:12:44 UTC
        provider: minikube.sigs.k8s.io
        version: v1.37.0
      name: cluster_info
    server: https://192.168.49.2:8443
  name: minikube
contexts:
- context:
    cluster: minikube
    namespace: default
    user: minikube
  name: minikube
current-context: minikube
kind: Config
users:
- name: minikube
  user:
    client-certificate: /home/me/.minikube/profiles/minikube/client.crt
    client-key: /home/me/.minikube/profiles/minikube/client.key
    token: 'abc''def'
    insecure: true
"""


@pytest.mark.parametrize("text", [LAB, KIND, MINIKUBE], ids=["lab", "kind", "minikube"])
def test_the_kubeconfigs_people_have_are_read_as_pyyaml_reads_them(text: str) -> None:
    assert parse_mapping(text) == yaml.safe_load(text)


@pytest.mark.parametrize("text", [
    "a: &x b\nc: *x\n",  # anchors
    "a: !!str 1\n",  # tags
    "a: |\n  b\n",  # block scalars
    "a: b\n  c\n",  # a plain scalar over two lines
    "a: b # note\n",  # a comment after a value
    "a: 0x10\n", "a: 1.5\n", "a: 2026-12-02\n", "a: yes\n", "a: 1:20\n",  # numbers, dates, YAML 1.1 booleans
    "a: \"b\\tc\"\n", "a:\tb\n", "a: caf\u00e9\n",  # escapes, tabs, non-ASCII
    "---\na: b\n", "- a\n", "",  # documents, a top-level sequence, nothing
    "a: {b: {c: d}}\n", "a: [b, [c]]\n",  # nested flow
])
def test_what_it_does_not_read_is_declined(text: str) -> None:
    assert parse_mapping(text) is None


def test_a_key_given_twice_keeps_its_last_value_as_pyyaml_does() -> None:
    assert parse_mapping("a: b\na: c\nd: {e: f, e: g}\n") == {"a": "c", "d": {"e": "g"}}


_SCALARS = st.one_of(
    st.sampled_from(["v1", "Config", "yes", "null", "~", "true", "False", "0", "012", "1_000", "1:2", ".5", "-",
                     "a: b", "#x", " x", "x ", "a,b", "[x]", "{}", "", "'", '"', "a'b", 'a"b', "https://h:6443",
                     "Wed, 02 Dec 2026 09:12:44 UTC", "a #b", "a:", "@x", "2026-12-02"]),
    st.text(alphabet="ab1:-_ ,'\"#/.{}[]", max_size=8), st.integers(-5, 5), st.booleans(), st.none())
_KEYS = st.one_of(st.sampled_from(["name", "server", "user", "a b", "1", "true", "x:", "-k"]),
                  st.text(alphabet="ab-:_ 1", min_size=1, max_size=5))
_TREES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(_KEYS, inner, max_size=3)), max_leaves=12)


def _agrees(text: str) -> None:
    try:
        expected: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        assert parse_mapping(text) is None
        return
    assert parse_mapping(text) in (None, expected)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_KEYS, _TREES, min_size=1, max_size=4), st.sampled_from([False, None, True]),
       st.integers(2, 4))
def test_a_dumped_tree_is_read_as_pyyaml_reads_it_or_declined(tree: dict[str, Any], flow: bool | None,
                                                               indent: int) -> None:
    _agrees(yaml.safe_dump(tree, default_flow_style=flow, indent=indent))


_FRAGMENTS = st.sampled_from(["a", "b", ":", ": ", " ", "  ", "\n", "\n  ", "- ", "-", "'", '"', "{", "}", "[", "]",
                              ",", " #", "&", "*", "!", "|", "~", "yes", "On", "null", "1", "0x1", "1:2", ".5",
                              "2026-12-02", "true"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=24).map("".join))
@example("a:\n- b\n-  c: d\n   e: f\n")
@example("a:\n  - b\n  -\n")
@example("a: 'b''c'\nd: \"e f\"\n")
def test_any_text_is_read_as_pyyaml_reads_it_or_declined(text: str) -> None:
    _agrees(text)


_LINES = st.tuples(
    st.sampled_from(["", "", "  ", "    ", " "]), st.sampled_from(["", "", "- ", "-  "]),
    st.sampled_from(["a", "b", "c", "a b", "a ", "true", "1", "x-y", "-k", ""]),
    st.sampled_from([":", ": ", ": ", " :", ":  "]),
    st.sampled_from(["", "b", "yes", "On", "null", "~", "1", "012", "0x1", "1:2", ".5", "{}", "[]", "{a: b}",
                     "{a: b, c: d}", "{a: b, a: c}", "{a: b,}", "[a, b]", "[a:b]", "{a:b}", "'x''y'", "'x'y'",
                     '"q"', "b # c", "b#c", "a, b", "Wed, 02 Dec", "https://h:1", "2026-12-02", "b:", "- x",
                     "&a b", "*a", "!x b", "|", "x y"]),
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=8).map("\n".join))
def test_kubeconfig_like_lines_are_read_as_pyyaml_reads_them_or_declined(text: str) -> None:
    _agrees(text)


def test_a_block_kubeconfig_of_plain_words_is_read_not_declined() -> None:
    config = {"apiVersion": "v1", "kind": "Config", "preferences": {}, "current-context": "c",
              "clusters": [{"name": "c", "cluster": {"server": "https://10.0.0.1:6443",
                                                     "insecure-skip-tls-verify": True}}],
              "users": [{"name": "u", "user": {"token": "abc.def-ghi_jkl"}}],
              "contexts": [{"name": "c", "context": {"cluster": "c", "user": "u", "namespace": "n"}}]}
    for indent in (2, 4):
        assert parse_mapping(yaml.safe_dump(config, indent=indent)) == config
