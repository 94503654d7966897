"""The what-if explorer's JSON endpoint (rankings.presentation.whatif explains the arithmetic):
GET /rankings/<run id>/whatif/?w=key:share,… → the city ranking a run with those weights would publish.

Public for a published run; a draft is a 404 to users who may not see drafts, as its page is
(rankings.views). Bad weights are a 400 whose message names the weight and the reason.

A run's results never change once it has succeeded, so the browser may keep a published run's answer
for CACHE_SECONDS (a slider moved back asks nothing); "private", because the city names follow the
reader's language. A draft's answer is revalidated every time (it is a 404 once its reader logs out).
Read only: anything but GET and HEAD is a 405, not the CSRF check's 403.
"""
from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from rankings import permissions, selectors
from rankings.presentation import whatif
from rankings.selectors import cities as city_reads

CACHE_SECONDS = 300


@csrf_exempt  # read only (require_safe): a POST is a 405 naming the allowed methods, not a CSRF 403
@require_safe
def run_whatif(request: HttpRequest, run_id: int) -> JsonResponse:
    """{"run", "mode", "keys", "shares", "weights", "exploration": true, "cities": [{id, name, score,
    rank, published_rank, shift}, … by new rank]}; without w, the published shares."""
    run = selectors.run_get(run_id=run_id)
    if run is None or not permissions.user_can_see_run(request.user, run):
        return _error(_("There is no run #%(id)s.") % {"id": run_id}, status=404)
    if not run.is_succeeded:
        return _error(_("Run #%(id)s has no results.") % {"id": run_id}, status=404)
    mode, keys, weights, _labels = whatif.whatif_sliders(run)
    published = {key: round(100 * weights[key]) for key in keys}
    try:
        shares = whatif.whatif_shares(request.GET, keys=keys, published=published)
    except whatif.WeightsError as error:
        return _error(str(error), status=400, field=whatif.PARAM)
    chosen = whatif.weights_from_shares(shares)
    rows = whatif.whatif_rows(ranking=city_reads.city_ranking_frame(run=run),
                              recomputed=whatif.whatif_recompute(run=run, weights=chosen))
    response = JsonResponse({
        "run": run.pk, "mode": mode, "exploration": True, "keys": keys,
        "shares": shares, "weights": chosen, "cities": rows,
    }, json_dumps_params={"ensure_ascii": False})
    if run.is_published:
        patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def _error(message: str, *, status: int, **extra: str) -> JsonResponse:
    """{"error": message, …extra}, the message in the reader's language and unescaped (as the answers)."""
    return JsonResponse({"error": message, **extra}, status=status, json_dumps_params={"ensure_ascii": False})
