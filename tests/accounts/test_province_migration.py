"""Migrations accounts 0003-0004 and awards 0003-0004 (issue 18): existing provinces in any spelling are mapped to the
canonical name, cities that become duplicates are merged when only accounts refer to them, and rows that
cannot be mapped (or merged without changing a result) stop the migration with a list of them."""
from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0002_importjob"), ("awards", "0002_roles")]
AFTER = [("accounts", "0004_city_province_foreign_key"), ("awards", "0004_province_foreign_key")]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _round(apps, cities: list, experts: list[tuple[str, str]]):
    """A draft round on a run, a candidate per city (its province as the city spells it), and experts."""
    ScoringScheme, ScoreRun = apps.get_model("rankings", "ScoringScheme"), apps.get_model("rankings", "ScoreRun")
    AwardRound = apps.get_model("awards", "AwardRound")
    Candidate, Expert = apps.get_model("awards", "Candidate"), apps.get_model("awards", "Expert")
    scheme = ScoringScheme.objects.create(slug="province-test", name="p", document={})
    run = ScoreRun.objects.create(scheme=scheme, scheme_version=1, document={}, period_start=date(2012, 3, 1),
                                  period_end=date(2012, 3, 31), status="succeeded")
    award_round = AwardRound.objects.create(slug="p", name="p", run=run)
    candidates = [Candidate.objects.create(round=award_round, city=city, name=city.name, province=city.province,
                                           rank=rank, composite=1.0) for rank, city in enumerate(cities, start=1)]
    made = [Expert.objects.create(round=award_round, name=name, province=province) for name, province in experts]
    return award_round, candidates, made


def test_old_spellings_are_mapped_and_a_duplicate_city_with_only_accounts_is_merged() -> None:
    apps = _migrate(BEFORE)
    try:
        City, GovAccount = apps.get_model("accounts", "City"), apps.get_model("accounts", "GovAccount")
        changsha = City.objects.create(name="长沙", province="湖南省", admin_code="")
        chengdu = City.objects.create(name="成都", province="四川")
        chengdu_full = City.objects.create(name="成都", province="四川省", admin_code="510100", name_en="Chengdu")
        nanning = City.objects.create(name="南宁", province="Guangxi Zhuang Autonomous Region")
        moved = GovAccount.objects.create(screen_name="成都发布", city=chengdu_full, category="press")
        kept = GovAccount.objects.create(screen_name="平安成都", city=chengdu, category="police")
        _round(apps, [changsha, nanning], [("甲", "湖南"), ("乙", "Hunan Province"), ("丙", "香港特別行政區")])

        apps = _migrate(AFTER)
        City, GovAccount = apps.get_model("accounts", "City"), apps.get_model("accounts", "GovAccount")
        Candidate, Expert = apps.get_model("awards", "Candidate"), apps.get_model("awards", "Expert")
        assert apps.get_model("accounts", "Province").objects.count() == 34
        assert sorted(City.objects.values_list("name", "province")) == [
            ("南宁", "广西"), ("成都", "四川"), ("长沙", "湖南")]
        merged = City.objects.get(name="成都")
        assert merged.pk == chengdu.pk and (merged.admin_code, merged.name_en) == ("510100", "Chengdu")
        assert set(GovAccount.objects.values_list("pk", "city_id")) == {(moved.pk, chengdu.pk), (kept.pk, chengdu.pk)}
        assert sorted(Candidate.objects.values_list("name", "province")) == [("南宁", "广西"), ("长沙", "湖南")]
        assert sorted(Expert.objects.values_list("name", "province")) == [("丙", "香港"), ("乙", "湖南"), ("甲", "湖南")]
    finally:
        _latest()


def _clear(apps) -> None:
    """Remove what a failed test left, so that the database can be migrated to the latest state again."""
    for label in ("awards.Expert", "awards.Candidate", "awards.AwardRound", "rankings.ScoreRun",
                  "rankings.ScoringScheme", "accounts.GovAccount", "accounts.City"):
        apps.get_model(label).objects.all().delete()


def test_unmappable_rows_and_unmergeable_duplicates_stop_the_migration_with_a_list() -> None:
    apps = _migrate(BEFORE)
    try:
        City = apps.get_model("accounts", "City")
        mars = City.objects.create(name="火星城", province="火星")
        with pytest.raises(Exception, match=r"(?s)1 cities have a province.*city id=\d+ '火星城' province='火星'"):
            _migrate(AFTER)
        mars.delete()

        # A duplicate that an award candidate (or a run's results) refers to is not merged: a result would
        # silently change.
        apps = _migrate(BEFORE)
        City = apps.get_model("accounts", "City")
        City.objects.create(name="成都", province="四川")
        chengdu_full = City.objects.create(name="成都", province="四川省")
        _round(apps, [chengdu_full], [("火星人", "火星")])
        with pytest.raises(Exception, match=r"(?s)become duplicates.*'成都' province='四川省'.*awards.candidate rows"):
            _migrate(AFTER)
        apps.get_model("awards", "Candidate").objects.all().delete()

        # The experts' migration lists what it cannot map.
        with pytest.raises(Exception, match=r"(?s)award candidates or experts.*expert id=\d+ .*'火星人' province='火星'"):
            _migrate(AFTER)
        apps.get_model("awards", "Expert").objects.all().delete()
    finally:
        _clear(_migrate(BEFORE))
        _latest()
