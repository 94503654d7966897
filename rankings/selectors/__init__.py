"""Reads of the rankings app (HackSoft style: selectors read, services write), by subject. Import from
here: `from rankings import selectors`. Presentation (method text, charts) is rankings.presentation.

- schemes.py   scheme_list, scheme_get, scheme_default_get (THE default scheme), NO_DEFAULT_SCHEME
- runs.py      run_list, run_get, run_published_get/list, run_periods_published, snapshots_exist
- rankings.py  city_ranking_list/get, account_ranking_list, run_provinces, city_ranking_heading
- totals.py    period_totals_read (the scoring input: aggregated in the database on PostgreSQL)
- visibility.py   THE rule of who sees a run and what may be kept of it: run_is_public, run_is_cacheable,
                  run_visible_to, runs_visible_to, run_cache_key, run_etag, run_last_modified
- resolution.py   THE rule of ?scheme=&period= ⇒ the run to show: run_resolve → RunChoice
"""
from typing import TYPE_CHECKING

from core.lazy import lazy_exports

# Each name loads its module on first use (core.lazy): importing this package loads no pandas.
__getattr__, __dir__ = lazy_exports(__name__, {
    "rankings": ("CityRanking", "account_ranking_list", "city_provinces", "city_ranking_get", "city_ranking_heading", "city_ranking_list", "run_provinces"),
    "runs": ("no_published_ranking_message", "run_get", "run_list", "run_periods_published", "run_published_get", "run_published_list", "snapshots_exist"),
    "schemes": ("DEFAULT_BUILTIN_SLUG", "NO_DEFAULT_SCHEME", "scheme_default_get", "scheme_get", "scheme_list"),
    "totals": ("PeriodTotals", "period_totals_read"),
})

if TYPE_CHECKING:  # the names as static tools see them
    from rankings.selectors.rankings import (
        CityRanking,
        account_ranking_list,
        city_provinces,
        city_ranking_get,
        city_ranking_heading,
        city_ranking_list,
        run_provinces,
    )
    from rankings.selectors.runs import (
        no_published_ranking_message,
        run_get,
        run_list,
        run_periods_published,
        run_published_get,
        run_published_list,
        snapshots_exist,
    )
    from rankings.selectors.schemes import (
        DEFAULT_BUILTIN_SLUG,
        NO_DEFAULT_SCHEME,
        scheme_default_get,
        scheme_get,
        scheme_list,
    )
    from rankings.selectors.totals import PeriodTotals, period_totals_read

__all__ = [
    "DEFAULT_BUILTIN_SLUG", "NO_DEFAULT_SCHEME", "CityRanking", "PeriodTotals",
    "account_ranking_list", "city_provinces", "city_ranking_get", "city_ranking_list", "city_ranking_heading",
    "no_published_ranking_message", "period_totals_read", "run_get", "run_list", "run_periods_published", "run_published_get",
    "run_published_list", "run_provinces", "scheme_default_get", "scheme_get", "scheme_list",
    "snapshots_exist",
]
