"""The what-if explorer: its panel on the home page and a run's page (whatif_context), and its JSON
endpoint, GET /rankings/<run id>/whatif/?w=key:share,… → the city ranking a run with those weights
would publish (rankings.scoring.whatif holds the arithmetic).

The endpoint is public for a published run; a draft is a 404 to users who may not see drafts, as its
page is (rankings.selectors.visibility). Errors have the one JSON shape (core.responses.json_error):
bad weights are a 400 `invalid` whose details name the field `w`, an unknown or unseen run, or one
without results, a 404 `not_found`.

A run's results never change once it has succeeded, so the browser may keep a published run's answer
for CACHE_SECONDS (a slider moved back asks nothing); "private", because the city names follow the
reader's language. A draft's answer is revalidated every time (it is a 404 once its reader logs out).
Read only: anything but GET and HEAD is a 405, not the CSRF check's 403.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from core.responses import json_error
from rankings import selectors
from rankings.models import ScoreRun
from rankings.presentation import whatif
from rankings.scoring.whatif import weighted_city_scores, weights_from_shares
from rankings.selectors import cities as city_reads
from rankings.selectors.visibility import run_is_public, run_visible_to
from rankings.selectors.whatif import whatif_recompute
from rankings.views.weights import PARAM, WeightsError, has_weights, weights_parse

CACHE_SECONDS = 300


@csrf_exempt  # read only (require_safe): a POST is a 405 naming the allowed methods, not a CSRF 403
@require_safe
def run_whatif(request: HttpRequest, run_id: int) -> JsonResponse:
    """{"run", "mode", "keys", "shares", "weights", "exploration": true, "cities": [{id, name, score,
    rank, published_rank, shift}, … by new rank]}; without w, the published shares."""
    run = selectors.run_get(run_id=run_id)
    if run is None or not run_visible_to(request.user, run):
        return json_error(status=404, code="not_found", message=_("There is no run #%(id)s.") % {"id": run_id})
    if not run.is_succeeded:
        return json_error(status=404, code="not_found", message=_("Run #%(id)s has no results.") % {"id": run_id})
    mode, keys, weights, _labels = whatif.whatif_sliders(run)
    published = {key: round(100 * weights[key]) for key in keys}
    try:
        shares = weights_parse(request.GET, keys=keys, published=published)
    except WeightsError as error:
        return json_error(status=400, code="invalid", message=str(error), details={PARAM: [str(error)]})
    chosen = weights_from_shares(shares)
    rows = whatif.whatif_rows(ranking=city_reads.city_ranking_frame(run=run),
                              recomputed=whatif_recompute(run=run, weights=chosen))
    response = JsonResponse({
        "run": run.pk, "mode": mode, "exploration": True, "keys": keys,
        "shares": shares, "weights": chosen, "cities": rows,
    }, json_dumps_params={"ensure_ascii": False})
    if run_is_public(run):
        patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def whatif_context(run: ScoreRun, ranking: pd.DataFrame, params: Mapping[str, str]) -> dict[str, object]:
    """The explorer's panel for `ranking` (the run's whole city ranking): in browser mode the values the
    page carries (a query for indicator values, none for category scores); with weights in the query,
    the ranking recomputed with them (or why they were refused)."""
    mode, keys, weights, _labels = whatif.whatif_sliders(run)
    values = _values(run, ranking, mode=mode, keys=keys) if whatif.whatif_source(run) == whatif.BROWSER else None
    if not has_weights(params):
        return whatif.whatif_data(run=run, ranking=ranking, values=values)
    try:
        given = weights_parse(params, keys=keys, published={key: round(100 * weights[key]) for key in keys})
    except WeightsError as error:
        return whatif.whatif_data(run=run, ranking=ranking, values=values, error=str(error))
    chosen = weights_from_shares(given)
    if values is None:  # server mode: from the run's accounts
        recomputed = whatif_recompute(run=run, weights=chosen)
    else:  # browser mode: as the page's script computes it, from what the page carries
        recomputed = weighted_city_scores(values, chosen, renormalize=whatif.whatif_renormalize(run, mode),
                                          scale=whatif.whatif_scale(run, mode))
    return whatif.whatif_data(run=run, ranking=ranking, values=values, given=given, recomputed=recomputed)


def _values(run: ScoreRun, ranking: pd.DataFrame, *, mode: str, keys: list[str]) -> pd.DataFrame:
    """What the browser weighs, index city id in the ranking's order: the category scores, or the
    cities' normalised indicators (one query, none for a published run in the cache)."""
    if mode == whatif.CATEGORIES_MODE:
        return ranking.set_index(city_reads.CITY_ID)[keys]
    return city_reads.indicators_frame(run=run).reindex(ranking[city_reads.CITY_ID].to_numpy())[keys]
