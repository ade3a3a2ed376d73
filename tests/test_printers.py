"""kubectl's non-table printers, offline: jsonpath, custom-columns, name, json and yaml.

Most cases are ported from the upstream Go tests they name (client-go
util/jsonpath v0.34.4 ``parser_test.go`` and ``jsonpath_test.go``, kubectl
v0.34.4 ``pkg/cmd/get/customcolumn_test.go``, go.yaml.in/yaml/v2 v2.4.2
``encode_test.go``, sigs.k8s.io/yaml v1.6.0 ``yaml_test.go``), with Go structs
turned into the maps kubectl's unstructured objects are (so struct field order
becomes sorted key order). Others pin outputs checked against kubectl's own
Go code; ``tests/test_printers_parity.py`` compares with the lab's kubectl.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen._kubectl._custom_columns import Column, parse_custom_columns, print_custom_columns
from reportgen._kubectl._jsonpath import (
    ArrayNode,
    BoolNode,
    FieldNode,
    FilterNode,
    FloatNode,
    IdentifierNode,
    IntNode,
    ListNode,
    PrintError,
    PrintPanic,
    RecursiveNode,
    TextNode,
    UnionNode,
    WildcardNode,
    execute_jsonpath,
    go_json,
    go_syntax,
    parse_jsonpath,
    print_jsonpath,
    relaxed_jsonpath_expression,
)
from reportgen._kubectl._name import print_names
from reportgen._kubectl._serialize import (
    as_list,
    drop_managed_fields,
    json_to_yaml,
    list_items,
    output_object,
    print_json,
    print_yaml,
)

# --- parser_test.go -----------------------------------------------------------------------------


def _go_bool(value: bool) -> str:
    return "true" if value else "false"


def _node_string(node: Any) -> str:
    """A node as Go's ``Node.String()`` prints it."""
    if isinstance(node, ListNode):
        return "NodeList"
    if isinstance(node, TextNode):
        return f"NodeText: {node.text}"
    if isinstance(node, FieldNode):
        return f"NodeField: {node.value}"
    if isinstance(node, IdentifierNode):
        return f"NodeIdentifier: {node.name}"
    if isinstance(node, ArrayNode):
        params = " ".join(f"{{{p.value} {_go_bool(p.known)} {_go_bool(p.derived)}}}" for p in node.params)
        return f"NodeArray: [{params}]"
    if isinstance(node, FilterNode):
        return f"NodeFilter: NodeList {node.operator} NodeList"
    if isinstance(node, IntNode):
        return f"NodeInt: {node.value}"
    if isinstance(node, FloatNode):
        return f"NodeFloat: {node.value:f}"
    if isinstance(node, BoolNode):
        return f"NodeBool: {_go_bool(node.value)}"
    if isinstance(node, WildcardNode):
        return "NodeWildcard"
    if isinstance(node, RecursiveNode):
        return "NodeRecursive"
    assert isinstance(node, UnionNode)
    return "NodeUnion"


def _collect(node: Any) -> list[Any]:
    """parser_test.go's ``collectNode``: the node, then its children depth first."""
    nodes = [node]
    if isinstance(node, ListNode):
        for child in node.nodes:
            nodes += _collect(child)
    elif isinstance(node, FilterNode):
        nodes += _collect(node.left) + _collect(node.right)
    elif isinstance(node, UnionNode):
        for child in node.nodes:
            nodes += _collect(child)
    return nodes


PARSER_TESTS = [
    ("plain", "hello jsonpath", ["NodeText: hello jsonpath"]),
    ("variable", "hello {.jsonpath}", ["NodeText: hello ", "NodeList", "NodeField: jsonpath"]),
    ("arrayfiled", "hello {['jsonpath']}", ["NodeText: hello ", "NodeList", "NodeField: jsonpath"]),
    ("quote", '{"{"}', ["NodeList", "NodeText: {"]),
    ("array", "{[1:3]}", ["NodeList", "NodeArray: [{1 true false} {3 true false} {0 false false}]"]),
    ("allarray", "{.book[*].author}",
     ["NodeList", "NodeField: book", "NodeArray: [{0 false false} {0 false false} {0 false false}]",
      "NodeField: author"]),
    ("wildcard", "{.bicycle.*}", ["NodeList", "NodeField: bicycle", "NodeWildcard"]),
    ("filter", "{[?(@.price<3)]}",
     ["NodeList", "NodeFilter: NodeList < NodeList", "NodeList", "NodeField: price", "NodeList", "NodeInt: 3"]),
    ("recursive", "{..}", ["NodeList", "NodeRecursive"]),
    ("recurField", "{..price}", ["NodeList", "NodeRecursive", "NodeField: price"]),
    ("arraydict", "{['book.price']}", ["NodeList", "NodeField: book", "NodeField: price"]),
    ("union", "{['bicycle.price', 3, 'book.price']}",
     ["NodeList", "NodeUnion", "NodeList", "NodeField: bicycle", "NodeField: price",
      "NodeList", "NodeArray: [{3 true false} {4 true true} {0 false false}]",
      "NodeList", "NodeField: book", "NodeField: price"]),
    ("range", "{range .items}{.name},{end}",
     ["NodeList", "NodeIdentifier: range", "NodeField: items", "NodeList", "NodeField: name", "NodeText: ,",
      "NodeList", "NodeIdentifier: end"]),
    ("paired parentheses in quotes", '{[?(@.status.nodeInfo.osImage == "()")]}',
     ["NodeList", "NodeFilter: NodeList == NodeList", "NodeList", "NodeField: status", "NodeField: nodeInfo",
      "NodeField: osImage", "NodeList", "NodeText: ()"]),
    ("paired parentheses in double quotes and with double quotes escape",
     '{[?(@.status.nodeInfo.osImage == "(\\"\\")")]}',
     ["NodeList", "NodeFilter: NodeList == NodeList", "NodeList", "NodeField: status", "NodeField: nodeInfo",
      "NodeField: osImage", "NodeList", 'NodeText: ("")']),
    ("unregular parentheses in double quotes", '{[?(@.test == "())(")]}',
     ["NodeList", "NodeFilter: NodeList == NodeList", "NodeList", "NodeField: test", "NodeList",
      "NodeText: ())("]),
    ("plain text in single quotes", "{[?(@.status.nodeInfo.osImage == 'Linux')]}",
     ["NodeList", "NodeFilter: NodeList == NodeList", "NodeList", "NodeField: status", "NodeField: nodeInfo",
      "NodeField: osImage", "NodeList", "NodeText: Linux"]),
    ("test filter suffix", '{[?(@.status.nodeInfo.osImage == "{[()]}")]}',
     ["NodeList", "NodeFilter: NodeList == NodeList", "NodeList", "NodeField: status", "NodeField: nodeInfo",
      "NodeField: osImage", "NodeList", "NodeText: {[()]}"]),
    ("double inside single", "{[?(@.status.nodeInfo.osImage == \"''\")]}",
     ["NodeList", "NodeFilter: NodeList == NodeList", "NodeList", "NodeField: status", "NodeField: nodeInfo",
      "NodeField: osImage", "NodeList", "NodeText: ''"]),
    ("single inside double", "{[?(@.status.nodeInfo.osImage == '\"\"')]}",
     ["NodeList", "NodeFilter: NodeList == NodeList", "NodeList", "NodeField: status", "NodeField: nodeInfo",
      "NodeField: osImage", "NodeList", 'NodeText: ""']),
    ("single containing escaped single", "{[?(@.status.nodeInfo.osImage == '\\\\\\'')]}",
     ["NodeList", "NodeFilter: NodeList == NodeList", "NodeList", "NodeField: status", "NodeField: nodeInfo",
      "NodeField: osImage", "NodeList", "NodeText: \\'"]),
    ("negative index slice, equals a[len-5] to a[len-1]", "{[-5:]}",
     ["NodeList", "NodeArray: [{-5 true false} {0 false false} {0 false false}]"]),
    ("negative index slice, equals a[len-1]", "{[-1]}",
     ["NodeList", "NodeArray: [{-1 true false} {0 true true} {0 false false}]"]),
    ("negative index slice, equals a[1] to a[len-1]", "{[1:-1]}",
     ["NodeList", "NodeArray: [{1 true false} {-1 true false} {0 false false}]"]),
    ("numbers and bools", "{5 -1.5 true}", ["NodeList", "NodeInt: 5", "NodeFloat: -1.500000", "NodeBool: true"]),
]


