"""API tokens in the admin: admins see everyone's (by prefix, never the token), create one for a user
(the token is shown once, in the confirmation message) and revoke them. A token cannot be edited: revoke
it and create another."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from api import services
from api.models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def clean_user(self) -> object:
        user = self.cleaned_data["user"]
        if user is not None and not user.is_active:
            raise forms.ValidationError(_("User “%(user)s” is inactive.") % {"user": user.get_username()})
        return user


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    add_form = ApiTokenForm
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    list_select_related = ("user",)
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def get_form(self, request: HttpRequest, obj: ApiToken | None = None, **kwargs: object) -> type:
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        return ["user", "name"] if obj is None else ["user", "name", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple[str, ...]:
        return self.readonly_fields if obj is None else ("user", "name", *self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False  # revoke instead: the row records who had a token and when it was used

    def save_model(self, request: HttpRequest, obj: ApiToken, form: object, change: bool) -> None:
        if change:
            return
        token, key = services.token_create(user=obj.user, name=obj.name)  # the form checked user and name
        obj.pk = token.pk
        obj.refresh_from_db()
        self.message_user(request, _("The new token is %(token)s — store it now: it is not shown again.")
                          % {"token": key}, messages.WARNING)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, tokens: QuerySet[ApiToken]) -> None:
        for token in tokens:
            services.token_revoke(token=token)
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": len(tokens)})
