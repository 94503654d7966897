"""The REST API of award rounds: rounds, their candidates and shortlist, and the panel admins' writes
(scores, tallies, status changes) through the same services as the grid page.

Published rounds are open to anyone; other rounds only to those awards.permissions lets see them (staff,
analysts, panel admins, the round's experts), and to everyone else they are a 404 like a missing round.
Writes need a panel admin (评审管理员, awards.manage_rounds). Errors have the one shape of api/errors.py:
a refused cell is a 400 whose details name each cell, a stale version a 409 whose details list the
cells changed since, a quorum not met a 409 whose details name the candidates.
"""
from __future__ import annotations

import math
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.errors import ErrorSerializer
from awards import presentation, selectors, services
from awards.models import AwardRound, EntryPath
from awards.permissions import SEALED, results_visible, user_can_manage_rounds
from awards.services import ScoreCell, TallyCell
from awards.services.errors import (
    AwardError,
    AwardPermissionDenied,
    CellErrors,
    QuorumNotMet,
    VersionConflict,
)
from core.errors import ConflictError


class IsPanelAdminOrReadOnly(permissions.BasePermission):
    """Anyone may read what they may see; writing needs a panel admin."""

    message = _("Only panel admins (评审管理员) may do this.")

    def has_permission(self, request: Request, view: object) -> bool:
        return request.method in permissions.SAFE_METHODS or user_can_manage_rounds(request.user)


class DetailedConflict(ConflictError):
    """A 409 whose error.details says what clashed (the cells, or the candidates below quorum): the
    exception handler (api.errors) answers it like any application error, with its details."""

    def __init__(self, message: str, details: dict[str, Any]) -> None:
        super().__init__(message)
        self.details = details


# --- serializers ---------------------------------------------------------------------------------------
class RoundSerializer(serializers.ModelSerializer):
    # Text, not an enum: the schema's enum name "status" is taken by the score runs' statuses.
    status = serializers.CharField(read_only=True, help_text=_("draft, voting, closed or published"))
    run = serializers.IntegerField(source="run_id", read_only=True)
    period = serializers.CharField(source="run.period_label", read_only=True)
    weights = serializers.SerializerMethodField(help_text=_("ranking, experts, netizens; they sum to 1"))
    links = serializers.SerializerMethodField()

    class Meta:
        model = AwardRound
        fields = ["slug", "name", "status", "kind", "category", "run", "period", "candidates_n", "shortlist_size",
                  "weights", "aggregation", "trim", "quorum", "disclose_experts", "version", "created_at",
                  "voting_opened_at", "closed_at", "published_at", "links"]

    def get_weights(self, award_round: AwardRound) -> dict[str, float]:
        w_r, w_e, w_n = award_round.weights
        return {"ranking": float(w_r), "experts": float(w_e), "netizens": float(w_n)}

    def get_links(self, award_round: AwardRound) -> dict[str, str]:
        request = self.context.get("request")
        paths = {
            "self": reverse("api:award-round-detail", args=[award_round.slug]),
            "page": reverse("awards:round_detail", args=[award_round.slug]),
            "candidates": reverse("api:award-round-candidates", args=[award_round.slug]),
            "shortlist": reverse("api:award-round-shortlist", args=[award_round.slug]),
        }
        return {name: request.build_absolute_uri(path) if request else path for name, path in paths.items()}


class RoundDetailSerializer(RoundSerializer):
    method = serializers.SerializerMethodField(help_text=_("How the final score is computed, step by step, with "
                                                           "this round's weights"))
    fingerprint = serializers.SerializerMethodField(help_text=_("SHA-256 of the published inputs (null before)"))
    result_version = serializers.SerializerMethodField(help_text=_("1 at publication, one more per correction"))
    corrections = serializers.SerializerMethodField()

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "method", "fingerprint", "result_version", "corrections"]

    def _versions(self, award_round: AwardRound) -> list[Any]:
        if not hasattr(award_round, "_api_versions"):
            award_round._api_versions = list(selectors.round_result_versions(award_round=award_round)) \
                if award_round.is_published else []
        return award_round._api_versions

    def get_method(self, award_round: AwardRound) -> list[str]:
        return presentation.method_lines(award_round=award_round)

    def get_fingerprint(self, award_round: AwardRound) -> str | None:
        versions = self._versions(award_round)
        return versions[0].fingerprint if versions else None

    def get_result_version(self, award_round: AwardRound) -> int | None:
        versions = self._versions(award_round)
        return versions[0].version if versions else None

    def get_corrections(self, award_round: AwardRound) -> list[dict[str, Any]]:
        return [{"version": version.version, "reason": version.reason, "fingerprint": version.fingerprint,
                 "created_at": timezone.localtime(version.created_at).isoformat()}
                for version in self._versions(award_round) if version.is_correction]


class ResultRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text=_("null until the round has a result"))
    candidate_id = serializers.IntegerField()
    candidate = serializers.CharField()
    province = serializers.CharField()
    final = serializers.FloatField(allow_null=True)
    ranking_score = serializers.FloatField(allow_null=True)
    expert_score = serializers.FloatField(allow_null=True)
    netizen_score = serializers.FloatField(allow_null=True)
    experts = serializers.IntegerField()
    shortlisted = serializers.BooleanField()


class ShortlistRowSerializer(ResultRowSerializer):
    citation = serializers.CharField(allow_blank=True)


class ScoreCellSerializer(serializers.Serializer):
    candidate_id = serializers.IntegerField()
    expert_id = serializers.IntegerField()
    score = serializers.CharField(allow_blank=True, allow_null=True, max_length=20,
                                  help_text=_("0–100; empty or null deletes the score"))
    comment = serializers.CharField(allow_blank=True, allow_null=True, required=False, max_length=2000,
                                    help_text=_("omitted or null keeps the comment"))


class TallyCellSerializer(serializers.Serializer):
    candidate_id = serializers.IntegerField()
    source = serializers.CharField(max_length=128)
    votes = serializers.CharField(allow_blank=True, allow_null=True, max_length=20,
                                  help_text=_("a whole number ≥ 0; empty or null deletes the tally"))


class CellsSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("The round's version the changes were made against"))
    scores = ScoreCellSerializer(many=True, required=False, default=list)
    tallies = TallyCellSerializer(many=True, required=False, default=list)


class CellsSavedSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    deleted = serializers.IntegerField()


class StatusSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["open", "close", "publish", "correct"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000,
                                   help_text=_("Required for a correction"))
    scores = ScoreCellSerializer(many=True, required=False, default=list, help_text=_("Cells a correction sets"))
    tallies = TallyCellSerializer(many=True, required=False, default=list)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        """A correction's reason is checked here, by the service's rule, so that a missing or invisible
        reason is a 400 naming the field, not a 409 from the service."""
        if data["action"] == "correct" and (problem := services.correction_reason_problem(data.get("reason", ""))):
            raise serializers.ValidationError({"reason": [problem]})
        return data


def _rows(frame: Any) -> list[dict[str, Any]]:
    return [{key: None if isinstance(value, float) and math.isnan(value) else value for key, value in row.items()}
            for row in frame.to_dict("records")]


def _cell_key_text(key: tuple) -> str:
    """A refused cell as a details key: score:<candidate_id>:<expert_id> or tally:<candidate_id>:<source>."""
    return ":".join(str(part) for part in key) if key else "non_field_errors"


