"""The sandboxed Jinja environment: packaged and user templates, limits, and one located line for a broken template."""

from __future__ import annotations

import contextlib
import importlib.resources
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from jinja2.exceptions import SecurityError

from reportgen._exceptions import ReportError, ReportgenError, TemplateError

from ._escape import yaml_property
from ._filters import _FILTERS

TEMPLATE_NAME = "report.md.j2"


def _packaged_loader() -> jinja2.BaseLoader:
    """The templates shipped with reportgen: the installed package, else the repo's dir."""
    try:
        root = importlib.resources.files("reportgen.templates")
    except ModuleNotFoundError:
        root = None
    if root is not None and _read_resource(root, TEMPLATE_NAME) is not None:
        if isinstance(root, Path):
            return jinja2.FileSystemLoader(str(root))
        return jinja2.FunctionLoader(lambda name: _read_resource(root, name))
    return jinja2.FileSystemLoader(str(Path(__file__).resolve().parents[2] / "templates"))


def _read_resource(root: Any, name: str) -> str | None:
    node = root
    for part in name.split("/"):
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8") if node.is_file() else None




class _Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Templates may be a user's, so every one runs sandboxed: no attribute that reaches
    Python internals, no mutation, ``range`` bounded, and no huge ``*`` or ``**``."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError(f"exponent {right} is too large")
        if operator == "*" and _size(left) * _size(right) > MAX_TEMPLATE_ITEMS:
            raise SecurityError("the result of * would be too large")
        return super().call_binop(context, operator, left, right)


MAX_TEMPLATE_ITEMS = 1_000_000
TEMPLATE_SECONDS = 20  # a render that runs longer is a runaway template


def _size(value: Any) -> int:
    if isinstance(value, (str, list, tuple)):
        return max(len(value), 1)
    return abs(value) if isinstance(value, int) else 1


def make_environment(template_dir: Path | None = None) -> jinja2.Environment:
    """A sandboxed Jinja2 environment for report templates.

    Args:
        template_dir: A directory whose templates override the packaged ones.
    """
    packaged = _packaged_loader()
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(template_dir)))
    # "reportgen/report.md.j2" is always the packaged one, for {% extends %} in an override.
    loaders += [packaged, jinja2.PrefixLoader({"reportgen": packaged})]
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(_FILTERS)
    env.globals["yaml_property"] = yaml_property
    return env




class _RunawayTemplate(Exception):
    """A template rendered for longer than TEMPLATE_SECONDS."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop a runaway render (only possible in the main thread, where signals arrive)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum: int, _frame: Any) -> None:
        raise _RunawayTemplate(f"rendering took longer than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _template_failure(broken: BaseException, template_dir: Path | None) -> ReportgenError:
    """With a user template dir, a failure is bad input (exit 2, at its file:line); without one, a bug."""
    file, line = _template_location(broken)
    message = f"{type(broken).__name__}: {broken}" if not isinstance(broken, jinja2.TemplateError) else str(broken)
    if isinstance(broken, SecurityError):
        message = f"the template sandbox refused it: {broken}"
    # With a user template dir, its templates or catalog made the packaged ones fail: bad input.
    if template_dir is not None:
        return TemplateError(message, file=file or str(template_dir), line=line,
                             hint="fix the template; names it can use are in docs/templates.md")
    return ReportError(f"report template {file or '?'}:{line or '?'} failed: {message}")


def _template_location(broken: BaseException) -> tuple[str | None, int | None]:
    """The template file and line where ``broken`` happened, from its traceback."""
    if isinstance(broken, jinja2.TemplateSyntaxError):
        return broken.filename, broken.lineno
    found: tuple[str | None, int | None] = (None, None)
    tb = broken.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found
