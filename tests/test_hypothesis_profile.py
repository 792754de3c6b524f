"""The property tests draw the same examples on every CI run (tests/conftest.py's "ci" profile) and
fresh ones on a developer's machine; a failure prints how to reproduce it."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent


def profile_under(environment):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    env.update(environment)
    shown = subprocess.run(
        [sys.executable, "-c", "import conftest, hypothesis; s = hypothesis.settings.default; "
                               "print(s.derandomize, s.print_blob)"],
        cwd=TESTS, env=env, capture_output=True, text=True, check=True).stdout.split()
    return shown == ["True", "True"], shown[1] == "True"


@pytest.mark.parametrize("environment, derandomized", [
    ({"CI": "true"}, True), ({"CI": "1"}, True), ({}, False), ({"CI": "false"}, False),
    ({"HYPOTHESIS_PROFILE": "ci"}, True), ({"CI": "true", "HYPOTHESIS_PROFILE": "dev"}, False),
])
def test_ci_draws_the_same_examples_every_run(environment, derandomized):
    assert profile_under(environment) == (derandomized, True)


def test_ci_runs_the_tests_with_ci_set():
    assert 'export CI="${CI:-true}"' in (TESTS.parent / ".ci" / "run").read_text()
