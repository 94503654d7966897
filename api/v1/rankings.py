"""The REST API of schemes, runs and rankings (Django REST framework).

Published results are open to anyone; drafts (runs not published, with their failure reasons) only to
the users rankings.permissions lets see them, and to everyone else a draft is a 404 like a missing run.
Starting and publishing runs needs a signed-in user with the permission “Can start score runs”
(rankings.run_scores). Messages follow the request's Accept-Language (Chinese
by default, English with `Accept-Language: en`). Views validate input, call one selector or service
and serialise the result.
"""
from __future__ import annotations

import hashlib
import math
from typing import Any

from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from accounts.models import GovAccount
from api.caching import published_answer
from api.errors import Conflict, ErrorSerializer
from api.filtering import ChoiceParameter, ProvinceParameter, StrictFilterSet
from api.renderers import ExportableMixin
from core.periods import Period, PeriodError, parse_period
from rankings import selectors, services
from rankings.fields import keyed
from rankings.forms import PeriodFormField
from rankings.models import AccountScore, CityScore, ScoreRun, ScoringScheme
from rankings.permissions import runs_visible_to, user_can_run_scores, user_can_see_run


class CanRunScoresOrReadOnly(permissions.BasePermission):
    """Anyone may read; writing needs a signed-in user with rankings.run_scores."""

    message = _("You need the permission “Can start score runs” to do this.")

    def has_permission(self, request: Request, view: object) -> bool:
        return request.method in permissions.SAFE_METHODS or user_can_run_scores(request.user)


# The URL pattern <int:run_id> matches digits only: a negative id is not an API URL.
RUN_ID = OpenApiParameter("run_id", {"type": "integer", "minimum": 0}, OpenApiParameter.PATH)


CITY_ROW_EXAMPLE = OpenApiExample("A city's row", response_only=True, value={
    "rank": 1, "city_id": 12, "city": "长沙", "city_en": "Changsha", "province": "湖南", "score": 81.23,
    "previous_rank": 3, "rank_change": 2, "median_rank": 1.0, "rank_p05": 1.0, "rank_p95": 2.0, "accounts": 2,
    "category_scores": {"police": 85.56, "traffic": None, "press": 75.0, "youth": None, "tourism": None,
                        "other": None},
    "indicators": {"fans": 90.13, "activity": 70.0, "spread": 80.56},
})
RANKING_EXAMPLE = OpenApiExample("The latest published city ranking", response_only=True, value={
    "count": 1, "next": None, "previous": None, "level": "city",
    "run": {"id": 7, "scheme": "shifan-2012", "period": "2012-03", "status": "succeeded", "is_published": True},
    "results": [CITY_ROW_EXAMPLE.value],
})


# --- fields and serializers ----------------------------------------------------------------------------
@extend_schema_field(OpenApiTypes.STR)
class PeriodField(serializers.Field):
    """A period as text (2012-03, 2012-Q1, 2012, 2012-W05, 2012-01-01/2012-01-15)."""

    def to_internal_value(self, data: object) -> Period:
        try:
            return parse_period(data)
        except PeriodError as error:
            raise serializers.ValidationError(str(error)) from None

    def to_representation(self, value: Period) -> str:
        return value.label


class SchemeSerializer(serializers.ModelSerializer):
    name_en = serializers.SerializerMethodField()
    indicator_weights = serializers.SerializerMethodField(help_text=_("The manual weight of each indicator."))
    category_weights = serializers.SerializerMethodField()

    class Meta:
        model = ScoringScheme
        fields = ["slug", "name", "name_en", "version", "is_default", "builtin", "indicator_weights",
                  "category_weights", "updated_at"]

    def get_name_en(self, scheme: ScoringScheme) -> str:
        return scheme.definition.name_en or ""

    def get_indicator_weights(self, scheme: ScoringScheme) -> dict[str, float]:
        return scheme.definition.manual_weights

    def get_category_weights(self, scheme: ScoringScheme) -> dict[str, float] | None:
        return scheme.definition.category_weights


