"""What the run endpoints share: the query and body validation, the run a URL names, and the published
run a request's ?scheme=&period= names.

Which run is shown, and who may see it, are not decided here: rankings.selectors.resolution.run_resolve
owns "?scheme=&period= ⇒ the published run" (the API asks it not to fall back: a bad parameter is a 400
naming it, a period without a published ranking a 404 saying so), rankings.selectors.visibility owns
"a draft is seen only by those who may see drafts" (to everyone else it is a 404 like a missing run, so
its id does not leak).
"""
from __future__ import annotations

from typing import Any

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request

from accounts.models import GovAccount
from api.filtering import ChoiceParameter, ProvinceParameter
from rankings import selectors
from rankings.models import ScoreRun, ScoringScheme
from rankings.selectors.resolution import RunChoice, run_resolve
from rankings.selectors.visibility import run_visible_to

# The URL pattern <int:run_id> matches digits only: a negative id is not an API URL.
RUN_ID = OpenApiParameter("run_id", {"type": "integer", "minimum": 0}, OpenApiParameter.PATH)


class CityQuerySerializer(serializers.Serializer):
    province = ProvinceParameter(required=False, help_text=_("Only the cities of this province, e.g. 湖南"))


class AccountQuerySerializer(serializers.Serializer):
    category = ChoiceParameter(choices=GovAccount.Category.choices, required=False)
    city = serializers.CharField(required=False, help_text=_("A city id, or a city name (e.g. 长沙)"))


def _scheme_label() -> Promise:
    """The scheme parameter's title in the schema, as it was when the field was a SlugRelatedField: the
    slug field's name where a language translates it (标识), and none in English ("Scheme", which the
    schema generator leaves out as a trivial variation of the parameter's name)."""
    def text() -> str:
        name = str(ScoringScheme._meta.get_field("slug").verbose_name)
        return "Scheme" if name == "slug" else name

    return lazy(text, str)()


class RankingQuerySerializer(CityQuerySerializer, AccountQuerySerializer):
    """/ranking/'s parameters. scheme and period are documented here and resolved by run_resolve."""

    scheme = serializers.CharField(required=False, allow_blank=True,
                                   label=_scheme_label(),
                                   help_text=_("Scheme slug (default: the default scheme)"))
    period = serializers.CharField(required=False, allow_blank=True,
                                   help_text=_("Period (default: the latest published)"))
    level = ChoiceParameter(choices=[("city", _("cities")), ("account", _("accounts"))], default="city")


def query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The request's query parameters, validated (400 naming the bad parameter otherwise)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def query_body(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The request's body, validated (400 naming the bad field otherwise)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def run_or_404(run_id: int, *, user: Any) -> ScoreRun:
    """The run, if this user may see it (a draft is a 404 for others, so its id does not leak)."""
    run = selectors.run_get(run_id=run_id)
    if run is None or not run_visible_to(user, run):
        raise NotFound(_("There is no run #%(id)s.") % {"id": run_id})
    return run


def ranking_query(request: Request) -> tuple[dict[str, Any], RunChoice]:
    """/ranking/'s parameters, validated, and the published run they name (run_resolve, no fallback).
    Every bad parameter is listed in one 400, in the parameters' order."""
    serializer = RankingQuerySerializer(data=request.query_params)
    valid = serializer.is_valid()
    choice = run_resolve(params=request.query_params, user=request.user, fallback=False)
    invalid = choice.invalid
    if valid and not invalid:
        return serializer.validated_data, choice
    problems = {**serializer.errors, **{name: [text] for name, text in invalid.items()}}
    raise ValidationError({name: problems[name] for name in serializer.fields if name in problems})


def latest_published_run(request: Request) -> ScoreRun:
    """The published run of ?scheme= (default: the default scheme) and ?period= (default: the latest
    published), or 400 for a bad parameter, 404 when there is none."""
    choice = ranking_query(request)[1]
    if choice.run is None:
        raise NotFound(choice.missing_message)
    return choice.run


def latest_names(request: Request) -> str:
    """Which run "the latest published" of a request names, for api.caching's memo: its scheme and
    period as given."""
    return "latest|" + "|".join(request.query_params.get(name, "") for name in ("scheme", "period"))
