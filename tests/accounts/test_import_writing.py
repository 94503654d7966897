"""What an import writes: created and updated records, replaced snapshots, dry runs and all-or-nothing."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import IntegrityError, connection

from accounts.importing import run_import, writer_for_connection
from accounts.models import City, GovAccount, Snapshot, SnapshotImport
from accounts.services import snapshots_import
from core.tables.errors import ImportFailed
from tests.factories import (
    IMPORT_HEADER,
    CityFactory,
    GovAccountFactory,
    SnapshotFactory,
    import_row,
    write_import_csv,
)

pytestmark = pytest.mark.django_db

TWO_ACCOUNTS = [
    import_row(period="2012-01", fans=100),
    import_row(period="2012-02", fans=150),
    import_row(account="株洲交警", city="株洲", category="交警", period="2012-01", fans=7),
]


def snapshot_table() -> list[tuple]:
    return list(Snapshot.objects.order_by("account__screen_name", "period_start").values_list(
        "account__screen_name", "account__city__name", "period_start", "period_end", "fans", "posts",
        "original_posts", "reposts", "comments", "likes", "replies", "original_reposts", "original_comments",
        "last_post_on", "custom_metrics"))


def test_an_import_creates_cities_accounts_and_snapshots(tmp_path: Path) -> None:
    result = snapshots_import(source=write_import_csv(tmp_path / "jan.csv", TWO_ACCOUNTS))
    assert (result.rows, result.cities_created, result.accounts_created, result.snapshots_created,
            result.snapshots_replaced) == (3, 2, 2, 3, 0)
    assert snapshot_table() == [
        ("株洲交警", "株洲", date(2012, 1, 1), date(2012, 1, 31), 7, 30, 20, 100, 50, 200, 10, None, None, None, {}),
        ("长沙警事", "长沙", date(2012, 1, 1), date(2012, 1, 31), 100, 30, 20, 100, 50, 200, 10, None, None, None, {}),
        ("长沙警事", "长沙", date(2012, 2, 1), date(2012, 2, 29), 150, 30, 20, 100, 50, 200, 10, None, None, None, {}),
    ]
    account = GovAccount.objects.get(screen_name="株洲交警")
    assert (account.category, account.level, account.verified, account.uid) == ("traffic", "city", True, "")
    assert City.objects.get(name="株洲").level == City.Level.PREFECTURE


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    path = write_import_csv(tmp_path / "jan.csv", TWO_ACCOUNTS)
    snapshots_import(source=path)
    before = (snapshot_table(), list(GovAccount.objects.values()), list(City.objects.values()))
    again = snapshots_import(source=path)
    assert (again.cities_created, again.accounts_created, again.snapshots_created, again.snapshots_replaced) == (
        0, 0, 0, 3)
    assert (snapshot_table(), list(GovAccount.objects.values()), list(City.objects.values())) == before
    assert SnapshotImport.objects.count() == 2


def test_a_snapshot_for_an_existing_period_is_replaced_whole(tmp_path: Path) -> None:
    first = write_import_csv(tmp_path / "a.csv", [import_row(original_reposts=9, 得分=3)],
                             header=[*IMPORT_HEADER, "original_reposts", "得分"])
    snapshots_import(source=first)
    result = snapshots_import(source=write_import_csv(tmp_path / "b.csv", [import_row(fans=2000, likes=1)]))
    assert (result.snapshots_created, result.snapshots_replaced) == (0, 1)
    snapshot = Snapshot.objects.get()
    # Everything comes from the new file; what it does not give is cleared, not kept from the old one.
    assert (snapshot.fans, snapshot.likes, snapshot.original_reposts, snapshot.custom_metrics) == (2000, 1, None, {})


def test_an_existing_account_takes_the_files_city_category_and_level(tmp_path: Path) -> None:
    account = GovAccountFactory(screen_name="长沙警事", category="other", level="county", uid="12345",
                                city=CityFactory(name="株洲", province="湖南"))
    result = snapshots_import(source=write_import_csv(tmp_path / "a.csv", [import_row()]))
    account.refresh_from_db()
    assert (result.accounts_created, result.cities_created) == (0, 1)
    assert (account.category, account.level, account.city.name) == ("police", "city", "长沙")
    assert account.uid == "12345"  # the file has no uid column: the stored one is kept


def test_an_existing_city_is_used_as_it_is(tmp_path: Path) -> None:
    city = CityFactory(name="长沙", province="湖南", level=City.Level.SUB_PROVINCIAL, name_en="Changsha")
    path = write_import_csv(tmp_path / "a.csv", [import_row(city_level="地级市", name_en="Chang Sha")],
                            header=[*IMPORT_HEADER, "city_level", "name_en"])
    assert snapshots_import(source=path).cities_created == 0
    assert GovAccount.objects.get().city_id == city.pk
    city.refresh_from_db()
    assert (city.level, city.name_en) == (City.Level.SUB_PROVINCIAL, "Changsha")


def test_optional_columns_are_stored(tmp_path: Path) -> None:
    header = [*IMPORT_HEADER, "uid", "认证", "开通日期", "原创转发数", "原创评论数", "最后发博日期", "城市级别",
              "行政区划代码", "英文名"]
    row = import_row(uid="2803301701", 认证="否", 开通日期="2011-06-01", 原创转发数=40, 原创评论数="1,200",
                     最后发博日期="2012/3/30", 城市级别="省会", 行政区划代码="430100", 英文名="Changsha")
    snapshots_import(source=write_import_csv(tmp_path / "a.csv", [row], header=header))
    snapshot = Snapshot.objects.select_related("account__city").get()
    account, city = snapshot.account, snapshot.account.city
    assert (account.uid, account.verified, account.opened_on) == ("2803301701", False, date(2011, 6, 1))
    assert (snapshot.original_reposts, snapshot.original_comments, snapshot.last_post_on) == (
        40, 1200, date(2012, 3, 30))
    assert (city.level, city.admin_code, city.name_en) == (City.Level.SUB_PROVINCIAL, "430100", "Changsha")


def test_extra_numeric_columns_become_custom_metrics(tmp_path: Path) -> None:
    header = [*IMPORT_HEADER, "情感指数", "得分", "Growth %"]
    path = write_import_csv(tmp_path / "a.csv", [
        import_row(period="2012-01", 情感指数="0.75", 得分="1,200", **{"Growth %": "-3.5"}),
        import_row(period="2012-02", 情感指数="", 得分=12, **{"Growth %": ""}),
    ], header=header)
    snapshots_import(source=path)
    assert list(Snapshot.objects.order_by("period_start").values_list("custom_metrics", flat=True)) == [
        {"情感指数": 0.75, "得分": 1200, "Growth %": -3.5},
        {"得分": 12},  # an empty cell leaves the metric out
    ]


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(tmp_path: Path) -> None:
    SnapshotFactory(account=GovAccountFactory(screen_name="长沙警事", city=CityFactory(name="长沙", province="湖南")),
                    period_start=date(2012, 1, 1), period_end=date(2012, 1, 31), fans=1)
    before = snapshot_table()
    result = snapshots_import(source=write_import_csv(tmp_path / "a.csv", TWO_ACCOUNTS), dry_run=True)
    assert (result.dry_run, result.record) == (True, None)
    assert (result.rows, result.cities_created, result.accounts_created, result.snapshots_created,
            result.snapshots_replaced) == (3, 1, 1, 2, 1)
    assert snapshot_table() == before
    assert (City.objects.count(), GovAccount.objects.count(), SnapshotImport.objects.count()) == (1, 1, 0)


def test_a_rejected_file_leaves_earlier_imports_untouched(tmp_path: Path) -> None:
    snapshots_import(source=write_import_csv(tmp_path / "good.csv", TWO_ACCOUNTS))
    before = (snapshot_table(), list(GovAccount.objects.values()), City.objects.count())
    bad = [import_row(period="2012-01", fans=999, category="youth"), import_row(account="新账号", city="新城"),
           import_row(period="2012-03", posts=1, original_posts=2)]
    with pytest.raises(ImportFailed):
        snapshots_import(source=write_import_csv(tmp_path / "bad.csv", bad))
    assert (snapshot_table(), list(GovAccount.objects.values()), City.objects.count()) == before
    assert SnapshotImport.objects.count() == 1


def test_a_database_error_while_writing_leaves_nothing_behind(tmp_path: Path) -> None:
    class FailingAfterWriting:
        """The real writer, then a constraint error, as if the last statement had failed."""

        def __init__(self) -> None:
            self.inner = writer_for_connection()

        def begin(self, metric_names):
            self.inner.begin(metric_names)

        def stage(self, snapshots, cities, accounts):
            self.inner.stage(snapshots, cities, accounts)

        def finish(self, cities, accounts):
            self.inner.finish(cities, accounts)
            assert Snapshot.objects.count() == 3  # written inside the import's transaction
            raise IntegrityError("simulated constraint violation")

    with pytest.raises(IntegrityError):
        run_import(source=write_import_csv(tmp_path / "a.csv", TWO_ACCOUNTS), file_name="a.csv",
                   origin=SnapshotImport.Source.COMMAND, writer=FailingAfterWriting())
    assert (City.objects.count(), GovAccount.objects.count(), Snapshot.objects.count()) == (0, 0, 0)


def test_the_import_is_recorded(tmp_path: Path, django_user_model) -> None:
    user = django_user_model.objects.create(username="analyst")
    result = snapshots_import(source=write_import_csv(tmp_path / "jan.csv", TWO_ACCOUNTS), user=user,
                              origin=SnapshotImport.Source.API)
    record = SnapshotImport.objects.get()
    assert record == result.record
    assert (record.created_by, record.source, record.file_name, record.encoding, record.row_count,
            record.cities_created, record.accounts_created, record.snapshots_created, record.snapshots_replaced) == (
        user, "api", "jan.csv", "utf-8", 3, 2, 2, 3, 0)


def test_a_file_read_in_many_chunks_imports_the_same_as_in_one(tmp_path: Path) -> None:
    rows = [import_row(account=f"账号{n % 4}", city=f"城市{n % 4}", period=f"2012-{n // 4 + 1:02d}", fans=n)
            for n in range(24)]
    path = write_import_csv(tmp_path / "a.csv", rows)
    progress: list[tuple[int, int | None]] = []
    result = run_import(source=path, file_name="a.csv", origin="command", chunk_rows=5,
                        progress=lambda done, total: progress.append((done, total)))
    assert (result.rows, result.cities_created, result.accounts_created, result.snapshots_created) == (24, 4, 4, 24)
    assert [done for done, _total in progress] == [5, 10, 15, 20, 24]
    assert progress[-1][1] == 24
    assert sorted(Snapshot.objects.values_list("fans", flat=True)) == list(range(24))


@pytest.mark.postgres
def test_on_postgresql_an_unchanged_snapshot_is_not_rewritten(tmp_path: Path) -> None:
    path = write_import_csv(tmp_path / "a.csv", TWO_ACCOUNTS)
    snapshots_import(source=path)

    def row_versions() -> list:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, xmin::text FROM accounts_snapshot ORDER BY id")
            return cursor.fetchall()

    before = row_versions()
    assert snapshots_import(source=path).snapshots_replaced == 3
    assert row_versions() == before  # same tuples: no dead rows from a re-import


@pytest.mark.postgres
def test_on_postgresql_the_staging_tables_are_gone_after_an_import(tmp_path: Path) -> None:
    snapshots_import(source=write_import_csv(tmp_path / "a.csv", TWO_ACCOUNTS))
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('pg_temp.import_snapshots'), to_regclass('pg_temp.import_accounts')")
        assert cursor.fetchone() == (None, None)
