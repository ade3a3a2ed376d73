"""reportgen's exceptions, at a glance.

    ReportgenError (Exception)
    ├── InputError         bad input, with file:line:column and a hint      (exit 2)
    │   ├── ScenarioError  the scenario or a file it names
    │   ├── BundleError    an evidence bundle (with the JSON path)
    │   ├── TemplateError  a user template
    │   └── VaultError     a vault or output folder, or a note in it
    ├── ClusterError       the cluster cannot be used: unreachable, RBAC  (exit 2)
    │   └── Rejected       the server refused an object (the caller knows its file:line)
    └── ReportError        a generated report failed its lint: a bug       (exit 3)

    RunInterrupted (BaseException, like KeyboardInterrupt)
                           Ctrl-C or SIGTERM during a run                  (exit 130/143)

RunInterrupted is deliberately not an Exception: no ``except Exception`` (a
retrying wait, a step that records errors as evidence) can swallow it.

A failed check is not an exception: it is evidence, and exits 1.
"""

from __future__ import annotations

__all__ = [
    "EXIT_CHECK_FAILED",
    "EXIT_OK",
    "EXIT_REPORT_BUG",
    "EXIT_UNUSABLE",
    "BundleError",
    "ClusterError",
    "InputError",
    "Rejected",
    "ReportError",
    "ReportgenError",
    "RunInterrupted",
    "ScenarioError",
    "TemplateError",
    "VaultError",
]

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_UNUSABLE = 2
EXIT_REPORT_BUG = 3


class ReportgenError(Exception):
    """Base of every error reportgen raises on purpose."""

    exit_code = EXIT_UNUSABLE


class InputError(ReportgenError):
    """A file the user gave cannot be used.

    Args:
        message: What is wrong.
        file: The file it is in.
        line: 1-based line, when known.
        column: 1-based column, when known.
        hint: What to do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.hint = hint

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} (hint: {self.hint})" if self.hint else text


class ScenarioError(InputError):
    """A scenario (or a file it names) cannot be used."""


class BundleError(InputError):
    """An evidence bundle cannot be used."""


class TemplateError(InputError):
    """A user template cannot be used: syntax, an unknown name, or something the sandbox refused."""


class VaultError(InputError):
    """A vault or output folder cannot be written, or a note in it cannot be read."""


class ClusterError(ReportgenError):
    """The cluster cannot be used: unreachable, wrong context, forbidden."""


class Rejected(ClusterError):
    """The API server refused an object: ``status`` (403 forbidden, 422 invalid...), its message and the field."""

    def __init__(self, message: str, *, status: int, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.field = status, field


class RunInterrupted(BaseException):
    """The run was interrupted by a signal; cleanup has run.

    A BaseException, so that broad ``except Exception`` handlers let it through.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by signal {signum}")
        self.signum = signum
        self.exit_code = 128 + signum


class ReportError(ReportgenError):
    """A generated report failed its own lint. This is a reportgen bug."""

    exit_code = EXIT_REPORT_BUG
