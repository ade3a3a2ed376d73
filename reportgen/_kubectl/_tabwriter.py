"""Port of ``github.com/liggitt/tabwriter`` (v0.0.0-20181228230101-89fcab3d43de), the tabwriter kubectl prints with.

kubectl's ``get`` uses minwidth 6, tabwidth 4, padding 3, pad char ' ' and
RememberWidths (cli-runtime ``pkg/printers/tabwriter.go``); ``describe`` uses
Go's text/tabwriter with minwidth 0, padding 2 (k8s.io/kubectl
``pkg/describe/describe.go``), the same algorithm without RememberWidths across
flushes making a difference for its single flush.
"""

from __future__ import annotations

import re

__all__ = ["TabWriter"]

_CELL_BREAKS = re.compile(r"[\t\v\n\f]")


class TabWriter:
    """A tabwriter collecting its output; ``min_width`` and ``padding`` as Go's ``NewWriter`` takes them.

    Cells end at ``\\t`` or ``\\v``; a line's last cell is never padded; a
    line with a single cell or a ``\\f`` flushes; widths are remembered
    across flushes (RememberWidths) for the life of the writer.
    """

    def __init__(self, min_width: int = 6, padding: int = 3) -> None:
        self._min_width = min_width
        self._padding = padding
        self._out: list[str] = []
        self._lines: list[list[str]] = [[]]
        self._cell = ""
        self._widths: list[int] = []
        self._maxwidths: list[int] = []

    def write(self, text: str) -> None:
        """Buffer text, splitting it into cells and lines."""
        pos = 0
        for match in _CELL_BREAKS.finditer(text):
            ch = match.group()
            self._cell += text[pos : match.start()]
            pos = match.end()
            line = self._lines[-1]
            line.append(self._cell)
            self._cell = ""
            if ch in "\n\f":
                self._lines.append([])
                if ch == "\f" or len(line) == 1:
                    self._flush_buffer()
        self._cell += text[pos:]

    def flush(self) -> str:
        """Format everything buffered and return all output so far."""
        self._flush_buffer()
        text = "".join(self._out)
        self._out = []
        return text

    def _flush_buffer(self) -> None:
        if self._cell:
            self._lines[-1].append(self._cell)
            self._cell = ""
        self._format(0, len(self._lines))
        self._lines = [[]]

    def _format(self, line0: int, line1: int) -> None:
        column = len(self._widths)
        this = line0
        while this < line1:
            if column >= len(self._lines[this]) - 1:
                this += 1
                continue
            self._write_lines(line0, this)
            line0 = this
            width = self._min_width
            while this < line1 and column < len(self._lines[this]) - 1:
                width = max(width, len(self._lines[this][column]) + self._padding)
                this += 1
            width = self._remember(width)
            self._widths.append(width)
            self._format(line0, this)
            self._widths.pop()
            line0 = this
        self._write_lines(line0, line1)

    def _remember(self, width: int) -> int:
        """Apply RememberWidths: a column never gets narrower than before."""
        depth = len(self._widths)
        if len(self._maxwidths) < depth:
            self._maxwidths += self._widths[len(self._maxwidths) :]
        if len(self._maxwidths) == depth:
            self._maxwidths.append(width)
        elif self._maxwidths[depth] > width:
            width = self._maxwidths[depth]
        else:
            self._maxwidths[depth] = width
        return width

    def _write_lines(self, line0: int, line1: int) -> None:
        for index in range(line0, line1):
            line = self._lines[index]
            for j, cell in enumerate(line):
                self._out.append(cell)
                if j < len(self._widths):
                    self._out.append(" " * (self._widths[j] - len(cell)))
            if index + 1 < len(self._lines):
                self._out.append("\n")
