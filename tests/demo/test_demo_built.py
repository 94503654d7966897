"""setup_demo on an empty database: the demo import, the demo ranking and the published demo award round.

Every test here starts from the one demo that `demo_built` (tests/demo/conftest.py) builds for this module,
held in a transaction: each test runs in a savepoint rolled back after it, so each sees the freshly built
demo and what the build printed, whatever ran before. Tests that need setup_demo on a database in another
state build their own (tests/demo/test_setup_demo.py).
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from django.db.models import F, Sum

from accounts.models import City, GovAccount, Snapshot, SnapshotImport
from awards import selectors
from awards.models import AwardRound, Expert, ExpertScore, NetizenTally, RoundResult
from demo.award import DEMO_ROUND_SLUG, EXPERTS
from demo.management.commands.setup_demo import DEMO_FILE
from tests.demo.commands import setup_demo as _setup_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english"), pytest.mark.slow]  # the build: over 5 s


@pytest.fixture
def fixture_rows() -> pd.DataFrame:
    return pd.read_csv(DEMO_FILE, dtype={"行政区划代码": str})


def _state() -> dict[str, object]:
    totals = Snapshot.objects.aggregate(*(Sum(field) for field in ("fans", "posts", "comments", "replies")))
    return {
        "cities": City.objects.count(), "accounts": GovAccount.objects.count(),
        "snapshots": Snapshot.objects.count(), "imports": SnapshotImport.objects.count(), **totals,
    }


def test_setup_demo_imports_every_row_of_the_demo_file(demo_built: str, fixture_rows: pd.DataFrame) -> None:
    output = demo_built
    accounts = fixture_rows.drop_duplicates(["平台", "账号"])
    assert City.objects.count() == fixture_rows["城市"].nunique() == 60
    assert GovAccount.objects.count() == len(accounts)
    assert Snapshot.objects.count() == len(fixture_rows)
    assert Snapshot.objects.aggregate(total=Sum("fans"))["total"] == fixture_rows["粉丝数"].sum()
    record = SnapshotImport.objects.get()
    assert (record.source, record.file_name) == ("demo", "demo_snapshots.csv")
    assert record.row_count == len(fixture_rows)
    assert f"Imported {len(fixture_rows):,} rows" in output


def test_running_setup_demo_twice_changes_nothing(demo_built: str) -> None:
    before = _state()
    output = _setup_demo()
    assert _state() == before
    assert "Demo data already imported" in output


def test_forcing_a_second_import_replaces_every_snapshot_with_itself(demo_built: str,
                                                                     fixture_rows: pd.DataFrame) -> None:
    before = _state()
    _setup_demo("--force")
    after = _state()
    assert after == {**before, "imports": before["imports"] + 1}
    latest = SnapshotImport.objects.order_by("-id").first()
    assert (latest.snapshots_created, latest.snapshots_replaced) == (0, len(fixture_rows))


def test_the_imported_demo_keeps_the_seed_articles_facts(demo_built: str) -> None:
    changsha = City.objects.get(name="长沙")
    assert (changsha.province_id, changsha.level, changsha.admin_code, changsha.name_en) == (
        "湖南", City.Level.SUB_PROVINCIAL, "430100", "Changsha")
    fulin = GovAccount.objects.get(screen_name="福临发布")
    assert (fulin.platform, fulin.level, fulin.category, fulin.city, fulin.opened_on) == (
        "tencent", "township", "press", changsha, date(2012, 1, 1))
    may = Snapshot.objects.get(account=fulin, period_start=date(2012, 5, 1))
    assert (may.period_end, may.fans) == (date(2012, 5, 31), 1_429)
    first_five = Snapshot.objects.filter(account=fulin, period_start__lte=date(2012, 5, 1))
    assert first_five.aggregate(total=Sum("posts"))["total"] == 2_781
    corps = Snapshot.objects.get(account__screen_name="湖南省交警总队", period_start=date(2012, 5, 1))
    assert corps.fans == 510_000


def test_setup_demo_publishes_the_demo_round_with_experts_recusals_and_tallies_and_runs_once(demo_built: str) -> None:
    out = demo_built
    award_round = AwardRound.objects.get(slug=DEMO_ROUND_SLUG)
    assert award_round.status == AwardRound.Status.PUBLISHED
    assert award_round.run.is_published and award_round.run.period_label.startswith("2012")
    assert "Published the demo award round 2012年度政务微博示范奖" in out
    candidates = list(award_round.candidates.all())
    assert len(candidates) >= 20
    assert Expert.objects.filter(round=award_round).count() == len(EXPERTS) == 7
    recused = sum(1 for expert in award_round.experts.all() for candidate in candidates
                  if expert.is_recused_from(candidate))
    assert recused > 0
    assert ExpertScore.objects.filter(round=award_round).count() == len(candidates) * 7 - recused
    assert not ExpertScore.objects.filter(round=award_round, expert__province=F("candidate__province")).exists()
    assert NetizenTally.objects.filter(round=award_round).values("source").distinct().count() == 3
    results = selectors.round_results(award_round=award_round)
    assert results["shortlisted"].sum() == 10 and results["rank"].tolist() == sorted(results["rank"].tolist())
    assert results["expert_score"].between(40, 99).all() and (results["experts"] >= 5).all()
    assert RoundResult.objects.get(round=award_round).fingerprint
    # A second run leaves the published round alone.
    _setup_demo()
    assert RoundResult.objects.count() == 1 and AwardRound.objects.count() == 1
