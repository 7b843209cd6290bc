"""Hostile quiz code, tried as a stranger sharing notes would: the AST policy, the runtime
guard, the kernel (Landlock + seccomp) and the one-message result channel each stop what
gets past the layer before. Real torch in the real sandbox throughout."""

from __future__ import annotations

import ctypes
import errno
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cards.checker import check_exercise
from cards.model import ErrorValue, Exercise, Kind
from cards.sandbox import FailureKind, Sandbox, execute, landlock
from cards.sandbox.policy import Rejected, check_source
from cards.sandbox.protocol import FORGED_MESSAGE, decode, encode, frame, unframe
from cards.sandbox.worker import Worker

SECRET = "the learner's private note"

# Each passes for nothing under the AST policy: the reason it is refused must show.
POLICY_ATTACKS = {
    "generator frame": ("g = (i for i in [1])", "g.gi_frame.f_back.f_globals", "attribute ."),
    "frame builtins": ("g = (i for i in [1])", "g.gi_frame.f_builtins", "attribute ."),
    "code object": ("def f():\n    return 1", "f.func_code", "func_code"),
    "traceback frame": (
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    t = e.with_traceback(None)",
        "t",
        "with_traceback",
    ),
    "match class pattern": (
        "g = (i for i in [1])\nmatch g:\n    case object(gi_frame=fr):\n        leak = fr",
        "leak",
        "class patterns",
    ),
    "match class pattern on torch": (
        "match torch:\n    case object(os=o):\n        leak = o",
        "leak",
        "class patterns",
    ),
    "format field": ("g = (i for i in [1])", "'{0.gi_frame.f_globals}'.format(g)", "gi_frame"),
    "torch.os": ("", "torch.os.listdir('/')", ".os"),
    "np.os": ("", "np.os.environ", ".os"),
    "torch.serialization.os": ("", "torch.serialization.os", "attribute ."),
    "dataloader multiprocessing": (
        "",
        "torch.utils.data.dataloader.multiprocessing",
        ".multiprocessing",
    ),
    "numpy fromregex": ("", "np.fromregex('/etc/passwd', 'x', [('a', 'S1')])", ".fromregex"),
    "type mro": ("", "type(torch.ones(1)).mro()", ".mro"),
    "vars": ("", "vars(torch)", "vars()"),
}


@pytest.mark.parametrize("name", sorted(POLICY_ATTACKS))
def test_the_policy_refuses_each_introspection_path(sandbox: Sandbox, name: str) -> None:
    code, expr, reason = POLICY_ATTACKS[name]
    result = sandbox.run(code, [expr])
    assert result.failure is not None and result.failure.kind is FailureKind.REJECTED, (
        name,
        result,
    )
    assert reason in result.failure.message, result.failure


# Past the AST policy (no refused name or attribute anywhere): the runtime guard stops them.
GUARD_ATTACKS = {
    "format template built at run time": (
        "g = (i for i in [1])\nt = '{0.gi' + '_frame}'",
        "t.format(g)",
        "format fields that read .gi_frame",
    ),
    "str.format on a built template": (
        "g = (i for i in [1])\nt = '{0.gi' + '_frame.f_back}'",
        "str.format(t, g)",
        "format fields",
    ),
    "host module re-exported by torch": (
        "",
        "torch.utils.data.datapipes.utils.common.fnmatch",
        "the module fnmatch",
    ),
    "io class re-exported by torch": (
        "",
        "torch.utils.data.datapipes.utils.common.IOBase",
        "objects from the module io",
    ),
}


@pytest.mark.parametrize("name", sorted(GUARD_ATTACKS))
def test_the_guard_refuses_what_the_ast_cannot_see(sandbox: Sandbox, name: str) -> None:
    code, expr, reason = GUARD_ATTACKS[name]
    check_source(code, mode="exec")
    check_source(expr, mode="eval")
    result = sandbox.run(code, [expr])
    assert result.failure is not None and result.failure.kind is FailureKind.REJECTED, (
        name,
        result,
    )
    assert reason in result.failure.message, result.failure


@pytest.fixture()
def secret(tmp_path: Path) -> Iterator[Path]:
    """A file of the user's, outside every tree the sandbox may read."""
    path = tmp_path / "private.txt"
    path.write_text(SECRET)
    yield path
    assert path.read_text() == SECRET  # never changed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["private.txt"]  # nothing written


def test_the_kernel_refuses_a_read_that_passes_policy_and_guard(
    sandbox: Sandbox, secret: Path
) -> None:
    # torch's datapipes open any path they are given: nothing in the AST or the guard
    # names a file, so only Landlock stands between this card and the file.
    read = "[f.read() for _, f in torch.utils.data.datapipes.iter.FileOpener([{!r}])]"
    allowed = Path(landlock.readable_roots()[0]).rglob("*.py").__next__()
    result = sandbox.run("", [read.format(str(secret)), read.format(str(allowed))])
    assert result.ok, result.failure
    denied, granted = result.values
    assert denied.error == "PermissionError", denied
    assert SECRET not in denied.text and "Errno 13" in denied.message, denied
    # the same path works inside the allowed tree
    assert not isinstance(granted, ErrorValue), granted
    assert sandbox.confinement is not None and sandbox.confinement.startswith("landlock ABI")


