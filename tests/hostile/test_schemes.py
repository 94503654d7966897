"""Hostile scheme documents (tests/hostile/schemes/) against `manage.py load_scheme` and the admin form.

Each is refused with a clear, short message: no traceback, no 500, bounded memory and time. The command
runs in a child process under resource limits (so that a regression fails this test instead of taking
the machine down) and reports its own peak memory (VmHWM, through tests/hostile/peak_memory.py: not wait4's
ru_maxrss, which Linux carries over exec from the forked pytest process, so CI's 300 MiB test process was
charged to every child).
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from rankings.models import ScoringScheme

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "schemes"
PEAK_MEMORY = Path(__file__).resolve().parent / "peak_memory.py"
PEAK_RSS_LIMIT = 300 * 2**20  # Django, pandas and numpy take about half of it
AS_LIMIT = 2**30  # the child's address space: the alias bomb needed 3.5 GB
SECONDS_LIMIT = 60  # generous: the machine is shared; each takes a few seconds, the bomb took minutes
ADMIN_MEMORY_LIMIT = 50 * 2**20  # what one admin request may allocate (tracemalloc peak)
MESSAGE_LINE_LIMIT = 400  # characters: echoed values are cut to 50

EXPECTED = {
    "alias_bomb.yaml": "aliases are not allowed in a scheme document",
    "merge_key_alias.yaml": "aliases are not allowed in a scheme document",
    "deep_unary_chain.yaml": "the expression is nested 351 levels deep; at most 30 are allowed",
    "deep_nesting.yaml": "nests lists and mappings more than 20 levels deep",
    "deep_nesting_block.json": "nests lists and mappings more than 20 levels deep",
    "not_a_mapping.yaml": "nests lists and mappings more than 20 levels deep",
    "huge_document.yaml": "characters; at most 64000 are allowed.",
    "long_strings.yaml": "is not a valid key",
    "huge_number.yaml": "cannot read the value 99999",
    "bad_timestamp.yaml": "cannot read the value 2012-13-45",
    "python_tag.yaml": "could not determine a constructor for the tag",
}


def test_the_corpus_is_what_the_expectations_cover():
    assert sorted(path.name for path in CORPUS.iterdir() if path.suffix != ".md") == sorted(EXPECTED)


def _limits() -> None:
    # In the child: a regression (the alias bomb needs 3.5 GB) hits these instead of the machine.
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS_LIMIT, SECONDS_LIMIT))


def _load_scheme(path: Path, tmp_path: Path) -> tuple[int, str, int, float]:
    """Run load_scheme on `path` in a child: (exit status, stderr, peak RSS in bytes, seconds)."""
    peak = tmp_path / "peak"
    # The child uses an empty SQLite database of its own: a refused document never reaches one.
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"GOVWEIBO_VAR_DIR": str(tmp_path), "OPENBLAS_NUM_THREADS": "1"}
    with (tmp_path / "out").open("w+") as out, (tmp_path / "err").open("w+") as err:
        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, str(PEAK_MEMORY), str(peak), "manage.py", "load_scheme", str(path), "--lang", "en"],
            cwd=ROOT, env=env, stdout=out, stderr=err, preexec_fn=_limits,  # noqa: PLW1509
        )
        status = child.wait()
        seconds = time.monotonic() - started
        err.seek(0)
        return status, err.read(), int(peak.read_text()) * 1024, seconds


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.slow
def test_load_scheme_refuses_a_hostile_document_briefly_in_bounded_memory_and_time(name, tmp_path):
    status, stderr, peak, seconds = _load_scheme(CORPUS / name, tmp_path)

    assert status == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.startswith("CommandError: The scheme was not loaded:") or "not loaded" in stderr, stderr
    assert EXPECTED[name] in stderr
    assert max(len(line) for line in stderr.splitlines()) <= MESSAGE_LINE_LIMIT
    assert peak < PEAK_RSS_LIMIT, f"peak RSS {peak / 2**20:.0f} MiB"
    assert seconds < SECONDS_LIMIT


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_admin_scheme_form_refuses_a_hostile_document_with_a_short_message(admin_client, name):
    text = (CORPUS / name).read_text(encoding="utf-8")
    schemes = ScoringScheme.objects.count()

    tracemalloc.start()
    try:
        response = admin_client.post("/admin/rankings/scoringscheme/add/", {"document_text": text})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 200  # the form again, with its errors
    page = response.content.decode()
    errors = page[page.index('class="errorlist'):]
    errors = errors[:errors.index("</ul>")]
    assert EXPECTED[name].replace("“", "&ldquo;") in errors.replace("&quot;", '"').replace("&#x27;", "'")
    assert max(len(item) for item in errors.split("<li>")) <= MESSAGE_LINE_LIMIT
    assert len(page) < len(text) * 2 + 200_000  # the text once in its textarea, and the page around it
    assert peak < ADMIN_MEMORY_LIMIT, f"peak {peak / 2**20:.0f} MiB"
    assert ScoringScheme.objects.count() == schemes
