"""The hostile import corpus through the three ways in: the pipeline, the upload page and the command.

Every file must be refused with its message (in English here), and with no traceback, no 500, no row
written, no message line longer than a few hundred characters (values quoted back are cut), and, for the
large files run by `manage.py import_snapshots` in a subprocess, a peak resident memory under
PEAK_LIMIT_MIB. The small files are in files/ (made by make_files.py); the large ones are made in tmp_path
by generate.py.
"""
from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from accounts.models import City, GovAccount, Snapshot, SnapshotImport
from accounts.services import snapshots_import
from core.tables.errors import ImportFailed
from tests.factories import import_row, write_import_csv
from tests.hostile.imports import generate

FILES = Path(__file__).parent / "files"
UPLOAD_URL = "/accounts/import/"
# A snapshot import's own footprint (Django, pandas, one 100,000-row chunk) is about 150 MiB; the worst
# files (a 50 MB cell) take about 300 MiB.
PEAK_LIMIT_MIB = 400
# No rendered problem is longer: quoted values are cut to 50 characters (the longest lines are the list of
# accepted headers and the encoding advice).
LONGEST_MESSAGE = 500

# File -> a fragment of what the user is told (English).
SMALL = {
    "binary.csv": "line 4: this line is neither UTF-8 nor GB18030 text",
    "bom_only.csv": "the file is empty",
    "dimension_bomb.xlsx": "line 2, column fans: “-3” is negative",
    "empty.csv": "the file is empty",
    # A "billion laughs": expat (2.4.1 or later) refuses the amplification itself.
    "entity_bomb.xlsx": "it is not an Excel workbook (.xlsx), or it is damaged",
    "header_only.csv": "the file has a header but no data rows",
    "latin1_cafe.csv": "line 2: this line is neither UTF-8 nor GB18030 text",
    "latin1_zurich.csv": "line 3: the file is not UTF-8, and read as GB18030 this line holds “Z黵ich,Schweiz,",
    "long_duplicate_headers.csv": f"both give “{'Score' * 10}…”",
    "long_metric_value.csv": f"line 2, column score: “{'9' * 50}…” is not a number",
    "mixed_encodings.csv": "line 3: this line is not valid UTF-8 although the lines before it are",
    "not_a_workbook.xlsx": "it is not an Excel workbook (.xlsx), or it is damaged",
    "nul_in_cell.csv": "line 2, column account: this cell holds the control character U+0000",
    "odd_utf16.csv": "the required column “account” is missing",
    "replacement_character.csv": "line 3: this line holds “\ufffd” (U+FFFD)",
    "too_many_columns.csv": "line 1: the header has 614 columns; at most 500 can be imported",
    "truncated.xlsx": "it is not an Excel workbook (.xlsx), or it is damaged",
    "unclosed_quote.csv": "the quoted value that starts on line 3 is never closed",
    "wide_data_row.csv": "line 2: this line has more than 1000 values",
}
BIG = {
    "one_line": "line 1: the first line is longer than 500000 characters",
    "big_cell": f"line 3, column account: “{'x' * 50}…” is longer than 128 characters",
    "comma_line": "line 3: this line has more than 1000 values",
    "wide": "line 1: the header has 10000 columns; at most 500 can be imported",
    "shared_string_bomb": "the workbook's part “xl/sharedStrings.xml” unpacks to 200 MB",
    "inline_cell_bomb": "the sheet holds a cell larger than 4 MB",
    "sparse_rows": "line 2: this row has a value beyond column 500",
}


def test_every_file_of_the_corpus_has_its_expected_message() -> None:
    assert sorted(path.name for path in FILES.iterdir()) == sorted(SMALL)


@pytest.fixture(scope="session")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """name -> the generated file, made once per test session."""
    directory = tmp_path_factory.mktemp("hostile")
    made: dict[str, Path] = {}

    def make(name: str) -> Path:
        if name not in made:
            made[name] = generate.BIG_FILES[name](directory)
        return made[name]

    return make


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (City, GovAccount, Snapshot, SnapshotImport))


@pytest.fixture
def earlier_import(tmp_path: Path) -> tuple[int, ...]:
    """One good file imported before: a refused file must leave its rows as they are."""
    snapshots_import(source=write_import_csv(tmp_path / "good.csv", [import_row()]))
    return _counts()


def _assert_refused(lines: list[str], fragment: str) -> None:
    assert any(fragment in line for line in lines), lines
    assert max(map(len, lines)) <= LONGEST_MESSAGE
    assert not any("Traceback" in line for line in lines)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "fragment"), SMALL.items())
def test_the_pipeline_refuses_the_file_and_writes_nothing(earlier_import: tuple, name: str, fragment: str) -> None:
    with translation.override("en"), pytest.raises(ImportFailed) as raised:
        snapshots_import(source=FILES / name)
    with translation.override("en"):
        _assert_refused(raised.value.lines(), fragment)
    assert _counts() == earlier_import


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "fragment"), SMALL.items())
def test_the_command_refuses_the_file_and_writes_nothing(
    earlier_import: tuple, capsys: pytest.CaptureFixture, name: str, fragment: str
) -> None:
    with pytest.raises(CommandError):
        call_command("import_snapshots", str(FILES / name), "--lang", "en")
    _assert_refused(capsys.readouterr().err.splitlines(), fragment)
    assert _counts() == earlier_import


