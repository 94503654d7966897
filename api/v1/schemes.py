"""The REST API of scoring schemes: the list, one scheme with its document, and the versions of a scheme
that runs have used (the published ones, or every run for those who see drafts)."""
from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Min
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.renderers import ExportableMixin
from rankings import selectors
from rankings.models import ScoreRun, ScoringScheme
from rankings.selectors.visibility import runs_visible_to


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


def scheme_versions(scheme: ScoringScheme, *, user: Any) -> list[dict[str, Any]]:
    """Each version with the runs that used it (those this user may see) and the scheme document as it
    was, newest first; the current version is listed even before any run."""
    runs = runs_visible_to(user, selectors.run_list().filter(scheme=scheme))
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
    return versions


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
        versions = scheme_versions(self.get_object(), user=request.user)
        return Response(SchemeVersionSerializer(versions, many=True).data)

    def get_queryset(self):
        return selectors.scheme_list()

    def get_serializer_class(self):
        return SchemeDetailSerializer if self.action == "retrieve" else SchemeSerializer
