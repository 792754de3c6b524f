"""The student's process: load the student's file, run its exercise's probe, write the reply.

Started by `sandbox.run` as `python -I -c BOOT REPO NUMBER FILE REPLY MEMORY OUTPUT`. It limits
itself first (memory, size of any file it writes: its printed output goes to a file; no core dump),
opens the reply file the checker made, then runs the student's code. Whatever that code does
(raise, exit, loop, print), the reply is only data: the checker judges it in its own process.
"""
from __future__ import annotations

import json
import os
import sys
import types


def _limit(memory: int, output: int) -> None:
    """Cap this process's address space at `memory` bytes and any file it writes (its stdout and
    stderr are files) at `output` bytes, where the OS has setrlimit."""
    try:
        import resource
    except ImportError:  # Windows: the checker's timeout still applies
        return
    for name, value in (("RLIMIT_AS", memory), ("RLIMIT_FSIZE", output), ("RLIMIT_CORE", 0)):
        which = getattr(resource, name, None)
        if which is None or value <= 0 and name != "RLIMIT_CORE":
            continue
        try:
            _, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, hard))
        except (ValueError, OSError):
            pass  # some systems refuse RLIMIT_AS (macOS): run without that limit


def _load(path: str) -> types.ModuleType:
    """Run the student's file as a module, from its source: no __pycache__ is read (a stale one
    could hold an older version) or written into the student's folder."""
    name = os.path.splitext(os.path.basename(path))[0]
    module = types.ModuleType(name)
    module.__file__ = path
    sys.modules[name] = module  # dataclasses and pickling look the module up by name
    with open(path, "rb") as f:
        source = f.read()
    exec(compile(source, path, "exec"), module.__dict__)
    return module


def main(argv: list[str]) -> None:
    number, path, reply_path = int(argv[0]), argv[1], argv[2]
    memory, output = int(argv[3]), int(argv[4])
    reply_file = open(reply_path, "w", encoding="utf-8")  # before any student code runs
    _limit(memory, output)
    from . import probes

    phase = "import"
    try:
        module = _load(path)
        phase = "check"
        reply = {"ok": True, "data": probes.answer(number, module)}
    except BaseException as error:  # SystemExit and KeyboardInterrupt included
        reply = {"ok": False, "phase": phase, "error": probes.describe_error(error, path)}
        if isinstance(error, SystemExit):
            reply["error"]["message"] = repr(error.code)[:200]
    try:
        text = json.dumps(reply)
    except (TypeError, ValueError) as error:
        text = json.dumps({"ok": False, "phase": "reply",
                           "error": {"type": type(error).__name__, "message": str(error)[:200],
                                     "where": [], "not_done": False}})
    reply_file.write(text)
    reply_file.close()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # no atexit handlers or finalizers the student's code may have registered
