"""chainrule's scalar reverse-mode autograd engine.

    >>> from autograd import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> c = a * b + a.tanh()
    >>> c.backward()
    >>> round(a.grad, 4), b.grad
    (-2.9293, 2.0)
"""
__version__ = "0.1.0"  # chainrule's version: pyproject.toml reads it from here, nn re-exports it

from typing import TYPE_CHECKING, Any

from .calculus.forward_mode import jvp
from .calculus.functional import grad, hessian, jacobian, value_and_grad
from .calculus.gradient_checks import GradcheckError, gradcheck, gradgradcheck, numeric_grad
from .calculus.jit import jit
from .core import (
    Op,
    Value,
    detect_anomaly,
    enable_grad,
    get_data,
    is_grad_enabled,
    is_recording_scopes,
    no_grad,
    op,
    record_scopes,
    scope,
    set_data,
    topological_order,
)
from .math import basic as _basic
from .math import reductions as _reductions

# Named like Python's builtins: public as autograd.sum(...), not in __all__ (NAMED_LIKE_BUILTINS).
from .math.basic import abs as abs

# The op library: importing it registers the ops behind Value's operators and methods.
from .math.basic import cos, div, dot, exp, leaky_relu, log, relu, sigmoid, sin, sqrt, tanh
from .math.basic import pow as pow
from .math.basic import sum as sum
from .math.exp_log import (
    exp2,
    expm1,
    hypot,
    log1p,
    log2,
    log10,
    logaddexp,
    reciprocal,
    rsqrt,
    square,
)
from .math.piecewise import (
    ceil,
    clamp,
    floor,
    floor_divide,
    maximum,
    minimum,
    remainder,
    sign,
    trunc,
)
from .math.piecewise import round as round
from .math.reductions import max as max
from .math.reductions import mean, prod
from .math.reductions import min as min
from .math.trig import acos, acosh, asin, asinh, atan, atan2, atanh, cosh, sinh, tan

# The text displays of a Value (its tree, its notebook card): light, and registered on import.
from .show.text_tree import tree

# The pictures, explanations and files load when first asked for, so `import autograd` reads no
# graphviz: `autograd.draw_dot` imports autograd/show/draw.py on first use.
_LOADED_ON_USE = {
    "draw_dot": "draw", "save_graph": "draw", "GraphvizNotFoundError": "draw",
    "GraphTooSlowError": "draw",
    "explain": "explanation", "save_backward_steps": "explanation", "BackwardStep": "explanation",
    "BackwardSteps": "explanation", "ChainTerm": "explanation",
    "write_atomically": "files",
}
if TYPE_CHECKING:  # what type checkers and editors see: the same names, imported directly
    from .show.draw import GraphTooSlowError, GraphvizNotFoundError, draw_dot, save_graph
    from .show.explanation import (
        BackwardStep,
        BackwardSteps,
        ChainTerm,
        explain,
        save_backward_steps,
    )
    from .show.files import write_atomically


def __getattr__(name: str) -> Any:
    module = _LOADED_ON_USE.get(name)
    if module is None:
        raise AttributeError(f"module 'autograd' has no attribute {name!r}")
    import importlib
    found = getattr(importlib.import_module(f"autograd.show.{module}"), name)
    globals()[name] = found  # the next lookup finds it directly
    return found


__all__ = [
    # the node and the graph
    "Value", "Op", "topological_order",
    # many Values' numbers at once (optimizers)
    "get_data", "set_data",
    # switches
    "no_grad", "enable_grad", "is_grad_enabled", "detect_anomaly",
    "scope", "record_scopes", "is_recording_scopes",
    # ops as functions of numbers or Values
    "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "leaky_relu", "sin", "cos",
    "div", "dot",
    "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "asinh", "acosh", "atanh",
    "log1p", "expm1", "log2", "log10", "exp2", "hypot", "logaddexp", "square", "reciprocal",
    "rsqrt",
    "sign", "floor", "ceil", "trunc", "clamp", "maximum", "minimum", "remainder",
    "floor_divide", "mean", "prod",
    # custom ops, derivatives as functions, checking them
    "op", "grad", "value_and_grad", "jacobian", "hessian", "jvp", "gradcheck", "gradgradcheck",
    "GradcheckError", "numeric_grad",
    # compiling a training step
    "jit",
    # pictures and explanations
    "draw_dot", "save_graph", "GraphvizNotFoundError", "GraphTooSlowError", "tree",
    "explain", "save_backward_steps", "BackwardStep", "BackwardSteps", "ChainTerm",
    # files
    "write_atomically",
]


# Functions named like Python's builtins: public as `autograd.sum(...)`, but left out of `__all__`
# so that `from autograd import *` never replaces Python's own `sum`, `max`, `min`, `abs`, `round`
# and `pow` (after which `range(max(3, 5))` would fail). Each takes numbers too.
NAMED_LIKE_BUILTINS = ["abs", "max", "min", "pow", "round", "sum"]

# the built-in ops whose float code `jit` writes out itself (calculus imports no op library)
jit.use_templates({"add": _basic.add, "sub": _basic.sub, "mul": _basic.mul, "div": _basic.DIV,
                   "neg": _basic.neg, "exp": _basic.exp, "log": _basic.log, "tanh": _basic.tanh,
                   "sigmoid": _basic.sigmoid, "relu": _basic.relu, "abs": _basic.abs,
                   "dot": _basic.DOT, "relu_dot": _basic.RELU_DOT, "sum": _basic.SUM,
                   "mean": _reductions.MEAN})


def __dir__() -> list[str]:
    # The documented API, not the submodules it is implemented in.
    return sorted(__all__ + NAMED_LIKE_BUILTINS + ["__version__"])
