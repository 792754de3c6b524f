"""help() teaches: every operator on Value says what it computes and its local derivatives, and the
methods' docstrings describe the arguments they take."""
import inspect
import pydoc

import pytest

import autograd
from autograd import Value

BINARY = ["__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
          "__rtruediv__", "__pow__", "__rpow__"]


def test_help_of_value_names_every_operator_and_no_factory_closure():
    text = pydoc.render_doc(Value, renderer=pydoc.plaintext)
    for name in BINARY + ["__neg__", "__abs__"]:
        assert f"{name}(self" in text, name
    assert "forward(" not in text and "reflected(" not in text


@pytest.mark.parametrize("name", BINARY)
def test_binary_operators_give_both_local_derivatives(name):
    doc = inspect.getdoc(getattr(Value, name))
    other = {"__pow__": "exponent", "__rpow__": "base"}.get(name, "other")
    assert "Local derivatives:" in doc
    assert "∂/∂self = " in doc and f"∂/∂{other} = " in doc, doc
    if name.startswith("__r"):  # the reflected ones say when Python calls them
        assert f"x.{name}(2)" in doc


@pytest.mark.parametrize("name, derivative", [("__neg__", "∂/∂self = -1"),
                                              ("__abs__", "∂/∂self = sign(self)")])
def test_unary_operators_give_their_local_derivative(name, derivative):
    assert derivative in inspect.getdoc(getattr(Value, name))


def test_tree_and_backward_describe_what_they_take():
    tree_doc = inspect.getdoc(Value.tree)
    assert list(inspect.signature(Value.tree).parameters) == ["self", "max_depth", "max_inputs"]
    for name in ("max_depth", "max_inputs"):  # the method's defaults are the function's
        assert (inspect.signature(Value.tree).parameters[name].default
                == inspect.signature(autograd.tree).parameters[name].default)
    assert "root" not in tree_doc and "max_depth" in tree_doc
    backward_doc = inspect.getdoc(Value.backward)
    assert "optimizer.zero_grad()" in backward_doc and "model.zero_grad()" in backward_doc
    assert not hasattr(Value, "zero_grad")  # so the docstring must not send users to it
