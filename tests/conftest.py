"""Hypothesis profiles: property tests are reproducible in CI and still explore on a developer's
machine.

- "ci" (loaded when the environment variable CI is set, as CI services and .ci/run do): every run
  draws the same examples (`derandomize`: the seed comes from each test's name), so a red CI run is
  red again on a rerun and on a laptop with `CI=true make test`, never a one-in-a-dozen accident.
- "dev" (otherwise): fresh random examples each run, to find new failures.

Both print, on a failure, the failing example and the `@reproduce_failure(...)` line that replays
it exactly; `pytest --hypothesis-seed=N` fixes the dev profile's draws too.

`HYPOTHESIS_PROFILE=ci` (or `dev`), or pytest's `--hypothesis-profile=ci`, chooses one explicitly.
The profile is loaded here, before the test modules are imported, so the `settings(...)` they build
inherit it (`pytest -v` shows the profile in its header).
"""
import os

from hypothesis import HealthCheck, settings

# as hypothesis' own "ci" profile: no deadline nor too-slow check on a shared, loaded machine
settings.register_profile("ci", derandomize=True, print_blob=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() not in ("", "0", "false")
                          else "dev"))

