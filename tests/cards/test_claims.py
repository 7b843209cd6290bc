"""Finding the outputs a learner wrote beside their code, and comparing them with torch's."""

from __future__ import annotations

from cards.claims import agrees, claim_blocks

NOTE = """# notes

```python
import torch
import numpy as np
a = torch.arange(6).reshape(2, 3)  # a 2x3 matrix
print(a.t().is_contiguous())  # True
a.shape  # torch.Size([2, 3])
print(a)  # tensor([[0, 1, 2],
          #         [3, 4, 5]])
print(a.sum())  # rank: 15
print(a.dtype)  # is it int?
for i in range(2):
    print(i)  # 0
```

```pycon
>>> b = torch.ones(2)
>>> b * 3
tensor([3., 3.])
```

```text
print(x)  # 3
```
"""


def test_claims_are_found_with_their_markdown_lines_and_prose_comments_are_not() -> None:
    blocks = claim_blocks(NOTE)
    assert len(blocks) == 2
    found = [(c.line, c.expr, c.claimed) for b in blocks for c in b.claims]
    assert found == [
        (7, "print(a.t().is_contiguous())", "True"),
        (8, "a.shape", "torch.Size([2, 3])"),
        (9, "print(a)", "tensor([[0, 1, 2],\n[3, 4, 5]])"),
        (11, "print(a.sum())", "15"),
        (19, "b * 3", "tensor([3., 3.])"),
    ]
    assert "import" not in blocks[0].code  # torch and np are the sandbox's own
    assert not blocks[0].random


def test_an_unknown_import_makes_the_block_not_runnable() -> None:
    (block,) = claim_blocks("```python\nimport torchvision\nprint(1)  # 1\n```\n")
    assert block.not_runnable == "needs torchvision, which the sandbox does not have"


def test_unseeded_random_is_seen_and_a_seed_first_is_not_random() -> None:
    (block,) = claim_blocks("```python\nx = torch.randn(2)\nprint(x.shape)  # (2,)\n```\n")
    assert block.random
    seeded = "```python\ntorch.manual_seed(1)\nx = torch.randn(2)\nprint(x)  # 1\n```\n"
    assert not claim_blocks(seeded)[0].random


def test_formatting_is_forgiven() -> None:
    assert agrees("tensor([[0, 1, 2], [3, 4, 5]])", "tensor([[0, 1, 2],\n        [3, 4, 5]])")
    assert agrees("[2., 4.]", "tensor([2., 4.])")
    assert agrees("2.5", "tensor(2.5000)")
    assert agrees("0.33", "tensor(0.3333)")
    assert agrees("tensor([1., 2.])", "tensor([1., 2.], requires_grad=True)")
    assert agrees("RuntimeError", "RuntimeError('view size is not compatible')")
    assert agrees("torch.Size([2, 3])", "torch.Size([2, 3])")


def test_another_value_shape_or_dtype_is_never_forgiven() -> None:
    assert not agrees("True", "False")
    assert not agrees("torch.Size([2, 3])", "torch.Size([3, 2])")
    assert not agrees("tensor([1, 2])", "tensor([[1, 2]])")
    assert not agrees("tensor(0.34)", "tensor(0.3333)")
    assert not agrees("torch.int64", "torch.float32")
    assert not agrees("tensor([1, 2], dtype=torch.int32)", "tensor([1, 2], dtype=torch.int16)")
    assert not agrees("RuntimeError", "tensor([1])")
