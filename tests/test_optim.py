"""Optimizers against PyTorch: the same trajectories, float for float (to ~1e-12)."""
import math
import random
import struct

import pytest

import autograd
import nn
from autograd import Value
from nn.optim import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop, adam, adamw, sgd

START = (0.5, -1.5)


def objective(w0, w1):
    """A small non-convex function of two parameters, so every buffer sees changing gradients."""
    return (w0 * w1 - 1) ** 2 + 0.1 * w0 ** 2 + w1 ** 4 - w1


def run(make_optimizer, steps, start=START):
    params = [Value(v) for v in start]
    opt = make_optimizer(params)
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        objective(*params).backward()
        opt.step()
        trajectory.append(tuple(p.data for p in params))
    return params, opt, trajectory


# Reference values from torch 2.13.0 (float64, foreach=False): the same objective and start, the
# parameters (w0, w1) after each of 6 steps of torch.optim.<class>(params, **kwargs).
TORCH_TRAJECTORIES = {
    'sgd': (SGD, {'lr': 0.1}, [
        (-0.034999999999999996, 0.12500000000000008),
        (-0.009190624999999977, 0.2171881250000001),
        (0.03451751810919144, 0.311248366168359),
        (0.09540806030184973, 0.4060167597570086),
        (0.17155765475608817, 0.497586520559949),
        (0.2591485333490056, 0.5796896098654591),
    ]),
    'sgd_momentum': (SGD, {'lr': 0.1, 'momentum': 0.9}, [
        (-0.034999999999999996, 0.12500000000000008),
        (-0.49069062499999994, 1.6796881250000002),
        (-0.2781785353956828, 1.1042864488477449),
        (0.20734808866958693, 0.07505035942046015),
        (0.6549515804762194, -0.7106069249555164),
        (0.8364291480723183, -0.9822116969944095),
    ]),
    'sgd_dampening': (SGD, {'lr': 0.1, 'momentum': 0.9, 'dampening': 0.5}, [
        (-0.034999999999999996, 0.12500000000000008),
        (-0.5035953125, 1.6335940625),
        (-0.6225448006013713, 2.077648415010268),
        (-0.24687993386465182, 0.590836128333632),
        (0.16138912407818135, -0.7668347330078376),
        (0.44104365813294666, -1.8304170532859512),
    ]),
    'sgd_nesterov': (SGD, {'lr': 0.1, 'momentum': 0.9, 'nesterov': True}, [
        (-0.5165, 1.5875000000000001),
        (0.16765806718750031, -0.30401887543750017),
        (0.12626766128188163, -0.20860318080769943),
        (0.06339153915522686, -0.008417244843349608),
        (0.04200430470514748, 0.2692574796245045),
        (0.12497722053192752, 0.6086930583006779),
    ]),
    'sgd_weight_decay': (SGD, {'lr': 0.1, 'momentum': 0.5, 'weight_decay': 0.1}, [
        (-0.03999999999999998, 0.13999999999999996),
        (-0.2806432, 1.0494576),
        (-0.12083607465318545, 1.0586992253268481),
        (0.20152009437819796, 0.6508194508955707),
        (0.46974505588888915, 0.46512340151839116),
        (0.6624649569895953, 0.5007964117058835),
    ]),
    'sgd_maximize': (SGD, {'lr': 0.01, 'maximize': True}, [
        (0.5535, -1.6625),
        (0.6184534421875, -1.8775563104375002),
        (0.7008451356870758, -2.179039898474286),
        (0.8123828899528207, -2.6383249744107977),
        (0.9798701801226617, -3.433986463354121),
        (1.2816073877449734, -5.149305269515696),
    ]),
    'rmsprop': (RMSprop, {}, [
        (0.40000000186915885, -1.4000000006153845),
        (0.33587940656290594, -1.336690017474923),
        (0.2862965815040774, -1.2881883851529023),
        (0.24501919744765158, -1.248141844306379),
        (0.20925220378475412, -1.2137071818158653),
        (0.17746587229918778, -1.1833297141058767),
    ]),
    'rmsprop_centered': (RMSprop, {'lr': 0.05, 'alpha': 0.9, 'centered': True}, [
        (0.33333333437175483, -1.3333333336752136),
        (0.2262677539053029, -1.2289767879112135),
        (0.14104492705231286, -1.1477869923275401),
        (0.06767111219659706, -1.0795391929594713),
        (0.0019033909265934457, -1.0199329178338403),
        (-0.05847457362462384, -0.9667359034030953),
    ]),
    'rmsprop_momentum': (RMSprop, {'lr': 0.05, 'momentum': 0.5}, [
        (9.345794421689037e-09, -1.0000000030769232),
        (-0.4258551000624976, -0.6022808142021695),
        (-0.7096780135807828, -0.3666831478727861),
        (-0.8867215587309107, -0.24450326453010865),
        (-0.99335736036442, -0.19329623498312315),
        (-1.0567381068602397, -0.185004713624199),
    ]),
    'rmsprop_all': (RMSprop, {'lr': 0.05, 'alpha': 0.8, 'eps': 0.001, 'centered': True, 'momentum': 0.5, 'weight_decay': 0.1}, [
        (0.3750578435909301, -1.3750190519737844),
        (0.220276354047247, -1.221594061744395),
        (0.06935219905315068, -1.074963233394332),
        (-0.06648890265530917, -0.947429000075003),
        (-0.18510911617585174, -0.8414224962255299),
        (-0.2878969879226533, -0.755117303284601),
    ]),
    'adagrad': (Adagrad, {}, [
        (0.4900000000001869, -1.4900000000000615),
        (0.48299344005205225, -1.483000199923256),
        (0.47730431843985194, -1.4773199960831627),
        (0.47239815706661664, -1.4724238257189415),
        (0.4680253234793304, -1.468061635173279),
        (0.46404567062425994, -1.4640930702162422),
    ]),
    'adagrad_lr_decay': (Adagrad, {'lr': 0.5, 'lr_decay': 0.1}, [
        (9.345801910143336e-12, -1.0000000000030769),
        (-0.15916541095541017, -0.8663246141672671),
        (-0.262481881337002, -0.786322397780558),
        (-0.33892004032299233, -0.7307834783221228),
        (-0.3992936981780625, -0.689226261357071),
        (-0.4489360561846985, -0.6566534322269624),
    ]),
    'adagrad_init_acc': (Adagrad, {'lr': 0.5, 'initial_accumulator_value': 0.5, 'weight_decay': 0.1, 'eps': 0.001}, [
        (0.0043233579163199365, -1.0004945355180686),
        (-0.168839452065848, -0.851765541404458),
        (-0.2866589983583865, -0.7584098085318516),
        (-0.3772750240115298, -0.6912596004327666),
        (-0.45124389018847644, -0.6396580022180101),
        (-0.513802045375999, -0.5984390597475846),
    ]),
    'adam': (Adam, {'lr': 0.1}, [
        (0.4000000001869159, -1.4000000000615385),
        (0.3008990327578863, -1.301055390306802),
        (0.20330566783891274, -1.203922237918825),
        (0.1077913067279811, -1.1093391025450265),
        (0.014859613688569098, -1.0179799786281887),
        (-0.0750742446758752, -0.9304160000749672),
    ]),
    'adam_amsgrad': (Adam, {'lr': 0.1, 'betas': (0.9, 0.5), 'amsgrad': True}, [
        (0.4000000001869159, -1.4000000000615385),
        (0.2977431835671021, -1.297529383325441),
        (0.1974763717637274, -1.1982556378891538),
        (0.10339161347681161, -1.1063535136752503),
        (0.01663225436972493, -1.0228480154676876),
        (-0.06284567144992563, -0.9475527136920397),
    ]),
    'adam_weight_decay': (Adam, {'lr': 0.1, 'weight_decay': 0.1}, [
        (0.4000000001851852, -1.4000000000609756),
        (0.300901503378287, -1.3010452863006117),
        (0.20331857256278082, -1.203883580502239),
        (0.10783174124240535, -1.1092450008802321),
        (0.014957503251870286, -1.01779606842122),
        (-0.0748728831477671, -0.9301023050284628),
    ]),
    'adam_all': (Adam, {'lr': 0.2, 'betas': (0.5, 0.9), 'eps': 0.001, 'amsgrad': True, 'weight_decay': 0.3, 'maximize': False}, [
        (0.3000363570259953, -1.3000119753308186),
        (0.11399333216224455, -1.1155902148695065),
        (-0.05153881259760426, -0.9544951923455385),
        (-0.19197935354991438, -0.8228331977061146),
        (-0.30679522277406746, -0.7198096824796615),
        (-0.39936416572208056, -0.6406345520783294),
    ]),
    'adam_maximize': (Adam, {'lr': 0.1, 'maximize': True}, [
        (0.599999999813084, -1.5999999999384615),
        (0.7000693829295095, -1.700036746240139),
        (0.8002733811899778, -1.800171161611805),
        (0.900689890122799, -1.900484548907117),
        (1.001406708100303, -2.0010722096863045),
        (1.1025182828325766, -2.1020375483836626),
    ]),
    'adamw': (AdamW, {'lr': 0.1}, [
        (0.3995000001869159, -1.3985000000615384),
        (0.3000129397868407, -1.2981785873950484),
        (0.20215330679175264, -1.1998046109432157),
        (0.10649519188729395, -1.1041258872709063),
        (0.013541480947696222, -1.0118206828267304),
        (-0.07629652632920728, -0.9234588587393003),
    ]),
    'adamw_amsgrad': (AdamW, {'lr': 0.2, 'betas': (0.5, 0.9), 'weight_decay': 0.5, 'amsgrad': True}, [
        (0.25000000037383174, -1.150000000123077),
        (0.04791654494429157, -0.8660491719713942),
        (-0.10532845632875963, -0.6526222894456826),
        (-0.21287367773077714, -0.4987151698318565),
        (-0.28398339010090634, -0.3885238261880915),
        (-0.3278607443055984, -0.30862250415932213),
    ]),
    'rmsprop_maximize': (RMSprop, {'lr': 0.05, 'maximize': True, 'centered': True}, [
        (1.0025188981894098, -2.0025189045216027),
        (1.4650784931442655, -2.468641160456832),
        (1.9035302917405077, -2.9091595077121184),
        (2.3210405740209143, -3.327330384226268),
        (2.7193547223185983, -3.7254063583412567),
        (3.1001136532790907, -4.105402486102245),
    ]),
    'adagrad_maximize': (Adagrad, {'lr': 0.1, 'maximize': True, 'lr_decay': 0.05}, [
        (0.5999999999981308, -1.5999999999993846),
        (0.6730326483883206, -1.673522971852768),
        (0.732700762720031, -1.7337494090058272),
        (0.7837783484698666, -1.7853651767699903),
        (0.8286522804790722, -1.8307337393622123),
        (0.8687421478916232, -1.8712702085729684),
    ]),
    'adamw_maximize': (AdamW, {'lr': 0.1, 'maximize': True}, [
        (0.5994999998130841, -1.5984999999384615),
        (0.6989730515245959, -1.6969437156467337),
        (0.7984860283364977, -1.7953941329749896),
        (0.8981178787879829, -1.8939334724365937),
        (0.9979568466145649, -1.9926570225936824),
        (1.0980972641456483, -2.091667476885888),
    ]),

}


