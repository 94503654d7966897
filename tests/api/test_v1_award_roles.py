"""The records and rankings endpoints for the award's roles (分析员, 评审专家, 评审管理员, from the awards
migration): each signs in with a token and may read what is published, sees no draft run, and may
neither run scores, publish nor import — those need the rankings and accounts permissions, which no award
role carries. The award endpoints per role are in test_v1_awards.py."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ImportJob
from api.services import token_create
from rankings.models import ScoreRun
from tests.awards import pages_data
from tests.rankings.factories import ScoreRunFactory, ranking_build

pytestmark = pytest.mark.django_db

ROLES = ["analyst", "expert", "panel"]
READS = ["/api/v1/cities/", "/api/v1/accounts/", "/api/v1/snapshots/", "/api/v1/schemes/", "/api/v1/runs/",
         "/api/v1/ranking/?scheme={scheme}&period=2012-03", "/api/v1/runs/{run}/cities/",
         "/api/v1/runs/{run}/accounts/", "/api/v1/runs/{run}/cities/{city}/",
         "/api/v1/runs/{run}/leaderboards/police/", "/api/v1/tokens/"]


@pytest.fixture
def world():
    run = ranking_build(published=True)
    draft = ScoreRunFactory(scheme=run.scheme)  # succeeded, not published
    people = pages_data.users()
    keys = {role: token_create(user=people[role], name="script")[1] for role in ROLES}
    return run, draft, keys


def _auth(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


@pytest.mark.parametrize("role", ROLES)
def test_every_award_role_reads_what_is_published(client, world, role):
    run, _draft, keys = world
    city = run.city_scores.order_by("rank").first().city_id
    for path in READS:
        url = path.format(run=run.pk, city=city, scheme=run.scheme.slug)
        response = client.get(url, **_auth(keys[role]))
        assert response.status_code == 200, (url, response.content[:200])


@pytest.mark.parametrize("role", ROLES)
def test_no_award_role_sees_a_draft_run(client, world, role):
    _run, draft, keys = world
    for path in (f"/api/v1/runs/{draft.pk}/", f"/api/v1/runs/{draft.pk}/cities/"):
        response = client.get(path, **_auth(keys[role]))
        assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found"), path
    listed = [item["id"] for item in client.get("/api/v1/runs/", **_auth(keys[role])).json()["results"]]
    assert draft.pk not in listed


@pytest.mark.parametrize("role", ROLES)
def test_no_award_role_runs_publishes_or_imports(client, world, role):
    _run, draft, keys = world
    headers = _auth(keys[role])
    attempts = [
        client.post("/api/v1/runs/", {"scheme": draft.scheme.slug, "period": "2012-03"},
                    content_type="application/json", **headers),
        client.post(f"/api/v1/runs/{draft.pk}/publish/", **headers),
        client.post("/api/v1/imports/", {"file": SimpleUploadedFile("a.csv", b"city\n")}, **headers),
    ]
    assert [(response.status_code, response.json()["error"]["code"]) for response in attempts] == [
        (403, "permission_denied")] * 3
    draft.refresh_from_db()
    assert not draft.is_published and ScoreRun.objects.count() == 2 and not ImportJob.objects.exists()
