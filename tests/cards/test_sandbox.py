"""The torch sandbox, for real: a worker process with torch, a fresh child per run.

Hostile snippets must be refused or contained, each within a few seconds, with a clear
failure, and the sandbox must keep working afterwards.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from cards.model import (
    BoolValue,
    DtypeValue,
    ErrorValue,
    NoneValue,
    NumberValue,
    SeqValue,
    SizeValue,
    StrValue,
    TensorValue,
)
from cards.sandbox import Failure, FailureKind, RunResult, Sandbox, confine, landlock
from cards.sandbox.worker import Worker, _Limits

ROOT = Path(__file__).resolve().parents[2]


def still_works(sandbox: Sandbox) -> None:
    result = sandbox.run("x = torch.ones(2)", ["(x + 1).tolist()"])
    assert result.ok, result.failure
    assert result.values[0].items[0].data == 2.0


def values(result: RunResult) -> list[dict[str, object]]:
    assert result.ok, result.failure
    return [v.to_dict() for v in result.values]


# -- what comes back -------------------------------------------------------------------------


def test_values_describe_what_torch_produced(sandbox: Sandbox) -> None:
    result = sandbox.run(
        "x = torch.arange(6).view(2, 3)",
        [
            "x.t().shape",
            "x.t()",
            "x.dtype",
            "x.t().is_contiguous()",
            "x.sum().item()",
            "x.float().mean().item()",
            "'abc'",
            "None",
            "(x.shape, 3)",
            "x.t().view(6)",
        ],
    )
    size, tensor, dtype, flag, integer, real, text, none, seq, error = result.values
    assert isinstance(size, SizeValue) and (size.shape, size.text) == ((3, 2), "torch.Size([3, 2])")
    assert isinstance(tensor, TensorValue) and (tensor.shape, tensor.dtype) == (
        (3, 2),
        "torch.int64",
    )
    assert tensor.data == [[0, 3], [1, 4], [2, 5]]
    assert tensor.is_view is True
    assert tensor.text.startswith("tensor([[0, 3],")
    assert isinstance(dtype, DtypeValue) and dtype.dtype == "torch.int64"
    assert flag == BoolValue("False", False)
    assert isinstance(integer, NumberValue) and (integer.type_name, integer.data) == ("int", 15)
    assert isinstance(real, NumberValue) and (real.type_name, real.data) == ("float", 2.5)
    assert text == StrValue("'abc'", "abc")
    assert none == NoneValue()
    assert isinstance(seq, SeqValue) and [type(i) for i in seq.items] == [SizeValue, NumberValue]
    assert isinstance(error, ErrorValue) and error.error == "RuntimeError"
    assert "view size is not compatible" in error.message


def test_is_view_means_shared_storage_but_not_the_same_tensor(sandbox: Sandbox) -> None:
    result = sandbox.run(
        "x = torch.arange(6)\ny = x.view(2, 3)",
        ["x", "y", "x.view(3, 2)", "x[1:]", "x.clone()", "y.t().reshape(6)", "x + 0"],
    )
    views = [v.is_view for v in result.values]
    # x and y are named, not made; the three copies share nothing
    assert views == [False, False, True, True, False, False, False]


def test_setup_errors_are_values(sandbox: Sandbox) -> None:
    result = sandbox.run("x = torch.ones(2, 3)\ny = x @ x", ["y.shape", "x"])
    assert result.ok
    assert result.setup_error is not None and result.setup_error.error == "RuntimeError"
    assert all(v.error == "RuntimeError" for v in result.values)


def test_large_tensors_carry_no_data(sandbox: Sandbox) -> None:
    (big,) = sandbox.run("", ["torch.zeros(100, 100)"]).values
    assert big.shape == (100, 100) and big.data is None


def test_nothing_leaks_between_runs(sandbox: Sandbox) -> None:
    first = sandbox.run("secret = 42\ntorch.relu = torch.sigmoid", ["secret"])
    assert first.values[0].data == 42
    second = sandbox.run("", ["secret", "torch.relu(torch.tensor([-1.])).tolist()"])
    assert second.values[0].error == "NameError"
    assert second.values[1].items[0].data == 0.0  # relu again, not sigmoid


def test_unseeded_randomness_repeats_from_run_to_run(sandbox: Sandbox) -> None:
    one = sandbox.run("", ["torch.randn(3).tolist()"]).values[0]
    two = sandbox.run("", ["torch.randn(3).tolist()"]).values[0]
    time.sleep(0.5)  # long enough for the spare child to pre-warm (which draws numbers)
    three = sandbox.run("", ["torch.randn(3).tolist()"]).values[0]
    assert one == two == three


def test_printing_is_captured_and_capped(sandbox: Sandbox) -> None:
    result = sandbox.run("print('hello')", ["1"])
    assert result.stdout == "hello\n" and result.values[0].data == 1
    flood = sandbox.run("print('x' * 10**8)", ["2"])
    assert flood.values[0].data == 2
    assert len(flood.stdout) < 10_000 and "characters dropped" in flood.stdout


def test_nn_modules_and_autograd_work(sandbox: Sandbox) -> None:
    code = (
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(3, 2)\n"
        "    def forward(self, x):\n"
        "        return self.fc(x)\n"
        "x = torch.tensor([1., 2., 3.], requires_grad=True)\n"
        "y = x * x\n"
        "y.backward(torch.ones_like(y))\n"
        "with torch.no_grad():\n"
        "    z = x * 2"
    )
    result = sandbox.run(code, ["Net()(x).shape", "x.grad.tolist()", "z.requires_grad"])
    shape, grad, flag = result.values
    assert shape.shape == (2,)
    assert [i.data for i in grad.items] == [2.0, 4.0, 6.0]
    assert flag.data is False


def test_concurrent_runs_are_serialised_and_each_gets_its_answer(sandbox: Sandbox) -> None:
    answers: dict[int, object] = {}

    def ask(n: int) -> None:
        answers[n] = sandbox.run(f"x = torch.tensor({n})", ["(x * 2).item()"]).values[0].data

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {n: 2 * n for n in range(6)}


def test_ready_and_startup_time(sandbox: Sandbox) -> None:
    assert sandbox.ready
    assert sandbox.startup_seconds is not None and 0 < sandbox.startup_seconds < 120
    assert sandbox.torch_version and sandbox.torch_version[0].isdigit()


# -- hostile code ----------------------------------------------------------------------------

HOSTILE = [
    # (code, exprs, failure kind, words in the message)
    ("import os", ["1"], FailureKind.REJECTED, "rejected: imports are not allowed"),
    ("", ["().__class__.__bases__[0].__subclasses__()"], FailureKind.REJECTED, "'_'"),
    ("", ["eval('1')"], FailureKind.REJECTED, "eval() is not allowed"),
    ("exec('import os')", ["1"], FailureKind.REJECTED, "exec() is not allowed"),
    ("", ["open('/etc/passwd').read()"], FailureKind.REJECTED, "open() is not allowed"),
    ("", ["getattr(torch, 'os')"], FailureKind.REJECTED, "getattr() is not allowed"),
    ("torch.save(torch.ones(1), 'x.pt')", ["1"], FailureKind.REJECTED, ".save"),
    ("", ["torch.load('x.pt')"], FailureKind.REJECTED, ".load"),
    ("", ["torch.from_file('/etc/passwd', size=8)"], FailureKind.REJECTED, ".from_file"),
    ("", ["torch.hub.list('x/y')"], FailureKind.REJECTED, ".hub"),
    ("", ["input()"], FailureKind.REJECTED, "input() is not allowed"),
    # torch re-exports host modules as attributes; the runtime guard refuses them
    ("", ["torch.textwrap"], FailureKind.REJECTED, "module textwrap is not available"),
    (
        "m = torch\ntry:\n    w = m.warnings\nexcept BaseException:\n    w = None",
        ["w"],
        FailureKind.REJECTED,
        "module warnings is not available",
    ),
    ("y = torch.empty(10**11)", ["1"], FailureKind.MEMORY, "ran out of memory (limit 1 GiB)"),
    ("y = [0] * 10**10", ["1"], FailureKind.MEMORY, "ran out of memory (limit 1 GiB)"),
    ("", ["'x' * 10**7"], FailureKind.OUTPUT, "output too large"),
]


@pytest.mark.parametrize(("code", "exprs", "kind", "words"), HOSTILE)
def test_hostile_code_is_refused_or_contained(
    sandbox: Sandbox, code: str, exprs: list[str], kind: FailureKind, words: str
) -> None:
    started = time.monotonic()
    result = sandbox.run(code, exprs)
    assert time.monotonic() - started < 5
    assert result.failure is not None and result.failure.kind == kind, result
    assert words in result.failure.message
    still_works(sandbox)


def test_endless_loops_time_out(sandbox: Sandbox) -> None:
    started = time.monotonic()
    result = sandbox.run("while True:\n    pass", ["1"], timeout_s=1.0)
    assert time.monotonic() - started < 3
    assert result.failure == Failure(FailureKind.TIMEOUT, "timed out after 1 s")
    still_works(sandbox)


def test_no_file_is_written_and_the_folder_is_unchanged(sandbox: Sandbox, tmp_path: Path) -> None:
    cwd = os.getcwd()
    target = tmp_path / "out.txt"
    attempts = [
        f"torch.save(torch.ones(1), {str(target)!r})",
        f"open({str(target)!r}, 'w').write('x')",
        f"torch.ones(3).numpy().tofile({str(target)!r})",
        f"torch.os.makedirs({str(tmp_path / 'd')!r})",
    ]
    for code in attempts:
        failure = sandbox.run(code, ["1"]).failure
        assert failure is not None and failure.kind == FailureKind.REJECTED
    assert list(tmp_path.iterdir()) == []
    assert os.getcwd() == cwd


def test_a_dead_worker_is_replaced_transparently(sandbox: Sandbox) -> None:
    worker = sandbox._worker  # the test reaches in to kill it from outside
    assert worker is not None
    os.killpg(worker.proc.pid, signal.SIGKILL)
    worker.proc.wait()
    result = sandbox.run("", ["2 + 2"])
    assert result.ok and result.values[0].data == 4


def test_a_worker_that_cannot_start_is_a_failure_not_an_exception() -> None:
    box = Sandbox(python="/nonexistent/python")
    box.start()
    assert not box.wait_ready(1)
    result = box.run("", ["1"])
    assert result.failure is not None and result.failure.kind == FailureKind.UNAVAILABLE
    assert "could not start" in result.failure.message
    box.close()


def test_the_cpu_limit_backs_up_the_wall_clock(sandbox: Sandbox) -> None:
    sandbox.cpu_seconds = 1  # read per run: the next child gets one CPU second
    try:
        result = sandbox.run("while True:\n    pass", ["1"], timeout_s=10)
    finally:
        sandbox.cpu_seconds = None
    assert result.failure == Failure(FailureKind.CPU, "used too much CPU")
    still_works(sandbox)


# -- the layers under the policy -----------------------------------------------------------


def test_confinement_blocks_processes_files_signals_and_raised_limits(tmp_path: Path) -> None:
    """Fork a child, confine it as the sandbox does, and try what quiz code never can."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        report: dict[str, str] = {}
        try:
            confine.confine_child(keep_fds=(write_end,))
            confine.limit_memory(1 << 30)
            probes = {
                "fork": os.fork,
                "write": lambda: open(tmp_path / "f", "w"),  # noqa: SIM115
                "mkdir": lambda: os.mkdir(tmp_path / "d"),
                "exec": lambda: os.execv("/bin/true", ["true"]),
                "kill_parent": lambda: os.kill(os.getppid(), 0),
                "raise_limit": lambda: resource.setrlimit(
                    resource.RLIMIT_AS, (resource.RLIM_INFINITY,) * 2
                ),
            }
            for name, probe in probes.items():
                try:
                    probe()
                    report[name] = "allowed"
                except (OSError, ValueError) as exc:
                    report[name] = type(exc).__name__
            report["read"] = str(len(Path(__file__).read_text()) > 0)
        finally:
            os.write(write_end, json.dumps(report).encode())
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        report = json.loads(pipe.read())
    os.waitpid(pid, 0)
    assert report.pop("read") == "True"
    assert all(outcome != "allowed" for outcome in report.values()), report
    assert list(tmp_path.iterdir()) == []


