"""The lesson notebooks' exercise checks, in one place.

Each lesson ends with an exercise cell and a check cell that calls one function here, e.g.
`check_chain_rule({...})`. The function returns a `Verdict`: it shows as one line in the notebook
("Right: ...", "Not quite: ...", "Not done yet: ..."), and an autograder's test cell (nbgrader,
otter-grader) can assert on it:

    from lesson_checks import check_layers
    verdict = check_layers(n_layers)
    assert verdict.passed, verdict.message

Where a number is asked, any real number is accepted: Python's int and float, numpy's scalars and
0-d arrays, a Value (its .data). Strings and bools are refused with a message that says so.
"""
from __future__ import annotations

import html
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import autograd
import nn
import nn.functional as F
from autograd import Value

__all__ = ["Verdict", "as_number", "as_whole_number", "check_chain_rule",
           "check_sigmoid_derivative", "check_train_step", "check_cross_entropy_gradient",
           "check_momentum_step", "check_layers", "check_early_stopping",
           "check_steps_per_epoch", "check_cosine_lr"]

RIGHT, NOT_QUITE, NOT_DONE = "right", "not quite", "not done"
_HEADS = {RIGHT: "Right", NOT_QUITE: "Not quite", NOT_DONE: "Not done yet"}
_COLOURS = {RIGHT: "#1b7f3b", NOT_QUITE: "#b3261e", NOT_DONE: "#8a6d00"}


@dataclass(frozen=True)
class Verdict:
    """What a check found. `status` is "right", "not quite" or "not done"; `message` the whole
    line a student reads ("Right: ..."). True (in `if` and `assert`) only when right."""

    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == RIGHT

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return self.message

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.message)

    def _repr_html_(self) -> str:
        return (f'<div style="border-left: 4px solid {_COLOURS[self.status]}; padding: 4px 8px">'
                f"{html.escape(self.message)}</div>")


def _verdict(status: str, text: str) -> Verdict:
    return Verdict(status, f"{_HEADS[status]}: {text}")


class NotANumber(ValueError):
    """`as_number` was given something that is not a real number; the message says what it is."""


def _what(x: Any) -> str:
    if isinstance(x, str):
        return f"the string {x!r} (remove the quotes)"
    if isinstance(x, bool):
        return f"{x} (a bool, not a number)"
    return f"{type(x).__name__} {x!r:.60}"


def as_number(x: Any) -> float:
    """x as a float if it is a real number: int, float, a numpy scalar or 0-d array, a Value (its
    .data). Raises NotANumber for anything else, bools and strings included."""
    if isinstance(x, Value):
        x = x.data
    if getattr(x, "shape", None) == () and hasattr(x, "item"):  # a 0-d numpy array
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise NotANumber(f"expected a number, got {_what(x)}")
    return float(x)


def as_whole_number(x: Any) -> int:
    """x as an int if it is a whole number (an int, a numpy integer, or a float such as 10.0)."""
    value = as_number(x)
    if not value.is_integer():
        raise NotANumber(f"expected a whole number, got {x!r}")
    return int(value)


def _raised(name: str, error: Exception) -> Verdict:
    return _verdict(NOT_QUITE, f"{name} raised {type(error).__name__}: {error}")


# -- lesson 1 -------------------------------------------------------------------------------------
def check_chain_rule(answers: dict[str, Any]) -> Verdict:
    """dL/da, dL/db, dL/dc of L = (a·b + c)^2 at a = 2, b = -3, c = 5, against backward()."""
    if any(v is ... for v in answers.values()):
        return _verdict(NOT_DONE, "replace each ... in the cell above with a number.")
    a, b, c = Value(2.0), Value(-3.0), Value(5.0)
    ((a * b + c) ** 2).backward()
    wrong = []
    for (name, mine), v in zip(answers.items(), (a, b, c)):
        try:
            if abs(as_number(mine) - v.grad) > 1e-9:
                wrong.append(name)
        except NotANumber as problem:
            return _verdict(NOT_QUITE, f"{name}: {problem}.")
    if not wrong:
        return _verdict(RIGHT, "all three derivatives match backward().")
    return _verdict(NOT_QUITE, f"{', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} off. "
                               "First find q and dL/dq = 2q; then dL/da = dL/dq · ∂q/∂a, and so "
                               "on.")


