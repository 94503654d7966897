"""A correction's reason must hold visible text (page, API, service), and a NUL in an award file is a
problem at its line and column (the command prints it, no traceback)."""
from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from awards import services
from awards.models import AwardRound, EntryPath, ExpertScore, RoundResult
from awards.services import ScoreCell
from awards.services.errors import AwardError
from core.text import has_visible_text
from tests.awards import pages_data
from tests.awards.factories import round_build
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db
INVISIBLE = ["\u200b", "\u200b\u200c\u200d", "\u2060\ufeff", " \u3000\t\u200b ", "\x01\x7f", "\u00a0\u2028"]


@pytest.fixture
def people():
    return pages_data.users()


@pytest.fixture
def published() -> AwardRound:
    return pages_data.round_published()


def _cell(award_round: AwardRound) -> dict:
    return {"candidate_id": award_round.candidates.get(name="长沙").pk,
            "expert_id": award_round.experts.get(name="王教授").pk, "score": "30"}


@pytest.mark.parametrize("reason", INVISIBLE)
def test_a_reason_of_only_invisible_characters_has_no_visible_text(reason):
    assert not has_visible_text(reason)


@pytest.mark.parametrize("reason", ["录入错误", "\u200b错\u200b", "x", "3"])
def test_a_reason_with_one_visible_character_has_visible_text(reason):
    assert has_visible_text(reason)


@pytest.mark.parametrize("reason", [*INVISIBLE, "", None])
def test_the_api_refuses_a_correction_without_a_visible_reason_with_400_naming_the_field(people, published, reason):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people["panel"])
    body = {"action": "correct", "scores": [_cell(published)]}
    if reason is not None:
        body["reason"] = reason
    response = client.post(f"/api/v1/awards/rounds/{published.slug}/status/", body, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["details"]["reason"]
    assert RoundResult.objects.filter(round=published).count() == 1


def test_the_page_refuses_a_zero_width_reason_with_a_form_error(people, published):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people["panel"])
    cell = _cell(published)
    response = client.post(f"/awards/{published.slug}/correct/", {
        "reason": "\u200b\u200b", "expert": cell["expert_id"], "candidate": cell["candidate_id"], "score": "30"})
    assert response.status_code == 400
    assert "no visible text" in response.content.decode()
    assert RoundResult.objects.filter(round=published).count() == 1


def test_the_service_refuses_a_zero_width_reason_in_chinese(published):
    with pytest.raises(AwardError) as error:
        services.round_correct(user=None, award_round=published, reason="\u200b\ufeff",
                               scores=[ScoreCell(**_cell(published))], via=EntryPath.COMMAND)
    assert "可见文字" in str(error.value)


def test_a_nul_in_an_award_file_is_a_problem_at_its_line_and_column_not_a_traceback(tmp_path, monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)
    award_round = round_build()
    path = tmp_path / "scores.csv"
    path.write_text("expert,expert_province,candidate,score,comment\n王专家,北京,长沙,80,好\x00评\n",
                    encoding="utf-8")
    with pytest.raises(CommandError) as error, translation.override("en"):
        call_command("award_round", "--lang", "en", "import", award_round.slug, str(path),
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert "line 2, column comment: this cell holds the control character U+0000" in str(error.value)
    assert not ExpertScore.objects.filter(expert__round=award_round).exists()
