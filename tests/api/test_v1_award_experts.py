"""A round's experts in the API: list and detail for staff and panel admins, and the panel admins' add,
change, remove (scores only when confirmed by number) and reopen, in the one error shape."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from awards import services
from awards.models import AwardRound, EntryPath, Expert, ExpertScore
from tests.awards import pages_data
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return pages_data.users()


@pytest.fixture
def draft(people) -> AwardRound:
    award_round = pages_data.round_build(expert_user=people["expert"])
    pages_data.grid_scores_enter(award_round, experts=pages_data.GRID_EXPERTS)
    award_round.refresh_from_db()
    return award_round


def _client(people=None, role: str | None = None, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if role:
        client.force_login(people[role])
    return client


def _url(award_round: AwardRound, expert: Expert | None = None, tail: str = "") -> str:
    base = f"/api/v1/awards/rounds/{award_round.slug}/experts/"
    return base + (f"{expert.pk}/" if expert else "") + tail


def test_staff_and_panel_admins_list_a_rounds_experts_with_their_scores(people, draft, django_assert_max_num_queries):
    client = _client(people, "panel")
    with django_assert_max_num_queries(6):  # session, user, permissions (2), the round, its experts
        body = client.get(_url(draft)).json()
    assert [row["name"] for row in body][:2] == ["王教授", "李研究员"]
    li = next(row for row in body if row["name"] == "李研究员")
    assert li["province"] == "湖南" and li["scores"] == 15 and li["username"] is None and li["submitted_at"] is None
    assert next(row for row in body if row["name"] == "周老师")["username"] == "expert"
    staff = User.objects.create_user("staffer", password="pw", is_staff=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    assert client.get(_url(draft, draft.experts.get(name="李研究员"))).json()["scores"] == 15


def test_others_get_403_in_the_error_shape(people, draft):
    wang = draft.experts.get(name="王教授")
    for role in ("expert", "nobody"):
        response = _client(people, role).get(_url(draft))
        assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    anonymous = _client().get(_url(draft))
    assert anonymous.status_code in (401, 403) and "error" in anonymous.json()
    # Staff may read but not write; so do analysts.
    response = _client(people, "analyst").patch(_url(draft, wang), {"name": "x", "reason": "y"},
                                                content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert _client(people, "analyst").delete(_url(draft, wang) + "?reason=x").status_code == 403
    assert Expert.objects.get(pk=wang.pk).name == "王教授"
    missing = _client(people, "panel").get(f"/api/v1/awards/rounds/{draft.slug}/experts/999999/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_a_panel_admin_adds_an_expert_and_bad_fields_are_named(people, draft):
    client = _client(people, "panel")
    response = client.post(_url(draft), {"name": "孙教授", "province": "上海", "affiliation": "复旦大学",
                                         "username": "nobody", "reason": "补充"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["username"] == "nobody" and response.json()["scores"] == 0
    sun = draft.experts.get(name="孙教授")
    assert sun.history.first().history_user == people["panel"]
    assert sun.history.first().history_change_reason == "api · 补充"
    response = client.post(_url(draft), {"name": "王教授", "province": "", "username": "鬼" * 60},
                           content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["details"]) == {"province", "username"}
    assert error["details"]["username"] == ["There is no user “" + "鬼" * 39 + "…”."]
    response = client.post(_url(draft), {"name": "王教授", "province": "北京"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"name": ["This round has an expert named “王教授” already."]}
    chinese = _client(people, "panel", "zh-hans").post(_url(draft), {"name": "王教授", "province": "北京"},
                                                        content_type="application/json")
    assert chinese.json()["error"]["details"]["name"] == ["此评选已有名为“王教授”的专家。"]


def test_changing_an_expert_needs_a_reason_with_visible_text(people, draft):
    client = _client(people, "panel")
    wang = draft.experts.get(name="王教授")
    response = client.patch(_url(draft, wang), {"affiliation": "北京大学"}, content_type="application/json")
    assert response.status_code == 400 and list(response.json()["error"]["details"]) == ["reason"]
    response = client.patch(_url(draft, wang), {"affiliation": "北京大学", "reason": "\u200b\u200b"},
                            content_type="application/json")
    assert response.status_code == 400 and list(response.json()["error"]["details"]) == ["reason"]
    response = client.patch(_url(draft, wang), {"province": "湖南", "reason": "搬家"}, content_type="application/json")
    assert response.status_code == 400 and "王教授 has scored candidates of 湖南" in \
        response.json()["error"]["details"]["province"][0]
    response = client.patch(_url(draft, wang), {"affiliation": "北京大学", "username": "nobody", "reason": "更正"},
                            content_type="application/json")
    assert response.status_code == 200
    assert response.json()["affiliation"] == "北京大学" and response.json()["username"] == "nobody"
    assert response.json()["province"] == "北京"  # what was not sent stays
    assert Expert.objects.get(pk=wang.pk).history.first().history_change_reason == "api · 更正"


def test_removing_an_expert_with_scores_needs_their_number(people, draft):
    client = _client(people, "panel")
    li = draft.experts.get(name="李研究员")
    response = client.delete(_url(draft, li) + "?reason=退出")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict" and error["details"] == {"scores": 15}
    assert "李研究员 has 15 scores" in error["message"]
    assert client.delete(_url(draft, li) + "?reason=退出&scores_confirmed=14").status_code == 409
    response = client.delete(_url(draft, li) + "?scores_confirmed=15")
    assert response.status_code == 400 and list(response.json()["error"]["details"]) == ["reason"]
    assert ExpertScore.objects.filter(expert=li).count() == 15
    assert client.delete(_url(draft, li) + "?reason=退出&scores_confirmed=15").status_code == 204
    assert not Expert.objects.filter(pk=li.pk).exists()
    assert ExpertScore.history.filter(expert_id=li.pk, history_type="-", history_change_reason="api · 退出",
                                      history_user=people["panel"]).count() == 15


def test_a_panel_admin_reopens_a_submitted_expert_and_a_frozen_round_refuses(people, draft):
    services.round_open_voting(user=None, award_round=draft, via=EntryPath.COMMAND)
    zhou = draft.experts.get(name="周老师")
    services.expert_scores_save(user=people["expert"], expert=zhou,
                                scores=[services.ScoreCell(c.pk, zhou.pk, "80") for c in draft.candidates.all()])
    services.expert_submit(user=people["expert"], expert=zhou)
    client = _client(people, "panel")
    assert client.post(_url(draft, zhou, "reopen/"), {}, content_type="application/json").status_code == 400
    response = client.post(_url(draft, zhou, "reopen/"), {"reason": "误提交"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["submitted_at"] is None
    response = client.post(_url(draft, zhou, "reopen/"), {"reason": "再次"}, content_type="application/json")
    assert response.status_code == 409 and "has not submitted" in response.json()["error"]["message"]

    published = pages_data.round_published(slug="published")
    wang = published.experts.get(name="王教授")
    response = client.patch(_url(published, wang), {"name": "王", "reason": "x"}, content_type="application/json")
    assert response.status_code == 409 and "can no longer change" in response.json()["error"]["message"]
    response = client.post(_url(published, wang, "reopen/"), {"reason": "x"}, content_type="application/json")
    assert response.status_code == 409 and "only while the round is a draft or voting" in \
        response.json()["error"]["message"]
    assert client.delete(_url(published, wang) + "?reason=x&scores_confirmed=20").status_code == 409
