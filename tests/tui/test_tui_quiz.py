"""The quiz, with the real sandbox: verdicts from torch, ratings, undo, skip, summary.

The first check of a test session waits for the sandbox worker to import torch, so those
waits are generous; every wait is on a condition.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Digits, Input, Static
from textual.widgets._footer import FooterKey
from tui_support import SANDBOX_TIMEOUT_S, SIZE, Until, make_app, text_of

from studylog.context import AppContext
from studylog.tui.app import StudylogApp
from studylog.tui.messages import SandboxStatus
from studylog.tui.screens.quiz import QuizScreen
from studylog.tui.screens.today import TodayScreen
from studylog.tui.widgets.rating import RatingBar, RatingChoice


def quiz(app: StudylogApp) -> QuizScreen:
    screen = app.screen
    assert isinstance(screen, QuizScreen)
    return screen


async def start_quiz(app: StudylogApp, pilot: Pilot[None], until: Until) -> QuizScreen:
    await until(pilot, lambda: app.ready, "the database")
    await pilot.press("r")
    await until(pilot, lambda: quiz(app).phase == "asking", "the first card")
    return quiz(app)


async def test_verdict_shows_torch_and_rating_keys_show_intervals(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_quiz(app, pilot, until)
        question = screen.question
        assert question is not None and question.exercise is not None
        assert question.exercise.code in text_of(screen.query_one("#quiz-code", Static))
        assert app.focused is screen.query_one("#answer", Input)
        await pilot.press(*"2x3", "enter")
        await until(pilot, lambda: screen.phase == "verdict", "the verdict", SANDBOX_TIMEOUT_S)
        verdict = screen.verdict
        assert verdict is not None
        body = text_of(screen.query_one("#verdict-body", Static))
        assert "torch returned" in body and verdict.expected in body
        # The message says why; whether it was right is said once, by the title.
        why = verdict.message.removeprefix("Not quite:").removeprefix("Correct.").strip()
        if why:
            assert why.splitlines()[0] in body
        assert "Not quite:" not in body and "Correct." not in body
        bar = screen.query_one(RatingBar)
        suggested = 3 if verdict.correct else 1
        assert bar.suggested == suggested
        choices = {c.grade: text_of(c) for c in bar.query(RatingChoice)}
        assert "1 Again" in choices[1] and "4 Easy" in choices[4]
        assert all(any(unit in label for unit in "mhd") for label in choices.values())
        await pilot.press("enter")  # the suggested rating
        await until(pilot, lambda: len(screen.history) == 1, "the review to be recorded")
        assert screen.history[0].grade == suggested
        await until(pilot, lambda: screen.phase == "asking", "the next card")
        assert screen.question is not None and screen.question.card.id != question.card.id
        assert not app.failures


async def test_undo_asks_the_same_card_again(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_quiz(app, pilot, until)
        first = screen.question
        assert first is not None
        before = demo_ctx.reviews.counts()
        await pilot.press(*"9x9", "enter")
        await until(pilot, lambda: screen.phase == "verdict", "the verdict", SANDBOX_TIMEOUT_S)
        await pilot.press("1")
        await until(pilot, lambda: len(screen.history) == 1, "the review to be recorded")
        await until(pilot, lambda: screen.phase == "asking", "the next card")
        assert demo_ctx.reviews.counts().new == before.new - 1
        await pilot.press("ctrl+z")  # undo works while the answer box has the focus
        await until(pilot, lambda: not screen.history, "the undo")
        await until(pilot, lambda: screen.phase == "asking", "the undone card")
        assert screen.question is not None
        assert screen.question.card.id == first.card.id
        assert screen.question.text == first.text and screen.question.seed == first.seed
        assert demo_ctx.reviews.counts() == before
        assert not app.failures


async def test_skip_finish_and_summary(demo_ctx: AppContext, until: Until) -> None:
    times = iter([100.0, 101.0, 163.5, 300.0])
    app = make_app(demo_ctx, monotonic=lambda: next(times))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_quiz(app, pilot, until)
        first = screen.question
        assert first is not None
        await pilot.press("ctrl+s")  # skip (s types into the answer box)
        await until(
            pilot,
            lambda: screen.question is not None and screen.question.card.id != first.card.id,
            "another card",
        )
        assert first.card.id in screen.skipped
        await pilot.press("escape")
        await until(pilot, lambda: screen.phase == "done", "the summary")
        summary = text_of(screen.query_one("#summary-body", Static))
        assert "0 cards" in summary and "no answers judged" in summary
        assert text_of(screen.query_one("#quiz-progress", Static)) == "Session summary"
        await until(pilot, lambda: "Back" in footer(app), "the summary's footer")
        assert "Accept rating" not in footer(app)  # nothing is left to rate
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "back on Today")
        assert demo_ctx.reviews.counts().new == 20  # skipping records nothing


async def test_the_screen_says_when_torch_is_warming_up(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_quiz(app, pilot, until)
        app.sandbox_state = SandboxStatus.WARMING
        status = screen.query_one("#quiz-status", Static)
        await until(pilot, lambda: "warming up" in text_of(status), "the warming notice")
        app.sandbox_state = SandboxStatus.READY
        await until(pilot, lambda: text_of(status) == "", "the notice to go")


ENTRY = """# Writing Specification

