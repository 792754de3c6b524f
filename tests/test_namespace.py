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


def nn_import_graph() -> dict[str, set[str]]:
    """nn's modules and the nn modules each one imports, at the top or inside a function (an
    import put off to run time is still a dependency); imports under `if TYPE_CHECKING:` never
    run and do not count."""
    import ast
    from pathlib import Path

    def imports(tree):
        for node in ast.iter_child_nodes(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.ImportFrom):
                yield node
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


def test_nn_modules_import_each_other_without_a_cycle():
    """A cycle (module.py <-> serialization.py once, through an import inside a function) works
    only by the order in which things happen to be imported."""
    graph = nn_import_graph()
    assert {"nn.serialization", "nn._naming"} <= graph["nn.module"]  # it sees the imports
    packages = {name for name in graph if hasattr(importlib.import_module(name), "__path__")}

    def visit(name, path):
        for dep in graph[name] - packages:  # a package's __init__ imports all of its modules
            assert dep not in path, "import cycle: " + " -> ".join(path + [dep])
            visit(dep, path + [dep])

    for name in graph.keys() - packages:
        visit(name, [name])
