"""Run a student's exercise file in its own Python process, with limits, and collect its reply.

`run(number, path)` starts a fresh `python -I` (isolated: no user site, no PYTHON* variables, not
the current folder on sys.path) that loads `path` and answers exercise `number`'s questions (see
`probes.py`). Limits: a wall-clock timeout (the whole process group is killed), an address-space
cap where the OS allows it, and a cap on what it prints (stdout and stderr go to a file of limited
size). The reply comes back through a file this process created, as JSON data; it is parsed here
but trusted nowhere: `checker.py` validates it and computes every verdict itself.

This guards against accidents and casual cheating (an endless loop, sys.exit, a patched checker),
not against hostile code on a shared server: the student's process can still read and write the
user's files and use the network. See docs/teaching.md.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
DEFAULT_TIMEOUT = 20.0             # seconds, per exercise
DEFAULT_MEMORY = 2 * 1024 ** 3     # bytes of address space
OUTPUT_LIMIT = 1024 ** 2           # bytes the student's code may print
SHOWN_OUTPUT = 2000                # characters of it kept for the report

_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
         "from demos.exercises._child import main; main(sys.argv[2:])")


@dataclass
class Run:
    """What came back from the student's process.

    reply: the parsed reply (untrusted data), or None. problem: a one-line reason when the
    process gave no usable reply (a timeout, an exit, a crash, too much output). output: the start
    of what it printed. seconds: wall-clock time.
    """

    reply: dict | None
    problem: str | None
    output: str
    seconds: float


def _describe_exit(code: int, output: str, memory: int) -> str:
    if "MemoryError" in output:
        return (f"your code ran out of memory (the limit is {memory / 1024 ** 3:.3g} GB): a "
                f"list or a loop that grows without end?")
    if code == 0:
        return ("your code ended Python itself (os._exit?) before the checks could run: remove "
                "that call")
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if name == "SIGKILL":
            return ("your code's process was killed (SIGKILL), most likely for using too much "
                    "memory")
        return f"your code crashed Python ({name}): very deep recursion, or a crashing extension?"
    return (f"your code ended Python with exit status {code} (os._exit?) before the checks could "
            f"run: remove that call")


def _kill_group(process: subprocess.Popen) -> None:
    """Kill the student's process and anything it started (it leads its own session)."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass


def run(number: int, path: str | Path, timeout: float = DEFAULT_TIMEOUT,
        memory: int = DEFAULT_MEMORY, output_limit: int = OUTPUT_LIMIT) -> Run:
    """Run exercise `number`'s probe on the file `path` in a fresh, limited Python process.

    Args:
        number: the exercise number (a key of catalog.EXERCISES).
        path: the student's file.
        timeout: seconds of wall-clock time before the process (and its children) is killed.
        memory: the address-space limit in bytes (ignored where the OS cannot set it).
        output_limit: bytes of printed output (stdout and stderr together) allowed.

    Returns:
        a `Run`; never raises for anything the student's code does.
    """
    folder = tempfile.mkdtemp(prefix="chainrule-check-")
    reply_path = os.path.join(folder, "reply.json")
    output_path = os.path.join(folder, "output.txt")
    open(reply_path, "w").close()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               MPLBACKEND="Agg", PYTHONHASHSEED="0")
    command = [sys.executable, "-I", "-B", "-c", _BOOT, str(REPO), str(number),
               str(Path(path).resolve()), reply_path, str(int(memory)), str(int(output_limit))]
    start = time.monotonic()
    timed_out = False
    try:
        with open(output_path, "wb") as output_file:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output_file,
                                       stderr=subprocess.STDOUT, cwd=folder, env=env,
                                       start_new_session=hasattr(os, "setsid"))
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
            _kill_group(process)  # a loop, or anything the student's code left running
            process.wait()
        seconds = time.monotonic() - start
        size = os.path.getsize(output_path)
        with open(output_path, "rb") as f:
            output = f.read(SHOWN_OUTPUT * 4).decode("utf-8", "replace")[:SHOWN_OUTPUT]
        with open(reply_path, "rb") as f:
            raw = f.read(8 * 1024 ** 2)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    if timed_out:
        return Run(None, f"your code ran for more than {timeout:g} s: an endless loop?", output,
                   seconds)
    if size >= output_limit:
        return Run(None, f"your code printed more than {output_limit / 1024 ** 2:g} MB: a print "
                         f"in a loop? (the start of it is kept below)", output, seconds)
    if not raw:
        return Run(None, _describe_exit(process.returncode, output, memory), output, seconds)
    try:
        reply = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Run(None, "the reply from your code's process could not be read (did your code "
                         "write to it?)", output, seconds)
    if not isinstance(reply, dict):
        return Run(None, "the reply from your code's process was not what the checker asked for "
                         "(did your code change the checker?)", output, seconds)
    return Run(reply, None, output, seconds)
