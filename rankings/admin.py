"""Admin pages for scoring schemes and score runs.

A scheme is edited as the same YAML document `manage.py load_scheme` reads; saving validates it with
the scoring engine and records a new version when it changed (earlier runs keep their own copy).
Runs are read-only here (they are started from the ranking pages, the API or compute_scores); the one
action is publishing a succeeded run, offered only to users rankings.permissions lets publish (the
same rule as the pages and the API: “Can start score runs”, not the model's “change” permission).
"""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rankings import services
from rankings.models import ScoreRun, ScoringScheme
from rankings.permissions import user_can_run_scores
from rankings.services import ScoringError


def document_yaml(document: dict) -> str:
    import yaml  # only when a scheme is edited: not at every process's start-up

    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


class ScoringSchemeForm(forms.ModelForm):
    document_text = forms.CharField(
        label=_("Scheme document (YAML or JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "class": "vLargeTextField", "spellcheck": "false"}),
        help_text=_("The same document as `python manage.py load_scheme FILE` reads. Indicator weights, and "
                    "category weights when given, must each sum to 1."),
    )

    class Meta:
        model = ScoringScheme
        fields = ("is_default",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["document_text"].initial = document_yaml(self.instance.document)

    def clean_document_text(self) -> dict:
        try:
            document = services.scheme_document_parse(self.cleaned_data["document_text"])
            scheme = services.scheme_validate(document)
        except ScoringError as error:
            raise forms.ValidationError(error.messages) from None
        if self.instance.pk and scheme.slug != self.instance.slug:
            raise forms.ValidationError(_("The slug cannot change; create a new scheme instead."))
        return scheme.to_document()


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(admin.ModelAdmin):
    form = ScoringSchemeForm
    list_display = ("slug", "name", "version", "is_default", "builtin", "updated_at")
    readonly_fields = ("slug", "name", "version", "builtin", "created_at", "updated_at")
    search_fields = ("slug", "name")

    def get_fields(self, request: HttpRequest, obj: ScoringScheme | None = None):
        return ("document_text", "is_default", *(self.readonly_fields if obj else ()))

    def save_model(self, request: HttpRequest, obj: ScoringScheme, form: ScoringSchemeForm, change: bool) -> None:
        scheme, outcome = services.scheme_save(document=form.cleaned_data["document_text"],
                                               make_default=form.cleaned_data["is_default"])
        obj.pk, obj.version = scheme.pk, scheme.version
        if outcome == "updated":
            self.message_user(request, _("Saved as version %(version)s.") % {"version": scheme.version},
                              messages.SUCCESS)

    def has_delete_permission(self, request: HttpRequest, obj: ScoringScheme | None = None) -> bool:
        # A scheme with runs is kept (its runs point at it); the database refuses too (PROTECT).
        return super().has_delete_permission(request, obj) and not (obj and obj.runs.exists())


@admin.register(ScoreRun)
class ScoreRunAdmin(admin.ModelAdmin):
    list_display = ("id", "scheme", "period_label", "status", "stage", "progress", "is_published",
                    "cities_scored", "accounts_scored", "created_at", "finished_at")
    list_filter = ("status", "is_published", "scheme")
    list_select_related = ("scheme",)
    actions = ("publish",)
    exclude = ("uncertainty_input",)
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: ScoreRun | None = None):
        return [field.name for field in ScoreRun._meta.fields if field.name != "uncertainty_input"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("period"))
    def period_label(self, run: ScoreRun) -> str:
        return run.period_label

    def has_publish_permission(self, request: HttpRequest) -> bool:
        """The admin's name for the rule of action permissions=["publish"]: hides the action, refuses the POST."""
        return user_can_run_scores(request.user)

    @admin.action(description=_("Publish the selected runs"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[ScoreRun]) -> None:
        for run in queryset:
            try:
                services.score_run_publish(run=run, by=request.user)
            except ScoringError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Published run #%(id)s.") % {"id": run.pk}, messages.SUCCESS)
