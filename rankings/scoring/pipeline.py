"""Scoring, start to finish: account totals + a scheme -> account, city and indicator scores.

Steps (score() chains them with .pipe):
1. raw indicators: evaluate each indicator's expression on the totals (warnings counted per indicator);
2. normalise each indicator (within each category when the scheme says group_by_category);
3. weights: the scheme's (manual) and the entropy weights of the normalised matrix; `used` is one of them;
4. account composite (aggregate.composite) and its rank within the account's category;
5. cities: each (city, category)'s accounts aggregated (account_to_city) -> city_categories; with
   category weights the city score combines the weighted categories (accounts of unweighted
   categories, such as "other", are scored but count for no city); without, it aggregates all of the
   city's accounts at once;
6. city ranks, and city_indicators: each normalised indicator carried to the city the way the score
   is (the same accounts, aggregation and category weights). For arithmetic aggregation this makes
   scale * sum_k used_k * city_indicators[k] equal the city score, so export columns explain it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rankings.scoring.aggregate import combine_categories, composite, counts_for_city, to_city
from rankings.scoring.columns import (
    ACCOUNTS,
    CATEGORY,
    CITY_ID,
    COMPOSITE,
    ENTROPY,
    MANUAL,
    RANK,
    RANK_IN_CATEGORY,
    SCORE,
    USED,
    norm_column,
    raw_column,
)
from rankings.scoring.diagnostics import account_flags, input_warnings
from rankings.scoring.expressions import Expression, parse_expression
from rankings.scoring.normalise import normalise
from rankings.scoring.ranks import competition_rank
from rankings.scoring.schemes import Indicator, Scheme
from rankings.scoring.weights import entropy_weights

INDICATOR = "indicator"


@dataclass
class ScoreResult:
    """What score() returns.

    accounts: index ACCOUNT_ID; CITY_ID, CATEGORY, raw__<key> and norm__<key> per indicator, COMPOSITE,
        RANK_IN_CATEGORY and the diagnostic flags (diagnostics.account_flags).
    city_categories: one row per (CITY_ID, CATEGORY) with accounts, sorted: SCORE (the category's
        accounts aggregated by account_to_city) and ACCOUNTS (how many).
    cities: index CITY_ID; SCORE, RANK, ACCOUNTS (the accounts that count for the score).
    city_indicators: index CITY_ID; one column per indicator key (see the module docstring, step 6).
    weights: index indicator key; MANUAL, ENTROPY and USED.
    warnings: "<indicator key>:<reason>" -> rows affected (expressions.Expression.evaluate), and
        "*:<reason>" -> accounts affected for the input itself (diagnostics.input_warnings).
    """

    accounts: pd.DataFrame
    city_categories: pd.DataFrame
    cities: pd.DataFrame
    city_indicators: pd.DataFrame
    weights: pd.DataFrame
    warnings: dict[str, int] = field(default_factory=dict)


def score(totals: pd.DataFrame, scheme: Scheme, *, period_end: object) -> ScoreResult:
    """Score the accounts of `totals` (inputs.period_totals) by `scheme`; period_end dates the flags.

    The result does not depend on the order of totals' rows. No accounts gives an empty result.
    """
    totals = totals.sort_index()
    warnings: Counter[str] = Counter(input_warnings(totals))
    accounts = (
        totals[[CITY_ID, CATEGORY]]
        .pipe(_with_raw_indicators, totals, scheme, warnings)
        .pipe(_with_normalised_indicators, scheme)
    )
    weights = indicator_weights(_indicator_matrix(accounts, scheme, norm_column), scheme)
    accounts = accounts.pipe(_with_composite, scheme, weights[USED]).join(
        account_flags(totals, period_end=period_end)
    )
    city_categories = _city_categories(accounts, scheme)
    cities = _cities(accounts, city_categories, scheme)
    return ScoreResult(
        accounts=accounts,
        city_categories=city_categories,
        cities=cities,
        city_indicators=_city_indicators(accounts, scheme).reindex(cities.index),
        weights=weights,
        warnings=dict(sorted(warnings.items())),
    )


def raw_matrix(totals: pd.DataFrame, scheme: Scheme, *, warnings: Counter[str] | None = None) -> pd.DataFrame:
    """Each indicator's expression evaluated per account: accounts x indicator keys, float64.

    A custom or optional metric the totals lack is read as missing (0, counted). Warnings, when a
    counter is given, are added to it as "<indicator key>:<reason>".
    """
    frame = totals
    absent = [name for name in scheme.expression_names if name not in totals.columns]
    if absent:
        frame = totals.assign(**{name: np.nan for name in absent})
    columns: dict[str, pd.Series] = {}
    for indicator in scheme.indicators:
        values, counts = _expression(indicator, scheme).evaluate(frame)
        columns[indicator.key] = values
        if warnings is not None:
            warnings.update({f"{indicator.key}:{reason}": count for reason, count in counts.items()})
    return pd.DataFrame(columns, index=totals.index, columns=list(scheme.indicator_keys), dtype=np.float64)


def normalise_matrix(
    raw: pd.DataFrame, scheme: Scheme, *, categories: pd.Series, method: str | None = None
) -> pd.DataFrame:
    """Normalise each column of `raw` (raw_matrix) by its indicator's method, or by `method` if given;
    within `categories` when the scheme groups by category."""
    groups = categories if scheme.group_by_category else None
    columns = {
        indicator.key: normalise(raw[indicator.key], method or indicator.normalize, groups=groups)
        for indicator in scheme.indicators
    }
    return pd.DataFrame(columns, index=raw.index, columns=list(scheme.indicator_keys), dtype=np.float64)


def normalised_matrix(totals: pd.DataFrame, scheme: Scheme, *, method: str | None = None) -> pd.DataFrame:
    """Accounts (index ACCOUNT_ID, sorted) x indicator keys, normalised as score() does, except that
    `method`, when given, replaces every indicator's own normalisation."""
    totals = totals.sort_index()
    return normalise_matrix(raw_matrix(totals, scheme), scheme, categories=totals[CATEGORY], method=method)


