"""Writing a file so that it is either the old one or the whole new one, never half of each.

Every file chainrule writes (graph pictures, step pages, nn's model files) goes through
`write_atomically`: the bytes go to a new temporary file in the destination's folder, created
exclusively under an unpredictable name (`tempfile.mkstemp`), which then replaces the destination
in one `os.replace`. So an interrupted save (a crash, a full disk, Ctrl-C) leaves the old file as it
was, and nobody can plant a symlink where the temporary file will be to make the save overwrite
another file: an exclusive create refuses any name that already exists.
"""
from __future__ import annotations

import os
import stat
import tempfile

__all__ = ["write_atomically"]


def _new_file_mode() -> int:
    """The permissions a plain `open(path, "w")` would give a new file: 0o666 minus the umask."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:  # Linux: read, don't set
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0o022)  # elsewhere the only way to read it is to set it for a moment
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: str | os.PathLike, data: str | bytes, encoding: str = "utf-8") -> str:
    """Write `data` (text, encoded with `encoding`, or bytes) to the file `path`, atomically.

    The destination's folder must exist. An existing file keeps its permissions; a new one gets
    those `open()` would give it. On any failure, KeyboardInterrupt included, the temporary file
    is removed and the destination is untouched; errors name the destination.

    Returns:
        `path` as a string.

    Raises:
        IsADirectoryError: `path` is a folder (nothing is written).
        FileNotFoundError: its folder does not exist.
        OSError: the write failed (permissions, a full disk...).
    """
    path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    blob = data.encode(encoding) if isinstance(data, str) else bytes(data)
    if os.path.isdir(path):
        raise IsADirectoryError(f"cannot write {path}: it is a folder; give a file name "
                                f"inside it, e.g. {os.path.join(path, 'name')}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"cannot write {path}: the folder {folder} does not exist; "
                                "create it first (os.makedirs)")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = _new_file_mode()
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise type(error)(error.errno, f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as f:
            f.write(blob)
            f.flush()
            os.fsync(f.fileno())  # the bytes are on disk before the name points at them
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError) and error.errno is not None:
            raise type(error)(error.errno, f"cannot write {path}: {error.strerror}") from None
        raise
    return path
