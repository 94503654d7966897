"""The award rounds' API: reads (published public, others for those who may see them) and the panel
admins' writes through the same services as the grid, in the one error shape."""
from __future__ import annotations

import pytest
from django.test import Client

from awards.models import AwardRound, ExpertScore, RoundResult
from tests.awards import pages_data
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return pages_data.users()


def _client(people=None, role: str | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if role:
        client.force_login(people[role])
    return client


def _post(client: Client, path: str, body: dict):
    return client.post(path, body, content_type="application/json")


def test_the_round_list_shows_published_rounds_to_all_and_drafts_to_the_panel(people, django_assert_max_num_queries):
    published = pages_data.round_published(slug="published")
    pages_data.round_build(slug="draft")
    anonymous = _client().get("/api/v1/awards/rounds/").json()
    assert [item["slug"] for item in anonymous] == ["published"]
    assert anonymous[0]["weights"] == {"ranking": 0.6, "experts": 0.25, "netizens": 0.15}
    assert anonymous[0]["links"]["page"].endswith(f"/awards/{published.slug}/")
    panel = _client(people, "panel")
    assert {item["slug"] for item in panel.get("/api/v1/awards/rounds/").json()} == {"published", "draft"}
    with django_assert_max_num_queries(6):  # session, user, permissions, rounds (with their run)
        assert panel.get("/api/v1/awards/rounds/").status_code == 200


def test_a_published_round_has_its_fingerprint_method_candidates_and_shortlist(people):
    award_round = pages_data.round_published()
    client = _client()
    detail = client.get(f"/api/v1/awards/rounds/{award_round.slug}/").json()
    assert detail["status"] == "published" and detail["result_version"] == 1
    assert detail["fingerprint"] == RoundResult.objects.get(round=award_round).fingerprint
    assert "Final score = 0.6 × R + 0.25 × E + 0.15 × N; equal final scores are ordered by R, then by E." in (
        detail["method"])
    candidates = client.get(f"/api/v1/awards/rounds/{award_round.slug}/candidates/").json()
    assert [row["candidate"] for row in candidates] == pages_data.expected_order()
    first = candidates[0]
    assert (first["rank"], first["ranking_score"], first["expert_score"], first["netizen_score"]) == (1, 81, 100, 100)
    assert first["final"] == pytest.approx(88.6) and first["experts"] == 8 and first["shortlisted"]
    shortlist = client.get(f"/api/v1/awards/rounds/{award_round.slug}/shortlist/").json()
    assert [row["candidate"] for row in shortlist] == pages_data.expected_order()[:10]
    assert all("citation" in row for row in shortlist)


@pytest.mark.parametrize("role,status", [(None, 404), ("nobody", 404), ("analyst", 200), ("expert", 200),
                                         ("panel", 200), ("superuser", 200)])
def test_a_draft_round_is_a_404_to_those_who_may_not_see_it(people, role, status):
    draft = pages_data.round_build(expert_user=people["expert"])
    for path in ("", "candidates/", "shortlist/"):
        response = _client(people, role).get(f"/api/v1/awards/rounds/{draft.slug}/{path}")
        # The round's expert sees the round, but not its results before publication (sealed scoring).
        expected = 403 if role == "expert" and path else status
        assert response.status_code == expected, path
        if expected != 200:
            assert response.json()["error"]["code"] == {403: "permission_denied", 404: "not_found"}[expected]


@pytest.mark.parametrize("role", [None, "nobody", "analyst", "expert"])
def test_writes_are_refused_to_everyone_but_panel_admins(people, role):
    draft = pages_data.round_build(expert_user=people["expert"])
    client = _client(people, role)
    cells = {"version": draft.version, "scores": [
        {"candidate_id": draft.candidates.first().pk, "expert_id": draft.experts.first().pk, "score": "50"}]}
    for path, body in (("cells/", cells), ("status/", {"action": "open"})):
        response = _post(client, f"/api/v1/awards/rounds/{draft.slug}/{path}", body)
        # Anonymous: 401 with the token challenge (the API's rule for every write); signed in: 403.
        expected = (401, "not_authenticated") if role is None else (403, "permission_denied")
        assert (response.status_code, response.json()["error"]["code"]) == expected, (path, response.content)
    draft.refresh_from_db()
    assert draft.status == AwardRound.Status.DRAFT and not ExpertScore.objects.exists()


def test_a_panel_admin_saves_cells_and_bad_cells_are_a_400_naming_each_cell(people):
    draft = pages_data.round_build()
    client = _client(people, "panel")
    wang, li = draft.experts.get(name="王教授"), draft.experts.get(name="李研究员")
    changsha = draft.candidates.get(name="长沙")
    path = f"/api/v1/awards/rounds/{draft.slug}/cells/"
    refused = _post(client, path, {"version": draft.version, "scores": [
        {"candidate_id": changsha.pk, "expert_id": wang.pk, "score": "101"},
        {"candidate_id": changsha.pk, "expert_id": li.pk, "score": "80"},  # 李研究员 is from 湖南: recused
    ], "tallies": [{"candidate_id": changsha.pk, "source": "微博投票", "votes": "12"}]})
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["details"]) == {f"score:{changsha.pk}:{wang.pk}", f"score:{changsha.pk}:{li.pk}"}
    assert not ExpertScore.objects.exists()
    saved = _post(client, path, {"version": draft.version, "scores": [
        {"candidate_id": changsha.pk, "expert_id": wang.pk, "score": "88.5", "comment": "很好"}],
        "tallies": [{"candidate_id": changsha.pk, "source": "微博投票", "votes": "12"}]})
    assert saved.status_code == 200, saved.content
    assert saved.json()["created"] == 2 and saved.json()["version"] > draft.version
    score = ExpertScore.objects.get()
    assert str(score.score) == "88.50" and score.entered_via == "api"


