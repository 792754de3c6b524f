"""Saving and loading state dicts as JSON (readable, diffable, and safe: never pickle).

File format, version 1::

    {"format": "chainrule.state_dict", "version": 1, "state": {"layers.0.neurons.0.w.0": 0.23, ...}}

Floats are written with `repr`, which reads back as exactly the same float.
"""
from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from typing import Any

import autograd

__all__ = ["save_state", "load_state", "StateDictError", "FORMAT", "VERSION"]

FORMAT = "chainrule.state_dict"
VERSION = 1


class StateDictError(ValueError):
    """A state dict or a saved file does not fit the model (keys, sizes, types, non-finite numbers,
    corrupt JSON). Raised before anything in the model is changed."""


def save_state(state_dict: Mapping[str, float], path: str | os.PathLike) -> None:
    """Write a state dict (name -> number) to `path` as JSON.

    The file is written to a fresh temporary file next to its destination and then renamed over
    it (`autograd.write_atomically`), so an interrupted save never leaves a half-written file.
    Missing folders are created, as by every chainrule saver; an empty path is a ValueError.
    """
    state = {}
    for key, value in state_dict.items():
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not math.isfinite(value)):
            raise StateDictError(f"cannot save {key}: {value!r} is not a finite number")
        state[str(key)] = float(value)
    text = json.dumps({"format": FORMAT, "version": VERSION, "state": state}, indent=1)
    autograd.write_atomically(path, text + "\n")


def _reject_constant(name: str) -> Any:
    raise StateDictError(f"{name} is not a finite number")


def _key_before(text: str, position: int) -> str:
    """The last JSON object key that starts before `position`: the entry a bad value belongs to."""
    keys = re.findall(r'"((?:[^"\\]|\\.)*)"\s*:', text[:position])
    return keys[-1] if keys else "(no key)"


def _where_too_deep(text: str, limit: int = 100) -> int:
    """Where brackets first nest more than `limit` deep (outside strings), or len(text)."""
    depth, in_string, escaped = 0, False, False
    for i, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return i
        elif char in "]}":
            depth -= 1
    return len(text)


def _finite_float(value: Any) -> float | None:
    """`value` as a float if it is a finite number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return None
    return number if math.isfinite(number) else None


def load_state(path: str | os.PathLike) -> dict[str, float]:
    """Read a file written by `save_state` / `Module.save` and return its state dict.

    Raises:
        FileNotFoundError: no such file.
        StateDictError: the file is not valid JSON, not a chainrule state dict, of an unknown
            version, or holds something other than finite numbers (naming the key).
    """
    path = os.fspath(path)
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise StateDictError(f"{path} is not a text (UTF-8 JSON) file: {e}") from None
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise StateDictError(f"{path} is not valid JSON ({e.msg} at line {e.lineno}, column "
                             f"{e.colno}); was it truncated or written by another "
                             f"program?") from None
    except StateDictError as e:
        raise StateDictError(f"{path}: {e}") from None
    except RecursionError:
        key = _key_before(text, _where_too_deep(text))
        raise StateDictError(f"{path}: {key} holds lists or objects nested thousands deep, "
                             "expected a finite number") from None
    except ValueError as e:  # an integer longer than Python converts (4300 digits)
        digits = re.search(r"\d{300,}", text)
        key = _key_before(text, digits.start()) if digits else "(no key)"
        raise StateDictError(f"{path}: {key} holds an integer far too large for a float "
                             f"({e})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StateDictError(f"{path} is JSON but not a chainrule state dict "
                             f"(expected \"format\": \"{FORMAT}\"); save models with "
                             f"model.save(path)")
    version = doc.get("version")
    if type(version) is not int or version != VERSION:  # true == 1 in Python: not a version
        raise StateDictError(f"{path} has state dict format version {version!r}; "
                             f"this chainrule reads version {VERSION}")
    state = doc.get("state")
    if not isinstance(state, dict):
        raise StateDictError(f"{path} has no \"state\" object of names and numbers")
    numbers = {}
    for key, value in state.items():
        number = _finite_float(value)
        if number is None:
            if isinstance(value, int) and not isinstance(value, bool):
                shown = f"an integer of {len(str(abs(value)))} digits, too large for a float,"
            else:
                shown = repr(value) if len(repr(value)) <= 60 else f"{repr(value)[:57]}..."
            raise StateDictError(f"{path}: {key} holds {shown}, expected a finite number")
        numbers[key] = number
    return numbers
