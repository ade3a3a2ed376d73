"""Look at a note as a person would: its Markdown as HTML, drawn by headless Chromium with Mermaid.

The HTML is what Obsidian's reading view shows, near enough to judge by eye
and by the DOM: markdown-it-py (CommonMark, tables) with mdit-py-plugins'
front matter (shown as a properties table) and task lists; ```mermaid fences
become ``<pre class="mermaid">`` for Mermaid to draw; ``[[#^id|text]]`` links
become ``<a href="#^id">``; a ``^id`` line after a blank line gives the block
before it the id ``^id``, as Obsidian's block ids do; callouts
(``> [!kind]- title``) get their kind and fold; ``%% comments %%`` are hidden.

Chromium (Debian's, /usr/bin/chromium) and Mermaid (npm, hack/browser) are
installed by hack/browser/install.sh. Chromium runs once per note, with
``--dump-dom`` and ``--screenshot``: no driver, no debugging port, no network
(every host name resolves to nothing). A script in the page reports, once
Mermaid is done, how many nodes each diagram drew and where each ``#`` link
lands, as JSON in ``<pre id="browser-report">``.

As a script it saves a screenshot:  .venv/bin/python tests/browser.py NOTE.md OUT.png [WIDTH HEIGHT]
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
MERMAID_JS = ROOT / "hack" / "browser" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
INSTALL = ROOT / "hack" / "browser" / "install.sh"

_BLOCK_ID = re.compile(r"^\^([A-Za-z0-9-]+)$")
_CALLOUT = re.compile(r"^\[!([A-Za-z-]+)\]([+-]?)[ \t]*")
_COMMENT = re.compile(r"^%%.*%%$", re.S)


def missing() -> str | None:
    """What is not installed for a look, or None."""
    for path in (CHROMIUM, MERMAID_JS):
        if not path.exists():
            return f"{path} is missing (run {INSTALL.relative_to(ROOT)})"
    return None


# ---------------------------------------------------------------- Markdown to HTML


def _wikilink(state: StateInline, silent: bool) -> bool:
    """``[[target]]``/``[[target|text]]`` as a link; ``#…`` targets stay in the page."""
    if not state.src.startswith("[[", state.pos):
        return False
    end = state.src.find("]]", state.pos + 2)
    inner = state.src[state.pos + 2 : end] if end >= 0 else ""
    if not inner or "\n" in inner or "[" in inner:
        return False
    if not silent:
        target, _, text = inner.partition("|")
        link = state.push("link_open", "a", 1)
        link.attrs = {"href": target if target.startswith("#") else f"{target}.md", "class": "internal-link"}
        state.push("text", "", 0).content = text or target
        state.push("link_close", "a", -1)
    state.pos = end + 2
    return True


def _opening(tokens: list[Token], index: int) -> Token:
    """The opening token of the top-level block that ends at ``tokens[index]``."""
    if tokens[index].nesting == 0:
        return tokens[index]
    while tokens[index].level != 0 or tokens[index].nesting != 1:
        index -= 1
    return tokens[index]


def _obsidian_blocks(state: StateCore) -> None:
    """Block ids onto the block before them, callouts marked with kind and fold, comments dropped."""
    tokens, kept, index = state.tokens, [], 0
    while index < len(tokens):
        token = tokens[index]
        text = tokens[index + 1].content if token.type == "paragraph_open" and token.level == 0 else None
        if text is not None and _COMMENT.match(text):
            index += 3  # paragraph_open, inline, paragraph_close
            continue
        found = _BLOCK_ID.match(text) if text is not None else None
        before = _opening(kept, len(kept) - 1) if kept else None
        if found and before is not None and token.map and before.map and before.map[1] < token.map[0]:
            before.attrSet("id", f"^{found.group(1)}")  # after a blank line: the block before it is named
            index += 3
            continue
        if token.type == "blockquote_open" and tokens[index + 1].type == "paragraph_open":
            _callout(token, tokens[index + 2])
        kept.append(token)
        index += 1
    state.tokens = kept


