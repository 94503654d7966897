"""Reads of scoring schemes, and the one rule for the default scheme."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from rankings.models import ScoringScheme

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
