"""One city's breakdown in a run, a category's leaderboard of accounts, one account's history.

Built on the page's selectors (rankings/selectors/cities.py and accounts.py), which return DataFrames;
the views turn their rows into JSON (NaN → null). A run's results follow the run's visibility (drafts
are a 404 for those who may not see them) and a published run's answers carry an ETag. An account's
history lists published runs only, for everyone.
"""
from __future__ import annotations

import datetime
import math
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import GovAccount
from api.caching import published_answer
from api.filtering import ProvinceParameter
from api.renderers import ExportableMixin
from api.v1.lookups import RUN_ID, latest_names, latest_published_run, query, run_or_404
from rankings.models import ScoreRun
from rankings.selectors import accounts as account_selectors
from rankings.selectors import cities as city_selectors
from rankings.selectors.resolution import run_resolve


def _plain(value: Any) -> Any:
    """A DataFrame cell as JSON: NaN/NA/NaT → None, numpy numbers → Python, dates → ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, (datetime.date, pd.Timestamp)):
        return value.isoformat()[:10]
    return value


def _records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    columns = columns or list(frame.columns)
    return [{column: _plain(value) for column, value in zip(columns, row, strict=True)}
            for row in frame[columns].itertuples(index=False, name=None)]


# --- serializers (they document the answers; the views build plain dictionaries) ------------------------
class RunBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    scheme = serializers.CharField()
    period = serializers.CharField()
    is_published = serializers.BooleanField()


def _run_brief(run: ScoreRun) -> dict[str, Any]:
    return {"id": run.pk, "scheme": run.scheme.slug, "period": run.period_label, "is_published": run.is_published}


class CityCategorySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=GovAccount.Category.choices)
    score = serializers.FloatField(allow_null=True)
    national_median = serializers.FloatField(allow_null=True)
    province_median = serializers.FloatField(allow_null=True)


class CityIndicatorSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    percentile = serializers.FloatField(allow_null=True, help_text=_("100: no city is higher"))
    national_median = serializers.FloatField(allow_null=True)


class CityAccountSerializer(serializers.Serializer):
    account_id = serializers.IntegerField()
    screen_name = serializers.CharField()
    category = serializers.CharField()
    composite = serializers.FloatField(allow_null=True)
    rank_in_category = serializers.IntegerField()
    category_accounts = serializers.IntegerField(allow_null=True)
    empty_shell = serializers.BooleanField()
    inactive = serializers.BooleanField(allow_null=True)
    broadcast_only = serializers.BooleanField()
    reply_rate = serializers.FloatField(allow_null=True)


class CityHistorySerializer(serializers.Serializer):
    run_id = serializers.IntegerField()
    period = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    score = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField()
    rank_change = serializers.FloatField(allow_null=True)
    rank_p05 = serializers.FloatField(allow_null=True)
    rank_p95 = serializers.FloatField(allow_null=True)
    cities = serializers.IntegerField(allow_null=True)


class SimilarCitySerializer(serializers.Serializer):
    city_id = serializers.IntegerField()
    city = serializers.CharField()
    province = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField()
    distance = serializers.FloatField(allow_null=True)


class CityBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    province = serializers.CharField()
    level = serializers.CharField()


class RankIntervalSerializer(serializers.Serializer):
    median = serializers.FloatField(allow_null=True)
    p05 = serializers.FloatField(allow_null=True)
    p95 = serializers.FloatField(allow_null=True)


class CityBreakdownSerializer(serializers.Serializer):
    run = RunBriefSerializer()
    city = CityBriefSerializer()
    rank = serializers.IntegerField()
    cities = serializers.IntegerField(help_text=_("How many cities the run ranked"))
    score = serializers.FloatField(allow_null=True)
    previous_rank = serializers.FloatField(allow_null=True)
    rank_change = serializers.FloatField(allow_null=True)
    is_new = serializers.BooleanField(help_text=_("Not in the previous ranking"))
    rank_interval = RankIntervalSerializer(help_text=_("Median, 5th and 95th percentile ranks of the uncertainty analysis"))
    accounts = serializers.IntegerField()
    categories = CityCategorySerializer(many=True)
    indicators = CityIndicatorSerializer(many=True, help_text=_("Best percentile first"))
    strengths = serializers.ListField(child=serializers.CharField(), help_text=_("Indicators, best first"))
    weaknesses = serializers.ListField(child=serializers.CharField(), help_text=_("Indicators, worst first"))
    flagged_accounts = CityAccountSerializer(many=True, help_text=_("The city's scored accounts with their flags"))
    history = CityHistorySerializer(many=True, help_text=_("Published runs of the scheme for like periods"))
    similar = SimilarCitySerializer(many=True)


BREAKDOWN_EXAMPLE = OpenApiExample("长沙 in the March 2012 ranking", response_only=True, value={
    "run": {"id": 7, "scheme": "shifan-2012", "period": "2012-03", "is_published": True},
    "city": {"id": 12, "name": "长沙", "name_en": "Changsha", "province": "湖南", "level": "sub_provincial"},
    "rank": 1, "cities": 3, "score": 81.23, "previous_rank": 3.0, "rank_change": 2.0, "is_new": False,
    "rank_interval": {"median": 1.0, "p05": 1.0, "p95": 2.0}, "accounts": 2,
    "categories": [{"category": "police", "score": 85.56, "national_median": 0.0, "province_median": 42.78}],
    "indicators": [{"indicator": "fans", "value": 90.13, "percentile": 100.0, "national_median": 50.0}],
    "strengths": ["fans"], "weaknesses": ["activity"],
    "flagged_accounts": [{"account_id": 3, "screen_name": "长沙警事", "category": "police", "composite": 85.56,
                          "rank_in_category": 1, "category_accounts": 2, "empty_shell": False, "inactive": False,
                          "broadcast_only": False, "reply_rate": 0.12}],
    "history": [{"run_id": 7, "period": "2012-03", "period_start": "2012-03-01", "period_end": "2012-03-31",
                 "score": 81.23, "rank": 1, "rank_change": 2.0, "rank_p05": 1.0, "rank_p95": 2.0, "cities": 3}],
    "similar": [{"city_id": 13, "city": "株洲", "province": "湖南", "score": 64.5, "rank": 2, "distance": 16.73}],
})


def city_breakdown_data(run: ScoreRun, city_id: int) -> dict[str, Any]:
    breakdown = city_selectors.city_breakdown_get(run=run, city_id=city_id)
    if breakdown is None:
        raise NotFound(_("Run #%(run)s did not rank city #%(city)s.") % {"run": run.pk, "city": city_id})
    row = {column: _plain(value) for column, value in breakdown.row.items()}
    indicators = _records(breakdown.indicators)
    return {
        "run": _run_brief(run),
        "city": {"id": row["city_id"], "name": row["city"], "name_en": row["city_en"] or "",
                 "province": row["province"], "level": row["level"]},
        "rank": row["rank"], "cities": len(breakdown.ranking), "score": row["score"],
        "previous_rank": row["previous_rank"], "rank_change": row["rank_change"], "is_new": bool(row["is_new"]),
        "rank_interval": {"median": row["median_rank"], "p05": row["rank_p05"], "p95": row["rank_p95"]},
        "accounts": row["accounts"],
        "categories": _records(breakdown.categories),
        "indicators": indicators,
        "strengths": list(breakdown.strengths[city_selectors.INDICATOR]),
        "weaknesses": list(breakdown.weaknesses[city_selectors.INDICATOR]),
        "flagged_accounts": _records(breakdown.accounts, [field for field in CityAccountSerializer().fields]),
        "history": _records(breakdown.history),
        "similar": _records(breakdown.similar, ["city_id", "city", "province", "score", "rank", "distance"]),
    }


class RunCityBreakdown(GenericAPIView):
    """One city in a run: its rank and interval, categories against the medians, indicators as
    percentiles, strengths and weaknesses, its accounts with their flags, its history, similar cities."""

    serializer_class = CityBreakdownSerializer
    queryset = ScoreRun.objects.none()

    @extend_schema(summary=_("A city's breakdown in a run"), examples=[BREAKDOWN_EXAMPLE], parameters=[
        RUN_ID, OpenApiParameter("city_id", {"type": "integer", "minimum": 0}, OpenApiParameter.PATH)])
    def get(self, request: Request, run_id: int, city_id: int) -> Response:
        return published_answer(self, request, names=f"run:{run_id}", load_run=lambda: run_or_404(run_id, user=request.user),
                                build=lambda run: Response(city_breakdown_data(run, city_id)))


class RankingQuery(serializers.Serializer):
    scheme = serializers.SlugField(required=False, help_text=_("Scheme slug (default: the default scheme)"))
    period = serializers.CharField(required=False, help_text=_("Period (default: the latest published)"))


class RankingCityBreakdown(GenericAPIView):
    """One city in the published ranking (as /ranking/ chooses it: ?scheme=, ?period=)."""

    serializer_class = CityBreakdownSerializer
    queryset = ScoreRun.objects.none()

    @extend_schema(summary=_("A city's breakdown in the published ranking"), examples=[BREAKDOWN_EXAMPLE],
                   parameters=[RankingQuery,
                               OpenApiParameter("city_id", {"type": "integer", "minimum": 0}, OpenApiParameter.PATH)])
    def get(self, request: Request, city_id: int) -> Response:
        return published_answer(self, request, names=latest_names(request), load_run=lambda: latest_published_run(request),
                                build=lambda run: Response(city_breakdown_data(run, city_id)), latest=True)


# --- leaderboards ----------------------------------------------------------------------------------------
class LeaderboardRowSerializer(serializers.Serializer):
    rank_in_category = serializers.IntegerField(help_text=_("National rank, kept when a province is chosen"))
    account_id = serializers.IntegerField()
    screen_name = serializers.CharField()
    city_id = serializers.IntegerField()
    city = serializers.CharField()
    city_en = serializers.CharField()
    province = serializers.CharField()
    composite = serializers.FloatField(allow_null=True)
    empty_shell = serializers.BooleanField()
    inactive = serializers.BooleanField(allow_null=True)
    broadcast_only = serializers.BooleanField()
    reply_rate = serializers.FloatField(allow_null=True)
    indicators = serializers.DictField(child=serializers.FloatField(allow_null=True),
                                       help_text=_("Normalised indicator values by key"))


class LeaderboardQuery(serializers.Serializer):
    province = ProvinceParameter(required=False, help_text=_("Only the accounts of this province"))


class RunLeaderboard(ExportableMixin, GenericAPIView):
    """A category's accounts in a run by rank in category (national ranks), with normalised indicators
    and flags. Paged; CSV and XLSX like every list."""

    serializer_class = LeaderboardRowSerializer
    queryset = ScoreRun.objects.none()
    export_name = "leaderboard"
    xlsx = True

    @extend_schema(summary=_("A category's leaderboard of accounts in a run"), parameters=[
        RUN_ID, OpenApiParameter("category", str, OpenApiParameter.PATH, enum=GovAccount.Category.values),
        LeaderboardQuery], responses=LeaderboardRowSerializer(many=True))  # a page of rows, as the answer is
    def get(self, request: Request, run_id: int, category: str) -> Response:
        if category not in GovAccount.Category.values:
            raise NotFound(_("There is no category “%(category)s”.") % {"category": category[:50]})
        return published_answer(
            self, request, names=f"run:{run_id}", load_run=lambda: run_or_404(run_id, user=request.user),
            build=lambda run: self._page(run, category, query(LeaderboardQuery, request).get("province")))

    def _page(self, run: ScoreRun, category: str, province: str | None) -> Response:
        frame = account_selectors.category_leaderboard_frame(run=run, category=category, province=province)
        keys = [column for column in frame.columns if column not in account_selectors.LEADERBOARD_COLUMNS]
        rows = []
        for record in _records(frame):
            row = {field: record[field] for field in LeaderboardRowSerializer().fields if field != "indicators"}
            row["indicators"] = {key: record[key] for key in keys}
            rows.append(row)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(page)


# --- an account's history --------------------------------------------------------------------------------
class AccountHistoryRowSerializer(serializers.Serializer):
    run_id = serializers.IntegerField()
    period = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    composite = serializers.FloatField(allow_null=True)
    rank_in_category = serializers.IntegerField()
    category_accounts = serializers.IntegerField(allow_null=True)
    raw = serializers.DictField(child=serializers.FloatField(allow_null=True), help_text=_("Raw indicator values"))
    normalized = serializers.DictField(child=serializers.FloatField(allow_null=True))
    empty_shell = serializers.BooleanField()
    inactive = serializers.BooleanField(allow_null=True)
    broadcast_only = serializers.BooleanField()
    reply_rate = serializers.FloatField(allow_null=True)


class AccountHistorySerializer(serializers.Serializer):
    account = serializers.DictField(help_text=_("id, screen_name, category, city_id, city, province"))
    scheme = serializers.CharField()
    results = AccountHistoryRowSerializer(many=True)


class AccountHistoryQuery(serializers.Serializer):
    scheme = serializers.SlugField(required=False, help_text=_("Scheme slug (default: the default scheme)"))


class AccountHistory(ExportableMixin, GenericAPIView):
    """An account's score and rank in category in every published run of a scheme, oldest first. Its
    metrics per period are at /api/v1/snapshots/?account=<id>."""

    serializer_class = AccountHistorySerializer
    queryset = ScoreRun.objects.none()
    export_name = "account-history"
    pagination_class = None

    @extend_schema(summary=_("An account's history in the published rankings"), parameters=[
        OpenApiParameter("account_id", {"type": "integer", "minimum": 0}, OpenApiParameter.PATH), AccountHistoryQuery])
    def get(self, request: Request, account_id: int) -> Response:
        slug = query(AccountHistoryQuery, request).get("scheme")
        choice = run_resolve(params={"scheme": slug or ""}, user=request.user, fallback=False)
        scheme = choice.scheme
        if scheme is None or "scheme" in choice.invalid:  # an unknown scheme, or no default scheme
            raise NotFound(choice.invalid.get("scheme") or choice.missing_message)
        account = account_selectors.account_get(account_id=account_id)
        if account is None:
            raise NotFound()
        frame = account_selectors.account_history_frame(account_id=account_id, scheme=scheme)
        fixed = [*account_selectors.HISTORY_COLUMNS, *account_selectors.FLAG_COLUMNS]
        raw_keys = [column for column in frame.columns if column.startswith("raw__")]
        normalized_keys = [column for column in frame.columns if column not in fixed and column not in raw_keys]
        rows = []
        for record in _records(frame):
            row = {column: record[column] for column in fixed}
            row["raw"] = {key.removeprefix("raw__"): record[key] for key in raw_keys}
            row["normalized"] = {key: record[key] for key in normalized_keys}
            rows.append(row)
        return Response({
            "account": {"id": account.pk, "screen_name": account.screen_name, "category": account.category,
                        "city_id": account.city_id, "city": account.city.name, "province": account.city.province_id},
            "scheme": scheme.slug, "results": rows,
        })