def indicator_weights(norm: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    """MANUAL (the scheme's), ENTROPY (of `norm`, accounts x indicator keys) and USED, per indicator key."""
    manual = pd.Series(scheme.manual_weights, index=list(scheme.indicator_keys), dtype=np.float64)
    entropy = entropy_weights(norm[list(scheme.indicator_keys)])
    used = entropy if scheme.weighting == "entropy" else manual
    weights = pd.DataFrame({MANUAL: manual, ENTROPY: entropy, USED: used}, index=manual.index)
    return weights.rename_axis(INDICATOR)


def city_scores(composites: pd.Series, accounts: pd.DataFrame, scheme: Scheme) -> pd.Series:
    """City scores from account composites (steps 5 and 6 without the rest), for repeated runs such as
    the Monte Carlo: accounts has CITY_ID and CATEGORY on the composites' index. Indexed by CITY_ID."""
    frame = accounts[[CITY_ID, CATEGORY]].assign(**{COMPOSITE: composites})
    # Without category weights the city score aggregates the accounts at once: no (city, category) rows.
    categories = _city_categories(frame, scheme) if scheme.category_weights is not None else None
    return _cities(frame, categories, scheme)[SCORE]


def _expression(indicator: Indicator, scheme: Scheme) -> Expression:
    # Scheme.from_document parses every expression; a Scheme built by hand is parsed here.
    return indicator.expression or parse_expression(indicator.expr, names=scheme.expression_names)


def _indicator_matrix(accounts: pd.DataFrame, scheme: Scheme, column: object) -> pd.DataFrame:
    keys = list(scheme.indicator_keys)
    return accounts[[column(key) for key in keys]].set_axis(keys, axis=1)


def _with_raw_indicators(
    accounts: pd.DataFrame, totals: pd.DataFrame, scheme: Scheme, warnings: Counter[str]
) -> pd.DataFrame:
    raw = raw_matrix(totals, scheme, warnings=warnings)
    return pd.concat([accounts, raw.rename(columns=raw_column)], axis=1)


def _with_normalised_indicators(accounts: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    raw = _indicator_matrix(accounts, scheme, raw_column)
    norm = normalise_matrix(raw, scheme, categories=accounts[CATEGORY])
    return pd.concat([accounts, norm.rename(columns=norm_column)], axis=1)


def _with_composite(accounts: pd.DataFrame, scheme: Scheme, weights: pd.Series) -> pd.DataFrame:
    norm = _indicator_matrix(accounts, scheme, norm_column)
    values = composite(norm, weights, method=scheme.aggregation, scale=scheme.scale)
    return accounts.assign(**{
        COMPOSITE: values,
        RANK_IN_CATEGORY: competition_rank(values, groups=accounts[CATEGORY]),
    })


def _city_categories(accounts: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    keys = [accounts[CITY_ID], accounts[CATEGORY]]
    scores = to_city(accounts[COMPOSITE], keys, scheme.account_to_city).rename(SCORE)
    counts = accounts.groupby(keys, sort=True, observed=True).size().rename(ACCOUNTS).astype(np.int64)
    frame = pd.concat([scores, counts], axis=1).rename_axis([CITY_ID, CATEGORY]).reset_index()
    return frame[[CITY_ID, CATEGORY, SCORE, ACCOUNTS]]


def _cities(accounts: pd.DataFrame, city_categories: pd.DataFrame | None, scheme: Scheme) -> pd.DataFrame:
    """city_categories: _city_categories' rows; only read (and then needed) with category weights."""
    if scheme.category_weights is not None:
        if city_categories is None:
            raise ValueError("a scheme with category weights needs its (city, category) rows")
        scores = combine_categories(city_categories, scheme.category_weights, missing=scheme.missing_category)
        counted = city_categories[counts_for_city(city_categories[CATEGORY], scheme.category_weights)]
        counts = counted.groupby(CITY_ID, sort=True)[ACCOUNTS].sum().reindex(scores.index, fill_value=0)
    else:
        scores = to_city(accounts[COMPOSITE], accounts[CITY_ID], scheme.account_to_city)
        counts = accounts.groupby(CITY_ID, sort=True).size()
    cities = pd.DataFrame({
        SCORE: scores.astype(np.float64),
        RANK: competition_rank(scores),
        ACCOUNTS: counts.astype(np.int64),
    })
    return cities.rename_axis(CITY_ID)


def _city_indicators(accounts: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    norm = _indicator_matrix(accounts, scheme, norm_column)
    how, best = scheme.account_to_city, accounts[COMPOSITE]
    if scheme.category_weights is None:
        return to_city(norm, accounts[CITY_ID], how, by=best).rename_axis(CITY_ID)
    per_category = (
        to_city(norm, [accounts[CITY_ID], accounts[CATEGORY]], how, by=best)
        .rename_axis([CITY_ID, CATEGORY])
        .reset_index()
    )
    weights, missing = scheme.category_weights, scheme.missing_category
    columns = {
        key: combine_categories(per_category, weights, missing=missing, value=key)
        for key in scheme.indicator_keys
    }
    return pd.DataFrame(columns, columns=list(scheme.indicator_keys)).rename_axis(CITY_ID)