@pytest.mark.parametrize(("name", "template", "expected"), PARSER_TESTS, ids=[t[0] for t in PARSER_TESTS])
def test_parser(name: str, template: str, expected: list[str]) -> None:
    nodes = _collect(parse_jsonpath(template))[1:]
    assert [_node_string(n) for n in nodes] == expected


FAIL_PARSER_TESTS = [
    ("{.hello", "unclosed action"),
    ('{"a\\\\"}', "unterminated quoted string"),  # Go takes the escaped backslash for an escaped quote
    ("{*}", "unrecognized character in action: U+002A '*'"),
    ("{+12.3.0}", "cannot parse number +12.3.0"),
    ("{[1}", "unterminated array"),
    ("{[?(.price]}", "unterminated filter"),
    ("{........}", "invalid multiple recursive descent"),
    ("{\\\\\\}", "unrecognized character in action: U+005C '\\'"),
    ("{.a\n}", "unclosed action"),
    ("{\t}", "unrecognized character in action: U+0009"),
    ("{[a]}", "invalid array index a"),
    ("{[-]}", "array index - is not a number"),
    ("{[99999999999999999999]}", "array index 99999999999999999999 is not a number"),
    ("{[?(@.a==1)}", "unclosed array expect ]"),
    ('{"abc}', "unterminated quoted string"),
    ('{"\\q"}', 'unquote string "\\q" error invalid syntax'),
    ("{'a\\\"'}", "unquote string 'a\\\"' error invalid syntax"),
]


@pytest.mark.parametrize(("template", "message"), FAIL_PARSER_TESTS)
def test_parser_errors(template: str, message: str) -> None:
    with pytest.raises(PrintError) as caught:
        parse_jsonpath(template)
    assert str(caught.value) == message


def test_quoted_strings_unquote_like_go() -> None:
    root = parse_jsonpath('{"a\\tb\\u00e9\\x41\\101"}{\'it\\\'s\'}')
    texts = [n.text for action in root.nodes for n in action.nodes if isinstance(n, TextNode)]  # type: ignore[union-attr]
    assert texts == ["a\tbéAA", "it's"]


# --- jsonpath_test.go ---------------------------------------------------------------------------


def _run(template: str, data: Any, allow_missing_keys: bool = False) -> str:
    return execute_jsonpath(parse_jsonpath(template), data, allow_missing_keys=allow_missing_keys)


TYPES = {
    "bools": [True, False, True, False],
    "integers": [1, 2, 3, 4],
    "floats": [1.0, 2.2, 3.3, 4.0],
    "strings": ["one", "two", "three", "four"],
    "interfaces": [True, "one", 1, 1.1],
    "maps": [{"name": "one", "value": 1}, {"name": "two", "value": 2.02}, {"name": "three", "value": 3.03},
             {"name": "four", "value": 4.04}],
}

TYPES_TESTS = [
    ("{ .bools }", "[true,false,true,false]"), ("{ .bools[0] }", "true"), ("{ .bools[-1] }", "false"),
    ("{ .bools[0:2] }", "true false"), ("{ .bools[:2] }", "true false"), ("{ .bools[:4:2] }", "true true"),
    ("{ .integers }", "[1,2,3,4]"), ("{ .integers[0] }", "1"), ("{ .integers[-2] }", "3"),
    ("{ .integers[0:2] }", "1 2"), ("{ .integers[:2] }", "1 2"), ("{ .integers[:4:2] }", "1 3"),
    ("{ .floats }", "[1,2.2,3.3,4]"), ("{ .floats[0] }", "1"), ("{ .floats[-2] }", "3.3"),
    ("{ .floats[0:2] }", "1 2.2"), ("{ .floats[:2] }", "1 2.2"), ("{ .floats[:4:2] }", "1 3.3"),
    ("{ .strings }", '["one","two","three","four"]'), ("{ .strings[0] }", "one"), ("{ .strings[-2] }", "three"),
    ("{ .strings[0:2] }", "one two"), ("{ .strings[:2] }", "one two"), ("{ .strings[:4:2] }", "one three"),
    ("{ .interfaces }", '[true,"one",1,1.1]'), ("{ .interfaces[0] }", "true"), ("{ .interfaces[-2] }", "1"),
    ("{ .interfaces[0:2] }", "true one"), ("{ .interfaces[:2] }", "true one"), ("{ .interfaces[:4:2] }", "true 1"),
    ("{ .maps }", '[{"name":"one","value":1},{"name":"two","value":2.02},{"name":"three","value":3.03},'
                  '{"name":"four","value":4.04}]'),
    ("{ .maps[0] }", '{"name":"one","value":1}'), ("{ .maps[-2] }", '{"name":"three","value":3.03}'),
    ("{ .maps[0:2] }", '{"name":"one","value":1} {"name":"two","value":2.02}'),
    ("{ .maps[::2] }", '{"name":"one","value":1} {"name":"three","value":3.03}'),
    ("{ .maps[1::2] }", '{"name":"two","value":2.02} {"name":"four","value":4.04}'),
]


