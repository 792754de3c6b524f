"""Every bad setting is refused at once with a TypeError/ValueError that says what is allowed, and
the errors that used to come from deep inside (AttributeError, KeyError, raw Python messages) are
clear. Where torch checks, the rule is torch's (its messages are quoted); checked with torch 2.13.0:
torch refuses BCE targets outside [0, 1] ("all elements of target should be between 0 and 1") and
Adagrad(lr_decay=nan), and skips parameters whose .grad is None; the rest it accepts (see
docs/differences-from-pytorch.md)."""
import math

import pytest

import nn
from autograd import Value
from nn import functional as F
from nn.optim import SGD, Adagrad, Adam, AdamW, RMSprop
from nn.optim.lr_scheduler import (ExponentialLR, LinearLR, MultiStepLR, ReduceLROnPlateau,
                                   StepLR)

nan, inf = math.nan, math.inf


def params():
    return [Value(1.0), Value(-2.0)]


# -- optimizers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("make, message", [
    (lambda: SGD(params(), lr=nan), r"Invalid learning rate: nan \(must be a finite number >= 0\)"),
    (lambda: SGD(params(), lr=inf), "Invalid learning rate: inf"),
    (lambda: SGD(params(), lr=-0.1), "Invalid learning rate: -0.1"),
    (lambda: SGD(params(), lr=0.1, momentum=nan), "Invalid momentum value: nan"),
    (lambda: RMSprop(params(), momentum=inf), "Invalid momentum value: inf"),
    (lambda: Adagrad(params(), lr_decay=nan), "Invalid lr_decay value: nan"),
    (lambda: Adam(params(), eps=-1e-8), "Invalid epsilon value"),
    (lambda: SGD([{"params": params(), "lr": -5}], lr=0.1), "Invalid learning rate: -5"),
    (lambda: Adam(params(), betas=(0.9,)), r"betas must be a pair of numbers \(beta1, beta2\)"),
    (lambda: Adam(params(), betas=(0.9, 1.0)), r"Invalid beta parameter at index 1: 1.0"),
    (lambda: SGD(params(), lr=0.1, momentum=0.9, nesterov="yes"), "nesterov must be True or False"),
])
def test_bad_hyperparameters_are_refused(make, message):
    with pytest.raises(ValueError if "True or False" not in message else TypeError,
                       match=message):
        make()


def test_a_learning_rate_given_as_text_is_a_type_error():
    with pytest.raises(TypeError, match=r"Invalid learning rate: '0.1' is a str; expected a "
                                        r"number >= 0"):
        SGD(params(), lr="0.1")


def test_a_misspelt_key_in_a_parameter_group_is_refused():
    with pytest.raises(ValueError, match=r"parameter group 0 has the unknown setting\(s\) "
                                         r"'learning_rate'; SGD takes 'lr', 'momentum'"):
        SGD([{"params": params(), "learning_rate": 0.5}], lr=0.1)
    opt = SGD(params(), lr=0.1)
    with pytest.raises(ValueError, match="Invalid learning rate: nan"):
        opt.add_param_group({"params": [Value(0.0)], "lr": nan})
    assert len(opt.param_groups) == 1


@pytest.mark.parametrize("optimizer", [Adam, AdamW, RMSprop, Adagrad])
def test_eps_zero_gives_nan_at_a_zero_gradient_as_torch(optimizer):
    # torch 2.13.0: Adam([p], eps=0) with p.grad = 0 steps p to nan (0 / 0); no ZeroDivisionError
    p = Value(1.0)
    opt = optimizer([p], lr=0.1, eps=0)
    p.grad = 0.0
    opt.step()
    assert math.isnan(p.data)


def test_eps_zero_in_fit_stops_saying_the_weights_became_nan():
    model = nn.Neuron(1, activation="linear", seed=0)
    model.w[0].data, model.b.data = 1.0, 0.0
    opt = Adam(model.parameters(), lr=0.1, eps=0)
    with pytest.raises(nn.TrainingDivergedError, match="weights became nan"):
        nn.fit(model, nn.MSELoss(), opt, ([[1.0]], [1.0]), epochs=1, progress=False)


