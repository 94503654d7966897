"""Reads of scoring schemes, score runs and their results, for pages, the API and exports.

Every function issues a fixed number of queries whatever the size of the ranking: a city's category
scores come back in the same query as the city (one correlated subquery per category, served by the
unique (run, city, category) index), never one query per row.

Pages show only published runs; a run that is still running, failed or was never published is read
only when its id is asked for (run_get).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import JSONObject
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import GovAccount
from core.periods import Period
from rankings.models import AccountScore, CityCategoryScore, CityScore, ScoreRun, ScoringScheme

# Keys of a scheme document that the method section shows on its own; every other key is shown as
# a setting of the method (aggregation, weighting, outlier treatment … whatever the scheme sets).
DOCUMENT_OWN_KEYS = (
    "slug", "name", "name_en", "description", "description_en", "indicators", "category_weights",
)


# --- schemes ------------------------------------------------------------------------------------------
def scheme_list() -> QuerySet[ScoringScheme]:
    """Every scheme, the default first, then by slug. One query."""
    return ScoringScheme.objects.all()


def scheme_default_get() -> ScoringScheme | None:
    """The default scheme; when none is marked default, the first by slug (None without schemes)."""
    return ScoringScheme.objects.order_by("-is_default", "slug").first()


def scheme_get(*, slug: str) -> ScoringScheme | None:
    return ScoringScheme.objects.filter(slug=slug).first()


# --- runs -----------------------------------------------------------------------------------------------
def run_list() -> QuerySet[ScoreRun]:
    """Runs newest first, with their scheme and who started them (no query per row).

    The Monte Carlo input (a blob only the uncertainty stage reads) is never loaded.
    """
    return (
        ScoreRun.objects.select_related("scheme", "created_by").defer("uncertainty_input")
        .order_by("-created_at", "-id")
    )


def run_get(*, run_id: int) -> ScoreRun | None:
    """Any run by id, published or not (the run page and the API ask for runs by id)."""
    return run_list().filter(pk=run_id).first()


def run_published_get(*, scheme: ScoringScheme, period: Period | None = None) -> ScoreRun | None:
    """The published run of a scheme: for that exact period, or else the latest period's. One query.

    Latest means the greatest period end, then the latest publication (two periods may end on the
    same day: a month and the quarter it closes).
    """
    runs = run_published_list(scheme=scheme)
    if period is not None:
        runs = runs.filter(period_start=period.start, period_end=period.end)
    return runs.first()


def no_published_ranking_message(*, scheme: ScoringScheme, period: Period | None) -> str:
    """Why there is nothing to show, in the active language (the API's 404, the export's error)."""
    if period is None:
        return _("Scheme “%(scheme)s” has no published ranking yet.") % {"scheme": scheme.slug}
    return _("Scheme “%(scheme)s” has no published ranking for %(period)s.") % {
        "scheme": scheme.slug, "period": period.label,
    }


def run_published_list(*, scheme: ScoringScheme) -> QuerySet[ScoreRun]:
    """A scheme's published runs (one per period), latest period first."""
    return (
        ScoreRun.objects.select_related("scheme").defer("uncertainty_input")
        .filter(scheme=scheme, is_published=True)
        .order_by("-period_end", "-published_at", "-id")
    )


def run_periods_published(*, scheme: ScoringScheme) -> list[Period]:
    """The periods a scheme has a published ranking for, latest first. One query."""
    rows = run_published_list(scheme=scheme).values_list("period_start", "period_end")
    return list(dict.fromkeys(Period(start, end) for start, end in rows))


# --- results --------------------------------------------------------------------------------------------
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
        scheme_name=document_label(run.document or {}, key="name", fallback=run.scheme.name),
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


def city_provinces(*, run: ScoreRun) -> list[str]:
    """The provinces of the run's ranked cities, by name. One query."""
    return list(
        CityScore.objects.filter(run=run).order_by("city__province").values_list("city__province", flat=True)
        .distinct()
    )


