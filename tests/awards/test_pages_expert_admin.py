"""A panel admin manages a round's experts on its pages (add, edit, remove with a confirmation naming
the scores, reopen), and what a new expert met on their own page (issue 18, items 2 and 5)."""
from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from awards import selectors, services
from awards.models import AwardRound, EntryPath, Expert, ExpertScore
from tests.awards import pages_data
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(draft) -> AwardRound:
    services.round_open_voting(user=None, award_round=draft, via=EntryPath.COMMAND)
    draft.refresh_from_db()
    return draft


def _client(people, role: str, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(people[role])
    return client


def _submit_zhou(people, award_round: AwardRound) -> Expert:
    zhou = award_round.experts.get(name="周老师")
    scores = [services.ScoreCell(candidate.pk, zhou.pk, "80") for candidate in award_round.candidates.all()]
    services.expert_scores_save(user=people["expert"], expert=zhou, scores=scores)
    return services.expert_submit(user=people["expert"], expert=zhou)


# --- who may ------------------------------------------------------------------------------------------
def test_only_panel_admins_see_the_expert_list_and_its_pages(people, draft):
    wang = draft.experts.get(name="王教授")
    body = _client(people, "panel").get(f"/awards/{draft.slug}/").content.decode()
    assert 'id="experts"' in body and 'id="expert-add-link"' in body
    assert f'id="expert-edit-{wang.pk}"' in body and f'id="expert-remove-{wang.pk}"' in body
    assert 'id="experts"' not in _client(people, "analyst").get(f"/awards/{draft.slug}/").content.decode()
    for path in ("experts/add/", f"experts/{wang.pk}/edit/", f"experts/{wang.pk}/remove/",
                 f"experts/{wang.pk}/reopen/"):
        assert _client(people, "analyst").get(f"/awards/{draft.slug}/{path}").status_code == 403
        assert _client(people, "expert").post(f"/awards/{draft.slug}/{path}", {"reason": "x"}).status_code == 403
        anonymous = Client().get(f"/awards/{draft.slug}/{path}")
        assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert Expert.objects.filter(pk=wang.pk).exists()


# --- add, edit ----------------------------------------------------------------------------------------
def test_a_panel_admin_adds_an_expert_and_the_audit_log_names_them_and_the_reason(people, draft):
    client = _client(people, "panel")
    response = client.post(f"/awards/{draft.slug}/experts/add/", {
        "name": "孙教授", "affiliation": "复旦大学", "province": "上海", "username": "nobody", "reason": "补充专家"})
    assert response.status_code == 302 and response["Location"].endswith("#experts")
    sun = draft.experts.get(name="孙教授")
    assert sun.user == people["nobody"] and sun.affiliation == "复旦大学"
    with translation.override("en"):
        entry = next(e for e in selectors.round_audit_log(award_round=draft) if e.object_label == "孙教授")
    assert entry.user == people["panel"] and entry.via_label == "grid page · 补充专家"


def test_bad_input_on_the_expert_form_names_each_field_and_the_reason(people, draft):
    response = _client(people, "panel").post(f"/awards/{draft.slug}/experts/add/", {
        "name": "王教授", "province": "", "username": "ghost" * 20})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="province-error"' in body and "This field is required." in body
    assert 'id="username-error"' in body and "There is no user “ghostghostghost" in body
    assert "ghost" * 20 not in body.split('id="username-error"')[1]  # the echo is truncated
    # The service's own refusals land on their field too (a name taken already).
    response = _client(people, "panel").post(f"/awards/{draft.slug}/experts/add/", {"name": "王教授", "province": "北京"})
    assert response.status_code == 400
    assert re.search(r'id="name-error">This round has an expert named “王教授” already', response.content.decode())
    chinese = _client(people, "panel", "zh-hans").post(f"/awards/{draft.slug}/experts/add/", {"name": "王教授",
                                                                                          "province": "北京"})
    assert "此评选已有名为“王教授”的专家" in chinese.content.decode()


@pytest.mark.slow
def test_editing_an_expert_needs_a_reason_and_refuses_a_province_they_scored(people, draft):
    client = _client(people, "panel")
    wang = draft.experts.get(name="王教授")
    page = client.get(f"/awards/{draft.slug}/experts/{wang.pk}/edit/").content.decode()
    assert 'value="王教授"' in page and 'id="expert-save"' in page
    fields = {"name": "王教授", "affiliation": "北京大学", "province": "北京", "username": ""}
    response = client.post(f"/awards/{draft.slug}/experts/{wang.pk}/edit/", fields)
    assert response.status_code == 400 and 'id="reason-error"' in response.content.decode()
    response = client.post(f"/awards/{draft.slug}/experts/{wang.pk}/edit/", {**fields, "province": "湖南",
                                                                              "reason": "搬家"})
    assert response.status_code == 400
    assert re.search(r'id="province-error">王教授 has scored candidates of 湖南', response.content.decode())
    response = client.post(f"/awards/{draft.slug}/experts/{wang.pk}/edit/", {**fields, "reason": "单位更正"})
    assert response.status_code == 302
    wang.refresh_from_db()
    assert wang.affiliation == "北京大学" and wang.history.first().history_change_reason == "grid · 单位更正"


# --- remove -------------------------------------------------------------------------------------------
def test_removing_an_expert_with_scores_asks_to_confirm_their_number(people, draft):
    client = _client(people, "panel")
    li = draft.experts.get(name="李研究员")  # 15 scores (recused from the five 湖南 candidates)
    page = client.get(f"/awards/{draft.slug}/experts/{li.pk}/remove/").content.decode()
    assert "李研究员 has 15 scores: removing the expert deletes them too." in page
    assert "Remove 李研究员 and delete 15 scores" in page and 'name="scores_confirmed" value="15"' in page
    # Without the confirmed number (a hand-made form): refused, naming it; nothing deleted.
    response = client.post(f"/awards/{draft.slug}/experts/{li.pk}/remove/", {"reason": "退出"})
    assert response.status_code == 400
    assert "Confirm deleting 15 scores." in response.content.decode()
    assert 'name="scores_confirmed" value="15"' in response.content.decode()
    assert ExpertScore.objects.filter(expert=li).count() == 15
    # A reason of invisible characters only is no reason.
    response = client.post(f"/awards/{draft.slug}/experts/{li.pk}/remove/", {"reason": "\u200b", "scores_confirmed": 15})
    assert response.status_code == 400 and "Reason: give one in words" in response.content.decode()
    response = client.post(f"/awards/{draft.slug}/experts/{li.pk}/remove/", {"reason": "退出评审", "scores_confirmed": 15})
    assert response.status_code == 302
    assert not Expert.objects.filter(pk=li.pk).exists() and not ExpertScore.objects.filter(expert_id=li.pk).exists()
    assert ExpertScore.history.filter(expert_id=li.pk, history_type="-", history_user=people["panel"],
                                      history_change_reason="grid · 退出评审").count() == 15


def test_an_expert_without_scores_is_removed_with_a_reason_only(people, draft):
    zhou = draft.experts.get(name="周老师")
    page = _client(people, "panel").get(f"/awards/{draft.slug}/experts/{zhou.pk}/remove/").content.decode()
    assert "周老师 has no score yet." in page and ">Remove 周老师</button>" in page
    response = _client(people, "panel").post(f"/awards/{draft.slug}/experts/{zhou.pk}/remove/", {"reason": "重复"})
    assert response.status_code == 302 and not Expert.objects.filter(pk=zhou.pk).exists()


def test_a_published_round_freezes_its_experts(people):
    award_round = pages_data.round_published()
    wang = award_round.experts.get(name="王教授")
    client = _client(people, "panel")
    body = client.get(f"/awards/{award_round.slug}/").content.decode()
    assert 'id="experts-frozen"' in body and f'id="expert-edit-{wang.pk}"' not in body
    response = client.post(f"/awards/{award_round.slug}/experts/{wang.pk}/remove/", {"reason": "x",
                                                                                      "scores_confirmed": 20})
    assert response.status_code == 302
    assert "can no longer change" in client.get(response["Location"]).content.decode()
    assert Expert.objects.filter(pk=wang.pk).exists()


# --- reopen -------------------------------------------------------------------------------------------
def test_a_panel_admin_reopens_a_submitted_expert_while_voting(people, voting):
    zhou = _submit_zhou(people, voting)
    client = _client(people, "panel")
    assert f'id="expert-reopen-{zhou.pk}"' in client.get(f"/awards/{voting.slug}/").content.decode()
    response = client.post(f"/awards/{voting.slug}/experts/{zhou.pk}/reopen/", {"reason": ""})
    assert response.status_code == 400 and 'id="reason-error"' in response.content.decode()
    response = client.post(f"/awards/{voting.slug}/experts/{zhou.pk}/reopen/", {"reason": "评分有误"})
    assert response.status_code == 302
    zhou.refresh_from_db()
    assert zhou.submitted_at is None
    assert zhou.history.first().history_change_reason == "grid · 评分有误"
    # Not submitted (any more): nothing to reopen, said so.
    response = client.post(f"/awards/{voting.slug}/experts/{zhou.pk}/reopen/", {"reason": "再来"})
    assert response.status_code == 400 and "周老师 has not submitted their scores" in response.content.decode()


# --- the expert's own page (issue 18, item 5) ---------------------------------------------------------
def test_an_expert_sees_the_number_of_candidates_on_the_sealed_round_page(people, voting):
    body = _client(people, "expert").get(f"/awards/{voting.slug}/").content.decode()
    assert 'id="sealed"' in body and re.search(r'id="candidate-count">20 ', body)


def test_after_submitting_the_expert_page_is_read_only_and_says_so(people, voting):
    _submit_zhou(people, voting)
    body = _client(people, "expert").get(f"/awards/{voting.slug}/my-scores/").content.decode()
    assert 'id="read-only-notice"' in body and "ask a panel admin to reopen" in body
    assert 'id="my-scores-form"' not in body and "<input" not in body.split('id="expert-panel"')[1].split("</section>")[0]
    assert 'class="score-value">80<' in body


def test_a_draft_rounds_expert_page_is_read_only_until_voting_opens(people, draft):
    body = _client(people, "expert").get(f"/awards/{draft.slug}/my-scores/").content.decode()
    assert "has not opened yet" in body and 'id="my-scores-form"' not in body


def test_a_forged_score_on_a_recused_cell_of_the_expert_page_is_refused_naming_the_cell(people, voting):
    zhou = voting.experts.get(name="周老师")
    services.expert_update(user=None, expert=zhou, via=EntryPath.COMMAND, province="湖南")
    changsha, wuhan = voting.candidates.get(name="长沙"), voting.candidates.get(name="武汉")
    response = _client(people, "expert").post(f"/awards/{voting.slug}/my-scores/", {
        f"score-{changsha.pk}": "90", f"score-{wuhan.pk}": "70"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "长沙 × 周老师: 回避" in body and "Saved 0" not in body
    assert not ExpertScore.objects.filter(expert=zhou).exists()


def test_the_expert_page_says_when_nothing_changed(people, voting):
    response = _client(people, "expert").post(f"/awards/{voting.slug}/my-scores/", {}, follow=True)
    assert "Nothing changed: nothing to save." in response.content.decode()


def test_a_submitted_experts_post_is_refused_with_the_reason(people, voting):
    zhou = _submit_zhou(people, voting)
    wuhan = voting.candidates.get(name="武汉")
    response = _client(people, "expert").post(f"/awards/{voting.slug}/my-scores/", {f"score-{wuhan.pk}": "10"})
    assert response.status_code == 400 and "You submitted your scores on" in response.content.decode()
    assert ExpertScore.objects.get(expert=zhou, candidate=wuhan).score == 80
    assert zhou.submitted_at <= timezone.now()