@pytest.mark.parametrize("name", sorted(TORCH_TRAJECTORIES))
def test_trajectory_matches_torch(name):
    cls, kwargs, expected = TORCH_TRAJECTORIES[name]
    _, _, trajectory = run(lambda ps: cls(ps, **kwargs), len(expected))
    for step, (got, want) in enumerate(zip(trajectory, expected), 1):
        for g, w in zip(got, want):
            assert g == pytest.approx(w, rel=1e-12, abs=1e-12), f"{name}, step {step}"


def test_trajectories_differ_between_variants():
    # each option really changes the path (otherwise the table above would test nothing new)
    finals = {name: table[2][-1] for name, table in TORCH_TRAJECTORIES.items()}
    assert len(set(finals.values())) == len(finals)


def test_sgd_first_steps_by_hand():
    # loss = 3 w: gradient 3 every step. Momentum 0.9, dampening 0.5:
    # b1 = 3, b2 = 0.9*3 + 0.5*3 = 4.2; w: 1 - 0.1*3 = 0.7, then 0.7 - 0.1*4.2 = 0.28
    w = Value(1.0)
    opt = SGD([w], lr=0.1, momentum=0.9, dampening=0.5)
    for expected in (0.7, 0.28):
        opt.zero_grad()
        (3 * w).backward()
        opt.step()
        assert w.data == pytest.approx(expected, abs=1e-15)
    assert opt.state[w]["momentum_buffer"] == pytest.approx(4.2)


