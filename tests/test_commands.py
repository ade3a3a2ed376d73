"""The kubectl command-line parser and the pipe emulation (no cluster needed)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reportgen._kubectl import (
    CommandError,
    ExecCommand,
    GetCommand,
    GrepPipe,
    HeadPipe,
    PortForwardCommand,
    TailPipe,
    WcPipe,
    apply_pipes,
    check_selector,
    parse_command,
    resource_kind,
)
from reportgen._kubectl._words import split_line

SERVICES = Path(__file__).resolve().parent.parent / "scenarios" / "services.yaml"
NS = "${namespace}"


def _services_runs() -> dict[str, str]:
    data = yaml.safe_load(SERVICES.read_text(encoding="utf-8"))
    return {
        step["id"]: step["run"]
        for section in data["sections"] for block in section["blocks"] for step in block["steps"]
    }


def _lookup(pod: str, name: str) -> ExecCommand:
    return ExecCommand(pod=pod, argv=["nslookup", name])


EXPECTED = {
    "mysql-svc": GetCommand(resources=["services"], names=["mysql-external"]),
    "github-lookup": _lookup("test-pod", f"github-api-external.{NS}.svc.cluster.local"),
    "backend-pods": GetCommand(resources=["pods"], selector="app=backend", wide=True),
    "backend-svc": GetCommand(resources=["services"], names=["backend-service"]),
    "backend-endpoints": GetCommand(resources=["endpoints"], names=["backend-service"]),
    "backend-wget": ExecCommand(pod="test-pod", argv=[
        "sh", "-c", "for i in 1 2 3 4 5; do wget -qO- backend-service:8080 | grep '<h1>'; done"]),
    "backend-forward": PortForwardCommand(target="svc/backend-service", local_port=8080, remote_port=8080),
    "mongo-pods": GetCommand(resources=["pods"], selector="app=mongodb", wide=True),
    "mongo-svcs": GetCommand(resources=["services"], pipes=[GrepPipe("mongodb")]),
    "headless-lookup": _lookup("dns-test", f"mongodb-headless.{NS}.svc.cluster.local"),
    "clusterip-lookup": _lookup("dns-test", f"mongodb-clusterip.{NS}.svc.cluster.local"),
    "mongo-0-lookup": _lookup("dns-test", f"mongodb-0.mongodb-headless.{NS}.svc.cluster.local"),
    "mongo-1-lookup": _lookup("dns-test", f"mongodb-1.mongodb-headless.{NS}.svc.cluster.local"),
    "mongo-2-lookup": _lookup("dns-test", f"mongodb-2.mongodb-headless.{NS}.svc.cluster.local"),
    "short-name-lookup": _lookup("dns-test", "mongodb-headless"),
}


@pytest.mark.parametrize(("step_id", "run"), sorted(_services_runs().items()))
def test_every_services_command_parses(step_id: str, run: str) -> None:
    expected = EXPECTED[step_id]
    expected.line = run
    assert parse_command(run) == expected


def test_every_services_step_is_covered() -> None:
    assert set(_services_runs()) == set(EXPECTED)


# --------------------------------------------------------------------------- get, exec, port-forward


@pytest.mark.parametrize(("line", "fields"), [
    ("kubectl get svc,ep web", {"resources": ["services", "endpoints"], "names": ["web"]}),
    ("kubectl get svc/a pod/b", {"resources": ["services", "pods"], "names": ["a", "b"], "paired": True}),
    ("kubectl get po -n kube-system", {"resources": ["pods"], "namespace": "kube-system"}),
    ("kubectl get po -nkube-system", {"resources": ["pods"], "namespace": "kube-system"}),
    ("kubectl get po --namespace=x", {"resources": ["pods"], "namespace": "x"}),
    ("kubectl -n x get po", {"resources": ["pods"], "namespace": "x"}),
    ("kubectl get pods -A", {"resources": ["pods"], "all_namespaces": True}),
    ("kubectl get pods --all-namespaces -owide", {"all_namespaces": True, "wide": True}),
    ("kubectl get pods -o=wide --selector 'tier in (a,b)'", {"wide": True, "selector": "tier in (a,b)"}),
    ("kubectl get Deployments.apps", {"resources": ["deployments.apps"]}),  # discovery resolves it at run time
    ("kubectl get gateways,httproutes", {"resources": ["gateways", "httproutes"]}),  # CRDs too
    ("kubectl get pdos", None),  # one typo from a known name
    ("kubectl get 'p o'", None),
    ("kubectl get deploy,sts,ds,rs,cm,sa,pvc,ing,netpol,ns,no,ev",
     {"resources": ["deployments", "statefulsets", "daemonsets", "replicasets", "configmaps",
                    "serviceaccounts", "persistentvolumeclaims", "ingresses", "networkpolicies",
                    "namespaces", "nodes", "events"]}),
])
def test_get_forms(line: str, fields: dict | None) -> None:
    if fields is None:
        with pytest.raises(CommandError, match="unsupported resource type"):
            parse_command(line)
        return
    command = parse_command(line)
    assert isinstance(command, GetCommand)
    for name, value in fields.items():
        assert getattr(command, name) == value, name


def test_get_targets_follow_kubectl_order() -> None:
    assert parse_command("kubectl get svc,ep a b").targets() == [
        ("services", "a"), ("services", "b"), ("endpoints", "a"), ("endpoints", "b")]
    assert parse_command("kubectl get svc").targets() == [("services", None)]
    assert parse_command("kubectl get svc/a pod/b").targets() == [("services", "a"), ("pods", "b")]


@pytest.mark.parametrize(("line", "expected"), [
    ("kubectl exec -it p -- sh", ExecCommand(pod="p", argv=["sh"])),
    ("kubectl exec -ti p -c app -- ls -l /", ExecCommand(pod="p", container="app", argv=["ls", "-l", "/"])),
    ("kubectl exec --stdin --tty pod/p --container=app -n ns -- id",
     ExecCommand(pod="p", container="app", namespace="ns", argv=["id"])),
    ("kubectl exec p -- sh -c 'echo $HOSTNAME; exit 3'",
     ExecCommand(pod="p", argv=["sh", "-c", "echo $HOSTNAME; exit 3"])),
    ('kubectl exec p -- sh -c "echo \\$HOME \\"q\\""', ExecCommand(pod="p", argv=["sh", "-c", 'echo $HOME "q"'])),
    ("kubectl exec p -- grep -c x /etc/hosts | wc -l", ExecCommand(pod="p", argv=["grep", "-c", "x", "/etc/hosts"],
                                                                   pipes=[WcPipe()])),
    ("kubectl exec p -- printf ''", ExecCommand(pod="p", argv=["printf", ""])),
])
def test_exec_forms(line: str, expected: ExecCommand) -> None:
    expected.line = line
    assert parse_command(line) == expected


@pytest.mark.parametrize(("line", "target", "local", "remote"), [
    ("kubectl port-forward svc/web 8080:80", "svc/web", 8080, 80),
    ("kubectl port-forward service/web 80", "svc/web", 80, 80),
    ("kubectl port-forward pod/p :5000", "pod/p", None, 5000),
    ("kubectl port-forward p 0:5000 -n x", "pod/p", None, 5000),
    ("kubectl port-forward po/p 1:65535", "pod/p", 1, 65535),
])
def test_port_forward_forms(line: str, target: str, local: int | None, remote: int) -> None:
    command = parse_command(line)
    assert isinstance(command, PortForwardCommand)
    assert (command.target, command.local_port, command.remote_port) == (target, local, remote)


def test_variables_stay_until_substituted() -> None:
    command = parse_command("kubectl get svc -n ${namespace}")
    assert command.namespace == "${namespace}"
    assert parse_command("kubectl get svc -n ${ns}", variables=["ns"]).namespace == "${ns}"


# --------------------------------------------------------------------------- rejections

# (line, the text the error points at, message part, hint part)
REJECTED = [
    ("", "", "empty command", None),
    ("   ", "", "empty command", None),
    ("kubectl", "", "kubectl needs a command", "kubectl get"),
    ("kubectl create -f pod.yaml", "create", "unsupported kubectl command 'create'", "apply -f"),
    ("kubectl top", "top", "kubectl top needs pod or node", "kubectl top pod"),
    ("kubectl top deploy", "deploy", "kubectl top needs pod or node", None),
    ("kubectl top pods --sort-by=name", "--sort-by", "--sort-by accepts only cpu or memory", None),
    ("kubectl top pod web -l app=web", "web", "only one of NAME or selector can be provided", None),
    ("kubectl top node one two", "two", "takes one NAME at most", None),
    ("kubectl top node --containers", "--containers", "unsupported flag --containers for top", None),
    ("kubectl apply -f=-", "-f", "cannot apply '-'", "beside the scenario"),
    ("kubectl apply pod.yaml", "pod.yaml", "takes -f FILE", None),
    ("kubectl delete pods", "delete", "name what to delete", "never deletes a whole type"),
    ("kubectl delete pod/a -l app=x", "app=x", "not both", None),
    ("kubectl logs", "logs", "one pod", "kubectl logs POD"),
    ("kubectl logs web extra", "extra", "one pod", None),
    ("kubectl logs web --tail many", "many", "--tail must be a non-negative integer", None),
    ("kubectl logs web --since 5", "5", "'5' is not a duration", "30s"),
    ("kubectl events --types Bad", "Bad", "valid --types are Normal or Warning", None),
    ("kubectl scale deploy/web", "scale", "needs --replicas", None),
    ("kubectl scale deploy/web --replicas=-1", "--replicas", "non-negative", None),
    ("kubectl label pod/a", "label", "KEY=VALUE", None),
    ("kubectl label pod/a 'b c=d'", "'b c", "invalid label key", None),
    ("kubectl patch deploy/web -p '{'", "'{'", "not JSON", None),
    ("kubectl patch deploy/web --type yaml -p '{}'", "yaml", "--type must be one of", None),
    ("kubectl set env deploy/web A=b", "env", "only `kubectl set image`", None),
    ("kubectl rollout deploy/web", "deploy", "needs one of: status", None),
    ("kubectl rollout status", "status", "name the workload", None),
    ("kubectl wait pod/a", "wait", "needs --for", None),
    ("kubectl wait pods --for=delete", "wait", "name what to wait for", None),
    ("cat /etc/hosts", "cat", "unsupported command 'cat'", "kubectl get"),
    ("kubectl get pods > out", ">", "'>' (redirection)", "one kubectl command"),
    ("kubectl get pods 2>/dev/null", ">", "'>' (redirection)", None),
    ("kubectl get pods < in", "<", "'<' (redirection)", None),
    ("kubectl get pods; ls", ";", "';'", None),
    ("kubectl get pods && ls", "&", "'&'", None),
    ("kubectl get pods || ls", "|", "'||'", None),
    ("kubectl get pods |& grep x", "|", "'|&'", None),
    ("kubectl get pods `ls`", "`", "'`'", None),
    ("kubectl get pods $(ls)", "$", "'$(' runs a command", "${name}"),
    ('kubectl exec p -- sh -c "$(id)"', "$", "'$(' runs a command", "single-quote"),
    ('kubectl exec p -- sh -c "echo `id`"', "`", "'`' runs a command", "single-quote"),
    ("kubectl get pods -n $NS", "$", "'$NS' is expanded by your shell", "${name}"),
    ("kubectl get pods -n ${ns}", "$", "unknown variable ${ns}", "${namespace}"),
    ("kubectl get pods -n ${namespace:-x}", "$", "unsupported parameter expansion", None),
    ("kubectl get pods -n ${namespace", "$", "unsupported parameter expansion", None),
    ("kubectl get pods app*", "*", "unquoted '*'", "quote it"),
    ("kubectl get pods | grep [a]", "[", "unquoted '['", "quote it"),
    ("kubectl get pods ~/x", "~", "home directory", None),
    ("kubectl get pods # list", "#", "a comment", None),
    ("kubectl get pods\nls", "\n", "a line break", None),
    ("kubectl get pods \\", "\\", "trailing backslash", None),
    ("kubectl get pods 'x", "'", "unterminated single quote", None),
    ('kubectl get pods "x', '"', "unterminated double quote", None),
    ("kubectl get pods |", "|", "nothing after '|'", None),
    ("| grep x", "|", "nothing before '|'", None),
    ("kubectl get pods | | grep x", "| grep", "nothing before '|'", None),
    ("kubectl get", "get", "needs a resource type", "kubectl get TYPE"),
    ("kubectl get podss", "podss", "unsupported resource type 'podss'", "did you mean 'pods'?"),
    ("kubectl get svc/a web", "web", "mixing TYPE/NAME", None),
    ("kubectl get svc a/b", "a/b", "a name cannot contain '/'", None),
    ("kubectl get pods -o toml", "toml", "unsupported output format 'toml'", "jsonpath="),
    ("kubectl get pods -o go-template='{{.x}}'", "go-template", "unsupported output format", None),
    ("kubectl get pods --watch=maybe", "--watch", "takes no value (or =true, =false)", None),
    ("kubectl get pods --output-watch-events", "--output", "can only be used with --watch", None),
    ("kubectl get pods --context=prod", "--context", "unsupported flag --context", "cluster"),
    ("kubectl get pods -l", "-l", "-l needs a value", None),
    ("kubectl get pods -l 'a in (b'", "'a in", "not a label requirement", None),
    ("kubectl get pods -A=yes", "-A", "-A takes no value", None),
    ("kubectl exec", "exec", "needs a pod name", "kubectl exec POD"),
    ("kubectl exec p ls", "ls", "must follow '--'", "kubectl exec POD"),
    ("kubectl exec p", "p", "must follow '--'", None),
    ("kubectl exec p --", "p", "nothing to run", None),
    ("kubectl exec deploy/web -- ls", "deploy", "is not a pod", None),
    ("kubectl exec p -x -- ls", "-x", "unsupported flag -x for exec", None),
    ("kubectl port-forward svc/web", "port-forward", "a target and one port", None),
    ("kubectl port-forward svc/web 80 81", "81", "a target and one port", None),
    ("kubectl port-forward deploy/web 80", "deploy", "cannot port-forward", "svc/NAME"),
    ("kubectl port-forward svc/web 8080:http", "8080:http", "'http' is not a port number", None),
    ("kubectl port-forward svc/web 70000", "70000", "not a port number", None),
    ("kubectl port-forward svc/web 0", "0", "not a port number", None),
    ("kubectl port-forward svc/web 80 --address 0.0.0.0", "--address", "unsupported flag --address", None),
    ("kubectl port-forward svc/web 80 | grep x", "grep", "cannot be piped", None),
    ("kubectl get pods | sort", "sort", "unsupported pipe command 'sort'", "grep"),
    ("kubectl get pods | grep", "grep", "exactly one pattern", None),
    ("kubectl get pods | grep a zz", "zz", "exactly one pattern", None),
    ("kubectl get pods | grep -F a", "-F", "unsupported grep option -F", "-v, -i, -E and -c"),
    ("kubectl get pods | grep 'a\\'", "'a", "trailing backslash", "regular expression"),
    ("kubectl get pods | grep -E 'a{2,1}'", "'a", "invalid pattern", None),
    ("kubectl get pods | grep '[[:nope:]]'", "'[", "unknown character class", None),
    ("kubectl get pods | head -c 5", "-c", "unsupported head arguments", "head -n N"),
    ("kubectl get pods | head -n", "-n", "unsupported head arguments", None),
    ("kubectl get pods | tail -f", "-f", "unsupported tail arguments", None),
    ("kubectl get pods | tail -n -3", "-n", "unsupported tail arguments", None),
    ("kubectl get pods | wc", "wc", "only wc -l", None),
    ("kubectl get pods | wc -w", "-w", "only wc -l", None),
]


@pytest.mark.parametrize(("line", "at", "message", "hint"), REJECTED, ids=[r[0] or "empty" for r in REJECTED])
def test_rejected_with_position(line: str, at: str, message: str, hint: str | None) -> None:
    with pytest.raises(CommandError) as info:
        parse_command(line)
    error = info.value
    assert isinstance(error, ValueError)
    assert message in error.message
    expected = line.index(at) if at else len(line) if line.strip() else 0
    assert error.offset == expected, (error.offset, expected)
    if hint:
        assert error.hint and hint in error.hint


def test_selector_syntax() -> None:
    for good in ["app=web", "app==web", "app!=web", "app", "!app", "tier in (a, b)", "tier notin (a)",
                 "statefulset.kubernetes.io/pod-name=mongodb-0", "a=b,c!=d,e in (x,y),!f", "app="]:
        assert check_selector(good) is None, good
    for bad in ["", " ", "=b", "a b", "a in b", "a=b=c", "a in (b", "-a=b"]:
        assert check_selector(bad), bad


def test_resource_kinds() -> None:
    assert resource_kind("svc") == resource_kind("Services") == "Service"
    assert resource_kind("ep") == "Endpoints" and resource_kind("sts") == "StatefulSet"
    assert resource_kind("widget") is None


# --------------------------------------------------------------------------- pipes

TEXT = "NAME   READY\nweb-1  1/1\nweb-2  0/1\ndb-0   1/1\n"


@pytest.mark.parametrize(("pipe", "out", "status"), [
    (GrepPipe("web"), "web-1  1/1\nweb-2  0/1\n", 0),
    (GrepPipe("nope"), "", 1),
    (GrepPipe("web", invert=True), "NAME   READY\ndb-0   1/1\n", 0),
    (GrepPipe("WEB", ignore_case=True, count=True), "2\n", 0),
    (GrepPipe("nope", count=True), "0\n", 1),
    (GrepPipe("", invert=True), "", 1),
    (GrepPipe("^web-[12]"), "web-1  1/1\nweb-2  0/1\n", 0),
    (GrepPipe("1/1$"), "web-1  1/1\ndb-0   1/1\n", 0),
    (GrepPipe("web|db"), "", 1),  # basic regex: '|' is literal
    (GrepPipe("web|db", extended=True), "web-1  1/1\nweb-2  0/1\ndb-0   1/1\n", 0),
    (GrepPipe(r"web\|db"), "web-1  1/1\nweb-2  0/1\ndb-0   1/1\n", 0),  # GNU BRE alternation
    (GrepPipe("[[:digit:]]/1"), "web-1  1/1\nweb-2  0/1\ndb-0   1/1\n", 0),
    (GrepPipe("0/1", extended=True, invert=True, count=True), "3\n", 0),
    (HeadPipe(2), "NAME   READY\nweb-1  1/1\n", 0),
    (HeadPipe(), TEXT, 0),
    (HeadPipe(1, all_but_last=True), "NAME   READY\nweb-1  1/1\nweb-2  0/1\n", 0),
    (HeadPipe(0), "", 0),
    (TailPipe(1), "db-0   1/1\n", 0),
    (TailPipe(0), "", 0),
    (TailPipe(3, from_start=True), "web-2  0/1\ndb-0   1/1\n", 0),
    (WcPipe(), "4\n", 0),
])
def test_pipe(pipe: object, out: str, status: int) -> None:
    assert apply_pipes(TEXT, [pipe], exit_code=7) == (out, status)  # type: ignore[list-item]


def test_pipes_keep_a_missing_final_newline() -> None:
    assert apply_pipes("a\nb", [HeadPipe(5)]) == ("a\nb", 0)
    assert apply_pipes("a\nb", [TailPipe(1)]) == ("b", 0)
    assert apply_pipes("a\nb", [GrepPipe("b")]) == ("b\n", 0)  # grep terminates its lines
    assert apply_pipes("a\nb", [WcPipe()]) == ("1\n", 0)  # wc counts newlines
    assert apply_pipes("", [WcPipe()]) == ("0\n", 0)
    assert apply_pipes("a\r\nb\x0bc\n", [WcPipe()]) == ("2\n", 0)  # only '\n' ends a line


def test_pipeline_status_is_the_last_commands() -> None:
    assert apply_pipes("x\n", [], exit_code=3) == ("x\n", 3)
    assert apply_pipes("", [GrepPipe("x"), WcPipe()], exit_code=1) == ("0\n", 0)
    assert apply_pipes("a\nb\n", [HeadPipe(1), GrepPipe("b")]) == ("", 1)


def test_parsed_pipes() -> None:
    command = parse_command("kubectl get pods | grep -vi -E 'a|b' | head -3 | tail -n +2 | wc --lines")
    assert command.pipes == [GrepPipe("a|b", invert=True, ignore_case=True, extended=True),
                             HeadPipe(3), TailPipe(2, from_start=True), WcPipe()]
    assert parse_command("kubectl get pods | grep -- -v").pipes == [GrepPipe("-v")]
    assert parse_command("kubectl get pods | head -n -2").pipes == [HeadPipe(2, all_but_last=True)]
    assert parse_command("kubectl get pods | tail --lines=4").pipes == [TailPipe(4)]
    assert parse_command("kubectl get pods | grep --count --invert-match x").pipes == [
        GrepPipe("x", invert=True, count=True)]


_TOOLS = all(shutil.which(t) for t in ("sh", "grep", "head", "tail", "wc"))
_LINES = st.lists(st.text(alphabet="ab1 .*^$|/-()[]{}+?\\:\t", max_size=8), max_size=6)
_PIPES = [
    "grep a", "grep -v a", "grep -c 'a.b'", "grep -i A", "grep '^a'", "grep 'b$'", "grep 'a*b'", "grep '*'",
    "grep -E 'a+|1'", "grep -E '^(ab)+$'", "grep 'a\\{2\\}'", "grep -E 'a{2}'", "grep '[[:digit:]]'",
    "grep '[^ab]'", "grep '[]a]'", "grep -E '(a|b)1?'", "grep 'a\\|1'", "grep '\\.'", "grep 'a.'",
    "grep ''", "grep -E '\\(a'", "grep '\\(a\\)\\1'", "grep '\\<ab'", "grep '[.*]'",
    "head -n 2", "head -1", "head -n -1", "tail -n 2", "tail -3", "tail -n +2", "wc -l",
]


@pytest.mark.skipif(not _TOOLS, reason="needs sh, grep, head, tail and wc")
@settings(max_examples=200, deadline=None)
@given(_LINES, st.booleans(), st.lists(st.sampled_from(_PIPES), min_size=1, max_size=3))
def test_pipes_match_the_real_tools(lines: list[str], final_newline: bool, pipes: list[str]) -> None:
    text = "\n".join(lines) + ("\n" if final_newline and lines else "")
    pipeline = " | ".join(pipes)
    command = parse_command(f"kubectl get pods | {pipeline}")
    env = {**os.environ, "LC_ALL": "C", "POSIXLY_CORRECT": ""}
    env.pop("POSIXLY_CORRECT")
    real = subprocess.run(["sh", "-c", pipeline], input=text.encode(), capture_output=True, env=env, check=False)
    assume(real.returncode in (0, 1))  # 2: the tool itself refused the pattern
    assert apply_pipes(text, command.pipes) == (real.stdout.decode(), real.returncode)


# --------------------------------------------------------------------------- robustness


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_random_text_only_raises_command_error(line: str) -> None:
    try:
        parse_command(line)
    except CommandError as error:
        assert 0 <= error.offset <= len(line)


_SHELLISH = st.lists(st.sampled_from([
    "kubectl", "get", "exec", "port-forward", "pods", "svc/web", "-n", "-it", "--", "sh", "-c", "|", "grep",
    "-v", "head", "-n", "3", "tail", "wc", "-l", "'a b'", '"x y"', "${namespace}", "$x", "8080:80", "-o",
    "wide", "-l", "app=web", "=", "\\", "'", '"', "-A", "--namespace=x", "-c", "p", "80", ":80", ";", " ",
]), max_size=12)


@settings(max_examples=500, deadline=None)
@given(_SHELLISH)
def test_shellish_text_only_raises_command_error(words: list[str]) -> None:
    line = " ".join(words)
    try:
        command = parse_command(line)
    except CommandError as error:
        assert 0 <= error.offset <= len(line)
    else:
        assert command.line == line


_PLAIN = st.text(alphabet="abcXYZ019-_./:=,@%+", min_size=1, max_size=6)
_QUOTED = st.text(alphabet="ab |;&<>()*?[]{}~#!`$\"\\", max_size=6)
_WORD = st.one_of(
    _PLAIN,
    _QUOTED.map(lambda s: "'" + s.replace("'", "") + "'"),
    _QUOTED.map(lambda s: '"' + s.replace('"', "").replace("\\", "").replace("$", "").replace("`", "") + '"'),
    st.tuples(_PLAIN, _QUOTED).map(lambda t: t[0] + "'" + t[1].replace("'", "") + "'"),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORD, min_size=1, max_size=6))
def test_words_split_like_shlex(words: list[str]) -> None:
    line = " ".join(words)
    [segment] = split_line(line, ())
    assert [w.value for w in segment] == shlex.split(line)
    assert [w.offset for w in segment] == [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]


@pytest.mark.parametrize(("pattern", "extended", "out"), [
    (r"\<ab", False, "ab\n"),
    (r"ab\>", False, "xab\nab\n"),
    ("*b", False, ""),  # a leading '*' is literal
    ("x*ab", False, "xab\nab\n"),
    ("a+b", False, ""),  # '+' is literal in a basic regex...
    (r"a\+b", False, "xab\nab\n"),  # ...and an operator when escaped (GNU)
    ("a+b", True, "xab\nab\n"),
    ("x?ab", True, "xab\nab\n"),
    ("[.]", False, ""),
])
def test_grep_dialects(pattern: str, extended: bool, out: str) -> None:
    assert apply_pipes("xab\nab\n", [GrepPipe(pattern, extended=extended)])[0] == out
