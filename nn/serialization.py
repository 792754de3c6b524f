"""Saving and loading state dicts as JSON (readable, diffable, and safe: never pickle).

File format, version 1::

    {"format": "chainrule.state_dict", "version": 1, "state": {"layers.0.neurons.0.w.0": 0.23, ...}}

Floats are written with `repr`, which reads back as exactly the same float.
"""
from __future__ import annotations

import json
import math
import os
from typing import Any, Mapping

from .module import StateDictError

__all__ = ["save_state", "load_state", "FORMAT", "VERSION"]

FORMAT = "chainrule.state_dict"
VERSION = 1


def save_state(state_dict: Mapping[str, float], path: str | os.PathLike) -> None:
    """Write a state dict (name -> number) to `path` as JSON.

    The file is written next to its destination first and then renamed over it, so an interrupted
    save never leaves a half-written file behind.
    """
    state = {}
    for key, value in state_dict.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise StateDictError(f"cannot save {key}: {value!r} is not a finite number")
        state[str(key)] = float(value)
    text = json.dumps({"format": FORMAT, "version": VERSION, "state": state}, indent=1)
    path = os.fspath(path)
    folder = os.path.dirname(path)
    if folder and not os.path.isdir(folder):  # else the error would name the temporary file
        raise FileNotFoundError(f"cannot save to {path}: the folder {folder} does not exist; "
                                "create it first (os.makedirs)")
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    os.replace(tmp, path)


def _reject_constant(name: str) -> Any:
    raise StateDictError(f"{name} is not a finite number")


def load_state(path: str | os.PathLike) -> dict[str, float]:
    """Read a file written by `save_state` / `Module.save` and return its state dict.

    Raises:
        FileNotFoundError: no such file.
        StateDictError: the file is not valid JSON, not a chainrule state dict, of an unknown
            version, or holds something other than finite numbers.
    """
    path = os.fspath(path)
    with open(path, "rb") as f:
        raw = f.read()
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as e:
        raise StateDictError(f"{path} is not a text (UTF-8 JSON) file: {e}") from None
    except json.JSONDecodeError as e:
        raise StateDictError(f"{path} is not valid JSON ({e.msg} at line {e.lineno}, column "
                             f"{e.colno}); was it truncated or written by another program?") from None
    except StateDictError as e:
        raise StateDictError(f"{path}: {e}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StateDictError(f"{path} is JSON but not a chainrule state dict "
                             f"(expected \"format\": \"{FORMAT}\"); save models with model.save(path)")
    if doc.get("version") != VERSION:
        raise StateDictError(f"{path} has state dict format version {doc.get('version')!r}; "
                             f"this chainrule reads version {VERSION}")
    state = doc.get("state")
    if not isinstance(state, dict):
        raise StateDictError(f"{path} has no \"state\" object of names and numbers")
    for key, value in state.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise StateDictError(f"{path}: {key} holds {value!r}, expected a finite number")
    return {key: float(value) for key, value in state.items()}
