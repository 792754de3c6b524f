"""Every demo runs in its --fast mode, writes real PNG pictures, and measures sensible numbers."""
import contextlib
import importlib
import io
import math
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # make test-fast leaves these out

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # `demos` is not installed

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DEMOS = ["moons", "regression", "spiral", "vanishing_gradients", "overfitting", "optimizers",
         "schedules", "batch_sizes", "forward_vs_reverse", "digits"]
EXPECTED_FILES = {
    "moons": {"curves.png", "decision_boundary.png", "neuron.png"},
    "regression": {"fit.png"},
    "spiral": {"spiral.png"},
    "vanishing_gradients": {"gradient_norms.png", "heat_sigmoid.png", "heat_tanh.png"},
    "overfitting": {"overfitting.png"},
    "optimizers": {"loss_curves.png", "rosenbrock_paths.png"},
    "schedules": {"schedules.png"},
    "batch_sizes": {"batch_sizes.png"},
    "forward_vs_reverse": {"forward_vs_reverse.png"},
    "digits": {"curves.png", "misclassified.png", "confusion.png", "first_layer.png"},
}


def run(name, out):
    demo = importlib.import_module(f"demos.{name}")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = demo.main(["--fast", "--out", str(out), "--seed", "0"])
    files = result["files"]
    assert {Path(f).name for f in files} == EXPECTED_FILES[name]
    # the summary: every measured number, then where the pictures are
    summary = printed.getvalue()
    for key in result.keys() - {"files"}:
        assert f"  {key}  " in summary, f"{name} does not print {key!r}"
    # the results once: before them only the setup (the model, the data), no training log
    setup = summary.rpartition("\n\n")[0].splitlines()
    assert len(setup) <= 7 and not any(line.startswith("step") for line in setup), setup
    listed = summary.split("pictures written:\n")[1].split()
    assert [Path(p).resolve() for p in listed] == [Path(f).resolve() for f in files]
    for f in files:
        assert Path(f).parent == out
        data = Path(f).read_bytes()
        assert data[:8] == PNG_MAGIC, f"{f} is not a PNG"
        assert len(data) > 2000, f"{f} is suspiciously small"
    return result


def test_moons_learns(tmp_path):
    result = run("moons", tmp_path)
    assert result["accuracy"] >= 0.9  # 40 steps on 60 points: 98% with seed 0
    assert result["final loss"] < 0.3  # the hinge loss starts near 1
    assert result["steps"] == 40


def test_regression_fits_the_sine(tmp_path):
    result = run("regression", tmp_path)
    assert result["final mse"] < result["first mse"] / 4
    assert result["final mse"] < 0.1  # sin(x) has variance 1/2: the model has learned its shape
    assert 0.005 < result["noise mse"] < 0.02  # noise of standard deviation 0.1


def test_spiral_beats_chance(tmp_path):
    result = run("spiral", tmp_path)
    assert result["accuracy"] > 0.7  # chance is 1/3
    assert result["final loss"] < math.log(3)  # below the loss of uniform scores


def test_vanishing_gradients_shows_sigmoid_vanishing(tmp_path):
    result = run("vanishing_gradients", tmp_path)
    sigmoid = result["sigmoid: first/last layer norm"]
    assert sigmoid < 0.05  # 4 sigmoid layers: each shrinks the gradient by 4 or more
    for other in ("tanh", "relu", "relu + batch norm"):
        assert result[f"{other}: first/last layer norm"] > 10 * sigmoid


def test_overfitting_runs_every_cure(tmp_path):
    result = run("overfitting", tmp_path)
    names = ["no regularization", "L2 (l2=0.01)", "L1 (l1=0.003)", "dropout (p=0.3)",
             "early stopping (patience 20)"]
    for name in names:
        assert 0 < result[f"{name}: validation loss"] < math.log(2) + 0.05
        assert 0 < result[f"{name}: training loss"] < 1
    # the same initial weights and data: no cure and early stopping (which never stops in 8
    # epochs) train identically
    assert result["early stopping (patience 20): validation loss"] == \
        result["no regularization: validation loss"]


def test_optimizers_all_descend(tmp_path):
    result = run("optimizers", tmp_path)
    start = (1 - -1.5) ** 2 + 100 * (2.0 - 1.5 ** 2) ** 2  # Rosenbrock at the start (-1.5, 2)
    for name in ("SGD", "SGD + momentum", "RMSprop", "Adam"):
        assert result[f"{name}: final loss"] < math.log(2)  # started at ~log 2 (random scores)
        assert result[f"{name}: Rosenbrock f"] < start
    assert result["SGD + momentum: Rosenbrock f"] < result["SGD: Rosenbrock f"]


