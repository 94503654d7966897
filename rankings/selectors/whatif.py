"""The account-level input of the what-if explorer's server mode (rankings.scoring.whatif): a
run's accounts with their city, category, stored composite and stored normalised indicators, in the
column names of the scoring pipeline (rankings.scoring.columns), so that its pure functions
(aggregate.composite, pipeline.city_scores) recompute the cities from it exactly as a run does.

One query (COPY on PostgreSQL, core.bulk); the indicators come out of the JSON column in the database
as one float column per key, as rankings.exporting reads them. A published run's frame is kept in the
cache (rankings.selectors.cities.run_cached): a national run has about 180,000 accounts.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.bulk import query_frame
from rankings.fields import ListItem
from rankings.models import AccountScore, ScoreRun
from rankings.scoring.columns import ACCOUNT_ID, CATEGORY, CITY_ID, COMPOSITE, norm_column
from rankings.scoring.whatif import accounts_city_scores
from rankings.selectors.cities import run_cached

CACHE_NAME = "whatif-accounts"


def whatif_accounts_frame(*, run: ScoreRun) -> pd.DataFrame:
    """Index ACCOUNT_ID (sorted, as the pipeline sorts its accounts, so that ties between accounts go to
    the same account); columns CITY_ID, CATEGORY (categorical), COMPOSITE and norm_column(key) per indicator key of
    the run's scheme (float64). One query, none for a published run already in the cache."""
    return run_cached(run, CACHE_NAME, lambda: _whatif_accounts_frame(run=run))


def _whatif_accounts_frame(*, run: ScoreRun) -> pd.DataFrame:
    keys = list(run.definition.indicator_keys)
    values = {f"norm_{n}": ListItem("normalized_values", n) for n in range(len(keys))}
    rows = (AccountScore.objects.filter(run=run).order_by("account_id").annotate(**values)
            .values_list("account_id", "city_id", "category", "composite", *values))
    sql, params = rows.query.sql_with_params()
    columns = [ACCOUNT_ID, CITY_ID, CATEGORY, COMPOSITE, *values]
    floats = {COMPOSITE: "float64", **{name: "float64" for name in values}}
    frame = query_frame(sql, params, columns=columns, text_columns=[CATEGORY],
                        dtypes={ACCOUNT_ID: "int64", CITY_ID: "int64", **floats})
    frame = frame.rename(columns={f"norm_{n}": norm_column(key) for n, key in enumerate(keys)})
    # A categorical column: the cached frame pickles about 25 times faster than one of 180,000 Python
    # strings, and groups faster (the pipeline's functions group with observed=True).
    frame[CATEGORY] = frame[CATEGORY].astype("category")
    return frame.set_index(ACCOUNT_ID).sort_index().astype({CITY_ID: np.int64})


def whatif_recompute(*, run: ScoreRun, weights: dict[str, float]) -> pd.DataFrame:
    """The city scores and ranks a run of `run`'s scheme with these weights would publish, from its
    stored account rows (rankings.scoring.whatif.accounts_city_scores): index city id; columns score
    and rank. One query, none for a published run already in the cache."""
    return accounts_city_scores(whatif_accounts_frame(run=run), run.definition, weights)
