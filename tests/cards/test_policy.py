"""The AST allow-list: what quiz code may say, and the clear refusals for everything else."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cards.sandbox.guard import guarded_import, module_allowed
from cards.sandbox.policy import MAX_SOURCE_CHARS, Mode, Rejected, check_source

ALLOWED_CODE = [
    "x = torch.arange(6).view(2, 3)\ny = x.t().contiguous()",
    "a = torch.ones(2, 3, 4)\nb = a @ torch.ones(4, 5)",
    "x = torch.tensor([1., 2.], requires_grad=True)\ny = (x * x).sum()\ny.backward()",
    "with torch.no_grad():\n    y = x * 2",
    "with torch.set_grad_enabled(False):\n    y = x * 2",
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(3, 2)\n"
    "    def forward(self, x):\n"
    "        return F.relu(self.fc(x))",
    "f = lambda t: t * 2\nys = [f(t) for t in (x, x)]",
    "n = 0\nwhile n < 3:\n    n += 1",
    "try:\n    y = x.view(6)\nexcept RuntimeError as err:\n    y = None",
    "for _ in range(3):\n    x = x + 1",
    "def f(x):\n    if x.sum() > 0:\n        return x * 2\n    return x - 2\n"
    "gm = torch.fx.symbolic_trace(f)",
    "x.requires_grad = True",
    "print('hello')",
]


@pytest.mark.parametrize("code", ALLOWED_CODE)
def test_quiz_code_passes(code: str) -> None:
    check_source(code, mode="exec")


@pytest.mark.parametrize(
    "expr",
    ["x.t().shape", "torch.Size([2, 3])", "F.softmax(x, dim=0)", "x.grad is None", "[1, 2]"],
)
def test_expressions_pass(expr: str) -> None:
    check_source(expr, mode="eval")


REFUSED = [
    # (code, mode, words the message must contain)
    ("import os", "exec", "imports are not allowed"),
    ("from os import system", "exec", "imports are not allowed"),
    ("import os", "eval", "imports are not allowed"),
    ("().__class__.__bases__[0].__subclasses__()", "eval", "'_'"),
    ("x.__dict__", "eval", "'_'"),
    ("_secret = 1", "exec", "'_'"),
    ("__import__('os')", "eval", "__import__() is not allowed"),
    ("__builtins__", "eval", "'_'"),
    ("eval('1 + 1')", "eval", "eval() is not allowed"),
    ("exec('x = 1')", "exec", "exec() is not allowed"),
    ("open('/etc/passwd').read()", "eval", "open() is not allowed"),
    ("getattr(x, 'shape')", "eval", "getattr() is not allowed"),
    ("setattr(x, 'y', 1)", "exec", "setattr() is not allowed"),
    ("vars(torch)", "eval", "vars() is not allowed"),
    ("globals()", "eval", "globals() is not allowed"),
    ("locals()", "eval", "locals() is not allowed"),
    ("compile('1', 'f', 'eval')", "eval", "compile() is not allowed"),
    ("input()", "eval", "input() is not allowed"),
    ("breakpoint()", "exec", "breakpoint() is not allowed"),
    ("help(torch)", "eval", "help() is not allowed"),
    ("exit()", "exec", "exit() is not allowed"),
    ("torch.save(x, 'x.pt')", "exec", ".save"),
    ("torch.load('x.pt')", "eval", ".load"),
    ("torch.from_file('/etc/passwd', size=4)", "eval", ".from_file"),
    ("torch.UntypedStorage.from_file('/etc/passwd')", "eval", ".from_file"),
    ("torch.hub.list('pytorch/vision')", "eval", ".hub"),
    ("torch.jit.load('m.pt')", "eval", ".load"),
    ("torch.jit.save(m, 'm.pt')", "exec", ".save"),
    ("torch.utils.model_zoo.load_url('http://x')", "eval", ".model_zoo"),
    ("torch.ops.load_library('evil.so')", "exec", ".load_library"),
    ("torch.classes.myns", "eval", ".classes"),
    ("torch.utils.cpp_extension.load_inline('m', '')", "exec", ".cpp_extension"),
    ("x.numpy().tofile('x.bin')", "exec", ".tofile"),
    ("np.fromfile('x.bin')", "eval", ".fromfile"),
    ("torch.os.getcwd()", "eval", ".os"),
    ("torch.sys.modules", "eval", ".sys"),
    ("torch.utils.collect_env.run('ls')", "eval", ".collect_env"),
    ("torch.compile(f)", "eval", ".compile"),
    ("torch.set_num_threads(8)", "exec", ".set_num_threads"),
    ("def f():\n    global x\n    x = 1", "exec", "global statements"),
    ("def f():\n    y = 1\n    def g():\n        nonlocal y", "exec", "nonlocal statements"),
    ("with open('x') as f:\n    pass", "exec", "with blocks are allowed only"),
    ("with x:\n    pass", "exec", "with blocks are allowed only"),
    ("async def f():\n    pass", "exec", "async code"),
    ("'{0.__class__}'.format(x)", "eval", "dunder"),
    ("x = 1", "eval", "expected an expression"),
    ("x = (", "exec", "syntax error at line 1"),
    ("x = 1\ny = = 2", "exec", "syntax error at line 2"),
    ("x = 1\x00", "exec", "null bytes"),
    ("x = 1\n" * MAX_SOURCE_CHARS, "exec", "too long"),
]


@pytest.mark.parametrize(("code", "mode", "words"), REFUSED)
def test_hostile_code_is_rejected_with_a_reason(code: str, mode: Mode, words: str) -> None:
    with pytest.raises(Rejected) as caught:
        check_source(code, mode=mode)
    assert str(caught.value).startswith("rejected: ")
    assert words in str(caught.value)


def test_rejected_is_a_value_error_with_the_exact_import_message() -> None:
    with pytest.raises(ValueError, match=r"^rejected: imports are not allowed$"):
        check_source("import torch", mode="exec")


@given(st.text(max_size=200), st.sampled_from(["exec", "eval"]))
def test_check_source_raises_nothing_but_rejected(code: str, mode: Mode) -> None:
    with contextlib.suppress(Rejected):
        check_source(code, mode=mode)


def test_the_module_allow_list() -> None:
    for name in ("torch", "torch.nn.functional", "torch.fx.proxy", "math", "torch.utils.data"):
        assert module_allowed(name), name
    for name in ("os", "torch.hub", "torch.serialization", "torch.utils.collect_env", "sys"):
        assert not module_allowed(name), name


def test_the_sandbox_import_hook_serves_only_torch_and_loaded_modules() -> None:
    assert guarded_import("math").__name__ == "math"
    with pytest.raises(ImportError):
        guarded_import("antigravity")  # a stdlib module nobody has loaded
    with pytest.raises(ImportError):
        guarded_import("os", level=1)
