"""The what-if weight explorer: sliders set other weights, the city ranking is recomputed with them, and
each city's shift against the published ranking is shown (static/js/whatif.js). An exploration, never
the published ranking.

Two ways to recompute, both exact (the tests hold them against real score runs with those weights):
- in the browser, from the city-level scores the page carries, where the city score is a weighted sum
  of them:
  - a scheme with category weights: the city score is the weighted sum of its category scores
    (rankings.scoring.aggregate.combine_categories, whatever the indicators' aggregation or the
    account_to_city rule: those act inside the category scores, which do not depend on the category
    weights). With missing_category "zero" a category without accounts adds 0; with "renormalize" the
    sum is divided by the weights of the categories present.
  - a scheme without category weights, arithmetic aggregation and account_to_city mean or sum: the
    city score is scale × Σ w_k × (the city's mean or sum of normalised indicator k), which the run
    stores per city (CityScore.indicators, rounded to 6 decimals: the recomputed score can differ from
    a run's in the 6th decimal).
- on the server, for every other scheme (account_to_city max or top3_mean, or geometric aggregation,
  without category weights): those pick or multiply accounts by their composite, which other weights
  change, so the city ranking depends on account-level values (about 180,000 of them nationally: not
  for the browser). whatif_recompute reads the run's stored normalised indicators per account (one
  query, cached for a published run: rankings.selectors.whatif) and runs the scoring pipeline's own
  functions on them: aggregate.composite with the chosen weights in place of the used ones (also for
  an entropy-weighted scheme), then pipeline.city_scores and ranks.competition_rank. The page asks
  for it through a small JSON endpoint (rankings.whatif_views.run_whatif), and, when the page itself
  is requested with ?w= (a shared link, or the explorer's form submitted without JavaScript), the
  server renders the recomputed table into the page: in server mode with whatif_recompute, in browser
  mode with whatif_scores (the script's city-level arithmetic, so such a page reads no account).

Weights: each slider is a share 0–100; the weights used are the shares divided by their sum, as a
scheme's weights must sum to 1 (all equal when every share is 0). In the URL: ?w=key:share,key:share
(a key left out keeps its published share); the form without JavaScript sends w.<key>=share instead.
Ranks are competition ranks ("1224") of scores rounded to 9 decimals, as
rankings.scoring.ranks.competition_rank gives them.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _

from rankings.labels import city_name, indicator_labels, province_name
from rankings.models import ScoreRun
from rankings.presentation.city import category_label
from rankings.scoring.aggregate import composite
from rankings.scoring.columns import COMPOSITE, norm_column
from rankings.scoring.pipeline import city_scores
from rankings.scoring.ranks import competition_rank
from rankings.selectors import cities as reads
from rankings.selectors.whatif import whatif_accounts_frame

RANK_DECIMALS = 9
CATEGORIES_MODE = "categories"
INDICATORS_MODE = "indicators"
BROWSER = "browser"
SERVER = "server"
PARAM = "w"
FIELD_PREFIX = "w."  # the explorer's form without JavaScript: w.<key>=share
MAX_PARAM_CHARS = 2000
MAX_SHARE = 100.0
ECHO_CHARS = 50


class WeightsError(ValueError):
    """A `w=` the explorer cannot use: str(error) is a translated message naming the weight and why."""


def whatif_data(*, run: ScoreRun, ranking: pd.DataFrame, params: Mapping[str, str] | None = None
                ) -> dict[str, object]:
    """What static/js/whatif.js reads (as JSON): mode (what the sliders weigh), source (browser or
    server), missing, scale, the weights with their labels, and each city's id, name, province,
    published rank and score, and in browser mode its values (null: no account of that category);
    in server mode the endpoint to ask.

    With weights in `params` (?w=, or the form's w.<key>): "given" (the shares) and "rows" (the
    recomputed ranking, rendered by the server into the page), or "error" (why the weights were
    refused). Queries: one in indicator browser mode (the cities' indicators), none in category mode
    (`ranking` has them), none in server mode; with weights in server mode, whatif_recompute's (one,
    none when the run's accounts are in the cache)."""
    mode, keys, weights, labels = whatif_sliders(run)
    scale = float(run.definition.scale) if mode == INDICATORS_MODE else 1.0
    source = _source(run)
    if source == BROWSER and mode == CATEGORIES_MODE:
        values = ranking[keys]
    elif source == BROWSER:
        values = reads.indicators_frame(run=run).reindex(ranking[reads.CITY_ID].to_numpy())
    else:
        values = None
    cities = []
    for position, (_index, row) in enumerate(ranking.iterrows()):
        city = {"id": int(row[reads.CITY_ID]), "name": city_name(row[reads.CITY], row[reads.CITY_EN]),
                "province": province_name(row[reads.PROVINCE]), "rank": int(row[reads.RANK]),
                "score": float(row[reads.SCORE])}
        if values is not None:
            city["values"] = [None if pd.isna(value) else float(value)
                              for value in values.iloc[position].to_numpy(dtype="float64")]
        cities.append(city)
    shares = [round(100 * weights[key]) for key in keys]
    data: dict[str, object] = {
        "mode": mode, "source": source, "missing": run.definition.missing_category, "scale": scale,
        "keys": keys, "labels": [labels[key] for key in keys], "weights": [weights[key] for key in keys],
        "shares": shares, "cities": cities, "city_href": city_href(run),
    }
    if source == SERVER:
        data["endpoint"] = reverse("rankings:run_whatif", args=[run.pk])
        data["failed"] = _("The recomputed ranking could not be loaded; move a slider to try again.")
    values_shown, weights_shown = dict(zip(keys, shares, strict=True)), weights
    if params is not None and _has_weights(params):
        try:
            given = whatif_shares(params, keys=keys, published=dict(zip(keys, shares, strict=True)))
        except WeightsError as error:
            data["error"] = str(error)
        else:
            values_shown, weights_shown = given, weights_from_shares(given)
            data["given"] = [given[key] for key in keys]
            # As the page's script would compute them: in browser mode from the city-level numbers
            # (cheap: no account is read), in server mode from the accounts.
            recomputed = (whatif_scores(data, weights_shown) if source == BROWSER
                          else whatif_recompute(run=run, weights=weights_shown))
            data["rows"] = _page_rows(whatif_rows(ranking=ranking, recomputed=recomputed), run=run)
    # The sliders as the template draws them (the submitted shares, when there are some).
    data["sliders"] = [{"key": key, "label": labels[key], "value": _slider_value(values_shown[key]),
                        "weight": weights_shown[key]} for key in keys]
    # What the script reads (json_script): not the rows and sliders the template draws.
    data["script"] = {name: value for name, value in data.items() if name not in ("rows", "sliders")}
    data["script"]["rendered"] = "rows" in data
    return data


def whatif_shares(params: Mapping[str, str], *, keys: list[str], published: dict[str, float]) -> dict[str, float]:
    """The shares (0–100) by key that `params` asks for: ?w=key:share,… or the form's w.<key>=share; a
    key not given keeps its published share. Raises WeightsError naming the weight and the reason."""
    shares = dict(published)
    text = params.get(PARAM)
    if text is not None:
        parts = _parts(text, keys=keys)
    else:
        parts = [(name.removeprefix(FIELD_PREFIX), params[name]) for name in params if name.startswith(FIELD_PREFIX)]
    seen: set[str] = set()
    for key, value in parts:
        if key not in keys:
            raise WeightsError(_("Weight “%(key)s”: this scheme has no such weight (it has %(keys)s).")
                               % {"key": _echo(key), "keys": ", ".join(keys)})
        if key in seen:
            raise WeightsError(_("Weight “%(key)s” is given twice.") % {"key": key})
        seen.add(key)
        shares[key] = _share(key, value)
    return shares


def whatif_recompute(*, run: ScoreRun, weights: dict[str, float]) -> pd.DataFrame:
    """The city scores and ranks a score run of `run`'s scheme with these weights would publish, from
    the run's stored account rows: index city id; columns score and rank.

    weights: by key, summing to 1 (weights_from_shares); category weights for a scheme with category
    weights (they replace the scheme's: accounts keep their stored composites), else indicator weights
    (they replace the used weights, manual or entropy: each account's composite is recomputed from its
    stored normalised indicators). The scoring pipeline's own functions do the rest."""
    scheme = run.definition
    accounts = whatif_accounts_frame(run=run)
    if scheme.category_weights:
        scheme = dataclasses.replace(scheme, category_weights=dict(weights))
        composites = accounts[COMPOSITE]
    else:
        keys = list(scheme.indicator_keys)
        norm = accounts[[norm_column(key) for key in keys]].set_axis(keys, axis=1)
        used = pd.Series([weights[key] for key in keys], index=keys, dtype="float64")
        composites = composite(norm, used, method=scheme.aggregation, scale=scheme.scale)
    scores = city_scores(composites, accounts, scheme).astype("float64")
    return pd.DataFrame({"score": scores, "rank": competition_rank(scores)}).rename_axis("city_id")


def whatif_rows(*, ranking: pd.DataFrame, recomputed: pd.DataFrame) -> list[dict[str, object]]:
    """A recomputed ranking (whatif_recompute or whatif_scores: index city id, score, rank) as rows for
    the page and the endpoint, by new rank (then published rank, then name): id, name, score, rank,
    published_rank, shift (published − new: up is positive) and places (how many places it moved)."""
    cities = (ranking[[reads.CITY_ID, reads.CITY, reads.CITY_EN, reads.RANK]].set_index(reads.CITY_ID)
              .rename(columns={reads.RANK: "published"}))
    joined = cities.join(recomputed.rename(columns={"rank": "new"}), how="inner").sort_values(
        ["new", "published", reads.CITY], kind="stable")
    return [
        {"id": int(city_id), "name": city_name(row[reads.CITY], row[reads.CITY_EN]),
         "score": float(row["score"]), "rank": int(row["new"]), "published_rank": int(row["published"]),
         "shift": int(row["published"]) - int(row["new"]), "places": abs(int(row["published"]) - int(row["new"]))}
        for city_id, row in joined.iterrows()
    ]


def city_href(run: ScoreRun) -> str:
    """The link of a city in the run's ranking with "{id}" for the city's id: the script fills it in (a
    real path such as /cities/0/ in the page would be a broken link for crawlers and link checkers)."""
    prefix = reverse("city_detail", args=[0]).removesuffix("0/")
    return f"{prefix}{{id}}/?" + urlencode({"scheme": run.scheme.slug, "period": run.period_label})


def _page_rows(rows: list[dict[str, object]], *, run: ScoreRun) -> list[dict[str, object]]:
    """The rows as the template draws them, with what would cost a template tag per row made once here
    (337 rows: the url tag and localized numbers took most of the page's time): each city's link and
    its score as the script shows it (two decimals, thousands grouped, as Intl.NumberFormat does in both
    languages)."""
    prefix = reverse("city_detail", args=[0]).removesuffix("0/")
    query = urlencode({"scheme": run.scheme.slug, "period": run.period_label})
    return [{**row, "href": f"{prefix}{row['id']}/?{query}", "score_text": f"{row['score']:,.2f}"} for row in rows]


def whatif_sliders(run: ScoreRun) -> tuple[str, list[str], dict[str, float], dict[str, str]]:
    """mode, keys, published weights and labels of the sliders: the categories of a scheme with
    category weights, else the indicators (their used weights)."""
    definition = run.definition
    if definition.category_weights:
        keys = reads.run_categories(run)
        weights = {key: float(definition.category_weights[key]) for key in keys}
        return CATEGORIES_MODE, keys, weights, {key: category_label(key) for key in keys}
    keys = list(definition.indicator_keys)
    recorded = run.weights or {}
    weights = {key: float(recorded.get(key, {}).get("used", definition.manual_weights[key])) for key in keys}
    names = indicator_labels(run=run)
    return INDICATORS_MODE, keys, weights, {key: names.get(key, key) for key in keys}


def _source(run: ScoreRun) -> str:
    """browser where the city score is a weighted sum of what the page carries, else server."""
    definition = run.definition
    if definition.category_weights:
        return BROWSER
    if definition.aggregation == "arithmetic" and definition.account_to_city in ("mean", "sum"):
        return BROWSER
    return SERVER


def _has_weights(params: Mapping[str, str]) -> bool:
    return PARAM in params or any(name.startswith(FIELD_PREFIX) for name in params)


def _parts(text: str, *, keys: list[str]) -> list[tuple[str, str]]:
    if len(text) > MAX_PARAM_CHARS:
        raise WeightsError(_("The weights (w) are too long: at most %(max)s characters.") % {"max": MAX_PARAM_CHARS})
    parts = []
    for part in text.split(","):
        key, colon, value = part.partition(":")
        if not colon or not key.strip():
            example = ",".join(f"{key}:50" for key in keys[:2])
            raise WeightsError(_("Weight “%(part)s”: expected key:share, such as %(example)s.")
                               % {"part": _echo(part), "example": example})
        parts.append((key.strip(), value.strip()))
    return parts


def _share(key: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise WeightsError(_("Weight “%(key)s”: “%(value)s” is not a number.") % {"key": key, "value": _echo(text)})
    if not 0 <= value <= MAX_SHARE:
        raise WeightsError(_("Weight “%(key)s”: %(value)s is not between 0 and 100.")
                           % {"key": key, "value": _echo(text)})
    return value


def _slider_value(share: float) -> int | float:
    return int(share) if float(share).is_integer() else share


def _echo(value: str) -> str:
    return value if len(value) <= ECHO_CHARS else value[:ECHO_CHARS] + "…"


def weights_from_shares(shares: dict[str, float]) -> dict[str, float]:
    """Slider shares (0–100) as weights summing to 1 (all equal when every share is 0)."""
    total = math.fsum(shares.values())
    if total <= 0:
        return {key: 1.0 / len(shares) for key in shares}
    return {key: value / total for key, value in shares.items()}


def whatif_scores(data: dict[str, object], weights: dict[str, float]) -> pd.DataFrame:
    """The explorer's arithmetic in Python, step for step as static/js/whatif.js does it: index city
    id, columns score and rank. `weights`: by key, summing to 1 (weights_from_shares)."""
    keys = data["keys"]
    w = np.array([weights[key] for key in keys], dtype="float64")
    cities = data["cities"]
    values = np.array([[np.nan if value is None else value for value in city["values"]] for city in cities],
                      dtype="float64").reshape(len(cities), len(keys))
    present = ~np.isnan(values)
    totals = np.where(present, values, 0.0) @ w
    if data["mode"] == CATEGORIES_MODE and data["missing"] == "renormalize":
        present_weight = present.astype("float64") @ w
        totals = np.where(present_weight > 0, totals / np.where(present_weight > 0, present_weight, 1.0), 0.0)
    scores = totals * float(data["scale"])
    rounded = pd.Series(scores).round(RANK_DECIMALS)
    ranks = rounded.rank(method="min", ascending=False).astype("int64")
    return pd.DataFrame({"score": scores, "rank": ranks.to_numpy()},
                        index=pd.Index([city["id"] for city in cities], name="city_id"))
