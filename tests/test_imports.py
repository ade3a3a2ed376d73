"""What an import pulls in, and which way the stages depend on each other (as click's test_imports.py does).

Layers, lowest first; a module may import only from its own layer or lower ones:

    base ─▶ kubectl port ─▶ scenario ─▶ evidence ─▶ cluster client ─▶ checks ─▶ runner ─▶ render ─▶ publish ─▶ build ─▶ cli
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reportgen"

LAYERS = [
    ("base", {"_exceptions", "_version", "_typed", "_inputs", "_lint", "_catalog"}),
    ("kubectl port", {"_kubectl"}),
    ("scenario", {"_scenario", "_scenario_text"}),
    ("evidence", {"_evidence", "_redact"}),
    ("cluster client", {"_cluster"}),
    ("checks", {"_dns", "_checks", "_compare", "_diagram"}),
    ("runner", {"_runner", "_cleanup"}),
    ("render", {"_render"}),
    ("publish", {"_merge", "_publish", "_normalize"}),
    ("build", {"_build", "_project", "_batch", "_index"}),
    ("cli", {"cli", "_cli_common", "_cli_kubectl", "_previews", "__main__", "__init__"}),
]
RANK = {module: rank for rank, (_name, modules) in enumerate(LAYERS) for module in modules}


def _top(module: str) -> str:
    """``reportgen._cluster._client`` -> ``_cluster``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    name = ".".join(("reportgen", *path.relative_to(PACKAGE).with_suffix("").parts))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join([*base, *([node.module] if node.module else [])])
            found |= {target} if node.module else {f"{target}.{a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportgen"):
            found.add(node.module or "")
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("reportgen")}
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer():
    assert {_top("reportgen." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)) for p in MODULES} <= set(RANK)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_dependencies_run_one_way(path: Path) -> None:
    own = _top("reportgen." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
    upward = [m for m in _imports(path) if _top(m) != own and RANK[_top(m)] > RANK[own]]
    assert not upward, f"{own} ({LAYERS[RANK[own]][0]}) imports a later stage: {upward}"


def test_the_kubectl_port_and_the_cluster_client_stay_apart():
    for path in (PACKAGE / "_kubectl").glob("*.py"):
        assert not any(_top(m) == "_cluster" for m in _imports(path)), path
    for path in (PACKAGE / "_cluster").glob("*.py"):
        assert not any(m.startswith(("reportgen._kubectl._get", "reportgen._kubectl._tables")) for m in _imports(path)), path


def test_only_the_cluster_client_sees_the_kubernetes_client():
    for path in MODULES:
        if path.parent.name == "_cluster":
            continue
        text = path.read_text(encoding="utf-8")
        assert "ApiException" not in text and "from kubernetes" not in text, path


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; import json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


def test_import_reportgen_pulls_in_nothing_heavy():
    loaded = _loaded_after("import reportgen")
    assert not {"kubernetes", "jinja2", "jsonschema", "yaml", "rich", "click", "markdown_it"} & loaded


def test_validate_needs_no_kubernetes_client_nor_jinja():
    loaded = _loaded_after("from reportgen import validate")
    assert "kubernetes" not in loaded and "jinja2" not in loaded


def test_render_needs_no_kubernetes_client():
    loaded = _loaded_after("from reportgen import render")
    assert "kubernetes" not in loaded
