"""Call cards and block cards: which calls make cards, what the cards keep and vary."""

from __future__ import annotations

import pytest

from cards.blocks import block_cards
from cards.calls.deriving import FAMILIES, call_cards, exercise, plan
from cards.calls.family import Family
from cards.sandbox.policy import check_source


@pytest.mark.parametrize(
    "code",
    [
        "nn.Conv2d(in_ch, 16, 3)",  # a size it cannot know
        "nn.Conv2d(3, 16, 3, colour=1)",  # no such parameter
        "nn.Conv2d(3, 16, 3, **opts)",
        "x.gather(dim, idx)",
        "torch.cat(tensors, dim=0)",  # not a list it can see into
        "x.view(n, -1)",
        "model(x).sum(dim=1)",  # a receiver it cannot make
        "F.max_pool2d(x.view(1, 1, 4, 4), 2)",  # the input is an expression
        "torch.einsum('...ij,...jk->...ik', a, b)",
        "nn.MultiheadAttention(10, 3)",  # 10 is not divisible by 3 heads
        "x.view(2, -1, -1)",
        "not python at all (",
    ],
)
def test_no_card_without_confidence(code: str) -> None:
    assert [card for card in call_cards(code) if card.source.startswith(code[:6])] == []


def test_learners_arguments_kept_and_sizes_vary() -> None:
    source = "nn.Conv2d(3, 16, kernel_size=3, stride=2, padding=1)"
    [card] = call_cards(source)
    codes = {exercise(card.source, card.output, seed).code for seed in range(10)}
    assert all(f"layer = {source}" in code for code in codes)
    assert len(codes) >= 5


def test_modules_with_several_outputs_get_a_card_each() -> None:
    outputs = [card.output for card in call_cards("nn.LSTM(10, 20, num_layers=2)")]
    assert outputs == ["output", "h_n", "c_n"]
    assert [c.output for c in call_cards("nn.MaxPool2d(2, return_indices=True)")] == [
        "y",
        "indices",
    ]


def test_calls_inside_blocks_and_statements_are_found() -> None:
    block = "emb = nn.Embedding(1000, 64)\nout = emb(tokens)\ny = x.sum(dim=1, keepdim=True)\n"
    assert {card.source for card in call_cards(block)} == {
        "nn.Embedding(1000, 64)",
        "x.sum(dim=1, keepdim=True)",
    }


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_every_family_sample_plans_allowed_code(family: Family) -> None:
    for sample in family.samples:
        for seed in range(3):
            planned = plan(sample, seed)
            assert planned is not None, sample
            check_source("\n".join(planned.lines), mode="exec")
            for out in planned.outputs:
                check_source(out.expr, mode="eval")


def test_block_cards_only_from_blocks_that_can_run() -> None:
    cards = block_cards("t = torch.arange(4)\nprint('sum:', t.sum())\nt.shape\n")
    assert [(c.code, c.expr) for c in cards] == [
        ("t = torch.arange(4)", "t.sum()"),
        ("t = torch.arange(4)", "t.shape"),
    ]
    assert block_cards("print(model(x))") == []  # names it never defines
    assert block_cards("w = torch.load('w.pt')\nprint(w)") == []  # files
    assert block_cards("import os\nprint(os.getcwd())") == []
    assert block_cards("for i in range(3):\n  print(i") == []  # does not parse
