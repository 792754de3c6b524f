"""Pickling and deep copies: Values (leaves and computed, custom ops included), whole graphs at any
depth, modules, optimizers, schedulers and data loaders round-trip to equal objects, and a model
trains in a spawned process exactly as in this one."""
import copy
import importlib
import math
import multiprocessing
import pickle
import pkgutil

import pytest

import autograd
import nn
from autograd import Op, Value
from nn import functional as F


def round_trip(obj):
    return pickle.loads(pickle.dumps(obj))


def same_graph(a, b):
    """a and b are two copies of one graph: the same numbers, gradients, labels, ops and shape
    (each node reached once), and no node of one is a node of the other."""
    order_a, order_b = autograd.topological_order(a), autograd.topological_order(b)
    assert len(order_a) == len(order_b)
    where_a = {node: i for i, node in enumerate(order_a)}
    where_b = {node: i for i, node in enumerate(order_b)}
    for x, y in zip(order_a, order_b):
        assert x is not y
        assert (x.data, x.label, x.op) == (y.data, y.label, y.op) or x.data != x.data
        assert type(x.grad) is type(y.grad)
        if not isinstance(x.grad, Value):
            assert x.grad == y.grad or x.grad != x.grad
        assert [where_a[p] for p in x.parents] == [where_b[p] for p in y.parents]
    return True


def every_module_level_op():
    """Every Op bound to a module-level name in autograd and nn.functional."""
    found = {}
    for info in pkgutil.walk_packages(autograd.__path__, "autograd."):
        for value in vars(importlib.import_module(info.name)).values():
            if isinstance(value, Op):
                found[id(value)] = value
    for value in vars(F).values():
        if isinstance(value, Op):
            found[id(value)] = value
    return list(found.values())


@pytest.mark.parametrize("op", every_module_level_op(), ids=lambda op: op.name)
def test_every_op_pickles_by_reference(op):
    assert round_trip(op) is op and copy.deepcopy(op) is op and copy.copy(op) is op


@pytest.mark.parametrize("make", [
    lambda: (Value(2.0) ** 3).op, lambda: autograd.leaky_relu(Value(1.0), 0.2).op,
    lambda: autograd.round(Value(1.0), 2).op, lambda: autograd.clamp(Value(1.0), -1.0, 1.0).op,
    lambda: F._smoothed_target(0.1, 3, 1),
], ids=["power_by", "leaky_relu_by", "round_to", "clamp_between", "smoothed_target"])
def test_an_op_made_by_a_factory_pickles_as_the_call(make):
    op = make()
    assert op.__reduce__()[0].__name__ != "op_named"
    assert round_trip(op) is op  # the factories are cached: the call gives the same op back


def test_a_leaf_round_trips_with_its_number_gradient_and_label():
    x = Value(-0.0, label="x")
    x.grad = 2.5
    y = round_trip(x)
    assert (repr(y), y.is_leaf, y.op, y.parents) == (repr(x), True, None, ())
    assert str(y.data) == "-0.0" and type(y.data) is float


def expression(x, w):
    return (autograd.tanh(x * w) + x ** 2 - autograd.leaky_relu(w, 0.2) + autograd.clamp(x, 0, 1)
            + autograd.round(x, 2) + autograd.sum([x, w, x]) + autograd.dot([w, x], [x, w], w,
                                                                            relu=True)
            + F.cross_entropy([x, w], 1) + F.cross_entropy([[x, w]], [0], label_smoothing=0.1)
            + F.binary_cross_entropy_with_logits([x], [1.0])
            + autograd.max([x, w]) + autograd.atan2(x, w) + autograd.exp(x) / w)


def test_a_computed_value_keeps_its_op_and_inputs_and_backward_works_after_loading():
    # pickle.dumps(Value(2.0) * 3) raised "Can't pickle <function mul ...>"
    x, w = Value(0.7, label="x"), Value(-1.3, label="w")
    loss = expression(x, w)
    loaded = round_trip(loss)
    assert same_graph(loss, loaded)
    loss.backward()
    loaded.backward()
    named = {n.label: n for n in autograd.topological_order(loaded) if n.label}
    x2, w2 = named["x"], named["w"]
    assert (x2.grad, w2.grad) == (x.grad, w.grad)
    assert x.grad != 0.0 and w.grad != 0.0
    assert same_graph(loss, loaded)  # all the gradients, node for node


def test_gradients_that_are_values_pickle_with_their_graph():
    x = Value(0.5, label="x")
    y = autograd.tanh(x) * x
    y.backward(create_graph=True)
    x2 = round_trip(x)
    assert isinstance(x2.grad, Value) and x2.grad.data == x.grad.data
    assert same_graph(x.grad, x2.grad)
    x.grad.backward()
    second = autograd.topological_order(x2.grad)
    leaf = next(n for n in second if n.label == "x")
    assert leaf is x2  # the gradient's graph leads back to the loaded x itself


