"""The method page: a scheme version's method, generated from its document (rankings.presentation
.methodology), and what changed from another version."""
from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.text import echo
from rankings import selectors
from rankings.presentation import methodology as methods
from rankings.selectors.schemes import scheme_version_get, scheme_versions


@require_safe
def methodology(request: HttpRequest, slug: str = "", version: int | None = None) -> HttpResponse:
    """/methodology/ (the default scheme), /methodology/<slug>/ (its current version),
    /methodology/<slug>/v<version>/; ?compare=<version> lists what changed from that version to this one."""
    schemes = list(selectors.scheme_list())
    scheme = (next((item for item in schemes if item.slug == slug), None) if slug
              else selectors.scheme_default_get(among=schemes))
    if scheme is None:
        raise Http404(_("There is no scoring scheme “%(value)s”.") % {"value": echo(slug)})
    shown = scheme_version_get(scheme=scheme, version=scheme.version if version is None else version)
    if shown is None:
        raise Http404(_("Scheme “%(scheme)s” has no version %(version)s.") % {"scheme": scheme.slug, "version": version})
    notices, changes, compared = [], None, None
    other = request.GET.get("compare", "").strip().removeprefix("v")
    if other:
        compared = scheme_version_get(scheme=scheme, version=int(other)) if other.isdigit() else None
        if compared is None:
            notices.append(_("Scheme “%(scheme)s” has no version %(version)s.") % {"scheme": scheme.slug,
                                                                                   "version": echo(other)})
        else:
            changes = methods.versions_compare(compared.definition, shown.definition)
    definition = shown.definition
    return render(request, "rankings/methodology.html", {
        "schemes": schemes, "scheme": scheme, "shown": shown, "versions": scheme_versions(scheme=scheme),
        "notices": notices, "indicators": methods.indicator_rows(definition),
        "category_weights": methods.category_weight_rows(definition),
        "settings": methods.settings_rows(definition),
        "uncertainty": methods.uncertainty_text(definition),
        "changes": changes, "compared": compared,
    })