def _callout(quote: Token, first: Token) -> None:
    """``> [!kind]- title``: the blockquote becomes a callout, the marker leaves the title."""
    found = _CALLOUT.match(first.content) if first.type == "inline" else None
    if found:
        quote.attrs.update({"class": "callout", "data-callout": found.group(1).lower(), "data-fold": found.group(2)})
        first.content = first.content[found.end():]


def _fence(self: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
    token = tokens[index]
    if token.info.strip() == "mermaid":
        return f'<pre class="mermaid"{self.renderAttrs(token)}>{html.escape(token.content)}</pre>\n'
    return str(self.fence_default(tokens, index, options, env))


def _properties(self: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
    """The front matter as Obsidian shows it: a table of properties."""
    data = yaml.safe_load(tokens[index].content) or {}
    rows = "".join(
        f"<tr><th>{html.escape(str(key))}</th><td>{_property(value)}</td></tr>" for key, value in data.items())
    return f'<table class="properties"><tbody>{rows}</tbody></table>\n'


def _property(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(f'<span class="chip">{html.escape(str(item))}</span>' for item in value)
    return html.escape("" if value is None else str(value))


def markdown() -> MarkdownIt:
    """The parser: CommonMark with tables, front matter, task lists, wikilinks and Obsidian's blocks."""
    md = MarkdownIt("commonmark", {"breaks": True}).enable("table")  # a line break shows, as in Obsidian
    md.use(front_matter_plugin).use(tasklists_plugin)
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.core.ruler.after("block", "obsidian_blocks", _obsidian_blocks)
    md.renderer.fence_default = md.renderer.rules["fence"]  # type: ignore[attr-defined]
    md.add_render_rule("fence", _fence)
    md.add_render_rule("front_matter", _properties)
    return md


def mermaid_sources(note: str) -> list[str]:
    """The source of each ```mermaid fence of a note, in order."""
    return [t.content for t in MarkdownIt("commonmark").parse(note) if t.type == "fence" and t.info.strip() == "mermaid"]


def mermaid_nodes(source: str) -> list[str]:
    """The node ids a flowchart's source defines (``n1["label"]``), each once."""
    return list(dict.fromkeys(re.findall(r"^\s*([A-Za-z][\w-]*)\[", source, re.M)))


# ---------------------------------------------------------------- the page, in Chromium

_STYLE = """
body { font: 15px/1.6 "NanumGothic", "Nanum Gothic", sans-serif; max-width: 1040px; margin: 24px auto;
       padding: 0 28px; color: #222; }
h1 { font-size: 1.9em; margin: .6em 0 .4em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; }
pre { background: #f5f6f8; padding: 10px 12px; border-radius: 6px; overflow-x: auto; font-size: 12.5px; }
pre.mermaid { background: none; text-align: center; }
code { font-family: "DejaVu Sans Mono", "NanumGothicCoding", monospace; }
table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #ddd; padding: 3px 10px; }
table.properties { font-size: 13px; } table.properties th { text-align: left; color: #666; font-weight: normal; }
.chip { background: #eef1fb; border-radius: 10px; padding: 0 8px; margin-right: 4px; }
ul.contains-task-list { list-style: none; padding-left: 1em; }
input.task-list-item-checkbox { appearance: none; width: 14px; height: 14px; margin: 0 7px 0 0; vertical-align: -2px;
  border: 1.5px solid #8a8f98; border-radius: 3px; }
input.task-list-item-checkbox:checked { background: #5a4fcf center/11px no-repeat url("data:image/svg+xml,\
%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 12 12'%3E%3Cpath d='M2 6.5l2.5 2.5L10 3' fill='none' \
stroke='white' stroke-width='2'/%3E%3C/svg%3E"); border-color: #5a4fcf; }
blockquote { border-left: 4px solid #bbb; margin: 10px 0; padding: 4px 14px; background: #fafafa; }
blockquote.callout { border-left-color: #7c8cf8; background: #f3f4ff; border-radius: 4px; }
blockquote.callout[data-callout=success] { border-left-color: #2da44e; background: #eefaf1; }
blockquote.callout[data-callout=question], blockquote.callout[data-callout=warning] {
  border-left-color: #d29922; background: #fff8e6; }
blockquote.callout[data-callout=failure] { border-left-color: #cf222e; background: #fff0f0; }
blockquote.callout > p:first-child::first-line { font-weight: bold; }
blockquote.callout[data-fold="-"] > p:first-child::before { content: "▸ "; }
blockquote.callout[data-fold="-"] > :not(:first-child) { display: none; }
a.internal-link { color: #5a4fcf; text-decoration: none; }
"""

_SCRIPT = """
mermaid.initialize({startOnLoad: false, securityLevel: "strict", flowchart: {useMaxWidth: false}});
const report = document.getElementById("browser-report");
mermaid.run({querySelector: "pre.mermaid"}).then(() => {
  const diagrams = [...document.querySelectorAll("pre.mermaid")].map(
    (pre) => ({nodes: pre.querySelectorAll("svg g.node").length, drawn: !!pre.querySelector("svg")}));
  const links = [...document.querySelectorAll('a[href^="#"]')].map((a) => {
    const target = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    return {href: a.getAttribute("href"), text: a.textContent,
            target: target && target.tagName.toLowerCase(), callout: target && target.dataset.callout || null};
  });
  report.textContent = JSON.stringify({diagrams, links});
}, (error) => { report.textContent = JSON.stringify({error: String(error && error.message || error)}); });
"""


def page(note: str) -> str:
    """A whole HTML page for a note, loading Mermaid from hack/browser."""
    body = markdown().render(note)
    return (f'<!doctype html>\n<html><head><meta charset="utf-8"><style>{_STYLE}</style>'
            f'<script src="{MERMAID_JS.as_uri()}"></script></head>\n<body>\n{body}'
            f'<pre id="browser-report" hidden></pre>\n<script>{_SCRIPT}</script>\n</body></html>\n')


@dataclass
class Seen:
    """What the browser showed: per diagram ``{nodes, drawn}``, per ``#`` link ``{href, text, target, callout}``."""

    diagrams: list[dict[str, Any]]
    links: list[dict[str, Any]]
    dom: str
    seconds: float


def look(note: str, *, screenshot: Path | None = None, size: tuple[int, int] = (1200, 3000)) -> Seen:
    """Open a note in headless Chromium; raise when Mermaid failed or the page never reported."""
    with tempfile.TemporaryDirectory(prefix="reportgen-browser-") as tmp:
        html_path = Path(tmp) / "note.html"
        html_path.write_text(page(note), encoding="utf-8")
        shot = [f"--screenshot={screenshot}"] if screenshot else []
        started = time.monotonic()
        run = subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp}/profile",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--disable-background-networking", "--disable-component-update",
             "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1", f"--window-size={size[0]},{size[1]}",
             "--virtual-time-budget=15000", "--dump-dom", *shot, html_path.as_uri()],
            capture_output=True, text=True, timeout=120)
        seconds = time.monotonic() - started
    found = re.search(r'<pre id="browser-report" hidden="">(.*?)</pre>', run.stdout, re.S)
    if run.returncode != 0 or not found or not found.group(1):
        raise RuntimeError(f"Chromium exited {run.returncode} without a report; stderr:\n{run.stderr[-3000:]}")
    report = json.loads(html.unescape(found.group(1)))
    if "error" in report:
        raise RuntimeError(f"Mermaid failed: {report['error']}")
    return Seen(report["diagrams"], report["links"], run.stdout, seconds)


def main(argv: list[str]) -> int:
    """``browser.py NOTE.md OUT.png [WIDTH HEIGHT]``: save what a reader sees of the note's top."""
    if len(argv) not in (2, 4):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    size = (int(argv[2]), int(argv[3])) if len(argv) == 4 else (1200, 1500)
    seen = look(Path(argv[0]).read_text(encoding="utf-8"), screenshot=Path(argv[1]).resolve(), size=size)
    print(f"{argv[1]}: {len(seen.diagrams)} diagrams, {len(seen.links)} links, {seen.seconds:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
