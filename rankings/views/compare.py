"""Two to four cities side by side in the chosen published run (/cities/compare/): ?cities=1,2,3 (ids),
or ?city=1&city=2 from the page's picker (checkboxes of the run's cities, narrowed by ?q=, a name in
Chinese, English or pinyin)."""
from __future__ import annotations

import pandas as pd
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.names import place_name_en, place_sort_key
from core.text import echo
from rankings.labels import city_name, province_name
from rankings.models import ScoreRun
from rankings.presentation import city as words
from rankings.presentation import figures
from rankings.selectors import cities as reads
from rankings.selectors.resolution import run_resolve

MAX_COMPARE = 4
QUERY_CHARS = 50  # the picker's search is cut there


@require_safe
def city_compare(request: HttpRequest) -> HttpResponse:
    """The chosen cities' scores, ranks, categories and indicators in one table and one chart."""
    choice = run_resolve(params=request.GET, user=request.user)
    ids = _compare_ids(request.GET)
    query = request.GET.get("q", "").strip()[:QUERY_CHARS]
    notices = list(choice.notices)
    if len(ids) > MAX_COMPARE:
        notices.append(_("At most %(count)s cities can be compared: showing the first %(count)s.") % {"count": MAX_COMPARE})
        ids = ids[:MAX_COMPARE]
    context: dict[str, object] = {"choice": choice, "notices": notices, "cities": [], "rows": [], "chart": "",
                                  "keep": [("cities", ",".join(str(item) for item in ids))], "query": query,
                                  "picker": [], "max_compare": MAX_COMPARE}
    if choice.run is not None:
        ranking = reads.city_ranking_frame(run=choice.run)
        ranked = set(ranking[reads.CITY_ID])
        chosen = ranking.set_index(reads.CITY_ID).reindex([item for item in ids if item in ranked])
        missing = [str(item) for item in ids if item not in ranked]
        if missing:
            notices.append(_("Not ranked in this run, left out: %(ids)s.") % {"ids": echo(", ".join(missing))})
        if len(chosen) < 2:
            notices.append(_("Choose two to four cities to compare (e.g. from a city's similar cities)."))
        context |= _compare_context(choice.run, chosen, ranking)
        context["picker"] = _compare_picker(ranking, chosen=list(chosen.index), query=query)
    return render(request, "rankings/city_compare.html", context)


def _compare_ids(params: QueryDict) -> list[int]:
    """The cities asked for, in order and once each: ?cities=1,2 then every ?city= (the picker's boxes)."""
    parts = params.get("cities", "").replace(" ", "").split(",") + params.getlist("city")
    return list(dict.fromkeys(int(part) for part in parts if part.strip().isdigit()))


def _compare_picker(ranking: pd.DataFrame, *, chosen: list[int], query: str) -> list[dict[str, object]]:
    """The picker's cities, sorted by pinyin: the chosen ones always, the others when they match `query`
    (in Chinese, or in English as the page names them) or when there is no query."""
    needle = query.casefold()  # "" is in every name
    rows = []
    for item in ranking.to_dict("records"):
        city_id = int(item[reads.CITY_ID])
        name = city_name(item[reads.CITY], item[reads.CITY_EN])
        names = f"{item[reads.CITY]} {place_name_en(item[reads.CITY], item[reads.CITY_EN])}".casefold()
        if city_id in chosen or needle in names:
            rows.append({"city_id": city_id, "name": name, "province": province_name(item[reads.PROVINCE]),
                         "rank": int(item[reads.RANK]), "checked": city_id in chosen, "key": item[reads.CITY],
                         "words": names})
    return sorted(rows, key=lambda row: (not row["checked"], place_sort_key(row["key"])))


def _compare_context(run: ScoreRun, chosen: pd.DataFrame, ranking: pd.DataFrame) -> dict[str, object]:
    names = [city_name(row[reads.CITY], row[reads.CITY_EN]) for _id, row in chosen.iterrows()]
    categories = reads.run_categories(run)
    indicators = reads.indicators_frame(run=run).reindex(chosen.index)
    labels = words.indicator_names(run)
    rows = [(_("Score"), [row[reads.SCORE] for _id, row in chosen.iterrows()], 2),
            (_("Rank"), [row[reads.RANK] for _id, row in chosen.iterrows()], 0)]
    rows += [(words.category_label(value), [row[value] for _id, row in chosen.iterrows()], 2) for value in categories]
    rows += [(labels.get(key, key), indicators[key].tolist(), 2) for key in indicators.columns]
    chart = ""
    if len(chosen) >= 2 and categories:
        values = pd.DataFrame({name: chosen[categories].fillna(0.0).iloc[number].to_numpy(dtype="float64")
                               for number, name in enumerate(names)},
                              index=[words.category_label(value) for value in categories])
        chart = words.figure_html(figures.grouped_bars_figure(values, value_title=_("Score")), "compare-chart")
    cities = [{"city_id": city_id, "name": name, "rank_words": words.rank_in_words(
        rank=int(row[reads.RANK]), cities=len(ranking), low=row[reads.RANK_P05], high=row[reads.RANK_P95])}
        for (city_id, row), name in zip(chosen.iterrows(), names, strict=True)]
    return {"cities": cities, "rows": rows, "chart": chart}
