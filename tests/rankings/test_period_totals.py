"""The scoring input read two ways: aggregated by PostgreSQL (one GROUP BY, one row per account copied
out) and summed in pandas from every snapshot (the embedded path, and the only path before issue #12).
Both must give the same frame, and a run over the database's totals the same scores as the pure engine
over the pandas ones."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from django.db import connection

from accounts.selectors import snapshots_frame
from core.periods import Period, parse_period
from demo.data import generate_snapshots
from demo.data.output import write_snapshots_csv
from rankings import selectors, services
from rankings.models import AccountScore, CityScore, ScoreRun, ScoringScheme
from rankings.scoring.inputs import period_totals
from rankings.scoring.pipeline import score
from rankings.scoring.schemes import Scheme
from tests.factories import CityFactory, GovAccountFactory, SnapshotFactory

pytestmark = pytest.mark.django_db

YEAR = parse_period("2012")


@pytest.fixture
def varied() -> dict[str, object]:
    """Three accounts whose snapshots exercise every rule: optional counts missing in some snapshots,
    custom metrics present in some, an unknown last post, a snapshot outside the year, and two
    snapshots ending on the same day (the month and its last day: the shorter one is the latest)."""
    city = CityFactory(name="长沙", province="湖南")
    police = GovAccountFactory(city=city, category="police", screen_name="长沙警事")
    press = GovAccountFactory(city=CityFactory(name="株洲", province="湖南"), category="press", screen_name="株洲发布")
    youth = GovAccountFactory(city=city, category="youth", screen_name="长沙共青团")
    counts = dict(posts=10, original_posts=5, reposts=7, comments=3, likes=2, replies=1)
    month = parse_period
    for text, fans, extra in (("2012-01", 100, {"original_reposts": 4, "custom_metrics": {"videos": 1.5}}),
                              ("2012-02", 150, {"last_post_on": date(2012, 2, 20)}),
                              ("2012-03", 130, {"original_reposts": 6, "custom_metrics": {"videos": 2.25}})):
        period = month(text)
        SnapshotFactory(account=police, period_start=period.start, period_end=period.end, fans=fans, **counts, **extra)
    # The month of April and its last day: both end on 30 April; the day starts later, so it is the latest.
    SnapshotFactory(account=press, period_start=date(2012, 4, 1), period_end=date(2012, 4, 30), fans=500,
                    **counts, last_post_on=date(2012, 4, 28))
    SnapshotFactory(account=press, period_start=date(2012, 4, 30), period_end=date(2012, 4, 30), fans=510,
                    **counts, original_comments=9)
    SnapshotFactory(account=press, period_start=date(2011, 12, 1), period_end=date(2011, 12, 31), fans=9999,
                    **counts)  # outside 2012: never counted
    SnapshotFactory(account=youth, period_start=date(2012, 12, 1), period_end=date(2012, 12, 31), fans=7,
                    posts=0, original_posts=0, reposts=0, comments=0, likes=0, replies=0)
    return {"police": police, "press": press, "youth": youth}


def test_the_pandas_totals_follow_the_rules_by_hand(varied):
    totals = selectors.period_totals_read(period=YEAR, custom_metrics=["videos"], in_database=False)
    police, press, youth = (totals.totals.loc[varied[name].pk] for name in ("police", "press", "youth"))

    assert (police["fans"], police["posts"], police["original_reposts"], police["videos"]) == (130, 30, 10.0, 3.75)
    assert np.isnan(police["original_comments"]) and police["last_post_on"] == pd.Timestamp("2012-02-20")
    assert (press["fans"], press["posts"], press["snapshots"], press["original_comments"]) == (510, 20, 2, 9.0)
    assert np.isnan(press["videos"]) and press["last_post_on"] == pd.Timestamp("2012-04-28")
    assert (youth["fans"], youth["posts"], youth["category"]) == (7, 0, "youth")
    assert pd.isna(youth["last_post_on"]) and (totals.totals["days"] == 366).all()
    assert totals.snapshots == 3 + 2 + 1


def test_a_latest_custom_metric_and_the_days_covered_by_hand(varied):
    """videos at the latest: the police account's March 2.25 (February lacks it; the sum is 3.75); the
    press account never has it (NaN). Days covered: January to March 31 + 29 + 31 = 91; the press
    account's April and its 30th overlap, and both count (30 + 1), as their posts do (20); youth: 31."""
    for in_database in (False, True) if connection.vendor == "postgresql" else (False,):
        totals = selectors.period_totals_read(period=YEAR, custom_metrics=["videos", "absent"],
                                              latest_metrics=["videos", "absent"], in_database=in_database).totals
        police, press, youth = (totals.loc[varied[name].pk] for name in ("police", "press", "youth"))

        assert police["videos"] == 2.25 and np.isnan(press["videos"]) and totals["absent"].isna().all()
        assert (police["days_covered"], press["days_covered"], youth["days_covered"]) == (91, 31, 31)
        assert (press["posts"], (totals["days"] == 366).all()) == (20, True)
        assert totals["days_covered"].dtype == np.int64 and totals["videos"].dtype == np.float64


