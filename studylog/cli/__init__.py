"""The scriptable command line. `main` is the console script."""

from studylog.cli.main import main

__all__ = ["main"]