# --- the method of a run --------------------------------------------------------------------------------
# How the method section names a scheme's settings and their values. A key or value missing here is
# shown as written in the document.
SETTING_LABELS = {
    "group_by_category": gettext_lazy("Indicators normalised within each category"),
    "account_to_city": gettext_lazy("From accounts to a city's category score"),
    "missing_category": gettext_lazy("A city with no account in a category"),
    "aggregation": gettext_lazy("Aggregation of indicators"),
    "weighting": gettext_lazy("Weights"),
    "scale": gettext_lazy("Score multiplier"),
    "custom_metrics": gettext_lazy("Custom metrics"),
}
SETTING_VALUES = {
    ("group_by_category", True): gettext_lazy("yes"),
    ("group_by_category", False): gettext_lazy("no: all accounts together"),
    ("account_to_city", "max"): gettext_lazy("the best account's score"),
    ("account_to_city", "mean"): gettext_lazy("the mean of its accounts' scores"),
    ("account_to_city", "sum"): gettext_lazy("the sum of its accounts' scores"),
    ("account_to_city", "top3_mean"): gettext_lazy("the mean of its best three accounts' scores"),
    ("missing_category", "zero"): gettext_lazy("scores 0 in that category"),
    ("missing_category", "renormalize"): gettext_lazy("is scored on its other categories, their weights rescaled"),
    ("aggregation", "arithmetic"): gettext_lazy("weighted arithmetic mean"),
    ("aggregation", "geometric"): gettext_lazy("weighted geometric mean"),
    ("weighting", "manual"): gettext_lazy("the scheme's own (manual) weights"),
    ("weighting", "entropy"): gettext_lazy("entropy weights computed from the data"),
}
WARNING_REASONS = {
    "division_by_zero": gettext_lazy("division by zero, counted as 0"),
    "invalid_math": gettext_lazy("undefined arithmetic (such as the log of a negative number), counted as 0"),
    "overflow": gettext_lazy("overflow, counted as 0"),
    "missing_value": gettext_lazy("missing value (an optional column left empty), counted as 0"),
}


@dataclass(frozen=True)
class IndicatorMethod:
    key: str
    label: str
    expr: str
    normalize: str
    weight_manual: float | None
    weight_entropy: float | None
    weight_used: float | None


@dataclass(frozen=True)
class CategoryWeight:
    category: str
    label: str
    weight: float


@dataclass(frozen=True)
class RunWarning:
    code: str  # "<indicator key>:<reason>" as the scoring engine counts them
    indicator: str  # the indicator's label ("" when the code names none)
    reason: str  # translated
    count: int  # rows affected


@dataclass(frozen=True)
class RunMethod:
    """How a run scored: read from the run's frozen scheme document and its recorded weights."""

    scheme_name: str
    description: str
    indicators: list[IndicatorMethod]
    category_weights: list[CategoryWeight]
    settings: list[tuple[str, str]] = field(default_factory=list)  # (label, value), translated
    uncertainty: str = ""  # the Monte Carlo settings as one sentence; "" when the run has none
    warnings: list[RunWarning] = field(default_factory=list)


def run_method_get(*, run: ScoreRun) -> RunMethod:
    """The run's method in the active language. No query (reads the run's own JSON fields)."""
    document = run.document or {}
    weights = run.weights or {}
    indicators = [
        IndicatorMethod(
            key=item.get("key", ""),
            label=document_label(item, fallback=item.get("key", "")),
            expr=str(item.get("expr", "")),
            normalize=_describe(item.get("normalize", "")),
            weight_manual=weights.get(item.get("key"), {}).get("manual", item.get("weight")),
            weight_entropy=weights.get(item.get("key"), {}).get("entropy"),
            weight_used=weights.get(item.get("key"), {}).get("used"),
        )
        for item in document.get("indicators", [])
    ]
    labels = dict(GovAccount.Category.choices)
    category_weights = [
        CategoryWeight(category=key, label=str(labels.get(key, key)), weight=weight)
        for key, weight in (document.get("category_weights") or {}).items()
    ]
    return RunMethod(
        scheme_name=document_label(document, key="name", fallback=run.scheme.name),
        description=document_label(document, key="description"),
        indicators=indicators,
        category_weights=category_weights,
        settings=[
            (str(SETTING_LABELS.get(key, key)), _setting_value(key, value))
            for key, value in document.items()
            if key not in DOCUMENT_OWN_KEYS and key != "uncertainty" and value not in ([], None, "")
        ],
        uncertainty=_uncertainty_text(run),
        warnings=_warnings(run, names={item.key: item.label for item in indicators}),
    )


