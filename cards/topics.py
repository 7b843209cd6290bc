"""The fixed topic vocabulary, and recognising those topics in a learner's notes.

Topic names (every card and generator is tagged with some of these):

=================  ==================================================================
creation           making tensors: from a list, an ndarray-like nested list, factories
shape              `ndim`, `shape`, `size()`
view               `Tensor.view`
reshape            `Tensor.reshape`
contiguous         `contiguous()`, `is_contiguous()`, memory layout
transpose          `t()`, `transpose`, `permute`
squeeze            `squeeze`
unsqueeze          `unsqueeze`
dot                `torch.dot`
mm                 `torch.mm`
matmul             `torch.matmul` / `@`
bmm                `torch.bmm`
broadcasting       broadcasting rules
stack_cat          `torch.stack` vs `torch.cat`
softmax            `F.softmax`
one_hot            `F.one_hot`
cross_entropy      `F.cross_entropy` and loss functions
nn.functional      family tag, added whenever softmax, one_hot or cross_entropy is
autograd           requires_grad, backward, `.grad`, no_grad
graph_types        define-and-run (static) vs define-by-run (dynamic) graphs
misconception      a note states something torch contradicts (e.g. "reshape copies")
conv               convolution layers (`nn.Conv2d`, `F.conv2d`, …)
pooling            pooling layers (`nn.MaxPool2d`, `F.max_pool2d`, adaptive pools, …)
recurrent          `nn.RNN`, `nn.LSTM`, `nn.GRU` and their cells
attention          `nn.MultiheadAttention`, transformer layers, scaled dot-product attention
embedding          `nn.Embedding`, `nn.EmbeddingBag`
normalization      batch, layer, group, instance and RMS norms
linear             `nn.Linear`, `nn.Bilinear`, `F.linear`
dropout            the dropout layers
indexing           gather, scatter, index_select, masked_fill, where, boolean and fancy indexing
reduction          sum, mean, max, argmax, … over dims, `keepdim`
reshaping          flatten, permute, expand, repeat, … (beyond view/reshape/squeeze)
comparison         eq/gt/…, equal, allclose, sort, topk
einsum             `torch.einsum`
expand_repeat      `expand` (a view) vs `repeat` (a copy)
division           `/`, `//`, `torch.div` rounding modes, integer division
type_promotion     the dtype of mixed-dtype arithmetic
numpy              `torch.from_numpy` (shares memory) vs `torch.tensor` (copies)
inplace            in-place ops (`add_`, `mul_`, `zero_`, `copy_`, `masked_fill_`)
dataloader         `DataLoader` batches, `drop_last`
state_dict         `state_dict()` keys
training_loop      `zero_grad`, gradient accumulation
parameters         `parameters()` and counting them
hooks              forward hooks
=================  ==================================================================

Detection works on markdown-it tokens, one chunk of text at a time (a paragraph, a code
span, a code block, an HTML block's text), never with patterns over the whole document.
Keywords match on word-ish boundaries, so "mm" does not fire inside "comment". Common
English words ("view", "dot", "loss", …) are *weak*: in prose they count only when the same
paragraph also talks about tensors (tensor, torch, 행렬, 차원, …); in code they always count.
Korean keywords match as substrings, because particles attach to them ("자동미분은").
Korean words with an everyday second meaning ("내적", "전치", "미분") are weak too.
A space inside a keyword stands for any run of spaces, hyphens or underscores, so
"one hot" matches "one-hot", "one_hot" and "onehot", and "자동 미분" matches "자동미분".

Each keyword's regex states what it matches; `_WordFinder` finds the same matches for all
keywords at once, far faster than searching with each regex in turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Generic, TypeVar

from markdown_it.token import Token

from cards.mdparse import Chunk, chunks, chunks_in
from journal.model import Entry


class Topic(StrEnum):
    """A topic of the fixed vocabulary (see the table above)."""

    CREATION = "creation"
    SHAPE = "shape"
    VIEW = "view"
    RESHAPE = "reshape"
    CONTIGUOUS = "contiguous"
    TRANSPOSE = "transpose"
    SQUEEZE = "squeeze"
    UNSQUEEZE = "unsqueeze"
    DOT = "dot"
    MM = "mm"
    MATMUL = "matmul"
    BMM = "bmm"
    BROADCASTING = "broadcasting"
    STACK_CAT = "stack_cat"
    SOFTMAX = "softmax"
    ONE_HOT = "one_hot"
    CROSS_ENTROPY = "cross_entropy"
    NN_FUNCTIONAL = "nn.functional"
    AUTOGRAD = "autograd"
    GRAPH_TYPES = "graph_types"
    MISCONCEPTION = "misconception"
    CONV = "conv"
    POOLING = "pooling"
    RECURRENT = "recurrent"
    ATTENTION = "attention"
    EMBEDDING = "embedding"
    NORMALIZATION = "normalization"
    LINEAR = "linear"
    DROPOUT = "dropout"
    INDEXING = "indexing"
    REDUCTION = "reduction"
    RESHAPING = "reshaping"
    COMPARISON = "comparison"
    EINSUM = "einsum"
    EXPAND_REPEAT = "expand_repeat"
    DIVISION = "division"
    TYPE_PROMOTION = "type_promotion"
    NUMPY = "numpy"
    INPLACE = "inplace"
    DATALOADER = "dataloader"
    STATE_DICT = "state_dict"
    TRAINING_LOOP = "training_loop"
    PARAMETERS = "parameters"
    HOOKS = "hooks"


TOPICS: Final[tuple[Topic, ...]] = tuple(Topic)

# The three functions the notes file under nn.functional carry the family tag with them.
_FUNCTIONAL_MEMBERS: Final = frozenset({Topic.SOFTMAX, Topic.ONE_HOT, Topic.CROSS_ENTROPY})

_WORD = "A-Za-z0-9_"
_SEPARATOR = r"[\s_\-]*"  # what a space inside a keyword matches


def _pattern(word: str) -> str:
    """A regex for one keyword: spaces become optional separators, ASCII ends get boundaries,
    and an English word may take a plural "s"/"es"."""
    body = _SEPARATOR.join(re.escape(part) for part in word.split(" "))
    if word[0].isascii() and (word[0].isalnum() or word[0] == "_"):
        body = rf"(?<![{_WORD}]){body}"
    if word[-1].isascii() and word[-1].isalpha():
        body = rf"{body}(?:e?s)?(?![{_WORD}])"
    elif word[-1].isascii() and (word[-1].isdigit() or word[-1] == "_"):
        body = rf"{body}(?![{_WORD}])"
    return body


def _compile(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(_pattern(w) for w in words), re.IGNORECASE)


# The non-ASCII letters `re.IGNORECASE` treats as ASCII ones (İ and ı as "i", ſ as "s", the
# Kelvin sign as "k"); `str.lower` alone leaves ı and ſ alone and turns İ into two characters.
_ODD_CASE: Final = re.compile("[\u0130\u0131\u017f\u212a]")
_FOLD: Final = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _fold(text: str) -> str:
    """`text` in lower case, one character for one, so that wherever an IGNORECASE keyword
    pattern matches `text`, the keyword's folded letters appear at the same position of
    `_fold(text)`."""
    if _ODD_CASE.search(text) is None:
        return text.lower()  # the common case, and much cheaper than translate
    return text.translate(_FOLD).lower()


def _letters(word: str) -> list[str]:
    """`word`'s folded letters as regex pieces, spaces as separator runs: its pattern
    without boundaries and plural ending, so they match at least wherever the pattern
    starts."""
    pieces: list[str] = []
    for k, part in enumerate(_fold(word).split(" ")):
        if k:
            pieces.append(_SEPARATOR)
        pieces.extend(re.escape(char) for char in part)
    return pieces


_Tree = dict[str, "_Tree"]


def _starts_pattern(words: Iterable[str]) -> str:
    """A case-sensitive regex that matches, in folded text, wherever one of `words` might
    start.

    The words' letters are stored as a prefix tree and written out with shared prefixes
    factored ("b(?:mm|roadcast)"), so `re` tests each next letter once instead of once per
    word; a branch stops where a shorter word ends, since the place is then a candidate
    whatever follows."""
    tree: _Tree = {}
    for word in words:
        node = tree
        for piece in _letters(word):
            node = node.setdefault(piece, {})
        node[""] = {}
    return _branches(tree)


def _branches(node: _Tree) -> str:
    """The regex for the words below `node` of a prefix tree (see `_starts_pattern`)."""
    if "" in node:
        return ""  # a word ends here
    alternatives = [piece + _branches(child) for piece, child in node.items()]
    return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"


def _lead(word: str) -> str:
    """The folded text every match of `word` starts with: its first two letters, or just
    the first when a separator may follow it ("원 핫")."""
    return _fold(word.split(" ")[0])[:2]


_T = TypeVar("_T")


class _WordFinder(Generic[_T]):
    """Finds which of many keyword words occur in a text, each standing for some value.

    One IGNORECASE pattern per word (or one alternation of all of them) makes `re` try
    every word at every position of the text, which is what made detection slow. Instead,
    one case-sensitive pattern of the words' folded letters (`_starts_pattern`), which `re`
    scans quickly, finds the few places where some word might start; only there, and only
    for values with a word starting with the letters found there, is the value's own
    pattern tried. Those patterns decide, so the answer is the same as searching the text
    with each of them. (This relies on `_fold`, and on keyword letters being ASCII or
    caseless; tests/cards/test_topic_matching.py checks both.)
    """

    def __init__(self, entries: Iterable[tuple[_T, Sequence[str], re.Pattern[str]]]) -> None:
        """`entries`: each value with its words and a pattern (IGNORECASE) that matches
        exactly where one of those words does."""
        listed = list(entries)
        self._starts = re.compile(_starts_pattern(w for _, words, _ in listed for w in words))
        self._values = [value for value, _, _ in listed]
        # Each value's pattern (by index) under the lead of each of its words.
        self._by_lead: dict[str, list[tuple[re.Pattern[str], int]]] = {}
        for index, (_, words, pattern) in enumerate(listed):
            for lead in dict.fromkeys(_lead(word) for word in words):
                self._by_lead.setdefault(lead, []).append((pattern, index))

    def find(self, text: str, folded: str, *, first: bool = False) -> list[_T]:
        """The distinct values of the words found in `text`, in the order first found; with
        `first`, only the first. `folded` must be `_fold(text)`."""
        found: dict[int, _T] = {}
        start = self._starts.search(folded)
        while start is not None:
            at = start.start()
            # Words are filed under two letters, or one if a separator may follow it.
            for lead in (folded[at : at + 2], folded[at]):
                for pattern, index in self._by_lead.get(lead, ()):
                    # `match` at `at` still sees the text before it, so boundaries hold.
                    if index not in found and pattern.match(text, at):
                        found[index] = self._values[index]
                        if first:
                            return list(found.values())
            # Step one character, not past the match: words may overlap ("배치 행렬곱" holds
            # "행렬곱") and each must be found.
            start = self._starts.search(folded, at + 1)
        return list(found.values())


@dataclass(frozen=True)
class Keyword:
    """A pattern that signals some topics. `weak` patterns are everyday English, trusted in
    prose only beside tensor context; `code_only` patterns count only inside code.

    `words` are the keyword words `regex` was built from (`regex` matches where any of them
    does); detection searches for them all at once. A keyword without words is searched
    with its own `regex`."""

    regex: re.Pattern[str]
    topics: frozenset[Topic]
    weak: bool = False
    code_only: bool = False
    words: tuple[str, ...] = ()


def _kw(topics: Topic | tuple[Topic, ...], *words: str, weak: bool = False) -> Keyword:
    names = (topics,) if isinstance(topics, Topic) else topics
    return Keyword(regex=_compile(words), topics=frozenset(names), weak=weak, words=words)


KEYWORDS: Final[tuple[Keyword, ...]] = (
    _kw(Topic.CREATION, "ndarray", "from_numpy", "as_tensor", "torch.tensor"),
    _kw(Topic.CREATION, "List로", "리스트로", weak=True),
    _kw(Topic.CREATION, "torch.zeros", "torch.ones", "torch.arange", "torch.full", "torch.rand"),
    _kw(Topic.CREATION, "torch.randn", "tensor creation", "create a tensor", "텐서 생성"),
    _kw(Topic.CREATION, "tensor를 만", "텐서를 만", "텐서 만들"),
    _kw(Topic.SHAPE, "ndim", ".dim()", ".size()", "차원 수", "차원의 수"),
    _kw(Topic.SHAPE, "shape", weak=True),
    _kw(Topic.VIEW, "view", weak=True),
    _kw(Topic.RESHAPE, "reshape"),
    _kw(Topic.CONTIGUOUS, "contiguous", "contiguity", "is_contiguous"),
    _kw(Topic.TRANSPOSE, "transpose", "permute", "swapaxes"),
    # "전치" is also the start of 전치사 (preposition).
    _kw(Topic.TRANSPOSE, ".t()", ".T", "전치", weak=True),
    _kw(Topic.SQUEEZE, "squeeze", weak=True),
    _kw(Topic.UNSQUEEZE, "unsqueeze"),
    _kw(Topic.DOT, "dot product"),
    # "내적" also means "inner" as in 내적 동기 (intrinsic motivation).
    _kw(Topic.DOT, "dot", "내적", weak=True),
    _kw(Topic.MM, "mm", weak=True),
    _kw(Topic.MATMUL, "matmul", "행렬곱"),
    # `a @ b`, but not a decorator: the operator follows an operand.
    Keyword(re.compile(r"[\w)\]][ \t]*@"), frozenset({Topic.MATMUL}), code_only=True),
    _kw(Topic.BMM, "bmm", "batch matrix multiplication", "배치 행렬곱"),
    _kw(Topic.BROADCASTING, "broadcasting", "브로드캐스팅", "브로드캐스트", "expand_as"),
    _kw(Topic.BROADCASTING, "broadcast", weak=True),
    _kw(Topic.STACK_CAT, "hstack", "vstack", "concatenate", "이어붙"),
    _kw(Topic.STACK_CAT, "stack", "cat", "concat", weak=True),
    _kw(Topic.SOFTMAX, "softmax", "log_softmax", "소프트맥스"),
    _kw(Topic.ONE_HOT, "one hot", "원 핫"),
    _kw(Topic.CROSS_ENTROPY, "cross entropy", "CrossEntropyLoss", "nll_loss", "NLLLoss"),
    _kw(Topic.CROSS_ENTROPY, "교차 엔트로피", "손실 함수", "loss function"),
    _kw(Topic.CROSS_ENTROPY, "loss", weak=True),
    _kw(Topic.NN_FUNCTIONAL, "nn.functional"),
    _kw(Topic.AUTOGRAD, "autograd", "자동 미분", "requires_grad", "no_grad", "역전파", "backprop"),
    _kw(Topic.AUTOGRAD, "backpropagation", "nn.Parameter", "is_leaf", "zero_grad"),
    _kw(Topic.AUTOGRAD, "backward", "gradient", "grad", "기울기", "미분", weak=True),
    _kw((Topic.AUTOGRAD, Topic.GRAPH_TYPES), "grad_fn"),
    _kw(
        Topic.GRAPH_TYPES, "computational graph", "computation graph", "연산 그래프", "계산 그래프"
    ),
    _kw(Topic.GRAPH_TYPES, "static graph", "dynamic graph", "정적 그래프", "동적 그래프"),
    _kw(Topic.GRAPH_TYPES, "define and run", "define by run", "dynamic computational graph"),
    _kw(Topic.GRAPH_TYPES, "symbolic_trace", "torch.fx", "sess.run", "eager execution"),
    _kw(Topic.CONV, "conv1d", "conv2d", "conv3d", "convtranspose2d", "convolution", "CNN"),
    _kw(Topic.CONV, "합성곱", "컨볼루션", "컨벌루션"),
    _kw(Topic.POOLING, "max_pool", "maxpool", "avg_pool", "avgpool", "pooling", "풀링"),
    _kw(Topic.RECURRENT, "LSTM", "GRU", "RNN", "recurrent", "순환 신경망", "hidden state"),
    _kw(Topic.ATTENTION, "attention", "MultiheadAttention", "transformer", "어텐션", "트랜스포머"),
    _kw(Topic.EMBEDDING, "embedding", "임베딩"),
    _kw(Topic.NORMALIZATION, "BatchNorm", "LayerNorm", "GroupNorm", "batch normalization"),
    _kw(Topic.NORMALIZATION, "layer normalization", "배치 정규화", "층 정규화"),
    _kw(Topic.LINEAR, "nn.Linear", "fully connected", "선형 레이어", "선형 층"),
    _kw(Topic.DROPOUT, "dropout", "드롭아웃"),
    _kw(Topic.INDEXING, "gather", "scatter", "index_select", "masked_fill", "masked_select"),
    _kw(Topic.INDEXING, "torch.where", "boolean indexing", "fancy indexing", "boolean mask"),
    _kw(Topic.INDEXING, "불리언 인덱싱", "팬시 인덱싱", "마스킹"),
    _kw(Topic.REDUCTION, "keepdim", "argmax", "argmin", "logsumexp", "reduction"),
    _kw(Topic.RESHAPING, "flatten", "unflatten", "movedim"),
    _kw(Topic.COMPARISON, "torch.equal", "allclose", "isclose", "topk", "argsort"),
    _kw(Topic.EINSUM, "einsum", "아인슈타인 표기"),
    _kw(Topic.EXPAND_REPEAT, ".expand(", ".repeat(", "expand와 repeat", "expand vs repeat"),
    _kw(Topic.EXPAND_REPEAT, "expand", "repeat", weak=True),
    _kw(Topic.DIVISION, "rounding_mode", "floor_divide", "true_divide", "torch.div", "//"),
    _kw(Topic.DIVISION, "integer division", "floor division", "정수 나눗셈", "나눗셈", "몫"),
    _kw(Topic.DIVISION, "division", "divide", weak=True),
    _kw(Topic.TYPE_PROMOTION, "type promotion", "promote_types", "result_type", "타입 승격"),
    _kw(Topic.TYPE_PROMOTION, "자료형 승격", "형 변환", "dtype promotion"),
    _kw(Topic.NUMPY, "from_numpy", ".numpy()", "np.array", "넘파이 배열", "메모리를 공유"),
    _kw(Topic.NUMPY, "shares memory", "share memory", "메모리 공유"),
    _kw(Topic.INPLACE, "in place", "add_", "mul_", "sub_", "zero_", "copy_", "masked_fill_"),
    _kw(Topic.INPLACE, "fill_", "clamp_", "인플레이스", "제자리 연산"),
    _kw(Topic.DATALOADER, "DataLoader", "drop_last", "데이터로더", "데이터 로더", "TensorDataset"),
    _kw(Topic.STATE_DICT, "state_dict", "load_state_dict"),
    _kw(Topic.TRAINING_LOOP, "zero_grad", "gradient accumulation", "accumulate gradients"),
    _kw(Topic.TRAINING_LOOP, "기울기 누적", "그래디언트 누적", "optimizer.step"),
    _kw(Topic.PARAMETERS, "parameters()", "named_parameters", "numel", "number of parameters"),
    _kw(Topic.PARAMETERS, "parameter count", "파라미터 수", "파라미터 개수", "매개변수 개수"),
    _kw(Topic.HOOKS, "register_forward_hook", "forward hook", "훅"),
    _kw(Topic.HOOKS, "hook", weak=True),
)

# Words that make a prose paragraph about tensors, so weak keywords in it can be trusted.
_CONTEXT_WORDS: Final[tuple[str, ...]] = (
    "torch",
    "pytorch",
    "tensor",
    "numpy",
    "ndarray",
    "matrix",
    "matrices",
    "vector",
    "dimension",
    "dtype",
    "텐서",
    "파이토치",
    "넘파이",
    "행렬",
    "벡터",
    "차원",
    "배열",
    "nn.",
)
_CONTEXT: Final = _WordFinder([(True, _CONTEXT_WORDS, _compile(_CONTEXT_WORDS))])

# The misconception "reshape copies": both words in one paragraph, close together, and no
# hedge that shows the learner knows it copies only sometimes.
_RESHAPE = _compile(("reshape",))
_COPIES = _compile(("copy", "copies", "copied", "copying", "복사", "복제"))
_HEDGES = _compile(
    (
        "not",
        "doesn't",
        "don't",
        "isn't",
        "never",
        "only when",
        "only if",
        "if possible",
        "when possible",
        "if needed",
        "when needed",
        "unless",
        "않",
        "가능하면",
        "가능한 경우",
        "필요할 때",
        "필요한 경우",
    )
)
_NEAR: Final = 80


def _claims_reshape_copies(text: str) -> bool:
    """Whether prose `text` states that reshape copies (see `_RESHAPE` above)."""
    copies = list(_COPIES.finditer(text))  # searched once, paired with every "reshape"
    if not copies:
        return False
    for r in _RESHAPE.finditer(text):
        for c in copies:
            lo, hi = min(r.start(), c.start()), max(r.end(), c.end())
            # A hedge right around the claim ("copies only when …", "복사하지 않") means the
            # learner knows better.
            if hi - lo <= _NEAR and not _HEDGES.search(text, max(0, lo - 20), hi + 40):
                return True
    return False


# Detection runs every keyword that has words through one finder; the few given as a bare
# pattern are searched on their own. Prose skips the code-only keywords.
_PROSE_WORDS: Final = _WordFinder(
    (k, k.words, k.regex) for k in KEYWORDS if k.words and not k.code_only
)
_CODE_WORDS: Final = _WordFinder((k, k.words, k.regex) for k in KEYWORDS if k.words)
_PROSE_PATTERNS: Final = tuple(k for k in KEYWORDS if not k.words and not k.code_only)
_CODE_PATTERNS: Final = tuple(k for k in KEYWORDS if not k.words)


def _keywords_in(chunk: Chunk, folded: str) -> list[Keyword]:
    """Every keyword for this kind of chunk whose pattern matches its text, weak or not.
    `folded` is `_fold(chunk.text)`."""
    if chunk.code:
        found = _CODE_WORDS.find(chunk.text, folded)
        found += (k for k in _CODE_PATTERNS if k.regex.search(chunk.text))
    else:
        found = _PROSE_WORDS.find(chunk.text, folded)
        found += (k for k in _PROSE_PATTERNS if k.regex.search(chunk.text))
    return found


def _chunk_topics(chunk: Chunk) -> set[Topic]:
    """The topics one chunk shows (without the nn.functional family tag)."""
    folded = _fold(chunk.text)
    strong: set[Topic] = set()
    weak: set[Topic] = set()
    for keyword in _keywords_in(chunk, folded):
        (weak if keyword.weak else strong).update(keyword.topics)
    # Context decides only whether weak keywords count, so it is looked for only when they
    # would add something.
    if weak - strong and (chunk.code or _CONTEXT.find(chunk.text, folded, first=True)):
        strong |= weak
    # `_RESHAPE` can only match where the folded text spells "reshape".
    if not chunk.code and "reshape" in folded and _claims_reshape_copies(chunk.text):
        strong |= {Topic.MISCONCEPTION, Topic.RESHAPE}
    return strong


def _with_family(found: set[Topic]) -> frozenset[Topic]:
    if found & _FUNCTIONAL_MEMBERS:
        found.add(Topic.NN_FUNCTIONAL)
    return frozenset(found)


def topics_in_chunks(parts: Iterable[Chunk]) -> frozenset[Topic]:
    """The topics found in some chunks of text (see the module docstring for the rules)."""
    found: set[Topic] = set()
    for chunk in parts:
        found |= _chunk_topics(chunk)
    return _with_family(found)


def topics_in_tokens(block_tokens: Iterable[Token]) -> frozenset[Topic]:
    """The topics in some parsed markdown (`cards.mdparse.tokens`), as `topics_in_markdown`
    finds them; lets one parse of a note serve every reader."""
    return topics_in_chunks(chunks_in(block_tokens))


def topics_in_markdown(markdown: str) -> frozenset[Topic]:
    """The topics a markdown note talks about, in its prose, code spans and code blocks."""
    return topics_in_chunks(chunks(markdown))


def topics_in_code(code: str) -> frozenset[Topic]:
    """The topics a piece of Python code touches (every keyword counts in code)."""
    return topics_in_chunks((Chunk(code, code=True),))


def detect_topics(entry: Entry) -> frozenset[Topic]:
    """The topics an entry talks about, from its verbatim markdown."""
    return topics_in_markdown(entry.markdown)
