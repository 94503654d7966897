"""Reads of scoring schemes, and the one rule for the default scheme; a scheme's versions (the method
page): a scheme's current version is its own document, an earlier version survives in the documents
the runs that used it froze (ScoreRun.document with its scheme_version)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from rankings.labels import in_language
from rankings.models import ScoreRun, ScoringScheme
from rankings.scoring.schemes import Scheme

# The built-in scheme that stands in when no scheme is flagged default.
DEFAULT_BUILTIN_SLUG = "shifan-2012"
NO_DEFAULT_SCHEME = _("No scheme is marked as the default and the built-in scheme shifan-2012 is not "
                      "installed: mark a scheme as the default (admin, or load_scheme --default) or name one.")


def scheme_list() -> QuerySet[ScoringScheme]:
    """Every scheme, the default first, then by slug. One query."""
    return ScoringScheme.objects.all()


def scheme_get(*, slug: str) -> ScoringScheme | None:
    return ScoringScheme.objects.filter(slug=slug).first()


def scheme_default_get(*, among: Iterable[ScoringScheme] | None = None) -> ScoringScheme | None:
    """THE default scheme (home page, API, commands, the monthly job): the scheme flagged default (a
    constraint allows one at most); when none is flagged, the built-in shifan-2012 if it is installed;
    otherwise None, and callers say NO_DEFAULT_SCHEME. `among`: pick from schemes already read
    instead of querying (no query then; one otherwise)."""
    if among is None:
        among = ScoringScheme.objects.filter(Q(is_default=True) | Q(builtin=True, slug=DEFAULT_BUILTIN_SLUG))
    candidates = list(among)
    flagged = next((scheme for scheme in candidates if scheme.is_default), None)
    return flagged or next(
        (scheme for scheme in candidates if scheme.builtin and scheme.slug == DEFAULT_BUILTIN_SLUG), None)


@dataclass(frozen=True)
class SchemeVersion:
    scheme: ScoringScheme
    version: int
    definition: Scheme
    run: ScoreRun | None  # the latest run that froze this version (None for a version never run)

    @property
    def name(self) -> str:
        return in_language(self.definition.name, self.definition.name_en, fallback=self.scheme.name)

    @property
    def description(self) -> str:
        return in_language(self.definition.description, self.definition.description_en)


def scheme_versions(*, scheme: ScoringScheme) -> list[int]:
    """The versions of a scheme that can be shown: the current one and those runs froze, newest first.
    One query."""
    versions = set(ScoreRun.objects.filter(scheme=scheme).values_list("scheme_version", flat=True).distinct())
    return sorted(versions | {scheme.version}, reverse=True)


def scheme_version_get(*, scheme: ScoringScheme, version: int) -> SchemeVersion | None:
    """The document of that version: the scheme's own when current, else the latest run's copy. One
    query at most."""
    run = (ScoreRun.objects.filter(scheme=scheme, scheme_version=version).defer("uncertainty_input")
           .order_by("-created_at", "-id").first())
    if version == scheme.version:
        return SchemeVersion(scheme=scheme, version=version, definition=scheme.definition, run=run)
    if run is None:
        return None
    return SchemeVersion(scheme=scheme, version=version, definition=run.definition, run=run)