def test_adam_first_step_is_lr_times_sign():
    # at t = 1, m^ = g and v^ = g^2, so the step is lr * g / (|g| + eps)
    w = Value(2.0)
    opt = Adam([w], lr=0.5)
    (w * -7.0).backward()
    opt.step()
    assert w.data == pytest.approx(2.0 + 0.5 * 7 / (7 + 1e-8), abs=1e-15)
    assert opt.state[w] == {"step": 1, "exp_avg": pytest.approx(-0.7),
                            "exp_avg_sq": pytest.approx(0.049)}


def test_adamw_decays_the_weight_itself():
    # with a zero gradient Adam's step is 0 (m = 0), so only the decoupled decay moves the weight
    w = Value(3.0)
    AdamW([w], lr=0.1, weight_decay=0.5).step()
    assert w.data == pytest.approx(3.0 * (1 - 0.1 * 0.5), abs=1e-15)
    v = Value(3.0)
    Adam([v], lr=0.1, weight_decay=0.5).step()  # coupled: g = 1.5, step of about lr
    assert v.data == pytest.approx(3.0 - 0.1, abs=1e-7)


def test_pure_functions_work_on_plain_lists():
    params, buffers = [1.0, 2.0], [None, None]
    sgd(params, [0.5, -1.0], buffers, lr=0.1, weight_decay=0.0, momentum=0.9, dampening=0.0,
        nesterov=False, maximize=False)
    assert params == [0.95, 2.1] and buffers == [0.5, -1.0]
    params, m, v, vmax = [0.0], [0.0], [0.0], [0.0]
    adam(params, [2.0], m, v, vmax, [1], amsgrad=False, beta1=0.9, beta2=0.999, lr=0.01,
         weight_decay=0.0, eps=1e-8, maximize=False)
    assert params[0] == pytest.approx(-0.01) and m[0] == pytest.approx(0.2)
    params, m, v, vmax = [3.0], [0.0], [0.0], [0.0]  # AdamW's decay with a zero gradient
    adamw(params, [0.0], m, v, vmax, [1], amsgrad=False, beta1=0.9, beta2=0.999, lr=0.1,
          weight_decay=0.5, eps=1e-8, maximize=False)
    assert params == [3.0 * (1 - 0.1 * 0.5)]


