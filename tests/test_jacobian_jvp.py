"""jacobian (reverse mode, a row per backward pass) and jvp (forward mode, J v per forward pass).

Both are checked on floats and Values, first and second order, against central differences
(`autograd.numeric_grad`) and against PyTorch float64 values.
"""
import math

import pytest

import autograd
from autograd import Value, grad, hessian, jacobian, jvp, no_grad, numeric_grad


def f(x, y):
    """Three outputs of two inputs."""
    return [x * y, x.sin() + y ** 2, (x * y).exp() / (1 + y)]


X, Y, V = 0.5, -1.2, (0.3, -0.7)

# Reference values from torch 2.13.0 (float64) for f at (X, Y) with tangent V:
# torch.autograd.functional.jacobian and .hessian (of each output), torch.func.jvp, jvp of a jvp
# (v^T H_i v) and torch.func.jacrev of a jvp (H_i v).
TORCH_OUT = [-0.6, 1.919425538604203, -2.744058180470133]
TORCH_J = [[-1.2, 0.5], [0.8775825618903728, -2.4], [3.2928698165641594, -15.092319992585734]]
TORCH_JV = [-0.71, 1.9432747685671117, 11.552484939779262]
TORCH_H = [[[0.0, 1.0], [1.0, 0.0]],
           [[-0.479425538604203, 0.0], [0.0, 2.0]],
           [[-3.9514437798769912, 15.36672581063275], [15.366725810632747, -151.60921447097488]]]
TORCH_VHV = [-0.42, 0.9368517015256216, -81.09816987143239]
TORCH_HV = [[-0.7, 0.3], [-0.1438276615812609, -1.4], [-11.942141201406022, 110.73646787287225]]


def approx(x, rel=1e-13):
    return pytest.approx(x, rel=rel, abs=1e-13)


def numeric_jacobian(g, *xs):
    """Column j by central differences: numeric_grad of each output."""
    n_out = len(g(*[Value(x) for x in xs]))
    return [list(numeric_grad(lambda *a, i=i: g(*a)[i], *xs)) for i in range(n_out)]


# -- jacobian -----------------------------------------------------------------------------------------
def test_jacobian_matches_torch_and_central_differences():
    J = jacobian(f)(X, Y)
    assert type(J) is list and len(J) == 3 and all(type(row) is list and len(row) == 2 for row in J)
    assert all(type(d) is float for row in J for d in row)
    assert J == [approx(row) for row in TORCH_J]
    assert J == [pytest.approx(row, rel=1e-7) for row in numeric_jacobian(f, X, Y)]


def test_jacobian_rows_are_grads():
    for i in range(3):
        assert jacobian(f)(X, Y)[i] == approx(list(grad(lambda x, y: f(x, y)[i], (0, 1))(X, Y)))


def test_jacobian_of_jacobian_gives_each_outputs_hessian():
    for i in range(3):
        H = jacobian(lambda x, y, i=i: jacobian(f)(x, y)[i])(X, Y)
        assert H == [approx(row, 1e-12) for row in TORCH_H[i]]
    assert jacobian(grad(lambda x, y: x * x * y, (0, 1)))(3.0, 2.0) == hessian(
        lambda x, y: x * x * y)(3.0, 2.0) == [[4.0, 6.0], [6.0, 0.0]]
    # second derivatives by central differences of the analytic Jacobian
    row = numeric_jacobian(lambda x, y: jacobian(f)(x, y)[2], X, Y)
    assert row == [pytest.approx(r, rel=1e-6) for r in TORCH_H[2]]


def test_jacobian_with_values_is_differentiable_and_leaves_grads_alone():
    x, y = Value(X), Value(Y)
    x.grad = 7.0
    J = jacobian(f)(x, y)
    assert all(isinstance(d, Value) for row in J for d in row) and x.grad == 7.0
    J[2][0].backward()  # d/dx of d out_2/dx: H_2[0][0], d/dy: H_2[0][1]
    assert x.grad - 7.0 == approx(TORCH_H[2][0][0], 1e-12) and y.grad == approx(TORCH_H[2][0][1])


