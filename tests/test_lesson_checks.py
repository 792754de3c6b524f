"""The lesson notebooks' shared checks (demos/notebooks/lesson_checks.py): any real number type is a
number, strings and bools are not, and every check returns a Verdict an autograder can assert on.
(tests/test_notebooks.py runs the same checks inside the notebooks.)"""
import math
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "demos" / "notebooks"))

import lesson_checks as lc

import nn
import nn.functional as F
from autograd import Value, sigmoid

REAL_SIX = [6, 6.0, np.float32(6), np.float64(6), np.int64(6), np.array(6.0), np.array(6),
            Value(6.0), Fraction(6)]


@pytest.mark.parametrize("six", REAL_SIX, ids=lambda x: type(x).__name__)
def test_any_real_number_is_a_number(six):
    assert lc.as_number(six) == 6.0 and type(lc.as_number(six)) is float
    assert lc.as_whole_number(six) == 6


@pytest.mark.parametrize("bad, phrase", [("6", "the string '6' (remove the quotes)"),
                                         (True, "True (a bool, not a number)"),
                                         (None, "NoneType"), ([6.0], "list"),
                                         (np.array([6.0]), "ndarray"), (6 + 0j, "complex")])
def test_strings_bools_and_others_are_not(bad, phrase):
    with pytest.raises(lc.NotANumber, match=None) as info:
        lc.as_number(bad)
    assert phrase in str(info.value)
    with pytest.raises(lc.NotANumber, match="whole number"):
        lc.as_whole_number(6.5)


def test_lesson_1_accepts_numpy_and_refuses_strings():
    right = {"dL/da": np.float32(6), "dL/db": np.array(-4.0), "dL/dc": Value(-2.0)}
    verdict = lc.check_chain_rule(right)
    assert verdict.passed and bool(verdict) and verdict.status == "right"
    assert str(verdict) == "Right: all three derivatives match backward()."
    verdict = lc.check_chain_rule({**right, "dL/da": "6"})
    assert not verdict and verdict.message.startswith("Not quite: dL/da: expected a number, got "
                                                      "the string '6'")
    assert lc.check_chain_rule({**right, "dL/dc": 1.0}).message.startswith(
        "Not quite: dL/dc is off.")
    assert lc.check_chain_rule({**right, "dL/db": ...}).status == "not done"


def test_lesson_2_and_9_take_numpy_results():
    assert lc.check_sigmoid_derivative(lambda x: np.float64(sigmoid(x) * (1 - sigmoid(x))))
    assert lc.check_sigmoid_derivative(lambda x: "0.25").message == (
        "Not quite: sigmoid_derivative should return a number: expected a number, got the string "
        "'0.25' (remove the quotes).")

    def cosine(epoch, base_lr, T_max, eta_min=0.0):
        return np.float64(eta_min + 0.5 * (base_lr - eta_min)
                          * (1 + math.cos(math.pi * epoch / T_max)))
    assert lc.check_cosine_lr(cosine)
    assert not lc.check_cosine_lr(lambda *a: True)


def test_lesson_4_refuses_strings_that_used_to_pass():
    p = F.softmax([1.0, 2.0, 0.0])
    right = [p[0], p[1] - 1, p[2]]
    assert lc.check_cross_entropy_gradient(right)
    assert lc.check_cross_entropy_gradient(np.array(right))
    verdict = lc.check_cross_entropy_gradient([str(v) for v in right])
    assert verdict.status == "not quite" and "the string" in verdict.message
    assert "expected a list of three numbers" in lc.check_cross_entropy_gradient("0.1 0.2").message


def test_lesson_6_whole_numbers():
    assert lc.check_layers(np.int64(10)).passed
    assert lc.check_layers(10.0).passed
    verdict = lc.check_layers(True)
    assert verdict.status == "not quite" and "a bool" in verdict.message
    assert lc.check_layers(9).message.startswith("Not quite: 9 layers still pass back")
    assert lc.check_layers(...).status == "not done"


def test_lessons_5_7_8_with_numpy_answers():
    def momentum(x, buf, g, lr, momentum):
        buf = np.float64(momentum * buf + g)
        return x - lr * buf, buf
    assert lc.check_momentum_step(momentum)

    def early(val_losses, patience):
        best, best_epoch, waited = math.inf, 0, 0
        for epoch, loss in enumerate(val_losses, 1):
            if loss < best:
                best, best_epoch, waited = loss, epoch, 0
            else:
                waited += 1
                if waited >= patience:
                    return np.int64(epoch), np.int64(best_epoch)
        return len(val_losses), best_epoch
    assert lc.check_early_stopping(early), lc.check_early_stopping(early)

    def steps(n, batch_size, drop_last=False):
        if batch_size is None:
            return np.int64(1)
        return np.int64(n // batch_size if drop_last else -(-n // batch_size))
    assert lc.check_steps_per_epoch(steps)
    assert "a whole number" in lc.check_steps_per_epoch(lambda *a: "6").message


def test_lesson_3_names_the_missing_zero_grad():
    def forgets_zero_grad(model, optimizer, X, y):
        loss = F.hinge_loss(model(X), y)
        loss.backward()
        optimizer.step()
        return loss
    verdict = lc.check_train_step(forgets_zero_grad)
    assert verdict.message == ("Not quite: after step 2 the weights differ from a correct step: "
                               "did you zero the gradients before backward?")
    assert lc.check_train_step(lambda *a: None).status == "not done"
    assert isinstance(nn.MLP(2, [1]), nn.Module)


def test_a_verdict_displays_as_its_message():
    verdict = lc.check_layers(...)
    assert verdict.message == "Not done yet: replace the ... with a whole number."
    html = verdict._repr_html_()
    assert "Not done yet: replace the ... with a whole number." in html and "<div" in html
    from IPython.lib.pretty import pretty
    assert pretty(verdict) == verdict.message


@pytest.mark.parametrize("step, named", [
    (lambda x, buf, g, lr, momentum: (x - lr * g, momentum * buf + g), "moved along g"),
    (lambda x, buf, g, lr, momentum: (x - lr * (momentum * buf + (1 - momentum) * g),
                                      momentum * buf + (1 - momentum) * g), "dampened buffer"),
    (lambda x, buf, g, lr, momentum: (x - lr * buf, momentum * buf + g), "old buffer"),
    (lambda x, buf, g, lr, momentum: (x + lr * (momentum * buf + g), momentum * buf + g), "uphill"),
])
def test_the_momentum_check_names_the_usual_mistake(step, named):
    verdict = lc.check_momentum_step(step)
    assert not verdict.passed and named in str(verdict)
