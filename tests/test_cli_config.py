"""config.toml through the real CLI: a broken setting is one line naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CLI

pytestmark = pytest.mark.engines


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ("[day\n", "not valid TOML"),
        ("[day]\nstarts_at = 25\n", "day.starts_at must be an hour from 0 to 23"),
        ("[review]\ndesired_retention = 2\n", "review.desired_retention must be between"),
        ("keymap = 3\n", "[keymap] must be a table"),
        ('[keymap]\n"app.tasks" = 5\n', 'keymap."app.tasks" must be keys such as "ctrl+r"'),
    ],
)
def test_a_broken_setting_is_a_one_line_error(
    cli: CLI, tmp_path: Path, toml: str, problem: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    run = cli("tasks")
    assert run.code == 1
    assert run.err.count("\n") == 1 and "Traceback" not in run.err
    assert run.err.startswith(f"studylog: error: {config}: ")
    assert problem in run.err


def test_a_keymap_loads(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[keymap]\n"app.tasks" = "f9"\n', encoding="utf-8")
    assert cli("tasks").code == 0