def test_a_parameter_whose_grad_is_none_is_skipped_as_in_torch():
    a, b = Value(1.0), Value(2.0)
    for optimizer in (SGD([a, b], lr=0.5, momentum=0.9), Adam([a, b], lr=0.5)):
        a.grad, b.grad = None, 1.0
        before = a.data
        optimizer.step()
        assert a.data == before and b.data < 2.0
        b.data = 2.0
    a.grad = "x"
    with pytest.raises(TypeError, match=r"a parameter's .grad is 'x'; optimizers need a number"):
        SGD([a], lr=0.1).step()


def test_optimizer_state_without_step_is_a_clear_error():
    p = Value(1.0)
    opt = Adam([p], lr=0.1)
    opt.load_state_dict({"state": {0: {"exp_avg": 0.0, "exp_avg_sq": 0.0}},
                         "param_groups": opt.state_dict()["param_groups"]})
    p.grad = 1.0
    with pytest.raises(ValueError, match="the state of a parameter has no 'step' .* another kind "
                                         "of optimizer than Adam"):
        opt.step()


# -- schedulers ---------------------------------------------------------------------------------
def optimizer():
    return SGD(params(), lr=0.1)


@pytest.mark.parametrize("make, error, message", [
    (lambda: StepLR(optimizer(), 1, gamma=-1), ValueError,
     r"StepLR: gamma must be a finite number >= 0 \(the lr is multiplied by it\), got -1"),
    (lambda: StepLR(optimizer(), 1, gamma=nan), ValueError, "StepLR: gamma must be"),
    (lambda: ExponentialLR(optimizer(), gamma=inf), ValueError, "ExponentialLR: gamma must be"),
    (lambda: MultiStepLR(optimizer(), [2], gamma=-0.5), ValueError, "MultiStepLR: gamma must be"),
    (lambda: MultiStepLR(optimizer(), milestones=5), TypeError,
     r"MultiStepLR: milestones must be a list of epoch numbers \(ints\), e.g. \[30, 80\], got 5"),
    (lambda: LinearLR(optimizer(), total_iters=0), ValueError,
     "LinearLR: total_iters must be a whole number of epochs >= 1, got 0"),
    (lambda: ReduceLROnPlateau(optimizer(), factor=-1), ValueError,
     r"ReduceLROnPlateau: factor must be >= 0 and < 1 \(the lr is multiplied by it\), got -1"),
    (lambda: ReduceLROnPlateau(optimizer(), factor=1.0), ValueError, "factor must be >= 0 and < 1"),
])
def test_bad_scheduler_settings_are_refused(make, error, message):
    with pytest.raises(error, match=message):
        make()


# -- clipping and fit ---------------------------------------------------------------------------
def test_a_negative_max_norm_is_refused_instead_of_flipping_the_gradients():
    p = Value(1.0)
    p.grad = 3.0
    with pytest.raises(ValueError, match=r"max_norm must be >= 0 \(the largest gradient norm "
                                         r"allowed\), got -1"):
        nn.utils.clip_grad_norm_([p], max_norm=-1)
    with pytest.raises(ValueError, match="max_norm must be >= 0"):
        nn.utils.clip_grad_norm_([p], max_norm=nan)
    assert p.grad == 3.0


def fit(**kwargs):
    model = kwargs.pop("model", None) or nn.MLP(2, [2, 1], seed=0)
    settings = dict(loss_fn=nn.MSELoss(), optimizer=SGD(model.parameters(), lr=0.1),
                    train=([[0.0, 1.0], [1.0, 0.0]], [1.0, 0.0]), epochs=1, progress=False)
    settings.update(kwargs)
    return nn.fit(model, **settings)


@pytest.mark.parametrize("settings, error, message", [
    (dict(l2=-0.1), ValueError, "fit: l2 must be a finite number >= 0, got -0.1 "
                                r"\(a negative penalty rewards large weights\)"),
    (dict(l1=nan), ValueError, "fit: l1 must be a finite number >= 0"),
    (dict(clip_grad_norm=-1.0), ValueError, "fit: clip_grad_norm must be a finite number >= 0"),
    (dict(loss_fn="mse"), TypeError, r"fit: loss_fn must be a function of \(predictions, "
                                     r"targets\), such as nn.MSELoss\(\)"),
    (dict(optimizer=SGD(nn.MLP(2, [2, 1], seed=1).parameters(), lr=0.1)), ValueError,
     "fit: the optimizer updates none of the model's parameters"),
])
def test_bad_fit_settings_are_refused(settings, error, message):
    with pytest.raises(error, match=message):
        fit(**settings)