@pytest.mark.parametrize(("template", "expected"), TYPES_TESTS)
def test_types_input(template: str, expected: str) -> None:
    assert _run(template, TYPES) == expected


STORE = {
    "Name": "jsonpath",
    "Book": [
        {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings of the Centurey", "Price": 8.95},
        {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword of Honour", "Price": 12.99},
        {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby Dick", "Price": 8.99},
    ],
    "Bicycle": [{"Color": "red", "Price": 19.95, "IsNew": True}, {"Color": "green", "Price": 20.01, "IsNew": False}],
    "Labels": {"engieer": 10, "web/html": 15, "k8s-app": 20},
    "Employees": {"jason": "manager", "dan": "clerk"},
}

STORE_TESTS = [
    ("hello jsonpath", None, "hello jsonpath"),
    ("{..}", [1, 2, 3], "[1,2,3]"),
    ("{[?(@<5)]}", [2, 6, 3, 7], "2 3"),
    ('{"{"}', None, "{"),
    ("{[1,3,4]}", [0, 1, 2, 3, 4], "1 3 4"),
    ("{[0:2]}", ["Monday", "Tudesday"], "Monday Tudesday"),
    ("hello {.Name}", STORE, "hello jsonpath"),
    ("{$.Labels.web/html}", STORE, "15"),
    ("{$.Employees.jason}", STORE, "manager"),
    ("{$.Employees.dan}", STORE, "clerk"),
    ("{.Labels.k8s-app}", STORE, "20"),
    ("{.Bicycle[*].Color}", STORE, "red green"),
    ("{.Book[*].Author}", STORE, "Nigel Rees Evelyn Waugh Herman Melville"),
    # map keys are visited sorted here (Go: randomly)
    ('{range .Bicycle[*]}{ "{" }{ @.* }{ "} " }{end}', STORE, "{red true 19.95} {green false 20.01} "),
    ("{..Price}", STORE, "19.95 20.01 8.95 12.99 8.99"),
    ("{...Price}", STORE, "19.95 20.01 8.95 12.99 8.99"),
    ("{.Bicycle}", STORE, '[{"Color":"red","IsNew":true,"Price":19.95},{"Color":"green","IsNew":false,"Price":20.01}]'),
    ('{range .Bicycle[*]}{ @ }{ " " }{end}', STORE,
     '{"Color":"red","IsNew":true,"Price":19.95} {"Color":"green","IsNew":false,"Price":20.01} '),
    ("{.Book[-1:]}", STORE, '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}'),
    ("{..Book[2]}", STORE, '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}'),
    ("{.Bicycle[?(@.IsNew==true)]}", STORE, '{"Color":"red","IsNew":true,"Price":19.95}'),
]


@pytest.mark.parametrize(("template", "data", "expected"), STORE_TESTS)
def test_store_input(template: str, data: Any, expected: str) -> None:
    assert _run(template, data) == expected


def test_super_recursive_fields_fail_to_parse() -> None:
    with pytest.raises(PrintError, match="invalid multiple recursive descent"):
        parse_jsonpath("{" + "." * 60 + "Price}")


@pytest.mark.parametrize(("template", "expected"), [("{.hello}", ""), ("before-{.hello}after", "before-after")])
def test_missing_keys_allowed(template: str, expected: str) -> None:
    assert _run(template, STORE, allow_missing_keys=True) == expected


FAIL_STORE_TESTS = [
    ("{hello}", "unrecognized identifier hello"),
    ("{.hello}", "hello is not found"),
    ("{.Labels[0]}", "map[string]interface {} is not array or slice"),
    ("{.Book[?(@.Price<>10)]}", "unrecognized filter operator <>"),
    ("{range .Labels.*}{@}{end}{end}", "not in range, nothing to end"),
    ("{.Name[0]}", "string is not array or slice"),
    ("{.Book[?(@.Price==10)]}", "incompatible types for comparison"),
    ("{.Book[?(@.Title<true)]}", "incompatible types for comparison"),
    ("{.Bicycle[?(@.IsNew<true)]}", "invalid type for comparison"),
    ("{.Book[?(@.Nothing.x==1)].Title}", "Nothing is not found"),
    ("{.Book[?(@==1)]}", "invalid type for comparison"),
    ("{.Name[?(@.a)]}", "jsonpath is not array or slice and cannot be filtered"),
    ("{.Book[?(@.*==1)]}", "can only compare one element at a time"),
    ("{.Book[5]}", "array index out of bounds: index 5, length 3"),
    ("{.Book[1:5]}", "array index out of bounds: index 4, length 3"),
    ("{.Book[2:1]}", "starting index 2 is greater than ending index 1"),
    ("{.Book[::0]}", "step must be > 0"),
]


@pytest.mark.parametrize(("template", "message"), FAIL_STORE_TESTS)
def test_store_failures(template: str, message: str) -> None:
    with pytest.raises(PrintError) as caught:
        _run(template, STORE)
    assert str(caught.value) == message


POINTS = json.loads("""[
    {"id": "i1", "x":4, "y":-5}, {"id": "i2", "x":-2, "y":-5, "z":1}, {"id": "i3", "x":  8, "y":  3 },
    {"id": "i4", "x": -6, "y": -1 }, {"id": "i5", "x":  0, "y":  2, "z": 1 }, {"id": "i6", "x":  1, "y":  4 },
    {"id": "i7", "x":  null, "y":  4 }]""")


@pytest.mark.parametrize(("template", "expected"), [
    ("{[?(@.z)].id}", "i2 i5"), ("{[0]['id']}", "i1"), ("{[-1]['x']}", "null"),
    ("{[?(@.y>0)].id}", "i3 i5 i6 i7"), ("{[?(@.y<=-5)].id}", "i1 i2"), ("{[?(@.y!=-5)].id}", "i3 i4 i5 i6 i7"),
])
def test_json_input(template: str, expected: str) -> None:
    assert _run(template, POINTS) == expected


def test_comparing_with_null_fails() -> None:
    with pytest.raises(PrintError, match=r"^invalid type for comparison$"):
        _run("{[?(@.x>0)].id}", POINTS)


NODES = json.loads("""{
  "kind": "List",
  "items":[
    {"kind":"None", "metadata":{"name":"127.0.0.1", "labels":{"kubernetes.io/hostname":"127.0.0.1"}},
     "status":{"capacity":{"cpu":"4"}, "ready": true,
               "addresses":[{"type": "LegacyHostIP", "address":"127.0.0.1"}]}},
    {"kind":"None", "metadata":{"name":"127.0.0.2", "labels":{"kubernetes.io/hostname":"127.0.0.2"}},
     "status":{"capacity":{"cpu":"8"}, "ready": false,
               "addresses":[{"type": "LegacyHostIP", "address":"127.0.0.2"}, {"type": "another", "address":"127.0.0.3"}]}}
  ],
  "users":[{"name": "myself", "user": {}}, {"name": "e2e", "user": {"username": "admin", "password": "secret"}}]
}""")

KUBERNETES_TESTS = [
    ("{range .items[*]}{.metadata.name}, {end}{.kind}", "127.0.0.1, 127.0.0.2, List"),
    ('{range .items[*]}{.metadata.name}{"\\t"}{end}', "127.0.0.1\t127.0.0.2\t"),
    ("{.items[*].status.addresses[*].address}", "127.0.0.1 127.0.0.2 127.0.0.3"),
    ("{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}", "127.0.0.1, 127.0.0.2, 127.0.0.3, "),
    ("{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
    ("{.items[*]['metadata.name', 'status.capacity']}", '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'),
    ("{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}", '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] '),
    ('{.users[?(@.name=="e2e")].user.password}', "secret"),
    ("{.items[0].metadata.labels.kubernetes\\.io/hostname}", "127.0.0.1"),
    ('{.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}', "None"),
    ("{.items[?(@..ready==true)].metadata.name}", "127.0.0.1"),
    ("{..name}", "127.0.0.1 127.0.0.2 myself e2e"),
]


@pytest.mark.parametrize(("template", "expected"), KUBERNETES_TESTS)
def test_kubernetes(template: str, expected: str) -> None:
    assert _run(template, NODES) == expected


@pytest.mark.parametrize("template", [
    "{range .items[*]}{.metadata.name}{end}",
    '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}',
])
def test_empty_range(template: str) -> None:
    assert _run(template, {"items": []}, allow_missing_keys=True) == ""


NESTED = {"items": [
    {"metadata": {"name": "pod1"}, "spec": {"containers": [
        {"name": "foo", "another": [{"name": "value1"}, {"name": "value2"}]},
        {"name": "bar", "another": [{"name": "value1"}, {"name": "value2"}]}]}},
    {"metadata": {"name": "pod2"}, "spec": {"containers": [
        {"name": "baz", "another": [{"name": "value1"}, {"name": "value2"}]}]}},
]}


@pytest.mark.parametrize(("template", "expected"), [
    ('{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}',
     "pod1:foo,bar,+pod2:baz,+"),
    ('{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}{range @.another[*]}'
     '{.name}{","}{end}{"+"}{end}{"#"}{end}',
     "pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#"),
    ('{range .items[*]}{.metadata.name}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\t"}'
     '{range @.spec.containers[*]}{.name}{" "}{end}{"\\n"}{end}',
     "pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n"),
])
def test_nested_ranges(template: str, expected: str) -> None:
    assert _run(template, NESTED) == expected


def test_a_range_without_end_runs_its_body_then_the_rest_again() -> None:
    assert _run("{range .items[*]}{.metadata.name}", NESTED, allow_missing_keys=True) == "pod1pod2"
    with pytest.raises(PrintError, match=r"^metadata is not found$"):
        _run("{range .items[*]}{.metadata.name}", NESTED)


ANNOTATED = {"kind": "List", "items": [
    {"kind": "Pod", "metadata": {"name": "pod1", "annotations": {"color": "blue"}}},
    {"kind": "Pod", "metadata": {"name": "pod2"}},
    {"kind": "Pod", "metadata": {"name": "pod3", "annotations": {"color": "green"}}},
    {"kind": "Pod", "metadata": {"name": "pod4", "annotations": {"color": "blue"}}},
]}


def test_filter_partial_matches_sometimes_missing_annotations() -> None:
    template = '{.items[?(@.metadata.annotations.color=="blue")].metadata.name}'
    assert _run(template, ANNOTATED, allow_missing_keys=True) == "pod1 pod4"
    with pytest.raises(PrintError, match="annotations is not found"):
        _run(template, ANNOTATED)


CONTAINERS = {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [
    {"image": "radial/busyboxplus:curl", "name": f"fake{i}"} for i in range(6)]}}
FOUR = {**CONTAINERS, "spec": {"containers": CONTAINERS["spec"]["containers"][:4]}}


@pytest.mark.parametrize(("template", "expected"), [
    ("{.spec.containers[0].name}", "fake0"), ("{.spec.containers[0:0].name}", ""),
    ("{.spec.containers[0:-1].name}", "fake0 fake1 fake2"), ("{.spec.containers[-1:0].name}", None),
    ("{.spec.containers[-1].name}", "fake3"), ("{.spec.containers[-1:].name}", "fake3"),
    ("{.spec.containers[-2].name}", "fake2"), ("{.spec.containers[-2:].name}", "fake2 fake3"),
    ("{.spec.containers[-3].name}", "fake1"), ("{.spec.containers[-4].name}", "fake0"),
    ("{.spec.containers[-4:].name}", "fake0 fake1 fake2 fake3"), ("{.spec.containers[-5].name}", None),
    ("{.spec.containers[5:5].name}", ""), ("{.spec.containers[-5:-5].name}", ""),
    ("{.spec.containers[3:1].name}", None), ("{.spec.containers[-1:-2].name}", None),
    ("{.spec.containers[].name}", "fake0"),
])
def test_negative_index(template: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(PrintError):
            _run(template, FOUR)
    else:
        assert _run(template, FOUR) == expected


def test_running_pods_jsonpath_output() -> None:
    data = {"kind": "List", "items": [
        {"kind": "Pod", "metadata": {"name": f"pod{i}"}, "status": {"phase": "Running"}} for i in (1, 2, 3)
    ] + [{"resourceVersion": ""}]}
    template = '{range .items[?(.status.phase=="Running")]}{.metadata.name}{" is Running\\n"}{end}'
    assert _run(template, data, allow_missing_keys=True) == "pod1 is Running\npod2 is Running\npod3 is Running\n"


@pytest.mark.parametrize(("template", "expected"), [
    ("{.spec.containers[0:].name}", "fake0 fake1 fake2 fake3 fake4 fake5"),
    ("{.spec.containers[0:6:].name}", "fake0 fake1 fake2 fake3 fake4 fake5"),
    ("{.spec.containers[0:6:1].name}", "fake0 fake1 fake2 fake3 fake4 fake5"),
    ("{.spec.containers[0:6:0].name}", None), ("{.spec.containers[0:6:-1].name}", None),
    ("{.spec.containers[1:4:2].name}", "fake1 fake3"), ("{.spec.containers[1:4:3].name}", "fake1"),
    ("{.spec.containers[1:4:4].name}", "fake1"), ("{.spec.containers[0:6:2].name}", "fake0 fake2 fake4"),
    ("{.spec.containers[0:6:3].name}", "fake0 fake3"), ("{.spec.containers[0:6:5].name}", "fake0 fake5"),
    ("{.spec.containers[0:6:6].name}", "fake0"),
])
def test_step(template: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(PrintError):
            _run(template, CONTAINERS)
    else:
        assert _run(template, CONTAINERS) == expected


# --- the engine's corners, as Go's reflection sees unstructured data ----------------------------


@pytest.mark.parametrize(("template", "data", "expected"), [
    ("{.n} {.f} {.big} {.e} {.tiny}", {"n": 3, "f": 1.5e7, "big": 2**64, "e": 1e21, "tiny": 1e-7},
     "3 1.5e+07 1.8446744073709552e+19 1e+21 1e-07"),
    ("{.m}", {"m": {"b": 1e21, "a": "<&>", "c": 2**64, "d": 1e-7}}, '{"a":"\\u003c\\u0026\\u003e","b":1e+21,"c":18446744073709552000,"d":1e-7}'),
    ("{.s.*}", {"s": "hé"}, "104 195 169"),  # a string's bytes, as uint8
    ("{..}", {"s": "x", "e": "", "n": 1, "l": []}, '{"e":"","l":[],"n":1,"s":"x"} x'),
    ('{range .l[*]}[{@}]{end}', {"l": [None, 1]}, "[<no value>][1]"),
    ("{.l[?(@.a[5])].b}", {"l": [{"a": [1], "b": "kept"}, {"b": "dropped"}]}, "kept"),
    ("{.z} {.z.x}", {"z": None}, "null "),
    ("{5}{1.5}{true}{'q'}", {}, "51.5trueq"),
])
def test_engine_corners(template: str, data: Any, expected: str) -> None:
    assert _run(template, data, allow_missing_keys=True) == expected


def test_range_over_nothing_panics_where_go_does() -> None:
    with pytest.raises(PrintPanic) as caught:
        print_jsonpath("{range .none[*]}{[0]}{end}", {"kind": "X"})
    assert caught.value.stderr == "panic: reflect: call of reflect.Value.Type on zero Value\n"
    assert caught.value.exit_code == 2


def test_jsonpath_as_json() -> None:
    out = print_jsonpath("{.a}{.b[*]}", {"a": {"x": 1}, "b": [1, "s"]}, as_json=True)
    assert out == '[\n    {\n        "x": 1\n    }\n]\n[\n    1,\n    "s"\n]\n'


# --- the -o jsonpath printer's messages ---------------------------------------------------------


def test_parse_errors_are_wrapped_as_kubectl_prints_them() -> None:
    with pytest.raises(PrintError) as caught:
        print_jsonpath("{.x", {"kind": "Pod"})
    assert caught.value.stderr == "error: error parsing jsonpath {.x, unclosed action\n"


def test_execution_errors_carry_kubectl_s_dump_of_the_object() -> None:
    data = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "x": [1, 1.5, None, "s", {"a": True}]}
    with pytest.raises(PrintError) as caught:
        print_jsonpath("{.x[5]}", data)
    assert str(caught.value) == (
        'error executing jsonpath "{.x[5]}": Error executing template: array index out of bounds: index 5, length 5. '
        "Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.x[5]}\n"
        "\tobject given to jsonpath engine was:\n\t\t"
        'map[string]interface {}{"apiVersion":"v1", "kind":"ConfigMap", "metadata":map[string]interface {}'
        '{"name":"x"}, "x":[]interface {}{1, 1.5, interface {}(nil), "s", map[string]interface {}{"a":true}}}\n\n\n'
    )
    assert caught.value.stderr.startswith('error: error executing jsonpath "{.x[5]}": Error executing template')


def test_empty_template_is_refused() -> None:
    with pytest.raises(PrintError, match=r"^template format specified but no template given$"):
        print_jsonpath("", {})


def test_go_syntax_quotes_like_strconv() -> None:
    assert go_syntax({"s": 'a"\x01\u00ad\U0001f600', "f": 1e6, "l": [], "m": {}}) == (
        'map[string]interface {}{"f":1e+06, "l":[]interface {}{}, "m":map[string]interface {}{}, '
        '"s":"a\\"\\x01\\u00ad\U0001f600"}'
    )


@settings(max_examples=200)
@given(st.dictionaries(st.text(min_size=1).filter(lambda k: all(c.isalnum() for c in k) and k.isascii()),
                       st.text(), min_size=1))
def test_a_field_prints_its_string_raw(data: dict[str, str]) -> None:
    for key, value in data.items():
        assert _run("{." + key + "}", data) == value


@settings(max_examples=200)
@given(st.recursive(st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.text(),
                    lambda c: st.lists(c, min_size=1) | st.dictionaries(st.text(), c, min_size=1), max_leaves=10))
def test_a_container_prints_as_json_that_parses_back(value: Any) -> None:
    if isinstance(value, dict | list):
        assert json.loads(_run("{.v}", {"v": value})) == json.loads(json.dumps(value))


# --- customcolumn_test.go -----------------------------------------------------------------------


@pytest.mark.parametrize(("expression", "expected"), [
    ("foo.bar", "{.foo.bar}"), ("{foo.bar}", "{.foo.bar}"), (".foo.bar", "{.foo.bar}"),
    ("{.foo.bar}", "{.foo.bar}"), ("", ""),
    ("{foo.bar", None), ("foo.bar}", None), ("{foo.bar}}", None), ("{{foo.bar}", None),
])
def test_relaxed_jsonpath_expression(expression: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(PrintError, match=r"unexpected path string, expected a 'name1.name2'"):
            relaxed_jsonpath_expression(expression)
    else:
        assert relaxed_jsonpath_expression(expression) == expected


@pytest.mark.parametrize(("spec", "message"), [
    ("", "custom-columns format specified but no custom columns given"),
    ("invalid", "unexpected custom-columns spec: invalid, expected <header>:<json-path-expr>"),
    ("invalid=foobar", "unexpected custom-columns spec: invalid=foobar, expected <header>:<json-path-expr>"),
    ("invalid,foobar:blah", "unexpected custom-columns spec: invalid, expected <header>:<json-path-expr>"),
])
def test_custom_columns_spec_errors(spec: str, message: str) -> None:
    with pytest.raises(PrintError) as caught:
        parse_custom_columns(spec)
    assert str(caught.value) == message


def test_custom_columns_spec() -> None:
    assert parse_custom_columns("NAME:metadata.name,API_VERSION:apiVersion,EMPTY:,T:a:b") == [
        Column("NAME", "{.metadata.name}"), Column("API_VERSION", "{.apiVersion}"), Column("EMPTY", ""),
        Column("T", "{.a:b}"),
    ]


def _pod(name: str, **fields: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, **fields}


@pytest.mark.parametrize(("columns", "obj", "expected"), [
    ([Column("NAME", "{.metadata.name}")], _pod("foo"), "NAME\nfoo\n"),
    ([Column("NAME", "{.metadata.name}")], as_list([_pod("foo"), _pod("bar")]), "NAME\nfoo\nbar\n"),
    ([Column("NAME", "{.metadata.name}"), Column("API_VERSION", "{.apiVersion}")],
     {**_pod("foo"), "apiVersion": "baz"}, "NAME   API_VERSION\nfoo    baz\n"),
    ([Column("NAME", "{.metadata.name}"), Column("API_VERSION", "{.apiVersion}"), Column("NOT_FOUND", "{.notFound}")],
     {**_pod("foo"), "apiVersion": "baz"}, "NAME   API_VERSION   NOT_FOUND\nfoo    baz           <none>\n"),
    ([Column("NAME", "{.metadata.name}")], as_list([_pod("\x1b \r")]), "NAME\n^[ \\r\n"),
    ([Column("NAME", "{.metadata.name}"), Column("LONG COLUMN NAME", "{.metadata.labels.label1}"),
      Column("LABEL 2", "{.metadata.labels.label2}")],
     [{"metadata": {"name": n, "labels": {"label1": n, "label2": n}}} for n in ("foo", "bar")],
     "NAME   LONG COLUMN NAME   LABEL 2\nfoo    foo                foo\nbar    bar                bar\n"),
    ([Column("L", "{.metadata.labels}"), Column("N", "{.n}"), Column("Z", "{.z}"), Column("E", "")],
     {"metadata": {"labels": {"b": "2", "a": "1"}}, "n": 1.5e7, "z": None},
     "L              N         Z       E\nmap[a:1 b:2]   1.5e+07   <nil>   <none>\n"),
])
def test_column_print(columns: list[Column], obj: Any, expected: str) -> None:
    assert print_custom_columns(columns, obj) == expected


SLICE_POD = {**_pod("fake-name"), "spec": {"containers": [{"name": f"fake{i}"} for i in range(4)]}}


@pytest.mark.parametrize(("spec", "expected"), [
    ("CONTAINER:.spec.containers[0].name", "CONTAINER\nfake0\n"),
    ("CONTAINER:.spec.containers[3].name", "CONTAINER\nfake3\n"),
    ("CONTAINER:.spec.containers[5].name", None),
    ("CONTAINER:.spec.containers[-1].name", "CONTAINER\nfake3\n"),
    ("CONTAINER:.spec.containers[-2].name", "CONTAINER\nfake2\n"),
    ("CONTAINER:.spec.containers[-4].name", "CONTAINER\nfake0\n"),
    ("CONTAINER:.spec.containers[-5].name", None),
    ("CONTAINER:.spec.containers[0:0].name", "CONTAINER\n<none>\n"),
    ("CONTAINER:.spec.containers[0:3].name", "CONTAINER\nfake0,fake1,fake2\n"),
    ("CONTAINER:.spec.containers[1:].name", "CONTAINER\nfake1,fake2,fake3\n"),
    ("CONTAINER:.spec.containers[3:1].name", None),
    ("CONTAINER:.spec.containers[0:-1].name", "CONTAINER\nfake0,fake1,fake2\n"),
    ("CONTAINER:.spec.containers[-1:].name", "CONTAINER\nfake3\n"),
    ("CONTAINER:.spec.containers[-4:].name", "CONTAINER\nfake0,fake1,fake2,fake3\n"),
    ("CONTAINER:.spec.containers[-3:-1].name", "CONTAINER\nfake1,fake2\n"),
    ("CONTAINER:.spec.containers[-2:-3].name", None),
    ("CONTAINER:.spec.containers[4:4].name", "CONTAINER\n<none>\n"),
    ("CONTAINER:.spec.containers[-5:-5].name", "CONTAINER\n<none>\n"),
])
def test_slice_column_print(spec: str, expected: str | None) -> None:
    columns = parse_custom_columns(spec)
    if expected is None:
        with pytest.raises(PrintError) as caught:
            print_custom_columns(columns, SLICE_POD)
        assert caught.value.stdout == "CONTAINER\n"  # kubectl flushes the header before failing
    else:
        assert print_custom_columns(columns, SLICE_POD) == expected


def test_custom_columns_no_headers_and_parse_errors() -> None:
    columns = parse_custom_columns("NAME:.metadata.name,X:.x")
    assert print_custom_columns(columns, as_list([_pod("a"), _pod("bb")]), no_headers=True) == "a     <none>\nbb    <none>\n"
    with pytest.raises(PrintError) as caught:
        print_custom_columns(parse_custom_columns("X:.a["), as_list([]))
    assert (caught.value.stdout, caught.value.stderr) == ("X\n", "error: unterminated array\n")
    assert print_custom_columns(columns, as_list([])) == "NAME   X\n"


@settings(max_examples=100)
@given(st.lists(st.from_regex(r"[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?", fullmatch=True), min_size=1, max_size=8),
       st.from_regex(r"[A-Z]{1,12}", fullmatch=True))
def test_custom_columns_align_on_the_widest_cell(names: list[str], header: str) -> None:
    columns = [Column(header, "{.metadata.name}"), Column("KIND", "{.kind}")]
    lines = print_custom_columns(columns, as_list([_pod(n) for n in names])).splitlines()
    width = max(6, max(len(header), *(len(n) for n in names)) + 3)
    assert [line[:width].rstrip() for line in lines] == [header, *names]
    assert [line[width:] for line in lines] == ["KIND"] + ["Pod"] * len(names)


# --- -o name (cli-runtime name.go) --------------------------------------------------------------


def test_names() -> None:
    objects = [
        _pod("p1"), {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}},
        {"apiVersion": "v1", "kind": "Node", "metadata": {}},
        {"apiVersion": "a.b.c/v1beta1", "kind": "ÉTRANGE", "metadata": {"name": "x"}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "system:x"}},
    ]
    expected = "pod/p1\ndeployment.apps/d\nnode/<unknown>\nétrange.a.b.c/x\nclusterrole.rbac.authorization.k8s.io/system:x\n"
    assert print_names(as_list(objects)) == expected
    assert print_names(objects) == expected
    assert print_names(objects[1]) == "deployment.apps/d\n"
    assert print_names(as_list([])) == ""


def test_name_of_an_object_without_kind() -> None:
    assert print_names({"apiVersion": "apps/v1", "metadata": {"name": "x"}}) == "<unknown>/x\n"
    with pytest.raises(PrintError) as caught:
        print_names([_pod("a"), {"metadata": {"name": "b"}}])
    assert caught.value.stdout == "pod/a\n"
    assert caught.value.stderr == (
        "error: missing apiVersion or kind; try GetObjectKind().SetGroupVersionKind() if you know the type\n")


# --- what kubectl get hands its printers --------------------------------------------------------


def test_list_items_get_the_list_kind_and_the_list_is_kubectl_s() -> None:
    response = {"apiVersion": "apps/v1", "kind": "DeploymentList", "metadata": {"resourceVersion": "42"},
                "items": [{"metadata": {"name": "a"}}, {"kind": "Other", "metadata": {"name": "b"}}]}
    items = list_items(response)
    assert items == [{"metadata": {"name": "a"}, "kind": "Deployment", "apiVersion": "apps/v1"},
                     {"kind": "Other", "metadata": {"name": "b"}}]
    assert output_object(items, single_item_implied=False) == {
        "apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    assert output_object(items[:1], single_item_implied=True) == items[0]
    assert output_object(items, single_item_implied=True)["kind"] == "List"


def test_managed_fields_are_dropped_from_the_object_or_each_item() -> None:
    obj = {"kind": "Pod", "metadata": {"name": "a", "managedFields": [{"manager": "m"}]}}
    assert drop_managed_fields(obj) == {"kind": "Pod", "metadata": {"name": "a"}}
    assert obj["metadata"]["managedFields"] == [{"manager": "m"}]
    assert drop_managed_fields(as_list([obj]))["items"] == [{"kind": "Pod", "metadata": {"name": "a"}}]
    assert '"managedFields"' in print_json(obj, show_managed_fields=True)
    assert "managedFields" not in print_yaml(obj)


# --- -o json ------------------------------------------------------------------------------------


def test_json_is_go_s_marshal_indent() -> None:
    obj = {"kind": "X", "apiVersion": "v1", "b": {"z": [], "y": {}, "x": [1, {"q": None}]},
           "a": "<&> é \u2028 \x01\b\f\n\r\t\x7f\"\\", "n": [1.0, 1e21, 1e20, 1e-7, 0.000001, -0.0, 2**64, 123.456]}
    assert print_json(obj) == (
        '{\n    "a": "\\u003c\\u0026\\u003e é \\u2028 \\u0001\\b\\f\\n\\r\\t\x7f\\"\\\\",\n'
        '    "apiVersion": "v1",\n'
        '    "b": {\n        "x": [\n            1,\n            {\n                "q": null\n            }\n'
        '        ],\n        "y": {},\n        "z": []\n    },\n'
        '    "kind": "X",\n'
        '    "n": [\n        1,\n        1e+21,\n        100000000000000000000,\n        1e-7,\n        0.000001,\n'
        '        -0,\n        18446744073709552000,\n        123.456\n    ]\n}\n'
    )


def test_json_refuses_an_object_without_kind() -> None:
    with pytest.raises(PrintError, match=r"^missing apiVersion or kind; try GetObjectKind"):
        print_json({"metadata": {}})
    assert print_json(as_list([])) == (
        '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n'
        '    "metadata": {\n        "resourceVersion": ""\n    }\n}\n')


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=6), c, max_size=4), max_leaves=20)


@settings(max_examples=300)
@given(st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=5))
def test_json_output_parses_back_to_the_input(fields: dict[str, Any]) -> None:
    obj = {**fields, "apiVersion": "v1", "kind": "X"}
    assert _close(json.loads(print_json(obj, show_managed_fields=True)), obj)


