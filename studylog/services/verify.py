"""Check the outputs a learner wrote beside their code by running it in the torch sandbox.

Each block with claims runs once, in order; a block that uses names an earlier block
defined runs again after the earlier blocks that ran. A block that draws unseeded
random numbers runs a second time under another seed: a claim whose text changes is
`random`, never wrong.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

from cards.claims import Claim, ClaimBlock, agrees, claim_blocks
from cards.model import StrValue, Value

if TYPE_CHECKING:
    from cards.sandbox.protocol import RunResult
    from cards.sandbox.runner import Sandbox

AGREES = "agrees"
DISAGREES = "disagrees"
RANDOM = "random"
NOT_RUN = "not run"
# Errors that mean the block needs something that is not there, not that a claim is wrong.
_MISSING = ("NameError", "FileNotFoundError", "ModuleNotFoundError", "ImportError", "OSError")
_RESEED = "torch.manual_seed(20240101)\n"


@dataclass(frozen=True)
class Verdict:
    """What torch says about one claim."""

    line: int
    expr: str
    claimed: str
    actual: str | None
    verdict: str
    reason: str | None = None
    # What a card on this claim runs first, and the expression it asks about.
    setup: str = ""
    asked: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The claim as `verify --json` reports it."""
        out = asdict(self)
        del out["setup"], out["asked"]
        return out


def verify_markdown(markdown: str, sandbox: Sandbox) -> list[Verdict]:
    """A verdict for every claim in `markdown`'s code blocks, in order."""
    verdicts: list[Verdict] = []
    ran: list[str] = []
    plain: list[str] = []
    for block in claim_blocks(markdown):
        if block.not_runnable:
            verdicts.extend(_unrun(block.claims, block.not_runnable))
            continue
        own = block.code
        before = ""
        result = _run(sandbox, block, own)
        if _missing_name(result) and ran:
            retried = _run(sandbox, block, "".join(ran) + block.code)
            if retried.ok and not _missing_name(retried):
                block = replace(block, code="".join(ran) + block.code)
                before = "".join(plain)
                result = retried
        problem = _problem(result)
        if problem:
            verdicts.extend(_unrun(block.claims, problem))
            continue
        ran.append(own)
        plain.append(block.plain)
        texts = [_text(value) for value in result.values]
        again: list[str | None] = [None] * len(texts)
        if block.random:
            second = _run(sandbox, block, _RESEED + block.code)
            if second.ok and second.setup_error is None:
                again = [_text(value) for value in second.values]
        verdicts.extend(
            _judge(replace(claim, setup=before + claim.setup), text, other)
            for claim, text, other in zip(block.claims, texts, again, strict=True)
        )
    return verdicts


def _run(sandbox: Sandbox, block: ClaimBlock, code: str) -> RunResult:
    return sandbox.run(code, [claim.capture for claim in block.claims], timeout_s=10.0)


def _text(value: Value) -> str:
    return value.data if isinstance(value, StrValue) else value.text


def _missing_name(result: RunResult) -> bool:
    """Whether the block, or one of its claims, uses a name it never defined."""
    error = result.setup_error
    if error is not None:
        return error.error == "NameError"
    return any(_text(v).startswith("NameError(") for v in result.values)


def _problem(result: RunResult) -> str | None:
    """Why the block's claims cannot be judged, if they cannot."""
    if result.failure is not None:
        return result.failure.message
    error = result.setup_error
    if error is None:
        return None
    message = f"{error.error}: {error.message}" if error.message else error.error
    if error.error in _MISSING:
        return f"needs what is not there ({message})"
    if "CUDA" in error.message or "cuda" in error.message:
        return f"needs a GPU ({message})"
    return f"the block raised {message}"


def _unrun(claims: tuple[Claim, ...], reason: str) -> list[Verdict]:
    return [Verdict(c.line, c.expr, c.claimed, None, NOT_RUN, reason) for c in claims]


def _judge(claim: Claim, actual: str, other: str | None) -> Verdict:
    if actual.startswith("NameError("):
        return Verdict(claim.line, claim.expr, claim.claimed, None, NOT_RUN, f"needs {actual}")
    if other is not None and other != actual:
        return Verdict(
            claim.line, claim.expr, claim.claimed, actual, RANDOM, "changes with the seed"
        )
    verdict = AGREES if agrees(claim.claimed, actual) else DISAGREES
    return Verdict(
        claim.line,
        claim.expr,
        claim.claimed,
        actual,
        verdict,
        setup=claim.setup,
        asked=claim.asked,
    )
