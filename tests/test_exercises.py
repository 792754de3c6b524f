"""The classroom exercises: every model answer passes its checker, every untouched exercise file
fails with a message that says what to do, and typical wrong answers get specific feedback."""
import math
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `demos` is not installed

import autograd  # noqa: E402
import nn  # noqa: E402
from demos.exercises import checker  # noqa: E402
from demos.exercises.__main__ import main  # noqa: E402

NUMBERS = sorted(checker.EXERCISES)


def with_changes(number, **changes):
    """The model answer of exercise `number` with some names replaced: a student's wrong answer."""
    return SimpleNamespace(**{**vars(checker.load(number, solution=True)), **changes})


def has_row(message, *cells):
    """True when `message` has a table row with these cells in order (any spacing between them)."""
    return re.search(r"[ \t]+".join(map(re.escape, cells)), message) is not None


def test_there_are_at_least_six_exercises_each_with_a_file_and_a_solution():
    assert NUMBERS[:6] == [1, 2, 3, 4, 5, 6]
    folder = Path(checker.__file__).parent
    for exercise in checker.EXERCISES.values():
        assert (folder / f"{exercise.module}.py").is_file()
        assert (folder / "solutions" / f"{exercise.module}.py").is_file()


@pytest.mark.parametrize("number", NUMBERS)
def test_every_solution_passes(number):
    result = checker.check(number, solution=True)
    assert result.status == "pass", str(result)
    assert str(result).splitlines()[1].startswith("PASS: ")
    assert "solutions/" in result.path


# What an untouched exercise file says: the status and a phrase that tells the student what to do.
UNTOUCHED = {
    1: ("not done", "write df(x), the derivative of f"),
    2: ("not done", "write swish_derivatives(out, x)"),
    3: ("not done", "BY_HAND still has None for do/dn, do/dw1"),
    4: ("fail", "the first derivatives are wrong at a = 1, b = -2"),  # the bug, found by gradcheck
    5: ("not done", "write sgd_momentum_step"),
    6: ("not done", "STEPS is still None"),
    7: ("not done", "GRADS still has None for L, d, e, b, a, c"),
    8: ("not done", "write my_tanh(x) with autograd.exp"),
    9: ("not done", "write adam_step"),
}


@pytest.mark.parametrize("number", NUMBERS)
def test_every_untouched_exercise_fails_helpfully(number):
    result = checker.check(number)
    status, phrase = UNTOUCHED[number]
    assert result.status == status and not result.passed
    assert phrase in result.message
    assert f"demos/exercises/{checker.EXERCISES[number].module}.py" in str(result)
    if number == 4:  # gradcheck's table points at d out/db (analytic e^(a-out), numeric e^(b-out))
        assert has_row(result.message, "a = 1", "0.95257413", "0.95257413")
        assert has_row(result.message, "b = -2", "0.95257413", "0.047425873")


def test_command_line_exit_codes_and_output(capsys):
    assert main(["check", "1", "--solution"]) == 0
    assert "PASS" in capsys.readouterr().out
    assert main(["check", "1"]) == 1
    assert "NOT DONE YET: TODO (exercise 1)" in capsys.readouterr().out
    assert main(["list"]) == 0
    assert "6. Make an MLP learn XOR" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "99"])
    assert exit_info.value.code == 2
    assert "no exercise '99'" in capsys.readouterr().err


def test_all_solutions_from_the_command_line(capsys):
    assert main(["check", "all", "--solution"]) == 0
    assert capsys.readouterr().out.count("PASS: ") == len(NUMBERS)


# -- wrong answers get specific feedback -------------------------------------------------------
def test_ex1_wrong_derivative_shows_the_points_expected_and_got():
    result = checker.check(1, module=with_changes(1, dg=lambda x: x * math.cos(x)))
    assert result.status == "fail"
    assert "dg is wrong at 5 of 6 points" in result.message  # right only at x = 0
    assert "df is wrong" not in result.message and "dh is wrong" not in result.message
    # at x = 1: yours 1 * cos 1 = 0.540302, autograd's sin 1 + cos 1 = 1.38177
    assert has_row(result.message, "1", "0.540302", "1.38177", "<-- WRONG")
    assert has_row(result.message, "0", "0", "0", "ok")
    assert "product" in result.message