# -- lesson 2 -------------------------------------------------------------------------------------
def check_sigmoid_derivative(candidate: Callable[[float], Any]) -> Verdict:
    """candidate(x) against sigmoid's derivative at seven points."""
    points = [-4.0, -1.5, -0.3, 0.0, 0.7, 2.0, 5.0]
    try:
        mine = [candidate(x) for x in points]
    except Exception as error:
        return _raised("sigmoid_derivative", error)
    if any(v is ... or v is None for v in mine):
        return _verdict(NOT_DONE, "replace the ... with a formula (and keep the return).")
    try:
        mine = [as_number(v) for v in mine]
    except NotANumber as problem:
        return _verdict(NOT_QUITE, f"sigmoid_derivative should return a number: {problem}.")
    exact = [autograd.grad(autograd.sigmoid)(x) for x in points]
    off = [(x, m, e) for x, m, e in zip(points, mine, exact) if not abs(m - e) <= 1e-9]
    if not off:
        return _verdict(RIGHT, "σ'(x) = σ(x)·(1 − σ(x)), at every point checked.")
    x, m, e = off[0]
    return _verdict(NOT_QUITE, f"at x = {x} your function gives {m:.4f}, the derivative is "
                               f"{e:.4f}. Hint: at x = 0, σ = 1/2 and the derivative is 1/4.")


# -- lesson 3 -------------------------------------------------------------------------------------
def check_train_step(train_step: Callable) -> Verdict:
    """Three steps of the student's train_step against a correct loop, on the same model."""
    X, y = nn.data.make_moons(20, noise=0.1, seed=3)
    y = nn.data.to_signed(y)
    mine, ref = nn.MLP(2, [4, 1], seed=1), nn.MLP(2, [4, 1], seed=1)
    opt_mine = nn.optim.SGD(mine.parameters(), lr=0.1)
    opt_ref = nn.optim.SGD(ref.parameters(), lr=0.1)
    for step in range(1, 4):
        try:
            loss = train_step(mine, opt_mine, X, y)
        except Exception as error:
            return _raised("train_step", error)
        if loss is None:
            return _verdict(NOT_DONE, "train_step returns nothing (write it, and return the loss).")
        ref_loss = F.hinge_loss(ref(X), y)
        opt_ref.zero_grad()
        ref_loss.backward()
        opt_ref.step()
        if not isinstance(loss, Value) or abs(loss.data - ref_loss.data) > 1e-9:
            return _verdict(NOT_QUITE, f"at step {step} your loss is {loss!r}, expected a Value "
                                       f"of {ref_loss.data:.6f}: F.hinge_loss(model(X), y).")
        if any(abs(p.data - q.data) > 1e-9 for p, q in zip(mine.parameters(), ref.parameters())):
            hint = ("did you zero the gradients before backward?" if step > 1 else
                    "did you call loss.backward() and then optimizer.step()?")
            return _verdict(NOT_QUITE, f"after step {step} the weights differ from a correct "
                                       f"step: {hint}")
    return _verdict(RIGHT, "three steps, the same losses and the same weights as a correct loop.")


# -- lesson 4 -------------------------------------------------------------------------------------
def check_cross_entropy_gradient(answer: Any) -> Verdict:
    """[dL/ds0, dL/ds1, dL/ds2] of cross_entropy([1, 2, 0], target 1), against backward()."""
    if answer is ...:
        return _verdict(NOT_DONE, "replace the ... with a list of three numbers.")
    values = [Value(v) for v in [1.0, 2.0, 0.0]]
    F.cross_entropy(values, 1).backward()
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
        return _verdict(NOT_QUITE, f"expected a list of three numbers, got {_what(answer)}.")
    try:
        mine = [as_number(g) for g in answer]
    except NotANumber as problem:
        return _verdict(NOT_QUITE, f"expected a list of three numbers: {problem}.")
    if len(mine) != 3:
        return _verdict(NOT_QUITE, f"expected three numbers (one per score), got {len(mine)}.")
    if all(abs(m - v.grad) < 1e-6 for m, v in zip(mine, values)):
        return _verdict(RIGHT, "softmax(s) − one-hot(t). Notice the three gradients add up to 0.")
    if abs(sum(mine)) > 1e-6:
        return _verdict(NOT_QUITE, "the three gradients of a cross-entropy always add up to 0; "
                                   "yours do not.")
    return _verdict(NOT_QUITE, "start from p = F.softmax(s); the true class's gradient is "
                               "p[t] − 1.")


