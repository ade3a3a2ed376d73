"""The version, in one place (the package, the CLI and every bundle read it)."""

__version__ = "0.3.0"