def test_ex1_none_and_crash():
    result = checker.check(1, module=with_changes(1, dh=lambda x: None))
    assert result.status == "not done" and "dh(-2) returned None" in result.message
    result = checker.check(1, module=with_changes(1, df=lambda x: 1 / 0))
    assert result.status == "fail" and "raised ZeroDivisionError" in result.message


def test_ex2_forgotten_product_rule_fails_gradcheck_with_its_table():
    wrong = autograd.op(derivatives=lambda out, x: (autograd.sigmoid(x),), name="swish")(
        checker._swish)
    result = checker.check(2, module=with_changes(2, swish=wrong))
    assert "first derivatives are wrong at x = -3" in result.message
    assert "gradcheck failed" in result.message and "<-- WRONG" in result.message


def test_ex2_math_in_derivatives_is_caught_by_gradgradcheck():
    def with_math(out, x):
        s = 1 / (1 + math.exp(-float(x)))
        return (s + float(x) * s * (1 - s),)

    wrong = autograd.op(derivatives=with_math, name="swish")(checker._swish)
    result = checker.check(2, module=with_changes(2, swish=wrong))
    assert result.status == "fail"
    assert "first derivatives pass gradcheck, but the second derivatives are wrong" \
        in result.message
    assert "gradgradcheck failed" in result.message and "math.*" in result.message


def test_ex3_wrong_hand_number_gets_a_hint_but_not_the_answer():
    by_hand = dict(checker.load(3, solution=True).BY_HAND, **{"do/dw2": 1.28})
    result = checker.check(3, module=with_changes(3, BY_HAND=by_hand))
    assert result.status == "fail"
    assert "do/dw2: you wrote 1.28" in result.message and "mind the sign" in result.message
    assert "-1.28" not in result.message
    assert "do/dw1" not in result.message  # only the wrong one is mentioned


def test_ex3_part_two_backward_called_twice():
    def twice():
        grads = checker._neuron_gradients(checker.load(3, solution=True))
        return {k: 2 * g for k, g in grads.items()}

    result = checker.check(3, module=with_changes(3, with_backward=twice))
    assert "with_backward() returns wrong gradients" in result.message
    # do/dw1 = 0.64 * 1.5 = 0.96 (exact: tanh(ln 2) = 0.6)
    assert has_row(result.message, "do/dw1", "1.92", "0.96", "<-- WRONG")


def test_ex3_part_one_done_part_two_not():
    def not_yet():
        raise NotImplementedError("TODO (exercise 3, part 2): write with_backward()")

    result = checker.check(3, module=with_changes(3, with_backward=not_yet))
    assert result.status == "not done"
    assert "part 1 is right! Part 2 is not done yet" in result.message


def test_ex4_changing_the_forward_is_not_a_fix():
    result = checker.check(4, module=with_changes(4, logaddexp=autograd.op(
        derivatives=lambda out, a, b: (1.0, 0.0))(lambda a, b: max(a, b))))
    assert "the forward pass changed: logaddexp(0.5, 0.5)" in result.message


def test_ex5_exponential_average_instead_of_momentum_fails_at_step_one():
    def ema(params, grads, velocities, lr, momentum):
        v = [momentum * v + (1 - momentum) * g for v, g in zip(velocities, grads)]
        return [p - lr * vi for p, vi in zip(params, v)], v

    result = checker.check(5, module=with_changes(5, sgd_momentum_step=ema))
    assert "step 1 of 15 (lr=0.02, momentum=0.9) differs from nn.optim.SGD" in result.message
    # params[0] = 3, grad = 2 (3 - 1) + 1 = 5: SGD gives 3 - 0.02 * 5 = 2.9, the EMA 3 - 0.002 * 5
    assert has_row(result.message, "params[0]", "3", "5", "2.99", "2.9", "<-- WRONG")


