"""Auditing executable cards against the installed torch: torch's own value, typed back in
every form a learner types it, must be judged right, and every near miss wrong.

`cards check` runs this over every call family (each with the sample calls it lists) for
many seeds. Cards run in batches, each card's code inside its own function, so one
sandbox run checks many cards and one card's failure stays its own.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cards.answers import format_data
from cards.calls.deriving import FAMILIES, exercise, plan
from cards.calls.family import Family
from cards.checker import check_predict
from cards.model import (
    BoolValue,
    DtypeValue,
    ErrorValue,
    Exercise,
    Kind,
    NumberValue,
    SizeValue,
    TensorValue,
    Value,
)
from cards.prompt_check import check_prompt, choice_names
from cards.prompts import Prompt
from cards.sandbox.runner import Sandbox

BATCH = 40
BATCH_TIMEOUT_S = 60.0

# Another exception for every one cards raise, to try as a near miss.
_OTHER_ERROR = {"RuntimeError": "ValueError"}


@dataclass(frozen=True)
class Report:
    """How one card source (a generator, concept card or call family) fared over the
    seeds tried; `kind` is the card kind, or "call" for a call family."""

    id: str
    kind: str
    seeds: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """No sample and seed had a problem."""
        return not self.problems


def _dims_forms(shape: Sequence[int]) -> list[str]:
    listed = ", ".join(str(d) for d in shape)
    forms = [f"[{listed}]", f"torch.Size([{listed}])"]
    forms.append(f"({listed},)" if len(shape) == 1 else f"({listed})")
    if len(shape) >= 2:
        forms += ["x".join(map(str, shape)), " × ".join(map(str, shape))]
    return forms


def _bump(data: object, by: float) -> object:
    """`data` with its first number moved by `by`."""
    if isinstance(data, list):
        return [_bump(data[0], by), *data[1:]] if data else data
    if isinstance(data, bool):
        return not data
    assert isinstance(data, int | float)
    return data + by


def right_answers(value: Value) -> list[str]:
    """torch's value written in each way a learner may type it."""
    match value:
        case SizeValue(shape=shape):
            return _dims_forms(shape)
        case TensorValue(data=data, dtype=dtype) if data is not None:
            body = format_data(data)
            forms = [body, f"tensor({body})", f"tensor({body}, dtype={dtype})"]
            return forms if isinstance(data, list) else forms[1:]
        case BoolValue(data=truth):
            return [str(truth), str(truth).lower(), "참" if truth else "거짓"]
        case DtypeValue(dtype=dtype) if dtype:
            return [dtype, dtype.removeprefix("torch.")]
        case ErrorValue(error=error) if error:
            return [error]
    return [value.text]


def near_misses(value: Value) -> list[str]:
    """Answers that are close to torch's value but wrong."""
    match value:
        case SizeValue(shape=shape):
            misses = [_dims_forms([*shape, 1])[0]]
            if shape:
                misses.append(_dims_forms([shape[0] + 1, *shape[1:]])[1])
            if len(shape) >= 2 and shape[0] != shape[1]:
                misses.append(_dims_forms([shape[1], shape[0], *shape[2:]])[2])
            return misses
        case TensorValue(data=data, dtype=dtype) if data is not None:
            misses = [f"tensor({format_data(_bump(data, 1))})"]
            if dtype and "bool" not in dtype:
                misses.append(f"tensor({format_data(_bump(data, 0.01))})")
            other = "torch.float64" if dtype != "torch.float64" else "torch.float32"
            misses.append(f"tensor({format_data(data)}, dtype={other})")
            return misses
        case BoolValue(data=truth):
            return [str(not truth), "거짓" if truth else "참"]
        case DtypeValue(dtype=dtype):
            return ["float64" if dtype != "torch.float64" else "float32"]
        case ErrorValue(error=error) if error:
            return [_OTHER_ERROR.get(error, "RuntimeError")]
        case NumberValue(data=number):
            return [repr(number + 1), repr(number + 0.01)]
    return []


