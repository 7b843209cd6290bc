"""Cards and reviews: `card show`, `check`, `review`, `due`, `undo`, `cards`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from studylog.cli.output import Subparsers, print_json
from studylog.errors import StudylogError

if TYPE_CHECKING:
    from cards.model import Verdict
    from cards.scheduling import Grade
    from studylog.context import AppContext
    from studylog.services.quiz import Question
    from studylog.services.reviews import CardView


def _grade(text: str) -> Grade:
    from cards.scheduling import Grade

    try:
        return Grade.parse(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


# The commands `register` adds, so that the CLI builds only the one it runs.
COMMANDS = ("card", "check", "review", "due", "undo", "optimize", "cards")


def register(sub: Subparsers, json_opt: argparse.ArgumentParser) -> None:
    """Add the card and review commands to the CLI."""
    p = sub.add_parser("card", help="look at one card")
    card_sub = p.add_subparsers(dest="card_command", metavar="COMMAND", required=True)
    show = card_sub.add_parser("show", parents=[json_opt], help="the card's question")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--seed", type=int, metavar="N", help="show the variant for seed N")
    show.set_defaults(run=run_show)

    for name, helptext, runner in (
        ("check", "judge an answer; changes nothing", run_check),
        ("review", "judge an answer, record the review and reschedule", run_review),
    ):
        p = sub.add_parser(name, parents=[json_opt], help=helptext)
        p.add_argument("id", type=int, metavar="ID")
        p.add_argument("answer", metavar="ANSWER")
        p.add_argument("--seed", type=int, metavar="N", help="the variant for seed N")
        if name == "review":
            p.add_argument("--rating", type=_grade, metavar="again|hard|good|easy", help="override")
        p.set_defaults(run=runner)

    p = sub.add_parser("due", parents=[json_opt], help="cards due now")
    p.set_defaults(run=run_due)
    p = sub.add_parser("undo", parents=[json_opt], help="revert the last review")
    p.set_defaults(run=run_undo)

    p = sub.add_parser("optimize", parents=[json_opt], help="fit FSRS to your review log")
    p.set_defaults(run=run_optimize)

    p = sub.add_parser("cards", help="all cards, and a self-check against torch")
    cards_sub = p.add_subparsers(dest="cards_command", metavar="COMMAND", required=True)
    listing = cards_sub.add_parser("list", parents=[json_opt], help="every card")
    listing.set_defaults(run=run_list)
    selfcheck = cards_sub.add_parser(
        "check",
        parents=[json_opt],
        help="run every generator and call family against the installed torch",
    )
    selfcheck.add_argument("--seeds", type=int, default=20, metavar="N")
    selfcheck.set_defaults(run=run_selfcheck)


def _print_question(question: Question[CardView]) -> None:
    card = question.card
    print(f"card {card.id} · {question.kind.value} · {', '.join(card.spec.topics)}")
    print(question.text)
    if question.listing:
        print()
        for line in question.listing.splitlines():
            print(f"    {line}")
    if question.prompt is not None:
        for n, choice in enumerate(question.prompt.choices, 1):
            print(f"  {n}. {choice}")
    print(f"(seed {question.seed})")


def run_show(ctx: AppContext, args: argparse.Namespace) -> int:
    """Print the question; `--json` adds the concrete code and expression."""
    question = ctx.quiz.question(args.id, args.seed)
    if args.json:
        print_json(question.to_dict())
    else:
        _print_question(question)
    return 0


def _print_verdict(verdict: Verdict) -> None:
    print({True: "correct", False: "wrong", None: "rate it yourself"}[verdict.correct])
    print(f"  expected: {verdict.expected}")
    print(f"  got:      {verdict.got}")
    if verdict.why:  # the first line said right or wrong already
        print(f"  {verdict.why}")


def run_check(ctx: AppContext, args: argparse.Namespace) -> int:
    """Judge an answer without recording anything; reads the card with the quick reader."""
    from studylog.services.asking import StoredCard, ask, judge
    from studylog.store.reader import card

    key, spec, reps = ctx.read(card, args.id)
    verdict = judge(ask(StoredCard(args.id, key, spec, reps), args.seed), args.answer, ctx.sandbox)
    if args.json:
        print_json(verdict.to_dict())
    else:
        _print_verdict(verdict)
    return 0


def run_review(ctx: AppContext, args: argparse.Namespace) -> int:
    """Judge, record and reschedule; prints the verdict and when the card comes back."""
    from cards.scheduling import humanize

    question = ctx.quiz.question(args.id, args.seed)
    verdict, recorded = ctx.quiz.answer(question, args.answer, args.rating)
    wait = recorded.after.due - ctx.clock.now()
    if args.json:
        print_json(
            {
                **verdict.to_dict(),
                "rating": recorded.grade.name.lower(),
                "due": recorded.after.due.isoformat(),
                "stability": recorded.after.stability,
                "difficulty": recorded.after.difficulty,
                "state": int(recorded.after.state),
            }
        )
    else:
        _print_verdict(verdict)
        print(f"rated {recorded.grade.name.lower()}; due again in {humanize(wait)}")
    return 0


def _card_json(view: CardView, **extra: object) -> dict[str, object]:
    """The fields `due --json` and `cards list --json` share, plus `extra`."""
    return {
        "id": view.id,
        "key": view.key,
        "kind": view.spec.kind.value,
        "topics": list(view.spec.topics),
        **extra,
    }


def run_due(ctx: AppContext, args: argparse.Namespace) -> int:
    """List the queue: learning, then due reviews, then today's new cards."""
    queue = ctx.reviews.queue()
    if args.json:
        print_json([_card_json(v, new=v.is_new, due=v.memory.due.isoformat()) for v in queue])
        return 0
    counts = ctx.reviews.counts()
    print(f"{counts.new} new, {counts.learning} learning, {counts.review} review")
    for v in queue:
        label = "new" if v.is_new else v.memory.state.name.lower()
        print(f"  {v.id:>5}  {label:<10} {v.spec.kind.value:<8} {', '.join(v.spec.topics)}")
    return 0


