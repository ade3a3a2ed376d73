"""The project file: what a bare ``reportgen build`` (a nightly job) builds, and where to.

``reportgen.toml`` in the current folder, else ``[tool.reportgen]`` in
``pyproject.toml``. Every key is optional; command-line options win::

    scenarios = ["scenarios"]     # files and folders
    out = "out"
    vault = "~/Obsidian/Labs"
    folder = "Kubernetes"         # inside the vault
    jobs = 2
    lang = "ko"
    kubeconfig = "~/.kube/config"
    context = "kind-kind"
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ._exceptions import InputError
from ._inputs import read_text

__all__ = ["KEYS", "load_project"]

KEYS: dict[str, type | tuple[type, ...]] = {
    "scenarios": list, "out": str, "vault": str, "folder": str, "jobs": int, "lang": str,
    "kubeconfig": str, "context": str,
}


def load_project(folder: Path = Path()) -> tuple[dict[str, Any], Path | None]:
    """The project settings and the file they came from (empty and None when there is none)."""
    for name, table in (("reportgen.toml", None), ("pyproject.toml", ("tool", "reportgen"))):
        path = folder / name
        if path.is_file():
            data: Any = _parse(path)
            for key in table or ():
                data = data.get(key) if isinstance(data, dict) else None
            if data is not None:
                return _checked(data, path), path
    return {}, None


def _parse(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(read_text(path, "the project file"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(f"the project file is not valid TOML: {str(exc).split(' (at')[0]}", file=str(path),
                         line=line, hint="see the [tool.reportgen] example in the README") from None


def _checked(data: Any, path: Path) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputError("[tool.reportgen] must be a table", file=str(path))
    for key, value in data.items():
        if key not in KEYS:
            raise InputError(f"unknown key {key!r} in the project file", file=str(path),
                             hint=f"keys: {', '.join(KEYS)}")
        if not isinstance(value, KEYS[key]) or isinstance(value, bool):
            raise InputError(f"{key!r} must be a {KEYS[key].__name__}", file=str(path))  # type: ignore[union-attr]
    if not all(isinstance(s, str) for s in data.get("scenarios", [])):
        raise InputError("'scenarios' must list paths as strings", file=str(path))
    if data.get("jobs", 1) < 1:
        raise InputError("'jobs' must be at least 1", file=str(path))
    base = path.parent
    out = dict(data)
    for key in ("out", "vault", "kubeconfig"):
        if key in out:
            out[key] = str(base / Path(out[key]).expanduser())
    out["scenarios"] = [str(base / s) for s in data.get("scenarios", [])]
    return out
