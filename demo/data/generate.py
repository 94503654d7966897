"""Deterministic, realistic snapshot rows for demos and benchmarks.

`generate_snapshots(cities=60, months=12, start="2012-01", seed=42)` returns one row per (account,
month) in the import format (see `COLUMNS`). The same arguments always give the same frame.

What makes it realistic (each is a tested invariant):
- real cities (demo.data.cities); accounts in the five award categories plus "other", at city,
  county and township level, with names such as 平安长沙, 长沙发布, 龙泉区交警大队, 青山镇派出所;
- heavy tails: fans, posting rate and per-post engagement are lognormal per account and scale with the
  city's size, so a few accounts hold most of the fans;
- fans never fall from one month to the next; original posts never exceed posts; nothing is negative;
- about 3-14% empty shells (空壳, never a post), ~20% broadcast-only accounts (comments, no replies), ~6%
  that stop posting (their last_post_on stays in the past), ~4% opened during the range;
- the seed article's named accounts with their published facts (demo.data.named).

Memory: every metric is an (accounts x months) numpy array, and the frame's text columns are
categoricals, so the national set (180,000 accounts x 12 months) needs a few hundred MB. No Django.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo.data.cities import CITIES, CityInfo
from demo.data.named import CHANGSHA_POLICE, NAMED_ACCOUNTS, SERIES_COLUMNS, NamedAccount
from demo.data.names import CATEGORIES, LEVELS, city_account_names

PLATFORMS = ("sina", "tencent")
ACCOUNT_COLUMNS = ("city", "province", "account", "platform", "category", "level", "period")
COUNT_COLUMNS = ("fans", "posts", "original_posts", "reposts", "comments", "likes", "replies",
                 "original_reposts", "original_comments")
# Optional columns the import understands: the account's opening date (published ones only) and the
# city's administrative level, code and English name (used when the import creates the city).
EXTRA_COLUMNS = ("last_post_on", "opened_on", "city_level", "admin_code", "name_en")
COLUMNS = (*ACCOUNT_COLUMNS, *COUNT_COLUMNS, *EXTRA_COLUMNS)

# Account index -> (months present as a boolean (M,) mask, the series over those months).
NamedSeries = dict[int, tuple[np.ndarray, dict[str, np.ndarray]]]

# Account behaviours (codes of the `kind` array).
ACTIVE, EMPTY_SHELL, STOPPED, BROADCAST_ONLY, EXEMPLARY = range(5)
_EMPTY_SHARE = np.array([0.03, 0.07, 0.14])  # by level: township accounts are the emptiest
_STOPPED_SHARE, _BROADCAST_SHARE, _EXEMPLARY_SHARE = 0.06, 0.20, 0.05
_OPENED_IN_RANGE_SHARE = 0.04
_TENCENT_SHARE = 0.12
# Relative size of an account by level (city, county, township) and category (CATEGORIES order).
_LEVEL_SIZE = np.array([1.0, 0.15, 0.02])
_CATEGORY_SIZE = np.array([1.6, 1.2, 1.4, 0.5, 0.8, 0.35])
_FANS_PER_SIZE = 30_000
_HOTTEST_MARGIN = 0.9  # other Hunan accounts stay below 90% of 长沙警事


@dataclass(frozen=True)
class Accounts:
    """The account table: one entry per account, in output order (city by city)."""

    names: list[str]
    city: np.ndarray  # index into the chosen cities
    category: np.ndarray  # index into CATEGORIES
    level: np.ndarray  # index into LEVELS
    platform: np.ndarray  # index into PLATFORMS
    lead: np.ndarray  # bool: a city's leading account in one of the five award categories
    named: dict[int, NamedAccount]  # account index -> the seed article's account

    def __len__(self) -> int:
        return len(self.names)


def generate_snapshots(*, cities: int = 60, months: int = 12, start: str = "2012-01", seed: int = 42,
                       accounts: int | None = None) -> pd.DataFrame:
    """Snapshot rows for the first `cities` of CITIES over `months` months from `start` (YYYY-MM).

    Without `accounts`, each city gets 8-30 generic accounts by its size (plus the seed article's
    accounts in 长沙 and 株洲); with it, exactly that many accounts in total (the named ones included),
    spread over the cities heavy-tailed. Columns: COLUMNS; text columns are categoricals, counts
    int64, last_post_on datetime64 (NaT for an account that has never posted). Rows are ordered by
    period, then city, then account. Raises ValueError for impossible arguments.
    """
    periods = _month_starts(start, months)
    chosen = _choose_cities(cities)
    # Independent streams: a change to the metrics model leaves the account names as they were.
    streams = np.random.SeedSequence(seed).spawn(3)
    structure_rng, names_rng, metrics_rng = (np.random.default_rng(stream) for stream in streams)
    named = _named_in(chosen, periods)
    generic_counts = _generic_counts(chosen, accounts, len(named), structure_rng)
    table = _accounts(chosen, generic_counts, named, names_rng, structure_rng)
    return _frame(table, chosen, periods, _metrics(table, chosen, periods, metrics_rng))


def minimum_accounts(*, cities: int, months: int, start: str) -> int:
    """The smallest `accounts` accepted: one generic account per city plus the named accounts in them."""
    periods = _month_starts(start, months)
    return cities + len(_named_in(_choose_cities(cities), periods))


def _named_in(chosen: list[CityInfo], periods: np.ndarray) -> list[NamedAccount]:
    """The seed article's accounts in the chosen cities that are open by the last period."""
    names = {c.name for c in chosen}
    return [n for n in NAMED_ACCOUNTS if n.city in names and np.datetime64(n.opened, "M") <= periods[-1]]