def test_identity_is_kept_within_one_pickle():
    x = Value(1.0, label="x")
    hidden = x * 2.0
    a, b = hidden + 1.0, hidden * 3.0
    a2, b2, hidden2, x2 = round_trip([a, b, hidden, x])
    assert a2.parents[0] is hidden2 and b2.parents[0] is hidden2 and hidden2.parents[0] is x2
    b3, a3 = round_trip([b, a])  # in any order
    assert b3.parents[0] is a3.parents[0]


@pytest.mark.parametrize("depth", [10_000])
def test_a_deep_graph_pickles_and_deep_copies_without_recursion(depth):
    # copy.deepcopy of a graph 10,000 deep raised RecursionError, and so did pickle
    x = Value(1.0, label="x")
    y = x
    for i in range(depth):
        y = y * 1.0 + 1.0 if i % 2 else y.tanh() + x
    for copied in (round_trip(y), copy.deepcopy(y)):
        assert copied.data == y.data
        copied.backward()
        leaf = next(n for n in autograd.topological_order(copied) if n.label == "x")
        y.backward()
        assert leaf.grad == x.grad
        x.grad = 0.0


def test_a_node_reached_before_its_turn_through_a_gradient_is_stored_without_recursion():
    x = Value(1.0, label="x")
    chain = [x]
    for _ in range(5000):
        chain.append(chain[-1] * 1.0)
    x.grad = chain[4000]  # met through x, the first node's input, long before its turn
    end = round_trip(chain[-1])
    loaded = [end]
    while loaded[-1].parents:
        loaded.append(loaded[-1].parents[0])
    loaded.reverse()
    assert len(loaded) == 5001 and loaded[0].label == "x" and loaded[0].grad is loaded[4000]


def test_hooks_are_not_pickled():
    x = Value(1.0)
    seen = []
    x.register_hook(seen.append)
    y = round_trip(x * 2.0)
    y.backward()
    assert seen == []


def test_an_op_made_inside_a_function_is_refused_with_advice():
    @autograd.op(derivatives=lambda out, x: (1.0,))
    def local_identity(x):
        return x

    node = local_identity(Value(1.0))
    with pytest.raises(pickle.PicklingError, match="the op 'local_identity' cannot be pickled: "
                                                   ".*Define it at module level"):
        pickle.dumps(node)
    assert copy.deepcopy(node).op is node.op  # a deep copy shares ops: no pickling needed


def test_a_pickle_that_fails_half_way_leaves_nothing_behind():
    @autograd.op(derivatives=lambda out, x: (1.0,))
    def local_identity(x):
        return x

    x = Value(1.0)
    chain = x
    for _ in range(5000):
        chain = chain * 1.0
    with pytest.raises(pickle.PicklingError):
        pickle.dumps(chain + local_identity(x))  # the local op is stored before the chain
    from autograd.core import pickling
    assert len(pickling._PLAIN.nodes) == 0
    assert round_trip(chain).data == 1.0  # the chain is a root again: no RecursionError


def test_a_leaf_that_needs_no_gradient_keeps_its_flag():
    x = Value(2.0, requires_grad=False)
    for twin in (round_trip(x), copy.deepcopy(x)):
        assert twin.requires_grad is False and twin.grad is None and twin.data == 2.0
    w = Value(3.0)
    y = round_trip(w * x)
    y.backward()
    assert y.parents[0].grad == 2.0 and y.parents[1].grad is None


def test_a_node_written_micrograds_way_is_refused_saying_why():
    x = Value(0.5)
    out = Value(math.tanh(x.data), (x,), "tanh")

    def _backward():
        x.grad += (1 - out.data ** 2) * out.grad

    out._backward = _backward
    for copier in (pickle.dumps, copy.deepcopy):
        with pytest.raises(TypeError, match=r"a node written micrograd's way \('tanh', with a "
                                            r"_backward closure\) cannot be pickled or deep-copied"):
            copier(out * 2.0)


@autograd.op(derivatives=lambda out, x: (2.0 * x,))
def module_level_square(x):
    """x^2, a custom op defined at module level."""
    return x * x


def test_a_module_level_custom_op_pickles():
    x = Value(3.0)
    y = round_trip(module_level_square(x) * 2.0)
    assert y.parents[0].op is module_level_square
    y.backward()
    assert y.parents[0].parents[0].grad == 12.0


def test_copy_copy_shares_the_inputs():
    x = Value(2.0)
    y = x * 3.0
    twin = copy.copy(y)
    assert twin is not y and twin.parents[0] is x and twin.op is y.op and twin.data == 6.0


# -- nn ---------------------------------------------------------------------------------------------
def models():
    return [nn.MLP(2, [4, 1], seed=0),
            nn.MLP(2, [3, 3], activation="tanh", seed=1),
            nn.Sequential(nn.Layer(2, 3, seed=0), nn.BatchNorm1d(3), nn.Dropout(0.5, seed=1),
                          nn.LeakyReLU(0.2), nn.Layer(3, 1, activation="linear", seed=2))]


