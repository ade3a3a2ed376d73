"""What every command shares: cluster options, and errors that end as a message and an exit code."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from ._exceptions import ReportgenError, RunInterrupted


class _LazyConsole:
    """rich's stderr Console, created on first use (rich is slow to import)."""

    def __getattr__(self, name: str) -> Any:
        from rich.console import Console

        console = Console(stderr=True, highlight=False)
        globals()["err_console"] = console
        return getattr(console, name)


err_console: Any = _LazyConsole()

_F = TypeVar("_F", bound=Callable[..., Any])


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """Print a ReportgenError as a message (no traceback) and exit with its code."""
    previous = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        yield
    except KeyboardInterrupt:
        err_console.print("interrupted", markup=False)
        sys.exit(128 + signal.SIGINT)
    except RunInterrupted as exc:
        err_console.print(f"interrupted by signal {exc.signum}; cleanup ran", markup=False)
        sys.exit(exc.exit_code)
    except ReportgenError as exc:
        err_console.print("[bold red]error:[/] ", end="")
        err_console.print(str(exc), markup=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _raise_interrupted(signum: int, _frame: object) -> None:
    raise RunInterrupted(signum)


def cluster_options(f: _F) -> _F:
    """Add ``--kubeconfig`` and ``--context`` to a command."""
    import click  # here, so that a preview run without click (reportgen._previews) can share this module

    f = click.option("--kubeconfig", type=click.Path(dir_okay=False), help="Path to a kubeconfig.")(f)
    return click.option("--context", help="Kubeconfig context to use.")(f)