Date : 2022-01-29

강좌 분류 : Pytorch

# 강의 내용

오늘은 텐서 모양 연습.

```quiz
x = torch.arange(6).view(2, 3)
? x.t().shape
```
"""


def due_new(app: StudylogApp) -> str:
    return app.screen.query_one("#due-new Digits", Digits).value


async def test_whole_loop_write_quiz_rate_undo(empty_ctx: AppContext, until: Until) -> None:
    """Write an entry → cards appear → quiz → rate → due count drops → undo."""
    app = make_app(empty_ctx, warm_sandbox=True, offer_demo=True)
    async with app.run_test(size=SIZE) as pilot:
        # First run on an empty database: the demo is offered; decline it.
        await until(pilot, lambda: type(app.screen).__name__ == "DemoOfferScreen", "the offer")
        await pilot.press("n")
        await until(pilot, lambda: due_new(app) == "0", "an empty Today")

        # Write today's entry.
        await pilot.press("w")
        editor = app.screen
        area = editor.query_one("#editor")
        await until(pilot, lambda: "Date :" in area.text, "today's template")
        area.load_text(ENTRY)
        await pilot.press("ctrl+s")
        status = editor.query_one("#editor-status", Static)
        await until(pilot, lambda: "new cards" in text_of(status), "the save summary")
        await pilot.press("escape", "escape")

        # The cards appear on Today.
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "back on Today")
        await until(pilot, lambda: due_new(app) not in ("0", "-"), "cards due")
        due_before = int(due_new(app))
        assert due_before == empty_ctx.reviews.counts().new

        # The quiz: skip to the card written in the entry and answer it right.
        await pilot.press("r")
        await until(pilot, lambda: quiz(app).phase == "asking", "the first card")
        screen = quiz(app)
        while screen.question is not None and not screen.question.card.key.startswith("authored:"):
            current = screen.question.card.id
            await pilot.press("ctrl+s")
            await until(
                pilot,
                lambda current=current: (
                    screen.phase == "asking"
                    and screen.question is not None
                    and screen.question.card.id != current
                ),
                "the next card",
            )
        assert screen.question is not None
        assert "x.t().shape" in text_of(screen.query_one("#quiz-code", Static))
        await pilot.press(*"(3, 2)", "enter")
        await until(pilot, lambda: screen.phase == "verdict", "the verdict", SANDBOX_TIMEOUT_S)
        assert screen.verdict is not None and screen.verdict.correct
        body = text_of(screen.query_one("#verdict-body", Static))
        assert "torch.Size([3, 2])" in body
        assert "Correct." not in body  # the title says it once
        await pilot.press("3")
        await until(pilot, lambda: len(screen.history) == 1, "the rating")
        # Every other card was skipped, so the session ends by itself, and says they are due.
        await until(pilot, lambda: screen.phase == "done", "the summary")
        skipped = len(screen.skipped)
        assert skipped == due_before - 1
        assert text_of(screen.query_one("#summary-title", Static)) == (
            f"No more cards this session; {skipped} skipped cards still due."
        )
        assert "Card" not in text_of(screen.query_one("#quiz-progress", Static))
        assert "1 card · 100% correct" in text_of(screen.query_one("#summary-body", Static))
        await pilot.press("escape")

        # The due count drops by the card just reviewed.
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "back on Today")
        await until(pilot, lambda: due_new(app) == str(due_before - 1), "one card fewer due")

        # Undo brings it back.
        await pilot.press("u")
        await until(pilot, lambda: due_new(app) == str(due_before), "the undone card due again")
        await until(pilot, lambda: app.sandbox_state == "ready", "the sandbox", SANDBOX_TIMEOUT_S)
        assert not app.failures


async def test_choice_and_recall_cards_need_no_torch(demo_ctx: AppContext, until: Until) -> None:
    kinds = {card.spec.kind.value: card.id for card in demo_ctx.reviews.cards()}
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_quiz(app, pilot, until)
        screen.next_card(prefer=kinds["choice"])
        await until(
            pilot,
            lambda: screen.question is not None and screen.question.card.id == kinds["choice"],
            "the choice card",
        )
        await until(pilot, lambda: screen.phase == "asking", "asking")
        choices = text_of(screen.query_one("#quiz-choices", Static))
        assert choices.startswith("1. ") and "Type the number" in choices
        assert not screen.query_one("#quiz-code", Static).display
        await pilot.press("1", "enter")
        await until(pilot, lambda: screen.phase == "verdict", "the verdict")
        assert "you answered" in text_of(screen.query_one("#verdict-body", Static))
        await pilot.press("s")  # skip without rating: nothing is recorded
        screen.next_card(prefer=kinds["recall"])
        await until(
            pilot,
            lambda: screen.question is not None and screen.question.card.id == kinds["recall"],
            "the recall card",
        )
        await until(pilot, lambda: screen.phase == "asking", "asking")
        assert screen.question is not None and screen.question.prompt is not None
        await pilot.press(*screen.question.prompt.back, "enter")
        await until(pilot, lambda: screen.phase == "verdict", "the verdict")
        assert screen.verdict is not None and screen.verdict.correct
        assert screen.query_one(RatingBar).suggested == 3
        assert not screen.history and not app.failures


def footer(app: StudylogApp) -> str:
    keys = app.screen.query(FooterKey)
    return " · ".join(str(key.render()) for key in keys)


async def rate_one(screen: QuizScreen, pilot: Pilot[None], until: Until) -> int:
    """Answer the current card wrongly and rate it Again; its id."""
    assert screen.question is not None
    rated = screen.question.card.id
    await pilot.press(*"9x9", "enter")
    await until(pilot, lambda: screen.phase == "verdict", "the verdict", SANDBOX_TIMEOUT_S)
    await pilot.press("1")
    await until(pilot, lambda: len(screen.history) == 1, "the review to be recorded")
    await until(pilot, lambda: screen.phase == "asking", "the next card")
    return rated


async def test_the_footer_shows_keys_that_work_while_typing(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_quiz(app, pilot, until)
        await rate_one(screen, pilot, until)
        shown = footer(app)
        assert "^z Undo" in shown and "^s Skip" in shown
        assert "u/" not in shown and "s/" not in shown
        await pilot.press("u", "s")  # letters are part of the answer while typing
        assert screen.query_one("#answer", Input).value == "us"
        assert len(screen.history) == 1 and screen.phase == "asking"


async def test_undo_at_the_verdict_keeps_that_verdict_and_asks_the_undone_card_next(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_quiz(app, pilot, until)
        first = await rate_one(screen, pilot, until)
        second = screen.question
        assert second is not None
        await pilot.press(*"9x9", "enter")
        await until(pilot, lambda: screen.phase == "verdict", "the verdict", SANDBOX_TIMEOUT_S)
        verdict = screen.verdict
        await pilot.press("u")
        await until(pilot, lambda: not screen.history, "the undo")
        assert demo_ctx.reviews.card(first).is_new  # its review is gone
        # The verdict on screen is still the one to rate.
        assert screen.phase == "verdict" and screen.verdict is verdict
        assert screen.question is second
        await pilot.press("3")
        await until(
            pilot,
            lambda: screen.phase == "asking" and screen.question.card.id == first,
            "the undone card, asked again",
        )
        assert [o.card_id for o in screen.history] == [second.card.id]
        assert not app.failures


async def test_an_answer_that_cannot_be_read_is_fixed_not_graded(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_quiz(app, pilot, until)
        await pilot.press(*"(2, 3", "enter")
        status = screen.query_one("#quiz-status", Static)
        await until(pilot, lambda: "Cannot read '(2, 3'" in text_of(status), "the message")
        assert screen.phase == "asking" and screen.verdict is None
        assert app.focused is screen.query_one("#answer", Input)
        await pilot.press(")", "enter")  # fixed
        await until(pilot, lambda: screen.phase == "verdict", "the verdict", SANDBOX_TIMEOUT_S)
        assert screen.verdict is not None and screen.verdict.got
        assert not screen.history