def test_param_groups_have_their_own_hyperparameters():
    a, b = Value(1.0), Value(1.0)
    opt = SGD([{"params": [a], "lr": 0.5}, {"params": [b]}], lr=0.1, momentum=0.0)
    assert [g["lr"] for g in opt.param_groups] == [0.5, 0.1]
    assert opt.param_groups[1]["momentum"] == 0.0 and opt.param_groups[0]["nesterov"] is False
    (a + b).backward()
    opt.step()
    assert (a.data, b.data) == (0.5, 0.9)
    opt.param_groups[1]["lr"] = 0.2  # what a scheduler does
    opt.zero_grad()
    (a + b).backward()
    opt.step()
    assert b.data == pytest.approx(0.7)


def test_params_may_be_a_generator():
    values = [Value(1.0), Value(2.0)]
    opt = Adam(v for v in values)
    kept = opt.param_groups[0]["params"]
    assert len(kept) == 2 and kept[0] is values[0] and kept[1] is values[1]


@pytest.mark.parametrize("bad, error, words", [
    ([], ValueError, "empty parameter list"),
    (Value(1.0), TypeError, "wrap it in a list"),
    ([1.0, 2.0], TypeError, "is a float"),
    ([Value(1.0)] * 2, ValueError, "twice"),
    (nn.MLP(2, [1], seed=0), TypeError, r"pass model\.parameters\(\)"),
    (nn.Sequential(nn.Layer(2, 1, seed=0)), TypeError, r"pass model\.parameters\(\)"),
])
def test_bad_params_are_explained(bad, error, words):
    with pytest.raises(error, match=words):
        SGD(bad, lr=0.1)