class SchemeDetailSerializer(SchemeSerializer):
    class Meta(SchemeSerializer.Meta):
        fields = [*SchemeSerializer.Meta.fields, "document"]


class SchemeVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    current = serializers.BooleanField(help_text=_("The scheme's version today"))
    runs = serializers.IntegerField(help_text=_("Runs that used this version (visible to you)"))
    first_run_at = serializers.DateTimeField(allow_null=True)
    last_run_at = serializers.DateTimeField(allow_null=True)
    document = serializers.JSONField(help_text=_("The scheme document of this version"))


class RunSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    period = serializers.CharField(source="period_label", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True,
                                              help_text=_("null for runs started by a command"))
    links = serializers.SerializerMethodField()

    class Meta:
        model = ScoreRun
        fields = [
            "id", "scheme", "scheme_version", "period", "period_start", "period_end", "status", "stage",
            "progress", "publish", "is_published", "published_at", "uncertainty_draws", "uncertainty_seed",
            "created_at", "created_by", "started_at", "finished_at", "timings", "input_rows",
            "accounts_scored", "cities_scored", "fingerprint", "weights", "warnings", "error", "links",
        ]

    def get_links(self, run: ScoreRun) -> dict[str, str]:
        request = self.context.get("request")
        paths = {
            "self": reverse("api:run-detail", args=[run.pk]),
            "page": reverse("rankings:run_detail", args=[run.pk]),
            "cities": reverse("api:run-cities", args=[run.pk]),
            "accounts": reverse("api:run-accounts", args=[run.pk]),
        }
        return {name: request.build_absolute_uri(path) if request else path for name, path in paths.items()}


class RunCreateSerializer(serializers.Serializer):
    scheme = serializers.SlugRelatedField(
        slug_field="slug", queryset=ScoringScheme.objects.all(),
        error_messages={"does_not_exist": _("There is no scoring scheme “{value}”.")},
    )
    period = PeriodField(help_text=_("2012-03, 2012-Q1, 2012, 2012-W05 or 2012-01-01/2012-01-15"))
    publish = serializers.BooleanField(default=False)
    draws = serializers.IntegerField(required=False, allow_null=True, min_value=0,
                                     help_text=_("Monte Carlo draws (default: the scheme's)"))
    seed = serializers.IntegerField(required=False, allow_null=True,
                                    help_text=_("Monte Carlo seed (default: the scheme's)"))


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


# --- query parameters ----------------------------------------------------------------------------------
class CityQuerySerializer(serializers.Serializer):
    province = ProvinceParameter(required=False, help_text=_("Only the cities of this province, e.g. 湖南"))


class AccountQuerySerializer(serializers.Serializer):
    category = ChoiceParameter(choices=GovAccount.Category.choices, required=False)
    city = serializers.CharField(required=False, help_text=_("A city id, or a city name (e.g. 长沙)"))


class RankingQuerySerializer(CityQuerySerializer, AccountQuerySerializer):
    scheme = serializers.SlugRelatedField(
        slug_field="slug", queryset=ScoringScheme.objects.all(), required=False,
        error_messages={"does_not_exist": _("There is no scoring scheme “{value}”.")},
        help_text=_("Scheme slug (default: the default scheme)"),
    )
    period = PeriodField(required=False, help_text=_("Period (default: the latest published)"))
    level = ChoiceParameter(choices=[("city", _("cities")), ("account", _("accounts"))], default="city")


@extend_schema_field(OpenApiTypes.STR)
class PeriodFilter(filters.Filter):
    """Runs of exactly that period; the text is parsed as the import's period column is."""

    field_class = PeriodFormField

    def filter(self, runs: Any, value: Period | None) -> Any:
        return runs.for_period(value) if value else runs


