"""Call families for torch.nn layers and their torch.nn.functional counterparts: conv,
pooling, recurrent, transformer/attention, embedding, normalization, linear, dropout.

A layer card builds the learner's module as written and feeds it a random input of a
fitting shape; only shapes are asked, so the random values never matter.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random

from cards.calls.family import Family, Plan, Planner, Site, family, shape_outputs
from cards.calls.plans import fits, is_int, module_plan, per_dim, randn, size, tensor_plan
from cards.topics import Topic

_CONV = ("stride", "padding", "dilation", "groups", "bias", "padding_mode", "device", "dtype")
_CONV_T = ("stride", "padding", "output_padding", "groups", "bias", "dilation", "padding_mode")


def _reach(kernel: tuple[int, ...], dilation: tuple[int, ...]) -> tuple[int, ...]:
    """How far each kernel reaches: the smallest input size it fits in, unpadded."""
    return tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation, strict=True))


def _spatial(rng: Random, least: tuple[int, ...]) -> tuple[int, ...]:
    """Input sizes at least `least`, a little larger by the seed."""
    return tuple(lo + rng.randint(0, 8) for lo in least)


def _padding_ok(site: Site, n: int) -> bool:
    padding = site.bound.value("padding", 0)
    if isinstance(padding, str):
        stride = per_dim(site.bound.value("stride", 1), n, 1)
        return padding == "valid" or (padding == "same" and stride == (1,) * n)
    return per_dim(padding, n) is not None


def _conv_input(site: Site, rng: Random, n: int, channels: int) -> tuple[int, ...] | None:
    b = site.bound
    kernel = per_dim(b.value("kernel_size"), n, 1)
    dilation = per_dim(b.value("dilation", 1), n, 1)
    if kernel is None or dilation is None or not _padding_ok(site, n):
        return None
    shape = (rng.randint(1, 4), channels, *_spatial(rng, _reach(kernel, dilation)))
    return shape if fits(shape) else None


def _conv_module(n: int, *, lazy: bool = False) -> Planner:
    def plan(site: Site, rng: Random) -> Plan | None:
        groups = size(site.bound.value("groups", 1))
        channels = size(site.bound.value("in_channels"))
        if groups is None or (lazy and site.bound.has("in_channels")):
            return None
        if lazy:
            channels = groups * rng.randint(1, 3)
        out_channels = site.bound.value("out_channels")
        if channels is None or channels % groups or not is_int(out_channels):
            return None
        if out_channels % groups:
            return None
        shape = _conv_input(site, rng, n, channels)
        if shape is None:
            return None
        return module_plan(site, [("x", randn(*shape))], "y", shape_outputs("y"))

    return plan


def _conv_function(n: int, *, transposed: bool = False) -> Planner:
    def plan(site: Site, rng: Random) -> Plan | None:
        b = site.bound
        groups = size(b.value("groups", 1))
        dilation = per_dim(b.value("dilation", 1), n, 1)
        if groups is None or dilation is None or not _padding_ok(site, n):
            return None
        if not b.is_literal("stride", "padding", "dilation", "groups", "output_padding"):
            return None
        kernel = tuple(rng.randint(1, 3) for _ in range(n))
        c_in, c_out = groups * rng.randint(1, 3), groups * rng.randint(1, 3)
        batch = rng.randint(1, 4)
        x = (batch, c_in, *_spatial(rng, _reach(kernel, dilation)))
        w = (c_in, c_out // groups, *kernel) if transposed else (c_out, c_in // groups, *kernel)
        bias_size = c_out
        decls = {"input": randn(*x), "weight": randn(*w), "bias": randn(bias_size)}
        return tensor_plan(site, decls, shape_outputs("y"))

    return plan


def _pool_outputs(site: Site) -> tuple[str, tuple[str, ...]]:
    if site.bound.value("return_indices", False) is True:
        return "y, indices", ("y", "indices")
    return "y", ("y",)


def _pool_size(site: Site, rng: Random, n: int) -> tuple[int, ...] | None:
    """Input sizes for a max/avg/LP pool: at least the kernel's reach, padding at most half
    the kernel (torch's own rule)."""
    b = site.bound
    kernel = per_dim(b.value("kernel_size"), n, 1)
    dilation = per_dim(b.value("dilation", 1), n, 1)
    padding = per_dim(b.value("padding", 0), n)
    if kernel is None or dilation is None or padding is None:
        return None
    if any(2 * p > k for p, k in zip(padding, kernel, strict=True)):
        return None
    if (
        b.has("stride")
        and b.value("stride") is not None
        and per_dim(b.value("stride"), n, 1) is None
    ):
        return None
    return _spatial(rng, _reach(kernel, dilation))


def _pool_module(n: int, sizes: Callable[[Site, Random, int], tuple[int, ...] | None]) -> Planner:
    def plan(site: Site, rng: Random) -> Plan | None:
        spatial = sizes(site, rng, n)
        if spatial is None:
            return None
        shape = (rng.randint(1, 4), rng.randint(1, 4), *spatial)
        targets, names = _pool_outputs(site)
        return module_plan(site, [("x", randn(*shape))], targets, shape_outputs(*names))

    return plan


def _pool_function(n: int, sizes: Callable[[Site, Random, int], tuple[int, ...] | None]) -> Planner:
    def plan(site: Site, rng: Random) -> Plan | None:
        if not all(arg.literal for p, arg in site.bound.args.items() if p != "input"):
            return None
        spatial = sizes(site, rng, n)
        if spatial is None:
            return None
        shape = (rng.randint(1, 4), rng.randint(1, 4), *spatial)
        target, names = _pool_outputs(site)
        plan = tensor_plan(site, {"input": randn(*shape)}, shape_outputs(*names), target)
        return plan

    return plan


def _adaptive_size(site: Site, rng: Random, n: int) -> tuple[int, ...] | None:
    wanted = site.bound.value("output_size")
    items = (wanted,) * n if is_int(wanted) else wanted
    if not isinstance(items, tuple | list) or len(items) != n:
        return None
    if not all(v is None or size(v) is not None for v in items):
        return None
    return tuple(max(v or 1, 1) + rng.randint(0, 8) for v in items)


def _fractional_size(site: Site, rng: Random, n: int) -> tuple[int, ...] | None:
    b = site.bound
    kernel = per_dim(b.value("kernel_size"), n, 1)
    out = b.value("output_size")
    ratio = b.value("output_ratio")
    if kernel is None or (out is None) == (ratio is None):
        return None
    if out is not None:
        wanted = per_dim(out, n, 1)
        if wanted is None:
            return None
        return tuple(o + k + rng.randint(0, 6) for o, k in zip(wanted, kernel, strict=True))
    ratios = (ratio,) * n if isinstance(ratio, float) else ratio
    if not isinstance(ratios, tuple | list) or len(ratios) != n:
        return None
    if not all(isinstance(r, float) and 0 < r < 1 for r in ratios):
        return None
    return tuple(
        int((k - 1) / (1 - r)) + k + 1 + rng.randint(0, 6)
        for k, r in zip(kernel, ratios, strict=True)
    )


def _unpool(n: int) -> Planner:
    def plan(site: Site, rng: Random) -> Plan | None:
        b = site.bound
        kernel = per_dim(b.value("kernel_size"), n, 1)
        stride = per_dim(b.value("stride") or b.value("kernel_size"), n, 1)
        padding = per_dim(b.value("padding", 0), n)
        if kernel is None or stride is None or padding is None:
            return None
        if not all(arg.literal for arg in b.args.values()):
            return None
        if any(2 * p > k for p, k in zip(padding, kernel, strict=True)):
            return None
        # Sizes the pool covers exactly, so unpooling restores them.
        spatial = tuple(
            k - 2 * p + s * rng.randint(1, 4)
            for k, s, p in zip(kernel, stride, padding, strict=True)
        )
        shape = (rng.randint(1, 4), rng.randint(1, 4), *spatial)
        given = ", ".join(f"{param}={arg.source}" for param, arg in b.args.items())
        lines = (
            f"layer = {site.source}",
            f"x = {randn(*shape)}",
            f"pooled, indices = nn.MaxPool{n}d({given}, return_indices=True)(x)",
            "y = layer(pooled, indices)",
        )
        return Plan(lines, shape_outputs("y"))

    return plan


_RNN = ("num_layers", "bias", "batch_first", "dropout", "bidirectional")


def _recurrent(outputs: tuple[str, ...], targets: str) -> Planner:
    def plan(site: Site, rng: Random) -> Plan | None:
        features = size(site.bound.value("input_size"))
        if features is None or not is_int(site.bound.value("hidden_size")):
            return None
        batch, length = rng.randint(1, 4), rng.randint(2, 8)
        first = site.bound.value("batch_first", False) is True
        shape = (batch, length, features) if first else (length, batch, features)
        return module_plan(site, [("x", randn(*shape))], targets, shape_outputs(*outputs))

    return plan


def _cell(outputs: tuple[str, ...], targets: str) -> Planner:
    def plan(site: Site, rng: Random) -> Plan | None:
        features = size(site.bound.value("input_size"))
        if features is None:
            return None
        x = randn(rng.randint(1, 4), features)
        return module_plan(site, [("x", x)], targets, shape_outputs(*outputs))

    return plan


def _sequence_shape(site: Site, rng: Random, batch: int, width: int) -> tuple[int, int, int]:
    length = rng.randint(2, 6)
    if site.bound.value("batch_first", False) is True:
        return batch, length, width
    return length, batch, width


def _attention(site: Site, rng: Random) -> Plan | None:
    b = site.bound
    embed, heads = size(b.value("embed_dim")), size(b.value("num_heads"))
    if embed is None or heads is None or embed % heads:
        return None
    kdim, vdim = size(b.value("kdim") or embed), size(b.value("vdim") or embed)
    if kdim is None or vdim is None:
        return None
    batch = rng.randint(1, 3)
    query = _sequence_shape(site, rng, batch, embed)
    source = _sequence_shape(site, rng, batch, kdim)
    value = (*source[:2], vdim)
    inputs = [("query", randn(*query)), ("key", randn(*source)), ("value", randn(*value))]
    return module_plan(site, inputs, "output, weights", shape_outputs("output", "weights"))


def _model_width(site: Site) -> tuple[int, int] | None:
    width = size(site.bound.value("d_model", 512))
    heads = size(site.bound.value("nhead", 8))
    if width is None or heads is None or width % heads:
        return None
    return width, heads


def _encoder_layer(site: Site, rng: Random) -> Plan | None:
    found = _model_width(site)
    if found is None:
        return None
    src = _sequence_shape(site, rng, rng.randint(1, 3), found[0])
    return module_plan(site, [("src", randn(*src))], "y", shape_outputs("y"))


def _two_sequences(first: str, second: str) -> Planner:
    """A layer over two sequences of one width: (tgt, memory) or (src, tgt)."""

    def plan(site: Site, rng: Random) -> Plan | None:
        found = _model_width(site)
        if found is None:
            return None
        batch = rng.randint(1, 3)
        inputs = [
            (first, randn(*_sequence_shape(site, rng, batch, found[0]))),
            (second, randn(*_sequence_shape(site, rng, batch, found[0]))),
        ]
        return module_plan(site, inputs, "y", shape_outputs("y"))

    return plan


def _embedding(site: Site, rng: Random) -> Plan | None:
    rows = site.bound.value("num_embeddings")
    if not is_int(rows) or rows < 1 or not is_int(site.bound.value("embedding_dim")):
        return None
    batch, length = rng.randint(1, 4), rng.randint(2, 6)
    idx = f"torch.randint(0, {rows}, ({batch}, {length}))"
    return module_plan(site, [("idx", idx)], "y", shape_outputs("y"))


def _embedding_function(site: Site, rng: Random) -> Plan | None:
    rows, dim = rng.randint(5, 20), rng.randint(2, 8)
    batch, length = rng.randint(1, 4), rng.randint(2, 6)
    decls = {
        "input": f"torch.randint(0, {rows}, ({batch}, {length}))",
        "weight": randn(rows, dim),
    }
    return tensor_plan(site, decls, shape_outputs("y"))


def _features(spatial: int, param: str, *, lazy: bool = False, least: int = 1) -> Planner:
    """A layer over (N, C, *spatial) inputs whose C is the argument `param`."""

    def plan(site: Site, rng: Random) -> Plan | None:
        channels = rng.randint(1, 4) if lazy else size(site.bound.value(param))
        if channels is None or (lazy and site.bound.has(param)):
            return None
        shape = (rng.randint(2, 4), channels, *(rng.randint(least, 6) for _ in range(spatial)))
        return module_plan(site, [("x", randn(*shape))], "y", shape_outputs("y"))

    return plan


def _group_norm(site: Site, rng: Random) -> Plan | None:
    groups, channels = size(site.bound.value("num_groups")), size(site.bound.value("num_channels"))
    if groups is None or channels is None or channels % groups:
        return None
    shape = (rng.randint(2, 4), channels, *(rng.randint(2, 6) for _ in range(rng.randint(0, 2))))
    return module_plan(site, [("x", randn(*shape))], "y", shape_outputs("y"))


def _normalized_dims(site: Site, rng: Random) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """The leading sizes (seeded) and the `normalized_shape` an input of a layer norm ends
    in; None when the call's `normalized_shape` is no literal shape."""
    last = site.bound.value("normalized_shape")
    tail = (last,) if is_int(last) else last
    if not isinstance(tail, tuple | list) or not tail or not all(size(v) for v in tail):
        return None
    lead = tuple(rng.randint(1, 4) for _ in range(rng.randint(1, 2)))
    return lead, tuple(tail)


def _normalized(site: Site, rng: Random) -> Plan | None:
    """LayerNorm/RMSNorm: the input ends in `normalized_shape`."""
    dims = _normalized_dims(site, rng)
    if dims is None:
        return None
    lead, tail = dims
    return module_plan(site, [("x", randn(*lead, *tail))], "y", shape_outputs("y"))


def _any_input(lo_ndim: int = 1) -> Planner:
    def plan(site: Site, rng: Random) -> Plan | None:
        shape = tuple(rng.randint(1, 5) for _ in range(rng.randint(lo_ndim, 3)))
        return module_plan(site, [("x", randn(*shape))], "y", shape_outputs("y"))

    return plan


def _linear(site: Site, rng: Random) -> Plan | None:
    features = size(site.bound.value("in_features"))
    if features is None or not is_int(site.bound.value("out_features")):
        return None
    lead = tuple(rng.randint(1, 4) for _ in range(rng.randint(1, 2)))
    return module_plan(site, [("x", randn(*lead, features))], "y", shape_outputs("y"))


def _lazy_linear(site: Site, rng: Random) -> Plan | None:
    if not is_int(site.bound.value("out_features")):
        return None
    x = randn(rng.randint(1, 4), rng.randint(1, 6))
    return module_plan(site, [("x", x)], "y", shape_outputs("y"))


def _bilinear(site: Site, rng: Random) -> Plan | None:
    one, two = size(site.bound.value("in1_features")), size(site.bound.value("in2_features"))
    if one is None or two is None or not is_int(site.bound.value("out_features")):
        return None
    batch = rng.randint(1, 4)
    inputs = [("x1", randn(batch, one)), ("x2", randn(batch, two))]
    return module_plan(site, inputs, "y", shape_outputs("y"))


def _linear_function(site: Site, rng: Random) -> Plan | None:
    batch, c_in, c_out = rng.randint(1, 4), rng.randint(1, 6), rng.randint(1, 6)
    decls = {"input": randn(batch, c_in), "weight": randn(c_out, c_in), "bias": randn(c_out)}
    return tensor_plan(site, decls, shape_outputs("y"))


def _channels_function(spatial: int, least: int = 1) -> Planner:
    """A functional norm/dropout over (N, C, *spatial) with per-channel tensors of size C."""

    def plan(site: Site, rng: Random) -> Plan | None:
        channels = rng.randint(1, 4)
        shape = (rng.randint(2, 4), channels, *(rng.randint(least, 6) for _ in range(spatial)))
        vector = randn(channels)
        decls = {
            "input": randn(*shape),
            "running_mean": f"torch.zeros({channels})",
            "running_var": f"torch.ones({channels})",
            "weight": vector,
            "bias": vector,
        }
        return tensor_plan(site, decls, shape_outputs("y"))

    return plan


def _normalized_function(site: Site, rng: Random) -> Plan | None:
    dims = _normalized_dims(site, rng)
    if dims is None:
        return None
    lead, tail = dims
    decls = {"input": randn(*lead, *tail), "weight": randn(*tail), "bias": randn(*tail)}
    return tensor_plan(site, decls, shape_outputs("y"))


def _group_norm_function(site: Site, rng: Random) -> Plan | None:
    groups = size(site.bound.value("num_groups"))
    if groups is None:
        return None
    channels = groups * rng.randint(1, 3)
    shape = (rng.randint(2, 4), channels, rng.randint(2, 6))
    decls = {"input": randn(*shape), "weight": randn(channels), "bias": randn(channels)}
    return tensor_plan(site, decls, shape_outputs("y"))


def _any_tensor_function(lo_ndim: int = 1) -> Planner:
    def plan(site: Site, rng: Random) -> Plan | None:
        shape = tuple(rng.randint(1, 5) for _ in range(rng.randint(lo_ndim, 3)))
        return tensor_plan(site, {"input": randn(*shape)}, shape_outputs("y"))

    return plan


def _attention_function(site: Site, rng: Random) -> Plan | None:
    lead = tuple(rng.randint(1, 3) for _ in range(rng.randint(1, 2)))
    target, source = rng.randint(2, 6), rng.randint(2, 6)
    width, value_width = rng.randint(2, 8), rng.randint(2, 8)
    if site.bound.value("is_causal", False) is True:
        source = target
    decls = {
        "query": randn(*lead, target, width),
        "key": randn(*lead, source, width),
        "value": randn(*lead, source, value_width),
    }
    return tensor_plan(site, decls, shape_outputs("y"))


def _conv_families() -> list[Family]:
    out: list[Family] = [
        family("nn.Unfold", Topic.CONV, ("nn.Unfold",), _UNFOLD, _unfold(False), "nn.Unfold(2)"),
        family(
            "F.unfold",
            Topic.CONV,
            ("F.unfold",),
            ("input", *_UNFOLD),
            _unfold(True),
            "F.unfold(x, kernel_size=3, padding=1)",
        ),
        family(
            "nn.Fold",
            Topic.CONV,
            ("nn.Fold",),
            ("output_size", *_UNFOLD),
            _fold(False),
            "nn.Fold(output_size=(4, 5), kernel_size=2)",
        ),
        family(
            "F.fold",
            Topic.CONV,
            ("F.fold",),
            ("input", "output_size", *_UNFOLD),
            _fold(True),
            "F.fold(x, (6, 6), 3, stride=3)",
        ),
    ]
    for n in (1, 2, 3):
        shape_k = "3" if n == 1 else repr((3,) * n)
        out += [
            family(
                f"nn.Conv{n}d",
                Topic.CONV,
                (f"nn.Conv{n}d",),
                ("in_channels", "out_channels", "kernel_size", *_CONV),
                _conv_module(n),
                f"nn.Conv{n}d(3, 8, kernel_size=3, stride=2, padding=1)",
                f"nn.Conv{n}d(4, 6, {shape_k}, dilation=2, groups=2)",
            ),
            family(
                f"nn.ConvTranspose{n}d",
                Topic.CONV,
                (f"nn.ConvTranspose{n}d",),
                ("in_channels", "out_channels", "kernel_size", *_CONV_T),
                _conv_module(n),
                f"nn.ConvTranspose{n}d(4, 2, kernel_size=2, stride=2)",
            ),
            family(
                f"nn.LazyConv{n}d",
                Topic.CONV,
                (f"nn.LazyConv{n}d", f"nn.LazyConvTranspose{n}d"),
                ("out_channels", "kernel_size", *_CONV),
                _conv_module(n, lazy=True),
                f"nn.LazyConv{n}d(5, 3, padding=1)",
            ),
            family(
                f"F.conv{n}d",
                Topic.CONV,
                (f"F.conv{n}d", f"torch.conv{n}d"),
                ("input", "weight", "bias", "stride", "padding", "dilation", "groups"),
                _conv_function(n),
                f"F.conv{n}d(x, w, stride=2, padding=1)",
                f"F.conv{n}d(x, w, b)",
            ),
            family(
                f"F.conv_transpose{n}d",
                Topic.CONV,
                (f"F.conv_transpose{n}d",),
                ("input", "weight", "bias", "stride", "padding", "output_padding", "groups"),
                _conv_function(n, transposed=True),
                f"F.conv_transpose{n}d(x, w, stride=2)",
            ),
        ]
    return out


def _unfold(function: bool) -> Planner:
    """nn.Unfold / F.unfold: any (N, C, H, W) input at least the kernel's reach."""

    def plan(site: Site, rng: Random) -> Plan | None:
        b = site.bound
        kernel = per_dim(b.value("kernel_size"), 2, 1)
        dilation = per_dim(b.value("dilation", 1), 2, 1)
        if kernel is None or dilation is None or per_dim(b.value("stride", 1), 2, 1) is None:
            return None
        if per_dim(b.value("padding", 0), 2) is None:
            return None
        shape = (rng.randint(1, 3), rng.randint(1, 3), *_spatial(rng, _reach(kernel, dilation)))
        return _fold_plan(site, function, shape)

    return plan


def _fold_plan(site: Site, function: bool, shape: tuple[int, ...]) -> Plan | None:
    """The plan for an (un)fold call on an input of `shape`: the module, or the function
    when every argument but the input is a literal."""
    if function:
        if not all(arg.literal for p, arg in site.bound.args.items() if p != "input"):
            return None
        return tensor_plan(site, {"input": randn(*shape)}, shape_outputs("y"))
    return module_plan(site, [("x", randn(*shape))], "y", shape_outputs("y"))


def _fold(function: bool) -> Planner:
    """nn.Fold / F.fold: the input holds C * kernel-area rows and one column per block."""

    def plan(site: Site, rng: Random) -> Plan | None:
        b = site.bound
        out = per_dim(b.value("output_size"), 2, 1)
        kernel = per_dim(b.value("kernel_size"), 2, 1)
        dilation = per_dim(b.value("dilation", 1), 2, 1)
        padding = per_dim(b.value("padding", 0), 2)
        stride = per_dim(b.value("stride", 1), 2, 1)
        if out is None or kernel is None or dilation is None:
            return None
        if padding is None or stride is None:
            return None
        blocks = 1
        for o, k, d, p, s in zip(out, kernel, dilation, padding, stride, strict=True):
            count = (o + 2 * p - d * (k - 1) - 1) // s + 1
            if count < 1:
                return None
            blocks *= count
        shape = (rng.randint(1, 3), rng.randint(1, 3) * kernel[0] * kernel[1], blocks)
        return _fold_plan(site, function, shape)

    return plan


_UNFOLD = ("kernel_size", "dilation", "padding", "stride")
_MAX = ("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode")
_MAX_F = ("kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices")
_AVG = ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override")
_LP = ("norm_type", "kernel_size", "stride", "ceil_mode")


def _pool_families() -> list[Family]:
    out: list[Family] = []
    for n in (1, 2, 3):
        out += [
            family(
                f"nn.MaxPool{n}d",
                Topic.POOLING,
                (f"nn.MaxPool{n}d",),
                _MAX,
                _pool_module(n, _pool_size),
                f"nn.MaxPool{n}d(2)",
                f"nn.MaxPool{n}d(3, stride=2, padding=1, return_indices=True)",
            ),
            family(
                f"nn.AvgPool{n}d",
                Topic.POOLING,
                (f"nn.AvgPool{n}d",),
                _AVG,
                _pool_module(n, _pool_size),
                f"nn.AvgPool{n}d(2)",
                f"nn.AvgPool{n}d(3, stride=1, padding=1, ceil_mode=True)",
            ),
            family(
                f"nn.AdaptiveAvgPool{n}d",
                Topic.POOLING,
                (f"nn.AdaptiveAvgPool{n}d", f"nn.AdaptiveMaxPool{n}d"),
                ("output_size", "return_indices"),
                _pool_module(n, _adaptive_size),
                f"nn.AdaptiveAvgPool{n}d(1)",
                f"nn.AdaptiveMaxPool{n}d({'2' if n == 1 else repr((2,) * n)})",
            ),
            family(
                f"nn.MaxUnpool{n}d",
                Topic.POOLING,
                (f"nn.MaxUnpool{n}d",),
                ("kernel_size", "stride", "padding"),
                _unpool(n),
                f"nn.MaxUnpool{n}d(2)",
            ),
            family(
                f"F.max_pool{n}d",
                Topic.POOLING,
                (f"F.max_pool{n}d", f"torch.max_pool{n}d"),
                ("input", *_MAX_F),
                _pool_function(n, _pool_size),
                f"F.max_pool{n}d(x, 2)",
                f"F.max_pool{n}d(x, kernel_size=3, stride=2, padding=1)",
            ),
            family(
                f"F.avg_pool{n}d",
                Topic.POOLING,
                (f"F.avg_pool{n}d", f"torch.avg_pool{n}d"),
                ("input", *_AVG),
                _pool_function(n, _pool_size),
                f"F.avg_pool{n}d(x, 2)",
            ),
            family(
                f"F.adaptive_avg_pool{n}d",
                Topic.POOLING,
                (f"F.adaptive_avg_pool{n}d", f"F.adaptive_max_pool{n}d"),
                ("input", "output_size", "return_indices"),
                _pool_function(n, _adaptive_size),
                f"F.adaptive_avg_pool{n}d(x, 1)",
                f"F.adaptive_max_pool{n}d(x, 2, return_indices=True)",
            ),
            family(
                f"nn.LPPool{n}d",
                Topic.POOLING,
                (f"nn.LPPool{n}d",),
                _LP,
                _pool_module(n, _pool_size),
                f"nn.LPPool{n}d(2, 2)",
            ),
            family(
                f"F.lp_pool{n}d",
                Topic.POOLING,
                (f"F.lp_pool{n}d",),
                ("input", *_LP),
                _pool_function(n, _pool_size),
                f"F.lp_pool{n}d(x, 2, 3)",
            ),
        ]
    for n in (2, 3):
        out += [
            family(
                f"nn.FractionalMaxPool{n}d",
                Topic.POOLING,
                (f"nn.FractionalMaxPool{n}d",),
                ("kernel_size", "output_size", "output_ratio", "return_indices"),
                _pool_module(n, _fractional_size),
                f"nn.FractionalMaxPool{n}d(3, output_size=2)",
                f"nn.FractionalMaxPool{n}d(2, output_ratio=0.5)",
            ),
            family(
                f"F.fractional_max_pool{n}d",
                Topic.POOLING,
                (f"F.fractional_max_pool{n}d",),
                ("input", "kernel_size", "output_size", "output_ratio", "return_indices"),
                _pool_function(n, _fractional_size),
                f"F.fractional_max_pool{n}d(x, 2, output_size=3)",
            ),
        ]
    return out


def _recurrent_families() -> list[Family]:
    return [
        family(
            "nn.LSTM",
            Topic.RECURRENT,
            ("nn.LSTM",),
            ("input_size", "hidden_size", *_RNN, "proj_size"),
            _recurrent(("output", "h_n", "c_n"), "output, (h_n, c_n)"),
            "nn.LSTM(10, 20, num_layers=2, batch_first=True)",
            "nn.LSTM(4, 6, bidirectional=True)",
            "nn.LSTM(5, 8, proj_size=3)",
        ),
        family(
            "nn.GRU",
            Topic.RECURRENT,
            ("nn.GRU",),
            ("input_size", "hidden_size", *_RNN),
            _recurrent(("output", "h_n"), "output, h_n"),
            "nn.GRU(8, 16)",
            "nn.GRU(3, 5, num_layers=3, batch_first=True, bidirectional=True)",
        ),
        family(
            "nn.RNN",
            Topic.RECURRENT,
            ("nn.RNN",),
            ("input_size", "hidden_size", "num_layers", "nonlinearity", *_RNN[1:]),
            _recurrent(("output", "h_n"), "output, h_n"),
            "nn.RNN(4, 7, 2)",
            "nn.RNN(6, 3, nonlinearity='relu', batch_first=True)",
        ),
        family(
            "nn.LSTMCell",
            Topic.RECURRENT,
            ("nn.LSTMCell",),
            ("input_size", "hidden_size", "bias"),
            _cell(("h_1", "c_1"), "h_1, c_1"),
            "nn.LSTMCell(10, 20)",
        ),
        family(
            "nn.GRUCell",
            Topic.RECURRENT,
            ("nn.GRUCell", "nn.RNNCell"),
            ("input_size", "hidden_size", "bias", "nonlinearity"),
            _cell(("h_1",), "h_1"),
            "nn.GRUCell(3, 6)",
            "nn.RNNCell(5, 2, nonlinearity='relu')",
        ),
    ]


_TRANSFORMER = ("dim_feedforward", "dropout", "activation", "layer_norm_eps", "batch_first")


def _attention_families() -> list[Family]:
    return [
        family(
            "nn.MultiheadAttention",
            Topic.ATTENTION,
            ("nn.MultiheadAttention",),
            (
                "embed_dim",
                "num_heads",
                "dropout",
                "bias",
                "add_bias_kv",
                "add_zero_attn",
                "kdim",
                "vdim",
                "batch_first",
            ),
            _attention,
            "nn.MultiheadAttention(64, 8, batch_first=True)",
            "nn.MultiheadAttention(12, 3, kdim=5, vdim=7)",
        ),
        family(
            "nn.TransformerEncoderLayer",
            Topic.ATTENTION,
            ("nn.TransformerEncoderLayer",),
            ("d_model", "nhead", *_TRANSFORMER, "norm_first", "bias"),
            _encoder_layer,
            "nn.TransformerEncoderLayer(d_model=32, nhead=4, batch_first=True)",
            "nn.TransformerEncoderLayer(16, 2, dim_feedforward=64)",
        ),
        family(
            "nn.TransformerDecoderLayer",
            Topic.ATTENTION,
            ("nn.TransformerDecoderLayer",),
            ("d_model", "nhead", *_TRANSFORMER, "norm_first", "bias"),
            _two_sequences("tgt", "memory"),
            "nn.TransformerDecoderLayer(d_model=32, nhead=4, batch_first=True)",
        ),
        family(
            "nn.Transformer",
            Topic.ATTENTION,
            ("nn.Transformer",),
            ("d_model", "nhead", "num_encoder_layers", "num_decoder_layers", *_TRANSFORMER),
            _two_sequences("src", "tgt"),
            "nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=1)",
        ),
        family(
            "F.scaled_dot_product_attention",
            Topic.ATTENTION,
            ("F.scaled_dot_product_attention",),
            ("query", "key", "value", "attn_mask", "dropout_p", "is_causal", "scale"),
            _attention_function,
            "F.scaled_dot_product_attention(q, k, v)",
            "F.scaled_dot_product_attention(query, key, value, is_causal=True)",
        ),
    ]


def _norm_families() -> list[Family]:
    out: list[Family] = []
    for n in (1, 2, 3):
        spatial = {1: 1, 2: 2, 3: 3}[n]
        out += [
            family(
                f"nn.BatchNorm{n}d",
                Topic.NORMALIZATION,
                (f"nn.BatchNorm{n}d",),
                ("num_features", "eps", "momentum", "affine", "track_running_stats"),
                _features(spatial, "num_features"),
                f"nn.BatchNorm{n}d(16)",
            ),
            family(
                f"nn.LazyBatchNorm{n}d",
                Topic.NORMALIZATION,
                (f"nn.LazyBatchNorm{n}d", f"nn.LazyInstanceNorm{n}d"),
                ("eps", "momentum", "affine", "track_running_stats"),
                _features(spatial, "num_features", lazy=True, least=2),
                f"nn.LazyBatchNorm{n}d()",
            ),
            family(
                f"nn.InstanceNorm{n}d",
                Topic.NORMALIZATION,
                (f"nn.InstanceNorm{n}d",),
                ("num_features", "eps", "momentum", "affine", "track_running_stats"),
                _features(spatial, "num_features", least=2),
                f"nn.InstanceNorm{n}d(3, affine=True)",
            ),
            family(
                f"nn.Dropout{n}d",
                Topic.DROPOUT,
                (f"nn.Dropout{n}d",),
                ("p", "inplace"),
                _features(spatial, "", lazy=True),
                f"nn.Dropout{n}d(0.5)",
            ),
            family(
                f"F.dropout{n}d",
                Topic.DROPOUT,
                (f"F.dropout{n}d",),
                ("input", "p", "training", "inplace"),
                _channels_function(spatial),
                f"F.dropout{n}d(x, p=0.2)",
            ),
        ]
    out += [
        family(
            "nn.GroupNorm",
            Topic.NORMALIZATION,
            ("nn.GroupNorm",),
            ("num_groups", "num_channels", "eps", "affine"),
            _group_norm,
            "nn.GroupNorm(2, 6)",
        ),
        family(
            "nn.LayerNorm",
            Topic.NORMALIZATION,
            ("nn.LayerNorm", "nn.RMSNorm"),
            ("normalized_shape", "eps", "elementwise_affine", "bias"),
            _normalized,
            "nn.LayerNorm(64)",
            "nn.RMSNorm([3, 4])",
        ),
        family(
            "nn.LocalResponseNorm",
            Topic.NORMALIZATION,
            ("nn.LocalResponseNorm",),
            ("size", "alpha", "beta", "k"),
            _features(2, "", lazy=True),
            "nn.LocalResponseNorm(2)",
        ),
        family(
            "F.batch_norm",
            Topic.NORMALIZATION,
            ("F.batch_norm", "F.instance_norm"),
            (
                "input",
                "running_mean",
                "running_var",
                "weight",
                "bias",
                "training",
                "momentum",
                "eps",
            ),
            _channels_function(2, least=2),
            "F.batch_norm(x, running_mean, running_var, training=True)",
            "F.instance_norm(x)",
        ),
        family(
            "F.layer_norm",
            Topic.NORMALIZATION,
            ("F.layer_norm", "F.rms_norm"),
            ("input", "normalized_shape", "weight", "bias", "eps"),
            _normalized_function,
            "F.layer_norm(x, (8,))",
            "F.rms_norm(x, [2, 3])",
        ),
        family(
            "F.group_norm",
            Topic.NORMALIZATION,
            ("F.group_norm",),
            ("input", "num_groups", "weight", "bias", "eps"),
            _group_norm_function,
            "F.group_norm(x, 2)",
        ),
        family(
            "F.normalize",
            Topic.NORMALIZATION,
            ("F.normalize", "F.local_response_norm"),
            ("input", "p", "dim", "eps"),
            _any_tensor_function(3),
            "F.normalize(x, dim=1)",
            "F.local_response_norm(x, 2)",
        ),
    ]
    return out


def _other_families() -> list[Family]:
    return [
        family(
            "nn.Embedding",
            Topic.EMBEDDING,
            ("nn.Embedding", "nn.EmbeddingBag"),
            (
                "num_embeddings",
                "embedding_dim",
                "padding_idx",
                "max_norm",
                "norm_type",
                "scale_grad_by_freq",
                "sparse",
                "mode",
            ),
            _embedding,
            "nn.Embedding(1000, 64)",
            "nn.Embedding(10, 3, padding_idx=0)",
            "nn.EmbeddingBag(20, 4, mode='mean')",
        ),
        family(
            "F.embedding",
            Topic.EMBEDDING,
            ("F.embedding",),
            ("input", "weight", "padding_idx", "max_norm", "norm_type"),
            _embedding_function,
            "F.embedding(idx, weight)",
        ),
        family(
            "nn.Linear",
            Topic.LINEAR,
            ("nn.Linear",),
            ("in_features", "out_features", "bias", "device", "dtype"),
            _linear,
            "nn.Linear(128, 10)",
            "nn.Linear(3, 5, bias=False)",
        ),
        family(
            "nn.LazyLinear",
            Topic.LINEAR,
            ("nn.LazyLinear",),
            ("out_features", "bias"),
            _lazy_linear,
            "nn.LazyLinear(7)",
        ),
        family(
            "nn.Bilinear",
            Topic.LINEAR,
            ("nn.Bilinear",),
            ("in1_features", "in2_features", "out_features", "bias"),
            _bilinear,
            "nn.Bilinear(3, 4, 5)",
        ),
        family(
            "nn.Identity",
            Topic.LINEAR,
            ("nn.Identity",),
            (),
            _any_input(),
            "nn.Identity()",
        ),
        family(
            "F.linear",
            Topic.LINEAR,
            ("F.linear",),
            ("input", "weight", "bias"),
            _linear_function,
            "F.linear(x, w, b)",
            "F.linear(x, weight)",
        ),
        family(
            "nn.Dropout",
            Topic.DROPOUT,
            ("nn.Dropout", "nn.AlphaDropout", "nn.FeatureAlphaDropout"),
            ("p", "inplace"),
            _any_input(2),
            "nn.Dropout(0.5)",
            "nn.AlphaDropout(p=0.2)",
            "nn.FeatureAlphaDropout(0.1)",
        ),
        family(
            "F.dropout",
            Topic.DROPOUT,
            ("F.dropout", "F.alpha_dropout", "F.feature_alpha_dropout"),
            ("input", "p", "training", "inplace"),
            _any_tensor_function(2),
            "F.dropout(x, p=0.5)",
            "F.alpha_dropout(x, 0.2, training=True)",
        ),
    ]


FAMILIES: tuple[Family, ...] = (
    *_conv_families(),
    *_pool_families(),
    *_recurrent_families(),
    *_attention_families(),
    *_norm_families(),
    *_other_families(),
)
