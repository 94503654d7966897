"""A city's breakdown, a category's leaderboard and an account's history, on the pages' selectors."""
from __future__ import annotations

from datetime import date

import pytest

from accounts.models import City, GovAccount
from rankings.models import AccountScore
from tests.api.conftest import token_headers
from tests.rankings.factories import (
    AccountScoreFactory,
    ScoreRunFactory,
    ranking_build,
    scheme_make_default,
)

pytestmark = pytest.mark.django_db


def test_a_citys_breakdown_has_rank_interval_categories_indicators_flags_history_and_similar_cities(client):
    run = ranking_build(published=True)
    changsha = City.objects.get(name="长沙")

    data = client.get(f"/api/v1/runs/{run.pk}/cities/{changsha.pk}/").json()

    assert data["run"] == {"id": run.pk, "scheme": run.scheme.slug, "period": "2012-03", "is_published": True}
    assert (data["rank"], data["cities"], data["score"], data["rank_change"], data["is_new"]) == (
        1, 3, 81.234, 2.0, False)
    assert data["rank_interval"] == {"median": 1.0, "p05": 1.0, "p95": 2.0}
    police = next(row for row in data["categories"] if row["category"] == "police")
    # police scores: 长沙 85.555, 株洲 none (0), 武汉 0.0 → national median 0; 湖南 (长沙, 株洲) → 42.7775
    assert police == {"category": "police", "score": 85.555, "national_median": 0.0, "province_median": 42.7775}
    fans = next(row for row in data["indicators"] if row["indicator"] == "fans")
    assert fans == {"indicator": "fans", "value": 90.126, "percentile": 100.0, "national_median": 50.0}
    assert [row["screen_name"] for row in data["flagged_accounts"]] == ["长沙警事", "长沙发布"]
    assert [(row["run_id"], row["rank"]) for row in data["history"]] == [(run.pk, 1)]
    assert [(row["city"], round(row["distance"], 3)) for row in data["similar"]] == [("株洲", 16.734),
                                                                                   ("武汉", 41.234)]


def test_the_breakdown_in_the_published_ranking_follows_scheme_and_period(client):
    scheme = scheme_make_default(ranking_build(published=True).scheme)
    changsha = City.objects.get(name="长沙")

    latest = client.get(f"/api/v1/ranking/cities/{changsha.pk}/")
    unknown_period = client.get(f"/api/v1/ranking/cities/{changsha.pk}/?period=2013-01", HTTP_ACCEPT_LANGUAGE="en")
    unranked = client.get(f"/api/v1/ranking/cities/{City.objects.create(name='新城', province_id='湖南').pk}/")

    assert latest.status_code == 200 and latest.json()["run"]["scheme"] == scheme.slug
    assert latest["Cache-Control"] == "public, max-age=60"
    assert unknown_period.status_code == 404
    assert "no published ranking for 2013-01" in unknown_period.json()["error"]["message"]
    assert unranked.status_code == 404 and unranked.json()["error"]["code"] == "not_found"


def test_a_drafts_breakdown_is_hidden_from_anonymous_clients_and_shown_to_staff(client, staff):
    draft = ranking_build()
    changsha = City.objects.get(name="长沙")

    assert client.get(f"/api/v1/runs/{draft.pk}/cities/{changsha.pk}/").status_code == 404
    assert client.get(f"/api/v1/runs/{draft.pk}/leaderboards/police/").status_code == 404
    shown = client.get(f"/api/v1/runs/{draft.pk}/cities/{changsha.pk}/", **token_headers(staff))
    assert shown.status_code == 200 and shown["Cache-Control"] == "private, no-store"


def test_a_leaderboard_ranks_a_categorys_accounts_nationally_with_indicators_and_flags(client):
    run = ranking_build(published=True)

    police = client.get(f"/api/v1/runs/{run.pk}/leaderboards/police/").json()
    hubei = client.get(f"/api/v1/runs/{run.pk}/leaderboards/police/?province=湖北").json()
    as_csv = client.get(f"/api/v1/runs/{run.pk}/leaderboards/police/?format=csv").content.decode("utf-8")
    unknown = client.get(f"/api/v1/runs/{run.pk}/leaderboards/mayor/")

    assert [(row["rank_in_category"], row["screen_name"]) for row in police["results"]] == [
        (1, "长沙警事"), (2, "武汉公安空壳")]
    shell = police["results"][1]
    assert (shell["empty_shell"], shell["inactive"], shell["reply_rate"]) == (True, True, None)
    assert set(police["results"][0]["indicators"]) == {"fans", "activity", "spread"}
    assert [(row["rank_in_category"], row["screen_name"]) for row in hubei["results"]] == [(2, "武汉公安空壳")]
    assert as_csv.lstrip("\ufeff").splitlines()[0].endswith(",indicators.fans,indicators.activity,indicators.spread")
    assert unknown.status_code == 404


def test_a_leaderboard_pages_and_needs_the_same_few_queries(client, django_assert_max_num_queries):
    run = ranking_build(published=True)
    for number in range(30):
        AccountScoreFactory(run=run, category="police", rank_in_category=3 + number)

    with django_assert_max_num_queries(3):  # the run, the leaderboard, (no count: the frame is in memory)
        page = client.get(f"/api/v1/runs/{run.pk}/leaderboards/police/?page_size=10&page=2").json()

    assert page["count"] == 32
    assert [row["rank_in_category"] for row in page["results"]] == list(range(11, 21))


def test_an_accounts_history_lists_its_published_runs_oldest_first_with_raw_and_normalised_values(client):
    march = ranking_build(published=True)
    scheme_make_default(march.scheme)
    account = GovAccount.objects.get(screen_name="长沙警事")
    april = ScoreRunFactory(scheme=march.scheme, published=True, period_start=date(2012, 4, 1),
                            period_end=date(2012, 4, 30))
    AccountScoreFactory(run=april, account=account, city=account.city, category="police", composite=90.0,
                        rank_in_category=1, raw_values=[2000.0], normalized_values=[100.0])  # fans only
    draft = ScoreRunFactory(scheme=march.scheme, period_start=date(2012, 5, 1), period_end=date(2012, 5, 31))
    AccountScoreFactory(run=draft, account=account, city=account.city, category="police", rank_in_category=1)

    data = client.get(f"/api/v1/accounts/{account.pk}/history/").json()

    assert data["account"]["screen_name"] == "长沙警事" and data["scheme"] == march.scheme.slug
    assert [(row["period"], row["composite"]) for row in data["results"]] == [("2012-03", 85.555), ("2012-04", 90.0)]
    assert data["results"][1]["raw"]["fans"] == 2000.0 and data["results"][1]["normalized"]["fans"] == 100.0
    assert AccountScore.objects.filter(account=account).count() == 3  # the draft is there, and not shown
    assert client.get("/api/v1/accounts/999999/history/").status_code == 404
    assert client.get(f"/api/v1/accounts/{account.pk}/history/?scheme=nope").status_code == 404
    csv = client.get(f"/api/v1/accounts/{account.pk}/history/?format=csv").content.decode("utf-8")
    assert csv.lstrip("\ufeff").splitlines()[0].startswith("run_id,period,period_start")


def test_a_published_breakdown_answers_304_to_a_current_copy(client):
    run = ranking_build(published=True)
    url = f"/api/v1/runs/{run.pk}/cities/{City.objects.get(name='武汉').pk}/"
    first = client.get(url)

    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
