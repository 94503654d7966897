"""A panel admin's round pages (issue 18, items 3 and 5): create a round from a published ranking, edit it
while a draft, upload a netizen vote file (preview, then an all-or-nothing import), confirm closing and
publishing; a draft's unranked candidates show "—" with a note; the settings form's name is 评选名称."""
from __future__ import annotations

import re
from html import unescape

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from awards import forms as award_forms
from awards import uploads
from awards.models import AwardRound, EntryPath, NetizenTally
from tests.awards import pages_data
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def import_dir(tmp_path, settings):
    settings.GOVWEIBO_IMPORT_DIR = tmp_path / "imports"


def _client(people=None, role: str | None = None, *, english: bool = True) -> Client:
    client = Client()
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if role:
        client.force_login(people[role])
    return client


def _text(body: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:p|div|span|section|ul)>', body, re.S)
    assert match, f"no #{element_id}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def _create_data(run_id: int, **changes: object) -> dict:
    data = {"run": run_id, "slug": "shifan-2013", "name": "2013年度政务微博示范奖", "kind": "city", "category": "",
            "selection": "top", "candidates_n": "5", "candidate_list": "", "shortlist_size": "3",
            "weight_ranking": "0.6", "weight_experts": "0.25", "weight_netizens": "0.15", "aggregation": "mean",
            "trim": "1", "quorum": "3"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _csv(text: str, name: str = "votes.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# --- create -----------------------------------------------------------------------------------------
def test_the_create_page_is_for_panel_admins_only(people):
    assert _client().get("/awards/new/")["Location"].startswith("/login/")
    for role in ("nobody", "analyst", "expert"):
        client = _client(people, role)
        assert client.get("/awards/new/").status_code == 403
        assert client.post("/awards/new/", _create_data(1)).status_code == 403
    assert not AwardRound.objects.exists()


def test_a_panel_admin_creates_a_round_from_the_top_n_and_it_is_audited(people):
    run = pages_data.published_run()
    client = _client(people, "panel")
    page = client.get(f"/awards/new/?run={run.pk}").content.decode()
    assert f'<option value="{run.pk}" selected>' in page
    response = client.post("/awards/new/", _create_data(run.pk, disclose_experts="on"))
    assert response.status_code == 302 and response["Location"] == "/awards/shifan-2013/"
    award_round = AwardRound.objects.get(slug="shifan-2013")
    assert (award_round.status, award_round.candidates_n, award_round.shortlist_size, award_round.quorum) == (
        "draft", 5, 3, 3)
    assert award_round.disclose_experts and award_round.created_by == people["panel"]
    assert list(award_round.candidates.values_list("name", flat=True)) == ["长沙", "武汉", "广州", "南京", "株洲"]
    created = award_round.history.get()
    assert (created.history_user, created.history_change_reason) == (people["panel"], EntryPath.GRID)


def test_a_round_from_a_list_takes_exactly_the_named_candidates(people):
    run = pages_data.published_run()
    client = _client(people, "panel")
    response = client.post("/awards/new/", _create_data(run.pk, selection="list", candidates_n="",
                                                          candidate_list="株洲、长沙\n深圳（广东）", shortlist_size="2"))
    assert response.status_code == 302
    award_round = AwardRound.objects.get(slug="shifan-2013")
    assert award_round.candidates_from_list and award_round.candidates_n == 0
    assert list(award_round.candidates.values_list("name", "rank")) == [("长沙", 1), ("株洲", 5), ("深圳", 7)]
    page = client.get("/awards/shifan-2013/").content.decode()
    assert "chosen from the ranking by name" in page


def test_each_bad_choice_is_named_beside_its_field_and_nothing_is_created(people):
    run = pages_data.published_run()
    client = _client(people, "panel")
    response = client.post("/awards/new/", _create_data(run.pk, slug="new", weight_netizens="0.3", quorum="1",
                                                          aggregation="trimmed"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "reserved" in _text(body, "error-slug")
    assert "The weights must sum to 1; these sum to 1.15." in _text(body, "error-weight_ranking")
    assert "raise the quorum to 3 or more" in _text(body, "error-quorum")
    response = client.post("/awards/new/", _create_data(run.pk, selection="list", candidate_list="长沙、火星" + "星" * 80))
    assert response.status_code == 400
    error = _text(response.content.decode(), "error-candidate_list")
    assert f"is not ranked by score run #{run.pk}" in error and "…" in error and "星" * 60 not in error
    assert not AwardRound.objects.exists()


def test_form_errors_are_in_chinese_by_default(people):
    run = pages_data.published_run()
    response = _client(people, "panel", english=False).post("/awards/new/", _create_data(run.pk, weight_ranking="x"))
    assert response.status_code == 400
    assert "权重" in _text(response.content.decode(), "error-weight_ranking")


def test_the_round_list_and_a_published_runs_page_link_to_the_create_page_for_panel_admins_only(people):
    run = pages_data.published_run()
    assert 'id="round-create-link"' in _client(people, "panel").get("/awards/").content.decode()
    assert 'id="round-create-link"' not in _client(people, "analyst").get("/awards/").content.decode()
    assert f'href="/awards/new/?run={run.pk}"' in _client(people, "panel").get(
        f"/rankings/{run.pk}/").content.decode()
    assert 'id="create-round-link"' not in _client(people, "analyst").get(f"/rankings/{run.pk}/").content.decode()


# --- edit while a draft -------------------------------------------------------------------------------
def _settings(award_round: AwardRound, **changes: object) -> dict:
    data = {"name": award_round.name, "shortlist_size": "5", "weight_ranking": "0.5", "weight_experts": "0.3",
            "weight_netizens": "0.2", "aggregation": "mean", "trim": "1", "quorum": "4"}
    data.update(changes)
    return data


def test_settings_change_while_a_draft_and_are_refused_clearly_afterwards(people):
    award_round = pages_data.round_build()
    client = _client(people, "panel")
    assert client.post(f"/awards/{award_round.slug}/settings/", _settings(award_round)).status_code == 302
    award_round.refresh_from_db()
    assert (tuple(map(float, award_round.weights)), award_round.quorum) == ((0.5, 0.3, 0.2), 4)
    client.post(f"/awards/{award_round.slug}/status/", {"action": "open"})
    response = client.post(f"/awards/{award_round.slug}/settings/", _settings(award_round, quorum="9"))
    assert response.status_code == 400
    assert "voting: changing the settings is not possible now" in _text(response.content.decode(), "settings-errors")
    award_round.refresh_from_db()
    assert award_round.quorum == 4


def test_every_settings_problem_is_listed_not_only_the_first(people):
    award_round = pages_data.round_build()
    response = _client(people, "panel").post(f"/awards/{award_round.slug}/settings/",
                                             _settings(award_round, aggregation="trimmed", quorum="2",
                                                       weight_netizens="0.9"))
    assert response.status_code == 400
    errors = re.search(r'id="settings-errors">(.*?)</ul>', response.content.decode(), re.S).group(1)
    assert "raise the quorum to 3 or more" in errors and "these sum to 1.7" in errors


def test_the_settings_form_calls_the_rounds_name_评选名称_not_姓名(people):
    award_round = pages_data.round_build()
    page = _client(people, "panel", english=False).get(f"/awards/{award_round.slug}/").content.decode()
    label = re.search(r'<label for="id_name">(.*?)</label>', page).group(1)
    assert "评选名称" in label and "姓名" not in label


def test_the_create_form_refuses_for_non_admins_and_settings_edits_too(people):
    award_round = pages_data.round_build()
    assert _client(people, "analyst").post(f"/awards/{award_round.slug}/settings/",
                                           _settings(award_round)).status_code == 403
    assert _client().post(f"/awards/{award_round.slug}/settings/", _settings(award_round)).status_code == 302


# --- a draft's ranks ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("language", "note"), [("en", "not ranked yet"), ("zh-hans", "尚未排名")])
def test_a_draft_without_scores_shows_a_dash_and_a_note_for_ranks_not_none(people, language, note):
    award_round = pages_data.round_build()
    client = _client(people, "panel", english=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get(f"/awards/{award_round.slug}/").content.decode()
    table = re.search(r'<table[^>]*id="candidate-table".*?</table>', body, re.S).group(0)
    assert "None" not in table and "&lt;NA&gt;" not in table
    assert ">—</span>" in table
    assert note in _text(body, "unranked-note")


# --- confirmations ------------------------------------------------------------------------------------
def test_closing_and_publishing_ask_for_a_confirmation_naming_what_happens(people):
    award_round = pages_data.round_build()
    pages_data.grid_scores_enter(award_round)
    client = _client(people, "panel")
    client.post(f"/awards/{award_round.slug}/status/", {"action": "open"})
    page = client.post(f"/awards/{award_round.slug}/status/", {"action": "close"})
    award_round.refresh_from_db()
    assert page.status_code == 200 and award_round.status == "voting"
    body = page.content.decode()
    assert "ends the voting" in _text(body, "status-confirm-what") and 'id="status-confirm-button"' in body
    unticked = client.post(f"/awards/{award_round.slug}/status/", {"action": "close", "confirming": "1"})
    assert unticked.status_code == 400 and "Tick the box" in _text(unticked.content.decode(), "status-confirm-errors")
    award_round.refresh_from_db()
    assert award_round.status == "voting"
    client.post(f"/awards/{award_round.slug}/status/", {"action": "close", "confirming": "1", "confirm": "on"})
    award_round.refresh_from_db()
    assert award_round.status == "closed"
    body = client.post(f"/awards/{award_round.slug}/status/", {"action": "publish"}).content.decode()
    assert "freezes it" in _text(body, "status-confirm-what")
    assert pages_data.expected_order()[0] in _text(body, "status-confirm-shortlist")
    award_round.refresh_from_db()
    assert award_round.status == "closed"
    client.post(f"/awards/{award_round.slug}/status/", {"action": "publish", "confirming": "1", "confirm": "on"})
    award_round.refresh_from_db()
    assert award_round.status == "published"


def test_the_confirmation_page_is_chinese_by_default(people):
    award_round = pages_data.round_build()
    pages_data.grid_scores_enter(award_round)
    client = _client(people, "panel", english=False)
    client.post(f"/awards/{award_round.slug}/status/", {"action": "open"})
    body = client.post(f"/awards/{award_round.slug}/status/", {"action": "close"}).content.decode()
    assert "结束投票" in _text(body, "status-confirm-what")


# --- netizen vote file ----------------------------------------------------------------------------------
GOOD = "城市,票数,来源\n长沙,1200,微博投票\n武汉,800,微博投票\n长沙,300,网站投票\n"


def test_the_upload_is_for_panel_admins_only(people):
    award_round = pages_data.round_build()
    assert _client().post(f"/awards/{award_round.slug}/netizen/", {"file": _csv(GOOD)}).status_code == 302
    for role in ("nobody", "analyst", "expert"):
        client = _client(people, role)
        assert client.post(f"/awards/{award_round.slug}/netizen/", {"file": _csv(GOOD)}).status_code in (403, 404)
        assert client.post(f"/awards/{award_round.slug}/netizen/import/", {"token": "x" * 32}).status_code in (403, 404)
    assert 'id="netizen-upload-form"' not in _client(people, "analyst").get(f"/awards/{award_round.slug}/").content.decode()
    assert 'id="netizen-upload-form"' in _client(people, "panel").get(f"/awards/{award_round.slug}/").content.decode()


def test_a_preview_shows_rows_and_totals_and_writes_nothing_then_the_import_writes_it_all(people):
    award_round = pages_data.round_build()
    client = _client(people, "panel")
    response = client.post(f"/awards/{award_round.slug}/netizen/", {"file": _csv(GOOD)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 rows, all valid. 3 new tallies, 0 changed, 0 unchanged." in _text(body, "netizen-preview-summary")
    table = re.search(r'<table[^>]*id="netizen-preview-table".*?</table>', body, re.S).group(0)
    rows = [[unescape(re.sub(r"<[^>]+>", "", cell)).split()[0] for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr data-candidate[^>]*>(.*?)</tr>", table, re.S)]
    assert rows == [["长沙", "1,200", "300", "1,500"], ["武汉", "800", "—", "800"]]  # sources in the file's order
    assert not NetizenTally.objects.exists()
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    response = client.post(f"/awards/{award_round.slug}/netizen/import/", {"token": token}, follow=True)
    assert "3 netizen tally rows imported: 3 new, 0 changed. Voting is open." in response.content.decode()
    assert sorted(NetizenTally.objects.values_list("candidate__name", "source", "votes")) == [
        ("武汉", "微博投票", 800), ("长沙", "微博投票", 1200), ("长沙", "网站投票", 300)]
    tally = NetizenTally.objects.get(candidate__name="武汉").history.get()
    assert (tally.history_user, tally.history_change_reason) == (people["panel"], EntryPath.FILE)
    award_round.refresh_from_db()
    assert award_round.status == "voting"
    again = client.post(f"/awards/{award_round.slug}/netizen/import/", {"token": token}, follow=True)
    assert "no longer here" in again.content.decode()  # the file is gone once imported
    assert not list((settings.GOVWEIBO_IMPORT_DIR / "award-files").iterdir())


def test_a_bad_file_lists_each_problem_by_line_and_column_and_writes_nothing(people):
    award_round = pages_data.round_build()
    client = _client(people, "panel")
    bad = "城市,票数,来源\n长沙,1200,微博投票\n火星" + "X" * 80 + ",5,微博投票\n武汉,-3,微博投票\n长沙,7,微博投票\n"
    response = client.post(f"/awards/{award_round.slug}/netizen/", {"file": _csv(bad)})
    assert response.status_code == 400
    body = response.content.decode()
    table = re.search(r'<table[^>]*id="netizen-problems-table".*?</table>', body, re.S).group(0)
    problems = [[unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
                for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)]
    assert [problem[:2] for problem in problems] == [["3", "城市"], ["4", "票数"], ["5", "—"]]
    assert "is not a candidate of this round" in problems[0][2] and "X" * 60 not in problems[0][2]
    assert "negative" in problems[1][2] and "repeats line 2" in problems[2][2]
    assert 'id="netizen-import-form"' not in body
    assert not NetizenTally.objects.exists()
    assert not (settings.GOVWEIBO_IMPORT_DIR / "award-files").exists()


def test_the_import_checks_the_file_again_and_is_all_or_nothing(people):
    """Between preview and import the round changed (an expert now recused, a candidate gone …): here,
    the round closed. The import refuses and writes nothing."""
    award_round = pages_data.round_build()
    client = _client(people, "panel")
    body = client.post(f"/awards/{award_round.slug}/netizen/", {"file": _csv(GOOD)}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    pages_data.grid_scores_enter(award_round, votes=None)
    client.post(f"/awards/{award_round.slug}/status/", {"action": "open"})
    client.post(f"/awards/{award_round.slug}/status/", {"action": "close", "confirming": "1", "confirm": "on"})
    response = client.post(f"/awards/{award_round.slug}/netizen/import/", {"token": token}, follow=True)
    assert "its scores, tallies and experts can no longer change" in response.content.decode()
    assert not NetizenTally.objects.exists()


def test_a_token_of_another_round_or_session_is_refused(people):
    award_round = pages_data.round_build()
    other = pages_data.round_build(slug="other")
    client = _client(people, "panel")
    body = client.post(f"/awards/{award_round.slug}/netizen/", {"file": _csv(GOOD)}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    client.post(f"/awards/{other.slug}/netizen/import/", {"token": token})
    _client(people, "superuser").post(f"/awards/{award_round.slug}/netizen/import/", {"token": token})
    assert not NetizenTally.objects.exists()
    assert client.post(f"/awards/{award_round.slug}/netizen/import/", {"token": token}).status_code == 302
    assert NetizenTally.objects.filter(round=award_round).count() == 3


def test_an_expert_score_file_and_a_too_big_or_wrong_type_file_are_refused_on_the_field(people, monkeypatch):
    award_round = pages_data.round_build()
    client = _client(people, "panel")
    scores = "专家,城市,评分\n王教授,长沙,80\n"
    body = client.post(f"/awards/{award_round.slug}/netizen/", {"file": _csv(scores)}).content.decode()
    assert "the file holds expert scores" in body
    body = client.post(f"/awards/{award_round.slug}/netizen/", {"file": _csv(GOOD, "votes.exe")}).content.decode()
    assert "is not a .csv, .txt or .xlsx file" in body
    monkeypatch.setattr(award_forms, "NETIZEN_MAX_BYTES", 10)
    response = client.post(f"/awards/{award_round.slug}/netizen/", {"file": _csv(GOOD)})
    assert response.status_code == 400 and "a netizen vote file may be at most 10" in response.content.decode()
    assert not NetizenTally.objects.exists()


def test_the_preview_and_errors_are_chinese_by_default(people):
    award_round = pages_data.round_build()
    client = _client(people, "panel", english=False)
    body = client.post(f"/awards/{award_round.slug}/netizen/", {"file": _csv("城市,票数,来源\n长沙,abc,微博投票\n")}).content.decode()
    assert "文件被拒绝" in body and "票数" in body


def test_a_pending_file_older_than_an_hour_is_swept(people, monkeypatch):
    award_round = pages_data.round_build()
    client = _client(people, "panel")
    client.post(f"/awards/{award_round.slug}/netizen/", {"file": _csv(GOOD)})
    monkeypatch.setattr(uploads, "MAX_AGE_SECONDS", -1)
    client.post(f"/awards/{award_round.slug}/netizen/", {"file": _csv(GOOD)})
    assert len(list((settings.GOVWEIBO_IMPORT_DIR / "award-files").iterdir())) == 1
