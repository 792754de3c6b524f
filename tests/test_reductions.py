"""mean, prod, max and min of a sequence: one node each, their values, first and second derivatives
against closed forms and central differences (gradcheck, gradgradcheck), the tie rule of max and
min, and bad input. The edges against PyTorch are in test_torch_reference.py."""
import math

import pytest

import autograd
from autograd import Value
from derivative_checks import assert_derivatives

inf, nan = math.inf, math.nan


def of(reduction):
    """The reduction as a function of n arguments, for the gradient checks."""
    return lambda *xs: reduction(xs)


@pytest.mark.parametrize("name", ["mean", "prod", "max", "min"])
def test_one_node_whatever_the_length(name):
    xs = [Value(float(i)) for i in range(1, 8)]
    out = getattr(autograd, name)(xs)
    assert out.op.name == name and out.parents == tuple(xs)
    assert all(x.is_leaf for x in xs)


def test_mean():
    point = [1.0, 2.0, 4.0, -0.5]
    assert_derivatives(of(autograd.mean), point, 1.625, [0.25] * 4, [[0.0] * 4 for _ in point])
    assert autograd.mean([1.0, 2.0, 4.0]) == 7 / 3 and type(autograd.mean([1, 2])) is float
    assert math.isnan(autograd.mean([]))  # as torch.mean of an empty tensor
    # second order through the inputs: mean(x^2, x y, y) at (3, 2)
    assert_derivatives(lambda x, y: autograd.mean([x * x, x * y, y]), [3.0, 2.0], 17 / 3,
                       [8 / 3, 4 / 3], [[2 / 3, 1 / 3], [1 / 3, 0.0]], rel=1e-15)


@pytest.mark.parametrize("point", [[2.0, 3.0, 4.0], [0.5, -1.5, 2.0, -0.25], [2.0, 0.0, 4.0],
                                   [0.0, 0.0, 4.0], [1.3]])
def test_prod(point):
    n = len(point)

    def others(*skip):
        return math.prod(x for k, x in enumerate(point) if k not in skip)

    hessian = [[0.0 if i == j else others(i, j) for j in range(n)] for i in range(n)]
    assert_derivatives(of(autograd.prod), point, math.prod(point), [others(i) for i in range(n)],
                       hessian)


def test_prod_with_zeros_passes_no_inf_from_above():
    # one zero: the zero's partial is the product of the others; two zeros: none flows (torch)
    xs = [Value(2.0), Value(0.0), Value(4.0)]
    (autograd.prod(xs) * inf).backward()
    assert [x.grad for x in xs][1] == inf and math.isnan(xs[0].grad)
    xs = [Value(0.0), Value(0.0), Value(4.0)]
    (autograd.prod(xs) * inf).backward()
    assert [x.grad for x in xs] == [0.0, 0.0, 0.0]
    assert autograd.prod([]) == 1.0 and autograd.prod([2, 3.5]) == 7.0


@pytest.mark.parametrize("name, pick", [("max", max), ("min", min)])
def test_max_and_min(name, pick):
    f = getattr(autograd, name)
    point = [0.5, -1.5, 2.0, -0.25]
    winner = point.index(pick(point))
    first = [1.0 if i == winner else 0.0 for i in range(4)]
    assert_derivatives(of(f), point, pick(point), first, [[0.0] * 4 for _ in point])
    # second order through the winner: max(x^2, y) at x = 2, y = 1 is x^2; min of it is y
    expected = [[2.0, 0.0], [0.0, 0.0]] if name == "max" else [[0.0, 0.0], [0.0, 0.0]]
    assert_derivatives(lambda x, y: f([x * x, y]), [2.0, 1.0], 4.0 if name == "max" else 1.0,
                       [4.0, 0.0] if name == "max" else [0.0, 1.0], expected)
    assert_derivatives(lambda x, y: f([x * y, y * y, x]), [0.5, 3.0])


@pytest.mark.parametrize("name", ["max", "min"])
def test_ties_share_the_gradient_evenly(name):
    f = getattr(autograd, name)
    grad = autograd.grad(of(f), (0, 1, 2, 3, 4))
    assert grad(2.0, 1.0, 2.0, 1.0, 2.0) == ((1 / 3, 0.0, 1 / 3, 0.0, 1 / 3) if name == "max"
                                             else (0.0, 0.5, 0.0, 0.5, 0.0))
    assert grad(7.0, 7.0, 7.0, 7.0, 7.0) == (0.2,) * 5
    # nan wins and takes the gradient, as torch.max(t); the others get none even from an inf
    assert math.isnan(f([1.0, nan, 3.0]))
    assert grad(1.0, nan, 3.0, nan, 0.0) == (0.0, 0.5, 0.0, 0.5, 0.0)
    xs = [Value(1.0), Value(3.0), Value(2.0)]
    (f(xs) * inf).backward()
    assert [x.grad for x in xs] == ([0.0, inf, 0.0] if name == "max" else [inf, 0.0, 0.0])


def test_max_and_min_values():
    assert autograd.max([3, 1.5, 7]) == 7.0 and autograd.min([3, 1.5, 7]) == 1.5
    assert autograd.max([-inf, -inf]) == -inf and autograd.min([inf, 2.0]) == 2.0
    mixed = autograd.max([Value(1.0), 4.0, Value(2.0)])  # numbers among Values become leaves
    assert isinstance(mixed, Value) and mixed.data == 4.0


@pytest.mark.parametrize("name", ["mean", "prod", "max", "min"])
def test_bad_input_is_explained(name):
    f = getattr(autograd, name)
    with pytest.raises(TypeError, match=rf"{name} takes one sequence.*{name}\(\[a, b, c\]\)"):
        f(Value(1.0))
    with pytest.raises(TypeError, match="sequence"):
        f(3.0)
    with pytest.raises(TypeError, match="real number"):
        f([Value(1.0), "2"])
    if name in ("max", "min"):
        with pytest.raises(ValueError, match="empty"):
            f([])


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_and_min_of_several_arguments_as_pythons(name):
    f = getattr(autograd, name)
    a, b, c = Value(1.0), Value(3.0), Value(3.0)
    assert f(a, b, c).data == f([a, b, c]).data and f(a, b, c).parents == (a, b, c)
    assert f(2.0, 5.0) == (5.0 if name == "max" else 2.0)
