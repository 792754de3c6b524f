"""What an op is: a name, a forward on floats and its local derivatives (`Op`)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .pickling import reduce_op
from .value import Value, apply, as_float


class Op:
    """A differentiable operation: a name, a forward on floats, and its local derivatives.

    Args:
        name: shown in graph pictures and explanations ("+", "tanh", ...).
        forward: `forward(*xs: float) -> float`, the op on plain numbers.
        derivatives: `derivatives(out, *xs) -> tuple`, one partial derivative d(out)/d(x_i) per
            input, or None for an input that gets no gradient at that point: the engine then
            passes nothing on instead of multiplying (PyTorch masks this way, e.g. relu at x <= 0,
            so an inf or nan gradient from above does not leak through a zero slope). It is written
            with ordinary arithmetic and autograd's functions (`exp`, `div`, ...), so the same code
            runs on floats in a plain backward pass and on Values when `backward(create_graph=True)`
            builds the graph of the derivatives. A partial that is a reciprocal 1/d is given as
            `Over(d)`, so the engine divides the incoming gradient by d, as PyTorch does (see Over).
        doc: the docstring (default: the forward's).
        backward: optional, a fast path for the float backward pass, worth it for ops of many
            inputs: `backward(g, out, inputs)` gets the node's gradient `g`, its output `out` (a
            float) and its input Values, and adds `g * d` to `input.grad` for each input's partial
            `d` in the order of `inputs`, skipping the inputs whose partial is None. It must give
            exactly the floats the generic rule `g * derivatives(...)[i]` gives: the tests check
            every op's fast path bit for bit against its `derivatives` (tests/test_fast_paths.py
            finds the ops by themselves). `derivatives` stays the definition: explanations and
            `create_graph` use it.

    Calling an Op applies it: with any Value among the arguments the result is a Value in the graph;
    with plain numbers only it is a plain float.
    """

    def __init__(self, name: str, forward: Callable[..., float],
                 derivatives: Callable[..., Sequence[Any]], doc: str | None = None,
                 backward: Callable[[float, float, tuple[Any, ...]], None] | None = None) -> None:
        self.name = name
        self.forward = forward
        self.derivatives = derivatives
        self.backward = backward
        self.__name__ = name
        self.__doc__ = doc or forward.__doc__

    def __call__(self, *args: Any) -> Any:
        for a in args:
            if isinstance(a, Value):
                return apply(self, tuple(a if isinstance(a, Value) else Value(a) for a in args))
        return self.forward(*[as_float(a) for a in args])

    def __repr__(self) -> str:
        return f"<op {self.name}>"

    # -- pickle and copy: an op is a definition, shared, never copied ---------------------------
    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled by reference: as the module-level name it is bound to, or as the call of the
        function that made it (see `made_by`); an op made inside a function cannot be pickled."""
        return reduce_op(self)

    def __copy__(self) -> Op:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Op:
        return self

    def made_by(self, factory: Callable[..., Op], *args: Any) -> Op:
        """Record that `factory(*args)` returns this op, so that pickle stores that call.

        For ops made by a function, one per setting (`power_by(c)`, `leaky_relu_by(slope)`): such
        an op has no module-level name to be found by. `factory` must itself be a module-level
        function, and the args picklable. Returns the op, so a factory ends with
        `return Op(...).made_by(factory, arg)`.
        """
        self._made_by = (factory, args)
        return self
