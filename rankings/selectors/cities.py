"""Reads of one city's standing in a run, as plain DataFrames (no HTML): the ranking table with its
category scores, the city's categories against the national and province medians, its indicators as
percentiles (strengths and weaknesses), its history, its accounts and the most similar cities.

Pages (rankings.views) and the REST API both build on these. Every function issues a fixed number of
queries whatever the number of cities: the run's rows are read in bulk (one query for the city scores,
one for the category scores) and combined in pandas, never one query per city.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db.models import Count

from accounts.models import GovAccount
from core.periods import Period
from rankings.models import AccountScore, CityCategoryScore, CityScore, ScoreRun, ScoringScheme
from rankings.selectors.visibility import run_cache_key, run_is_cacheable

# The columns of city_ranking_frame (besides one column per category, named by its value).
CITY_ID = "city_id"
CITY = "city"
CITY_EN = "city_en"
PROVINCE = "province"
LEVEL = "level"
SCORE = "score"
RANK = "rank"
PREVIOUS_RANK = "previous_rank"
RANK_CHANGE = "rank_change"
IS_NEW = "is_new"
MEDIAN_RANK = "median_rank"
RANK_P05 = "rank_p05"
RANK_P95 = "rank_p95"
ACCOUNTS = "accounts"
RANKING_COLUMNS = (CITY_ID, CITY, CITY_EN, PROVINCE, LEVEL, SCORE, RANK, PREVIOUS_RANK, RANK_CHANGE, IS_NEW,
                   MEDIAN_RANK, RANK_P05, RANK_P95, ACCOUNTS)

# The columns of city_categories_frame, city_indicators_frame and city_history_frame.
CATEGORY = "category"
NATIONAL_MEDIAN = "national_median"
PROVINCE_MEDIAN = "province_median"
INDICATOR = "indicator"
VALUE = "value"
PERCENTILE = "percentile"
RUN_ID = "run_id"
PERIOD = "period"
PERIOD_START = "period_start"
PERIOD_END = "period_end"

T = TypeVar("T")
SIMILAR_CITIES = 5
# Strengths are in the top third of the cities, weaknesses in the bottom third (strengths_and_weaknesses).
STRENGTH_FROM = 200.0 / 3.0
WEAKNESS_UP_TO = 100.0 / 3.0
STRENGTHS = 3
CACHE_SECONDS = 3600


def run_cached(run: ScoreRun, name: str, build: Callable[[], T]) -> T:
    """build(), kept in the cache (Redis in production) when the run is published and done: its
    results never change then. The key names the run's id, when it finished and when it was published,
    so a re-executed or re-published run is read afresh. Any other run is read every time."""
    key = _run_key(run, name)
    return build() if key is None else cache.get_or_set(key, build, CACHE_SECONDS)


def _run_key(run: ScoreRun, name: str) -> str | None:
    """run_cached's key of `name` for `run`; None for a run whose results may still change."""
    return run_cache_key("frame", name, run=run) if run_is_cacheable(run) else None


def run_categories(run: ScoreRun) -> list[str]:
    """The categories the run's scheme weighs (in the order GovAccount.Category declares them); none
    for a scheme without category weights."""
    weights = run.definition.category_weights or {}
    return [category for category in GovAccount.Category.values if category in weights]


def city_ranking_frame(*, run: ScoreRun, province: str | None = None) -> pd.DataFrame:
    """The run's cities by rank (ties by city name), see _city_ranking_frame; a published run's whole
    ranking comes from the cache after its first read (run_cached)."""
    if province:
        return _city_ranking_frame(run=run, province=province)
    return run_cached(run, "ranking", lambda: _city_ranking_frame(run=run))


def _city_ranking_frame(*, run: ScoreRun, province: str | None = None) -> pd.DataFrame:
    """The run's cities by rank (ties by city name): RANKING_COLUMNS plus one float column per category
    of run_categories(run) (NaN where the city has no account of it). Two queries.

    IS_NEW: the run has a previous ranking and the city was not in it (RANK_CHANGE is then NaN).
    PREVIOUS_RANK and RANK_CHANGE are NaN when there was no previous ranking at all.
    """
    rows = CityScore.objects.filter(run=run)
    if province:
        rows = rows.filter(city__province=province)
    records = list(rows.values_list(
        "city_id", "city__name", "city__name_en", "city__province", "city__level", "score", "rank",
        "previous_rank", "rank_change", "median_rank", "rank_p05", "rank_p95", "accounts",
    ))
    names = [column for column in RANKING_COLUMNS if column != IS_NEW]
    cities = pd.DataFrame.from_records(records, columns=names)
    for column in (SCORE, PREVIOUS_RANK, RANK_CHANGE, MEDIAN_RANK, RANK_P05, RANK_P95):
        cities[column] = cities[column].astype("float64")
    has_previous = bool(cities[PREVIOUS_RANK].notna().any())
    cities.insert(names.index(RANK_CHANGE) + 1, IS_NEW, has_previous & cities[PREVIOUS_RANK].isna())
    categories = category_scores_frame(run=run, city_ids=None if not province else cities[CITY_ID].tolist())
    wide = categories.pivot(index=CITY_ID, columns=CATEGORY, values=SCORE) if len(categories) else None
    for category in run_categories(run):
        cities[category] = (cities[CITY_ID].map(wide[category]) if wide is not None and category in wide
                            else np.nan)
        cities[category] = cities[category].astype("float64")
    return cities.sort_values([RANK, CITY, CITY_ID], kind="stable").reset_index(drop=True)


