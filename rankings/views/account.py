"""An account (/accounts/<id>/: an integer, so it never meets the accounts app's /accounts/import/
pages): its metrics per period (chart and table), its indicator scores (raw and normalised) and rank
history in the chosen scheme (rankings.selectors.resolution), and its diagnostics with the rule behind
each."""
from __future__ import annotations

import pandas as pd
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.periods import Period
from rankings.labels import city_name, in_language
from rankings.presentation import city as words
from rankings.presentation import figures
from rankings.selectors import accounts as account_reads
from rankings.selectors.resolution import RunChoice, run_resolve
from rankings.selectors.visibility import run_is_cacheable
from rankings.views.common import page_render

# The query parameters whose page bodies are kept (rankings.pagecache).
ACCOUNT_PARAMS = frozenset({"scheme", "period"})
METRIC_LABELS = {
    "posts": gettext_lazy("posts"), "original_posts": gettext_lazy("original posts"),
    "reposts": gettext_lazy("reposts"), "comments": gettext_lazy("comments"), "likes": gettext_lazy("likes"),
    "replies": gettext_lazy("replies"), "fans": gettext_lazy("fans"),
}


@require_safe
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    """An account's metrics, scores, rank history and diagnostics."""
    account = account_reads.account_get(account_id=account_id)
    if account is None:
        raise Http404(_("There is no account #%(id)s.") % {"id": account_id})

    def context() -> dict[str, object]:
        choice = run_resolve(params=request.GET, user=request.user)
        metrics = account_reads.account_metrics_frame(account_id=account.pk)
        labels = {column: str(label) for column, label in METRIC_LABELS.items()}
        history = (account_reads.account_history_frame(account_id=account.pk, scheme=choice.scheme, runs=choice.runs)
                   if choice.scheme else pd.DataFrame())
        shown: dict[str, object] = {
            "account": account, "choice": choice, "city_label": city_name(account.city.name, account.city.name_en),
            "category_label": words.category_label(account.category),
            "metric_labels": list(labels.values()),
            "metrics": [{"period": item["period"], "values": [item[column] for column in labels]}
                        for item in metrics.to_dict("records")],
            "metrics_chart": words.figure_html(figures.metrics_figure(metrics, period="period", columns=labels),
                                               "metrics-chart") if len(metrics) else "",
        }
        if len(history):
            shown |= _history_context(choice, history)
        return shown | {"keep_body": run_is_cacheable(choice.run) and not choice.notices}

    return page_render(request, "rankings/account_detail.html", title=account.screen_name, params=ACCOUNT_PARAMS,
                       context=context)


def _history_context(choice: RunChoice, history: pd.DataFrame) -> dict[str, object]:
    names = words.indicator_names(choice.run) if choice.run else {}
    current = history[history["run_id"] == choice.run.pk] if choice.run else history.tail(1)
    current = current if len(current) else history.tail(1)
    latest = current.iloc[0].to_dict()
    indicators = [{"label": names[key], "key": key, "raw": latest.get(f"raw__{key}"), "normalised": latest.get(key)}
                  for key in names if key in history.columns]
    # Months, quarters and years are not one series: the chart follows the shown run's kind of period, the
    # table lists every kind, each under its name (the shown kind first).
    shown_kind = Period(latest["period_start"], latest["period_end"])
    like = [Period(start, end).is_like(shown_kind) for start, end in zip(history["period_start"],
                                                                           history["period_end"], strict=True)]
    chart, series = "", history[like]
    if len(series) > 1:
        chart = words.figure_html(figures.history_figure(
            series, period="period", score="composite", rank="rank_in_category",
            score_label=_("Score"), rank_label=_("Rank in category")), "history-chart")
    return {"latest": latest, "latest_period": latest["period"], "indicators": indicators,
            "history_kind": words.period_kind_label(shown_kind.kind),
            "rank_history": _rank_history(history, like), "history_chart": chart,
            "flags": words.account_flags(latest), "reply_words": words.reply_rate_in_words(latest.get("reply_rate")),
            "scheme_name": in_language(choice.run.definition.name, choice.run.definition.name_en)
            if choice.run else ""}


def _rank_history(history: pd.DataFrame, like: list[bool]) -> list[dict[str, object]]:
    """Every period's rank, the shown kind of period first."""
    rows = [{"period": item["period"], "composite": item["composite"], "rank": item["rank_in_category"],
             "of": item["category_accounts"], "kind": words.period_kind_label(Period(
                 item["period_start"], item["period_end"]).kind), "like": alike}
            for item, alike in zip(history.to_dict("records"), like, strict=True)]
    rows.sort(key=lambda item: not item["like"])
    return rows
