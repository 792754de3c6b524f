"""Writing a file so that it is either the old one or the whole new one, never half of each.

Every file chainrule writes (graph pictures, step pages, nn's model files) goes through
`write_atomically`: the bytes go to a new temporary file in the destination's folder, created
exclusively under an unpredictable name (`tempfile.mkstemp`: '.' + the file's name + 8 random
characters + '.tmp', the name cut short where needed, so that every name the file system accepts
can be written), which then replaces the destination in one `os.replace`. So an interrupted save (a
crash, a full disk, Ctrl-C) leaves the old file as it was, and nobody can plant a symlink where the
temporary file will be to make the save overwrite another file: an exclusive create refuses any
name that already exists.
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


def checked_path(path: str | os.PathLike) -> str:
    """`path` as a string, refused at once if it cannot name a file (the savers check it before
    they render anything).

    Raises:
        TypeError: `path` is not a str, bytes or os.PathLike.
        ValueError: `path` is empty, or ends with a separator (a folder, not a file name).
    """
    try:
        path = os.fspath(path)
    except TypeError:
        raise TypeError(f"a file path must be a str or os.PathLike (e.g. pathlib.Path), got "
                        f"{type(path).__name__}: {path!r:.60}") from None
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not path:
        raise ValueError("cannot write to an empty path: give a file name, e.g. 'model.json' or "
                         "'out/graph.svg'")
    if path.endswith(("/", os.sep)) or (os.altsep and path.endswith(os.altsep)):
        raise ValueError(f"cannot write {path}: it ends with a separator, so it names a folder; "
                         f"give a file name inside it, e.g. {os.path.join(path, 'name')}")
    return path


def _temporary_prefix(name: str, longest: int) -> str:
    """'.' + as much of the file's name as fits, so the temporary name (prefix + 8 random characters
    + '.tmp') is at most `longest` bytes: any name the file system accepts can be written, and a
    leftover from a killed save still says whose it was."""
    room = longest - len(".") - 8 - len(".tmp") - len(".")
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return f".{name}."


def _make_folders(path: str, folder: str) -> None:
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as error:
        in_the_way = folder
        while in_the_way and not os.path.exists(in_the_way):
            in_the_way = os.path.dirname(in_the_way)
        if in_the_way and not os.path.isdir(in_the_way):
            raise NotADirectoryError(error.errno, f"cannot write {path}: {in_the_way} is a file, "
                                     f"not a folder") from None
        raise type(error)(error.errno, f"cannot write {path}: cannot create the folder {folder}: "
                          f"{error.strerror}") from None


def write_atomically(path: str | os.PathLike, data: str | bytes, encoding: str = "utf-8") -> str:
    """Write `data` (text, encoded with `encoding`, or bytes) to the file `path`, atomically.

    Missing folders on the way are created (`os.makedirs`), as by every chainrule saver
    (`Module.save`, `save_state`, `save_graph`, `save_backward_steps`, which all write through
    this function). Any file name the file system accepts works, up to its longest (255 bytes on
    most). An existing file keeps its permissions; a new one gets those `open()` would give it. On
    any failure, KeyboardInterrupt included, the temporary file is removed and the destination is
    untouched; errors name the destination.

    Returns:
        `path` as a string.

    Raises:
        ValueError: `path` is empty or ends with a separator.
        IsADirectoryError: `path` is a folder (nothing is written).
        NotADirectoryError: a part of the path on the way is a file, not a folder.
        OSError: the write failed (permissions, a full disk, a name too long...).
    """
    path = checked_path(path)
    blob = data.encode(encoding) if isinstance(data, str) else bytes(data)
    if os.path.isdir(path):
        raise IsADirectoryError(f"cannot write {path}: it is a folder; give a file name "
                                f"inside it, e.g. {os.path.join(path, 'name')}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        _make_folders(path, folder)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = _new_file_mode()
    try:
        longest = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows): NTFS's and most others'
        longest = 255
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=_temporary_prefix(os.path.basename(path), longest), suffix=".tmp", dir=folder)
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
