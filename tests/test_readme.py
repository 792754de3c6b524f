"""Every Python code block in README.md runs, and its shown output is what it prints."""
import doctest
import re
from pathlib import Path
import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


@pytest.mark.slow  # draws pictures and trains models: the whole README
def test_readme_code_blocks_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # blocks may write pictures and model files
    blocks = BLOCK.findall(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 8
    namespace: dict = {"__name__": "readme"}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for number, block in enumerate(blocks, 1):
        if ">>>" in block:
            test = parser.get_doctest(block, namespace, f"README block {number}", str(README), 0)
            result = runner.run(test, clear_globs=False)
            assert result.failed == 0, f"README block {number} printed something else (see above)"
            namespace.update(test.globs)  # a DocTest works on a copy of the names it is given
        else:
            exec(compile(block, f"README block {number}", "exec"), namespace)
    out = tmp_path / "out"  # the tour writes into out/, which git ignores
    assert (out / "expression.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    assert "frame" in (out / "steps.html").read_text()
    assert (out / "moons-model.json").stat().st_size > 0
    assert namespace["accuracy"] == 1.0  # micrograd's demo result


def test_readme_pictures_exist_and_are_small():
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README.read_text(encoding="utf-8"))
    assert len(links) >= 6
    for link in links:
        picture = README.parent / link
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", link
        assert picture.stat().st_size < 100_000, link


def test_readme_names_every_public_name():
    """The tours and the API summary mention every exported name, so they cannot fall behind
    autograd's and nn's `__all__`."""
    import autograd
    import nn
    import nn.data
    import nn.functional
    import nn.optim
    import nn.optim.lr_scheduler
    import nn.utils

    text = README.read_text(encoding="utf-8")
    in_code = set(re.findall(r"\w+", " ".join(re.findall(r"`([^`\n]*)`", text))))
    for module in (autograd, nn, nn.optim, nn.optim.lr_scheduler, nn.data, nn.utils,
                   nn.functional):
        missing = [name for name in module.__all__ if name not in in_code]
        assert not missing, f"README.md never mentions {module.__name__}'s {missing}"