def category_scores_frame(*, run: ScoreRun, city_ids: list[int] | None = None) -> pd.DataFrame:
    """Every (city, category) score of the run: CITY_ID, CATEGORY, SCORE, ACCOUNTS. One query."""
    rows = CityCategoryScore.objects.filter(run=run)
    if city_ids is not None:
        rows = rows.filter(city_id__in=city_ids)
    records = list(rows.values_list("city_id", "category", "score", "accounts"))
    frame = pd.DataFrame.from_records(records, columns=[CITY_ID, CATEGORY, SCORE, ACCOUNTS])
    frame[SCORE] = frame[SCORE].astype("float64")
    return frame


def city_categories_frame(*, ranking: pd.DataFrame, run: ScoreRun, city_id: int) -> pd.DataFrame:
    """The city's score in each category of the run beside the national median and its province's
    median (over the ranked cities; a city with no account of a category counts as 0 there, as the
    score does with missing_category zero). `ranking`: city_ranking_frame of the whole run. No query.

    Columns: CATEGORY, SCORE, NATIONAL_MEDIAN, PROVINCE_MEDIAN; one row per run_categories(run).
    """
    categories = run_categories(run)
    city = ranking.loc[ranking[CITY_ID] == city_id]
    if city.empty or not categories:
        return pd.DataFrame(columns=[CATEGORY, SCORE, NATIONAL_MEDIAN, PROVINCE_MEDIAN])
    scores = ranking[categories].fillna(0.0)
    in_province = ranking[PROVINCE] == city[PROVINCE].iloc[0]
    return pd.DataFrame({
        CATEGORY: categories,
        SCORE: scores.loc[city.index[0]].to_numpy(dtype="float64"),
        NATIONAL_MEDIAN: scores.median().to_numpy(dtype="float64"),
        PROVINCE_MEDIAN: scores[in_province].median().to_numpy(dtype="float64"),
    })


def indicators_frame(*, run: ScoreRun) -> pd.DataFrame:
    """Every city's indicator values as the run carried them to the city (CityScore.indicators):
    index CITY_ID, one float column per indicator key of the scheme. One query (cached: run_cached)."""
    return run_cached(run, "indicators", lambda: _indicators_frame(run=run))


def _indicators_frame(*, run: ScoreRun) -> pd.DataFrame:
    keys = list(run.definition.indicator_keys)
    records = list(CityScore.objects.filter(run=run).values_list("city_id", "indicators"))
    frame = pd.DataFrame.from_records([values or {} for _city, values in records],
                                      index=pd.Index([city for city, _values in records], name=CITY_ID))
    return frame.reindex(columns=keys).astype("float64")


