"""The REST API of a run's results: its city ranking and its account ranking, paged, in JSON, CSV or XLSX.

A run's results follow the run's visibility (a draft is a 404 for those who may not see it); a published
run's answers carry its validators and are kept (api.caching).
"""
from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api.caching import published_answer
from api.renderers import ExportableMixin
from api.v1.lookups import RUN_ID, AccountQuerySerializer, CityQuerySerializer, query, run_or_404
from rankings import selectors
from rankings.fields import keyed
from rankings.models import AccountScore, CityScore, ScoreRun

CITY_ROW_EXAMPLE = OpenApiExample("A city's row", response_only=True, value={
    "rank": 1, "city_id": 12, "city": "长沙", "city_en": "Changsha", "province": "湖南", "score": 81.23,
    "previous_rank": 3, "rank_change": 2, "median_rank": 1.0, "rank_p05": 1.0, "rank_p95": 2.0, "accounts": 2,
    "category_scores": {"police": 85.56, "traffic": None, "press": 75.0, "youth": None, "tourism": None,
                        "other": None},
    "indicators": {"fans": 90.13, "activity": 70.0, "spread": 80.56},
})


class CityRankingSerializer(serializers.ModelSerializer):
    city_id = serializers.IntegerField(source="city.id", read_only=True)
    city = serializers.CharField(source="city.name", read_only=True)
    city_en = serializers.CharField(source="city.name_en", read_only=True)
    province = serializers.CharField(source="city.province_id", read_only=True)
    category_scores = serializers.DictField(child=serializers.FloatField(allow_null=True), read_only=True)

    class Meta:
        model = CityScore
        fields = ["rank", "city_id", "city", "city_en", "province", "score", "previous_rank", "rank_change",
                  "median_rank", "rank_p05", "rank_p95", "accounts", "category_scores", "indicators"]


class IndicatorValuesField(serializers.DictField):
    """A row's stored list of indicator values (rankings.fields) as {key: value}, under the keys of its
    run's document (the serializer's context: indicator_keys). NaN and ±infinity, which JSON cannot
    carry, come out as null."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.FloatField(allow_null=True), read_only=True, **kwargs)

    def to_representation(self, value: list[float]) -> dict[str, float | None]:
        return {key: item if math.isfinite(item) else None
                for key, item in keyed(self.context["indicator_keys"], value).items()}


class AccountRankingSerializer(serializers.ModelSerializer):
    account_id = serializers.IntegerField(source="account.id", read_only=True)
    account = serializers.CharField(source="account.screen_name", read_only=True)
    platform = serializers.CharField(source="account.platform", read_only=True)
    city_id = serializers.IntegerField(source="city.id", read_only=True)
    city = serializers.CharField(source="city.name", read_only=True)
    province = serializers.CharField(source="city.province_id", read_only=True)
    score = serializers.FloatField(source="composite", read_only=True)
    normalized = IndicatorValuesField(source="normalized_values", help_text=_("Normalised indicator values"))
    raw = IndicatorValuesField(source="raw_values", help_text=_("Indicator expression values"))

    class Meta:
        model = AccountScore
        fields = ["category", "rank_in_category", "account_id", "account", "platform", "city_id", "city",
                  "province", "score", "normalized", "raw", "empty_shell", "inactive", "broadcast_only",
                  "reply_rate"]


class _RunResultList(ExportableMixin, ListAPIView):
    """A list of a run's rows, answered through api.caching (the run is set before the rows are read)."""

    xlsx = True
    run: ScoreRun

    def _answer(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def build(run: ScoreRun) -> Response:
            self.run = run
            return ListAPIView.get(self, request, *args, **kwargs)

        run_id = self.kwargs["run_id"]
        return published_answer(self, request, names=f"run:{run_id}", build=build,
                                load_run=lambda: run_or_404(run_id, user=request.user))


class RunCityList(_RunResultList):
    """A run's city ranking by rank, with category scores, indicators and rank intervals."""

    queryset = CityScore.objects.none()  # for the schema; rows come from the selector
    serializer_class = CityRankingSerializer
    export_name = "city-ranking"

    @extend_schema(summary=_("City ranking of a run"), parameters=[RUN_ID, CityQuerySerializer],
                   examples=[CITY_ROW_EXAMPLE])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        params = query(CityQuerySerializer, self.request)
        return selectors.city_ranking_list(run=self.run, province=params.get("province"))


class RunAccountList(_RunResultList):
    """A run's accounts by category, then rank in category, with their diagnostic flags."""

    queryset = AccountScore.objects.none()  # for the schema; rows come from the selector
    serializer_class = AccountRankingSerializer
    export_name = "account-ranking"

    @extend_schema(summary=_("Account ranking of a run"), parameters=[RUN_ID, AccountQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(request, *args, **kwargs)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if hasattr(self, "run"):
            context["indicator_keys"] = self.run.definition.indicator_keys
        return context

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        params = query(AccountQuerySerializer, self.request)
        return selectors.account_ranking_list(run=self.run, category=params.get("category"), city=params.get("city"))
