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
