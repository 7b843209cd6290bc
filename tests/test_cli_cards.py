"""Cards through the real CLI: the JSON contract, hostile quiz blocks, and `cards check`."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cards.calls.deriving import FAMILIES
from cards.generators.registry import CONCEPTS, GENERATORS
from cards.sandbox import landlock
from studylog.config import Config
from studylog.context import AppContext
from tests.conftest import CLI, EXAMPLE

pytestmark = pytest.mark.engines

HOSTILE = {
    "import": ("import os\nx = os.getcwd()", "x", ("rejected: imports are not allowed",)),
    "dunder": ("x = ().__class__.__bases__[0]", "x", ("rejected",)),
    "eval": ("x = eval('1 + 1')", "x", ("rejected",)),
    "exec": ("exec('y = 1')\nx = 1", "x", ("rejected",)),
    "open": ("f = open('{marker}', 'w')\nx = 1", "x", ("rejected",)),
    "getattr": ("x = getattr(torch, 'save')", "x", ("rejected",)),
    "save": ("torch.save(torch.ones(1), '{marker}')\nx = 1", "x", ("rejected",)),
    "load": ("x = torch.load('{marker}')", "x", ("rejected",)),
    "from_file": ("x = torch.from_file('{marker}', size=4)", "x", ("rejected",)),
    "hub": ("x = torch.hub.list('a/b')", "x", ("rejected",)),
    "loop": ("x = 0\nwhile True:\n    x += 1", "x", ("timed out",)),
    "memory": ("x = torch.empty(10**11)", "x", ("memory",)),
    "list_bomb": ("x = [0] * 10**10", "x", ("memory",)),
    "print": ("print('x' * 10**8)\nx = 1", "x", ("",)),
    "huge_result": ("x = 'y' * 10**8", "x", ("output too large", "timed out")),
    "input": ("x = input()", "x", ("rejected",)),
}


def _entry_with_quizzes(folder: Path, marker: Path) -> Path:
    blocks = "\n\n".join(
        f"```quiz\n{code.format(marker=marker)}\n? {expr}\n```"
        for code, expr, _ in HOSTILE.values()
    )
    path = folder / "2022-02-01-hostile.md"
    path.write_text(
        "## Spec\n\nDate : 2022-02-01\n\n## Lecture content\n\n"
        "```quiz\nx = torch.arange(6).view(2, 3)\n? x.t().shape\n```\n\n" + blocks + "\n",
        encoding="utf-8",
    )
    return path


def test_card_show_json_contract(cli: CLI) -> None:
    cli("import", str(EXAMPLE))
    cards = cli("cards", "list", "--json").json()
    view = next(c for c in cards if c["key"] == "gen:view.shape")
    shown = cli("card", "show", str(view["id"]), "--seed", "4", "--json").json()
    assert set(shown) >= {"id", "kind", "topics", "question", "code", "expr"}
    assert shown["id"] == view["id"]
    assert shown["kind"] == "predict"
    assert "view" in shown["topics"]
    assert shown["code"] and shown["expr"]
    again = cli("card", "show", str(view["id"]), "--seed", "4", "--json").json()
    assert again == shown


def test_check_changes_nothing_and_review_does(cli: CLI) -> None:
    cli("import", str(EXAMPLE))
    card = next(c for c in cli("cards", "list", "--json").json() if c["key"] == "gen:dot.not_2d")
    before = cli("export").json()
    verdict = cli("check", str(card["id"]), "RuntimeError", "--seed", "1", "--json").json()
    assert verdict["correct"] is True
    assert set(verdict) == {"correct", "expected", "got", "message"}
    assert cli("export").json() == before
    reviewed = cli("review", str(card["id"]), "3.5", "--seed", "1", "--json").json()
    assert reviewed["correct"] is False
    assert reviewed["rating"] == "again"
    assert len(cli("export").json()["reviews"]) == 1


@pytest.mark.engines("sqlite")  # the sandbox's containment, not the store
def test_hostile_quiz_blocks_are_refused_or_contained(db: str, cli: CLI, tmp_path: Path) -> None:
    marker = tmp_path / "written-by-sandbox"
    run = cli("import", str(_entry_with_quizzes(tmp_path, marker)))
    assert run.code == 0, run.err
    # One app process checks every block in turn, as a quiz session would, so a hostile
    # block must leave the sandbox usable for the next one.
    ctx = AppContext(db=str(db), config=Config())
    quizzes = [c for c in ctx.reviews.cards() if c.key.startswith("authored:")]
    assert len(quizzes) == len(HOSTILE) + 1
    benign = ctx.quiz.question(quizzes[0].id)
    assert ctx.quiz.check(benign, "(3, 2)").correct
    by_code = {code.format(marker=marker): name for name, (code, _, _) in HOSTILE.items()}
    for card in quizzes[1:]:
        question = ctx.quiz.question(card.id)
        assert question.exercise is not None
        name = by_code[question.exercise.code]
        started = time.monotonic()
        verdict = ctx.quiz.check(question, "1")
        elapsed = time.monotonic() - started
        assert any(m in verdict.message for m in HOSTILE[name][2]), (name, verdict)
        assert verdict.correct == (name == "print"), (name, verdict)
        assert elapsed < 10, (name, elapsed)
        assert ctx.quiz.check(benign, "(3, 2)").correct, name
    assert not marker.exists()
    last = cli("--json", "check", str(quizzes[-1].id), "1")
    assert last.code == 0
    assert last.json()["correct"] is False


@pytest.mark.engines("sqlite")  # the generators against torch, not the store
def test_cards_check_passes_on_installed_torch(cli: CLI) -> None:
    # The default: 20 seeds of every generator, concept card and call family.
    run = cli("cards", "check")
    assert run.code == 0, run.out[-2000:]
    total = len(GENERATORS) + len(CONCEPTS) + len(FAMILIES)
    assert run.out.strip().splitlines()[-1].startswith(f"{total} passed, 0 failed")
    assert "20 seeds" in run.out.splitlines()[0]
    assert run.out.rstrip().endswith("seccomp + rlimits)"), run.out[-300:]


@pytest.mark.engines("sqlite")  # the sandbox's confinement, not the store
def test_cards_check_reports_the_confinement_level(cli: CLI) -> None:
    ruleset = landlock.prepare()
    if ruleset.fd is not None:
        os.close(ruleset.fd)
    run = cli("--json", "cards", "check", "--seeds", "1")
    assert run.code == 0, run.out[-2000:]
    level = run.json()["confinement"]
    expected = f"{ruleset.level} + seccomp + rlimits" if ruleset.fd is not None else ""
    assert level == (expected or "seccomp + rlimits"), level
