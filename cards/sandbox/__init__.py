"""The torch sandbox: policy, runner (parent side) and worker (child side).

Importing this package never imports torch; only `cards.sandbox.worker.main()` does.
"""

from cards.sandbox.policy import Rejected, check_source
from cards.sandbox.protocol import Failure, FailureKind, RunResult
from cards.sandbox.runner import Sandbox, shared_sandbox

__all__ = [
    "Failure",
    "FailureKind",
    "Rejected",
    "RunResult",
    "Sandbox",
    "check_source",
    "shared_sandbox",
]