def _setting_value(key: str, value: Any) -> str:
    if isinstance(value, (str, bool, int)) and (key, value) in SETTING_VALUES:
        return str(SETTING_VALUES[(key, value)])
    return _describe(value)


def _uncertainty_text(run: ScoreRun) -> str:
    if not run.uncertainty_draws:
        return ""
    settings = (run.document or {}).get("uncertainty") or {}
    text = _(
        "%(draws)s Monte Carlo draws (seed %(seed)s): each draw varies every weight by up to ±%(spread)s%%"
    )
    text = text % {"draws": f"{run.uncertainty_draws:,}", "seed": run.uncertainty_seed,
                   "spread": f"{100 * float(settings.get('spread', 0.25)):g}"}
    if settings.get("normalizations"):
        text += _("; and normalises each indicator by its own method or one of: %(methods)s") % {
            "methods": ", ".join(settings["normalizations"]),
        }
    return text


def _warnings(run: ScoreRun, *, names: dict[str, str]) -> list[RunWarning]:
    warnings = []
    for code, count in sorted((run.warnings or {}).items()):
        key, _sep, reason = code.rpartition(":")
        warnings.append(RunWarning(code=code, indicator=names.get(key, key), count=int(count),
                                   reason=str(WARNING_REASONS.get(reason, reason))))
    return warnings


def document_label(item: dict[str, Any], *, key: str = "label", fallback: str = "") -> str:
    """A scheme document's text in the active language: `label_en` in English, `label` otherwise."""
    if (get_language() or "").startswith("en") and item.get(f"{key}_en"):
        return str(item[f"{key}_en"])
    return str(item.get(key) or fallback)


def indicator_labels(*, run: ScoreRun) -> dict[str, str]:
    """{indicator key: label in the active language}, in the scheme's order."""
    return {
        item["key"]: document_label(item, fallback=item["key"])
        for item in (run.document or {}).get("indicators", [])
        if "key" in item
    }


def _describe(value: Any) -> str:
    """A document value as one line: dicts as `key: value` pairs, lists comma-separated."""
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_describe(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(_describe(item) for item in value)
    return str(value)


# --- the home page --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HomeRanking:
    """What the home page's ranking panel shows: the choices of its form and the chosen ranking."""

    schemes: list[ScoringScheme]
    scheme: ScoringScheme | None
    periods: list[Period]
    period: Period | None  # the chosen period; None means the latest
    ranking: CityRanking | None  # None: no published ranking for that choice


def home_ranking_get(*, scheme_slug: str = "", period_label: str = "", limit: int) -> HomeRanking:
    """The published ranking of the chosen scheme (default: the default scheme) and period (default:
    the latest), top `limit` cities. An unknown scheme or period falls back to the default.

    One query without schemes, three with: the schemes, the scheme's published runs, the rows.
    """
    schemes = list(scheme_list())
    scheme = next((item for item in schemes if item.slug == scheme_slug), schemes[0] if schemes else None)
    if scheme is None:
        return HomeRanking(schemes=[], scheme=None, periods=[], period=None, ranking=None)
    runs = list(run_published_list(scheme=scheme))
    periods = list(dict.fromkeys(Period(run.period_start, run.period_end) for run in runs))
    period = next((item for item in periods if item.label == period_label), None)
    run = next((item for item in runs if period in (None, Period(item.period_start, item.period_end))), None)
    return HomeRanking(
        schemes=schemes, scheme=scheme, periods=periods, period=period,
        ranking=city_ranking_get(run=run, limit=limit) if run else None,
    )