def test_go_json_compact() -> None:
    assert go_json({"b": [1, 2], "a": {"c": None}}) == '{"a":{"c":null},"b":[1,2]}'


# --- -o yaml: go-yaml's encode_test.go, as JSON can express it ----------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (None, "null\n"), ({}, "{}\n"), ({"v": "hi"}, "v: hi\n"), ({"v": "true"}, 'v: "true"\n'),
    ({"v": "false"}, 'v: "false"\n'), ({"v": True}, "v: true\n"), ({"v": False}, "v: false\n"),
    ({"v": 10}, "v: 10\n"), ({"v": -10}, "v: -10\n"), ({"v": 42}, "v: 42\n"), ({"v": 4294967296}, "v: 4294967296\n"),
    ({"v": "10"}, 'v: "10"\n'), ({"v": 0.1}, "v: 0.1\n"), ({"v": -0.1}, "v: -0.1\n"), ({"v": None}, "v: null\n"),
    ({"v": ""}, 'v: ""\n'), ({"v": ["A", "B"]}, "v:\n- A\n- B\n"), ({"v": ["A", "B\nC"]}, "v:\n- A\n- |-\n  B\n  C\n"),
    ({"v": ["A", 1, {"B": [2, 3]}]}, "v:\n- A\n- 1\n- B:\n  - 2\n  - 3\n"), ({"a": {"b": "c"}}, "a:\n  b: c\n"),
    ({"a": "-"}, "a: '-'\n"), ({"hello": "world"}, "hello: world\n"), ({"a": {"b": "c"}, "x": None}, "a:\n  b: c\nx: null\n"),
    ({"a": [1, 2]}, "a:\n- 1\n- 2\n"), ({"a": "<foo>"}, "a: <foo>\n"), ({"a": "1:1"}, 'a: "1:1"\n'),
    ({"a": "\x00"}, 'a: "\\0"\n'), ({"a": "你好"}, "a: 你好\n"), ({"a": "1.2.3.4"}, "a: 1.2.3.4\n"),
    ({"a": "2015-02-24T18:19:39Z"}, 'a: "2015-02-24T18:19:39Z"\n'), ({"a": "b: c"}, "a: 'b: c'\n"),
    ({"a": "Hello #comment"}, "a: 'Hello #comment'\n"), ({"a": "你好 #comment"}, "a: '你好 #comment'\n"),
    ({"a": 5}, "a: 5\n"), ({"a": 100.5}, "a: 100.5\n"), ({"a": "bogus"}, "a: bogus\n"),
])
def test_go_yaml_marshal(value: Any, expected: str) -> None:
    assert json_to_yaml(value) == expected


