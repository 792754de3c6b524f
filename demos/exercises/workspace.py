"""Where students work: a copy of the exercises outside the repository, and a way back to the blank.

The blank of an exercise is its file as the repository's last commit has it (`git show HEAD:...`),
so a student who edited `demos/exercises/ex3_*.py` in place can still get the blank back, and a copy
made by `copy` starts blank whatever the files in the repository hold now.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def blank(module: str) -> str:
    """The text of exercise file `module` (e.g. "ex1_local_derivative") as last committed."""
    relative = (HERE / f"{module}.py").relative_to(REPO).as_posix()
    try:
        shown = subprocess.run(["git", "-C", str(REPO), "show", f"HEAD:{relative}"],
                               capture_output=True, text=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", "") or error
        raise RuntimeError(f"cannot find the blank {relative}: it is taken from the repository's "
                           f"git history (git show HEAD:{relative}), which failed: "
                           f"{str(detail).strip()}. Download the file again from the project "
                           f"instead.") from None
    return shown.stdout


def _write(path: Path, text: str) -> None:
    """Write `text` to `path` through an exclusive temporary file next to it, then rename it over
    `path`: an interrupted write never leaves half an exercise behind."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _backup_name(path: Path) -> Path:
    """path.bak, or path.bak2, path.bak3... when earlier backups exist: none is overwritten."""
    candidate, n = path.with_name(path.name + ".bak"), 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bak{n}")
    return candidate


def reset(module: str, folder: Path = HERE) -> Path | None:
    """Put the blank of exercise file `module` into `folder`; the student's version, if it differs,
    is kept as `<file>.bak` (then .bak2, ...). Returns the backup's path, or None if there was
    nothing to keep."""
    path = Path(folder) / f"{module}.py"
    text = blank(module)
    backup = None
    if path.exists() and path.read_text(encoding="utf-8") != text:
        backup = _backup_name(path)
        _write(backup, path.read_text(encoding="utf-8"))
    _write(path, text)
    return backup


def copy(modules: list[str], folder: Path) -> tuple[list[Path], list[Path]]:
    """Write the blank of every exercise file into `folder` (created), leaving any file already
    there alone. Returns (files written, files kept)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    for module in modules:
        path = folder / f"{module}.py"
        if path.exists():
            kept.append(path)
        else:
            _write(path, blank(module))
            written.append(path)
    return written, kept


def load_from(module: str, folder: Path) -> ModuleType:
    """Import `folder/<module>.py` afresh (a student's copy outside the package)."""
    path = Path(folder) / f"{module}.py"
    if not path.is_file():
        raise FileNotFoundError(f"there is no {path}: make the copy first with "
                                f"`python -m demos.exercises copy {folder}`")
    name = f"_exercise_copy_{module}"
    spec = importlib.util.spec_from_file_location(name, path)
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[name] = loaded  # dataclasses and pickling look the module up by name
    try:
        spec.loader.exec_module(loaded)
    except BaseException:
        del sys.modules[name]
        raise
    return loaded