@pytest.mark.postgres
@pytest.mark.parametrize("latest", [[], ["videos"], ["videos", "absent"]])
def test_the_database_aggregate_equals_the_pandas_totals(varied, latest):
    for period in (YEAR, parse_period("2012-Q1"), parse_period("2012-04"), parse_period("2012-02"),
                   Period(date(2012, 4, 30), date(2012, 4, 30))):
        in_pandas = selectors.period_totals_read(period=period, custom_metrics=["videos", "absent"],
                                                 latest_metrics=latest, in_database=False)
        in_database = selectors.period_totals_read(period=period, custom_metrics=["videos", "absent"],
                                                   latest_metrics=latest, in_database=True)

        pd.testing.assert_frame_equal(in_database.totals, in_pandas.totals)
        assert in_database.snapshots == in_pandas.snapshots


@pytest.mark.postgres
def test_the_database_aggregate_of_an_empty_period_is_an_empty_frame_of_the_same_columns(varied):
    period = parse_period("2015")
    in_pandas = selectors.period_totals_read(period=period, custom_metrics=["videos", "absent"],
                                             latest_metrics=["absent"], in_database=False)
    in_database = selectors.period_totals_read(period=period, custom_metrics=["videos", "absent"],
                                               latest_metrics=["absent"], in_database=True)

    assert list(in_database.totals.columns) == list(in_pandas.totals.columns)
    assert in_pandas.totals.empty and "days_covered" in in_pandas.totals.columns
    assert in_database.totals.empty and in_database.snapshots == 0


def test_the_snapshot_frame_holds_the_category_as_a_categorical(varied):
    snapshots = snapshots_frame(period_start=YEAR.start, period_end=YEAR.end)

    assert isinstance(snapshots["category"].dtype, pd.CategoricalDtype)
    assert set(snapshots["category"].cat.categories) == {"police", "press", "youth"}


@pytest.fixture
def demo_year(tmp_path) -> None:
    """The demo generator's data for 12 cities × 12 months of 2012, imported through the import service."""
    from accounts.services import snapshots_import

    path = tmp_path / "demo.csv"
    write_snapshots_csv(generate_snapshots(cities=12, months=12, start="2012-01", seed=7), path, headers="zh")
    snapshots_import(source=path)


@pytest.mark.parametrize("slug", ["shifan-2012", "bci-v1", "rmw-2023"])
def test_a_run_scores_every_account_and_city_as_the_pure_engine_over_every_snapshot(demo_year, slug):
    """Today's results (issue #12): the pure engine over the per-snapshot frame, summed in pandas, is
    the reference; a run (on PostgreSQL reading the database's aggregate) must match it to 1e-9."""
    scheme_row = ScoringScheme.objects.get(slug=slug)
    run = services.score_run_start(scheme=scheme_row, period=YEAR, draws=0)
    services.score_run_execute(run_id=run.pk, task_id=run.task_id, subtasks=False)
    run = ScoreRun.objects.get(pk=run.pk)
    assert run.status == ScoreRun.Status.SUCCEEDED

    snapshots = snapshots_frame(period_start=YEAR.start, period_end=YEAR.end)
    totals = period_totals(snapshots, period_start=pd.Timestamp(YEAR.start), period_end=pd.Timestamp(YEAR.end))
    expected = score(totals, Scheme.from_document(run.document), period_end=pd.Timestamp(YEAR.end))

    assert run.input_rows == len(snapshots) and run.accounts_scored == len(expected.accounts) > 100
    ranks = dict(CityScore.objects.filter(run=run).values_list("city_id", "rank"))
    assert ranks == {int(city): int(rank) for city, rank in expected.cities["rank"].items()}
    cities = pd.Series(dict(CityScore.objects.filter(run=run).values_list("city_id", "score"))).sort_index()
    np.testing.assert_allclose(cities.to_numpy(), expected.cities["score"].sort_index().to_numpy(), rtol=0, atol=1e-9)
    accounts = pd.DataFrame.from_records(
        AccountScore.objects.filter(run=run).values("account_id", "composite", "rank_in_category", "category",
                                                    "city_id"), index="account_id").sort_index()
    reference = expected.accounts.sort_index()
    assert list(accounts.index) == list(reference.index)
    np.testing.assert_allclose(accounts["composite"].to_numpy(), reference["composite"].to_numpy(dtype=float),
                               rtol=0, atol=1e-9)
    assert (accounts["rank_in_category"].to_numpy() == reference["rank_in_category"].to_numpy()).all()
    assert (accounts["category"].to_numpy() == reference["category"].to_numpy()).all()
    assert (accounts["city_id"].to_numpy() == reference["city_id"].to_numpy()).all()