def _month_starts(start: str, months: int) -> np.ndarray:
    if months < 1:
        raise ValueError("months must be at least 1")
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", start):
        raise ValueError(f"start must be YYYY-MM, got {start!r}")
    first = np.datetime64(start, "M")
    return first + np.arange(months)


def _choose_cities(count: int) -> list[CityInfo]:
    if not 1 <= count <= len(CITIES):
        raise ValueError(f"cities must be between 1 and {len(CITIES)}")
    return list(CITIES[:count])


def _generic_counts(chosen: list[CityInfo], total: int | None, named: int,
                    rng: np.random.Generator) -> np.ndarray:
    """Generic (not named) accounts per city."""
    weights = np.array([c.weight for c in chosen])
    if total is None:
        # The demo: 8 accounts for the smallest city, 30 for the biggest, ~16 for a provincial capital.
        size = weights ** 1.5 * rng.lognormal(0, 0.15, len(chosen))
        return np.clip(np.rint(8 + 22 * size), 8, 30).astype(np.int64)
    generic = total - named
    if generic < len(chosen):
        raise ValueError(f"accounts must be at least {len(chosen) + named} for {len(chosen)} cities")
    # One per city, the rest proportional to a heavy-tailed size: largest remainders, exact total.
    share = weights ** 1.2 * rng.lognormal(0, 0.35, len(chosen))
    quota = (generic - len(chosen)) * share / share.sum()
    counts = np.floor(quota).astype(np.int64)
    shortfall = generic - len(chosen) - counts.sum()
    counts[np.argsort(-(quota - counts), kind="stable")[:shortfall]] += 1
    return counts + 1


