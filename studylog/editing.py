"""Editing text in the learner's own editor ($VISUAL, else $EDITOR, else vi)."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def editor_command() -> list[str]:
    """The editor to run, split the way a shell would split it (`code --wait` works)."""
    return shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")


@dataclass(frozen=True)
class Edited:
    """The text as the editor left it, and the editor's exit status."""

    text: str
    status: int


def run_editor(text: str, file_name: str) -> Edited:
    """Open `text` in the editor as a temporary file called `file_name` (its suffix picks
    the editor's syntax mode) and wait for the editor to exit. Raises OSError when the
    editor cannot be started."""
    with tempfile.TemporaryDirectory(prefix="studylog-") as folder:
        path = Path(folder) / file_name
        path.write_text(text, encoding="utf-8")
        done = subprocess.run([*editor_command(), str(path)], check=False)
        return Edited(path.read_text(encoding="utf-8"), done.returncode)