def test_parameter_in_two_groups_is_rejected():
    w = Value(1.0)
    with pytest.raises(ValueError, match="more than one parameter group"):
        SGD([{"params": [w]}, {"params": [w]}], lr=0.1)


def test_parameters_holding_equal_numbers_are_not_duplicates():
    # Values compare equal by number; the duplicate checks go by identity (hash), as torch's
    a, b, c = Value(1.0), Value(1.0), Value(1.0)
    opt = SGD([{"params": [a, b]}, {"params": [c], "lr": 0.5}], lr=0.1)
    for p, g in zip((a, b, c), (1.0, 2.0, 1.0)):
        p.grad = g
    opt.step()
    assert (a.data, b.data, c.data) == (0.9, 0.8, 0.5)
    assert len(opt.state_dict()["param_groups"][0]["params"]) == 2


@pytest.mark.parametrize("make, words", [
    (lambda ps: SGD(ps, lr=-1.0), "learning rate"),
    (lambda ps: SGD(ps, lr=0.1, nesterov=True), "Nesterov"),
    (lambda ps: Adam(ps, betas=(0.9, 1.0)), "beta parameter at index 1"),
    (lambda ps: RMSprop(ps, alpha=-0.5), "alpha"),
    (lambda ps: Adagrad(ps, lr_decay=-1.0), "lr_decay"),
])
def test_bad_hyperparameters_are_explained(make, words):
    with pytest.raises(ValueError, match=words):
        make([Value(1.0)])


def test_step_builds_no_graph_and_accepts_value_grads():
    w = Value(1.5)
    loss = w ** 3
    loss.backward(create_graph=True)  # w.grad is now a Value: 3 w^2 = 6.75
    assert isinstance(w.grad, Value)
    opt = SGD([w], lr=0.1)
    opt.step()
    assert type(w.data) is float and w.data == pytest.approx(1.5 - 0.675)
    assert w.is_leaf


def test_zero_grad_resets_to_float_zero():
    a, b = Value(1.0), Value(2.0)
    (a * b).backward()
    opt = RMSprop([a, b])
    opt.zero_grad()
    assert a.grad == 0.0 and b.grad == 0.0 and type(a.grad) is float


def test_closure_is_evaluated_and_its_loss_returned():
    w = Value(3.0)
    opt = SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = w * w
        loss.backward()
        return loss

    with autograd.no_grad():  # the closure still records its graph
        loss = opt.step(closure)
    assert loss.data == 9.0 and w.data == pytest.approx(1.5)


@pytest.mark.parametrize("name", ["sgd_nesterov", "rmsprop_all", "adagrad_init_acc", "adam_all",
                                  "adamw_amsgrad"])
def test_state_dict_round_trip_resumes_the_same_trajectory(name):
    cls, kwargs, expected = TORCH_TRAJECTORIES[name]
    params, opt, _ = run(lambda ps: cls(ps, **kwargs), 3)
    saved = opt.state_dict()
    assert sorted(saved["state"]) == [0, 1]
    assert saved["param_groups"][0]["params"] == [0, 1]
    opt.param_groups[0]["lr"] = 123.0  # later changes must not leak into the saved copy
    assert saved["param_groups"][0]["lr"] == kwargs["lr"]

    fresh = [Value(p.data) for p in params]  # a "rebuilt model" with the same weights
    new_opt = cls(fresh, lr=999.0)
    new_opt.load_state_dict(saved)
    assert new_opt.param_groups[0]["lr"] == kwargs["lr"]
    for _ in range(3):
        new_opt.zero_grad()
        objective(*fresh).backward()
        new_opt.step()
    for got, want in zip((p.data for p in fresh), expected[-1]):
        assert got == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_load_state_dict_rejects_a_different_model():
    opt = SGD([Value(1.0), Value(2.0)], lr=0.1, momentum=0.9)
    other = SGD([Value(1.0)], lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match="has 1 parameters but the state dict's has 2"):
        other.load_state_dict(opt.state_dict())
    with pytest.raises(ValueError, match="state_dict"):
        other.load_state_dict({"lr": 0.1})