# -- lesson 5 -------------------------------------------------------------------------------------
def check_momentum_step(step_fn: Callable) -> Verdict:
    """Ten steps of step_fn on f(x) = x^2 against nn.optim.SGD(lr=0.1, momentum=0.9); a wrong
    step is compared with the usual mistakes, to name the one made."""
    x_ref = Value(5.0)
    reference = nn.optim.SGD([x_ref], lr=0.1, momentum=0.9)
    x, buf = 5.0, 0.0
    for k in range(1, 11):
        before, g = (x, buf), 2 * x  # the gradient of x² is 2x
        try:
            x, buf = step_fn(x, buf, g, lr=0.1, momentum=0.9)
        except Exception as error:
            return _raised("momentum_step", error)
        if x is ... or buf is ...:
            return _verdict(NOT_DONE, "replace both ... with the update formulas.")
        try:
            x, buf = as_number(x), as_number(buf)
        except NotANumber as problem:
            return _verdict(NOT_QUITE, f"momentum_step should return two numbers: {problem}.")
        reference.zero_grad()
        (x_ref ** 2).backward()
        reference.step()
        if not abs(x - x_ref.data) <= 1e-9:
            return _verdict(NOT_QUITE, f"after step {k} x is {x:.6f}, SGD with momentum gives "
                                       f"{x_ref.data:.6f}. {_momentum_mistake(before, g, (x, buf))}")
    return _verdict(RIGHT, "ten steps, the same path as nn.optim.SGD(momentum=0.9).")


def _momentum_mistake(before: tuple[float, float], g: float, got: tuple[float, float]) -> str:
    """Name the usual mistake that gives `got` from `before` (lr 0.1, momentum 0.9), if one does."""
    x, b = before
    lr, mu = 0.1, 0.9
    mistakes = [
        ((x - lr * g, mu * b + g), "x moved along g: it should move along the new buffer, "
                                   "x − lr·buf."),
        ((x - lr * (mu * b + (1 - mu) * g), mu * b + (1 - mu) * g),
         "your buffer is an average, μ·buf + (1 − μ)·g (a dampened buffer); SGD's momentum adds "
         "the whole gradient: buf = μ·buf + g."),
        ((x - lr * b, mu * b + g), "x moved along the old buffer: update buf first, then step x "
                                   "with the new one."),
        ((x + lr * (mu * b + g), mu * b + g), "x moved uphill: subtract lr·buf."),
    ]
    for (x_wrong, b_wrong), name in mistakes:
        if abs(got[0] - x_wrong) <= 1e-9 and abs(got[1] - b_wrong) <= 1e-9:
            return name
    return "Update the buffer as buf = μ·buf + g, then move x by −lr·buf."


# -- lesson 6 -------------------------------------------------------------------------------------
def _sigmoid_chain_gradient(depth: int) -> float:
    x = Value(0.0)
    y = x
    for _ in range(depth):
        y = y.sigmoid() - 0.5
    y.backward()
    return x.grad


def check_layers(n: Any) -> Verdict:
    """The fewest sigmoid layers whose gradient at 0 falls below 1e-6."""
    if n is ...:
        return _verdict(NOT_DONE, "replace the ... with a whole number.")
    try:
        n = as_whole_number(n)
    except NotANumber as problem:
        return _verdict(NOT_QUITE, f"{problem} (a number of layers).")
    if n < 1 or n > 1000:
        return _verdict(NOT_QUITE, f"expected a number of layers from 1 to 1000, got {n}.")
    here, fewer = _sigmoid_chain_gradient(n), _sigmoid_chain_gradient(n - 1)
    if here < 1e-6 <= fewer:
        return _verdict(RIGHT, f"{n} layers pass back {here:.2e}; one fewer pass {fewer:.2e}.")
    if here >= 1e-6:
        return _verdict(NOT_QUITE, f"{n} layers still pass back {here:.2e}, not below 1e-6.")
    return _verdict(NOT_QUITE, f"{n} layers work, but fewer would too: (1/4)^{n - 1} = "
                               f"{fewer:.2e}.")


