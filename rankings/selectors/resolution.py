"""Which published run a request shows: the one rule, for the pages, the exports and the API.

    ?scheme=<slug> names the scheme (default: THE default scheme, rankings.selectors.schemes);
    ?period=<text>, in any spelling the import accepts (2012-03, 2012年3月, 2012-Q1…), names the period
    (default: the scheme's latest published period). Only published runs are ever chosen: a draft is
    reached by its id alone (rankings.selectors.visibility decides who may see it).

One fallback: what cannot be honoured falls back to the default (an unknown scheme to the default
scheme, a text that is not a period or a period without a published run to the latest published
period), and one notice per case says what was asked and what is shown instead:
- an unknown scheme:       SCHEME_NOTICE (or SCHEME_MISSING when there is no default scheme either);
- a text that is no period: PERIOD_NOTICE;
- a period not published:  UNPUBLISHED_NOTICE.
When there is nothing to show, `missing_message` says why (no default scheme; no published ranking).

The API does not fall back (`fallback=False`): a parameter that is not valid at all (an unknown scheme,
a text that is no period) is listed in `invalid` by name (its 400), and a period with no published
run leaves `run` None with `missing_message` naming the period (its 404).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from core.periods import Period, PeriodError, parse_period
from core.text import echo
from rankings.models import ScoreRun, ScoringScheme
from rankings.selectors.runs import no_published_ranking_message, run_published_list
from rankings.selectors.schemes import NO_DEFAULT_SCHEME, scheme_default_get, scheme_list


@dataclass(frozen=True)
class RunChoice:
    """The published run a request shows (None: nothing to show, `missing_message` says why), with the
    choices of the page's form and what was asked for and not honoured."""

    run: ScoreRun | None
    scheme: ScoringScheme | None  # the scheme shown (None: no such scheme and no default)
    period: Period | None  # the period asked for and found; None: the latest (or nothing) is shown
    notices: list[str] = field(default_factory=list)  # one per parameter not honoured, in the active language
    missing_message: str | None = None  # why there is no run to show
    invalid: dict[str, str] = field(default_factory=dict)  # parameter → why it is not valid at all
    schemes: list[ScoringScheme] = field(default_factory=list)  # every scheme, for the form
    runs: list[ScoreRun] = field(default_factory=list)  # the scheme's published runs, latest period first

    @property
    def periods(self) -> list[Period]:
        """The scheme's published periods, latest first, once each (the form's choices)."""
        return list(dict.fromkeys(item.period for item in self.runs))

    @property
    def period_labels(self) -> list[str]:
        return [item.label for item in self.periods]

    @property
    def query(self) -> str:
        """scheme=…&period=… of the shown run, for links to the other analyst pages."""
        if self.run is None:
            return ""
        return urlencode({"scheme": self.run.scheme.slug, "period": self.run.period_label})


def run_resolve(*, params: Mapping[str, str], user: Any = None, fallback: bool = True) -> RunChoice:
    """The published run of ?scheme= and ?period= (see the module's docstring). `user` is for symmetry
    with the visibility rule: every user resolves to the same published runs today. Two queries: the
    schemes, and the scheme's published runs (none when there is no scheme)."""
    slug, period_text = (params.get("scheme") or "").strip(), (params.get("period") or "").strip()
    schemes = list(scheme_list())
    scheme, notices, invalid = _scheme_choose(slug, schemes)
    period, period_problem = _period_parse(period_text)
    if period_problem:  # judged on its own, so that a 400 lists both bad parameters
        invalid["period"] = period_problem
    if scheme is None or ("scheme" in invalid and not fallback):
        missing = NO_DEFAULT_SCHEME if scheme is None and not slug else invalid.get("scheme", NO_DEFAULT_SCHEME)
        return RunChoice(run=None, scheme=scheme, period=None, notices=notices, missing_message=missing,
                         invalid=invalid, schemes=schemes)
    runs = list(run_published_list(scheme=scheme))
    chosen = next((item for item in runs if period is not None and item.period == period), None)
    if not fallback and period_text:
        missing = None if chosen else no_published_ranking_message(scheme=scheme, period=period)
        return RunChoice(run=chosen, scheme=scheme, period=period if chosen else None, missing_message=missing,
                         invalid=invalid, schemes=schemes, runs=runs)
    run = chosen or (runs[0] if runs else None)
    if period_text and chosen is None and run is not None:  # no run at all: the missing message says so
        notices.append(_period_notice(period_text, period=period, scheme=scheme, latest=run))
    missing = None if run else no_published_ranking_message(scheme=scheme, period=None)
    return RunChoice(run=run, scheme=scheme, period=period if chosen else None, notices=notices,
                     missing_message=missing, invalid=invalid, schemes=schemes, runs=runs)


def _scheme_choose(slug: str, schemes: list[ScoringScheme]) -> tuple[ScoringScheme | None, list[str], dict[str, str]]:
    """The scheme of `slug`, else the default; the notice and the invalid entry for an unknown slug."""
    scheme = next((item for item in schemes if item.slug == slug), None) if slug else None
    if scheme is not None or not slug:
        return scheme or scheme_default_get(among=schemes), [], {}
    shown = scheme_default_get(among=schemes)
    value = echo(slug)
    missing = _("There is no scoring scheme “%(value)s”.") % {"value": value}
    if shown is None:
        return None, [missing], {"scheme": missing}
    notice = _("There is no scoring scheme “%(value)s”: showing “%(scheme)s” instead.") % {
        "value": value, "scheme": shown.name,
    }
    return shown, [notice], {"scheme": missing}


def _period_parse(text: str) -> tuple[Period | None, str | None]:
    """The period the text names, or None and why it is not a period (None for no text)."""
    if not text:
        return None, None
    try:
        return parse_period(text), None
    except PeriodError as error:
        return None, str(error)


def _period_notice(text: str, *, period: Period | None, scheme: ScoringScheme, latest: ScoreRun) -> str:
    """The notice for a period that is not shown: not a period at all, or not published."""
    if period is None:
        return _("“%(value)s” is not a period (e.g. 2012-03, 2012-Q1 or 2012): showing the latest published "
                 "period, %(latest)s, instead.") % {"value": echo(text), "latest": latest.period_label}
    return _("“%(scheme)s” has no published ranking for %(period)s: showing the latest published period, "
             "%(latest)s, instead.") % {"scheme": scheme.name, "period": period.label, "latest": latest.period_label}
