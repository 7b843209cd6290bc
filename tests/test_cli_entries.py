"""`entries`, `show` and `write` through the real CLI, with scripts standing in for $EDITOR."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CLI, EXAMPLE

pytestmark = pytest.mark.engines

NEXT_DAY = "2022-01-25T12:00"


def _editor(tmp_path: Path, name: str, body: str) -> dict[str, str]:
    """An $EDITOR that runs `body` (a shell script, the file as $1) instead of a person."""
    script = tmp_path / name
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return {"EDITOR": str(script), "VISUAL": ""}


def test_entries_and_show_print_what_is_stored(cli: CLI) -> None:
    cli("import", str(EXAMPLE))
    listed = cli("entries").out.splitlines()
    lectures = "Introduction to Pytorch · Pytorch Basics · Pytorch 프로젝트 구조 이해하기"
    assert listed == [f"2022-01-24  Pytorch  {lectures}"]
    assert cli("entries", "--json").json()[0]["lectures"][1] == "Pytorch Basics"
    shown = cli("show", "2022-01-24")
    assert shown.code == 0 and shown.out == EXAMPLE.read_text(encoding="utf-8")
    missing = cli("show", "2022-01-30")
    assert missing.code == 1
    assert missing.err == "studylog: error: 2022-01-30: no entry for that day\n"


def test_write_starts_from_the_template_and_saves(cli: CLI, tmp_path: Path) -> None:
    cli("import", str(EXAMPLE))
    editor = _editor(tmp_path, "append.sh", "printf '\\nview 와 reshape 복습.\\n' >> \"$1\"")
    run = cli("--now", NEXT_DAY, "write", env_vars=editor)
    assert run.code == 0, run.err
    assert run.out.startswith("new 2022-01-25 Pytorch:")
    written = cli("show", "2022-01-25").out
    assert "Date : 22.01.25" in written and written.endswith("view 와 reshape 복습.\n")
    # Lectures are numbered on from the previous day's last one (1-3 on the 24th).
    assert ">>강좌 번호 : 4\n" in written
    # Yesterday's open plans were carried into the template, so their tasks moved here.
    tasks = cli("--now", "2022-01-26T12:00", "tasks", "--json").json()
    assert {t["entry_date"] for t in tasks} == {"2022-01-25"}


def test_write_without_a_change_saves_nothing(cli: CLI, tmp_path: Path) -> None:
    run = cli("--now", NEXT_DAY, "write", env_vars=_editor(tmp_path, "noop.sh", "true"))
    assert run.code == 0
    assert "no change, nothing saved" in run.err
    assert cli("entries").out == ""


def test_text_that_cannot_be_saved_is_kept(cli: CLI, tmp_path: Path) -> None:
    cli("import", str(EXAMPLE))
    before = cli("export").out
    breaks = _editor(
        tmp_path,
        "break.sh",
        'sed -i \'s/Date : 22.01.24/Date : 22.13.45/\' "$1"; echo 메모 >> "$1"',
    )
    run = cli("write", "2022-01-24", env_vars=breaks)
    assert run.code == 1 and run.err.count("\n") == 1 and "Traceback" not in run.err
    assert "impossible date '22.13.45'" in run.err
    kept = Path(run.err.split("studylog: error: ")[1].split(": ")[0])
    assert kept.read_text(encoding="utf-8").endswith("메모\n")
    kept.unlink()
    assert cli("export").out == before

    failing = cli("write", "2022-01-24", env_vars=_editor(tmp_path, "fail.sh", "exit 3"))
    assert failing.code == 1
    assert failing.err == "studylog: error: the editor exited with status 3; nothing saved\n"
    missing = cli("write", "2022-01-24", env_vars={"EDITOR": "no-such-editor", "VISUAL": ""})
    assert missing.code == 1
    assert "editor 'no-such-editor'" in missing.err
    assert cli("export").out == before
