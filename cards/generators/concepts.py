"""Recall and choice cards for points that running code cannot show (mostly graph types)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from cards.model import Kind
from cards.prompts import Prompt
from cards.topics import Topic


@dataclass(frozen=True)
class ConceptCard:
    """A fixed question. For a choice card `choices[0]` is the right answer as written here;
    `build` shuffles the order shown. `aliases` (by choice) are more ways to name a choice
    than the parts of its text."""

    id: str
    topics: tuple[Topic, ...]
    kind: Kind
    front: str
    back: str
    choices: tuple[str, ...] = ()
    aliases: tuple[tuple[str, ...], ...] = ()

    def build(self, seed: int) -> Prompt:
        """The card as shown for `seed` (choices shuffled; recall cards do not vary)."""
        if self.kind is not Kind.CHOICE:
            return Prompt(kind=self.kind, front=self.front, back=self.back)
        aliases = self.aliases or ((),) * len(self.choices)
        order = list(range(len(self.choices)))
        random.Random(seed).shuffle(order)
        return Prompt(
            kind=self.kind,
            front=self.front,
            back=self.back,
            choices=tuple(self.choices[i] for i in order),
            answer=order.index(0),
            aliases=tuple(aliases[i] for i in order),
        )


_STATIC = "define-and-run (static graph, 정적 그래프)"
_DYNAMIC = "define-by-run (dynamic graph, 동적 그래프)"


_ALIASES = {
    _STATIC: ("static", "정적", "define and run", "정적 계산 그래프", "static computational graph"),
    _DYNAMIC: (
        "dynamic",
        "동적",
        "eager",
        "define by run",
        "동적 계산 그래프",
        "dynamic computational graph",
    ),
}


def _which_style(card_id: str, front: str, right: str, back: str) -> ConceptCard:
    wrong = _DYNAMIC if right == _STATIC else _STATIC
    return ConceptCard(
        card_id,
        (Topic.GRAPH_TYPES,),
        Kind.CHOICE,
        front,
        back,
        (right, wrong),
        (_ALIASES[right], _ALIASES[wrong]),
    )


CONCEPTS: tuple[ConceptCard, ...] = (
    _which_style(
        "concept.graph.production",
        "Which graph style is easier to port to C++ and to ship to production? "
        "(C++ 포팅, Production에 유리한 방식은?)",
        _STATIC,
        "The whole graph exists before any data flows, so it can be saved, optimised and "
        "run without Python (e.g. exported to C++ or ONNX).",
    ),
    _which_style(
        "concept.graph.inspect",
        "Which graph style lets you inspect intermediate values while it runs? "
        "(실행 중 즉시 내부 값을 확인 가능한 방식은?)",
        _DYNAMIC,
        "The graph is built as each line runs, so every intermediate tensor is a real value "
        "you can print or step through in a debugger; there is no separate sess.run.",
    ),
    _which_style(
        "concept.graph.pytorch",
        "Which graph style does PyTorch use by default (eager mode)?",
        _DYNAMIC,
        "Every op records its grad_fn as it runs; torch.fx / torch.compile can capture a "
        "static graph when you ask for one.",
    ),
    ConceptCard(
        "concept.graph.define_and_run",
        (Topic.GRAPH_TYPES,),
        Kind.RECALL,
        "Define and Run (정적 그래프): in what order do the graph and the data meet?",
        "The graph is defined first; data is fed in afterwards, at run time "
        "(e.g. TensorFlow 1's sess.run).",
    ),
    ConceptCard(
        "concept.graph.define_by_run",
        (Topic.GRAPH_TYPES,),
        Kind.RECALL,
        "Define by Run (동적 그래프): when is the graph built?",
        "While the code runs: each op adds a node as it executes, so Python control flow can "
        "build a different graph for every input.",
    ),
    ConceptCard(
        "concept.reshape.copy",
        (Topic.RESHAPE, Topic.VIEW, Topic.CONTIGUOUS, Topic.MISCONCEPTION),
        Kind.RECALL,
        "Does reshape copy the data? (reshape은 값을 복사할까?)",
        "Only when it must. reshape returns a view, like view, whenever the memory layout "
        "allows it; it copies only when no view can express the result (e.g. after a "
        "transpose). view never copies: it raises instead.",
    ),
    ConceptCard(
        "concept.products.broadcast",
        (Topic.DOT, Topic.MM, Topic.MATMUL, Topic.BROADCASTING),
        Kind.CHOICE,
        "Which of these broadcasts batch dimensions? (broadcasting 지원)",
        "torch.matmul broadcasts batch axes (handy, but it can hide shape mistakes); "
        "torch.mm takes exactly two matrices and torch.dot two 1-D vectors.",
        ("torch.matmul", "torch.mm", "torch.dot"),
    ),
)
