"""The experts of an award round in the API: /api/v1/awards/rounds/<slug>/experts/ (list, create) and
/experts/<id>/ (read, PATCH, DELETE), /experts/<id>/reopen/ (POST), through the same services as the
round's pages (awards/services/experts.py).

Reading needs someone who may read unpublished rounds (staff, analysts, panel admins); writing needs a
panel admin (评审管理员, awards.manage_rounds), like every award write. Errors have the one shape of
api/errors.py: a refused field is a 400 whose details name it (`username` for the user account,
`reason`); a removal of an expert with scores without `scores_confirmed` equal to their number is a 409
whose details.scores gives the number; a round no longer open (closed, published) is a 409.
"""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.errors import ErrorSerializer
from api.v1.awards import DetailedConflict, _api_error
from awards import selectors, services
from awards.models import AwardRound, EntryPath, Expert
from awards.permissions import user_can_manage_rounds, user_can_see_drafts
from awards.services.errors import FieldErrors, ScoresToDelete, shown

REASON_CHARS = 80  # awards.services.common.PERSON_REASON_LIMIT
# The services' field names where the API calls them otherwise.
API_FIELDS = {"user": "username"}


class IsDraftsReaderOrPanelAdmin(permissions.BasePermission):
    """Reading a round's experts: staff, analysts and panel admins; changing them: panel admins."""

    message = _("Only staff and panel admins (评审管理员) may see or change a round's experts.")

    def has_permission(self, request: Request, view: object) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return user_can_see_drafts(request.user)
        return user_can_manage_rounds(request.user)


# --- serializers ---------------------------------------------------------------------------------------
class ExpertSerializer(serializers.ModelSerializer):
    username = serializers.SerializerMethodField(help_text=_("The user account the expert scores with, or null"))
    scores = serializers.IntegerField(source="scores_count", read_only=True,
                                      help_text=_("How many scores the expert has given"))
    # The canonical short name (湖南), read from the column: no query per expert.
    province = serializers.CharField(source="province_id", read_only=True, help_text=_("Province, e.g. 湖南"))

    class Meta:
        model = Expert
        fields = ["id", "name", "affiliation", "province", "username", "scores", "submitted_at", "created_at"]
        read_only_fields = fields

    def get_username(self, expert: Expert) -> str | None:
        return expert.user.get_username() if expert.user_id else None


class ExpertWriteSerializer(serializers.ModelSerializer):
    """Add (POST) or change (PATCH) an expert: the model's own name, affiliation and province fields, the
    user account by user name (empty or null: none), and the reason for the audit log (required to
    change)."""

    username = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=150,
                                     help_text=_("An existing user name; empty or null links no account"))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=REASON_CHARS,
                                   help_text=_("Why, for the round's audit log (required to change an expert)"))
    # Any spelling core.provinces accepts (湖南, 湖南省, Hunan); the service maps it or refuses it with the
    # accepted names.
    province = serializers.CharField(required=False, max_length=64, help_text=_("Province, e.g. 湖南"))

    class Meta:
        model = Expert
        fields = ["name", "affiliation", "province", "username", "reason"]

    def validate_username(self, value: str | None) -> Any:
        if not value or not value.strip():
            return None
        user = get_user_model().objects.filter(username=value.strip()).first()
        if user is None:
            raise serializers.ValidationError(_("There is no user “%(name)s”.") % {"name": shown(value)})
        return user

    def changes(self) -> dict[str, Any]:
        """The given fields as services.expert_create / expert_update take them."""
        data = dict(self.validated_data)
        data.pop("reason", None)
        if "username" in data:
            data["expert_user"] = data.pop("username")
        return data


class ExpertReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_CHARS, help_text=_("Why, for the round's audit log"))


class ExpertRemoveSerializer(ExpertReasonSerializer):
    scores_confirmed = serializers.IntegerField(
        required=False, default=0, min_value=0,
        help_text=_("The expert's number of scores, confirming they are deleted too (needed when they have any)"))


def _expert_error(error: Exception) -> Exception:
    """A service's refusal as the API's error: fields 400, a removal to confirm 409 with the number."""
    if isinstance(error, FieldErrors):
        return serializers.ValidationError({API_FIELDS.get(field, field): problems
                                            for field, problems in error.fields.items()})
    if isinstance(error, ScoresToDelete):
        return DetailedConflict(str(error), {"scores": error.count})
    return _api_error(error)


CONFLICT = OpenApiResponse(response=ErrorSerializer, description=_(
    "The round is closed or published (its experts are frozen), or the expert has not submitted (reopen)"))


