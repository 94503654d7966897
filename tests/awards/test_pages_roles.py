"""Who may open which award page and send which form: every page and write, for each role (anonymous,
分析员 analyst, 评审专家 expert, 评审管理员 panel admin, superuser, a user with no role)."""
from __future__ import annotations

import pytest
from django.test import Client

from awards.models import AwardRound
from tests.awards import pages_data
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "nobody", "analyst", "expert", "panel", "superuser"]


@pytest.fixture
def draft(people) -> AwardRound:
    award_round = pages_data.round_build(expert_user=people["expert"])
    pages_data.grid_scores_enter(award_round, experts=pages_data.GRID_EXPERTS)
    return award_round


def _client(people, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def _outcome(response) -> str:
    """200, 403, 404, or "login" for a redirect to the login page, "redirect" for another redirect."""
    if response.status_code == 302:
        return "login" if response["Location"].startswith("/login/") else "redirect"
    return response.status_code


# What each role gets on each page of a draft round (GET).
DRAFT_PAGES = {
    #                 anonymous nobody  analyst  expert  panel  superuser
    "detail":        ([404,     404,    200,     200,    200,   200]),
    "grid":          (["login", 403,    403,     403,    200,   200]),
    "progress":      (["login", 403,    403,     403,    200,   200]),
    "audit":         (["login", 404,    200,     403,    200,   200]),
    "my-scores":     (["login", 404,    403,     200,    403,   403]),
}
PATHS = {"detail": "", "grid": "grid/", "progress": "progress/", "audit": "audit/", "my-scores": "my-scores/"}


@pytest.mark.parametrize("page", list(DRAFT_PAGES))
def test_each_role_gets_what_it_may_on_every_page_of_a_draft_round(people, draft, page):
    got = [_outcome(_client(people, role).get(f"/awards/{draft.slug}/{PATHS[page]}")) for role in ROLES]
    assert got == DRAFT_PAGES[page]


def test_the_round_list_shows_drafts_only_to_those_who_may_see_them(people, draft):
    published = pages_data.round_published(slug="published-round")
    for role, sees_draft in [("anonymous", False), ("nobody", False), ("analyst", True), ("expert", True),
                             ("panel", True), ("superuser", True)]:
        body = _client(people, role).get("/awards/").content.decode()
        assert f'data-round="{published.slug}"' in body, role
        assert (f'data-round="{draft.slug}"' in body) is sees_draft, role


# Writes (POST) on a draft round: who is refused, and how.
WRITES = {
    "grid": "grid/", "status": "status/", "expert": "grid/experts/", "citation": "citations/{candidate}/",
}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("role,expected", [("anonymous", "login"), ("nobody", 403), ("analyst", 403),
                                           ("expert", 403)])
def test_writes_are_refused_to_everyone_but_panel_admins(people, draft, write, role, expected):
    version = draft.version
    candidate = draft.candidates.first()
    path = f"/awards/{draft.slug}/" + WRITES[write].format(candidate=candidate.pk)
    response = _client(people, role).post(path, {
        "version": version, "action": "open", "name": "新专家", "province": "河南", "text": "颁奖词",
        f"score-{draft.experts.first().pk}-{candidate.pk}": "1",
    })
    # The permission is checked before the round is looked up: the answer says nothing of the round.
    assert _outcome(response) == expected
    draft.refresh_from_db()
    assert draft.version == version and draft.status == AwardRound.Status.DRAFT
    assert not draft.experts.filter(name="新专家").exists()
    candidate.refresh_from_db()
    assert candidate.citation == ""


@pytest.mark.parametrize("role", ["panel", "superuser"])
def test_panel_admins_and_superusers_may_open_voting(people, draft, role):
    response = _client(people, role).post(f"/awards/{draft.slug}/status/", {"action": "open"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == AwardRound.Status.VOTING


def test_a_published_round_page_is_public_but_its_grid_and_audit_log_are_not(people):
    published = pages_data.round_published(expert_user=people["expert"])
    anonymous = _client(people, "anonymous")
    assert anonymous.get(f"/awards/{published.slug}/").status_code == 200
    assert _outcome(anonymous.get(f"/awards/{published.slug}/grid/")) == "login"
    assert _outcome(anonymous.get(f"/awards/{published.slug}/audit/")) == "login"
    assert _client(people, "nobody").get(f"/awards/{published.slug}/audit/").status_code == 403
    assert _client(people, "nobody").get(f"/awards/{published.slug}/my-scores/").status_code == 403