@pytest.fixture
def daily_quarter() -> dict[str, object]:
    """Two accounts with one snapshot a day over 2012-Q1 (91 days): posts = the day of the month, fans
    grow by one a day from 1000, replies only on Sundays; the second account stops after 15 March."""
    city = CityFactory(name="长沙", province="湖南")
    accounts = {"police": GovAccountFactory(city=city, category="police", screen_name="长沙警事"),
                "press": GovAccountFactory(city=CityFactory(name="株洲", province="湖南"), category="press",
                                           screen_name="株洲发布")}
    rows = []
    quarter = parse_period("2012-Q1")
    for offset in range(quarter.days):
        day = date.fromordinal(quarter.start.toordinal() + offset)
        for name, account in accounts.items():
            if name == "press" and day > date(2012, 3, 15):
                continue
            rows.append(SnapshotFactory.build(
                account=account, period_start=day, period_end=day, fans=1000 + offset, posts=day.day,
                original_posts=0, reposts=1, comments=0, likes=0, replies=1 if day.isoweekday() == 7 else 0,
                last_post_on=day))
    from accounts.models import Snapshot

    Snapshot.objects.bulk_create(rows)
    return accounts


@pytest.mark.parametrize(
    ("period", "posts", "fans", "reposts", "replies", "last_post", "days"),
    [
        # ISO week 10 of 2012: Monday 5 to Sunday 11 March; posts 5+…+11, fans on Sunday (offset 70).
        ("2012-W10", 56, 1070, 7, 1, "2012-03-11", 7),
        # February 2012: 29 days, posts 1+…+29 = 435, fans on the 29th (offset 59), four Sundays.
        ("2012-02", 435, 1059, 29, 4, "2012-02-29", 29),
        # The quarter: January 496 + February 435 + March 496; fans on 31 March (offset 90), 13 Sundays.
        ("2012-Q1", 1427, 1090, 91, 13, "2012-03-31", 91),
        ("2012-03-05", 5, 1064, 1, 0, "2012-03-05", 1),
    ],
)
def test_runs_over_daily_data_total_each_week_month_or_quarter(daily_quarter, period, posts, fans, reposts,
                                                               replies, last_post, days):
    for in_database in (False, True) if connection.vendor == "postgresql" else (False,):
        read = selectors.period_totals_read(period=parse_period(period), in_database=in_database)
        police = read.totals.loc[daily_quarter["police"].pk]

        assert (police["posts"], police["fans"], police["reposts"], police["replies"]) == (posts, fans, reposts,
                                                                                         replies)
        assert (police["last_post_on"], police["snapshots"], police["days"]) == (pd.Timestamp(last_post), days,
                                                                                days)
        assert police["days_covered"] == days  # a snapshot every day


@pytest.mark.parametrize(("period", "days_covered"), [("2012-Q1", 75), ("2012-03", 15), ("2012-W10", 7),
                                                      ("2012-W12", 0)])
