"""Every lesson notebook in demos/notebooks runs top to bottom in a fresh kernel, as a student meets
it: no error, no warning printed, its pictures inline, and an exercise whose check cell says
"Not done yet" as committed, "Right" once solved (demos/notebooks/solutions/) and "Not quite" for a
wrong answer (WRONG below).

The kernel is the Python running the tests (the project's .venv), started from an in-memory kernel
spec: nothing is installed into, or read from, the user's Jupyter kernels, and IPython's profile and
Jupyter's runtime files go to a temporary folder.
"""
import copy
import logging
import os
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbconvert import HTMLExporter

pytestmark = pytest.mark.slow  # make test-fast leaves these out

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "demos" / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"

# a wrong answer to each exercise, which its check must call wrong (keyed by notebook stem)
WRONG = {
    "01_chain_rule": "grad_a = 6.0\ngrad_b = -4.0\ngrad_c = 1.0\n",
    "02_neuron": "def sigmoid_derivative(x):\n    return sigmoid(x) ** 2\n",
    "03_training_an_mlp": ("def train_step(model, optimizer, X, y):\n"   # forgets zero_grad
                           "    loss = F.hinge_loss(model(X), y)\n"
                           "    loss.backward()\n    optimizer.step()\n    return loss\n"),
    "04_losses": "grad_s = F.softmax([1.0, 2.0, 0.0])\n",                 # forgets the -1
    "05_optimizers": ("def momentum_step(x, buf, g, lr, momentum):\n"      # steps along g
                      "    buf = momentum * buf + g\n    return x - lr * g, buf\n"),
    "06_vanishing_gradients": "n_layers = 9\n",                          # (1/4)^9 = 3.8e-6
    "07_overfitting": ("def early_stopping(val_losses, patience):\n"      # the last, not the best
                       "    return len(val_losses), len(val_losses)\n"),
    "08_batch_sizes": ("def steps_per_epoch(n, batch_size, drop_last=False):\n"  # short batch lost
                       "    return 1 if batch_size is None else n // batch_size\n"),
    "09_lr_schedules": ("def cosine_lr(epoch, base_lr, T_max, eta_min=0.0):\n"  # forgets eta_min
                        "    return 0.5 * base_lr * (1 + math.cos(math.pi * epoch / T_max))\n"),
    "11_handwritten_digits": ("def per_digit_accuracy(counts):\n"      # divides by the column
                              "    return [counts[d][d] / sum(row[d] for row in counts)\n"
                              "            for d in range(10)]\n"),
}


class ThisPythonKernel(AsyncKernelManager):
    """A kernel run by this very Python, whatever kernels the user's Jupyter knows about. Its own
    log says only errors (not that it talks over local TCP without encryption)."""

    @property
    def kernel_spec(self) -> KernelSpec:
        return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f",
                                "{connection_file}",
                                "--IPKernelApp.log_level=ERROR"],
                          display_name="chainrule tests", language="python")


def notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def tagged(nb, tag: str) -> tuple[int, nbformat.NotebookNode]:
    found = [(i, c) for i, c in enumerate(nb.cells) if tag in c.get("metadata", {}).get("tags", [])]
    assert len(found) == 1, f"expected exactly one cell tagged {tag!r}, found {len(found)}"
    return found[0]


def text_of(cell) -> str:
    """What a cell printed or displayed as text."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out and "text/plain" in out.data:
            parts.append(out.data["text/plain"])
    return "".join(parts)


def run_variant(client, cells: list, index: int, source: str | None = None):
    """Run the exercise cell (with `source` instead of the student's text, if given), then the
    check cell after it; return the check cell as executed."""
    exercise, check = (copy.deepcopy(c) for c in cells)
    if source is not None:
        exercise.source = source
    client.execute_cell(exercise, index)
    client.execute_cell(check, index + 1)
    return check


@pytest.fixture
def kernel_env(tmp_path, monkeypatch):
    """The environment of the test kernel: the user's, minus anything that would change what a
    student sees (a non-inline matplotlib backend), with Jupyter's and IPython's files in tmp."""
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env.update(IPYTHONDIR=str(tmp_path / "ipython"), MPLCONFIGDIR=str(tmp_path / "mpl"),
               JUPYTER_PLATFORM_DIRS="1", PYDEVD_DISABLE_FILE_VALIDATION="1")
    return env


def test_there_is_a_lesson_per_idea():
    assert {path.stem for path in notebooks()} == set(WRONG)  # a wrong answer for each exercise
    for path in notebooks():
        assert (SOLUTIONS / f"{path.stem}.py").is_file(), f"{path.name} has no solution"


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.stem)
def test_notebook_runs_and_its_exercise_checks_itself(path, kernel_env):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        f"{path.name} is committed with outputs: clear them (Kernel > Restart and clear outputs)"
    exercise_index, exercise = tagged(nb, "exercise")
    check_index, check = tagged(nb, "check")
    assert check_index == exercise_index + 1, "the check cell must follow the exercise cell"
    assert "TODO" in exercise.source

    client = NotebookClient(nb, kernel_manager_class=ThisPythonKernel, timeout=300,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    with client.setup_kernel(env=kernel_env):
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)

        for cell in nb.cells:  # warnings and tracebacks go to stderr: a student sees none
            for out in cell.get("outputs", []):
                assert not (out.output_type == "stream" and out.name == "stderr"), \
                    f"{path.name} printed to stderr:\n{out.text}"
        pictures = sum(1 for c in nb.cells for out in c.get("outputs", [])
                       if {"image/png", "image/svg+xml"} & set(out.get("data", {})))
        assert pictures >= 1, f"{path.name} shows no picture"
        # exported to HTML, every picture has alternative text (nbconvert warns of any without)
        exporter = HTMLExporter(template_name="lab")
        warnings = []
        exporter.log.addHandler(handler := logging.Handler(logging.WARNING))
        handler.emit = warnings.append
        page, _ = exporter.from_notebook_node(nb)
        exporter.log.removeHandler(handler)
        assert [w.getMessage() for w in warnings] == [], f"{path.name} exported with warnings"
        assert "No description has been provided for this image" not in page

        which = nbformat.v4.new_code_cell("import sys; print(sys.executable)")
        nb.cells.append(which)
        client.execute_cell(which, len(nb.cells) - 1)
        assert text_of(which).strip() == sys.executable  # the project's own Python ran it

        assert text_of(check).startswith("Not done yet"), text_of(check)
        cells = [exercise, check]
        solution = (SOLUTIONS / f"{path.stem}.py").read_text()
        solved = run_variant(client, cells, exercise_index, solution)
        assert text_of(solved).startswith("Right"), text_of(solved)
        wrong = run_variant(client, cells, exercise_index, WRONG[path.stem])
        assert text_of(wrong).startswith("Not quite"), text_of(wrong)