def _accounts(chosen: list[CityInfo], generic_counts: np.ndarray, named: list[NamedAccount],
              names_rng: np.random.Generator, structure_rng: np.random.Generator) -> Accounts:
    reserved = {n.name for n in named} | {n.name for n in NAMED_ACCOUNTS}
    names: list[str] = []
    city, category, level, platform, lead = [], [], [], [], []
    named_at: dict[int, NamedAccount] = {}
    used: set[tuple[int, str]] = set()
    for city_index, (info, count) in enumerate(zip(chosen, generic_counts, strict=False)):
        for account in (n for n in named if n.city == info.name):
            named_at[len(names)] = account
            _append(names, used, account.name, account.name, PLATFORMS.index(account.platform))
            city.append(city_index), category.append(CATEGORIES.index(account.category))
            level.append(LEVELS.index(account.level)), platform.append(PLATFORMS.index(account.platform))
            lead.append(True)
        generated = city_account_names(info, int(count), reserved=reserved, rng=names_rng)
        platforms = (structure_rng.random(len(generated)) < _TENCENT_SHARE).astype(np.int64)
        for account, plat in zip(generated, platforms, strict=False):
            _append(names, used, account.name, account.fallback, int(plat))
            city.append(city_index), category.append(CATEGORIES.index(account.category))
            level.append(LEVELS.index(account.level)), platform.append(int(plat))
            lead.append(account.lead)
    return Accounts(names, np.array(city), np.array(category), np.array(level), np.array(platform),
                    np.array(lead, dtype=bool), named_at)


def _append(names: list[str], used: set[tuple[int, str]], name: str, fallback: str, platform: int) -> None:
    """Add a name unique per platform (the GovAccount constraint): the name, its city-qualified
    fallback, or as a last resort the fallback numbered."""
    for candidate in (name, fallback):
        if (platform, candidate) not in used:
            break
    else:
        number = 2
        while (platform, f"{fallback}{number}") in used:
            number += 1
        candidate = f"{fallback}{number}"
    used.add((platform, candidate))
    names.append(candidate)


def _metrics(table: Accounts, chosen: list[CityInfo], periods: np.ndarray,
             rng: np.random.Generator) -> dict[str, np.ndarray]:
    """(accounts x months) arrays of every count, `last_post_day` (days since 1970, -1 = never) and
    `present` (the account exists in that month)."""
    n, m = len(table), len(periods)
    month = np.arange(m)
    weights = np.array([c.weight for c in chosen])
    size = (weights[table.city] * _LEVEL_SIZE[table.level] * _CATEGORY_SIZE[table.category]
            * rng.lognormal(0, 0.85, n))
    kind = _kinds(table, rng)
    opened = np.where((rng.random(n) < _OPENED_IN_RANGE_SHARE) & (m > 1), rng.integers(1, max(m, 2), n), 0)
    stop = np.where(kind == STOPPED, rng.integers(-12, m, n), m)
    stop = np.where(opened > 0, np.maximum(stop, opened + 1), stop)  # a new account posts at least once
    posting = (month >= opened[:, None]) & (month < stop[:, None]) & (kind != EMPTY_SHELL)[:, None]

    fans = _fans(size, kind, opened, stop, month, rng)
    rate = np.minimum(3 + 110 * size ** 0.35 * rng.lognormal(0, 0.7, n), 1200)
    posts = rng.poisson(rate[:, None] * rng.gamma(3.0, 1 / 3, (n, m))) * posting
    original_share = rng.beta(6, 3, n)
    metrics = {"fans": fans, "posts": posts, "original_posts": rng.binomial(posts, original_share[:, None])}
    appeal = 0.004 * rng.lognormal(0, 0.5, n)
    per_post = appeal[:, None] * fans ** 0.6
    for column, ratio in (("comments", 1.0), ("reposts", 1.4), ("likes", 0.7)):
        metrics[column] = rng.poisson(posts * per_post * ratio * rng.gamma(2.0, 0.5, (n, m)))
    named_series = _named_series(table, periods)
    _cap_below_hottest(metrics, table, chosen, named_series)

    reply_rate = np.select([kind == BROADCAST_ONLY, kind == EXEMPLARY], [0.0, rng.beta(12, 1, n)],
                           rng.beta(1.5, 4, n))
    metrics["replies"] = rng.binomial(metrics["comments"], reply_rate[:, None])
    share = np.minimum(original_share + 0.15, 1.0)[:, None]
    metrics["original_reposts"] = rng.binomial(metrics["reposts"], share)
    metrics["original_comments"] = rng.binomial(metrics["comments"], share)
    metrics["last_post_day"] = _last_post_day(posts, kind, opened, stop, periods, rng)
    metrics["present"] = month >= opened[:, None]
    _apply_named(metrics, named_series, periods)
    return metrics