def test_a_stale_version_is_a_409_listing_the_cells_changed_since(people):
    draft = pages_data.round_build()
    client = _client(people, "panel")
    wang, changsha = draft.experts.get(name="王教授"), draft.candidates.get(name="长沙")
    path = f"/api/v1/awards/rounds/{draft.slug}/cells/"
    cell = {"candidate_id": changsha.pk, "expert_id": wang.pk, "score": "60"}
    assert _post(client, path, {"version": draft.version, "scores": [cell]}).status_code == 200
    stale = _post(client, path, {"version": draft.version, "scores": [{**cell, "score": "70"}]})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "conflict"
    assert [change["cell"] for change in error["details"]["cells"]] == [f"score:{changsha.pk}:{wang.pk}"]
    assert error["details"]["cells"][0]["user"] == "panel"
    assert str(ExpertScore.objects.get().score) == "60.00"


def test_status_changes_close_below_quorum_is_a_409_naming_candidates_then_publish_and_correct(people):
    award_round = pages_data.round_build()
    pages_data.grid_scores_enter(award_round, experts=3)
    client = _client(people, "panel")
    path = f"/api/v1/awards/rounds/{award_round.slug}/status/"
    assert _post(client, path, {"action": "open"}).json()["status"] == "voting"
    below = _post(client, path, {"action": "close"})
    assert below.status_code == 409
    assert "长沙" in below.json()["error"]["details"]["candidates"]
    pages_data.grid_scores_enter(award_round)
    assert _post(client, path, {"action": "close"}).json()["status"] == "closed"
    published = _post(client, path, {"action": "publish"}).json()
    assert published["status"] == "published" and len(published["fingerprint"]) == 64
    assert _post(client, path, {"action": "correct", "reason": ""}).status_code == 400
    corrected = _post(client, path, {"action": "correct", "reason": "录入错误", "scores": [
        {"candidate_id": award_round.candidates.get(name="长沙").pk,
         "expert_id": award_round.experts.get(name="王教授").pk, "score": "30"}]}).json()
    assert corrected["result_version"] == 2 and corrected["corrections"][0]["reason"] == "录入错误"
    assert _post(client, path, {"action": "fly"}).json()["error"]["details"]["action"]