# -- modules and losses -------------------------------------------------------------------------
@pytest.mark.parametrize("make, error, message", [
    (lambda: nn.BatchNorm1d(2, eps=-1), ValueError, "BatchNorm1d: eps must be a finite number >= 0"),
    (lambda: nn.BatchNorm1d(2, momentum=2.0), ValueError, r"momentum must be a number in \[0, 1\]"),
    (lambda: nn.Dropout("a"), TypeError, "dropout probability must be a number between 0 and 1, "
                                         "got str 'a'"),
    (lambda: nn.Dropout(1.5), ValueError, "dropout probability has to be between 0 and 1"),
])
def test_bad_module_settings_are_refused(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize("target", [2.0, -0.5, nan])
def test_bce_targets_outside_0_1_are_refused_as_torch(target):
    with pytest.raises(ValueError, match=r"binary_cross_entropy needs targets in \[0, 1\]"):
        F.binary_cross_entropy([Value(0.5)], [target])
    F.binary_cross_entropy_with_logits([Value(0.5)], [2.0])  # torch accepts these there


def test_loss_errors_say_what_was_given():
    with pytest.raises(TypeError, match="mse_loss: input must be a number or Value, a list of "
                                        "them .* got NoneType None"):
        nn.MSELoss()(None, None)
    with pytest.raises(TypeError, match="mse_loss: target must be .* got the text 'a'"):
        F.mse_loss(Value(1.0), "a")
    with pytest.raises(ValueError, match="entry 0 is a single Value and the text 'a'"):
        F.mse_loss([Value(1.0)], ["a"])
    with pytest.raises(TypeError, match="cross_entropy: target must be a class index"):
        F.cross_entropy([Value(0.0), Value(1.0)], nan)
    with pytest.raises(ValueError, match="cross_entropy: input must be a list of class scores"):
        F.cross_entropy(None, 0)


def test_value_to_the_power_of_text_is_a_clear_type_error():
    with pytest.raises(TypeError, match="got str: 'a'"):
        Value(2.0) ** "a"


def test_a_dict_is_not_a_sample():
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(TypeError, match=r"not a dict; for a dict of inputs pass "
                                        r"list\(d.values\(\)\)"):
        model({0: 5.0, 1: 7.0})
    with pytest.raises(TypeError, match="not a dict"):
        model([{0: 5.0, 1: 7.0}])


def test_a_wrong_size_names_the_layer_and_the_sample():
    model = nn.Sequential(nn.Layer(2, 3, seed=0), nn.Layer(16, 1, seed=0))
    with pytest.raises(ValueError, match=r"^1: expected 16 inputs, got 3$"):
        model([1.0, 2.0])
    with pytest.raises(ValueError, match=r"^1: expected 16 inputs, got 3 in sample 0 of the "
                                         r"batch$"):
        model([[1.0, 2.0], [3.0, 4.0]])
    mlp = nn.MLP(2, [16, 16, 1], seed=0)
    mlp.layers[1] = nn.Layer(3, 1, seed=0)  # a hand-edited model: layer 1 now takes 3 inputs
    with pytest.raises(ValueError, match=r"^layers.1: expected 3 inputs, got 16$"):
        mlp([1.0, 2.0])
    nested = nn.Sequential(nn.MLP(2, [4, 1], seed=0))
    with pytest.raises(ValueError, match=r"^0.layers.0: expected 2 inputs, got 3 in sample 2 "
                                         r"of the batch$"):
        nested([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0, 3.0]])
    bn = nn.Sequential(nn.Layer(2, 2, seed=0), nn.BatchNorm1d(3))
    with pytest.raises(ValueError, match=r"^1: expected 3 inputs, got 2 in sample 0 of the "
                                         r"batch$"):
        bn([[1.0, 2.0], [2.0, 1.0]])


def test_an_empty_list_is_not_called_an_empty_sample():
    with pytest.raises(ValueError, match=r"got 0 \(an empty list: a sample needs one number per "
                                         r"input, a batch at least one sample\)"):
        nn.MLP(2, [1], seed=0)([])
