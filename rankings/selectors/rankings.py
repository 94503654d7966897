"""Reads of a run's results: the city ranking, the account ranking.

Every function issues a fixed number of queries whatever the size of the ranking: a city's category
scores come back in the same query as the city (one correlated subquery per category, served by the
unique (run, city, category) index), never one query per row.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import JSONObject

from accounts.models import GovAccount
from rankings.labels import scheme_name
from rankings.models import AccountScore, CityCategoryScore, CityScore, ScoreRun


def city_ranking_list(*, run: ScoreRun, province: str | None = None) -> QuerySet[CityScore]:
    """The run's cities by rank (ties by city name), each with its city and `category_scores`:
    {category: score, or None where the city has no account of that category}, every category.
    One query however many cities.
    """
    rows = CityScore.objects.filter(run=run).select_related("city").order_by("rank", "city__name", "city_id")
    if province:
        rows = rows.filter(city__province=province)
    return rows.annotate(category_scores=JSONObject(
        **{category: _category_score(category) for category in GovAccount.Category.values}
    ))


@dataclass(frozen=True)
class CityRanking:
    """Rows of a city ranking ready for a table.

    Each row (a CityScore with its city) carries `category_cells`: its category scores in the order of
    `categories`, the categories in which any shown city has a score.
    """

    run: ScoreRun
    scheme_name: str  # the run's scheme name, in the active language
    rows: list[CityScore]
    categories: list[GovAccount.Category]
    has_previous: bool  # some city has a previous rank: rank changes mean something
    has_intervals: bool  # the run has an uncertainty analysis (5-95 % rank intervals)


def city_ranking_get(*, run: ScoreRun, province: str | None = None, limit: int | None = None) -> CityRanking:
    """The city ranking of a run as table rows (the first `limit` ranks when given). One query."""
    rows = city_ranking_list(run=run, province=province)
    rows = list(rows[:limit] if limit is not None else rows)
    categories = [
        category for category in GovAccount.Category
        if any(row.category_scores.get(category.value) is not None for row in rows)
    ]
    for row in rows:
        row.category_cells = [row.category_scores.get(category.value) for category in categories]
    return CityRanking(
        run=run,
        scheme_name=scheme_name(run),
        rows=rows,
        categories=categories,
        has_previous=any(row.previous_rank is not None for row in rows),
        has_intervals=any(row.rank_p05 is not None for row in rows),
    )


def run_provinces(*, run: ScoreRun) -> list[str]:
    """The provinces of the run's ranked cities, sorted, for the province filter. One query."""
    return list(CityScore.objects.filter(run=run).order_by("city__province")
                .values_list("city__province", flat=True).distinct())


def _category_score(category: str) -> Subquery:
    return Subquery(
        CityCategoryScore.objects.filter(run=OuterRef("run"), city=OuterRef("city"), category=category)
        .values("score")[:1]
    )


def account_ranking_list(
    *, run: ScoreRun, category: str | None = None, city: int | str | None = None
) -> QuerySet[AccountScore]:
    """The run's accounts by category (declared order), then rank in category, with account and city.

    `city` is a city id, or a city name (all cities of that name). One query.
    """
    rows = AccountScore.objects.filter(run=run).select_related("account", "city")
    if category:
        rows = rows.filter(category=category)
    if city is not None and city != "":
        if isinstance(city, int) or str(city).isdigit():
            rows = rows.filter(city_id=int(city))
        else:
            rows = rows.filter(city__name=city)
    category_order = Case(
        *[When(category=value, then=Value(index)) for index, value in enumerate(GovAccount.Category.values)],
        output_field=IntegerField(),
    )
    return rows.order_by(category_order, "rank_in_category", "account__screen_name", "id")


city_provinces = run_provinces


def city_ranking_heading(*, run: ScoreRun) -> CityRanking:
    """A run's ranking without its rows: what a page names above a table it reads its own way. No query."""
    return CityRanking(run=run, scheme_name=scheme_name(run), rows=[], categories=[], has_previous=False,
                       has_intervals=False)
