"""The what-if weight explorer, as the page shows it: sliders set other weights, the city ranking is
recomputed with them, and each city's shift against the published ranking is shown (static/js/whatif.js).
An exploration, never the published ranking.

The arithmetic is rankings.scoring.whatif's (once; its docstring explains it): in the browser from the
city-level values the page carries where the city score is a weighted sum of them (source "browser"),
else on the server from the run's accounts (source "server": the page asks the JSON endpoint,
rankings.views.whatif.run_whatif). When the page itself is requested with ?w= (a shared link, or the
explorer's form submitted without JavaScript), the view recomputes and this module renders the table.

Presentation only: it receives the ranking, the values and the recomputed scores (the view reads and
parses them: rankings.views.whatif), and returns what the template and the script draw. In the URL:
?w=key:share,key:share (a key left out keeps its published share); the form without JavaScript sends
w.<key>=share instead.
"""
from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _

from rankings.labels import city_name, indicator_labels, province_name
from rankings.models import ScoreRun
from rankings.presentation.city import category_label
from rankings.scoring.whatif import weights_from_shares
from rankings.selectors import cities as reads

CATEGORIES_MODE = "categories"
INDICATORS_MODE = "indicators"
BROWSER = "browser"
SERVER = "server"


def whatif_data(*, run: ScoreRun, ranking: pd.DataFrame, values: pd.DataFrame | None,
                given: dict[str, float] | None = None, error: str = "",
                recomputed: pd.DataFrame | None = None) -> dict[str, object]:
    """What static/js/whatif.js reads (as JSON): mode (what the sliders weigh), source (browser or
    server), missing, scale, the weights with their labels, and each city's id, name, province,
    published rank and score, and in browser mode its `values` (index city id in the ranking's order,
    one column per slider key: whatif_values; null: no account of that category); in server mode the
    endpoint to ask.

    With the shares the visitor `given` (?w=, or the form's w.<key>, read by the view) and the ranking
    `recomputed` with them: "given" and "rows" (the recomputed ranking, rendered by the server into the
    page); with an `error` (why the weights were refused), "error". No query."""
    mode, keys, weights, labels = whatif_sliders(run)
    cities = [_city(row, values) for row in ranking.to_dict("records")]
    shares = [round(100 * weights[key]) for key in keys]
    source = whatif_source(run)
    data: dict[str, object] = {
        "mode": mode, "source": source, "missing": run.definition.missing_category,
        "scale": whatif_scale(run, mode), "keys": keys, "labels": [labels[key] for key in keys],
        "weights": [weights[key] for key in keys], "shares": shares, "cities": cities, "city_href": city_href(run),
    }
    if source == SERVER:
        data["endpoint"] = reverse("rankings:run_whatif", args=[run.pk])
        data["failed"] = _("The recomputed ranking could not be loaded; move a slider to try again.")
    values_shown, weights_shown = dict(zip(keys, shares, strict=True)), weights
    if error:
        data["error"] = error
    elif given is not None and recomputed is not None:
        values_shown, weights_shown = given, weights_from_shares(given)
        data["given"] = [given[key] for key in keys]
        data["rows"] = _page_rows(whatif_rows(ranking=ranking, recomputed=recomputed), run=run)
    # The sliders as the template draws them (the submitted shares, when there are some).
    data["sliders"] = [{"key": key, "label": labels[key], "value": _slider_value(values_shown[key]),
                        "weight": weights_shown[key]} for key in keys]
    # What the script reads (json_script): not the rows and sliders the template draws.
    data["script"] = {name: value for name, value in data.items() if name not in ("rows", "sliders")}
    data["script"]["rendered"] = "rows" in data
    return data


def _city(row: dict[str, object], values: pd.DataFrame | None) -> dict[str, object]:
    city = {"id": int(row[reads.CITY_ID]), "name": city_name(row[reads.CITY], row[reads.CITY_EN]),
            "province": province_name(row[reads.PROVINCE]), "rank": int(row[reads.RANK]),
            "score": float(row[reads.SCORE])}
    if values is not None:
        city["values"] = [None if pd.isna(value) else float(value)
                          for value in values.loc[city["id"]].to_numpy(dtype="float64")]
    return city


def whatif_scale(run: ScoreRun, mode: str) -> float:
    """What the weighted sum is multiplied by: the scheme's scale for indicators, 1 for categories."""
    return float(run.definition.scale) if mode == INDICATORS_MODE else 1.0


def whatif_renormalize(run: ScoreRun, mode: str) -> bool:
    """Whether a city's weighted sum is divided by the weights of what it has (categories, renormalize)."""
    return mode == CATEGORIES_MODE and run.definition.missing_category == "renormalize"


def whatif_rows(*, ranking: pd.DataFrame, recomputed: pd.DataFrame) -> list[dict[str, object]]:
    """A recomputed ranking (rankings.scoring.whatif: index city id, score, rank) as rows for
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


def whatif_source(run: ScoreRun) -> str:
    """browser where the city score is a weighted sum of what the page carries, else server."""
    definition = run.definition
    if definition.category_weights:
        return BROWSER
    if definition.aggregation == "arithmetic" and definition.account_to_city in ("mean", "sum"):
        return BROWSER
    return SERVER


def _slider_value(share: float) -> int | float:
    return int(share) if float(share).is_integer() else share