def _kinds(table: Accounts, rng: np.random.Generator) -> np.ndarray:
    """Each account's behaviour. A city's leading accounts (平安长沙, 长沙发布 …) always post."""
    draw = rng.random(len(table))
    empty = np.where(table.lead, 0.0, _EMPTY_SHARE[table.level])
    stopped = np.where(table.lead, 0.0, _STOPPED_SHARE)
    return np.select(
        [draw < empty, draw < empty + stopped, draw < empty + stopped + _BROADCAST_SHARE,
         draw < empty + stopped + _BROADCAST_SHARE + _EXEMPLARY_SHARE],
        [EMPTY_SHELL, STOPPED, BROADCAST_ONLY, EXEMPLARY], ACTIVE,
    )


def _fans(size: np.ndarray, kind: np.ndarray, opened: np.ndarray, stop: np.ndarray, month: np.ndarray,
          rng: np.random.Generator) -> np.ndarray:
    """Fans at each month's end: a start level times compounded non-negative growth, so they never fall.

    New accounts start small and grow fast; idle and empty ones barely grow (zombie fans only).
    """
    n, m = len(size), len(month)
    new = opened > 0
    start = _FANS_PER_SIZE * size * np.where(new, 0.05, 1.0) * np.where(kind == EMPTY_SHELL, 0.3, 1.0)
    trend = np.minimum(0.035 * rng.lognormal(0, 0.5, n) * np.where(new, 4.0, 1.0), 0.5)
    growth = trend[:, None] * rng.gamma(2.0, 0.5, (n, m))
    growth[month < opened[:, None]] = 0.0
    growth[month >= stop[:, None]] *= 0.15
    growth[kind == EMPTY_SHELL] *= 0.2
    return np.floor(start[:, None] * np.cumprod(1.0 + growth, axis=1)).astype(np.int64)


