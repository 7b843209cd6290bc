"""Untrusted text printed by the CLI is inert: no raw control characters reach stdout
(issue 11, item 4)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CLI

pytestmark = pytest.mark.engines

# Any C0 control but newline and tab, DEL, or a C1 control (0x9b is a one-byte CSI).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ESC = "\x1b"


def _hostile_entry(folder: Path) -> Path:
    # The code holds a raw ESC and a raw CSI; the value's repr holds escapes of its own.
    path = folder / "2022-02-01-escapes.md"
    path.write_text(
        "## Spec\n\nDate : 2022-02-01\n\n## Lecture content\n\n"
        f"Clear {ESC}[2J the screen \x9b31m red.\n\n"
        f"```quiz\nx = '{ESC}[2J' + chr(27) + '[31m' + chr(0x9b)\n? x\n```\n\n"
        "## Next plan\n\n"
        f"- [ ] wipe {ESC}[2J the screen\n",
        encoding="utf-8",
    )
    return path


def test_hostile_text_reaches_stdout_inert(cli: CLI, tmp_path: Path) -> None:
    assert cli("import", str(_hostile_entry(tmp_path))).code == 0
    card = cli("cards", "list", "--json").json()[0]
    answer = f"{ESC}[2J{ESC}]0;owned\x07"
    runs = [
        cli("cards", "list"),
        cli("card", "show", str(card["id"])),
        cli("card", "show", str(card["id"]), "--json"),
        cli("check", str(card["id"]), answer),
        cli("check", str(card["id"]), answer, "--json"),
        cli("search", "screen"),
        cli("search", "screen", "--json"),
        cli("tasks"),
        cli("tasks", "--json"),
        cli("entries"),
        cli("export"),
        cli("export", "--format", "md"),
    ]
    for run in runs:
        assert run.code == 0, run.err
        assert not RAW_CONTROL.search(run.out), run.out
        assert not RAW_CONTROL.search(run.err), run.err
    shown = cli("card", "show", str(card["id"])).out
    assert "\\u001b[2J" in shown


def test_show_writes_the_entry_byte_for_byte_into_a_pipe(cli: CLI, tmp_path: Path) -> None:
    path = _hostile_entry(tmp_path)
    cli("import", str(path))

    run = cli("show", "2022-02-01")

    assert run.out == path.read_text(encoding="utf-8")
