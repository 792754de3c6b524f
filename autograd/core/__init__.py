"""The engine: the node (`Value`), what an op is and how it becomes a node (`Op`, `apply`), reverse
mode (`backward.py`: the readable reference and the fast passes), hooks, the switches (`no_grad`,
...) and custom ops. It imports nothing from the rest of autograd (math, calculus, show)."""
from . import micrograd  # noqa: F401  (Value's _backward needs it; imported once here)
from .backward import chain_rule_step, reference_backward, topological_order
from .custom import op
from .modes import (
                    MODE,
                    detect_anomaly,
                    enable_grad,
                    is_grad_enabled,
                    is_recording_scopes,
                    no_grad,
                    record_scopes,
                    scope,
)
from .op import Op
from .partials import Over
from .registry import DISPLAY, OPS
from .value import NO_GRAD, Value, apply, as_float, attach, data_of, get_data, set_data

__all__ = ["Value", "NO_GRAD", "Op", "Over", "apply", "attach", "as_float",
           "data_of", "get_data", "set_data", "topological_order",
           "chain_rule_step", "reference_backward", "op", "MODE", "no_grad", "enable_grad",
           "is_grad_enabled", "detect_anomaly", "scope", "record_scopes", "is_recording_scopes",
           "OPS", "DISPLAY"]