def test_how_a_dead_child_is_worded() -> None:
    worker = Worker(prefork=False, ruleset=landlock.prepare())
    limits = _Limits(timeout_s=2.0, memory_bytes=1 << 30, cpu_s=3.0)
    small = SimpleNamespace(ru_utime=0.1, ru_stime=0.0, ru_maxrss=worker._base_rss_kib)
    huge = SimpleNamespace(ru_utime=0.1, ru_stime=0.0, ru_maxrss=worker._base_rss_kib + 900_000)
    busy = SimpleNamespace(ru_utime=3.5, ru_stime=0.0, ru_maxrss=0)

    def word(status: int, rusage: object) -> str:
        return worker._classify_death(status, rusage, limits)[1]

    assert word(signal.SIGSEGV, small) == "crashed (signal 11)"
    assert word(signal.SIGSEGV, huge) == "ran out of memory (limit 1 GiB)"
    assert word(signal.SIGXCPU, small) == "used too much CPU"
    assert word(signal.SIGKILL, busy) == "used too much CPU"
    assert word(3 << 8, small) == "crashed (exit code 3)"


def test_the_parent_side_never_imports_torch() -> None:
    code = (
        "import sys\n"
        "import cards.answers, cards.checker, cards.hints, cards.sandbox\n"
        "from cards.sandbox import Sandbox\n"
        "from cards.checker import check_predict\n"
        "box = Sandbox()\n"
        "box.start()\n"
        "assert box.wait_ready(120)\n"
        "result = box.run('x = torch.ones(2)', ['x.shape'])\n"
        "assert result.ok, result\n"
        "box.close()\n"
        "assert not box.ready\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
