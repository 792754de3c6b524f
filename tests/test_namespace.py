"""dir() and import show a newcomer the documented API: `__all__`, nothing else, and no function
with the same name as a module (`import autograd.explain as m` once gave the function)."""
import importlib
import pkgutil
import types

import pytest

import autograd
import nn
import nn.data
import nn.optim
import nn.utils

PACKAGES = [autograd, nn, nn.optim, nn.data, nn.utils]


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_dir_lists_exactly_the_documented_api(package):
    documented = set(package.__all__) | ({"__version__"} if package in (autograd, nn) else set())
    if package is autograd:  # public, but kept out of __all__ so that `import *` shadows no builtin
        documented |= set(autograd.NAMED_LIKE_BUILTINS)
    assert dir(package) == sorted(documented)
    for name in package.__all__:
        assert getattr(package, name) is not None, name


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_no_public_name_shadows_a_submodule(package):
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        # what `import package.name as m` and `package.name` give
        assert getattr(package, info.name) is module, f"{package.__name__}.{info.name}"


def test_autograd_and_nn_submodules_the_docs_name_stay_importable():
    assert isinstance(nn.optim.lr_scheduler, types.ModuleType)
    assert isinstance(nn.functional, types.ModuleType) and isinstance(nn.init, types.ModuleType)
    assert callable(nn.optim.adamw) and callable(nn.optim.adam) and callable(nn.fit)
    assert callable(autograd.explain) and callable(autograd.tree) and callable(autograd.gradcheck)


def test_import_star_shadows_no_builtin():
    import builtins
    namespace: dict = {}
    exec("from autograd import *", namespace)
    shadowed = sorted(name for name in namespace if name != "__builtins__" and hasattr(builtins, name))
    assert shadowed == []
    exec("from nn import *", namespace)
    assert [name for name in namespace if name != "__builtins__" and hasattr(builtins, name)] == []
    exec("result = list(range(max(3, 5))), sum([1, 2]), abs(-2), round(2.5), pow(2, 3), min(1, 2)",
         namespace)
    assert namespace["result"] == ([0, 1, 2, 3, 4], 3, 2, 2, 8, 1)
    # still there as autograd.sum & co., and not the builtins
    for name in autograd.NAMED_LIKE_BUILTINS:
        assert getattr(autograd, name) is not getattr(builtins, name)
        assert name not in autograd.__all__
    assert autograd.sum([autograd.Value(1.0), 2.0]).data == 3.0


def nn_import_graph(deferred: bool) -> dict[str, set[str]]:
    """nn's modules and the nn modules each one imports: at the top (run on import), and with
    `deferred` also inside functions (run later, yet still a dependency). Imports under
    `if TYPE_CHECKING:` never run and do not count."""
    import ast
    from pathlib import Path

    def imports(tree):
        for node in ast.iter_child_nodes(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.ImportFrom):
                yield node
            if deferred or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from imports(node)

    root = Path(nn.__file__).parent
    graph = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        package = parts[:-1]
        name = ".".join(parts if parts[-1] != "__init__" else parts[:-1])
        imported = set()
        for node in imports(ast.parse(path.read_text(encoding="utf-8"))):
            if node.level:
                base = package[:len(package) - node.level + 1]
                base += [node.module] if node.module else []
                imported.add(".".join(base))
                imported.update(".".join(base + [alias.name]) for alias in node.names)
            elif (node.module or "").startswith("nn"):
                imported.add(node.module)
        graph[name] = imported
    return {name: {m for m in imported if m in graph and m != name}
            for name, imported in graph.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles among nn's modules (a package's __init__ imports all of its modules and
    is left out)."""
    packages = {name for name in graph if hasattr(importlib.import_module(name), "__path__")}
    found = []

    def visit(name, path):
        for dep in sorted(graph[name] - packages):
            if dep in path:
                found.append(path[path.index(dep):] + [dep])
            elif len(found) < 10:
                visit(dep, path + [dep])

    for name in sorted(graph.keys() - packages):
        visit(name, [name])
    return found


def test_nn_modules_import_each_other_without_a_cycle():
    """A cycle of imports at the top of modules works only by the order in which things happen
    to be imported."""
    graph = nn_import_graph(deferred=False)
    assert {"nn.serialization", "nn._naming"} <= graph["nn.module"]  # it sees the imports
    assert cycles(graph) == []


def test_module_and_serialization_need_no_deferred_import():
    """module.py and serialization.py once imported each other, one of them inside functions to
    dodge the cycle; now serialization.py (with StateDictError) imports nothing of nn."""
    graph = nn_import_graph(deferred=True)
    assert "nn.serialization" in graph["nn.module"] and graph["nn.serialization"] == set()
    assert not [c for c in cycles(graph) if "nn.module" in c or "nn.serialization" in c]