def run_undo(ctx: AppContext, args: argparse.Namespace) -> int:
    """Revert the most recent review."""
    card_id = ctx.reviews.undo()
    if card_id is None:
        raise StudylogError(
            f"nothing to undo: no reviews recorded on this device ({ctx.reviews.device})"
        )
    if args.json:
        print_json({"undone": True, "card_id": card_id})
    else:
        print(f"undid the last review of card {card_id}")
    return 0


def run_list(ctx: AppContext, args: argparse.Namespace) -> int:
    """Every card with its kind, topics and due time."""
    cards = ctx.reviews.cards()
    if args.json:
        print_json(
            [
                _card_json(
                    v,
                    entry_date=v.entry_day.isoformat() if v.entry_day else None,
                    due=v.memory.due.isoformat(),
                    reps=v.reps,
                )
                for v in cards
            ]
        )
        return 0
    for v in cards:
        day = v.entry_day.isoformat() if v.entry_day else "-"
        print(f"{v.id:>5}  {v.spec.kind.value:<8} {day}  {', '.join(v.spec.topics)}")
    return 0


def run_selfcheck(ctx: AppContext, args: argparse.Namespace) -> int:
    """Run every generator over `--seeds` seeds in the sandbox; exit 1 if any fails."""
    from studylog.services.selfcheck import check_all

    sandbox = ctx.sandbox()
    reports = []
    for report in check_all(sandbox, args.seeds):
        reports.append(report)
        if not args.json:
            mark = "ok  " if report.ok else "FAIL"
            print(f"{mark} {report.id:<34} {report.kind:<8} {report.seeds} seeds", flush=True)
            for problem in report.problems:
                print(f"     {problem}")
    failed = [r for r in reports if not r.ok]
    if args.json:
        print_json(
            {
                "torch": sandbox.torch_version,
                "confinement": sandbox.confinement,
                "generators": [
                    {"id": r.id, "kind": r.kind, "ok": r.ok, "problems": list(r.problems)}
                    for r in reports
                ],
            }
        )
    else:
        passed = len(reports) - len(failed)
        print(
            f"{passed} passed, {len(failed)} failed (torch {sandbox.torch_version}, "
            f"confinement: {sandbox.confinement})"
        )
    return 1 if failed else 0


def run_optimize(ctx: AppContext, args: argparse.Namespace) -> int:
    """Fit FSRS parameters; say what changed, or how much more history is needed."""
    from studylog.services.optimize import MIN_REVIEWS, optimize

    fit = optimize(ctx.reviews)
    if args.json:
        print_json(
            {
                "usable_reviews": fit.usable_reviews,
                "needed": fit.needed,
                "before": list(fit.before),
                "after": list(fit.after) if fit.after else None,
            }
        )
        return 0
    if fit.after is None:
        print(
            f"not enough history yet: {fit.usable_reviews} reviews made a day or more after "
            f"the card's previous one; the optimizer needs {MIN_REVIEWS}, so {fit.needed} more"
        )
        return 0
    changed = [
        (n, old, new)
        for n, (old, new) in enumerate(zip(fit.before, fit.after, strict=True))
        if abs(new - old) > 1e-4 * max(1.0, abs(old))
    ]
    print(f"fitted FSRS on {fit.usable_reviews} reviews; {len(changed)} of 21 parameters changed")
    for n, old, new in changed:
        print(f"  w[{n:>2}] {old:9.4f} → {new:9.4f}")
    return 0
