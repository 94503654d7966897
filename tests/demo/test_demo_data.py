"""The demo and national-scale data generator (demo.data) and the generate_demo_data command.

These tests need no database: the generator is pure pandas/numpy.
"""
from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts.importing import columns as import_columns
from demo.data import CITIES, FIRST_SIXTY, generate_snapshots
from demo.data.output import ZH_HEADERS, ZH_VALUES, write_snapshots_csv

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo_snapshots.csv"
ACCOUNT_KEY = ["platform", "account"]  # an account is unique per platform, as GovAccount is


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    """The fixture's data set: 60 cities, 12 months from 2012-01, seed 42."""
    return generate_snapshots(cities=60, months=12, start="2012-01", seed=42)


def _account(snapshots: pd.DataFrame, name: str) -> pd.DataFrame:
    return snapshots[snapshots["account"] == name].set_index("period")


# Determinism -------------------------------------------------------------------------------------


def test_the_same_arguments_give_an_identical_frame(demo: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(generate_snapshots(cities=60, months=12, start="2012-01", seed=42), demo)


def test_a_different_seed_gives_different_data(demo: pd.DataFrame) -> None:
    other = generate_snapshots(cities=60, months=12, start="2012-01", seed=43)
    assert not other["fans"].equals(demo["fans"])
    assert set(other["account"]) != set(demo["account"])


def test_the_committed_fixture_is_exactly_what_the_generator_writes(tmp_path: Path) -> None:
    output = tmp_path / "demo.csv"
    call_command("generate_demo_data", "--cities", "60", "--months", "12", "--start", "2012-01",
                 "--seed", "42", "--output", str(output), stdout=io.StringIO())
    assert output.read_bytes() == FIXTURE.read_bytes(), (
        "fixtures/demo_snapshots.csv is out of date: regenerate it with "
        "python manage.py generate_demo_data --cities 60 --months 12 --start 2012-01 --seed 42 "
        "--output fixtures/demo_snapshots.csv"
    )


def test_the_fixture_stays_small() -> None:
    assert FIXTURE.stat().st_size < 1_500_000


# Shape: cities, accounts, periods ----------------------------------------------------------------


def test_the_demo_has_sixty_cities_twelve_months_and_8_to_30_accounts_per_city(demo: pd.DataFrame) -> None:
    assert demo["city"].nunique() == 60
    assert list(demo["period"].cat.categories) == [f"2012-{month:02d}" for month in range(1, 13)]
    accounts = demo.drop_duplicates(ACCOUNT_KEY)
    per_city = accounts.groupby("city", observed=True).size()
    generic_in_changsha = per_city["长沙"] - 4  # 长沙 also holds four of the seed article's accounts
    assert per_city.drop("长沙").between(8, 30).all()
    assert 8 <= generic_in_changsha <= 30
    assert per_city["北京"] > per_city["张家界"]  # bigger cities have more accounts


def test_the_first_sixty_cities_include_the_seed_cities_and_the_biggest() -> None:
    first = [city.name for city in CITIES[:60]]
    assert first == list(FIRST_SIXTY)
    for name in ("长沙", "张家界", "株洲", "北京", "上海", "广州", "深圳", "成都", "武汉", "南京", "杭州"):
        assert name in first


def test_the_city_list_holds_every_prefecture_level_division_once() -> None:
    assert len(CITIES) == 337  # 4 municipalities + 333 prefecture-level divisions
    assert len({city.name for city in CITIES}) == 337
    assert len({city.admin_code for city in CITIES}) == 337
    assert len({city.short for city in CITIES}) == 337  # screen names cannot collide across cities
    assert all(len(city.admin_code) == 6 and city.admin_code.isdigit() for city in CITIES)
    # A province's cities share the first two digits of the code, and no two provinces share them.
    prefixes = {(city.province, city.admin_code[:2]) for city in CITIES}
    assert len(prefixes) == len({city.province for city in CITIES}) == 31
    changsha = next(city for city in CITIES if city.name == "长沙")
    assert (changsha.province, changsha.level, changsha.admin_code, changsha.name_en) == (
        "湖南", "sub_provincial", "430100", "Changsha")
    levels = Counter(city.level for city in CITIES)
    assert levels == {"prefecture": 301, "sub_provincial": 32, "municipality": 4}


def test_accounts_asked_for_are_exactly_the_accounts_generated() -> None:
    snapshots = generate_snapshots(cities=60, months=3, start="2012-01", seed=7, accounts=500)
    assert len(snapshots.drop_duplicates(ACCOUNT_KEY)) == 500
    assert snapshots["city"].nunique() == 60


def test_national_scale_accounts_are_spread_over_all_cities_heavy_tailed() -> None:
    snapshots = generate_snapshots(cities=337, months=1, start="2012-01", seed=42, accounts=20_000)
    per_city = snapshots.drop_duplicates(ACCOUNT_KEY).groupby("city", observed=True).size()
    assert per_city.sum() == 20_000
    assert len(per_city) == 337 and per_city.min() >= 1
    assert per_city.max() >= 10 * per_city.median()
    assert per_city.sort_values().index[-1] in {"北京", "上海", "广州", "深圳"}


def test_screen_names_are_unique_per_platform(demo: pd.DataFrame) -> None:
    national = generate_snapshots(cities=337, months=1, start="2012-01", seed=42, accounts=30_000)
    for snapshots in (demo, national):
        accounts = snapshots.drop_duplicates(ACCOUNT_KEY + ["city"])
        assert not accounts.duplicated(ACCOUNT_KEY).any()


def test_every_account_keeps_the_same_city_category_and_level_in_every_month(demo: pd.DataFrame) -> None:
    attributes = demo.drop_duplicates(ACCOUNT_KEY + ["city", "category", "level"])
    assert not attributes.duplicated(ACCOUNT_KEY).any()


def test_accounts_cover_all_categories_and_levels(demo: pd.DataFrame) -> None:
    assert set(demo["category"]) == {"police", "traffic", "press", "youth", "tourism", "other"}
    assert set(demo["level"]) == {"city", "county", "township"}
    assert set(demo["platform"]) == {"sina", "tencent"}


# Realism invariants ------------------------------------------------------------------------------


def test_counts_are_non_negative_and_parts_never_exceed_their_whole(demo: pd.DataFrame) -> None:
    counts = demo.select_dtypes("number")
    assert (counts >= 0).all().all()
    assert (demo["original_posts"] <= demo["posts"]).all()
    assert (demo["original_reposts"] <= demo["reposts"]).all()
    assert (demo["original_comments"] <= demo["comments"]).all()


def test_fans_never_fall_from_one_month_to_the_next(demo: pd.DataFrame) -> None:
    ordered = demo.sort_values([*ACCOUNT_KEY, "period"])
    falls = ordered.groupby(ACCOUNT_KEY, observed=True)["fans"].diff() < 0
    assert not falls.any()


def test_fans_and_activity_are_heavy_tailed(demo: pd.DataFrame) -> None:
    december = demo[demo["period"] == "2012-12"]
    top_tenth = december["fans"].nlargest(len(december) // 10).sum()
    assert top_tenth > 0.5 * december["fans"].sum()  # the top 10% hold most of the fans
    assert december["fans"].mean() > 2 * december["fans"].median()
    assert december["posts"].max() > 5 * december["posts"].median()


def _totals(snapshots: pd.DataFrame) -> pd.DataFrame:
    return snapshots.groupby(ACCOUNT_KEY, observed=True)[["posts", "comments", "replies"]].sum()


def test_some_accounts_are_empty_shells_that_never_post(demo: pd.DataFrame) -> None:
    totals = _totals(demo)
    never_posted = demo.groupby(ACCOUNT_KEY, observed=True)["last_post_on"].count() == 0
    empty = (totals["posts"] == 0) & never_posted
    assert empty.sum() >= 10


def test_some_accounts_only_broadcast_and_never_reply(demo: pd.DataFrame) -> None:
    totals = _totals(demo)
    broadcast_only = (totals["comments"] > 0) & (totals["replies"] == 0)
    assert broadcast_only.sum() >= 10


def test_some_accounts_stop_posting_and_their_last_post_date_stays_behind(demo: pd.DataFrame) -> None:
    december = demo[demo["period"] == "2012-12"]
    stale = december["last_post_on"] < pd.Timestamp("2012-10-01")  # over two months before the period end
    assert stale.sum() >= 5
    assert (december.loc[stale, "posts"] == 0).all()


def test_last_post_dates_never_pass_the_period_end(demo: pd.DataFrame) -> None:
    period_end = pd.PeriodIndex(demo["period"].astype(str), freq="M").end_time.normalize()
    assert (demo["last_post_on"].dropna() <= period_end[demo["last_post_on"].notna()]).all()
    posted = demo["posts"] > 0
    period_start = pd.PeriodIndex(demo.loc[posted, "period"].astype(str), freq="M").start_time
    assert (demo.loc[posted, "last_post_on"] >= period_start).all()


# The seed article's accounts (../shared/domain.md §1) ---------------------------------------------


def test_the_hunan_traffic_police_corps_has_510000_fans_in_may_2012(demo: pd.DataFrame) -> None:
    corps = _account(demo, "湖南省交警总队")
    assert corps.loc["2012-05", "fans"] == 510_000
    assert (corps["category"] == "traffic").all() and (corps["city"] == "长沙").all()


def test_changsha_police_is_the_hottest_account_in_hunan_every_month(demo: pd.DataFrame) -> None:
    hunan = demo[demo["province"] == "湖南"].assign(spread=lambda rows: rows["reposts"] + rows["comments"])
    for _period, month in hunan.groupby("period", observed=True):
        assert month.loc[month["fans"].idxmax(), "account"] == "长沙警事"
        assert month.loc[month["spread"].idxmax(), "account"] == "长沙警事"
    assert (_account(demo, "长沙警事")["category"] == "police").all()


def test_wei_tianxin_is_a_county_level_press_account_in_changsha(demo: pd.DataFrame) -> None:
    tianxin = _account(demo, "微天心")
    assert set(tianxin["level"]) == {"county"} and set(tianxin["category"]) == {"press"}
    assert set(tianxin["city"]) == {"长沙"}


def test_fulin_fabu_has_the_articles_posts_listeners_and_reply_rate(demo: pd.DataFrame) -> None:
    fulin = _account(demo, "福临发布")
    first_five = fulin.loc[[f"2012-0{month}" for month in range(1, 6)]]
    assert first_five["posts"].sum() == 2_781
    assert fulin.loc["2012-05", "fans"] == 1_429
    assert first_five["comments"].sum() >= 800  # "800+ enquiries"
    assert (fulin["replies"] / fulin["comments"] > 0.9).all()
    assert set(fulin["platform"]) == {"tencent"}
    assert set(fulin["level"]) == {"township"} and set(fulin["category"]) == {"press"}
    assert set(fulin["opened_on"]) == {pd.Timestamp("2012-01-01")}


def test_the_zhuzhou_environment_bureau_appears_only_once_it_has_opened(demo: pd.DataFrame) -> None:
    assert "株洲市环保局" not in set(demo["account"])
    in_2013 = generate_snapshots(cities=60, months=12, start="2013-01", seed=42)
    bureau = _account(in_2013, "株洲市环保局")
    assert list(bureau.index) == [f"2013-{month:02d}" for month in range(4, 13)]
    assert set(bureau["category"]) == {"other"} and set(bureau["city"]) == {"株洲"}
    assert set(bureau["opened_on"]) == {pd.Timestamp("2013-04-16")}


def test_seed_accounts_are_left_out_when_their_city_is_not_chosen() -> None:
    five = generate_snapshots(cities=4, months=2, start="2012-01", seed=42)  # 北京 上海 广州 深圳
    assert not {"长沙警事", "福临发布"} & set(five["account"])


# The CSV and the import format -------------------------------------------------------------------


def test_every_chinese_header_and_value_is_one_the_import_understands() -> None:
    for canonical, header in ZH_HEADERS.items():
        assert import_columns.HEADER_LOOKUP[import_columns.normalise(header)] == canonical
    value_sets = {"platform": import_columns.PLATFORMS, "category": import_columns.CATEGORIES,
                  "level": import_columns.LEVELS, "city_level": import_columns.CITY_LEVELS}
    for column, values in ZH_VALUES.items():
        for canonical, chinese in values.items():
            assert value_sets[column].lookup[import_columns.normalise(chinese)] == canonical
            assert value_sets[column].lookup[import_columns.normalise(canonical)] == canonical


def test_english_headers_are_the_canonical_column_names(tmp_path: Path) -> None:
    snapshots = generate_snapshots(cities=2, months=1, start="2012-01", seed=1)
    target = tmp_path / "en.csv"
    write_snapshots_csv(snapshots, target, headers="en")
    header = target.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:14] == list(import_columns.IMPORT_COLUMNS)
    assert all(import_columns.HEADER_LOOKUP[column] == column for column in header)


def test_chinese_csv_rows_read_back_to_the_same_numbers(tmp_path: Path) -> None:
    snapshots = generate_snapshots(cities=3, months=2, start="2012-01", seed=3)
    target = tmp_path / "zh.csv"
    write_snapshots_csv(snapshots, target)
    read = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert list(read.columns[:3]) == ["城市", "省份", "账号"]
    assert read["粉丝数"].astype(np.int64).tolist() == snapshots["fans"].tolist()
    assert set(read["类别"]) <= set(ZH_VALUES["category"].values())


# The command's arguments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--cities", "0"], "--cities must be between 1 and 337."),
        (["--cities", "338"], "--cities must be between 1 and 337."),
        (["--months", "0"], "--months must be at least 1."),
        (["--start", "2012-13"], "--start must be a month written YYYY-MM, such as 2012-01."),
        (["--accounts", "10"], "--accounts must be at least 64 for 60 cities"),
    ],
)
def test_impossible_arguments_are_refused_with_a_clear_message(arguments: list[str], message: str,
                                                               tmp_path: Path, monkeypatch) -> None:
    for name in ("LANGUAGE", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")  # the command takes its language from the environment
    with pytest.raises(CommandError, match=message):
        call_command("generate_demo_data", *arguments, "--output", str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").exists()


def test_argument_errors_are_in_chinese_by_default(tmp_path: Path, monkeypatch) -> None:
    for name in ("LANGUAGE", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # names no language: Chinese, the project default
    with pytest.raises(CommandError, match="--cities 必须在 1 到 337 之间。"):
        call_command("generate_demo_data", "--cities", "0", "--output", str(tmp_path / "x.csv"))


def test_the_generator_rejects_impossible_arguments() -> None:
    for arguments in ({"cities": 0}, {"months": 0}, {"start": "2012-1"}, {"accounts": 3}):
        with pytest.raises(ValueError):
            generate_snapshots(**arguments)
