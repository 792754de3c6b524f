"""The first `make demo` on a fresh clone installs chainrule quietly: building the package raises no
warning (setuptools' deprecation and editable-install banners are what pip would print)."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import autograd
import nn
import pytest

pytestmark = pytest.mark.slow  # make test-fast leaves these out

ROOT = Path(__file__).resolve().parent.parent


def test_building_the_editable_install_warns_about_nothing(tmp_path):
    # `pip install -e .` calls this hook of the build backend; -W error turns any warning it emits
    # (a deprecated `project.license` table, the editable-install banner) into a failure.
    hook = ("import sys, setuptools.build_meta as backend; "
            "print(backend.build_editable(sys.argv[1]))")
    run = subprocess.run([sys.executable, "-W", "error", "-c", hook, str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    wheel = tmp_path / run.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        fields = archive.read(metadata).decode("utf-8").splitlines()
    assert "License-Expression: MIT" in fields
    assert f"Version: {autograd.__version__}" in fields


def test_both_packages_tell_their_version():
    assert autograd.__version__ == nn.__version__
    assert tuple(int(part) for part in autograd.__version__.split(".")) >= (0, 1, 0)


def test_the_wheel_carries_the_digits_and_their_license(tmp_path):
    # built from a copy of the sources: setuptools leaves a build/ folder where it builds
    source = tmp_path / "source"
    for name in ("autograd", "nn"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    hook = "import sys, setuptools.build_meta as backend; print(backend.build_wheel(sys.argv[1]))"
    run = subprocess.run([sys.executable, "-c", hook, str(tmp_path)], cwd=source,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    wheel = tmp_path / run.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"nn/data/files/digits.csv.gz", "nn/data/files/README.md"} <= names
