"""chainrule's scalar reverse-mode autograd engine.

    >>> from autograd import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> c = a * b + a.tanh()
    >>> c.backward()
    >>> round(a.grad, 4), b.grad
    (-2.9293, 2.0)
"""
__version__ = "0.1.0"  # chainrule's version: pyproject.toml reads it from here, nn re-exports it

from .core.modes import (detect_anomaly, enable_grad, is_grad_enabled, is_recording_scopes, no_grad,
                    record_scopes, scope)
from .core import Op, Value, topological_order
from .math import basic as _ops  # attaches the operators and methods to Value
from .math.basic import (abs, cos, div, dot, exp, leaky_relu, log, pow, relu, sigmoid, sin, sqrt, sum,
                  tanh)
from .math.trig import acos, acosh, asin, asinh, atan, atan2, atanh, cosh, sinh, tan
from .math.exp_log import exp2, expm1, hypot, log1p, log2, log10, logaddexp, reciprocal, rsqrt, square
from .math.reductions import max, mean, min, prod
from .math.piecewise import (ceil, clamp, floor, floor_divide, maximum, minimum, remainder, round, sign,
                        trunc)
from .core.custom import op
from .calculus.functional import grad, hessian, jacobian, value_and_grad
from .calculus.forward_mode import jvp
from .calculus.gradient_checks import GradcheckError, gradcheck, gradgradcheck, numeric_grad
from .calculus.jit import jit
from .math.reductions import MEAN as _MEAN
from .show.draw import GraphvizNotFoundError, draw_dot, save_graph
from .show.text_tree import tree
from .show.explanation import BackwardStep, BackwardSteps, ChainTerm, explain
from .show.step_page import save_backward_steps
from .show.files import write_atomically

__all__ = [
    # the node and the graph
    "Value", "Op", "topological_order",
    # switches
    "no_grad", "enable_grad", "is_grad_enabled", "detect_anomaly",
    "scope", "record_scopes", "is_recording_scopes",
    # ops as functions of numbers or Values
    "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "leaky_relu", "abs", "sin", "cos",
    "div", "pow", "sum", "dot",
    "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "asinh", "acosh", "atanh",
    "log1p", "expm1", "log2", "log10", "exp2", "hypot", "logaddexp", "square", "reciprocal", "rsqrt",
    "sign", "floor", "ceil", "round", "trunc", "clamp", "maximum", "minimum", "remainder",
    "floor_divide", "mean", "prod", "max", "min",
    # custom ops, derivatives as functions, checking them
    "op", "grad", "value_and_grad", "jacobian", "hessian", "jvp", "gradcheck", "gradgradcheck",
    "GradcheckError", "numeric_grad",
    # compiling a training step
    "jit",
    # pictures and explanations
    "draw_dot", "save_graph", "GraphvizNotFoundError", "tree",
    "explain", "save_backward_steps", "BackwardStep", "BackwardSteps", "ChainTerm",
    # files
    "write_atomically",
]


# the built-in ops whose float code `jit` writes out itself (calculus imports no op library)
jit.use_templates({"add": _ops.add, "sub": _ops.sub, "mul": _ops.mul, "div": _ops.DIV,
                   "neg": _ops.neg, "exp": _ops.exp, "log": _ops.log, "tanh": _ops.tanh,
                   "sigmoid": _ops.sigmoid, "relu": _ops.relu, "abs": _ops.abs, "dot": _ops.DOT,
                   "relu_dot": _ops.RELU_DOT, "sum": _ops.SUM, "mean": _MEAN})


def __dir__() -> list[str]:
    # The documented API, not the submodules it is implemented in.
    return sorted(__all__ + ["__version__"])