class RunFilter(StrictFilterSet):
    scheme = filters.CharFilter(field_name="scheme__slug", label=_("Scheme slug"))
    status = filters.ChoiceFilter(choices=ScoreRun.Status.choices)
    is_published = filters.BooleanFilter()
    period = PeriodFilter(label=_("Period, e.g. 2012-03"))

    class Meta:
        model = ScoreRun
        fields = ["scheme", "status", "is_published", "period"]


def _query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The request's query parameters, validated (400 naming the bad parameter otherwise)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _query_body(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The request's body, validated (400 naming the bad field otherwise)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _run_or_404(run_id: int, *, user: Any) -> ScoreRun:
    """The run, if this user may see it (a draft is a 404 for others, so its id does not leak)."""
    run = selectors.run_get(run_id=run_id)
    if run is None or not user_can_see_run(user, run):
        raise NotFound(_("There is no run #%(id)s.") % {"id": run_id})
    return run


def latest_published_run(request: Request) -> ScoreRun:
    """The published run of ?scheme= (default: the default scheme) and ?period= (default: the latest
    published), or 400 for a bad parameter, 404 when there is none."""
    params = _query(RankingQuerySerializer, request)
    scheme = params.get("scheme") or selectors.scheme_default_get()
    if scheme is None:
        raise NotFound(selectors.NO_DEFAULT_SCHEME)
    run = selectors.run_published_get(scheme=scheme, period=params.get("period"))
    if run is None:
        raise NotFound(selectors.no_published_ranking_message(scheme=scheme, period=params.get("period")))
    return run


def latest_key(request: Request) -> str:
    """What "the latest published" of a request means, as a cache key (its scheme and period as given)."""
    asked = "|".join(request.query_params.get(name, "") for name in ("scheme", "period"))
    return "latest:" + hashlib.sha256(asked.encode()).hexdigest()[:24]


# --- views --------------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary=_("Scoring schemes")),
    retrieve=extend_schema(summary=_("One scoring scheme, with its document")),
)
class SchemeViewSet(ExportableMixin, viewsets.ReadOnlyModelViewSet):
    queryset = ScoringScheme.objects.all()
    lookup_field = "slug"
    serializer_class = SchemeSerializer
    export_name = "schemes"

    @extend_schema(summary=_("The versions of a scheme that runs have used, newest first"),
                   responses=SchemeVersionSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def versions(self, request: Request, slug: str) -> Response:
        """Each version with the runs that used it (the published ones, or every run for those who see
        drafts) and the scheme document as it was; the current version is listed even before any run."""
        scheme = self.get_object()
        runs = runs_visible_to(request.user, selectors.run_list().filter(scheme=scheme))
        used = {row["scheme_version"]: row for row in runs.order_by().values("scheme_version").annotate(
            runs=Count("id"), first_run_at=Min("created_at"), last_run_at=Max("created_at"), latest=Max("id"))}
        documents = dict(ScoreRun.objects.filter(pk__in=[row["latest"] for row in used.values()])
                         .values_list("scheme_version", "document"))
        versions = [{"version": version, "current": version == scheme.version, "runs": row["runs"],
                     "first_run_at": row["first_run_at"], "last_run_at": row["last_run_at"],
                     "document": documents.get(version)} for version, row in used.items()]
        if scheme.version not in used:
            versions.append({"version": scheme.version, "current": True, "runs": 0, "first_run_at": None,
                             "last_run_at": None, "document": scheme.document})
        versions.sort(key=lambda row: row["version"], reverse=True)
        return Response(SchemeVersionSerializer(versions, many=True).data)

    def get_queryset(self):
        return selectors.scheme_list()

    def get_serializer_class(self):
        return SchemeDetailSerializer if self.action == "retrieve" else SchemeSerializer


@extend_schema_view(
    list=extend_schema(summary=_("Score runs, newest first")),
    retrieve=extend_schema(summary=_("One score run: status, stage, progress, weights, warnings")),
)
class RunViewSet(ExportableMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = ScoreRun.objects.all()
    serializer_class = RunSerializer
    filterset_class = RunFilter
    permission_classes = [CanRunScoresOrReadOnly]
    export_name = "runs"

    def get_queryset(self):
        return runs_visible_to(self.request.user, selectors.run_list())

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A published run never changes: ETag and Cache-Control, 304 for a current copy."""
        if not (self.kwargs["pk"].isascii() and self.kwargs["pk"].isdigit()):
            raise NotFound()  # the router's pattern takes any text: it is no run id, nor a cache key
        return published_answer(self, request, key=f"run:{self.kwargs['pk']}"[:64], load_run=self.get_object,
                                build=lambda run: Response(self.get_serializer(run).data))

    @extend_schema(
        summary=_("Start a score run"), request=RunCreateSerializer,
        responses={202: RunSerializer, 400: OpenApiResponse(response=ErrorSerializer, description=_("Invalid input"))},
    )
    def create(self, request: Request) -> Response:
        """Create a pending run and queue it; poll the run's URL for its status and progress."""
        params = _query_body(RunCreateSerializer, request)
        try:
            run = services.score_run_start(
                scheme=params["scheme"], period=params["period"], publish=params["publish"],
                user=request.user, draws=params.get("draws"), seed=params.get("seed"),
            )
        except services.ScoringError as error:
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages}) from None
        run = selectors.run_get(run_id=run.pk)  # without Redis the run has already been computed inline
        data = self.get_serializer(run).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["links"]["self"]})

    @extend_schema(summary=_("Publish a run that succeeded"), request=None, responses={
        200: RunSerializer, 409: OpenApiResponse(response=ErrorSerializer, description=_("The run cannot be published")),
    })
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        run = self.get_object()
        try:
            run = services.score_run_publish(run=run)
        except services.ScoringError as error:
            raise Conflict(str(error)) from None
        return Response(self.get_serializer(selectors.run_get(run_id=run.pk)).data)