def test_load_state_dict_checks_everything_before_changing_anything():
    params = [Value(1.0), Value(2.0)]
    sgd = SGD(params, lr=0.1, momentum=0.9)
    for p in params:
        p.grad = 1.0
    sgd.step()
    adam = Adam(params, lr=0.01)
    # SGD's state has no 'step' or moment estimates: loading it would break Adam's next step
    with pytest.raises(ValueError, match=r"no 'betas', 'eps', 'amsgrad': was it saved from "
                                         r"another kind of optimizer than Adam\?"):
        adam.load_state_dict(sgd.state_dict())
    stray = sgd.state_dict()
    stray["param_groups"][0]["lr"] = 0.5
    stray["state"][7] = {"momentum_buffer": 1.0}
    other = SGD(params, lr=0.2, momentum=0.9)
    with pytest.raises(ValueError, match=r"state for parameter\(s\) \[7\]"):
        other.load_state_dict(stray)
    assert other.param_groups[0]["lr"] == 0.2 and other.state == {}  # nothing changed
    with pytest.raises(ValueError, match="list of dicts"):
        other.load_state_dict({"state": {}, "param_groups": "x"})
    assert adam.param_groups[0]["lr"] == 0.01 and adam.state == {}


def test_repr_lists_hyperparameters():
    text = repr(SGD([Value(1.0)], lr=0.1, momentum=0.9))
    assert text.startswith("SGD (\nParameter Group 0\n") and "    momentum: 0.9\n" in text


def test_base_class_step_is_abstract():
    with pytest.raises(NotImplementedError):
        Optimizer([Value(1.0)], {"lr": 0.1}).step()


def test_adagrad_state_exists_before_the_first_step():
    w = Value(1.0)
    opt = Adagrad([w], initial_accumulator_value=0.25)
    assert opt.state[w] == {"step": 0, "sum": 0.25}
    opt.add_param_group({"params": [Value(0.0)], "initial_accumulator_value": 1.0})
    assert opt.state[opt.param_groups[1]["params"][0]]["sum"] == 1.0


def test_non_finite_gradients_propagate_like_torch():
    w = Value(1.0)
    w.grad = math.inf
    SGD([w], lr=0.1).step()
    assert w.data == -math.inf


@pytest.mark.parametrize("settings", [dict(momentum=0.0), dict(momentum=0.9),
                                      dict(momentum=0.9, dampening=0.25),
                                      dict(momentum=0.5, nesterov=True)])
def test_sgd_one_list_at_a_time_is_the_loop_bit_for_bit(settings):
    """The usual cases of `sgd` run as list comprehensions; the loop is the rule. maximize=True
    with the gradients negated takes the loop through the very same operations."""
    rng = random.Random(0)
    full = dict(lr=0.1, weight_decay=0.0, momentum=0.0, dampening=0.0, nesterov=False)
    full.update(settings)
    fast_params = [rng.uniform(-3, 3) for _ in range(50)]
    loop_params = list(fast_params)
    fast_buffers, loop_buffers = [None] * 50, [None] * 50
    for _ in range(4):
        grads = [rng.uniform(-1e3, 1e3) * rng.choice([1.0, 1e-12]) for _ in range(50)]
        sgd(fast_params, grads, fast_buffers, maximize=False, **full)
        sgd(loop_params, [-g for g in grads], loop_buffers, maximize=True, **full)
        assert [struct.pack("<d", p) for p in fast_params] == \
            [struct.pack("<d", p) for p in loop_params]
        assert fast_buffers == loop_buffers