def test_days_covered_counts_the_days_with_a_snapshot(daily_quarter, period, days_covered):
    """The press account stops after 15 March: 31 + 29 + 15 days of the quarter; none in week 12 (19-25
    March), where it has no row at all. Both paths agree."""
    reads = [selectors.period_totals_read(period=parse_period(period), in_database=in_database)
             for in_database in ((False, True) if connection.vendor == "postgresql" else (False,))]
    for read in reads:
        totals = read.totals
        covered = totals["days_covered"].get(daily_quarter["press"].pk, 0)
        assert (covered, totals.loc[daily_quarter["police"].pk, "days_covered"]) == (days_covered,
                                                                                   parse_period(period).days)
    if len(reads) == 2:
        pd.testing.assert_frame_equal(reads[1].totals, reads[0].totals)


def test_a_quarterly_run_over_daily_data_scores_the_account_that_stopped_on_its_last_snapshot(daily_quarter):
    run = services.score_run_start(scheme=ScoringScheme.objects.get(slug="bci-v1"), period=parse_period("2012-Q1"),
                                   draws=0)
    services.score_run_execute(run_id=run.pk, task_id=run.task_id, subtasks=False)
    run = ScoreRun.objects.get(pk=run.pk)

    assert run.status == ScoreRun.Status.SUCCEEDED and run.input_rows == 91 + 75
    press = AccountScore.objects.get(run=run, account=daily_quarter["press"])
    # bci-v1 flags an account inactive 14 days after its last post: the press account stopped on 15 March.
    assert press.inactive is True
    assert AccountScore.objects.get(run=run, account=daily_quarter["police"]).inactive is False


LATEST_SCHEME = {
    "slug": "videos-latest", "name": "视频（期末）", "custom_metrics": ["likes_extra", {"name": "videos", "kind": "latest"}],
    "indicators": [
        {"key": "videos", "label": "视频", "expr": "videos", "normalize": "none", "weight": 0.5},
        {"key": "rate", "label": "日均发博", "expr": "posts / days_covered", "normalize": "none", "weight": 0.5},
    ],
}


def test_a_run_takes_a_latest_metric_at_the_latest_snapshot_and_divides_by_the_days_covered(varied):
    """End to end: the run stores each account's raw indicator values; police: videos 2.25 at March (not
    the sum 3.75), 30 posts over 91 days; press: no videos (missing, read as 0), 20 posts over 31 days;
    youth: 0 posts over 31 days. Composite = (videos + rate) / 2 with normalize none."""
    scheme_row, _outcome = services.scheme_save(document=LATEST_SCHEME)
    run = services.score_run_start(scheme=scheme_row, period=YEAR, draws=0)
    services.score_run_execute(run_id=run.pk, task_id=run.task_id, subtasks=False)
    run = ScoreRun.objects.get(pk=run.pk)
    assert run.status == ScoreRun.Status.SUCCEEDED, run.error

    scores = {score.account_id: score for score in AccountScore.objects.filter(run=run)}
    police, press, youth = (scores[varied[name].pk] for name in ("police", "press", "youth"))
    assert police.raw_values == pytest.approx([2.25, 30 / 91], abs=1e-12)  # videos, rate
    assert press.raw_values == pytest.approx([0.0, 20 / 31], abs=1e-12)
    assert youth.raw_values == pytest.approx([0.0, 0.0], abs=1e-12)
    assert police.composite == pytest.approx((2.25 + 30 / 91) / 2, abs=1e-12)
    assert run.document["custom_metrics"] == ["likes_extra", {"name": "videos", "kind": "latest"}]


def test_a_run_warns_of_the_accounts_whose_snapshots_cover_more_days_than_the_period(varied):
    """April (30 days): the press account's month and its last day cover 31 days, so one of its
    snapshots overlaps the other and its posts count twice; the year (366 days) hides that overlap, as
    the warning's test (days covered > the period's days) cannot see it there."""
    scheme_row, _outcome = services.scheme_save(document=LATEST_SCHEME)
    warned = {}
    for text in ("2012-04", "2012"):
        run = services.score_run_start(scheme=scheme_row, period=parse_period(text), draws=0)
        services.score_run_execute(run_id=run.pk, task_id=run.task_id, subtasks=False)
        run = ScoreRun.objects.get(pk=run.pk)
        assert run.status == ScoreRun.Status.SUCCEEDED, run.error
        warned[text] = run.warnings.get("*:overlapping_snapshots")
    assert warned == {"2012-04": 1, "2012": None}
