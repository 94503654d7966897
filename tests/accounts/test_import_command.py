"""manage.py import_snapshots: output, exit status and language."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts.management.commands.import_snapshots import language_from_environment
from accounts.models import Snapshot, SnapshotImport
from tests.factories import import_row, write_import_csv

GOOD_ROWS = [import_row(period="2012-01"), import_row(period="2012-02"), import_row(account="株洲交警", city="株洲")]
BAD_ROWS = [import_row(period="2012-01"), import_row(period="2012-02", fans=-3)]


@pytest.mark.django_db
def test_the_command_imports_a_file_and_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    call_command("import_snapshots", str(write_import_csv(tmp_path / "a.csv", GOOD_ROWS)), "--lang", "en")
    out = capsys.readouterr().out
    assert out.startswith(
        "Imported 3 rows: 2 cities and 2 accounts created, 3 snapshots created, 0 replaced (encoding utf-8, ")
    assert Snapshot.objects.count() == 3
    assert SnapshotImport.objects.get().source == "command"


@pytest.mark.django_db
def test_a_rejected_file_prints_every_problem_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    rows = [*BAD_ROWS, import_row(period="2012-03", category="警察局")]
    with pytest.raises(CommandError) as raised:
        call_command("import_snapshots", str(write_import_csv(tmp_path / "a.csv", rows)), "--lang", "en")
    assert str(raised.value) == "The file was rejected with 2 problem(s); nothing was imported."
    assert capsys.readouterr().err.splitlines() == [
        "line 3, column fans: “-3” is negative; counts must be 0 or more",
        ("line 4, column category: “警察局” is not a known category; use one of: police (公安), traffic (交警), "
         "press (发布), youth (团委), tourism (旅游), other (其他)"),
    ]
    assert not Snapshot.objects.exists()


@pytest.mark.django_db
def test_problems_are_printed_in_chinese_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert settings.LANGUAGE_CODE == "zh-hans"
    with pytest.raises(CommandError):
        call_command("import_snapshots", str(write_import_csv(tmp_path / "a.csv", BAD_ROWS)))
    assert capsys.readouterr().err.splitlines() == ["第 3 行，fans 列：“-3”为负数，计数必须大于或等于 0"]


@pytest.mark.django_db
def test_a_dry_run_reports_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    call_command("import_snapshots", str(write_import_csv(tmp_path / "a.csv", GOOD_ROWS)), "--dry-run", "--lang", "en")
    assert capsys.readouterr().out.startswith(
        "Dry run: 3 rows are valid; importing would create 2 cities, 2 accounts and 3 snapshots and replace 0 "
        "snapshots (encoding utf-8, ")
    assert not Snapshot.objects.exists()
    assert not SnapshotImport.objects.exists()


@pytest.mark.django_db
def test_the_progress_bar_goes_to_stderr_when_asked_for(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    call_command("import_snapshots", str(write_import_csv(tmp_path / "a.csv", GOOD_ROWS)), "--progress", "--lang", "en")
    captured = capsys.readouterr()
    assert "a.csv" in captured.err and "rows" in captured.err
    assert "a.csv" not in captured.out


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file: .*nowhere.csv"):
        call_command("import_snapshots", str(tmp_path / "nowhere.csv"), "--lang", "en")


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "zh-hans"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-hans"),
        ({"LANG": "fr_FR.UTF-8"}, "zh-hans"),
        ({"LC_ALL": "C.UTF-8", "LANG": "en_GB.UTF-8"}, "en"),  # C names no language: LANG decides
        ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh-hans"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ],
)
def test_the_language_comes_from_the_environment(environ: dict, language: str) -> None:
    assert language_from_environment(environ) == language


def test_run_from_the_shell_with_lang_en_it_prints_english_and_exits_non_zero(tmp_path: Path) -> None:
    path = write_import_csv(tmp_path / "bad.csv", BAD_ROWS)
    environ = {key: value for key, value in os.environ.items()
               if key not in {"DATABASE_URL", "LANGUAGE", "LC_ALL", "DJANGO_SETTINGS_MODULE"}}
    environ.update(LANG="en", GOVWEIBO_VAR_DIR=str(tmp_path / "var"))  # the embedded SQLite, in tmp_path
    finished = subprocess.run(
        [sys.executable, "manage.py", "import_snapshots", str(path)],
        cwd=settings.BASE_DIR, env=environ, capture_output=True, text=True, timeout=120, check=False,
    )
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.splitlines() == [
        "line 3, column fans: “-3” is negative; counts must be 0 or more",
        "CommandError: The file was rejected with 1 problem(s); nothing was imported.",
    ]