def city_indicators_frame(*, run: ScoreRun, city_id: int, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """The city's value of each indicator and its percentile among all the run's cities (100: no
    city is higher; ties share the mean percentile), best first. Columns: INDICATOR, VALUE,
    PERCENTILE, NATIONAL_MEDIAN. One query (none when `indicators`, indicators_frame(run), is given).

    Percentile = (rank among cities by value, ascending, ties averaged − 1) / (cities − 1) × 100; a
    single city scores 100.
    """
    indicators = indicators_frame(run=run) if indicators is None else indicators
    columns = [INDICATOR, VALUE, PERCENTILE, NATIONAL_MEDIAN]
    if city_id not in indicators.index or indicators.empty:
        return pd.DataFrame(columns=columns)
    count = len(indicators)
    ranks = indicators.rank(method="average")
    percentiles = (ranks - 1.0) / (count - 1.0) * 100.0 if count > 1 else ranks * 0.0 + 100.0
    frame = pd.DataFrame({
        INDICATOR: indicators.columns,
        VALUE: indicators.loc[city_id].to_numpy(dtype="float64"),
        PERCENTILE: percentiles.loc[city_id].to_numpy(dtype="float64"),
        NATIONAL_MEDIAN: indicators.median().to_numpy(dtype="float64"),
    })
    return frame.sort_values([PERCENTILE, INDICATOR], ascending=[False, True], kind="stable").reset_index(drop=True)


def strengths_and_weaknesses(city_indicators: pd.DataFrame, *, count: int = STRENGTHS) -> tuple[pd.DataFrame,
                                                                                                pd.DataFrame]:
    """The rule of 优势 and 待改进, by percentile among all cities (from city_indicators_frame): a
    strength is an indicator in the top third (percentile ≥ STRENGTH_FROM), a weakness one in the bottom
    third (percentile ≤ WEAKNESS_UP_TO); at most `count` of each, strengths best first, weaknesses worst
    first. An indicator in the middle third is neither, so a city can have no strength or no weakness."""
    known = city_indicators.dropna(subset=[PERCENTILE])
    strengths = known[known[PERCENTILE] >= STRENGTH_FROM].head(count)
    weaknesses = known[known[PERCENTILE] <= WEAKNESS_UP_TO].tail(count).iloc[::-1]
    return strengths.reset_index(drop=True), weaknesses.reset_index(drop=True)


def city_history_frame(*, city_id: int, scheme: ScoringScheme, period: Period) -> pd.DataFrame:
    """The city's score and rank in every published run of `scheme` whose period is of the same kind
    and length as `period` (months with months …), oldest first. One query.

    Columns: RUN_ID, PERIOD (label), PERIOD_START, PERIOD_END, SCORE, RANK, RANK_CHANGE, RANK_P05,
    RANK_P95, and CITIES (how many cities that run ranked).
    """
    # Through the scheme's published run ids: the unique (run, city) index then finds each row.
    runs = ScoreRun.objects.filter(scheme=scheme, is_published=True).values("id")
    rows = (CityScore.objects.filter(run_id__in=runs, city_id=city_id)
            .order_by("run__period_start", "run__period_end")
            .values_list("run_id", "run__period_start", "run__period_end", "score", "rank", "rank_change",
                         "rank_p05", "rank_p95", "run__cities_scored"))
    records = [row for row in rows if Period(row[1], row[2]).is_like(period)]
    frame = pd.DataFrame.from_records(
        records, columns=[RUN_ID, PERIOD_START, PERIOD_END, SCORE, RANK, RANK_CHANGE, RANK_P05, RANK_P95, "cities"])
    frame.insert(1, PERIOD, [Period(start, end).label for start, end in zip(frame[PERIOD_START], frame[PERIOD_END],
                                                                            strict=True)])
    for column in (SCORE, RANK_CHANGE, RANK_P05, RANK_P95):
        frame[column] = frame[column].astype("float64")
    return frame


def similar_cities_frame(*, ranking: pd.DataFrame, city_id: int, limit: int = SIMILAR_CITIES) -> pd.DataFrame:
    """The `limit` cities of the same administrative level whose score is nearest the city's (ties:
    the better rank, then the name), nearest first; rows of `ranking` (city_ranking_frame) plus
    "distance" (absolute score difference). Falls back to every level when the city's level has no
    other city. No query."""
    city = ranking.loc[ranking[CITY_ID] == city_id]
    if city.empty:
        return ranking.head(0).assign(distance=pd.Series(dtype="float64"))
    others = ranking[ranking[CITY_ID] != city_id]
    same_level = others[others[LEVEL] == city[LEVEL].iloc[0]]
    pool = same_level if len(same_level) else others
    pool = pool.assign(distance=(pool[SCORE] - city[SCORE].iloc[0]).abs())
    return pool.sort_values(["distance", RANK, CITY], kind="stable").head(limit).reset_index(drop=True)


def city_accounts_frame(*, run: ScoreRun, city_id: int) -> pd.DataFrame:
    """The city's scored accounts, see _city_accounts_frame (cached for a published run: run_cached)."""
    return run_cached(run, f"accounts:{city_id}", lambda: _city_accounts_frame(run=run, city_id=city_id))


def _city_accounts_frame(*, run: ScoreRun, city_id: int) -> pd.DataFrame:
    """The city's scored accounts: account_id, screen_name, category, composite, rank_in_category,
    category_accounts (how many accounts the run ranked in that category), the flags empty_shell,
    inactive (None: unknown), broadcast_only, reply_rate (NaN: no comments). By category (declared
    order), then rank. Two queries."""
    fields = ["account_id", "account__screen_name", "category", "composite", "rank_in_category",
              "empty_shell", "inactive", "broadcast_only", "reply_rate"]
    # Through the city's accounts (GovAccount's city index, then the unique (run, account) index): the
    # account scores have no index on their city, and a run has 180,000 of them nationally. The scored
    # city must match too; an account re-filed to another city since the run drops out of the list.
    records = list(AccountScore.objects.filter(run=run, account__city_id=city_id, city_id=city_id)
                   .values_list(*fields))
    accounts = pd.DataFrame.from_records(records, columns=fields).rename(
        columns={"account__screen_name": "screen_name"})
    sizes = category_sizes(run=run, categories=set(accounts["category"]))
    accounts["category_accounts"] = accounts["category"].map(sizes).astype("Int64")
    accounts["reply_rate"] = accounts["reply_rate"].astype("float64")
    order = {value: index for index, value in enumerate(GovAccount.Category.values)}
    accounts["_order"] = accounts["category"].map(order)
    return (accounts.sort_values(["_order", "rank_in_category", "screen_name"], kind="stable")
            .drop(columns="_order").reset_index(drop=True))


def category_sizes(*, run: ScoreRun, categories: set[str] | None = None) -> dict[str, int]:
    """{category: number of accounts the run ranked in it} (only `categories` when given). One query,
    none for a published run read before (run_cached)."""
    if run.is_published:
        sizes = run_cached(run, "category_sizes", lambda: _category_sizes(run=run))
        return sizes if categories is None else {key: value for key, value in sizes.items() if key in categories}
    return _category_sizes(run=run, categories=categories)


def category_sizes_of_runs(runs: list[ScoreRun]) -> dict[tuple[int, str], int]:
    """{(run id, category): accounts ranked} for several runs (an account's history): each published
    run's sizes from the cache (category_sizes keeps them there), the others counted in one query
    (and kept for published runs). At most one query and one cache read, whatever the number of runs."""
    keys = {run.pk: _run_key(run, "category_sizes") for run in runs}
    kept = cache.get_many([key for key in keys.values() if key])
    sizes = {run_id: kept[key] for run_id, key in keys.items() if key in kept}
    missing = [run_id for run_id in keys if run_id not in sizes]
    if missing:
        counted: dict[int, dict[str, int]] = {run_id: {} for run_id in missing}
        rows = (AccountScore.objects.filter(run_id__in=missing).order_by().values_list("run_id", "category")
                .annotate(n=Count("id")))
        for run_id, category, count in rows:
            counted[run_id][category] = count
        cache.set_many({keys[run_id]: value for run_id, value in counted.items() if keys[run_id]}, CACHE_SECONDS)
        sizes |= counted
    return {(run_id, category): count for run_id, by_category in sizes.items() for category, count in by_category.items()}


def _category_sizes(*, run: ScoreRun, categories: set[str] | None = None) -> dict[str, int]:
    rows = AccountScore.objects.filter(run=run)
    if categories is not None:
        rows = rows.filter(category__in=categories)
    return dict(rows.order_by().values_list("category")
                .annotate(n=Count("id")).values_list("category", "n"))


@dataclass(frozen=True)
class CityBreakdown:
    """Everything the city page (and the API's city breakdown) shows for one city in one run."""

    run: ScoreRun
    city_id: int
    row: pd.Series  # the city's row of `ranking`
    ranking: pd.DataFrame  # city_ranking_frame of the whole run
    categories: pd.DataFrame  # city_categories_frame
    indicators: pd.DataFrame  # city_indicators_frame
    strengths: pd.DataFrame
    weaknesses: pd.DataFrame
    history: pd.DataFrame  # city_history_frame
    similar: pd.DataFrame  # similar_cities_frame
    accounts: pd.DataFrame  # city_accounts_frame


def city_breakdown_get(*, run: ScoreRun, city_id: int) -> CityBreakdown | None:
    """The city's breakdown in the run, or None if the run did not rank it. Six queries."""
    ranking = city_ranking_frame(run=run)
    rows = ranking.loc[ranking[CITY_ID] == city_id]
    if rows.empty:
        return None
    indicators = city_indicators_frame(run=run, city_id=city_id)
    strengths, weaknesses = strengths_and_weaknesses(indicators)
    return CityBreakdown(
        run=run, city_id=city_id, row=rows.iloc[0], ranking=ranking,
        categories=city_categories_frame(ranking=ranking, run=run, city_id=city_id),
        indicators=indicators, strengths=strengths, weaknesses=weaknesses,
        history=city_history_frame(city_id=city_id, scheme=run.scheme, period=run.period),
        similar=similar_cities_frame(ranking=ranking, city_id=city_id),
        accounts=city_accounts_frame(run=run, city_id=city_id),
    )