def _last_post_day(posts: np.ndarray, kind: np.ndarray, opened: np.ndarray, stop: np.ndarray,
                   periods: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The date of the latest post up to each month's end, as days since 1970 (-1: never posted).

    Busy accounts post close to the month's end. Dates only move forward, so carrying the last post
    forward through silent months is a running maximum.
    """
    n = len(kind)
    ends = ((periods + 1).astype("datetime64[D]") - np.timedelta64(1, "D")).astype(np.int64)
    days = (ends - periods.astype("datetime64[D]").astype(np.int64) + 1)
    offset = np.minimum(np.floor(rng.exponential(1.0, posts.shape) * days / (posts + 1)), days - 1)
    post_day = np.where(posts > 0, ends - offset.astype(np.int64), -1)
    first_day = periods[0].astype("datetime64[D]").astype(np.int64)
    # Accounts that posted before the range: just before it, or (stopped ones) months before it.
    before = np.where(stop < 0, first_day - 30 * -stop - rng.integers(0, 28, n),
                      first_day - 1 - rng.integers(0, 3, n))
    before = np.where((kind == EMPTY_SHELL) | (opened > 0), -1, before)  # these never posted before
    return np.maximum.accumulate(np.maximum(post_day, before[:, None]), axis=1)


def _named_series(table: Accounts, periods: np.ndarray) -> NamedSeries:
    result = {}
    for index, account in table.named.items():
        since = (periods - np.datetime64(account.opened, "M")).astype(np.int64)
        present = since >= 0
        result[index] = (present, account.series(since[present]))
    return result


def _cap_below_hottest(metrics: dict[str, np.ndarray], table: Accounts, chosen: list[CityInfo],
                       named_series: NamedSeries) -> None:
    """Keep every other Hunan account below 长沙警事 ("the hottest in Hunan") in fans, reposts and comments.

    A cap that never falls keeps fans non-decreasing.
    """
    hottest = next((i for i, a in table.named.items() if a.name == CHANGSHA_POLICE), None)
    if hottest is None:
        return
    present, series = named_series[hottest]
    hunan = np.array([c.province == "湖南" for c in chosen])[table.city]
    hunan[hottest] = False
    for column in ("fans", "reposts", "comments"):
        cap = np.full(present.shape, np.iinfo(np.int64).max)
        cap[present] = np.floor(series[column] * _HOTTEST_MARGIN).astype(np.int64)
        metrics[column][hunan] = np.minimum(metrics[column][hunan], cap)


def _apply_named(metrics: dict[str, np.ndarray], named_series: NamedSeries,
                 periods: np.ndarray) -> None:
    """Overwrite the named accounts' rows with their published (or fixed) series. They post daily."""
    ends = ((periods + 1).astype("datetime64[D]") - np.timedelta64(1, "D")).astype(np.int64)
    for index, (present, series) in named_series.items():
        metrics["present"][index] = present
        for column in SERIES_COLUMNS:
            metrics[column][index, present] = series[column]
        metrics["last_post_day"][index] = np.where(present, ends, -1)


def _frame(table: Accounts, chosen: list[CityInfo], periods: np.ndarray,
           metrics: dict[str, np.ndarray]) -> pd.DataFrame:
    """Flatten (accounts x months) to rows ordered by period then account, keeping present rows."""
    n, m = metrics["present"].shape
    keep = metrics["present"].T.ravel()

    def rows(values: np.ndarray) -> np.ndarray:  # per-(account, month) array -> kept rows
        return values.T.ravel()[keep]

    account_index = np.tile(np.arange(n), m)[keep]
    name_codes, name_values = pd.factorize(pd.Index(table.names), sort=False)
    city_rows = table.city[account_index]

    def by_city(values: list[str]) -> pd.Categorical:  # a city attribute, repeated on its rows
        codes, uniques = pd.factorize(pd.Index(values), sort=False)
        return pd.Categorical.from_codes(codes[city_rows], list(uniques))

    last = rows(metrics["last_post_day"])
    columns = {
        "city": by_city([c.name for c in chosen]),
        "province": by_city([c.province for c in chosen]),
        "account": pd.Categorical.from_codes(name_codes[account_index], list(name_values)),
        "platform": pd.Categorical.from_codes(table.platform[account_index], PLATFORMS),
        "category": pd.Categorical.from_codes(table.category[account_index], CATEGORIES),
        "level": pd.Categorical.from_codes(table.level[account_index], LEVELS),
        "period": pd.Categorical.from_codes(np.repeat(np.arange(m), n)[keep], [str(p) for p in periods]),
        **{column: rows(metrics[column]).astype(np.int64) for column in COUNT_COLUMNS},
        "last_post_on": _dates(last),
        "opened_on": _dates(rows(_opened_days(table, m))),
        "city_level": by_city([c.level for c in chosen]),
        "admin_code": by_city([c.admin_code for c in chosen]),
        "name_en": by_city([c.name_en for c in chosen]),
    }
    return pd.DataFrame(columns, columns=list(COLUMNS))


def _dates(days: np.ndarray) -> pd.Series:
    """Days since 1970 (-1: none) -> datetime64 with NaT."""
    return pd.to_datetime(np.where(days >= 0, days, np.iinfo(np.int64).min).astype("datetime64[D]"))


def _opened_days(table: Accounts, months: int) -> np.ndarray:
    """(accounts x months) opening dates: published ones for the named accounts, -1 otherwise."""
    days = np.full((len(table), months), -1, dtype=np.int64)
    for index, account in table.named.items():
        if account.opened_on:
            days[index] = np.datetime64(account.opened_on, "D").astype(np.int64)
    return days
