"""Call families for tensor functions and methods: indexing, joining, reduction, reshaping,
comparison, and einsum.

Results small enough to work out by hand are asked by value, on tensors written out in the
card's code; reshaping and joining are asked by shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod
from random import Random
from typing import Any

from cards.calls.family import Family, Output, Plan, Planner, Site, family, shape_outputs
from cards.calls.plans import is_int, literal_bools, literal_tensor, nest, tensor_plan, zeros
from cards.generators.sampling import args
from cards.topics import Topic

Shape = tuple[int, ...]


def _values(*names: str) -> tuple[Output, ...]:
    return tuple(Output(name, "value") for name in names)


def _dims(value: Any) -> tuple[int, ...] | None:
    """A dim argument (an int or a tuple/list of ints) as a tuple; None if it is neither."""
    items = (value,) if is_int(value) else value
    if not isinstance(items, tuple | list) or not all(is_int(v) for v in items):
        return None
    return tuple(items)


def _needed_ndim(dims: Sequence[int]) -> int:
    """The fewest dimensions in which every one of `dims` is valid."""
    return max((d + 1 if d >= 0 else -d for d in dims), default=0)


def _shape(rng: Random, ndim: int, lo: int = 2, hi: int = 3) -> Shape:
    return tuple(rng.randint(lo, hi) for _ in range(ndim))


def _dim_arg(site: Site, param: str = "dim") -> tuple[int, ...] | None:
    """The literal dims a call names (empty when it names none); None when unreadable."""
    if not site.bound.has(param) or site.bound.value(param) is None:
        return () if site.bound.is_literal(param) else None
    if not site.bound.is_literal(param):
        return None
    return _dims(site.bound.value(param))


def _reduce(*, floats: bool = False, bools: bool = False, pair: bool = False) -> Planner:
    """A reduction over literal small whole numbers; `pair` when, with a dim, torch
    returns (values, indices)."""

    def plan(site: Site, rng: Random) -> Plan | None:
        dims = _dim_arg(site)
        if dims is None:
            return None
        ndim = max(_needed_ndim(dims), rng.randint(1, 2))
        if ndim > 3:
            return None
        shape = _shape(rng, ndim)
        x = literal_bools(rng, shape) if bools else literal_tensor(rng, shape, floats=floats)
        outputs = _values("y.values", "y.indices") if pair and dims else _values("y")
        return tensor_plan(site, {"input": x}, outputs)

    return plan


def _index(rng: Random, shape: Shape, dim: int, *, distinct: bool) -> str:
    """A literal int64 index for gather/scatter along `dim` of `shape`: no larger than the
    input off `dim`, values inside `dim`; `distinct` along `dim` (scatter must not write
    one place twice)."""
    axis = dim % len(shape)
    along = shape[axis]
    sizes = [rng.randint(1, s) for s in shape]
    if distinct:
        sizes[axis] = rng.randint(1, along)
    outer = [s for k, s in enumerate(sizes) if k != axis]
    rows = []
    for _ in range(prod(outer)):
        if distinct:
            rows.append(rng.sample(range(along), sizes[axis]))
        else:
            rows.append([rng.randrange(along) for _ in range(sizes[axis])])
    # Lay the rows out with `dim` as the last axis, then move it back into place.
    flat: list[int] = [v for row in rows for v in row]
    order = [*outer, sizes[axis]]
    nested = nest(flat, order)
    code = f"torch.tensor({nested})"
    if axis != len(shape) - 1:
        code += f".movedim(-1, {axis})"
    return code


def _gather(*, distinct: bool = False) -> Planner:
    def plan(site: Site, rng: Random) -> Plan | None:
        dims = _dim_arg(site)
        if not dims or len(dims) != 1:
            return None
        shape = _shape(rng, max(_needed_ndim(dims), rng.randint(1, 2)), 2, 4)
        index = _index(rng, shape, dims[0], distinct=distinct)
        decls = {"input": literal_tensor(rng, shape), "index": index}
        decls["src"] = literal_tensor(rng, shape)
        return tensor_plan(site, decls, _values("y"))

    return plan


def _index_select(site: Site, rng: Random) -> Plan | None:
    dims = _dim_arg(site)
    if not dims or len(dims) != 1:
        return None
    shape = _shape(rng, max(_needed_ndim(dims), 2), 2, 4)
    along = shape[dims[0] % len(shape)]
    picks = [rng.randrange(along) for _ in range(rng.randint(1, 3))]
    decls = {"input": literal_tensor(rng, shape), "index": f"torch.tensor({picks})"}
    return tensor_plan(site, decls, _values("y"))


def _take(site: Site, rng: Random) -> Plan | None:
    shape = _shape(rng, rng.randint(1, 2), 2, 4)
    picks = [rng.randrange(prod(shape)) for _ in range(rng.randint(1, 4))]
    decls = {"input": literal_tensor(rng, shape), "index": f"torch.tensor({picks})"}
    return tensor_plan(site, decls, _values("y"))


def _masked(site: Site, rng: Random) -> Plan | None:
    """masked_fill / masked_select / where: a condition the shape of the input."""
    shape = _shape(rng, rng.randint(1, 2), 2, 3)
    mask = literal_bools(rng, shape)
    decls = {
        "input": literal_tensor(rng, shape),
        "other": literal_tensor(rng, shape),
        "mask": mask,
        "condition": mask,
    }
    return tensor_plan(site, decls, _values("y"))


def _nonzero(site: Site, rng: Random) -> Plan | None:
    shape = _shape(rng, rng.randint(1, 2), 2, 3)
    flat = [rng.choice((0, 0, rng.randint(1, 9))) for _ in range(prod(shape))]
    flat[rng.randrange(len(flat))] = rng.randint(1, 9)  # never all zeros: (0, n) prints oddly
    decls = {"input": f"torch.tensor({nest(flat, shape)})"}
    return tensor_plan(site, decls, _values("y"))


def _slice_along(site: Site, rng: Random) -> Plan | None:
    """narrow(dim, start, length) and select(dim, index): the axis is long enough."""
    dims = _dim_arg(site)
    start, length = site.bound.value("start", 0), site.bound.value("length", 1)
    if not dims or len(dims) != 1 or not is_int(start) or not is_int(length):
        return None
    if start < 0 or length < 0 or start + length > 6:
        return None
    shape = list(_shape(rng, max(_needed_ndim(dims), 2), 2, 3))
    axis = dims[0] % len(shape)
    shape[axis] = start + length + rng.randint(0, 2)
    return tensor_plan(site, {"input": literal_tensor(rng, shape)}, _values("y"))


def _joined(site: Site, rng: Random, *, stack: bool) -> Plan | None:
    """cat/stack and friends: tensors of one shape (cat may differ along `dim`)."""
    tensors = site.bound.args.get("tensors")
    dims = _dim_arg(site)
    if tensors is None or not tensors.items or dims is None or len(dims) > 1:
        return None
    dim = dims[0] if dims else 0
    name = site.source.split("(", 1)[0].rsplit(".", 1)[-1]
    least = {"hstack": 1, "vstack": 1, "row_stack": 1, "column_stack": 1, "dstack": 1}.get(name)
    ndim = max(least or 1, _needed_ndim((dim,)) - (1 if stack else 0), rng.randint(1, 3))
    base = list(_shape(rng, ndim, 2, 5))
    variables = {}
    for item in tensors.items:
        shape = list(base)
        if not stack and least is None:
            shape[dim % ndim] = rng.randint(1, 5)
        variables[item] = zeros(shape)
    return tensor_plan(site, {}, shape_outputs("y"), variables=variables)


def _cat(site: Site, rng: Random) -> Plan | None:
    return _joined(site, rng, stack=False)


def _stack(site: Site, rng: Random) -> Plan | None:
    return _joined(site, rng, stack=True)


def _sizes_arg(site: Site, param: str = "shape") -> tuple[int, ...] | None:
    """Sizes given as varargs (`view(2, 3)`) or as one sequence (`view((2, 3))`)."""
    extra = site.bound.extra
    if site.bound.has(param):
        if extra or not site.bound.is_literal(param):
            return None
        return _dims(site.bound.value(param))
    if len(extra) == 1 and isinstance(extra[0].value, tuple | list):
        return _dims(extra[0].value)
    if not all(arg.literal for arg in extra):
        return None
    return _dims(tuple(arg.value for arg in extra))


def _factor(rng: Random, n: int, ndim: int) -> Shape:
    """A random shape of `ndim` sizes whose product is n."""
    sizes = []
    for _ in range(ndim - 1):
        divisors = [d for d in range(1, n + 1) if n % d == 0]
        pick = rng.choice(divisors)
        sizes.append(pick)
        n //= pick
    return (*sizes, n)


def _view(site: Site, rng: Random) -> Plan | None:
    target = _sizes_arg(site)
    if not target or any(s == 0 or s < -1 for s in target) or target.count(-1) > 1:
        return None
    known = prod(s for s in target if s != -1)
    if known > 4096:
        return None
    n = known * (rng.randint(1, 4) if -1 in target else 1)
    x = f"torch.zeros({args(_factor(rng, n, rng.randint(1, 3)))})"
    return tensor_plan(site, {"input": x}, shape_outputs("y"))


def _permute(site: Site, rng: Random) -> Plan | None:
    order = _sizes_arg(site, "dims")
    if not order or sorted(d % len(order) for d in order) != list(range(len(order))):
        return None
    x = f"torch.zeros({args(_shape(rng, len(order), 2, 5))})"
    return tensor_plan(site, {"input": x}, shape_outputs("y"))


def _dims_valid(*params: str, extra: int = 0, lo: int = 1, hi: int = 3) -> Planner:
    """An op whose only constraint is that the named dim arguments are valid (`extra`
    more for ops that insert an axis, like unsqueeze)."""

    def plan(site: Site, rng: Random) -> Plan | None:
        dims: list[int] = []
        for param in params:
            found = _dim_arg(site, param)
            if found is None:
                return None
            dims += found
        ndim = max(_needed_ndim(dims) - extra, lo, rng.randint(lo, hi))
        if ndim > hi:
            return None
        shape = [rng.choice((1, 2, 3, 4)) if extra == 0 else rng.randint(2, 5) for _ in range(ndim)]
        x = zeros(shape)
        return tensor_plan(site, {"input": x}, shape_outputs("y"))

    return plan


def _unflatten(site: Site, rng: Random) -> Plan | None:
    dims = _dim_arg(site)
    sizes = _dims(site.bound.value("sizes"))
    if not dims or len(dims) != 1 or not sizes or any(s == 0 or s < -1 for s in sizes):
        return None
    if sizes.count(-1) > 1 or prod(s for s in sizes if s != -1) > 256:
        return None
    shape = list(_shape(rng, max(_needed_ndim(dims), rng.randint(1, 2)), 2, 4))
    shape[dims[0] % len(shape)] = prod(s for s in sizes if s != -1) * (
        rng.randint(1, 3) if -1 in sizes else 1
    )
    return tensor_plan(site, {"input": zeros(shape)}, shape_outputs("y"))


def _expand(site: Site, rng: Random) -> Plan | None:
    target = _sizes_arg(site, "size")
    if not target or any(s == 0 or s < -1 for s in target):
        return None
    ndim = rng.randint(1, len(target))
    if any(s == -1 for s in target[: len(target) - ndim]):
        ndim = len(target)
    shape = []
    for s in target[len(target) - ndim :]:
        shape.append(rng.randint(2, 4) if s == -1 else rng.choice((1, s)))
    return tensor_plan(site, {"input": zeros(shape)}, shape_outputs("y"))


def _repeat(site: Site, rng: Random) -> Plan | None:
    times = _sizes_arg(site, "dims" if "tile" in site.source else "repeats")
    if not times or any(t < 0 for t in times) or prod(times) > 256:
        return None
    shape = _shape(rng, rng.randint(1, len(times)), 1, 4)
    return tensor_plan(site, {"input": zeros(shape)}, shape_outputs("y"))


def _as_other(site: Site, rng: Random) -> Plan | None:
    """expand_as / view_as / reshape_as: the input made to fit `other`."""
    other = _shape(rng, rng.randint(1, 3), 2, 4)
    if "expand_as" in site.source:
        x = tuple(rng.choice((1, s)) for s in other)
    else:
        x = _factor(rng, prod(other), rng.randint(1, 3))
    decls = {"input": zeros(x), "other": zeros(other)}
    return tensor_plan(site, decls, shape_outputs("y"))


def _flip(site: Site, rng: Random) -> Plan | None:
    dims = _dim_arg(site, "dims")
    if dims is None:
        return None
    shape = _shape(rng, max(_needed_ndim(dims), rng.randint(1, 2)), 2, 3)
    return tensor_plan(site, {"input": literal_tensor(rng, shape)}, _values("y"))


def _compare(*, floats: bool = False, pair: bool = False) -> Planner:
    """Elementwise comparisons, sorting and top-k on small tensors with repeats, so that
    some comparisons are equal."""

    def plan(site: Site, rng: Random) -> Plan | None:
        dims = _dim_arg(site)
        k = site.bound.value("k", 1)
        if dims is None or not is_int(k) or k < 1:
            return None
        shape = list(_shape(rng, max(_needed_ndim(dims), rng.randint(1, 2)), 2, 3))
        if k > 1:
            axis = dims[0] % len(shape) if dims else len(shape) - 1
            shape[axis] = max(shape[axis], k + rng.randint(0, 1))
        suffix = "." if floats else ""

        def small() -> str:
            flat = [f"{rng.randint(0, 4)}{suffix}" for _ in range(prod(shape))]
            return f"torch.tensor({nest(flat, shape)})"

        x = literal_tensor(rng, shape, floats=floats) if pair else small()
        other = small()
        if "equal" in site.source and rng.random() < 0.5:
            other = x
        decls = {"input": x, "other": other, "elements": x, "test_elements": other}
        return tensor_plan(site, decls, _values("y.values", "y.indices") if pair else _values("y"))

    return plan


def _einsum(site: Site, rng: Random) -> Plan | None:
    equation = site.bound.value("equation")
    if not isinstance(equation, str) or "->" not in equation or "." in equation:
        return None
    inputs = equation.replace(" ", "").split("->")[0].split(",")
    operands = site.bound.extra
    names: tuple[str, ...]
    if len(operands) == 1 and operands[0].items:
        names = operands[0].items
    elif all(arg.name for arg in operands):
        names = tuple(str(arg.name) for arg in operands)
    else:
        return None
    if len(names) != len(inputs) or not all(term.isalpha() for term in inputs):
        return None
    letters = sorted(set("".join(inputs)))
    sizes = {letter: rng.randint(2, 5) for letter in letters}
    variables: dict[str, str] = {}
    for name, term in zip(names, inputs, strict=True):
        decl = f"torch.randn({args(tuple(sizes[c] for c in term))})"
        if variables.setdefault(name, decl) != decl:
            return None
    return tensor_plan(site, {}, shape_outputs("y"), variables=variables)


def _both(*names: str) -> tuple[str, ...]:
    """The torch function and the method of each name."""
    return tuple(key for name in names for key in (f"torch.{name}", f".{name}"))


_REDUCE = ("input", "dim", "keepdim", "dtype")

FAMILIES: tuple[Family, ...] = (
    # reduction
    family(
        "sum",
        Topic.REDUCTION,
        _both("sum", "prod", "nansum"),
        _REDUCE,
        _reduce(),
        "x.sum(dim=1, keepdim=True)",
        "torch.sum(x)",
        "x.prod(0)",
    ),
    family(
        "amax",
        Topic.REDUCTION,
        _both("amax", "amin", "argmax", "argmin", "count_nonzero"),
        ("input", "dim", "keepdim"),
        _reduce(),
        "x.argmax(dim=1)",
        "torch.amax(x, 0, True)",
    ),
    family(
        "mean",
        Topic.REDUCTION,
        _both("mean", "logsumexp", "nanmean"),
        _REDUCE,
        _reduce(floats=True),
        "x.mean(dim=0)",
        "x.mean(1, keepdim=True)",
    ),
    family(
        "std",
        Topic.REDUCTION,
        _both("std", "var"),
        ("input", "dim", "unbiased", "keepdim", "correction"),
        _reduce(floats=True),
        "x.std(dim=1)",
        "torch.var(x, 0, keepdim=True)",
    ),
    family(
        "norm",
        Topic.REDUCTION,
        _both("norm"),
        ("input", "p", "dim", "keepdim"),
        _reduce(floats=True),
        "x.norm(dim=1)",
        "torch.norm(x, p=1)",
    ),
    family(
        "max",
        Topic.REDUCTION,
        _both("max", "min", "median", "mode"),
        ("input", "dim", "keepdim"),
        _reduce(pair=True),
        "x.max(dim=1)",
        "torch.min(x)",
        "x.median(0, keepdim=True)",
    ),
    family(
        "all",
        Topic.REDUCTION,
        _both("all", "any"),
        ("input", "dim", "keepdim"),
        _reduce(bools=True),
        "x.all(dim=1)",
        "torch.any(x)",
    ),
    family(
        "cumsum",
        Topic.REDUCTION,
        _both("cumsum", "cumprod"),
        ("input", "dim", "dtype"),
        _reduce(),
        "x.cumsum(dim=0)",
        "torch.cumprod(x, 1)",
    ),
    # indexing
    family(
        "gather",
        Topic.INDEXING,
        _both("gather"),
        ("input", "dim", "index"),
        _gather(),
        "x.gather(1, idx)",
        "torch.gather(x, 0, index)",
    ),
    family(
        "scatter",
        Topic.INDEXING,
        _both("scatter", "scatter_add"),
        ("input", "dim", "index", "src", "value", "reduce"),
        _gather(distinct=True),
        "x.scatter(1, idx, src)",
        "torch.scatter(x, 0, index, value=-1)",
    ),
    family(
        "index_select",
        Topic.INDEXING,
        _both("index_select"),
        ("input", "dim", "index"),
        _index_select,
        "x.index_select(0, idx)",
    ),
    family("take", Topic.INDEXING, _both("take"), ("input", "index"), _take, "x.take(idx)"),
    family(
        "masked_fill",
        Topic.INDEXING,
        _both("masked_fill", "masked_select"),
        ("input", "mask", "value"),
        _masked,
        "x.masked_fill(mask, 0)",
        "x.masked_fill(x > 4, -1)",
        "torch.masked_select(x, mask)",
    ),
    family(
        "where",
        Topic.INDEXING,
        ("torch.where",),
        ("condition", "input", "other"),
        _masked,
        "torch.where(x > 3, x, 0)",
        "torch.where(mask, x, other)",
        "torch.where(cond)",
    ),
    family(
        "nonzero",
        Topic.INDEXING,
        _both("nonzero", "argwhere"),
        ("input", "as_tuple"),
        _nonzero,
        "x.nonzero()",
        "torch.nonzero(x, as_tuple=True)",
    ),
    family(
        "narrow",
        Topic.INDEXING,
        _both("narrow", "select"),
        ("input", "dim", "start", "length"),
        _slice_along,
        "x.narrow(1, 0, 2)",
        "x.select(0, 1)",
    ),
    # joining
    family(
        "cat",
        Topic.STACK_CAT,
        ("torch.cat", "torch.concat", "torch.concatenate"),
        ("tensors", "dim"),
        _cat,
        "torch.cat([a, b], dim=1)",
        "torch.cat((a, b, c))",
    ),
    family(
        "stack",
        Topic.STACK_CAT,
        (
            "torch.stack",
            "torch.hstack",
            "torch.vstack",
            "torch.dstack",
            "torch.column_stack",
            "torch.row_stack",
        ),
        ("tensors", "dim"),
        _stack,
        "torch.stack([a, b], dim=0)",
        "torch.hstack((a, b))",
        "torch.vstack([a, b])",
    ),
    # reshaping
    family(
        "view",
        Topic.RESHAPING,
        (".view", ".reshape"),
        ("input",),
        _view,
        "x.view(2, -1)",
        "x.reshape(4, 3)",
        "x.view(-1)",
        varargs=True,
    ),
    family(
        "torch.reshape",
        Topic.RESHAPING,
        ("torch.reshape",),
        ("input", "shape"),
        _view,
        "torch.reshape(x, (3, -1))",
    ),
    family(
        "permute",
        Topic.RESHAPING,
        (".permute",),
        ("input",),
        _permute,
        "x.permute(2, 0, 1)",
        varargs=True,
    ),
    family(
        "torch.permute",
        Topic.RESHAPING,
        ("torch.permute",),
        ("input", "dims"),
        _permute,
        "torch.permute(x, (1, 0))",
    ),
    family(
        "transpose",
        Topic.RESHAPING,
        _both("transpose", "swapaxes", "swapdims"),
        ("input", "dim0", "dim1"),
        _dims_valid("dim0", "dim1"),
        "x.transpose(0, 1)",
        "torch.transpose(x, 1, 2)",
    ),
    family(
        "movedim",
        Topic.RESHAPING,
        _both("movedim", "moveaxis"),
        ("input", "source", "destination"),
        _dims_valid("source", "destination"),
        "x.movedim(0, -1)",
    ),
    family("t", Topic.RESHAPING, _both("t"), ("input",), _dims_valid(hi=2), "x.t()"),
    family(
        "flatten",
        Topic.RESHAPING,
        _both("flatten"),
        ("input", "start_dim", "end_dim"),
        _dims_valid("start_dim", "end_dim"),
        "x.flatten()",
        "x.flatten(1)",
        "torch.flatten(x, start_dim=0, end_dim=1)",
    ),
    family(
        "squeeze",
        Topic.RESHAPING,
        _both("squeeze"),
        ("input", "dim"),
        _dims_valid("dim"),
        "x.squeeze()",
        "x.squeeze(1)",
    ),
    family(
        "unsqueeze",
        Topic.RESHAPING,
        _both("unsqueeze"),
        ("input", "dim"),
        _dims_valid("dim", extra=1, lo=0, hi=3),
        "x.unsqueeze(0)",
        "x.unsqueeze(-1)",
    ),
    family(
        "unflatten",
        Topic.RESHAPING,
        _both("unflatten"),
        ("input", "dim", "sizes"),
        _unflatten,
        "x.unflatten(1, (2, -1))",
    ),
    family(
        "expand",
        Topic.RESHAPING,
        (".expand",),
        ("input",),
        _expand,
        "x.expand(3, 4)",
        "x.expand(2, -1, 5)",
        varargs=True,
    ),
    family(
        "repeat",
        Topic.RESHAPING,
        (".repeat",),
        ("input",),
        _repeat,
        "x.repeat(3, 1)",
        "x.repeat(2, 2, 2)",
        varargs=True,
    ),
    family("tile", Topic.RESHAPING, _both("tile"), ("input", "dims"), _repeat, "x.tile((2, 1))"),
    family(
        "expand_as",
        Topic.RESHAPING,
        (".expand_as", ".view_as", ".reshape_as"),
        ("input", "other"),
        _as_other,
        "x.expand_as(y)",
        "x.view_as(other)",
    ),
    family(
        "flip",
        Topic.RESHAPING,
        _both("flip", "fliplr", "flipud"),
        ("input", "dims"),
        _flip,
        "x.flip(0)",
        "torch.flip(x, (0, 1))",
    ),
    # comparison
    family(
        "eq",
        Topic.COMPARISON,
        _both("eq", "ne", "lt", "le", "gt", "ge", "maximum", "minimum", "equal"),
        ("input", "other"),
        _compare(),
        "x.eq(y)",
        "torch.gt(x, 2)",
        "torch.equal(a, b)",
        "torch.maximum(x, y)",
    ),
    family(
        "isclose",
        Topic.COMPARISON,
        _both("isclose", "allclose"),
        ("input", "other", "rtol", "atol", "equal_nan"),
        _compare(floats=True),
        "torch.allclose(a, b)",
        "x.isclose(y, atol=1.0)",
    ),
    family(
        "isin",
        Topic.COMPARISON,
        ("torch.isin",),
        ("elements", "test_elements"),
        _compare(),
        "torch.isin(x, y)",
    ),
    family(
        "sort",
        Topic.COMPARISON,
        _both("sort"),
        ("input", "dim", "descending", "stable"),
        _compare(pair=True),
        "x.sort(dim=1)",
        "torch.sort(x, descending=True)",
    ),
    family(
        "topk",
        Topic.COMPARISON,
        _both("topk"),
        ("input", "k", "dim", "largest", "sorted"),
        _compare(pair=True),
        "x.topk(2)",
    ),
    family(
        "argsort",
        Topic.COMPARISON,
        _both("argsort"),
        ("input", "dim", "descending"),
        _compare(),
        "x.argsort(dim=1)",
    ),
    family(
        "einsum",
        Topic.EINSUM,
        ("torch.einsum",),
        ("equation",),
        _einsum,
        "torch.einsum('bij,bjk->bik', a, b)",
        "torch.einsum('ij->ji', x)",
        "torch.einsum('i,i->', u, v)",
        varargs=True,
    ),
)