def numbers(batch):
    return [v.data if isinstance(v, Value) else [u.data for u in v] for v in batch]


@pytest.mark.parametrize("index", range(3))
def test_modules_pickle_and_deep_copy_to_equal_models(index):
    # pickle.dumps(nn.MLP(2, [4, 1], seed=0)) raised "Can't pickle local object"
    model = models()[index]
    model([[0.5, -1.0], [1.0, 2.0]])  # batchnorm's running statistics move
    x = [[0.3, 0.1], [-0.2, 0.4]]
    for twin in (round_trip(model), copy.deepcopy(model)):
        assert repr(twin) == repr(model) and twin.state_dict() == model.state_dict()
        assert all(p is not q for p, q in zip(twin.parameters(), model.parameters()))
        model.eval(), twin.eval()
        assert numbers(twin(x)) == numbers(model(x))


def step(model, optimizer, X, y):
    optimizer.zero_grad()
    loss = nn.HingeLoss()(model(X), y)
    loss.backward()
    optimizer.step()
    return loss


OPTIMIZERS = {
    "SGD": lambda params: nn.optim.SGD(params, lr=0.1, momentum=0.9, nesterov=True),
    "Adam": lambda params: nn.optim.Adam(params, lr=0.01, amsgrad=True),
    "AdamW": lambda params: nn.optim.AdamW(params, lr=0.01),
    "RMSprop": lambda params: nn.optim.RMSprop(params, lr=0.01, momentum=0.5),
    "Adagrad": lambda params: nn.optim.Adagrad(params, lr=0.1),
}


def plateau_half(epoch):
    return 0.5 ** epoch


SCHEDULERS = {
    "StepLR": lambda opt: nn.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5),
    "CosineAnnealingLR": lambda opt: nn.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5),
    "ReduceLROnPlateau": lambda opt: nn.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0),
    "LambdaLR": lambda opt: nn.optim.lr_scheduler.LambdaLR(opt, plateau_half),
}


@pytest.mark.parametrize("optimizer_name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("scheduler_name", sorted(SCHEDULERS))
def test_training_resumes_exactly_from_a_pickle_of_model_optimizer_and_scheduler(optimizer_name,
                                                                                 scheduler_name):
    X, y = [[0.5, -1.0], [1.0, 2.0], [-0.3, 0.2]], [1, -1, 1]
    model = nn.MLP(2, [4, 1], seed=0)
    optimizer = OPTIMIZERS[optimizer_name](model.parameters())
    scheduler = SCHEDULERS[scheduler_name](optimizer)

    def epoch(model, optimizer, scheduler):
        loss = step(model, optimizer, X, y)
        scheduler.step(loss.data) if scheduler_name == "ReduceLROnPlateau" else scheduler.step()

    for _ in range(3):
        epoch(model, optimizer, scheduler)
    model2, optimizer2, scheduler2 = round_trip((model, optimizer, scheduler))
    # the optimizer updates the loaded model's own parameters
    assert all(p is q for p, q in zip(optimizer2.param_groups[0]["params"], model2.parameters()))
    assert scheduler2.optimizer is optimizer2
    for _ in range(3):
        epoch(model, optimizer, scheduler)
        epoch(model2, optimizer2, scheduler2)
    assert model2.state_dict() == model.state_dict()
    assert scheduler2.get_last_lr() == scheduler.get_last_lr()


def test_a_data_loader_pickles_mid_run_and_continues_with_the_same_batches():
    loader = nn.data.DataLoader([[float(i)] for i in range(10)], list(range(10)), batch_size=3,
                                seed=4)
    list(loader)
    twin = round_trip(loader)
    assert [list(loader) for _ in range(2)] == [list(twin) for _ in range(2)]
    assert repr(twin) == repr(loader)


def test_a_loss_pickled_with_its_model_shares_the_models_parameters():
    model = nn.MLP(2, [3, 1], seed=0)
    loss = nn.HingeLoss()(model([[0.5, -1.0], [1.0, 2.0]]), [1, -1])
    model2, loss2 = round_trip((model, loss))
    loss2.backward()
    loss.backward()
    assert [p.grad for p in model2.parameters()] == [p.grad for p in model.parameters()]
    assert any(p.grad != 0.0 for p in model2.parameters())


def test_a_model_crosses_a_spawn_process_boundary_and_trains_there_bit_for_bit():
    # spawn (macOS' and Windows' default) pickles the model into the worker and back
    import spawn_worker
    X, labels = nn.data.make_moons(30, noise=0.1, seed=0)
    y = nn.data.to_signed(labels)
    here = spawn_worker.train(nn.MLP(2, [8, 1], seed=0), X, y, steps=5)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        there = pool.apply(spawn_worker.train, (nn.MLP(2, [8, 1], seed=0), X, y, 5))
    assert isinstance(there, nn.MLP)
    assert there.state_dict() == here.state_dict()
    assert there.state_dict() != nn.MLP(2, [8, 1], seed=0).state_dict()
