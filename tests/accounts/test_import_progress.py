"""The import's progress bar: drawn on request (or on a terminal), never in captured output otherwise."""
from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.factories import import_row, write_import_csv

pytestmark = pytest.mark.django_db


def test_progress_draws_a_bar_with_the_file_name_and_rows_on_stderr(tmp_path, capsys):
    path = write_import_csv(tmp_path / "march.csv", [import_row(account=f"账号{n}") for n in range(3)])

    call_command("import_snapshots", str(path), "--progress", "--lang", "en")

    err = capsys.readouterr().err
    assert "march.csv" in err and "rows" in err
    assert "/3" in err  # the bar knows the file's row count (tqdm rate-limits redraws, so not "3/3")


def test_without_a_terminal_or_progress_no_bar_is_drawn(tmp_path, capsys):
    path = write_import_csv(tmp_path / "march.csv", [import_row()])

    call_command("import_snapshots", str(path), "--lang", "en")

    assert "rows" not in capsys.readouterr().err
