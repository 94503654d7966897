"""The what-if explorer's server mode: for schemes whose cities pick or multiply accounts (bci-v1,
bci-v2: top3_mean; account_to_city max; geometric aggregation without categories, entropy-weighted),
the endpoint's scores and ranks equal those a real score run with those weights as manual weights
publishes, on the same data. Bad weights are refused with a message naming the weight and the reason;
the number of queries is fixed."""
from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rankings.models import ScoreRun
from rankings.presentation.whatif import SERVER
from rankings.scoring.whatif import weights_from_shares
from rankings.selectors import cities as reads
from rankings.views.whatif import whatif_context
from tests.rankings.test_whatif import published_scores, run_of, scheme_variant, whatif_accounts

pytestmark = pytest.mark.django_db
# A parameter the page cache does not keep: the page is rendered, never read from rankings.pagecache.
RENDERED = {"utm_source": "test"}

BCI_SHARES = {"activity": 70, "spread": 30}
RMW_SHARES = {"reach": 10, "service": 60, "interaction": 30}
# (built-in scheme, changes to it, shares): each a scheme the browser cannot recompute.
SCHEMES = {
    "bci-v1": ("bci-v1", {}, BCI_SHARES),
    "bci-v2": ("bci-v2", {}, BCI_SHARES),
    "max": ("rmw-2023", {"account_to_city": "max"}, RMW_SHARES),
    "geometric-entropy": ("rmw-2023", {"aggregation": "geometric", "weighting": "entropy"}, RMW_SHARES),
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def with_manual_weights(base: str, changes: dict, weights: dict[str, float]) -> dict:
    """The changes to `base` that make a scheme scoring with `weights` as its manual weights."""
    document = copy.deepcopy(scheme_variant("tmp-" + base, base, **changes).document)
    for indicator in document["indicators"]:
        indicator["weight"] = weights[indicator["key"]]
    return {**changes, "indicators": document["indicators"], "weighting": "manual"}


def query(shares: dict[str, float]) -> str:
    return ",".join(f"{key}:{value}" for key, value in shares.items())


@pytest.mark.parametrize("name", list(SCHEMES))
def test_the_endpoint_recomputes_exactly_what_a_run_with_those_weights_publishes(client, name):
    base, changes, shares = SCHEMES[name]
    whatif_accounts(cities=10, seed=11)
    published = run_of(scheme_variant(f"{name}-base", base, **changes), publish=True)
    weights = weights_from_shares(shares)
    other = run_of(scheme_variant(f"{name}-other", base, **with_manual_weights(base, changes, weights)))

    response = client.get(f"/rankings/{published.pk}/whatif/", {"w": query(shares)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["exploration"] is True
    assert body["weights"] == pytest.approx(weights, abs=1e-15)
    expected = published_scores(other)
    got = {row["id"]: (row["score"], row["rank"]) for row in body["cities"]}
    assert set(got) == set(expected)
    for city, (score, rank) in expected.items():
        assert got[city][0] == pytest.approx(score, abs=1e-9)
        assert got[city][1] == rank
    # Rows by the new rank; the shift is published rank − new rank.
    assert [row["rank"] for row in body["cities"]] == sorted(row["rank"] for row in body["cities"])
    before = published_scores(published)
    for row in body["cities"]:
        assert row["published_rank"] == before[row["id"]][1]
        assert row["shift"] == row["published_rank"] - row["rank"]
    # The weights moved the ranking: the exploration is not the published ranking.
    assert {city: rank for city, (_score, rank) in expected.items()} != {
        city: rank for city, (_score, rank) in before.items()}


@pytest.mark.parametrize("name", ["bci-v2", "max"])
def test_the_published_weights_give_back_the_published_ranking(client, name):
    base, changes, _shares = SCHEMES[name]
    whatif_accounts(cities=8, seed=3)
    published = run_of(scheme_variant(f"{name}-base", base, **changes), publish=True)
    body = client.get(f"/rankings/{published.pk}/whatif/").json()
    got = {row["id"]: (row["score"], row["rank"]) for row in body["cities"]}
    for city, (score, rank) in published_scores(published).items():
        assert got[city][0] == pytest.approx(score, abs=1e-9)
        assert got[city][1] == rank
    assert {row["shift"] for row in body["cities"]} == {0}


def test_the_page_uses_the_server_for_bci_and_the_browser_where_it_is_exact():
    whatif_accounts(cities=3)
    bci = run_of(scheme_variant("bci", "bci-v2"))
    data = whatif_context(bci, reads.city_ranking_frame(run=bci), {})
    assert data["source"] == SERVER and "unavailable" not in data
    assert data["endpoint"] == f"/rankings/{bci.pk}/whatif/"
    assert "values" not in data["cities"][0]  # no account-level values shipped to the browser
    rmw = run_of(scheme_variant("rmw", "rmw-2023"))
    assert whatif_context(rmw, reads.city_ranking_frame(run=rmw), {})["source"] == "browser"


def test_the_server_renders_the_recomputed_ranking_into_the_page_without_javascript(client):
    whatif_accounts(cities=6, seed=5)
    scheme = scheme_variant("bci-page", "bci-v2")
    published = run_of(scheme, publish=True)
    weights = weights_from_shares(BCI_SHARES)
    other = run_of(scheme_variant("bci-page-other", "bci-v2", **with_manual_weights("bci-v2", {}, weights)))
    # The explorer's form, submitted without JavaScript, sends w.<key>=share.
    response = client.get("/", {"scheme": scheme.slug, "w.activity": "70", "w.spread": "30"})
    assert response.status_code == 200
    rows = response.context["whatif"]["rows"]
    expected = published_scores(other)
    assert {row["id"]: row["rank"] for row in rows} == {city: rank for city, (_s, rank) in expected.items()}
    html = response.content.decode()
    assert 'id="whatif" open' in html
    assert f'data-city-id="{rows[0]["id"]}"' in html
    assert 'value="70"' in html  # the sliders keep the submitted shares
    assert client.get("/", {"scheme": scheme.slug, "w": "activity:70,spread:30"}).context["whatif"]["rows"] == rows
    assert published.is_published


@pytest.mark.parametrize(("w", "message"), [
    ("activity:abc", "“activity”: “abc” is not a number"),
    ("activity:nan", "“activity”: “nan” is not a number"),
    ("activity:101", "“activity”: 101 is not between 0 and 100"),
    ("activity:-1", "“activity”: -1 is not between 0 and 100"),
    ("fans:10", "“fans”: this scheme has no such weight (it has activity, spread)"),
    ("activity:10,activity:20", "“activity” is given twice"),
    ("activity", "“activity”: expected key:share, such as activity:50,spread:50"),
    ("x" * 80 + ":1", "“" + "x" * 50 + "…”: this scheme has no such weight"),
    ("a:1," * 600, "at most 2000 characters"),
])
def test_bad_weights_are_refused_naming_the_weight_and_the_reason(client, w, message):
    whatif_accounts(cities=3)
    run = run_of(scheme_variant("bci", "bci-v1"), publish=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/rankings/{run.pk}/whatif/", {"w": w})
    assert response.status_code == 400
    error = response.json()["error"]  # the one error shape (core.responses), the field named in details
    assert error["code"] == "invalid" and message in error["message"]
    assert error["details"] == {"w": [error["message"]]}
    # In Chinese too (the default language), naming the same weight.
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    chinese = client.get(f"/rankings/{run.pk}/whatif/", {"w": w})
    assert chinese.status_code == 400 and chinese.json()["error"]["message"].startswith("权重")
    assert '"message": "权重' in chinese.content.decode()  # unescaped, as curl shows it


def test_bad_weights_on_the_page_are_a_notice_in_the_explorer(client):
    whatif_accounts(cities=3)
    scheme = scheme_variant("bci", "bci-v1")
    run_of(scheme, publish=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/", {"scheme": scheme.slug, "w": "activity:500"})
    assert response.status_code == 200
    assert "rows" not in response.context["whatif"]
    assert "“activity”: 500 is not between 0 and 100" in response.content.decode()


def test_drafts_are_a_404_to_those_who_may_not_see_them(client):
    whatif_accounts(cities=3)
    draft = run_of(scheme_variant("bci", "bci-v1"))
    assert client.get(f"/rankings/{draft.pk}/whatif/").status_code == 404
    assert client.get("/rankings/999999/whatif/").status_code == 404
    client.force_login(User.objects.create_user("reader"))
    assert client.get(f"/rankings/{draft.pk}/whatif/").status_code == 404
    client.force_login(User.objects.create_user("staff", is_staff=True))
    assert client.get(f"/rankings/{draft.pk}/whatif/", {"w": "activity:50"}).status_code == 200
    assert client.post(f"/rankings/{draft.pk}/whatif/").status_code == 405


def test_a_published_answer_may_be_kept_by_the_browser_a_drafts_is_revalidated_and_a_post_is_a_405():
    whatif_accounts(cities=3)
    published = run_of(scheme_variant("bci-published", "bci-v1"), publish=True)
    draft = run_of(scheme_variant("bci-draft", "bci-v1"))
    browser = Client(enforce_csrf_checks=True)  # as a real browser's POST would be checked

    kept = browser.get(f"/rankings/{published.pk}/whatif/", {"w": "activity:50"})
    assert kept.status_code == 200
    assert set(kept["Cache-Control"].split(", ")) == {"private", "max-age=300"}
    browser.force_login(User.objects.create_user("staff", is_staff=True))
    fresh = browser.get(f"/rankings/{draft.pk}/whatif/")
    assert fresh.status_code == 200 and set(fresh["Cache-Control"].split(", ")) == {"private", "no-cache"}
    refused = browser.post(f"/rankings/{published.pk}/whatif/")
    assert refused.status_code == 405 and refused["Allow"] == "GET, HEAD"
    assert "max-age" not in browser.get(f"/rankings/{published.pk}/whatif/", {"w": "activity:500"}).get(
        "Cache-Control", "")  # an error is not kept


def test_a_fixed_number_of_queries_whatever_the_number_of_cities(client, django_assert_num_queries):
    whatif_accounts(cities=12, seed=2)
    run = run_of(scheme_variant("bci", "bci-v2"), publish=True)
    assert ScoreRun.objects.get(pk=run.pk).is_published
    # The run, its accounts (one bulk read), its ranking (city scores, category scores).
    with django_assert_num_queries(4):
        assert client.get(f"/rankings/{run.pk}/whatif/", {"w": "activity:10"}).status_code == 200
    # A published run's accounts and ranking then come from the cache: only the run is read.
    with django_assert_num_queries(1):
        assert client.get(f"/rankings/{run.pk}/whatif/", {"w": "activity:90"}).status_code == 200


def test_a_runs_page_has_the_explorer_too_and_renders_its_weights(client):
    whatif_accounts(cities=5, seed=4)
    draft = run_of(scheme_variant("bci", "bci-v1"))
    client.force_login(User.objects.create_user("staff", is_staff=True))
    page = client.get(f"/rankings/{draft.pk}/")
    assert page.context["whatif"]["endpoint"] == f"/rankings/{draft.pk}/whatif/"
    assert f'action="/rankings/{draft.pk}/#whatif"' in page.content.decode()
    shares = client.get(f"/rankings/{draft.pk}/", {"w": "activity:60"}).context["whatif"]
    endpoint = client.get(f"/rankings/{draft.pk}/whatif/", {"w": "activity:60"}).json()["cities"]
    assert shares["given"] == [60, 80]
    assert [{key: row[key] for key in endpoint[0]} for row in shares["rows"]] == endpoint
    assert shares["rows"][0]["href"] == f"/cities/{endpoint[0]['id']}/?scheme=bci&period=2012-03"


@pytest.mark.parametrize("missing", ["zero", "renormalize"])
def test_the_endpoint_recomputes_category_weights_exactly_too(client, missing):
    # The page recomputes these in the browser; the endpoint (and the page without JavaScript) on the server.
    whatif_accounts(cities=9, seed=7)
    shares = {"police": 40, "traffic": 5, "press": 30, "youth": 0, "tourism": 25}
    published = run_of(scheme_variant("base", "shifan-2012", missing_category=missing), publish=True)
    other = run_of(scheme_variant("other", "shifan-2012", missing_category=missing,
                                  category_weights=weights_from_shares(shares)))
    body = client.get(f"/rankings/{published.pk}/whatif/", {"w": query(shares)}).json()
    assert body["mode"] == "categories"
    got = {row["id"]: (row["score"], row["rank"]) for row in body["cities"]}
    expected = published_scores(other)
    assert set(got) == set(expected)
    for city, (score, rank) in expected.items():
        assert got[city][0] == pytest.approx(score, abs=1e-9)
        assert got[city][1] == rank


def test_the_page_with_weights_costs_one_query_more_then_none(client):
    whatif_accounts(cities=12, seed=9)
    scheme = scheme_variant("bci", "bci-v2")
    run_of(scheme, publish=True)
    # RENDERED: a parameter the page cache does not keep, so the body is rendered (rankings.pagecache).
    with CaptureQueriesContext(connection) as plain:
        assert client.get("/", {"scheme": scheme.slug, **RENDERED}).status_code == 200
    with CaptureQueriesContext(connection) as again:
        client.get("/", {"scheme": scheme.slug, **RENDERED})
    # With weights: the run's accounts, once (one bulk read); then they come from the cache.
    with CaptureQueriesContext(connection) as first:
        assert "rows" in client.get("/", {"scheme": scheme.slug, "w": "activity:70"}).context["whatif"]
    with CaptureQueriesContext(connection) as later:
        assert "rows" in client.get("/", {"scheme": scheme.slug, "w": "activity:10"}).context["whatif"]
    assert len(first) == len(again) + 1
    assert len(later) == len(again)
    assert len(plain) >= len(again)


def test_a_browser_mode_page_with_weights_renders_them_without_reading_accounts(client):
    whatif_accounts(cities=9, seed=7)
    shares = {"police": 40, "traffic": 5, "press": 30, "youth": 0, "tourism": 25}
    scheme = scheme_variant("base", "shifan-2012")
    run_of(scheme, publish=True)
    other = run_of(scheme_variant("other", "shifan-2012", category_weights=weights_from_shares(shares)))
    client.get("/", {"scheme": scheme.slug, **RENDERED})
    with CaptureQueriesContext(connection) as plain:
        client.get("/", {"scheme": scheme.slug, **RENDERED})
    with CaptureQueriesContext(connection) as weighted:
        response = client.get("/", {"scheme": scheme.slug, "w": query(shares)})
    assert len(weighted) == len(plain)  # the city-level arithmetic of the page's script: no account read
    assert response.context["whatif"]["source"] == "browser"
    rows = {row["id"]: (row["score"], row["rank"]) for row in response.context["whatif"]["rows"]}
    for city, (score, rank) in published_scores(other).items():
        assert rows[city][0] == pytest.approx(score, abs=1e-9)
        assert rows[city][1] == rank
