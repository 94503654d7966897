"""The REST API of score runs: the list (filtered), one run, starting a run and publishing one.

Published runs are open to anyone; drafts (runs not published, with their failure reasons) only to the
users rankings.selectors.visibility lets see them, and to everyone else a draft is a 404 like a missing
run. Starting and publishing runs needs a signed-in user with the permission “Can start score runs”
(rankings.run_scores). A service's refusal reaches the exception handler (api.errors), which maps it.
"""
from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from api.caching import published_answer
from api.errors import ErrorSerializer
from api.filtering import StrictFilterSet
from api.renderers import ExportableMixin
from api.v1.lookups import query_body
from core.errors import ConflictError
from core.periods import Period, PeriodError, parse_period
from rankings import selectors, services
from rankings.forms import PeriodFormField
from rankings.models import ScoreRun, ScoringScheme
from rankings.permissions import user_can_run_scores
from rankings.selectors.visibility import runs_visible_to


class CanRunScoresOrReadOnly(permissions.BasePermission):
    """Anyone may read; writing needs a signed-in user with rankings.run_scores."""

    message = _("You need the permission “Can start score runs” to do this.")

    def has_permission(self, request: Request, view: object) -> bool:
        return request.method in permissions.SAFE_METHODS or user_can_run_scores(request.user)


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
        return published_answer(self, request, names=f"run:{self.kwargs['pk']}"[:64], load_run=self.get_object,
                                build=lambda run: Response(self.get_serializer(run).data))

    @extend_schema(
        summary=_("Start a score run"), request=RunCreateSerializer,
        responses={202: RunSerializer, 400: OpenApiResponse(response=ErrorSerializer, description=_("Invalid input"))},
    )
    def create(self, request: Request) -> Response:
        """Create a pending run and queue it; poll the run's URL for its status and progress."""
        params = query_body(RunCreateSerializer, request)
        run = services.score_run_start(  # a refusal (ScoringError) is a 400 naming no field (api.errors)
            scheme=params["scheme"], period=params["period"], publish=params["publish"],
            user=request.user, draws=params.get("draws"), seed=params.get("seed"),
        )
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
            run = services.score_run_publish(run=run, by=request.user)  # published_by: who did it
        except services.ScoringError as error:  # the run's state refuses it: a conflict, not bad input
            raise ConflictError(str(error)) from None
        return Response(self.get_serializer(selectors.run_get(run_id=run.pk)).data)