def test_go_yaml_line_wrapping() -> None:
    value = {"a": "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 "
                  "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 "}
    assert json_to_yaml(value) == (
        "a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz\n"
        "  ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 '\n")


SORTED_KEYS = ["", ".1", ".2", ".a", "1", "2", "a!10", "a/0001", "a/002", "a/3", "a/10", "a/11", "a/0012", "a/100",
               "a~10", "ab/1", "b/1", "b/01", "b/2", "b/02", "b/3", "b/03", "b1", "b01", "b3", "c2.10", "c10.2",
               "d1", "d7", "d7abc", "d12", "d12a"]


def test_go_yaml_sorted_output() -> None:
    out = json_to_yaml(dict.fromkeys(reversed(SORTED_KEYS), 1))
    keys = [line.rsplit(": ", 1)[0].strip('"') for line in out.splitlines()]
    assert keys == SORTED_KEYS


@pytest.mark.parametrize(("data", "expected"), [
    ({"t": "a"}, "t: a\n"), ({"t": None}, "t: null\n"), ({"t": True}, "t: true\n"), ({"t": False}, "t: false\n"),
    ({"t": 9007199254740993}, "t: 9007199254740993\n"), ({"t": 1e36}, "t: 1e+36\n"),
    ({"t": 10**36}, "t: 1e+36\n"),
    ({"t": "this is very long line with spaces and it must be longer than 80 so we will repeat that it must be longer that 80"},
     "t: this is very long line with spaces and it must be longer than 80 so we will repeat\n  that it must be longer that 80\n"),
    ({"true": "a"}, '"true": a\n'), ({"false": "a"}, '"false": a\n'), ({"1": "a"}, '"1": a\n'), ({"1.2": "a"}, '"1.2": a\n'),
    ({"1e+36": "a"}, '"1e+36": a\n'), ([{"t": "a"}], "- t: a\n"), ([{"t": "a"}, {"t": {"b": 1, "c": 2}}], "- t: a\n- t:\n    b: 1\n    c: 2\n"),
    ([{"t": None}], "- t: null\n"), ({"a": "\ufffd\ufffd\ufffd"}, "a: \ufffd\ufffd\ufffd\n"), ({"null": "a"}, '"null": a\n'),
])
def test_sigs_yaml_json_to_yaml(data: Any, expected: str) -> None:
    assert json_to_yaml(data) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("keep\n\n", "|+\n  keep\n\n"), ("clip\n", "|\n  clip\n"), ("strip\nx", "|-\n  strip\n  x\n"),
    (" lead\nx", "|2-\n   lead\n  x\n"), ("\nfirst", "|2-\n\n  first\n"), ("\n", "|2+\n\n"),
    ("trail \nx", '"trail \\nx"\n'), ("x\n trail ", '"x\\n trail "\n'), ("tab\there\n", '"tab\\there\\n"\n'),
    ("a\n b", "|-\n  a\n   b\n"), ("\ufeffbom", '"\\uFEFF\\x62\\x6F\\x6D"\n'), ("é\U0001f600", '"é\\U0001F600"\n'),
    ("a\x85b", "a b\n"), ("a \x85 b", "a b\n"), ("a\x85\x85b", "|-\n  a\n  b\n"), ("\x1b[0m", '"\\e[0m"\n'),
    ("yes", '"yes"\n'), ("Off", '"Off"\n'), ("y", '"y"\n'), ("~", '"~"\n'), ("0x1F", '"0x1F"\n'), ("1_000", '"1_000"\n'),
    ("08", '"08"\n'), (".5", '".5"\n'), ("1e999", "1e999\n"), ("2024-1-2", '"2024-1-2"\n'), ("2024-02-30", "2024-02-30\n"),
    ("2024-01-02 03:04:05", '"2024-01-02 03:04:05"\n'), ("1:20", '"1:20"\n'), ("<<", "<<\n"), ("=", "=\n"),
    ("@at", "'@at'\n"), ("it's", "it's\n"), ("'q'", "'''q'''\n"), ("---", "'---'\n"), ("a #b", "'a #b'\n"), ("a#b", "a#b\n"),
    ("x" * 100 + " y", "x" * 100 + "\n  y\n"),
])
def test_yaml_scalar_styles(value: str, expected: str) -> None:
    assert json_to_yaml(value) == expected