@pytest.fixture
def importer(client: Client, monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path) -> Client:
    """The client of an analyst with the import permission, who reads English. The upload's job runs
    inline, as with no REDIS_URL, even when the suite runs against Redis (test_import_worker.py covers
    a real worker), and its file waits in this test's own directory."""
    from govweibo.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    settings.GOVWEIBO_IMPORT_DIR = tmp_path / "imports"
    user = User.objects.create_user("hostile-analyst", password="pw-for-tests-only", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="import_snapshots"))
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# The upload page shows line, column and reason in cells of their own; an empty file never gets past the
# form (Django's FileField refuses it).
_WHERE = re.compile(r"^line \d+(, column [^:]+)?: ")
_UPLOAD_SAYS = {"empty.csv": "The submitted file is empty."}


def _reason(name: str, fragment: str) -> str:
    return escape(_UPLOAD_SAYS.get(name, _WHERE.sub("", fragment)))


def _upload(client: Client, path: Path, capture_on_commit) -> str:
    """POST the file, run the job that waits for the commit, then follow the page to the job's result:
    there is no server error, and the text the user ends up on is returned."""
    with path.open("rb") as upload, capture_on_commit(execute=True):
        response = client.post(UPLOAD_URL, {"file": upload})
    if response.status_code == 302:
        response = client.get(response["Location"], follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Traceback" not in text
    return text


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "fragment"), SMALL.items())
def test_the_upload_page_refuses_the_file_and_writes_nothing(
    earlier_import: tuple, importer: Client, django_capture_on_commit_callbacks, name: str, fragment: str
) -> None:
    assert _reason(name, fragment) in _upload(importer, FILES / name, django_capture_on_commit_callbacks)
    assert _counts() == earlier_import


# The files the upload page once answered with a 500 or a page as large as the file; the other large files
# take the same path through the pipeline (run by the command below).
UPLOADED_BIG = ("one_line", "big_cell", "shared_string_bomb", "wide")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "fragment"), [(name, BIG[name]) for name in UPLOADED_BIG])
def test_the_upload_page_refuses_a_large_hostile_file_with_a_short_page(
    earlier_import: tuple, importer: Client, django_capture_on_commit_callbacks, big_file: Callable[[str], Path],
    name: str, fragment: str
) -> None:
    page = _upload(importer, big_file(name), django_capture_on_commit_callbacks)
    assert _reason(name, fragment) in page
    assert len(page) < 200_000  # the page lists problems, not the file
    assert _counts() == earlier_import


@pytest.fixture(scope="session")
def command_database(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a command run on its own migrated SQLite database (the test database is
    in memory, or inside a transaction, where another process cannot see it). No file is imported
    into it: any row found there afterwards was written by a refused file."""
    var = tmp_path_factory.mktemp("command-var")
    environ = {key: value for key, value in os.environ.items()
               if key not in {"DATABASE_URL", "REDIS_URL", "LANGUAGE", "LC_ALL", "DJANGO_SETTINGS_MODULE"}}
    environ.update(LANG="en", GOVWEIBO_VAR_DIR=str(var))
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=settings.BASE_DIR, env=environ,
                   check=True, timeout=300)
    return environ


def _database_counts(environ: dict[str, str]) -> tuple[int, ...]:
    tables = ("accounts_city", "accounts_govaccount", "accounts_snapshot", "accounts_snapshotimport")
    with sqlite3.connect(Path(environ["GOVWEIBO_VAR_DIR"]) / "db.sqlite3") as database:
        return tuple(database.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables)  # noqa: S608


@pytest.mark.parametrize(("name", "fragment"), BIG.items())
@pytest.mark.slow
def test_the_command_refuses_a_large_hostile_file_in_bounded_memory(
    command_database: dict[str, str], big_file: Callable[[str], Path], tmp_path: Path, name: str, fragment: str
) -> None:
    peak = tmp_path / "peak"
    finished = subprocess.run(
        [sys.executable, str(Path(__file__).parents[1] / "peak_memory.py"), str(peak),
         "manage.py", "import_snapshots", str(big_file(name))],
        cwd=settings.BASE_DIR, env=command_database, capture_output=True, text=True, timeout=300, check=False,
    )
    assert finished.returncode == 1, finished.stderr
    assert finished.stdout == ""
    lines = finished.stderr.splitlines()
    _assert_refused(lines, fragment)
    assert lines[-1] == "CommandError: The file was rejected with 1 problem(s); nothing was imported."
    assert int(peak.read_text()) // 1024 < PEAK_LIMIT_MIB
    assert _database_counts(command_database) == (0, 0, 0, 0)