# --- the view set -----------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary=_("Award rounds (published ones; all for staff and the panel)")),
    retrieve=extend_schema(summary=_("One award round: settings, method, fingerprint and corrections")),
)
class AwardRoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = AwardRound.objects.none()  # for the schema; rows come from the selectors
    serializer_class = RoundSerializer
    permission_classes = [IsPanelAdminOrReadOnly]
    lookup_field = "slug"
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.rounds_visible_to(user=self.request.user).select_related("run")

    def get_serializer_class(self):
        return RoundSerializer if self.action == "list" else RoundDetailSerializer

    def _results_visible(self, award_round: AwardRound) -> AwardRound:
        """Results before publication are for drafts readers: an expert would see the others' scores."""
        if not results_visible(self.request.user, award_round):
            raise exceptions.PermissionDenied(str(SEALED))
        return award_round

    def get_object(self) -> AwardRound:
        try:
            return selectors.round_get_visible(user=self.request.user, slug=self.kwargs["slug"])
        except AwardRound.DoesNotExist:
            raise exceptions.NotFound(_("There is no award round “%(slug)s”.")
                                      % {"slug": self.kwargs["slug"][:50]}) from None

    @extend_schema(summary=_("Every candidate with R, E, N, final score, rank and shortlisted"),
                   responses={200: ResultRowSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def candidates(self, request: Request, slug: str) -> Response:
        award_round = self._results_visible(self.get_object())
        return Response(ResultRowSerializer(_rows(selectors.round_results(award_round=award_round)), many=True).data)

    @extend_schema(summary=_("The shortlist, with citations"), responses={200: ShortlistRowSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def shortlist(self, request: Request, slug: str) -> Response:
        award_round = self._results_visible(self.get_object())
        rows = [row for row in _rows(selectors.round_results(award_round=award_round)) if row["shortlisted"]]
        citations = dict(award_round.candidates.values_list("pk", "citation"))
        for row in rows:
            row["citation"] = citations.get(row["candidate_id"], "")
        return Response(ShortlistRowSerializer(rows, many=True).data)

    @extend_schema(summary=_("Save expert scores and netizen tallies, all or nothing"), request=CellsSerializer,
                   responses={200: CellsSavedSerializer, 409: OpenApiResponse(
                       response=ErrorSerializer, description=_("The round changed since `version`; details.cells "
                                                               "names the cells changed since"))})
    @action(detail=True, methods=["post"])
    def cells(self, request: Request, slug: str) -> Response:
        award_round = self.get_object()
        body = CellsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            saved = services.cells_save(
                user=request.user, award_round=award_round, expected_version=data["version"],
                scores=[ScoreCell(**cell) for cell in data["scores"]],
                tallies=[TallyCell(**cell) for cell in data["tallies"]], via=EntryPath.API,
            )
        except Exception as error:  # noqa: BLE001 - translated into the API's error shape, else re-raised
            raise _api_error(error) from None
        return Response(CellsSavedSerializer(saved).data)

    @extend_schema(summary=_("Open voting, close, publish or correct the round"), request=StatusSerializer,
                   responses={200: RoundDetailSerializer, 409: OpenApiResponse(
                       response=ErrorSerializer, description=_("Not allowed in the round's status, or quorum not "
                                                               "met (details.candidates names them)"))})
    @action(detail=True, methods=["post"])
    def status(self, request: Request, slug: str) -> Response:
        award_round = self.get_object()
        body = StatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        common = {"user": request.user, "award_round": award_round, "via": EntryPath.API}
        try:
            if data["action"] == "open":
                services.round_open_voting(**common)
            elif data["action"] == "close":
                services.round_close(**common)
            elif data["action"] == "publish":
                services.round_publish(**common)
            else:
                services.round_correct(**common, reason=data.get("reason", ""),
                                       scores=[ScoreCell(**cell) for cell in data["scores"]],
                                       tallies=[TallyCell(**cell) for cell in data["tallies"]])
        except Exception as error:  # noqa: BLE001 - translated into the API's error shape, else re-raised
            raise _api_error(error) from None
        award_round = selectors.round_get_visible(user=request.user, slug=award_round.slug)
        return Response(RoundDetailSerializer(award_round, context=self.get_serializer_context()).data)


def _api_error(error: Exception) -> Exception:
    """A service's error as the API's: refused cells 400 by cell, conflicts 409 with what clashed."""
    if isinstance(error, CellErrors):
        details: dict[str, list[str]] = {}
        for cell in error.errors:
            details.setdefault(_cell_key_text(cell.key), []).append(str(cell.message))
        return serializers.ValidationError(details)
    if isinstance(error, VersionConflict):
        return DetailedConflict(str(error), {"version": error.version, "cells": [
            {"cell": _cell_key_text(change.key), "label": change.label,
             "user": getattr(change.user, "username", None),
             "when": timezone.localtime(change.when).isoformat() if change.when else None} for change in error.cells]})
    if isinstance(error, QuorumNotMet):
        return DetailedConflict(str(error), {"candidates": list(error.candidates)})
    if isinstance(error, AwardPermissionDenied):
        return exceptions.PermissionDenied(str(error))
    if isinstance(error, AwardError):
        return ConflictError(str(error))  # a round's state refuses it: a 409 here, whatever its kind
    return error