def test_yaml_complex_keys_and_nested_collections() -> None:
    value = {"k" * 129: 1, "multi\nline": [[], {}, [1, [2]], {"a": [{"b": None}]}], "short": {"x": {}}}
    assert json_to_yaml(value) == (
        "? " + "k" * 129 + "\n: 1\n? |-\n  multi\n  line\n: - []\n  - {}\n  - - 1\n    - - 2\n  - a:\n    - b: null\n"
        "short:\n  x: {}\n")


@pytest.mark.parametrize(("value", "message"), [
    ({"a": "del\x7f"}, "yaml: control characters are not allowed"),
    ({"a": "\x85", "b": {"k\x85": 1}}, "yaml: line 2: did not find expected ',' or '}'"),
    ({"k" * 1023: 1}, "yaml: did not find expected ',' or '}'"),
    ({"a": "x\x85--- y"}, "yaml: line 2: found unexpected document indicator"),
])
def test_yaml_errors_go_yaml_reports(value: Any, message: str) -> None:
    with pytest.raises(PrintError) as caught:
        json_to_yaml(value)
    assert str(caught.value) == message


def test_yaml_of_kubectl_objects() -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": {"name": "x", "creationTimestamp": "2024-01-02T03:04:05Z", "labels": {"app": "web"},
                        "annotations": {"note": "first line\nsecond line\n"}, "managedFields": [{"manager": "m"}]},
           "data": {"a9": "1", "a10": "x"}}
    assert print_yaml(obj) == (
        'apiVersion: v1\ndata:\n  a9: "1"\n  a10: x\nkind: ConfigMap\nmetadata:\n  annotations:\n    note: |\n'
        '      first line\n      second line\n  creationTimestamp: "2024-01-02T03:04:05Z"\n  labels:\n    app: web\n'
        "  name: x\n")
    assert print_yaml(as_list([])) == 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n'


SAFE_TEXT = st.text(alphabet=st.sampled_from(list("abyzYN AB01:-#'\"\n\t.,{}[]é😀~!&*|>%@`?") + ["\x00", "\x1b"]),
                    max_size=30)
SAFE_FLOATS = st.floats(min_value=0.001, max_value=99999).filter(lambda f: f != int(f))
YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | SAFE_FLOATS | SAFE_TEXT,
    lambda c: st.lists(c, max_size=4) | st.dictionaries(SAFE_TEXT, c, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(SAFE_TEXT, YAML_VALUES, max_size=5))
def test_yaml_output_parses_back_to_the_input(fields: dict[str, Any]) -> None:
    obj = {**fields, "apiVersion": "v1", "kind": "X"}
    parsed = yaml.safe_load(print_yaml(obj))
    assert _close(parsed, obj)


def _close(a: Any, b: Any) -> bool:
    """Equal, floats compared the way their shortest repr round-trips."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(b, float):  # Go prints whole floats without a point; the value is the same double
        return isinstance(a, int | float) and not isinstance(a, bool) and float(a) == b
    return type(a) is type(b) and a == b
