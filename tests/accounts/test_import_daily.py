"""Daily exports (日榜, issue #12): a period YYYY-MM-DD imports as a one-day snapshot, beside monthly ones."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from accounts.models import Snapshot
from accounts.services import snapshots_import
from tests.factories import import_row, write_import_csv, write_import_xlsx

pytestmark = pytest.mark.django_db


def test_daily_rows_import_as_one_day_snapshots_in_every_written_form(tmp_path: Path) -> None:
    rows = [import_row(period="2012-03-05", posts=3, original_posts=1),
            import_row(period="2012年3月6日", posts=4, original_posts=2),
            import_row(period="2012-3-7", posts=5, original_posts=3)]

    result = snapshots_import(source=write_import_csv(tmp_path / "daily.csv", rows))

    assert result.snapshots_created == 3
    days = list(Snapshot.objects.order_by("period_start").values_list("period_start", "period_end", "posts"))
    assert days == [(date(2012, 3, d), date(2012, 3, d), posts) for d, posts in ((5, 3), (6, 4), (7, 5))]


def test_a_day_and_the_month_it_ends_are_two_snapshots_of_the_same_account(tmp_path: Path) -> None:
    rows = [import_row(period="2012-03"), import_row(period="2012-03-31", posts=2, original_posts=1)]

    snapshots_import(source=write_import_csv(tmp_path / "mixed.csv", rows))

    assert set(Snapshot.objects.values_list("period_start", "period_end")) == {
        (date(2012, 3, 1), date(2012, 3, 31)), (date(2012, 3, 31), date(2012, 3, 31))}


def test_a_typed_day_in_an_xlsx_text_cell_is_a_day(tmp_path: Path) -> None:
    row = import_row(period="2012-03-05")
    path = write_import_xlsx(tmp_path / "daily.xlsx", [list(row), list(row.values())])

    snapshots_import(source=path)

    assert Snapshot.objects.get().period_start == Snapshot.objects.get().period_end == date(2012, 3, 5)
