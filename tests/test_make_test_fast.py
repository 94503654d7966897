"""`make test-fast`: the quick loop is `make test` minus the tests marked slow; `make test` runs everything."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _recipe(target: str, *variables: str) -> list[str]:
    """The pytest command line `make <target>` would run (make -n; the venv step taken as done), with the
    Makefile's defaults: not the variables of a `make` this suite may itself run under."""
    env = {name: value for name, value in os.environ.items()
           if name not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VENV", "PYTEST_ARGS"}}
    done = subprocess.run(["make", "--no-print-directory", "-n", "-o", ".venv/.installed", target, *variables],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=30, check=True)
    return shlex.split(done.stdout.strip())


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_test_fast_deselects_the_slow_tests_and_passes_pytest_args_on() -> None:
    assert _recipe("test-fast", "PYTEST_ARGS=-x tests/demo") == [".venv/bin/pytest", "-m", "not slow", "-x", "tests/demo"]


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_test_still_runs_every_test() -> None:
    assert _recipe("test") == [".venv/bin/pytest"]


def test_the_slow_marker_is_registered_with_what_it_means(pytestconfig: pytest.Config) -> None:
    assert "slow: takes over ~5 s (make test-fast skips it)" in pytestconfig.getini("markers")