def _in_landlocked_child(probe: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run `probe` in a forked child confined by the sandbox's own ruleset (policy and
    guard out of the way), and return what it reported."""
    ruleset = landlock.prepare()
    if ruleset.fd is None:
        pytest.skip(ruleset.reason)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            os.close(read_end)
            libc = ctypes.CDLL(None, use_errno=True)
            assert libc.prctl(38, 1, 0, 0, 0) == 0  # PR_SET_NO_NEW_PRIVS
            assert landlock.restrict(ruleset)
            os.write(write_end, json.dumps(probe()).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    assert ruleset.fd is not None
    os.close(ruleset.fd)
    with os.fdopen(read_end, "rb") as pipe:
        report = pipe.read()
    os.waitpid(pid, 0)
    return dict(json.loads(report))


def _attempt(action: Callable[[], object]) -> str:
    try:
        action()
    except OSError as exc:
        return errno.errorcode.get(exc.errno or 0, str(exc.errno))
    return "allowed"


def test_landlock_denies_reads_outside_the_tree_and_every_write(
    secret: Path, tmp_path: Path
) -> None:
    inside = Path(execute.__file__)
    home_file = Path.home() / ".bashrc"

    def probe() -> dict[str, Any]:
        return {
            "secret": _attempt(secret.read_bytes),
            "listing tmp": _attempt(lambda: os.listdir(tmp_path)),
            "home": _attempt(home_file.read_bytes) if home_file.exists() else "EACCES",
            "write": _attempt(lambda: (tmp_path / "new.txt").write_text("x")),
            "write inside": _attempt(lambda: open(inside, "ab")),
            "read inside": _attempt(inside.read_bytes),
        }

    report = _in_landlocked_child(probe)
    assert report.pop("read inside") == "allowed"
    assert report == dict.fromkeys(report, "EACCES"), report


# -- one child, one verdict ------------------------------------------------------------------


def _request(code: str, expr: str, req_id: int) -> bytes:
    return encode({"id": req_id, "code": code, "exprs": [expr], "timeout_s": 5.0})


def _writes_on_every_descriptor(extra: Callable[[], None]) -> Callable[..., dict[str, Any]]:
    """A stand-in for the card's code that got hold of os.write: it forges a verdict on
    every descriptor it has (result pipe, stdout, stderr), then `extra`, then answers."""
    real = execute.run_request

    def hostile(code: str, exprs: list[str], memory_bytes: int) -> dict[str, Any]:
        forged = {"values": [{"type": "str", "text": "'forged'"}], "setup_error": None}
        for fd in range(1, 64):
            for data in (frame(forged), encode({"id": 2, **forged}), b"junk"):
                try:
                    os.write(fd, data)
                except OSError:
                    break
        extra()
        return real(code, exprs, memory_bytes)

    return hostile


@pytest.mark.parametrize("ending", ["returns", "exits"])
def test_a_forged_verdict_is_a_sandbox_failure_of_that_card_only(
    monkeypatch: pytest.MonkeyPatch, ending: str
) -> None:
    worker = Worker(prefork=False, ruleset=landlock.prepare())
    try:
        extra = (lambda: os._exit(0)) if ending == "exits" else (lambda: None)
        monkeypatch.setattr(execute, "run_request", _writes_on_every_descriptor(extra))
        hostile = decode(worker.handle(_request("x = torch.ones(2)", "x.sum().item()", 1)))
        monkeypatch.undo()
        honest = decode(worker.handle(_request("x = torch.ones(3)", "x.sum().item()", 2)))
    finally:
        worker.shutdown()
    assert hostile == {"id": 1, "failure_kind": "crash", "failure": FORGED_MESSAGE}
    assert honest["id"] == 2 and honest["values"][0]["data"] == 3.0, honest


def test_only_one_frame_with_the_nonce_is_a_message() -> None:
    message = {"nonce": "abc", "values": []}
    assert unframe(frame(message), "abc") == {"values": []}
    assert unframe(frame(message), "xyz") is None
    assert unframe(frame(message) + frame(message), "abc") is None
    assert unframe(frame(message)[:-1], "abc") is None
    assert unframe(b"junk" + frame(message), "abc") is None
    assert unframe(b"", "abc") is None


# -- through the checker: attacks first, then a normal card -----------------------------------


def test_a_normal_card_after_the_attacks_is_judged_correctly(
    sandbox: Sandbox, secret: Path
) -> None:
    for code, expr, _ in POLICY_ATTACKS.values():
        assert not sandbox.run(code, [expr]).ok
    with pytest.raises(Rejected):
        check_source("g.gi_frame", mode="eval")
    card = Exercise(Kind.PREDICT, "?", "x = torch.arange(6).view(2, 3)", "x.t().shape")
    assert check_exercise(card, "(3, 2)", sandbox).correct
    assert not check_exercise(card, "(2, 3)", sandbox).correct


def test_without_landlock_the_child_falls_back_and_says_so() -> None:
    missing = landlock.Ruleset(None, 0, "the kernel has no Landlock (Function not implemented)", ())
    assert missing.level == "" and not landlock.restrict(missing)
    worker = Worker(prefork=False, ruleset=missing)
    try:
        answer = decode(worker.handle(_request("x = torch.ones(4)", "x.sum().item()", 1)))
    finally:
        worker.shutdown()
    assert answer["values"][0]["data"] == 4.0, answer
