"""API tokens over the API: a signed-in user lists, creates and revokes their own; token admins
(permission api.change_apitoken, superusers) list and revoke everyone's.

A token is shown once, in the answer that creates it. Creating a token needs a session (a person at a
browser or with a password), not a token: a leaked token cannot mint others that outlive its
revocation.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api import selectors, services
from api.models import ApiToken
from api.renderers import ExportableMixin


class TokenSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "user", "created_at", "last_used_at", "revoked_at", "active"]


class TokenCreatedSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text=_("The token itself: shown once, store it now"))

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=services.NAME_MAX, help_text=_("What the token is for"))


@extend_schema_view(
    list=extend_schema(summary=_("Your API tokens (everyone's for token admins)")),
    destroy=extend_schema(summary=_("Revoke a token"), responses={204: None}),
)
class TokenViewSet(ExportableMixin, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = TokenSerializer
    permission_classes = [permissions.IsAuthenticated]
    export_name = "tokens"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, generated without a user
            return ApiToken.objects.none()
        return selectors.tokens_visible_to(self.request.user)

    @extend_schema(summary=_("Create a token (signed in with a session)"), request=TokenCreateSerializer,
                   responses={201: TokenCreatedSerializer}, examples=[OpenApiExample(
                       "A new token", response_only=True, status_codes=["201"], value={
                           "id": 3, "name": "nightly export", "prefix": "gw_Qm9sZGx", "user": "analyst",
                           "created_at": "2026-11-28T02:00:00+08:00", "last_used_at": None, "revoked_at": None,
                           "active": True, "token": "gw_Qm9sZGx5IGdvaW5nIHdoZXJlIG5vIG9uZSBoYXMgZ29uZQ"})])
    def create(self, request: Request) -> Response:
        if isinstance(request.auth, ApiToken):
            raise PermissionDenied(_("Tokens are created signed in (session or admin), not with a token."))
        params = TokenCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            token, key = services.token_create(user=request.user, name=params.validated_data["name"])
        except services.TokenError as error:
            raise serializers.ValidationError({"name": error.messages}) from None
        data = TokenCreatedSerializer(token).data
        data["token"] = key
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, token: ApiToken) -> None:
        services.token_revoke(token=token)