def test_jacobian_shapes_constants_and_single_outputs():
    # one Value out: one row; a plain-number output: a row of zeros; an output that is an input
    assert jacobian(lambda x, y: x * y)(2.0, 3.0) == [[3.0, 2.0]]
    assert jacobian(lambda x, y: (1.0, y, x))(2.0, 3.0) == [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    assert jacobian(lambda x: [x, 2 * x, x * x])(3.0) == [[1.0], [2.0], [6.0]]
    # the same Value twice is two independent inputs, as in grad
    v = Value(3.0)
    J = jacobian(lambda a, b: [a * b])(v, v)
    assert [d.data for d in J[0]] == [3.0, 3.0]
    with no_grad():
        assert jacobian(f)(X, Y) == [approx(row) for row in TORCH_J]


def test_jacobian_explains_bad_calls():
    with pytest.raises(TypeError, match=r"jacobian\(f\)\(x_0, ..., x_n-1\)"):
        jacobian(f)()
    with pytest.raises(TypeError, match="output 1 of f is str"):
        jacobian(lambda x: [x, "y"])(1.0)
    with pytest.raises(TypeError, match="f must return a Value, a number, or a list"):
        jacobian(lambda x: {"y": x})(1.0)
    with pytest.raises(TypeError, match="argument 0 is str"):
        jacobian(f)("1", 2.0)
    with pytest.raises(TypeError, match="jacobian needs a function"):
        jacobian(3.0)
    assert repr(jacobian(f)) == "jacobian(f)"


# -- jvp ----------------------------------------------------------------------------------------------
def test_jvp_matches_torch_and_the_jacobian():
    out, tangent = jvp(f, (X, Y), V)
    assert type(out) is list and type(tangent) is list
    assert all(type(t) is float for t in out + tangent)
    assert out == approx(TORCH_OUT) and tangent == approx(TORCH_JV)
    J = jacobian(f)(X, Y)
    assert tangent == approx([row[0] * V[0] + row[1] * V[1] for row in J])
    # unit tangents give the Jacobian's columns
    for j, e in enumerate([(1.0, 0.0), (0.0, 1.0)]):
        assert jvp(f, (X, Y), e)[1] == approx([row[j] for row in TORCH_J])


def test_jvp_is_the_derivative_along_the_direction_by_central_differences():
    # d/dt f(x + t v) at t = 0
    along = [numeric_grad(lambda t, i=i: f(X + t * V[0], Y + t * V[1])[i], 0.0) for i in range(3)]
    assert jvp(f, (X, Y), V)[1] == pytest.approx(along, rel=1e-7)


def test_jvp_of_jvp_and_grad_of_jvp_give_second_derivatives():
    def directional(x, y):
        return jvp(f, (x, y), V)[1]

    _, vHv = jvp(directional, (X, Y), V)  # forward over forward: v^T H_i v
    assert vHv == approx(TORCH_VHV, 1e-12)
    Hv = jacobian(directional)(X, Y)  # reverse over forward: H_i v
    assert Hv == [approx(row, 1e-12) for row in TORCH_HV]
    assert Hv == [pytest.approx(row, rel=1e-6) for row in numeric_jacobian(directional, X, Y)]
    # one variable: f'' of x sin x is 2 cos x - x sin x
    g = lambda x: x.sin() * x  # noqa: E731
    exact = 2 * math.cos(0.5) - 0.5 * math.sin(0.5)
    assert jvp(lambda x: jvp(g, (x,), (1.0,))[1], (0.5,), (1.0,))[1] == approx(exact)
    assert grad(lambda x: jvp(g, (x,), (1.0,))[1])(0.5) == approx(exact)
    assert jvp(grad(g), (0.5,), (1.0,))[1] == approx(exact)  # forward over reverse


def test_jvp_single_output_tuples_and_values():
    assert jvp(lambda x: x * x, (3.0,), (1.0,)) == (9.0, 6.0)
    out, tangent = jvp(lambda x, y: (x * y, y), [3.0, 2.0], [1.0, 0.5])
    assert type(out) is tuple and out == (6.0, 2.0) and tangent == (3.5, 0.5)
    assert jvp(lambda x: 2.0, (3.0,), (1.0,)) == (2.0, 0.0)  # a constant: tangent 0
    x = Value(3.0)
    out, tangent = jvp(lambda t: t * t * t, (x,), (1.0,))
    assert isinstance(out, Value) and isinstance(tangent, Value) and tangent.data == 27.0
    tangent.backward()  # d/dx 3x^2 = 6x
    assert x.grad == 18.0
    v = Value(2.0)  # J v is linear in v and differentiable in it too
    _, tangent = jvp(lambda t: t * t, (3.0,), (v,))
    assert isinstance(tangent, Value) and tangent.data == 12.0
    tangent.backward()
    assert v.grad == 6.0


def test_jvp_inside_no_grad_and_with_a_closed_over_variable():
    with no_grad():
        assert jvp(f, (X, Y), V)[1] == approx(TORCH_JV)
    # d/dw of the tangent of x -> x * x * w at x = 2 along 1: d/dw (4w) = 4
    assert grad(lambda w: jvp(lambda x: x * x * w, (2.0,), (1.0,))[1])(3.0) == 4.0


def test_jvp_masks_edges_and_propagates_nan_as_torch():
    # torch 2.13.0 torch.func.jvp with tangent inf: relu at 0 and at -1 give 0 (a masked edge,
    # which an op declares with a partial of None), abs at 0 gives nan (0 * inf), x * 0 gives nan
    inf = math.inf
    assert jvp(lambda x: x.relu(), (0.0,), (inf,))[1] == 0.0
    assert jvp(lambda x: x.relu(), (-1.0,), (inf,))[1] == 0.0
    masked_relu = autograd.op(derivatives=lambda out, x: (None if x <= 0 else 1.0,),
                              name="masked_relu")(lambda x: max(x, 0.0))
    assert jvp(masked_relu, (-1.0,), (inf,))[1] == 0.0
    assert math.isnan(jvp(lambda x: abs(x), (0.0,), (inf,))[1])
    assert math.isnan(jvp(lambda x: x * 0.0, (2.0,), (inf,))[1])
    assert jvp(lambda x: abs(x), (0.0,), (1.0,))[1] == 0.0
    # forward and reverse mode agree on every op's declared local derivative
    for g in (lambda x: x.relu(), lambda x: abs(x), lambda x: x.leaky_relu(0.1)):
        for x0 in (-1.0, 0.0, 2.0):
            assert jvp(g, (x0,), (1.0,))[1] == grad(g)(x0)


def test_jvp_divides_where_torch_divides():
    # torch 2.13.0 torch.func.jvp: log at 1e-310 with tangent 1e-10 is 1e-10 / 1e-310 =
    # 1.000000000000003e+300 (1 / x alone would overflow to inf), sqrt 5.0000000000000076e+144;
    # a / b at b = 1e-310 with tangents (1e-10, 0): nan, since 0 * (-a / b^2) is 0 * -inf
    assert jvp(autograd.log, (1e-310,), (1e-10,))[1] == 1.000000000000003e+300
    assert jvp(autograd.sqrt, (1e-310,), (1e-10,))[1] == 5.0000000000000076e+144
    assert math.isnan(jvp(lambda a, b: a / b, (1.0, 1e-310), (1e-10, 0.0))[1])
    assert jvp(autograd.log, (Value(1e-310),), (1e-10,))[1].data == 1.000000000000003e+300


def test_jvp_explains_bad_calls():
    with pytest.raises(TypeError, match=r"tuple or list.*jvp\(f, \(x,\), \(v,\)\)"):
        jvp(f, 1.0, 1.0)
    with pytest.raises(ValueError, match="one tangent per primal: got 2 primals and 1 tangent"):
        jvp(f, (X, Y), (1.0,))
    with pytest.raises(TypeError, match="tangent 1 is str"):
        jvp(f, (X, Y), (1.0, "a"))
    with pytest.raises(TypeError, match="argument 0 is str"):
        jvp(f, ("a", Y), V)
    with pytest.raises(TypeError, match="f must return a Value, a number, or a list"):
        jvp(lambda x: {"y": x}, (1.0,), (1.0,))
    with pytest.raises(TypeError, match="jvp needs a function"):
        jvp(None, (1.0,), (1.0,))
