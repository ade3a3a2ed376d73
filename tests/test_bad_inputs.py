"""A corpus of bad inputs: scenarios, bundles, templates, kubeconfigs and vault states.

Each case is written into a fresh folder and given to the CLI. Every one must
end with exit 2, one message naming the file (and its line where the input has
lines), no traceback, and no file written or changed anywhere in that folder
except where the command is meant to write (nothing, for all of these).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "fixtures" / "scenarios" / "bad"
BUNDLE = json.loads((ROOT / "tests" / "fixtures" / "bundles" / "services.lab.json").read_text(encoding="utf-8"))
GOOD = """report: {title: Good lab, language: en}
sections:
  - id: s
    title: S
    manifests:
      - inline: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: busybox:1.36}]}}
    blocks:
      - steps:
          - {id: pods, run: kubectl get pods}
"""


@dataclass
class Case:
    """One bad input: how to lay it out in a folder, the command, and the file the message must name."""

    name: str
    make: Callable[[Path], list[str]]  # writes the input, returns the CLI arguments
    names: str  # a regex the message must match (the file, and :line where it has lines)


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _scenario(text: str | bytes, *, name: str = "lab.yaml") -> Callable[[Path], list[str]]:
    return lambda d: ["validate", str(_write(d / name, text))]


def _good_with(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


SCENARIOS = [
    Case("empty", _scenario(""), r"lab\.yaml"),
    Case("null", _scenario("~\n"), r"lab\.yaml:1"),
    Case("list", _scenario("- a\n- b\n"), r"lab\.yaml:1"),
    Case("not-utf8", _scenario(b"report:\n  title: \xff\xfe\n"), r"lab\.yaml:2:10"),
    Case("nul-byte", _scenario("report: {title: a\x00b}\n"), r"lab\.yaml:1"),
    Case("tabs", _scenario("report:\n\ttitle: x\n"), r"lab\.yaml:2"),
    Case("unclosed-quote", _scenario('report: {title: "x}\n'), r"lab\.yaml:\d"),
    Case("deep", _scenario("a: " + "[" * 200 + "]" * 200 + "\n"), r"lab\.yaml:1"),
    Case("alias-bomb", _scenario("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n" for i in range(1, 12))),
        r"lab\.yaml:\d"),
    Case("too-big", _scenario("x: [" + "1, " * 2_500_000 + "1]\n"), r"lab\.yaml"),
    Case("unknown-key", _scenario(_good_with("report:", "reprot: {}\nreport:")), r"lab\.yaml:1:1"),
    Case("title-comment", _scenario(_good_with("Good lab", "Good %% lab")), r"lab\.yaml:1:\d+"),
    Case("title-html", _scenario(_good_with("Good lab", "Good <b>lab</b>")), r"lab\.yaml:1:\d+"),
    Case("title-wikilink", _scenario(_good_with("Good lab", "'Good [[lab'")), r"lab\.yaml:1:\d+"),
    Case("title-bidi", _scenario(_good_with("Good lab", '"Good \\u202elab"')), r"lab\.yaml:1:\d+"),
    Case("title-newline", _scenario(_good_with("Good lab", '"Good\\nlab"')), r"lab\.yaml:1:\d+"),
    Case("related-pipe", _scenario(_good_with("language: en", "language: en, related: 'a|b'")), r"lab\.yaml:1:\d+"),
    Case("language", _scenario(_good_with("language: en", "language: xx")), r"lab\.yaml:1:\d+"),
    Case("change-elsewhere", _scenario(_good_with("run: kubectl get pods", "run: kubectl delete pod p -n kube-system")),
         r"lab\.yaml:9:\d+: `kubectl delete` would change namespace 'kube-system'"),
    Case("apply-missing", _scenario(_good_with("run: kubectl get pods", "run: kubectl apply -f nope.yaml")),
         r"lab\.yaml:9:\d+: cannot apply 'nope\.yaml'"),
    Case("apply-outside", _scenario(_good_with("run: kubectl get pods", "run: kubectl apply -f ../x.yaml")),
         r"lab\.yaml:9:\d+: cannot apply '\.\./x\.yaml'"),
    Case("watch-unbounded", _scenario(_good_with("run: kubectl get pods", "run: kubectl get pods -w")),
         r"lab\.yaml:9:\d+: a --watch step needs to know when to stop"),
    Case("watch-without-w", _scenario(_good_with("run: kubectl get pods}", "run: kubectl get pods, watch: {for: 5s}}")),
         r"lab\.yaml:9:\d+: 'watch' is only for"),
    Case("watch-bad-regex", _scenario(_good_with("run: kubectl get pods}", "run: kubectl get pods -w, watch: {until: '('}}")),
         r"lab\.yaml:9:\d+: not a regular expression"),
    Case("overview-fence", _scenario(GOOD + "overview: \"```\\nno end\"\n"), r"lab\.yaml:10:\d+"),
    Case("overview-cr", _scenario(GOOD + "overview: \"a\\rb\"\n"), r"lab\.yaml:10:\d+"),
    Case("ansi-c-quote", _scenario(_good_with("kubectl get pods", "kubectl exec p -- echo $'\\x41'")),
         r"lab\.yaml:9:\d+"),
    Case("subshell", _scenario(_good_with("kubectl get pods", "kubectl exec p -- echo $(id)")), r"lab\.yaml:9:\d+"),
    Case("and-and", _scenario(_good_with("kubectl get pods", "kubectl get pods && rm -rf x")), r"lab\.yaml:9:\d+"),
    Case("redirect", _scenario(_good_with("kubectl get pods", "kubectl get pods > /tmp/x")), r"lab\.yaml:9:\d+"),
    Case("not-kubectl", _scenario(_good_with("kubectl get pods", "curl http://x")), r"lab\.yaml:9:\d+"),
    Case("unknown-verb", _scenario(_good_with("kubectl get pods", "kubectl frobnicate pods")), r"lab\.yaml:9:\d+"),
    Case("context-flag", _scenario(_good_with("kubectl get pods", "kubectl get pods --context x")),
         r"lab\.yaml:9:\d+"),
    Case("timeout-huge", _scenario(_good_with("run: kubectl get pods}", "run: kubectl get pods, timeout: 99999999h}")),
         r"lab\.yaml:9:\d+"),
    Case("timeout-zero", _scenario(_good_with("run: kubectl get pods}", "run: kubectl get pods, timeout: 0s}")),
         r"lab\.yaml:9:\d+"),
    Case("namespace-in-manifest", _scenario(_good_with("name: p}", "name: p, namespace: x}")), r"lab\.yaml:6:\d+"),
    Case("manifest-outside", lambda d: (_write(d / "outside" / "svc.yaml", "apiVersion: v1\nkind: Service\n"
                                                "metadata: {name: s}\n"),
                                        _scenario(_good_with("- inline:", "- file: ../outside/svc.yaml\n      - inline:"),
                                                  name="lab/lab.yaml")(d))[1], r"lab\.yaml:6:\d+"),
    Case("manifest-etc-passwd", _scenario(_good_with("- inline:", "- file: ../../../../../../etc/passwd\n"
                                                     "      - inline:")), r"lab\.yaml:6:\d+"),
    Case("manifest-absolute", _scenario(_good_with("- inline:", "- file: /etc/passwd\n      - inline:")),
         r"lab\.yaml:6:\d+"),
    Case("manifest-symlink-out", lambda d: (os.symlink("/etc/hostname", _mkdir(d / "lab") / "link.yaml"),
                                            _scenario(_good_with("- inline:", "- file: link.yaml\n      - inline:"),
                                                      name="lab/lab.yaml")(d))[1], r"lab\.yaml:6:\d+"),
    Case("manifest-fifo", lambda d: (os.mkfifo(_mkdir(d / "lab") / "fifo.yaml"),
                                     _scenario(_good_with("- inline:", "- file: fifo.yaml\n      - inline:"),
                                               name="lab/lab.yaml")(d))[1], r"fifo\.yaml|lab\.yaml:6"),
    Case("manifest-missing", _scenario(_good_with("- inline:", "- file: nope.yaml\n      - inline:")),
         r"lab\.yaml:6:\d+"),
    Case("manifest-not-utf8", lambda d: (_write(d / "m.yaml", b"apiVersion: v1\nkind: \xff\n"),
                                         _scenario(_good_with("- inline:", "- file: m.yaml\n      - inline:"))(d))[1],
         r"m\.yaml:2"),
    Case("scenario-fifo", lambda d: (os.mkfifo(d / "lab.yaml"), ["validate", str(d / "lab.yaml")])[1], r"lab\.yaml"),
    Case("scenario-dir", lambda d: (_mkdir(d / "lab.yaml"), ["validate", str(d / "lab.yaml")])[1], r"lab\.yaml"),
    Case("scenario-dev-zero", lambda d: ["validate", "/dev/zero"], r"/dev/zero"),
    Case("scenario-missing", lambda d: ["validate", str(d / "nope.yaml")], r"nope\.yaml"),
] + [Case(f"fixture-{p.stem}", lambda d, p=p: ["validate", str(p)], re.escape(p.name) + r":\d+")
     for p in sorted(BAD.glob("*.yaml"))]


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _bundle(data: str | bytes) -> Callable[[Path], list[str]]:
    return lambda d: ["render", str(_write(d / "b.evidence.json", data)), "--out", str(d / "out" / "b.md")]


def _mutated(seed: int) -> str:
    """The lab bundle with one value somewhere replaced by one of another type."""
    rng, data = random.Random(seed), json.loads(json.dumps(BUNDLE))
    parents = []

    def walk(node):
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if not (isinstance(node, dict) and key in ("objects", "body", "observed", "reason_args")):
                parents.append((node, key))
                walk(value)

    walk(data)
    while True:
        node, key = rng.choice(parents)
        old = node[key]
        new = rng.choice([None, 7, "x", [], {}, True, 1.5])
        if type(new) is not type(old) and not (isinstance(old, float) and isinstance(new, int)):
            node[key] = new
            return json.dumps(data)


def _valid_type_change(seed: int) -> bool:
    """Some mutations stay valid (a None where a value is optional): those are not bad input."""
    from reportgen._evidence import Bundle
    from reportgen._typed import TypeMismatch

    try:
        Bundle.from_dict(json.loads(_mutated(seed)))
    except TypeMismatch:
        return False
    return True


BUNDLES = [
    Case("empty", _bundle(""), r"b\.evidence\.json"),
    Case("truncated", _bundle(json.dumps(BUNDLE)[:500]), r"b\.evidence\.json:1:\d+"),
    Case("list", _bundle("[]"), r"b\.evidence\.json: \$"),
    Case("object", _bundle("{}"), r"b\.evidence\.json: \$"),
    Case("version-2", _bundle('{"schema_version": 2}'), r"schema_version"),
    Case("stdout-null", _bundle(json.dumps(BUNDLE).replace('"stdout": "', '"stdout": null, "x": "', 1)),
         r"b\.evidence\.json: \$\.sections"),
    Case("not-utf8", _bundle(b'{"run_id": "\xff"}'), r"b\.evidence\.json:1:\d+"),
    Case("deep", _bundle("[" * 100_000 + "]" * 100_000), r"b\.evidence\.json"),
    Case("fifo", lambda d: (os.mkfifo(d / "b.evidence.json"), ["render", str(d / "b.evidence.json"), "--out",
                                                               str(d / "out.md")])[1], r"b\.evidence\.json"),
    Case("out-is-bundle", lambda d: ["render", str(_write(d / "b.evidence.json", json.dumps(BUNDLE))), "--out",
                                     str(d / "b.evidence.json")], r"b\.evidence\.json"),
    Case("exit-code-text", _bundle(json.dumps({**BUNDLE, "sections": [
        {**BUNDLE["sections"][0], "captures": [{**BUNDLE["sections"][0]["captures"][0], "exit_code": "0"}]}]})),
         r"b\.evidence\.json: \$\.sections\[\d+\]\.captures\[\d+\]\.exit_code"),
] + [Case(f"mutated-{seed}", _bundle(_mutated(seed)), r"b\.evidence\.json: \$")
     for seed in range(200) if not _valid_type_change(seed)][:40]


def _templates(files: dict[str, str]) -> Callable[[Path], list[str]]:
    def make(d: Path) -> list[str]:
        for name, text in files.items():
            _write(d / "tpl" / name, text)
        bundle = _write(d / "b.evidence.json", json.dumps(BUNDLE))
        return ["render", str(bundle), "--out", str(d / "out" / "b.md"), "--templates", str(d / "tpl")]
    return make


TEMPLATES = [
    Case("syntax", _templates({"report.md.j2": "ok\n{% if %}\n"}), r"report\.md\.j2:2"),
    Case("undefined", _templates({"report.md.j2": "{{ nope.x }}\n"}), r"report\.md\.j2:1"),
    Case("escape-globals", _templates({"report.md.j2": "{{ cycler.__init__.__globals__.os.system('id') }}"}),
         r"report\.md\.j2:1"),
    Case("escape-mro", _templates({"report.md.j2": "{{ ''.__class__.__mro__[1].__subclasses__() }}"}),
         r"report\.md\.j2:1"),
    Case("range", _templates({"report.md.j2": "{% for i in range(10**12) %}{% endfor %}"}), r"report\.md\.j2:1"),
    Case("multiply", _templates({"report.md.j2": "{{ 'a' * 10**9 }}"}), r"report\.md\.j2:1"),
    Case("power", _templates({"report.md.j2": "{{ 9 ** 9999999 }}"}), r"report\.md\.j2:1"),
    Case("include-missing", _templates({"report.md.j2": "{% include 'nope.j2' %}"}), r"report\.md\.j2|nope"),
    Case("macro-error", _templates({"_macros.md.j2": "{% macro x( %}"}), r"_macros\.md\.j2:1"),
    Case("catalog-yaml", _templates({"lang/ko.yaml": "h_overview: [\n"}), r"ko\.yaml:\d+"),
    Case("catalog-list", _templates({"lang/ko.yaml": "- a\n"}), r"ko\.yaml:1"),
    Case("catalog-not-utf8", lambda d: (_write(d / "tpl" / "lang" / "ko.yaml", b"a: \xff\n"),
                                        _templates({})(d))[1], r"ko\.yaml:1"),
]


def _kubeconfig(text: str | bytes | None) -> Callable[[Path], list[str]]:
    def make(d: Path) -> list[str]:
        path = d / "kubeconfig"
        if text is not None:
            _write(path, text)
        return ["get", "pods", "--kubeconfig", str(path)]
    return make


KUBECONFIGS = [
    Case("yaml-error", _kubeconfig("apiVersion: v1\nclusters: [\n  - a: b\n"), r"kubeconfig:3"),
    Case("not-mapping", _kubeconfig("just text\n"), r"kubeconfig:1"),
    Case("wrong-shape", _kubeconfig("apiVersion: v1\nclusters: 5\n"), r"kubeconfig"),
    Case("empty", _kubeconfig(""), r"kubeconfig"),
    Case("not-utf8", _kubeconfig(b"apiVersion: \xff\n"), r"kubeconfig:1"),
    Case("missing", _kubeconfig(None), r"kubeconfig"),
    Case("fifo", lambda d: (os.mkfifo(d / "kubeconfig"), _kubeconfig(None)(d))[1], r"kubeconfig"),
    Case("no-context", _kubeconfig("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n"),
         r"kubeconfig"),
    Case("after-args", lambda d: ["get", "pods", "-n", "x", "--kubeconfig=" + str(_write(d / "kubeconfig", "x: [\n"))],
         r"kubeconfig:\d"),
]


def _vault(setup: Callable[[Path, Path], None]) -> Callable[[Path], list[str]]:
    def make(d: Path) -> list[str]:
        scenario = _write(d / "good.yaml", GOOD)
        vault = d / "vault"
        setup(d, vault)
        return ["build", str(scenario), "--out", str(d / "out"), "--vault", str(vault),
                "--kubeconfig", str(d / "no-such-kubeconfig")]
    return make


def _foreign_note(d: Path, vault: Path) -> None:
    _write(vault / "Good lab.md", "---\ntitle: mine\n---\n\nmy own note\n")


VAULTS = [
    Case("vault-is-a-file", _vault(lambda d, v: _write(v, "x")), r"vault"),
    Case("vault-parent-is-a-file", _vault(lambda d, v: (_write(v, "x"), None)[1]), r"vault"),
    Case("note-symlink-out", _vault(lambda d, v: (_mkdir(v), os.symlink(d / "elsewhere.md", v / "Good lab.md"))),
         r"Good lab\.md"),
    Case("note-is-a-folder", _vault(lambda d, v: _mkdir(v / "Good lab.md")), r"Good lab\.md"),
    Case("foreign-note", _vault(_foreign_note), r"Good lab\.md"),
    Case("other-scenarios-note", _vault(lambda d, v: _write(v / "Good lab.md", "---\nscenario: other\n---\n\n"
                                                            "%% reportgen:keep reflections %%\n%% reportgen:end %%\n")),
         r"Good lab\.md"),
    Case("out-is-a-file", lambda d: (_write(d / "out", "x"), ["build", str(_write(d / "good.yaml", GOOD)), "--out",
                                                             str(d / "out")])[1], r"out"),
]


ALL = [pytest.param(c, id=f"scenario-{c.name}") for c in SCENARIOS] + \
      [pytest.param(c, id=f"bundle-{c.name}") for c in BUNDLES] + \
      [pytest.param(c, id=f"template-{c.name}") for c in TEMPLATES] + \
      [pytest.param(c, id=f"kubeconfig-{c.name}") for c in KUBECONFIGS] + \
      [pytest.param(c, id=f"vault-{c.name}") for c in VAULTS]


def test_the_corpus_has_at_least_100_bad_inputs():
    assert len(ALL) >= 100, len(ALL)


def _tree(root: Path) -> dict[str, tuple[int, float]]:
    return {str(p.relative_to(root)): (p.lstat().st_size, p.lstat().st_mtime) for p in root.rglob("*")}


@pytest.mark.parametrize("case", ALL)
def test_bad_input_is_one_located_message_and_exit_2(case: Case, tmp_path: Path) -> None:
    args = case.make(tmp_path)
    before = _tree(tmp_path)
    result = CliRunner().invoke(main, args)
    message = result.output
    assert result.exit_code == 2, (result.exit_code, message, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), message
    assert "Traceback" not in message
    assert re.search(case.names, message), message
    lines = [line for line in message.splitlines() if line.strip()]
    assert len(lines) <= 3 or (message.startswith("error: ") and "problems:" in message.splitlines()[0]), message
    assert _tree(tmp_path) == before, "a bad input must not write anything"


@pytest.fixture(autouse=True)
def _no_leftover_fifos(tmp_path: Path):
    yield
    shutil.rmtree(tmp_path, ignore_errors=True)