class RunCityList(ExportableMixin, ListAPIView):
    """A run's city ranking by rank, with category scores, indicators and rank intervals."""

    queryset = CityScore.objects.none()  # for the schema; rows come from the selector
    serializer_class = CityRankingSerializer
    export_name = "city-ranking"
    xlsx = True

    @extend_schema(summary=_("City ranking of a run"), parameters=[RUN_ID, CityQuerySerializer],
                   examples=[CITY_ROW_EXAMPLE])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def build(run: ScoreRun) -> Response:
            self.run = run
            return super(RunCityList, self).get(request, *args, **kwargs)

        run_id = self.kwargs["run_id"]
        return published_answer(self, request, key=f"run:{run_id}", build=build,
                                load_run=lambda: _run_or_404(run_id, user=request.user))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        params = _query(CityQuerySerializer, self.request)
        return selectors.city_ranking_list(run=self.run, province=params.get("province"))


class RunAccountList(ExportableMixin, ListAPIView):
    """A run's accounts by category, then rank in category, with their diagnostic flags."""

    queryset = AccountScore.objects.none()  # for the schema; rows come from the selector
    serializer_class = AccountRankingSerializer
    export_name = "account-ranking"
    xlsx = True

    @extend_schema(summary=_("Account ranking of a run"), parameters=[RUN_ID, AccountQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def build(run: ScoreRun) -> Response:
            self.run = run
            return super(RunAccountList, self).get(request, *args, **kwargs)

        run_id = self.kwargs["run_id"]
        return published_answer(self, request, key=f"run:{run_id}", build=build,
                                load_run=lambda: _run_or_404(run_id, user=request.user))

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if hasattr(self, "run"):
            context["indicator_keys"] = self.run.definition.indicator_keys
        return context

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        params = _query(AccountQuerySerializer, self.request)
        return selectors.account_ranking_list(run=self.run, category=params.get("category"), city=params.get("city"))


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
        return published_answer(self, request, key=latest_key(request), load_run=lambda: latest_published_run(request),
                                build=lambda run: self._page(run, _query(RankingQuerySerializer, request)),
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
