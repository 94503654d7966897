"""The REST API of the published ranking: /ranking/, the rows of the published run a request's ?scheme=
and ?period= name (rankings.selectors.resolution.run_resolve, through api.v1.lookups), with that run."""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api.caching import published_answer
from api.errors import ErrorSerializer
from api.renderers import ExportableMixin
from api.v1.lookups import RankingQuerySerializer, latest_names, latest_published_run, query
from api.v1.results import CITY_ROW_EXAMPLE, AccountRankingSerializer, CityRankingSerializer
from api.v1.runs import RunSerializer
from rankings import selectors
from rankings.models import CityScore, ScoreRun

RANKING_EXAMPLE = OpenApiExample("The latest published city ranking", response_only=True, value={
    "count": 1, "next": None, "previous": None, "level": "city",
    "run": {"id": 7, "scheme": "shifan-2012", "period": "2012-03", "status": "succeeded", "is_published": True},
    "results": [CITY_ROW_EXAMPLE.value],
})


class _RankingPageSerializer(serializers.Serializer):
    """A page of /ranking/'s rows with the run they come from (for the schema)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    run = RunSerializer()


class CityRankingPageSerializer(_RankingPageSerializer):
    level = serializers.ChoiceField(choices=["city"])
    results = CityRankingSerializer(many=True)


class AccountRankingPageSerializer(_RankingPageSerializer):
    level = serializers.ChoiceField(choices=["account"])
    results = AccountRankingSerializer(many=True)


class RankingView(ExportableMixin, GenericAPIView):
    """The published ranking of a scheme (default: the default scheme) and period (default: the latest).

    The response is a page of rows (cities or accounts, as `level` says) with the run they come from.
    404 when that scheme has no published ranking for that period.
    """

    queryset = CityScore.objects.none()  # for the schema; rows come from the selectors
    export_name = "ranking"
    xlsx = True

    @extend_schema(summary=_("The published ranking"), parameters=[RankingQuerySerializer], examples=[
        RANKING_EXAMPLE], responses={
        200: PolymorphicProxySerializer(
            component_name="RankingPage", resource_type_field_name="level",
            serializers={"city": CityRankingPageSerializer, "account": AccountRankingPageSerializer}),
        404: OpenApiResponse(response=ErrorSerializer,
                             description=_("No published ranking for that scheme and period, or no such page")),
    })
    def get(self, request: Request) -> Response:
        return published_answer(self, request, names=latest_names(request), load_run=lambda: latest_published_run(request),
                                build=lambda run: self._page(run, query(RankingQuerySerializer, request)),
                                latest=True)

    def _page(self, run: ScoreRun, params: dict[str, Any]) -> Response:
        if params["level"] == "account":
            rows = selectors.account_ranking_list(run=run, category=params.get("category"),
                                                  city=params.get("city"))
            serializer_class: type[serializers.Serializer] = AccountRankingSerializer
        else:
            rows = selectors.city_ranking_list(run=run, province=params.get("province"))
            serializer_class = CityRankingSerializer
        page = self.paginate_queryset(rows)
        context = {"indicator_keys": run.definition.indicator_keys}
        response = self.get_paginated_response(serializer_class(page, many=True, context=context).data)
        response.data["run"] = RunSerializer(run, context=self.get_serializer_context()).data
        response.data["level"] = params["level"]
        return response
