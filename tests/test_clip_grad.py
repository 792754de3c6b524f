"""Gradient clipping against torch.nn.utils."""
import math

import pytest

import nn
from autograd import Value
from nn.utils import clip_grad_norm_, clip_grad_value_, get_total_norm

GRADS = [3.0, -4.0, 12.0, 0.5]


def params_with(grads):
    params = [Value(0.0) for _ in grads]
    for p, g in zip(params, grads):
        p.grad = g
    return params


# Reference values from torch 2.13.0 (float64): torch.nn.utils.clip_grad_norm_ on four one-element
# parameters with gradients GRADS: (norm_type, max_norm) -> (returned norm, clipped gradients).
TORCH_CLIP_NORM = {
    (2.0, 5.0): (13.009611831257688, [1.1529935744098463, -1.537324765879795, 4.611974297639385,
                                      0.19216559573497438]),
    (math.inf, 5.0): (12.0, [1.249999895833342, -1.6666665277777895, 4.999999583333368,
                             0.20833331597222368]),
    (1.0, 5.0): (19.5, [0.7692307297830394, -1.0256409730440526, 3.0769229191321577,
                        0.12820512163050657]),
    (3.0, 2.0): (12.20733456659655, [0.49150774690081056, -0.6553436625344141, 1.9660309876032422,
                                     0.08191795781680176]),
    (2.0, 100.0): (13.009611831257688, [3.0, -4.0, 12.0, 0.5]),
}


@pytest.mark.parametrize("norm_type, max_norm", sorted(TORCH_CLIP_NORM))
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    params = params_with(GRADS)
    total = clip_grad_norm_(params, max_norm, norm_type=norm_type)
    want_total, want_grads = TORCH_CLIP_NORM[norm_type, max_norm]
    assert type(total) is float
    assert total == pytest.approx(want_total, rel=1e-13)
    assert [p.grad for p in params] == pytest.approx(want_grads, rel=1e-13)


def test_clipped_norm_is_max_norm_and_direction_is_kept():
    params = params_with(GRADS)
    clip_grad_norm_(params, 1.0)
    assert math.hypot(*(p.grad for p in params)) == pytest.approx(1.0, rel=1e-6)
    assert params[2].grad / params[0].grad == pytest.approx(4.0)


def test_clip_grad_value_matches_torch():
    params = params_with(GRADS)
    assert clip_grad_value_(params, 3.5) is None
    # reference values from torch 2.13.0: clip_grad_value_(..., 3.5) on GRADS
    assert [p.grad for p in params] == [3.0, -3.5, 3.5, 0.5]


def test_single_value_and_generator_are_accepted():
    w = Value(0.0)
    w.grad = -10.0
    assert clip_grad_norm_(w, 2.0) == 10.0
    assert w.grad == pytest.approx(-2.0, rel=1e-6)
    params = params_with([5.0, -5.0])
    clip_grad_value_((p for p in params), 1.0)
    assert [p.grad for p in params] == [1.0, -1.0]


def test_parameters_with_equal_numbers_and_gradients_all_count():
    # torch 2.13.0: clip_grad_norm_ of two parameters with gradient 3.0 each returns
    # 4.242640687119285 (sqrt(18)); none is dropped as a duplicate of an equal one
    params = params_with([3.0, 3.0])
    assert clip_grad_norm_(params, 100.0) == pytest.approx(4.242640687119285, rel=1e-15)


def test_zero_gradients_stay_zero():
    params = params_with([0.0, 0.0])
    assert clip_grad_norm_(params, 1.0) == 0.0
    assert [p.grad for p in params] == [0.0, 0.0]


def test_huge_gradients_do_not_overflow_the_norm():
    params = params_with([3e200, 4e200])
    assert clip_grad_norm_(params, 1.0) == pytest.approx(5e200)
    assert [p.grad for p in params] == pytest.approx([0.6, 0.8])


def test_nonfinite_norm():
    params = params_with([1.0, math.nan])
    assert math.isnan(clip_grad_norm_(params, 1.0))
    assert math.isnan(params[0].grad)  # like torch: scaled by a nan coefficient
    with pytest.raises(RuntimeError, match="nan"):
        clip_grad_norm_(params_with([1.0, math.inf]), 1.0, error_if_nonfinite=True)
    assert math.isnan(get_total_norm([1.0, math.nan], math.inf))
    params = params_with([math.nan])
    clip_grad_value_(params, 1.0)
    assert math.isnan(params[0].grad)


def test_value_gradients_are_scaled_in_place():
    w = Value(2.0)
    (w ** 3).backward(create_graph=True)  # w.grad = 3 w^2 = 12, as a Value
    g = w.grad
    assert clip_grad_norm_([w], 6.0) == 12.0
    assert w.grad is g and g.data == pytest.approx(6.0, rel=1e-6)
    clip_grad_value_([w], 1.0)
    assert g.data == 1.0


@pytest.mark.parametrize("call, error, words", [
    (lambda: clip_grad_norm_([1.0], 1.0), TypeError, "item 0 is a float"),
    (lambda: clip_grad_norm_(params_with([1.0]), 1.0, norm_type=0), ValueError, "norm_type"),
    (lambda: clip_grad_value_(params_with([1.0]), -1.0), ValueError, "clip_value"),
    (lambda: clip_grad_norm_(nn.MLP(2, [1], seed=0), 1.0), TypeError,
     r"the model \(MLP\) itself; pass model\.parameters\(\)"),
    (lambda: clip_grad_value_(nn.Sequential(nn.Layer(2, 1, seed=0)), 1.0), TypeError,
     r"pass model\.parameters\(\)"),
])
def test_bad_arguments_are_explained(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_total_norm_of_numbers():
    assert get_total_norm([3.0, 4.0]) == 5.0
    assert get_total_norm([3.0, -4.0], norm_type=1) == 7.0
    assert get_total_norm([]) == 0.0