def test_schedules_follow_their_formulas(tmp_path):
    result = run("schedules", tmp_path)
    # 4 epochs from lr=1.0; the lr recorded for epoch 4 is the one after 3 scheduler steps
    assert result["constant: final lr"] == 1.0
    assert result["step (x0.3 every 1/4 of the run): final lr"] == pytest.approx(0.3 ** 3)
    assert result["exponential (x0.9 per epoch): final lr"] == pytest.approx(0.9 ** 3)
    assert result["cosine: final lr"] == pytest.approx(0.5 * (1 + math.cos(math.pi * 3 / 4)))


def test_batch_sizes_count_steps(tmp_path):
    result = run("batch_sizes", tmp_path)
    # 24 points, 3 epochs: 1, 3 (batches of 10, 10, 4) and 24 steps per epoch
    assert result["full batch, lr 1.0: steps"] == 3
    assert result["mini-batch of 10, lr 0.3: steps"] == 9
    assert result["SGD (batch of 1), lr 0.03: steps"] == 72
    for name in ("full batch, lr 1.0", "mini-batch of 10, lr 0.3", "SGD (batch of 1), lr 0.03"):
        assert 0 < result[f"{name}: final loss"] < math.log(2) + 0.05


def test_forward_vs_reverse_gets_one_gradient_two_ways(tmp_path):
    result = run("forward_vs_reverse", tmp_path)
    assert result["max |forward - reverse| gradient"] < 1e-14  # the same numbers, to rounding
    # 4 samples: n weights and 4n inputs x_k; per sample dot, tanh, y_k, -, **2; then sum, 4, /
    for n in (1, 2, 4, 8, 16):
        assert f"n={n} ({5 * n + 23} nodes)" in result
    assert result["forward/reverse time at the largest n"] > 0  # timings are printed, not judged
    assert result["passes for the full gradient at the largest n"] == \
        "forward 16 jvp, reverse 1 forward + 1 backward"


def test_digits_are_read_right(tmp_path):
    result = run("digits", tmp_path)
    assert result["epochs"] == 2
    assert result["test accuracy"] >= 0.9  # 2 epochs: 95.3% with seed 0; chance is 10%
    assert result["misclassified test digits"] == round(360 * (1 - result["test accuracy"]))
    assert result["final training loss"] < 0.5  # from about log(10) = 2.3


@pytest.mark.parametrize("name", DEMOS + ["graph_tour", "newton"])
def test_runs_as_a_script(name, tmp_path):
    """`python demos/NAME.py` finds the `demos` package from any working directory."""
    done = subprocess.run([sys.executable, str(REPO / "demos" / f"{name}.py"), "--help"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--fast" in done.stdout and "--seed" in done.stdout and "--out" in done.stdout


def test_default_output_folder_is_git_ignored():
    from demos._common import REPO as demos_repo
    assert demos_repo == REPO
    assert "/out/" in (REPO / ".gitignore").read_text().split()


def test_a_fast_run_does_not_overwrite_the_full_runs_pictures(capsys):
    from demos._common import parse_args
    assert parse_args("spiral", "", []).out == REPO / "out" / "spiral"
    assert capsys.readouterr().out == ""
    assert parse_args("spiral", "", ["--fast"]).out == REPO / "out" / "fast" / "spiral"
    assert "out/fast/spiral" in capsys.readouterr().out  # and it says so


def test_gallery_pictures_are_small_pngs():
    """The README's gallery: committed pictures from the full demos, each well under 100 KB."""
    from demos.gallery import GALLERY, PICTURES
    names = {name for pictures in PICTURES.values() for name in pictures.values()}
    for name in names:
        data = (GALLERY / name).read_bytes()
        assert data[:8] == PNG_MAGIC, name
        assert 2000 < len(data) < 100_000, name


def test_gallery_help_runs_nothing(capsys):
    from demos import gallery
    with pytest.raises(SystemExit) as stop:
        gallery.main(["--help"])
    assert stop.value.code == 0
    assert "docs/gallery/" in capsys.readouterr().out
    with pytest.raises(SystemExit):  # an option meant for a demo is refused, not ignored
        gallery.main(["--fast"])


def test_gallery_shrinks_wide_pictures(tmp_path):
    from PIL import Image

    from demos.gallery import MAX_WIDTH, shrink
    Image.new("RGBA", (3000, 300), (255, 0, 0, 128)).save(tmp_path / "wide.png")
    shrink(tmp_path / "wide.png", tmp_path / "small.png")
    with Image.open(tmp_path / "small.png") as small:
        assert small.size == (MAX_WIDTH, 140)
        assert small.convert("RGB").getpixel((10, 10)) == (255, 127, 127)  # 50% red on white
