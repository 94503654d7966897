"""A browser opening any API list (Accept: text/html) gets the browsable API's page, never a 500: lists
in a fixed order (the rankings) have no ordering control, lists with `ordering_fields` keep theirs."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.factories import SnapshotFactory
from tests.rankings.factories import ranking_build, scheme_make_default

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def published_run():
    run = ranking_build(published=True)
    scheme_make_default(run.scheme)
    SnapshotFactory()
    return run


def _lists(run) -> list[str]:
    city_id = run.city_scores.first().city_id
    account_id = run.account_scores.first().account_id
    return [
        "/api/v1/", "/api/v1/ranking/", "/api/v1/ranking/?level=account", f"/api/v1/ranking/cities/{city_id}/",
        "/api/v1/cities/", "/api/v1/accounts/", "/api/v1/snapshots/", "/api/v1/schemes/", "/api/v1/runs/",
        f"/api/v1/runs/{run.pk}/cities/", f"/api/v1/runs/{run.pk}/accounts/",
        f"/api/v1/runs/{run.pk}/cities/{city_id}/", f"/api/v1/runs/{run.pk}/leaderboards/police/",
        f"/api/v1/accounts/{account_id}/history/", "/api/v1/awards/rounds/", "/api/v1/tokens/", "/api/v1/imports/",
    ]


def test_every_list_opened_in_a_browser_answers_the_browsable_page(client, published_run):
    client.force_login(User.objects.create_user("browser", is_staff=True))

    answers = {url: client.get(url, **BROWSER) for url in _lists(published_run)}

    assert {url: response.status_code for url, response in answers.items()} == dict.fromkeys(answers, 200)
    assert all(response["Content-Type"].startswith("text/html") for response in answers.values())


def test_an_anonymous_browser_gets_the_page_too_and_the_ranking_shows_no_ordering_control(client, published_run):
    statuses = {url: client.get(url, **BROWSER).status_code for url in _lists(published_run)}
    ranking = client.get("/api/v1/ranking/", **BROWSER).content.decode()
    cities = client.get("/api/v1/cities/", **BROWSER).content.decode()

    assert {url: code for url, code in statuses.items() if code != 200} == {
        "/api/v1/tokens/": 401, "/api/v1/imports/": 401}  # signed-in only, as in JSON
    assert "长沙" in ranking and "ordering=" not in ranking
    assert "ordering=" in cities  # a list with ordering_fields keeps its control