def test_ex5_velocity_not_carried_over_fails_at_step_two():
    def forgetful(params, grads, velocities, lr, momentum):
        v = [momentum * v + g for v, g in zip(velocities, grads)]
        return [p - lr * vi for p, vi in zip(params, v)], velocities

    result = checker.check(5, module=with_changes(5, sgd_momentum_step=forgetful))
    assert "step 2 of 15" in result.message and "v carries over" in result.message


def test_ex5_lr_folded_into_the_velocity_fails_on_the_velocities():
    """v = momentum * v + lr * g; p = p - v moves p exactly like PyTorch's rule while lr is
    constant, but its velocities are lr times PyTorch's (and it breaks under a scheduler)."""
    def folded(params, grads, velocities, lr, momentum):
        v = [momentum * v + lr * g for v, g in zip(velocities, grads)]
        return [p - vi for p, vi in zip(params, v)], v

    result = checker.check(5, module=with_changes(5, sgd_momentum_step=folded))
    assert result.status == "fail"
    assert "the parameters match nn.optim.SGD, but the velocities returned at step 1" in \
        result.message
    # params[0] = 3, grad = 2 (3 - 1) + 1 = 5: v = 5, the folded one 0.02 * 5 = 0.1
    assert has_row(result.message, "velocities[0]", "0.1", "5", "<-- WRONG")
    assert "keep lr out of v" in result.message


def test_ex6_a_model_without_hidden_layer_cannot_learn_xor():
    result = checker.check(6, module=with_changes(6, STEPS=60, make_model=lambda: nn.MLP(2, [1])))
    assert result.status == "fail"
    assert "after 60 steps" in result.message and "of 4 points right" in result.message
    assert "Hint:" in result.message and "<-- WRONG" in result.message


def test_ex6_step_budget():
    result = checker.check(6, module=with_changes(6, STEPS=5000))
    assert "STEPS must be a whole number from 1 to 1000, got 5000" in result.message
    result = checker.check(6, module=with_changes(6, make_model=lambda: nn.MLP(2, [32, 32, 1])))
    # 2*32 + 32, 32*32 + 32, 32 + 1 weights and biases
    assert "the model has 1185 parameters; keep it at most 500" in result.message


def test_ex7_a_node_used_twice_needs_both_terms():
    grads = dict(checker.load(7, solution=True).GRADS, a=-8.0)  # only the use by e counted
    result = checker.check(7, module=SimpleNamespace(GRADS=grads))
    assert result.status == "fail"
    assert "dL/da: you wrote -8" in result.message
    assert "dL/da = dL/dd · ∂d/∂a + dL/de · ∂e/∂a  (a is used 2 times" in result.message
    assert "dL/db" not in result.message


def test_ex7_pass_shows_backwards_steps():
    message = checker.check(7, solution=True).message
    assert "dL/da = dL/dd · ∂d/∂a + dL/de · ∂e/∂a = 4.0 · 1.0 + 4.0 · (−2.0) = −4.0" in message


def test_ex8_overflowing_formula_and_shortcuts():
    def naive(x):
        e = autograd.exp(2 * x)
        return (e - 1) / (e + 1)

    result = checker.check(8, module=SimpleNamespace(my_tanh=naive))
    assert "my_tanh is wrong at 1 of 7 points" in result.message
    assert has_row(result.message, "400", "nan", "1", "nan", "0", "<-- WRONG")
    assert "overflowed" in result.message
    result = checker.check(8, module=SimpleNamespace(my_tanh=lambda x: x.tanh()))
    assert "uses the tanh op" in result.message
    result = checker.check(8, module=SimpleNamespace(
        my_tanh=lambda x: autograd.Value(math.tanh(x.data))))
    assert "does not depend on x in the graph" in result.message
    # a copy of x holds the same number but is another node: backward() still cannot reach x
    result = checker.check(8, module=SimpleNamespace(my_tanh=lambda x: naive(x.detach())))
    assert "does not depend on x in the graph" in result.message