# --- the view set -----------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary=_("A round's experts (staff and panel admins)")),
    retrieve=extend_schema(summary=_("One expert of a round")),
    create=extend_schema(summary=_("Add an expert (panel admins)"), request=ExpertWriteSerializer,
                         responses={201: ExpertSerializer, 400: ErrorSerializer, 409: CONFLICT}),
    partial_update=extend_schema(summary=_("Change an expert, with a reason (panel admins)"),
                                 request=ExpertWriteSerializer,
                                 responses={200: ExpertSerializer, 400: ErrorSerializer, 409: CONFLICT}),
    destroy=extend_schema(
        summary=_("Remove an expert, with a reason; their scores only when confirmed by number (panel admins)"),
        parameters=[OpenApiParameter("reason", str, required=True, description=_("Why, for the round's audit log")),
                    OpenApiParameter("scores_confirmed", int, description=_(
                        "The expert's number of scores, confirming they are deleted too"))],
        responses={204: None, 400: ErrorSerializer, 409: OpenApiResponse(
            response=ErrorSerializer, description=_("The expert has scores and scores_confirmed is not their "
                                                    "number (details.scores gives it), or the round is frozen"))}),
)
class AwardExpertViewSet(viewsets.GenericViewSet):
    queryset = Expert.objects.none()  # for the schema; rows come from the round
    serializer_class = ExpertSerializer
    permission_classes = [IsDraftsReaderOrPanelAdmin]
    pagination_class = None
    lookup_url_kwarg = "expert_id"

    def award_round(self) -> AwardRound:
        if not hasattr(self, "_round"):
            try:
                self._round = selectors.round_get_visible(user=self.request.user, slug=self.kwargs["slug"])
            except AwardRound.DoesNotExist:
                raise exceptions.NotFound(_("There is no award round “%(slug)s”.")
                                          % {"slug": self.kwargs["slug"][:50]}) from None
        return self._round

    def get_queryset(self) -> QuerySet[Expert]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return (Expert.objects.filter(round=self.award_round()).select_related("user")
                .annotate(scores_count=Count("scores")).order_by("id"))

    def get_object(self) -> Expert:
        expert = self.get_queryset().filter(pk=self.kwargs["expert_id"]).first()
        if expert is None:
            raise exceptions.NotFound(_("This round has no such expert."))
        return expert

    def _answer(self, expert: Expert, code: int = status.HTTP_200_OK) -> Response:
        return Response(ExpertSerializer(self.get_queryset().get(pk=expert.pk)).data, status=code)

    def list(self, request: Request, slug: str) -> Response:
        return Response(ExpertSerializer(self.get_queryset(), many=True).data)

    def retrieve(self, request: Request, slug: str, expert_id: int) -> Response:
        return Response(ExpertSerializer(self.get_object()).data)

    def create(self, request: Request, slug: str) -> Response:
        body = ExpertWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            expert = services.expert_create(user=request.user, award_round=self.award_round(), via=EntryPath.API,
                                            reason=body.validated_data.get("reason", ""), **body.changes())
        except Exception as error:  # noqa: BLE001 - translated into the API's error shape, else re-raised
            raise _expert_error(error) from None
        return self._answer(expert, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, slug: str, expert_id: int) -> Response:
        expert = self.get_object()
        body = ExpertWriteSerializer(expert, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        reason = body.validated_data.get("reason", "")  # required: the service refuses it empty
        try:
            expert = services.expert_update(user=request.user, expert=expert, via=EntryPath.API, reason=reason,
                                            **body.changes())
        except Exception as error:  # noqa: BLE001 - translated into the API's error shape, else re-raised
            raise _expert_error(error) from None
        return self._answer(expert)

    def destroy(self, request: Request, slug: str, expert_id: int) -> Response:
        expert = self.get_object()
        query = ExpertRemoveSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            services.expert_delete(user=request.user, expert=expert, via=EntryPath.API,
                                   reason=query.validated_data["reason"],
                                   scores_confirmed=query.validated_data["scores_confirmed"])
        except Exception as error:  # noqa: BLE001 - translated into the API's error shape, else re-raised
            raise _expert_error(error) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=_("Reopen a submitted expert's scores while the round is a draft or voting, with a "
                             "reason (panel admins)"), request=ExpertReasonSerializer,
                   responses={200: ExpertSerializer, 400: ErrorSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, slug: str, expert_id: int) -> Response:
        expert = self.get_object()
        body = ExpertReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            expert = services.expert_reopen(user=request.user, expert=expert, via=EntryPath.API,
                                            reason=body.validated_data["reason"])
        except Exception as error:  # noqa: BLE001 - translated into the API's error shape, else re-raised
            raise _expert_error(error) from None
        return self._answer(expert)