def verdict_problems(exercise: Exercise, value: Value) -> list[str]:
    """What goes wrong when `value`, torch's answer to `exercise`, is typed back right and
    wrong (an empty list when every verdict is true)."""
    problems = []
    for answer in right_answers(value):
        verdict = check_predict(value, answer, None, expr=exercise.expr)
        if verdict.correct is not True:
            problems.append(f"torch's own answer {answer!r} judged wrong: {verdict.message}")
    for answer in near_misses(value):
        if check_predict(value, answer, None, expr=exercise.expr).correct:
            problems.append(f"the near miss {answer!r} judged right (torch: {value.text})")
    return problems


def prompt_problems(prompt: Prompt) -> list[str]:
    """What goes wrong on a recall or choice card: every name of the right choice (and its
    number) must be right, every name of another choice wrong; a recall card's own back is
    right and another wording is left to the learner (`correct` None), never wrong."""
    if prompt.kind is Kind.RECALL:
        problems = []
        if check_prompt(prompt, prompt.back).correct is not True:
            problems.append("the card's own answer judged wrong")
        reworded = "In other words: " + " ".join(reversed(prompt.back.split()))
        if check_prompt(prompt, reworded).correct is False:
            problems.append("a paraphrase was judged wrong instead of left to the learner")
        return problems
    if prompt.kind is not Kind.CHOICE or prompt.answer is None:
        return []
    problems = []
    aliases = prompt.aliases or ((),) * len(prompt.choices)
    for index, (choice, more) in enumerate(zip(prompt.choices, aliases, strict=True)):
        right = index == prompt.answer
        for name in [*sorted(choice_names(choice, more)), str(index + 1)]:
            if (check_prompt(prompt, name).correct is True) != right:
                judged = "wrong" if right else "right"
                problems.append(f"{name!r} (choice {index + 1}) judged {judged}")
    return problems


def batch_values(sandbox: Sandbox, exercises: Sequence[Exercise]) -> list[Value] | str:
    """Each exercise's value, from one sandbox run; a failure message if the run failed."""
    code = "\n".join(
        f"def card_{n}():\n{textwrap.indent(ex.code, '    ')}\n    return {ex.expr}\n"
        for n, ex in enumerate(exercises)
    )
    exprs = [f"card_{n}()" for n in range(len(exercises))]
    result = sandbox.run(code, exprs, timeout_s=BATCH_TIMEOUT_S)
    if result.failure is not None:
        return result.failure.message
    return list(result.values)


def _cases(family: Family, seeds: range) -> tuple[list[tuple[str, Exercise]], list[str]]:
    """Every (label, exercise) a family's samples give over `seeds`, and the samples that
    gave none."""
    cases: list[tuple[str, Exercise]] = []
    problems: list[str] = []
    for sample in family.samples:
        first = plan(sample, 0)
        if first is None:
            problems.append(f"{sample}: makes no card")
            continue
        for out in first.outputs:
            for seed in seeds:
                label = f"{sample} -> {out.name}, seed {seed}"
                try:
                    cases.append((label, exercise(sample, out.name, seed)))
                except KeyError:
                    problems.append(f"{label}: makes no card for this seed")
    return cases, problems


def check_family(family: Family, sandbox: Sandbox, seeds: int) -> Report:
    """Run a family's cards in the sandbox and audit every verdict on them."""
    cases, problems = _cases(family, range(seeds))
    for start in range(0, len(cases), BATCH):
        part = cases[start : start + BATCH]
        values = batch_values(sandbox, [ex for _, ex in part])
        if isinstance(values, str):
            problems.append(f"{part[0][0]}: the sandbox run failed: {values}")
            continue
        for (label, ex), value in zip(part, values, strict=True):
            if isinstance(value, ErrorValue):
                problems.append(f"{label}: the card's code raised {value.text}")
                continue
            problems += [f"{label}: {problem}" for problem in verdict_problems(ex, value)]
    return Report(family.name, "call", seeds, tuple(problems))


def check_families(sandbox: Sandbox, seeds: int) -> Iterator[Report]:
    """One report per call family, as each finishes."""
    for family in FAMILIES:
        yield check_family(family, sandbox, seeds)