def test_ex9_adam_without_bias_correction_fails_at_step_one():
    def no_bias_correction(params, grads, m, v, t, lr, beta1, beta2, eps):
        m = [beta1 * mi + (1 - beta1) * g for mi, g in zip(m, grads)]
        v = [beta2 * vi + (1 - beta2) * g * g for vi, g in zip(v, grads)]
        return [p - lr * mi / (math.sqrt(vi) + eps) for p, mi, vi in zip(params, m, v)], m, v

    result = checker.check(9, module=SimpleNamespace(adam_step=no_bias_correction))
    assert "step 1 of 15 (lr=0.1, betas=(0.9, 0.999), eps=1e-08) differs from nn.optim.Adam" \
        in result.message
    # Adam's first step moves each parameter by lr against its gradient's sign: 3 -> 2.9
    assert has_row(result.message, "params[0]", "3", "5", "2.683772254", "2.9", "<-- WRONG")
    assert "bias corrections" in result.message


# -- working on a copy, resetting, the tally -----------------------------------------------------
SOLUTIONS = Path(checker.__file__).parent / "solutions"


def test_a_copy_outside_the_repository_starts_blank_and_is_checked_there(tmp_path, capsys):
    copies = tmp_path / "my exercises"
    assert main(["copy", str(copies)]) == 0
    assert sorted(p.name for p in copies.iterdir()) == sorted(
        f"{e.module}.py" for e in checker.EXERCISES.values())
    capsys.readouterr()
    assert main(["check", "all", "--dir", str(copies)]) == 1
    out = capsys.readouterr().out
    assert out.count("NOT DONE YET") == 8 and str(copies / "ex3_neuron_by_hand.py") in out
    assert out.rstrip().endswith("0 of 9 done; not done yet: 1, 2, 3, 5, 6, 7, 8, 9; failing: 4")
    for n in (1, 5):  # the student solves two
        module = checker.EXERCISES[n].module
        (copies / f"{module}.py").write_text((SOLUTIONS / f"{module}.py").read_text())
    assert main(["copy", str(copies)]) == 0  # copying again keeps the student's work
    assert "kept" in capsys.readouterr().out
    assert main(["check", "all", "--dir", str(copies)]) == 1
    last = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert last == "2 of 9 done: 1, 5; not done yet: 2, 3, 6, 7, 8, 9; failing: 4"


def test_reset_restores_the_blank_and_keeps_every_version_of_the_student(tmp_path, capsys):
    main(["copy", str(tmp_path)])
    module = checker.EXERCISES[5].module
    file = tmp_path / f"{module}.py"
    blank = file.read_text()
    answer = (SOLUTIONS / f"{module}.py").read_text()
    file.write_text(answer)
    assert checker.check(5, folder=tmp_path).passed
    assert main(["reset", "5", "--dir", str(tmp_path)]) == 0
    assert f"yours is kept as {file}.bak" in capsys.readouterr().out
    assert file.read_text() == blank and (tmp_path / f"{module}.py.bak").read_text() == answer
    assert checker.check(5, folder=tmp_path).status == "not done"
    file.write_text("second attempt\n")
    main(["reset", "5", "--dir", str(tmp_path)])
    assert (tmp_path / f"{module}.py.bak").read_text() == answer  # the first backup stays
    assert (tmp_path / f"{module}.py.bak2").read_text() == "second attempt\n"
    main(["reset", "5", "--dir", str(tmp_path)])
    assert "blank already" in capsys.readouterr().out.splitlines()[-1]
    assert not (tmp_path / f"{module}.py.bak3").exists()


def test_check_in_a_folder_without_copies_says_how_to_make_them(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["check", "1", "--dir", str(tmp_path / "missing")])
    assert "python -m demos.exercises copy" in capsys.readouterr().err
