"""chainrule's scalar reverse-mode autograd engine.

    >>> from autograd import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> c = a * b + a.tanh()
    >>> c.backward()
    >>> round(a.grad, 4), b.grad
    (-2.9293, 2.0)
"""
from .modes import (detect_anomaly, enable_grad, is_grad_enabled, is_recording_scopes, no_grad,
                    record_scopes, scope)
from .value import Op, Value, topological_order
from . import ops as _ops
from .ops import (abs, cos, div, dot, exp, leaky_relu, log, pow, relu, sigmoid, sin, sqrt, sum,
                  tanh)
from .explain import BackwardStep, BackwardSteps, ChainTerm, explain
from .step_page import save_backward_steps
from .draw import GraphvizNotFoundError, draw_dot, save_graph
from .tree import tree

__all__ = [
    "Value", "Op", "topological_order",
    "no_grad", "enable_grad", "is_grad_enabled", "detect_anomaly",
    "scope", "record_scopes", "is_recording_scopes",
    "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "leaky_relu", "abs", "sin", "cos",
    "div", "pow", "sum", "dot",
    "explain", "save_backward_steps", "BackwardStep", "BackwardSteps", "ChainTerm",
    "draw_dot", "save_graph", "GraphvizNotFoundError", "tree",
]
from .functional import grad, hessian, value_and_grad

__all__ += ["grad", "value_and_grad", "hessian"]
from .custom import op

__all__ += ["op"]
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ += ["gradcheck", "gradgradcheck", "GradcheckError"]
