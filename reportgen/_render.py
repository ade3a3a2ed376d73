"""Render an evidence bundle into an Obsidian Markdown report.

The templates live in ``templates/<language>/report.md.j2`` (installed as the
``reportgen.templates`` package); a user template directory, when given, is
searched first, so a user may override one template or a shared partial.

Templates receive a prepared view of the bundle (see :func:`build_context`)
and a set of filters that make untrusted text safe in each Markdown position:

* ``fence(info)`` puts captured output in a code fence it cannot close;
* ``md_escape`` turns captured text into inert one-line prose;
* ``inline_code`` makes a backtick-safe code span;
* ``wikilink(alias)``, ``tag``, ``yaml_value`` and ``yaml_property`` build
  links, tags and front matter that stay well formed whatever they hold;
* ``checkbox`` and ``verdict`` state a check's outcome and reason;
* ``long_date`` and ``short_date`` format dates for the report's language.

Scenario text (titles, summaries, learning points, reflections) is trusted
Markdown and goes in as written, folded to one line where a line is expected.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.resources
import re
import signal
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
import yaml
from jinja2.exceptions import SecurityError

from reportgen._catalog import DEFAULT_LANGUAGE, load_catalog
from reportgen._catalog import long_date as catalog_long_date
from reportgen._catalog import reason as catalog_reason
from reportgen._catalog import short_date as catalog_short_date
from reportgen._checks import format_observed
from reportgen._diagram import section_diagram
from reportgen._evidence import Bundle, Capture, CheckResult, SectionRecord
from reportgen._exceptions import ReportError, ReportgenError, ScenarioError, TemplateError
from reportgen._scenario_text import HIDDEN as _HIDDEN
from reportgen._scenario_text import alias_problem, note_problem
from reportgen._scenario_text import tag_name as scenario_tag_name

__all__ = [
    "DEFAULT_LANGUAGE",
    "build_context",
    "checkbox",
    "compare_cell",
    "fence",
    "inline_code",
    "long_date",
    "make_environment",
    "md_escape",
    "oneline",
    "render_report",
    "short_date",
    "tag",
    "tag_name",
    "verdict",
    "wikilink",
    "yaml_property",
    "yaml_value",
]

TEMPLATE_NAME = "report.md.j2"

# Words the filters need; everything else a report says is in its template.
# ---------------------------------------------------------------- escaping

_SGR = re.compile(r"\x1b\[[0-9;:]*m")
# C0/C1 controls, DEL, line/paragraph separators, bidi controls and a stray BOM.
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
_MD_PUNCT = re.compile(r"([\\`*_\[\]<>#|~%$=^&])")
_BACKTICKS = re.compile(r"`+")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_lines: bool = True) -> str:
    r"""Text with colour codes dropped and other control characters made visible.

    Args:
        text: Captured text.
        keep_lines: Keep ``\n`` and ``\t`` as they are (else show them as ``\n``/``\t``).
    """
    text = _SGR.sub("", text.replace("\r\n", "\n"))
    if keep_lines:
        return _HIDDEN.sub(lambda m: m.group() if m.group() in "\n\t" else _escape_char(m), text)
    return _HIDDEN.sub(_escape_char, text)


def _longest_run(text: str) -> int:
    return max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)


def fence(value: Any, info: str = "") -> str:
    """Wrap text in a backtick fence that nothing inside it can close.

    Args:
        value: The text, e.g. captured output; a missing final newline is added.
        info: The info string (language), e.g. ``bash``.
    """
    body = visible(str(value))
    if body and not body.endswith("\n"):
        body += "\n"
    ticks = "`" * max(3, _longest_run(body) + 1)
    return f"{ticks}{info}\n{body}{ticks}"


def md_escape(value: Any) -> str:
    """Captured text as inert one-line prose: no block, link, comment, cell or HTML."""
    text = visible(str(value)).replace("\t", " ")
    text = " ⏎ ".join(part.strip() for part in text.strip().split("\n"))
    text = _MD_PUNCT.sub(r"\\\1", text).replace("::", ":\\:")
    text = re.sub(r"^([-+])(?=[\s-]|$)", r"\\\1", text)
    return re.sub(r"^(\d{1,9})([.)])(?=\s|$)", r"\1\\\2", text)


def inline_code(value: Any) -> str:
    """A code span for any text: backtick-safe, one line, controls made visible.

    Text holding ``%%`` (an Obsidian comment even inside code) falls back to
    escaped prose.
    """
    text = visible(str(value), keep_lines=False)
    if "%%" in text:
        return md_escape(value)
    if not text:
        return "` `"
    ticks = "`" * (_longest_run(text) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" or (text[0] == text[-1] == " " and text.strip()) else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _fold(text: str) -> str:
    return visible(re.sub(r"\s+", " ", text), keep_lines=False)


def oneline(value: Any) -> str:
    """Trusted scenario text folded to one line (whitespace runs become one space)."""
    return _fold(str(value)).strip()


def wikilink(note: Any, alias: Any = None) -> str:
    """``[[note]]`` or ``[[note|alias]]``.

    Raises:
        ScenarioError: The note or alias holds characters a wikilink cannot
            (validation refuses such scenarios; this guards hand-made bundles).
    """
    target = str(note).strip()
    if note_problem(target):
        raise ScenarioError(
            f"cannot link to note {target!r}",
            hint="Obsidian note names in links may not contain [ ] | # ^ %% or line breaks",
        )
    if alias is None or str(alias).strip() == "":
        return f"[[{target}]]"
    label = oneline(alias)
    if alias_problem(label):
        raise ScenarioError(f"cannot use {label!r} as a link alias", hint="aliases may not contain [ ] |")
    return f"[[{target}|{label}]]"


def md_link(title: Any, url: Any) -> str:
    """``[title](url)`` with the title escaped and the URL made parenthesis- and space-safe."""
    target = str(url).strip()
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        target = target.replace(char, code)
    return f"[{md_escape(title)}]({visible(target, keep_lines=False)})"


def tag_name(value: Any) -> str:
    """An Obsidian tag name (no ``#``): spaces become ``-``, other punctuation goes.

    Raises:
        ScenarioError: Nothing usable is left, or only digits (Obsidian ignores those).
    """
    name = scenario_tag_name(str(value))
    if name is None:
        raise ScenarioError(f"cannot use {value!r} as a tag", hint="a tag needs a letter, - or _")
    return name


def tag(value: Any) -> str:
    """``#tag`` for a tag name (see :func:`tag_name`)."""
    return f"#{tag_name(value)}"


# ---------------------------------------------------------------- YAML


def _double_quoted(text: str) -> str:
    """A YAML double-quoted scalar, every hidden character escaped, nothing dropped."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{_HIDDEN.sub(_escape_char, body)}"'


def _quoted(value: Any) -> str:
    """Flow YAML with every string double-quoted and escaped (always one line)."""
    if isinstance(value, str):
        return _double_quoted(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_quoted(str(k))}: {_quoted(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_quoted(v) for v in value) + "]"
    return yaml_value(value)


def yaml_value(value: Any) -> str:
    """A YAML value on one line that loads back as ``value``, whatever it holds."""
    if isinstance(value, tuple):
        value = list(value)
    dumped = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=1 << 30, sort_keys=False
    )
    dumped = dumped.removesuffix("\n").removesuffix("\n...")
    if "\n" in dumped or _HIDDEN.search(dumped):
        return _quoted(value)
    return dumped


def yaml_property(key: str, value: Any) -> str:
    """One front matter property: lists in block style, as Obsidian writes them."""
    if isinstance(value, (list, tuple)) and value:
        return f"{key}:\n" + "\n".join(f"  - {yaml_value(item)}" for item in value)
    return f"{key}: {yaml_value(value)}"


# ---------------------------------------------------------------- verdicts and dates


def _words(ctx: Mapping[str, Any]) -> dict[str, Any]:
    words: dict[str, Any] = ctx["t"]
    return words


def _field(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


@jinja2.pass_context
def verdict(ctx: Mapping[str, Any], check: Any) -> str:
    """A check's title, with `` — ❌ reason`` or `` — ⚠️ undecided: reason`` unless it passed."""
    words = _words(ctx)
    title, status, text = _field(check, "title", ""), _field(check, "status"), _field(check, "reason")
    text = catalog_reason(words, _field(check, "reason_key"), _field(check, "reason_args"), text or "")
    why = md_escape(text) if text else ""
    if status == "passed":
        return str(title)
    if status == "failed":
        return f"{title} — ❌ {why or words['verdict_failed']}"
    return f"{title} — ⚠️ {words['verdict_undecided']}: {why or words['no_reason']}"


@jinja2.pass_context
def checkbox(ctx: Mapping[str, Any], check: Any) -> str:
    """``- [x] title`` when the check passed, else ``- [ ] title — reason``."""
    box = "- [x]" if _field(check, "status") == "passed" else "- [ ]"
    proofs = "".join(f" ([[#^{anchor}|{ctx['t']['proof']}]])" for anchor in _field(check, "proofs") or [])
    return f"{box} {verdict(ctx, check)}{proofs}"


def compare_cell(cell: Mapping[str, Any], row_key: str, words: Mapping[str, str]) -> str:
    """A comparison cell in words: ``✅``/``❌``, then the template's phrase for its kind.

    Args:
        cell: A cell of the comparison view.
        row_key: The row's key, e.g. ``cluster_ip``.
        words: Phrases keyed ``row_key.kind`` or ``kind``; ``{value}`` and
            ``{count}`` in a phrase are filled in (the value escaped for a table).
    """
    phrase = words.get(f"{row_key}.{cell['kind']}") or words.get(cell["kind"]) or "{value}"
    text = phrase.format(value=md_escape(cell["value"]), count=cell["count"])
    mark = {True: "✅ ", False: "❌ "}.get(cell["ok"], "")
    return f"{mark}{text}"


def as_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or an ISO 8601 string; None when there is none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    stamp = _as_datetime(str(value)) if value else None
    return stamp.date() if stamp else None


def _as_datetime(value: str) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


@jinja2.pass_context
def long_date(ctx: Mapping[str, Any], value: Any) -> str:
    """``2025년 11월 13일`` or ``November 13, 2025``, as the catalog writes dates."""
    day = as_date(value)
    return "" if day is None else catalog_long_date(ctx["t"], day)


@jinja2.pass_context
def short_date(ctx: Mapping[str, Any], value: Any) -> str:
    """``2025.11.13`` or ``2025-11-13``, as the catalog writes dates."""
    day = as_date(value)
    return "" if day is None else catalog_short_date(ctx["t"], day)


def display_width(value: Any) -> int:
    """How many terminal columns text takes (East Asian wide characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def utc_time(value: str) -> str:
    """``2025-11-27 09:00 UTC`` for an ISO 8601 time; the text itself when it is not one."""
    stamp = _as_datetime(value) if value else None
    if stamp is None:
        return value
    return stamp.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


# ---------------------------------------------------------------- environment


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
    return jinja2.FileSystemLoader(str(Path(__file__).resolve().parent.parent / "templates"))


def _read_resource(root: Any, name: str) -> str | None:
    node = root
    for part in name.split("/"):
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8") if node.is_file() else None


_FILTERS: dict[str, Callable[..., Any]] = {
    "fence": fence,
    "md_escape": md_escape,
    "inline_code": inline_code,
    "oneline": oneline,
    "wikilink": wikilink,
    "md_link": md_link,
    "tag": tag,
    "tag_name": tag_name,
    "yaml_value": yaml_value,
    "checkbox": checkbox,
    "verdict": verdict,
    "long_date": long_date,
    "short_date": short_date,
    "utc_time": utc_time,
    "display_width": display_width,
    "compare_cell": compare_cell,
}


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


# ---------------------------------------------------------------- the view


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _meta(report: Mapping[str, Any], bundle: Bundle) -> dict[str, Any]:
    """The report's metadata with every key present."""
    day = as_date(report.get("date")) or as_date(bundle.started_at)
    return {
        "title": oneline(report.get("title") or bundle.scenario_path or "reportgen"),
        "icon": _text(report.get("icon")),
        "date": day,
        "author": oneline(report.get("author") or ""),
        "tags": [tag_name(t) for t in report.get("tags") or []],
        "aliases": [oneline(a) for a in report.get("aliases") or []],
        "related": [_text(n) for n in _as_list(report.get("related"))],
        "series": _text(report.get("series")),
        "internal_links": [
            {"note": _text(link.get("note")), "text": oneline(link.get("text") or "")}
            for link in report.get("internal_links") or []
        ],
        "external_links": [
            {"title": _text(link.get("title")), "url": _text(link.get("url"))}
            for link in report.get("external_links") or []
        ],
        "next_steps": [
            {
                "heading": oneline(step.get("heading") or ""),
                "notes": [_text(n) for n in step.get("notes") or []],
            }
            for step in report.get("next_steps") or []
        ],
    }


def _run(bundle: Bundle) -> dict[str, Any]:
    path = bundle.scenario_path
    return {
        "id": bundle.run_id,
        "namespace": bundle.namespace,
        "scenario": _text(bundle.scenario.get("name")) or (Path(path).stem if path else ""),
        "started_at": bundle.started_at,
        "finished_at": bundle.finished_at,
        "error": bundle.error,
        "reportgen_version": bundle.reportgen_version,
        "kubernetes_version": bundle.cluster.server_version or None,
        "platform": bundle.cluster.platform or None,
    }


def _check_title(template: str | None, result: CheckResult) -> str:
    """A check's title with its observed value escaped for where it stands.

    The title comes from the scenario (trusted Markdown); ``{observed}`` is
    filled in again from the evidence, as a code span where the scenario wrapped
    it in backticks and as escaped prose elsewhere.
    """
    if not template or "{observed}" not in template:
        return oneline(template) if template else md_escape(result.title)
    observed = format_observed(result.observed)
    parts = [_fold(part) for part in template.split("{observed}")]
    out = [parts[0]]
    for part in parts[1:]:
        if out[-1].endswith("`") and part.startswith("`"):
            out[-1] = out[-1][:-1]
            out += [inline_code(observed), part[1:]]
        else:
            out += [md_escape(observed), part]
    return "".join(out).strip()


def _check_view(result: CheckResult, template: str | None) -> dict[str, Any]:
    return {
        "id": result.id,
        "title": _check_title(template, result),
        "status": result.status,
        "reason": result.reason,
        "reason_key": result.reason_key,
        "reason_args": result.reason_args,
        "observed": result.observed,
    }


def _section_checks(
    spec: Mapping[str, Any], record: SectionRecord | None, words: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Check views of a section: its results, or the scenario's checks marked not run."""
    specs = spec.get("checks") or []
    titles = {str(c.get("id")): c.get("title") for c in specs}
    if record is not None and record.checks:
        return [_check_view(r, titles.get(r.id)) for r in record.checks]
    missing = [
        CheckResult(str(c.get("id")), str(c.get("title") or ""), "undecided", reason=words["not_run"])
        for c in specs
    ]
    return [_check_view(r, titles.get(r.id)) for r in missing]


def _lines(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def _output(capture: Capture) -> str:
    """What the step printed, verbatim: stdout and stderr as the terminal interleaved them, then any request
    and its response.

    The request (port-forward steps) is shown as a shell comment, for it was
    sent from this machine, not typed.
    """
    streams = getattr(capture, "streams", None)
    if streams:
        text = _lines("".join(piece for _stream, piece in streams))
    else:
        text = _lines(capture.stdout) + _lines(capture.stderr)
    request = getattr(capture, "request", None)
    if request:
        text += f"# {request}\n" + _lines(getattr(capture, "response", None) or "")
    return text


def _transcript(chunks: list[str]) -> str:
    """Steps of one block, a blank line between them (unless the output ends with one)."""
    return "".join(c if i == len(chunks) - 1 or c.endswith("\n\n") else c + "\n" for i, c in enumerate(chunks))


def _step_note(step_id: str, command: str, capture: Capture | None) -> dict[str, Any] | None:
    """What a reader must be told about a step beyond its output, if anything."""
    if capture is not None and capture.status == "ok" and not capture.truncated:
        return None
    return {
        "step_id": step_id,
        "command": command,
        "status": capture.status if capture else "missing",
        "exit_code": capture.exit_code if capture else None,
        "reason": capture.reason if capture else None,
        "truncated": capture.truncated if capture else False,
    }


def _block_view(block: Mapping[str, Any], bundle: Bundle) -> dict[str, Any]:
    """A block: its heading/label, one transcript of its steps, and notes on steps."""
    chunks, notes = [], []
    for step in block.get("steps") or []:
        step_id = str(step.get("id"))
        capture = bundle.capture(step_id)
        command = capture.command if capture and capture.command else str(step.get("run") or "")
        body = _output(capture) if capture else ""
        chunks.append(f"$ {command}\n{body}")
        note = _step_note(step_id, command, capture)
        if note:
            notes.append(note)
    return {
        "heading": oneline(block.get("heading") or ""),
        "label": oneline(block.get("label") or ""),
        "transcript": _transcript(chunks),
        "notes": notes,
    }


def _wait_view(wait: Any) -> dict[str, Any]:
    return {
        "target": wait.target,
        "status": wait.status,
        "duration_s": round(float(wait.duration_s or 0.0), 1),
        "last_state": wait.last_state,
        "events": list(wait.events),
    }


def _sections(bundle: Bundle, words: Mapping[str, str]) -> list[dict[str, Any]]:
    records = {s.id: s for s in bundle.sections}
    views = []
    for number, spec in enumerate(bundle.scenario.get("sections") or [], start=1):
        record = records.get(str(spec.get("id")))
        icon = _text(spec.get("icon"))
        views.append({
            "id": _text(spec.get("id")),
            "number": number,
            "icon_prefix": f"{icon} " if icon else "",
            "title": oneline(spec.get("title") or ""),
            "summary": [oneline(item) for item in spec.get("summary") or []],
            "waits": [_wait_view(w) for w in (record.waits if record else []) if w.status != "met"],
            "blocks": [_block_view(b, bundle) for b in spec.get("blocks") or []],
            "checks": _section_checks(spec, record, words),
            "diagram": None if spec.get("diagram") is False else section_diagram(
                list(spec.get("manifests") or []), bundle.objects, bundle.namespace or ""),
        })
    _link_proofs(bundle.scenario.get("sections") or [], views)
    return views


def block_anchor(step_id: str) -> str:
    """An Obsidian block id for the output block whose first step is ``step_id``: ``[a-z0-9-]`` only."""
    return re.sub(r"[^a-z0-9-]+", "-", step_id.lower()).strip("-") or "step"


def _link_proofs(specs: list[Any], views: list[dict[str, Any]]) -> None:
    """Give each block its anchor and each check the anchors of the output blocks it read."""
    anchors: dict[str, str] = {}
    for spec, view in zip(specs, views):
        for block, block_view in zip(spec.get("blocks") or [], view["blocks"]):
            steps = [str(s.get("id")) for s in block.get("steps") or []]
            block_view["anchor"] = block_anchor(steps[0]) if steps else None
            anchors.update(dict.fromkeys(steps, block_view["anchor"]))
    for spec, view in zip(specs, views):
        read = {str(c.get("id")): _steps_read(c) for c in spec.get("checks") or []}
        for check in view["checks"]:
            found = [anchors[s] for s in read.get(check["id"], []) if s in anchors]
            check["proofs"] = list(dict.fromkeys(found))


def _steps_read(check: Mapping[str, Any]) -> list[str]:
    """The steps whose output a check reads (an ``all`` check: those of its parts)."""
    own = [str(check[k]) for k in ("output", "dns") if isinstance(check.get(k), str)]
    return own + [s for part in check.get("all") or [] if isinstance(part, Mapping) for s in _steps_read(part)]


def _counts(checks: Iterable[Mapping[str, Any]], error: str | None) -> tuple[dict[str, int], str]:
    counts = {"passed": 0, "failed": 0, "undecided": 0}
    for check in checks:
        counts[check["status"]] += 1
    counts["total"] = sum(counts.values())
    if error or counts["failed"]:
        return counts, "failed"
    return counts, "undecided" if counts["undecided"] else "passed"


def _cell(cell: Any) -> dict[str, Any]:
    """A comparison cell: ``kind`` (worded by the template), ``ok`` mark, value, note."""
    if not isinstance(cell, Mapping) and not hasattr(cell, "kind"):
        cell = {"kind": "text", "value": cell}
    value, ok = _field(cell, "value"), _field(cell, "ok")
    items = [format_observed(v) for v in _as_list(value)]
    return {
        "kind": _text(_field(cell, "kind")) or "text",
        "ok": None if ok is None else bool(ok),
        "value": ", ".join(items),
        "count": len(items),
        "note": _text(_field(cell, "note")),
    }


def _comparison(bundle: Bundle, rows: Any) -> dict[str, Any] | None:
    """The comparison table: columns from the scenario, rows from the evidence.

    ``rows`` is what ``reportgen._compare.compare`` returns: a list of rows with
    ``key`` (and optionally ``label``) and ``cells``, one per column, each with
    ``kind``, ``ok``, ``value`` and ``note``; mappings or objects alike.
    """
    spec = bundle.scenario.get("comparison")
    if not spec:
        return None
    columns = [oneline(c.get("label") or "") for c in spec.get("columns") or []]
    view_rows: list[dict[str, Any]] = []
    for row in rows or []:
        cells = [_cell(c) for c in _field(row, "cells") or []]
        cells += [_cell({"kind": "unknown", "note": "no cell for this column"})] * (len(columns) - len(cells))
        key, label = _text(_field(row, "key")), _text(_field(row, "label"))
        view_rows.append({"key": key, "label": label, "cells": cells})
    unknown = [
        {"row_key": row["key"], "row_label": row["label"], "column": column, "note": cell["note"]}
        for row in view_rows
        for column, cell in zip(columns, row["cells"])
        if cell["kind"] == "unknown" and cell["note"]
    ]
    title = oneline(spec.get("title") or "")
    return {"title": title, "columns": columns, "rows": view_rows, "unknown": unknown}


def _finding_check(
    check_id: Any, checks: Mapping[str, dict[str, Any]], words: Mapping[str, str]
) -> dict[str, Any] | None:
    if not check_id:
        return None
    found = checks.get(str(check_id))
    if found is not None:
        return found
    missing = CheckResult(str(check_id), str(check_id), "undecided", reason=words["no_result"])
    return _check_view(missing, None)


def _findings(
    bundle: Bundle, checks: Mapping[str, dict[str, Any]], words: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Findings with what this run showed: the check's verdict and the step's output."""
    views = []
    for number, spec in enumerate(bundle.scenario.get("findings") or [], start=1):
        check = _finding_check(spec.get("check"), checks, words)
        step = bundle.capture(str(spec["step"])) if spec.get("step") else None
        transcript = f"$ {step.command}\n{_output(step)}" if step else None
        observed = None
        if transcript is None and check is not None and check["observed"] is not None:
            observed = yaml.safe_dump(check["observed"], allow_unicode=True, sort_keys=False)
        views.append({
            "number": number,
            "title": oneline(spec.get("title") or ""),
            "symptom": oneline(spec.get("symptom") or ""),
            "resolution": oneline(spec.get("resolution") or ""),
            "cause": oneline(spec.get("cause") or ""),
            "check": check,
            "transcript": transcript,
            "observed_yaml": observed,
        })
    return views


def _environment(bundle: Bundle) -> dict[str, list[tuple[str, Any]]]:
    """Cluster facts as ordered YAML key/value pairs; None where the API did not tell."""
    cluster = bundle.cluster
    nodes = cluster.nodes
    first = nodes[0] if nodes else None
    dns_ip = f"({cluster.dns_service_ip})" if cluster.dns_service_ip else ""
    dns = " ".join(p for p in (cluster.dns_provider, dns_ip) if p)
    os_line = None
    if first and first.os_image:
        kernel = f"kernel {first.kernel_version}" if first.kernel_version else ""
        extra = ", ".join(p for p in (first.architecture, kernel) if p)
        os_line = f"{first.os_image} ({extra})" if extra else first.os_image
    facts = [
        ("Kubernetes", cluster.server_version or None),
        ("Platform", cluster.platform or None),
        ("Context", cluster.context or None),
        ("OS", os_line),
        ("Container Runtime", (first.container_runtime if first else "") or None),
        ("CNI", cluster.cni or None),
        ("DNS", dns or None),
        ("Upstream DNS", cluster.dns_upstream),
        ("Egress", cluster.egress),
    ]
    if len(nodes) > 1:
        node_fact: tuple[str, Any] = ("Nodes", [_node_line(n, single=False) for n in nodes])
    else:
        node_fact = ("Node IP", _node_line(first, single=True) if first else None)
    network = [
        ("Node Pod CIDR", cluster.pod_cidr or None),  # the cluster-wide range is not in the API
        ("Service Network", cluster.service_cidr or None),
        node_fact,
    ]
    run = [
        ("Run ID", bundle.run_id or None),
        ("Namespace", bundle.namespace or None),
        ("Started", utc_time(bundle.started_at) or None),
        ("Finished", utc_time(bundle.finished_at) or None),
        ("Capabilities", dict(sorted(bundle.capabilities.items())) or None),
        ("reportgen", bundle.reportgen_version or None),
    ]
    return {"cluster": facts, "network": network, "run": run}


def _node_line(node: Any, *, single: bool) -> str:
    details = [node.internal_ip, "Ready" if node.ready else "NotReady", "single node" if single else ""]
    return f"{node.name} ({', '.join(d for d in details if d)})"


def build_context(bundle: Bundle, language: str, comparison: Any = None,
                  catalog: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything a report template sees.

    Keys: ``t`` (the language's catalog), ``lang``, ``bundle`` (raw), ``scenario`` (raw), ``meta``, ``overview``,
    ``run``, ``counts`` (passed/failed/undecided/total), ``status``,
    ``open_checks``, ``sections``, ``comparison``, ``learning_points``,
    ``findings``, ``environment``, ``reflections``.
    """
    words = catalog if catalog is not None else load_catalog(language)
    scenario = bundle.scenario
    sections = _sections(bundle, words)
    checks = [c for s in sections for c in s["checks"]]
    counts, status = _counts(checks, bundle.error)
    by_id = {c["id"]: c for c in checks}
    return {
        "t": words,
        "lang": language,
        "bundle": bundle,
        "scenario": scenario,
        "meta": _meta(scenario.get("report") or {}, bundle),
        "overview": _text(scenario.get("overview")),
        "run": _run(bundle),
        "counts": counts,
        "status": status,
        "open_checks": [c for c in checks if c["status"] != "passed"],
        "sections": sections,
        "comparison": _comparison(bundle, getattr(bundle, "comparison", None) if comparison is None else comparison),
        "learning_points": _text(scenario.get("learning_points")),
        "findings": _findings(bundle, by_id, words),
        "environment": _environment(bundle),
        "reflections": _text(scenario.get("reflections")),
    }


def render_report(
    bundle: Bundle,
    *,
    language: str | None = None,
    template_dir: Path | None = None,
    comparison: Any = None,
    changes: dict[str, Any] | None = None,
) -> str:
    """Render a bundle as an Obsidian Markdown report.

    Args:
        bundle: The evidence of a run.
        language: Report language (``ko``, ``en``); default: the scenario's, else ko.
        template_dir: A directory whose templates override the packaged ones.
        comparison: Rows for the comparison table (see :func:`_comparison`);
            default: ``bundle.comparison`` when the bundle has one.

    Raises:
        ScenarioError: No template for the language, or scenario text that cannot
            become a link or tag.
        ReportError: A template failed (a bug in it, e.g. an undefined name).
    """
    report = bundle.scenario.get("report") or {}
    lang = language or _text(report.get("language")) or DEFAULT_LANGUAGE
    env = make_environment(template_dir)
    catalog = load_catalog(lang, template_dir)
    try:
        template = env.select_template([f"{lang}/{TEMPLATE_NAME}", TEMPLATE_NAME])  # the old per-language layout first
    except jinja2.TemplateError as broken:
        raise _template_failure(broken, template_dir) from None
    try:
        with _time_limit(TEMPLATE_SECONDS):
            text = template.render({**build_context(bundle, lang, comparison, catalog), "changes": changes})
    except (jinja2.TemplateError, _RunawayTemplate, RecursionError, OverflowError, MemoryError, KeyError,
            TypeError, ValueError, AttributeError, IndexError) as broken:  # a template or catalog is broken
        raise _template_failure(broken, template_dir) from None
    return text.rstrip("\n") + "\n"


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