# -- lesson 7 -------------------------------------------------------------------------------------
def check_early_stopping(candidate: Callable) -> Verdict:
    """candidate(val_losses, patience) -> (stop epoch, best epoch), against nn.EarlyStopping."""
    cases = [([0.9, 0.7, 0.8, 0.75, 0.6], 2), ([1.0, 0.8, 0.6, 0.5, 0.4], 1),
             ([0.5, 0.6, 0.7, 0.4, 0.3, 0.35, 0.36, 0.2], 3), ([0.5, 0.5, 0.5], 1),
             ([0.3, 0.4, 0.2, 0.25, 0.26, 0.27, 0.1], 3)]
    for losses, patience in cases:
        stopper = nn.EarlyStopping(patience=patience, restore_best=False)
        stop = next((epoch for epoch, loss in enumerate(losses, 1) if stopper.step(loss)),
                    len(losses))
        expected = (stop, stopper.best_epoch)
        try:
            mine = candidate(list(losses), patience)
        except Exception as error:
            return _raised("early_stopping", error)
        if mine is None:
            return _verdict(NOT_DONE, "early_stopping returns nothing (write it, and return the "
                                      "pair).")
        try:
            pair = tuple(as_whole_number(v) for v in mine)
        except (NotANumber, TypeError) as problem:
            return _verdict(NOT_QUITE, f"early_stopping should return two whole numbers (stop, "
                                       f"best): {problem}.")
        if pair != expected:
            return _verdict(NOT_QUITE, f"for {losses} with patience {patience} you return "
                                       f"{mine}, nn.EarlyStopping says {expected}.")
    return _verdict(RIGHT, "the same answer as nn.EarlyStopping on every curve.")


# -- lesson 8 -------------------------------------------------------------------------------------
def check_steps_per_epoch(candidate: Callable) -> Verdict:
    """candidate(n, batch_size, drop_last) against len(DataLoader(...))."""
    for n, batch_size, drop_last in [(60, 10, False), (60, 16, False), (60, 16, True),
                                     (7, 1, False), (100, None, False), (5, 8, False),
                                     (33, 32, True)]:
        expected = len(nn.data.DataLoader([[0.0]] * n, [0] * n, batch_size=batch_size,
                                          drop_last=drop_last))
        try:
            mine = candidate(n, batch_size, drop_last)
        except Exception as error:
            return _verdict(NOT_QUITE, f"steps_per_epoch({n}, {batch_size}, {drop_last}) raised "
                                       f"{type(error).__name__}: {error}")
        if mine is None:
            return _verdict(NOT_DONE, "steps_per_epoch returns nothing.")
        try:
            count = as_whole_number(mine)
        except NotANumber as problem:
            return _verdict(NOT_QUITE, f"steps_per_epoch should return a whole number: {problem}.")
        if count != expected:
            return _verdict(NOT_QUITE, f"steps_per_epoch({n}, {batch_size}, "
                                       f"drop_last={drop_last}) should be {expected}, yours gives "
                                       f"{mine}.")
    return _verdict(RIGHT, "your count matches DataLoader's in every case.")


# -- lesson 9 -------------------------------------------------------------------------------------
def check_cosine_lr(candidate: Callable) -> Verdict:
    """candidate(epoch, base_lr, T_max, eta_min) against CosineAnnealingLR at every epoch."""
    from nn.optim.lr_scheduler import CosineAnnealingLR

    for base_lr, T_max, eta_min in [(1.0, 10, 0.0), (0.1, 7, 0.001), (0.5, 30, 0.05)]:
        optimizer = nn.optim.SGD([Value(0.0)], lr=base_lr)
        scheduler = CosineAnnealingLR(optimizer, T_max=T_max, eta_min=eta_min)
        for epoch in range(T_max + 1):
            expected = optimizer.param_groups[0]["lr"]
            try:
                mine = candidate(epoch, base_lr, T_max, eta_min)
            except Exception as error:
                return _raised("cosine_lr", error)
            if mine is None:
                return _verdict(NOT_DONE, "cosine_lr returns nothing.")
            try:
                mine = as_number(mine)
            except NotANumber as problem:
                return _verdict(NOT_QUITE, f"cosine_lr should return a number: {problem}.")
            if not abs(mine - expected) <= 1e-9:
                return _verdict(NOT_QUITE, f"cosine_lr({epoch}, {base_lr}, {T_max}, {eta_min}) "
                                           f"should be {expected:.6f}, yours gives {mine:.6f}.")
            optimizer.step()
            scheduler.step()
    return _verdict(RIGHT, "the same learning rate as CosineAnnealingLR at every epoch.")

