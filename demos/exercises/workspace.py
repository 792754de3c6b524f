"""Where students work: a copy of the exercises outside the repository, and a way back to the blank.

The blank exercises ship as files in `blanks/` (the files in demos/exercises/ start as copies of
them), so `copy` and `reset` work in any copy of the project, a git clone or a folder unpacked from
a zip, and `reset` gives the true blank even after a student committed their edits. Model answers
(`solutions/`) are never copied.
"""
from __future__ import annotations

from pathlib import Path

import autograd

HERE = Path(__file__).resolve().parent
BLANKS = HERE / "blanks"


class WorkspaceError(Exception):
    """A file could not be used as it is (e.g. not UTF-8); the message says what to do."""


def blank(module: str) -> str:
    """The text of the blank exercise file `module` (e.g. "ex1_local_derivative")."""
    path = BLANKS / f"{module}.py"
    if not path.is_file():
        raise WorkspaceError(f"the blank {path} is missing from this copy of the project: "
                             f"download the project again.")
    return path.read_text(encoding="utf-8")


def write(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to `path` atomically: an interrupted write never leaves half an
    exercise behind, and a new file gets the user's normal mode (what open() gives it)."""
    autograd.write_atomically(path, data)


def _backup_name(path: Path) -> Path:
    """path.bak, or path.bak2, path.bak3... when earlier backups exist: none is overwritten."""
    candidate, n = path.with_name(path.name + ".bak"), 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bak{n}")
    return candidate


def reset(module: str, folder: Path = HERE) -> Path | None:
    """Put the blank of exercise file `module` into `folder`; the student's version, if it differs,
    is kept byte for byte as `<file>.bak` (then .bak2, ...), whatever its encoding. Returns the
    backup's path, or None if there was nothing to keep."""
    path = Path(folder) / f"{module}.py"
    text = blank(module)
    backup = None
    if path.exists():
        old = path.read_bytes()
        if old != text.encode("utf-8"):
            backup = _backup_name(path)
            write(backup, old)
    write(path, text)
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
            write(path, blank(module))
            written.append(path)
    return written, kept


def not_utf8(path: Path) -> str | None:
    """None if `path` reads as UTF-8, else a message that says which line is not and what to do."""
    data = Path(path).read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        byte = data[error.start]
        return (f"{path} is not saved as UTF-8: line {line} has the byte 0x{byte:02x}, "
                f"from another encoding (latin-1 or Windows-1252?). Save it as UTF-8 in your "
                f"editor (\"Save with encoding\" / \"Reopen with encoding\"), then check again.")
    return None
