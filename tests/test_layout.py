"""The layout is the architecture: what `import autograd` loads, and where Value's methods live.

(The import rules between autograd's layers, nn and the demos are contracts that `lint-imports`
checks in `make check` and CI; see [tool.importlinter] in pyproject.toml.)
"""
import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import autograd
from autograd import Value

AUTOGRAD = Path(autograd.__file__).parent


def test_importing_autograd_loads_no_graphviz_and_no_picture_code_until_a_picture_is_asked_for():
    probe = ("import sys, autograd; a = autograd.Value(2.0); (a * a).backward(); "
             "before = sorted(m for m in sys.modules if m == 'graphviz' or m.startswith("
             "('autograd.show.draw', 'autograd.show.step_page', 'autograd.show.explanation'))); "
             "autograd.draw_dot; after = 'graphviz' in sys.modules; print(before, after)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[]", "True"]


def test_the_four_layers_are_folders():
    assert sorted(p.name for p in AUTOGRAD.iterdir() if (p / "__init__.py").exists()) == [
        "calculus", "core", "math", "show"]
    assert [p.name for p in AUTOGRAD.glob("*.py")] == ["__init__.py"]  # nothing loose beside them


def _methods_in_the_class_body() -> set[str]:
    tree = ast.parse((AUTOGRAD / "core" / "value.py").read_text(encoding="utf-8"))
    (cls,) = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Value"]
    names = set()
    for node in cls.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):  # __hash__ = object.__hash__
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def test_every_operator_and_method_of_value_is_written_in_its_class():
    declared = _methods_in_the_class_body()
    at_run_time = {name for name, attribute in vars(Value).items()
                   if callable(attribute) or isinstance(attribute, property)}
    assert at_run_time - declared == set()  # nothing attached from elsewhere
    for name in ("__add__", "__rpow__", "__mod__", "tanh", "relu", "leaky_relu", "atan2", "clamp",
                 "round", "tree", "_repr_html_", "backward", "register_hook"):
        assert name in declared
        assert inspect.getmodule(getattr(Value, name)) is sys.modules["autograd.core.value"]


def test_no_module_attaches_anything_to_value():
    attaching = re.compile(r"setattr\(\s*Value\b|^\s*Value\.\w+\s*=", re.M)
    offenders = [str(path.relative_to(AUTOGRAD)) for path in AUTOGRAD.rglob("*.py")
                 if attaching.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_each_method_uses_the_op_its_function_uses():
    x, y = Value(0.3), Value(0.7)
    for name in ("exp", "log", "tanh", "sigmoid", "relu", "tan", "log1p", "sign", "square"):
        assert getattr(x, name)().op is getattr(autograd, name)(x).op, name
    for name in ("atan2", "hypot", "logaddexp", "maximum", "minimum", "remainder"):
        assert getattr(x, name)(y).op is getattr(autograd, name)(x, y).op, name
    assert (x % y).op is autograd.remainder(x, y).op and (x // y).op is autograd.floor_divide(x, y).op
