"""nn.functional: activations, softmax family, losses and penalties as plain functions.

Shapes: a *sample* is a number/Value or a list of them; a *batch* is a list of samples. Activations
keep the shape of their input. Losses take a prediction and a target of the same shape (a Value and
a number, two equal-length lists, or two batches) and reduce the per-entry losses with
`reduction="mean"` (the default, as in torch), `"sum"`, or `"none"` (the per-entry losses, in the
input's shape).

Numerical stability: softmax, log_softmax and cross_entropy go through a stable log-sum-exp
(the maximum is subtracted before exponentiating), binary_cross_entropy_with_logits uses
max(x, 0) - x y + log(1 + e^-|x|), and binary_cross_entropy clamps its logs at -100 as torch does,
so logits of +-1000 give finite losses and gradients.

Four formulas are single custom nodes (`autograd.Op`) rather than chains of primitive ops, because
their textbook gradient is simpler, cheaper and more robust than the chain rule through the
stabilised forward (which, for one, gets the gradient of max(x, 0) + log(1 + e^-|x|) wrong at
x = 0): `logsumexp`, `cross_entropy` (one node per sample, gradient softmax(x) - one_hot(t)),
`binary_cross_entropy` and `binary_cross_entropy_with_logits`. Their derivatives are written with
autograd's functions, so second derivatives (`backward(create_graph=True)`) work through them too.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from numbers import Integral, Real
from typing import Any

import autograd
from autograd import Value

from ._naming import named_targets

__all__ = [
    "relu", "tanh", "sigmoid", "leaky_relu", "softmax", "log_softmax", "logsumexp",
    "mse_loss", "l1_loss", "huber_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "cross_entropy", "hinge_loss", "l1_penalty", "l2_penalty",
]

Scalar = Any  # a number or a Value
_branch = autograd.jit.branch


# -- shapes ---------------------------------------------------------------------------------------
def _is_scalar(x: Any) -> bool:
    return isinstance(x, (Value, Real))


def _plain(x: Any) -> Any:
    """numpy arrays as (nested) lists of Python floats; everything else as it is."""
    if hasattr(x, "tolist") and not isinstance(x, (list, tuple, Value, Real)):
        return x.tolist()
    return x


def _map(f: Callable[[Scalar], Scalar], x: Any) -> Any:
    """f on every entry of a scalar, a sample or a batch, keeping the shape."""
    x = _plain(x)
    if _is_scalar(x):
        return f(x)
    return [f(v) if _is_scalar(v) else [f(u) for u in v] for v in x]


def _per_sample(f: Callable[[list], Any], x: Any) -> Any:
    """f on one sample (a list of scalars), or on every sample of a batch."""
    x = _plain(x)
    if _is_scalar(x):
        raise TypeError("expected a list of scores (one sample) or a list of such lists (a batch), "
                        f"got a single {type(x).__name__}")
    if len(x) and not _is_scalar(x[0]):
        return [f(list(row)) for row in x]
    return f(list(x))


# -- activations ----------------------------------------------------------------------------------
def relu(x: Any) -> Any:
    """max(0, x) entrywise; gradient 1 for x > 0, else 0."""
    return _map(autograd.relu, x)


def tanh(x: Any) -> Any:
    """tanh(x) = (e^x - e^-x) / (e^x + e^-x) entrywise; gradient 1 - tanh(x)^2."""
    return _map(autograd.tanh, x)


def sigmoid(x: Any) -> Any:
    """1 / (1 + e^-x) entrywise (no overflow for large |x|); gradient s (1 - s)."""
    return _map(autograd.sigmoid, x)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Any:
    """x for x > 0, negative_slope * x otherwise, entrywise (torch's default slope 0.01)."""
    op_slope = float(negative_slope)
    return _map(lambda v: autograd.leaky_relu(v, op_slope), x)


def _logsumexp_forward(*xs: float) -> float:
    m = max(xs)
    if m in (math.inf, -math.inf) or m != m:
        return math.nan if any(x != x for x in xs) else m
    return m + math.log(sum(math.exp(x - m) for x in xs))


def _logsumexp_derivatives(out: Any, *xs: Any) -> tuple:
    # d/dx_i log sum_j e^x_j = e^x_i / sum_j e^x_j = e^(x_i - out): the softmax
    if type(out) is float:
        return tuple(math.exp(x - out) for x in xs)
    return tuple(autograd.exp(x - out) for x in xs)


_LOGSUMEXP = autograd.Op("logsumexp", _logsumexp_forward, _logsumexp_derivatives,
                         "log(e^x_1 + ... + e^x_n), computed as m + log(sum e^(x_i - m)), "
                         "m = max x_i")


def _logsumexp_sample(x: list) -> Scalar:
    if not x:
        raise ValueError("logsumexp of an empty list: there must be at least one score")
    return _LOGSUMEXP(*x)


def logsumexp(x: Any) -> Any:
    """log(e^x_1 + ... + e^x_n) of one sample as ONE node (a list for a batch, one per sample).

    Computed stably as m + log(sum_i e^(x_i - m)) with m = max_i x_i, so scores of 1000 do not
    overflow. Gradient: d/dx_i = e^(x_i - logsumexp(x)) = softmax(x)_i.
    """
    return _per_sample(_logsumexp_sample, x)


def _max_float(xs: Iterable[float]) -> float:
    """max(xs), but nan when any x is nan (Python's max skips a nan that is not first)."""
    xs = xs if type(xs) is tuple or type(xs) is list else list(xs)
    total = sum(xs)
    if xs and total == total:  # no nan among them (it would make the sum nan): max, in C
        return max(xs)
    m = -math.inf
    for x in xs:
        if x != x:
            return math.nan
        if x > m:
            m = x
    return m


def _max_data(x: list) -> float:
    # The shift is the maximum even when it is inf (inf - inf gives nan), as in torch: softmax,
    # log_softmax and cross_entropy of scores holding +inf are nan there, and so here.
    return _max_float(v.data if isinstance(v, Value) else float(v) for v in x)


def _max_of(*xs: float) -> float:
    return _max_float(xs)


# The shift of softmax and log_softmax: max x as a node through which no gradient flows (None),
# a constant for the chain rule as a plain number would be, but one computed from the scores in
# the graph, so that a step compiled by autograd.jit shifts each call's scores by their own max.
_SHIFT = autograd.Op("max (shift)", _max_of, lambda out, *xs: (None,) * len(xs),
                     "max x, a constant for the chain rule: the shift of softmax and log_softmax")


def _shift(x: list) -> Any:
    """max x: a node passing no gradient if x holds Values, else a number."""
    if any(isinstance(v, Value) for v in x):
        return _SHIFT(*x)
    return _max_data(x)


def _log_softmax_sample(x: list) -> list:
    if not x:
        raise ValueError("log_softmax of an empty list: there must be at least one score")
    m = _shift(x)  # a constant: shifting by it changes no gradient, and keeps x_i - m exact
    shifted = [v - m for v in x]
    log_total = _LOGSUMEXP(*shifted)
    return [v - log_total for v in shifted]


def log_softmax(x: Any) -> Any:
    """log(softmax(x))_i = x_i - logsumexp(x), for one sample or every sample of a batch.

    Computed as (x_i - m) - log(sum_j e^(x_j - m)) with m = max x, as torch does, so large scores
    lose no precision and there is never a log(0).
    """
    return _per_sample(_log_softmax_sample, x)


def _softmax_sample(x: list) -> list:
    if not x:
        raise ValueError("softmax of an empty list: there must be at least one score")
    m = _shift(x)
    exp = autograd.exp
    exps = [exp(v - m) for v in x]  # each <= 1: no overflow
    total = autograd.sum(exps)
    return [e / total for e in exps]


def softmax(x: Any) -> Any:
    """softmax(x)_i = e^x_i / sum_j e^x_j, per sample; the entries are positive and sum to 1.

    Computed as e^(x_i - m) / sum_j e^(x_j - m) with m = max x (the same number, no overflow).
    """
    return _per_sample(_softmax_sample, x)


# -- losses: shapes and reductions -----------------------------------------------------------------
_REDUCTIONS = ("mean", "sum", "none")


def _flatten(input: Any, target: Any, name: str) -> tuple[list, list, Any]:
    """Pair up prediction and target entries. Returns flat lists and the shape to restore."""
    input, target = _plain(input), _plain(target)  # noqa: A001 - torch's argument names
    for what, x in (("input", input), ("target", target)):
        if not (_is_scalar(x) or isinstance(x, (list, tuple))):
            raise TypeError(f"{name}: {what} must be a number or Value, a list of them (one per "
                            f"output) or a batch of such lists, got {_describe(x)}")
    if _is_scalar(input) or _is_scalar(target):
        if not (_is_scalar(input) and _is_scalar(target)):
            raise ValueError(f"{name}: input and target must have the same shape, got "
                             f"{_describe(input)} and {_describe(target)}")
        return [input], [target], None
    if len(input) != len(target):
        raise ValueError(f"{name}: input has {len(input)} entries but target has {len(target)}; "
                         "pass one target per prediction")
    if not len(input):
        raise ValueError(f"{name}: empty input; there is nothing to compute a loss over")
    if _is_scalar(input[0]):
        for i, (p, t) in enumerate(zip(input, target)):
            if not (_is_scalar(p) and _is_scalar(t)):
                raise ValueError(f"{name}: entry {i} is {_describe(p)} and {_describe(t)}; "
                                 "expected numbers or Values")
        return list(input), list(target), len(input)
    flat_input, flat_target, rows = [], [], []
    for i, (p, t) in enumerate(zip(input, target)):
        if _is_scalar(p) or _is_scalar(t) or len(p) != len(t):
            raise ValueError(f"{name}: sample {i} has {_describe(p)} as prediction and "
                             f"{_describe(t)} as target; they must have the same length")
        flat_input.extend(p)
        flat_target.extend(t)
        rows.append(len(p))
    return flat_input, flat_target, rows


def _describe(x: Any) -> str:
    if _is_scalar(x):
        return f"a single {type(x).__name__}"
    if isinstance(x, (str, bytes)):
        return f"the text {x!r:.40}"
    if x is None or isinstance(x, (dict, set)):
        return f"{type(x).__name__} {x!r:.40}"
    try:
        return f"a list of {len(x)}"
    except TypeError:
        return f"a {type(x).__name__}"


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _reduce(terms: list, reduction: str, shape: Any) -> Any:
    if reduction == "mean":
        return autograd.sum(terms) / len(terms)
    if reduction == "sum":
        return autograd.sum(terms)
    if shape is None:
        return terms[0]
    if isinstance(shape, int):
        return terms
    out, start = [], 0
    for n in shape:
        out.append(terms[start:start + n])
        start += n
    return out


def _elementwise_loss(name: str, term: Callable[[Scalar, Scalar], Scalar], input: Any,
                      target: Any, reduction: str,
                      check_target: Callable[[Any], None] | None = None) -> Any:
    _check_reduction(reduction)
    ps, ts, shape = _flatten(input, target, name)
    if check_target is not None:
        for t in ts:
            check_target(t)
    ts = named_targets(ps, ts, shape)
    return _reduce([term(p, t) for p, t in zip(ps, ts)], reduction, shape)


# -- what a loss reads its input as ----------------------------------------------------------------
# Each loss declares what the predictions it takes are, in the attribute `output_kind` (a function
# attribute here, a class attribute on the loss modules of nn.loss); nn.metrics reads it to turn
# predictions into classes:
#   "logits":        raw scores; the sign (one output) or the largest score (several) decides;
#   "probabilities": numbers in [0, 1]; 0.5 decides;
#   "regression":    the output itself is pulled onto the target; on 0/1 labels 0.5 decides.
OUTPUT_KINDS = ("logits", "probabilities", "regression")


def _reads_input_as(kind: str) -> Callable[[Callable], Callable]:
    """Declare a loss function's `output_kind` (one of OUTPUT_KINDS)."""
    assert kind in OUTPUT_KINDS, kind

    def declare(loss: Callable) -> Callable:
        loss.output_kind = kind  # type: ignore[attr-defined]  # an attribute of the function
        return loss

    return declare


# -- regression losses ----------------------------------------------------------------------------
@_reads_input_as("regression")
def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Mean squared error: mean_i (input_i - target_i)^2 (torch.nn.functional.mse_loss).

    With "mean"/"sum" the squares are summed by one `dot` node (d . d), not n squares and a sum.
    """
    _check_reduction(reduction)
    ps, ts, shape = _flatten(input, target, "mse_loss")
    ts = named_targets(ps, ts, shape)
    diffs = [p - t for p, t in zip(ps, ts)]
    if reduction == "none":
        return _reduce([d * d for d in diffs], reduction, shape)
    total = autograd.dot(diffs, diffs)  # sum of d_i^2; d/dd_i = 2 d_i (d_i appears twice)
    return total / len(diffs) if reduction == "mean" else total


@_reads_input_as("regression")
def l1_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Mean absolute error: mean_i |input_i - target_i|; gradient sign(input - target)."""
    return _elementwise_loss("l1_loss", lambda p, t: abs(p - t), input, target, reduction)


@_reads_input_as("regression")
def huber_loss(input: Any, target: Any, reduction: str = "mean", delta: float = 1.0) -> Any:
    """Huber loss (torch.nn.functional.huber_loss): with d = input - target,

        0.5 d^2                    if |d| < delta
        delta (|d| - 0.5 delta)    otherwise

    quadratic near the target, linear (gradient +-delta) far from it, so outliers pull less.
    """
    delta = float(delta)
    if not delta > 0:
        raise ValueError(f"huber_loss needs delta > 0, got {delta}")

    def linear(d: float) -> bool:
        return abs(d) >= delta  # not for nan: torch's gradient there is nan, not 0

    def term(p: Scalar, t: Scalar) -> Scalar:
        d = p - t
        # the two pieces are two graphs: a step compiled by autograd.jit replays this one only
        # while d stays on the same side of delta (else that call runs on the engine)
        if not (_branch(d, linear) if isinstance(d, Value) else linear(d)):
            return 0.5 * d * d
        return delta * (abs(d) - 0.5 * delta)

    return _elementwise_loss("huber_loss", term, input, target, reduction)


# -- classification losses ------------------------------------------------------------------------
# torch clamps (1 - p) p from below by its EPSILON 1e-12, which it stores as a 32-bit float
_BCE_EPSILON = 9.999999960041972e-13


def _bce_forward(p: float, y: float) -> float:
    log_p = math.log(p) if p > 0 else -math.inf
    log_1mp = math.log1p(-p) if p < 1 else -math.inf
    return (y - 1.0) * max(log_1mp, -100.0) - y * max(log_p, -100.0)


def _bce_derivatives(out: Any, p: Any, y: Any) -> tuple:
    if type(p) is float and type(y) is float:
        d_y = (math.log1p(-p) if p < 1 else -math.inf) - (math.log(p) if p > 0 else -math.inf)
        return (p - y) / max((1.0 - p) * p, _BCE_EPSILON), d_y
    return (p - y) / max((1.0 - p) * p, _BCE_EPSILON), autograd.log(1.0 - p) - autograd.log(p)


_BCE = autograd.Op("binary_cross_entropy", _bce_forward, _bce_derivatives,
                   "-(y log p + (1 - y) log(1 - p)), each log clamped at -100")


def _in_unit_interval(x: float) -> bool:
    return 0.0 <= x <= 1.0


def _bce_term(p: Scalar, y: Scalar) -> Scalar:
    # checked again on every replay of a step compiled by autograd.jit (out of range: the engine
    # runs that call, and raises)
    if not (_branch(y, _in_unit_interval) if isinstance(y, Value) else _in_unit_interval(y)):
        # torch: "all elements of target should be between 0 and 1"
        raise ValueError(f"binary_cross_entropy needs targets in [0, 1], got {float(y)!r}; "
                         "labels are 0 or 1 (or a probability in between)")
    if not (_branch(p, _in_unit_interval) if isinstance(p, Value) else _in_unit_interval(p)):
        raise ValueError(f"binary_cross_entropy needs probabilities in [0, 1], got {float(p)!r}; "
                         "for raw scores use binary_cross_entropy_with_logits")
    return _BCE(p, y)


@_reads_input_as("probabilities")
def binary_cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Binary cross-entropy of probabilities (torch.nn.functional.binary_cross_entropy):

        -(y log p + (1 - y) log(1 - p)),  each log clamped at -100 (so p = 0 costs 100, not inf)

    Gradient d/dp = (p - y) / max((1 - p) p, 1e-12), as torch. `input` must be in [0, 1]
    (the output of a sigmoid); prefer `binary_cross_entropy_with_logits` on raw scores.
    """
    return _elementwise_loss("binary_cross_entropy", _bce_term, input, target, reduction)


def _bce_logits_forward(x: float, y: float) -> float:
    return max(x, 0.0) - x * y + math.log1p(math.exp(-abs(x)))


def _bce_logits_derivatives(out: Any, x: Any, y: Any) -> tuple:
    # d/dx = sigmoid(x) - y, d/dy = -x
    return autograd.sigmoid(x) - y, -x


_BCE_LOGITS = autograd.Op("bce_with_logits", _bce_logits_forward, _bce_logits_derivatives,
                          "max(x, 0) - x y + log(1 + e^-|x|) = BCE(sigmoid(x), y), stably")


@_reads_input_as("logits")
def binary_cross_entropy_with_logits(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Binary cross-entropy on raw scores (logits) x, with the sigmoid built in:

        BCE(sigmoid(x), y) = max(x, 0) - x y + log(1 + e^-|x|)

    the stable form, finite for any x. Gradient d/dx = sigmoid(x) - y.
    """
    return _elementwise_loss("binary_cross_entropy_with_logits", _BCE_LOGITS, input, target,
                             reduction)


def _class_index(t: Any, classes: int, where: str) -> int:
    if isinstance(t, Value):
        t = t.data
    if isinstance(t, Integral) and not isinstance(t, bool):
        t = int(t)  # any size: 10 ** 400 is out of range below, not an OverflowError
    elif (isinstance(t, bool) or not isinstance(t, Real) or not math.isfinite(t)
            or t != int(float(t))):
        raise TypeError(f"cross_entropy: target{where} must be a class index (an int), got {t!r}")
    t = int(t)
    if not 0 <= t < classes:
        shown = t if abs(t) < 10 ** 24 else \
            f"({'a negative' if t < 0 else 'an'} integer of about " \
            f"{int(t.bit_length() * 0.30103) + 1} digits)"  # log10(2)
        raise IndexError(f"cross_entropy: target{where} {shown} is out of range for {classes} "
                         f"classes (valid indices 0..{classes - 1})")
    return t


def _target_class(t: float, classes: int) -> int:
    # the class index inside the op, so that the graph does not depend on it (see cross_entropy)
    if not (t - t == 0.0 and t == int(t) and 0 <= t < classes):  # finite, whole, in range
        raise IndexError(f"cross_entropy: target {t!r} is not a class index in 0..{classes - 1}")
    return int(t)


def _cross_entropy_forward(*xs: float) -> float:
    # log sum_j e^(x_j - m) - (x_t - m) with m = max x, torch's log_softmax: both parts small, so
    # no precision is lost, and m = +-inf or nan gives nan as there. The last input is the class t.
    scores = xs[:-1]
    t = _target_class(xs[-1], len(scores))
    m = _max_float(scores)
    return math.log(sum(map(math.exp, [x - m for x in scores]))) - (scores[t] - m)


def _cross_entropy_derivatives(out: Any, *xs: Any) -> tuple:
    # d/dx_j = softmax(x)_j - [j == t], with softmax(x)_j = e^((x_j - m) - log sum e^(x - m)).
    # Recomputed from x, not as e^(x_j - (out + x_t)): out + x_t loses the small sum when |x_t|
    # is huge (grad 1.0 instead of 0.5 at x = [0, 0, -1e16]) and can overflow. The class index
    # is data, not a variable: no gradient flows to it (None).
    scores, target = xs[:-1], xs[-1]
    t = _target_class(float(target), len(scores))
    if type(out) is float:
        m = _max_float(scores)
        shifted = [x - m for x in scores]
        log_total = math.log(sum(map(math.exp, shifted)))
        grads = [math.exp(v - log_total) for v in shifted]
    else:
        m = _max_float(x.data for x in scores)
        shifted = [x - m for x in scores]
        log_total = _LOGSUMEXP(*shifted)
        grads = [autograd.exp(v - log_total) for v in shifted]
    grads[t] = grads[t] - 1.0
    return (*grads, None)


# One op for every class: the target is its last input, a number like the scores, so the graph of
# a batch is the same whatever its labels are (autograd.jit replays it with the labels as data).
_CROSS_ENTROPY = autograd.Op("cross_entropy", _cross_entropy_forward, _cross_entropy_derivatives,
                             "logsumexp(x) - x[t]: the cross-entropy of scores x for class t "
                             "(the last input)")


@functools.lru_cache(maxsize=256)
def _smoothed_target(e: float, classes: int, j: int) -> autograd.Op:
    """The op t -> entry j of the smoothed target of class t, e / C + (1 - e) [j == t]: a weight
    that depends on the label through the graph (so a jitted step takes labels as data), and
    passes no gradient to it (cached: one op per smoothing, class count and entry)."""
    share = e / classes

    def forward(t: float) -> float:
        return share + (1.0 - e) if t == j else share

    return autograd.Op(f"smoothed_target[{j}]", forward, lambda out, t: (None,),
                       f"e / C + (1 - e) [t == {j}] with e = {e}, C = {classes}"
                       ).made_by(_smoothed_target, e, classes, j)  # so that pickle can make it


@_reads_input_as("logits")
def cross_entropy(input: Any, target: Any, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Any:
    """Cross-entropy of class scores (logits) against class indices (torch's cross_entropy):

        loss = -log softmax(x)[t] = logsumexp(x) - x_t          (one node per sample)

    `input` is one sample's list of C scores with `target` an int, or a batch (a list of such
    lists) with a list of ints. With label_smoothing = e the target is the mixture
    (1 - e) one_hot(t) + e / C, giving logsumexp(x) - (1 - e) x_t - (e / C) sum_j x_j.
    Stable for any scores (logits of +-1000 give finite losses and gradients).
    """
    _check_reduction(reduction)
    e = float(label_smoothing)
    if not 0.0 <= e <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    input, target = _plain(input), _plain(target)  # noqa: A001 - torch's argument names
    if _is_scalar(input) or not isinstance(input, (list, tuple)) or not len(input):
        raise ValueError("cross_entropy: input must be a list of class scores (one sample) or a "
                         f"list of such lists (a batch), got {_describe(input)}")
    if _is_scalar(input[0]):
        rows, targets, where = [list(input)], [target], [""]
        if not (_is_scalar(target)):
            raise ValueError(f"cross_entropy: one sample of scores needs one class index as "
                             f"target, got {_describe(target)}")
    else:
        rows = [list(r) for r in input]
        if _is_scalar(target) or len(target) != len(rows):
            raise ValueError(f"cross_entropy: a batch of {len(rows)} samples needs {len(rows)} "
                             f"target indices, got {_describe(target)}")
        targets, where = list(target), [f"[{i}]" for i in range(len(rows))]
    terms = []
    for row, t, w in zip(rows, targets, where):
        if not row or not all(_is_scalar(v) for v in row):
            raise ValueError(f"cross_entropy: scores{w} must be a non-empty list of numbers/Values")
        if len(row) != len(rows[0]):  # every sample scores the same classes
            raise ValueError(f"cross_entropy: scores{w} has {len(row)} class scores but "
                             f"scores[0] has {len(rows[0])}; every sample needs one per class")
        index = _class_index(t, len(row), w)
        if not isinstance(t, Value):
            t = Value(float(index), f"y{w}") if isinstance(row[0], Value) else float(index)
        if e == 0.0:
            terms.append(_CROSS_ENTROPY(*row, t))
        elif isinstance(t, Value):  # the weights as nodes of the class: labels stay data
            weights = [_smoothed_target(e, len(row), j)(t) for j in range(len(row))]
            terms.append(-autograd.dot(weights, _log_softmax_sample(row)))
        else:
            weights = [e / len(row)] * len(row)
            weights[index] += 1.0 - e
            terms.append(-autograd.dot(weights, _log_softmax_sample(row)))
    count = None if len(rows) == 1 and _is_scalar(input[0]) else len(terms)
    return _reduce(terms, reduction, count)


@_reads_input_as("logits")
def hinge_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Hinge (max-margin) loss with targets in {-1, 1}: relu(1 - y s), micrograd's demo loss.

    Zero once the score s has the right sign with a margin of 1; gradient -y while inside it.
    """

    def check(y: Scalar) -> None:
        if not isinstance(y, Value) and y not in (-1, 1):
            raise ValueError(f"hinge_loss targets must be -1 or 1, got {y!r}; "
                             "convert 0/1 labels with nn.data.to_signed(y)")

    def term(s: Scalar, y: Scalar) -> Scalar:
        margin = 1.0 - y * s
        return margin.relu() if isinstance(margin, Value) else max(margin, 0.0)

    return _elementwise_loss("hinge_loss", term, input, target, reduction, check)


# -- regularization -------------------------------------------------------------------------------
def l1_penalty(params: Iterable[Value]) -> Any:
    """sum_i |p_i|: add `lam * l1_penalty(model.parameters())` to a loss for L1 regularization
    (pushes weights to exactly 0). Gradient sign(p_i)."""
    params = list(params)
    return autograd.sum([abs(p) for p in params])


def l2_penalty(params: Iterable[Value]) -> Any:
    """sum_i p_i^2, as ONE `dot` node (p . p): add `lam * l2_penalty(model.parameters())` to a loss
    for L2 regularization (weight decay with rate 2 lam under SGD). Gradient 2 p_i."""
    params = list(params)
    if not params:
        return 0.0
    return autograd.dot(params, params)
