"""The entry grid page: what it shows, and its one all-or-nothing save with the optimistic version check."""
from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from awards.models import AwardRound, EntryPath, ExpertScore, NetizenTally
from tests.awards import pages_data
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


def _admin(people, name: str = "panel") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people[name])
    return client


def _form(client: Client, award_round: AwardRound) -> dict[str, str]:
    """The grid's form fields as the page sends them (every input's name and value)."""
    body = client.get(f"/awards/{award_round.slug}/grid/").content.decode()
    fields = dict(re.findall(r'<input class="cell" type="text" name="([^"]+)" value="([^"]*)"', body))
    fields.update({name: value for name, value in re.findall(
        r'<input type="hidden" name="((?:source-[^"]+)|version)" value="([^"]*)"', body)})
    original = re.search(r'<input type="hidden" name="original" value="([^"]*)"', body).group(1)
    fields["original"] = original.replace("&quot;", '"')
    return fields


def _ids(award_round: AwardRound, expert: str, city: str) -> tuple[int, int]:
    return (award_round.experts.get(name=expert).pk, award_round.candidates.get(name=city).pk)


def _score(award_round: AwardRound, expert: str, city: str):
    row = ExpertScore.objects.filter(expert__round=award_round, expert__name=expert, candidate__name=city).first()
    return row.score if row else None


def test_the_grid_has_a_row_per_candidate_a_column_per_expert_and_source_and_recused_cells(people, draft):
    client = _admin(people)
    body = client.get(f"/awards/{draft.slug}/grid/").content.decode()
    assert body.count("<tr data-candidate=") == 20
    headers = re.findall(r'<th scope="col" class="(score|tally)[^"]*" data-column="[^"]+"[^>]*>([^<]+)</th>', body)
    assert [name for _kind, name in headers] == [name for name, _ in pages_data.EXPERTS] + ["微博投票"]
    # 李研究员 (湖南) is recused from the five 湖南 candidates: shown 回避, with no input to type in.
    li, changsha = _ids(draft, "李研究员", "长沙")
    assert f'name="score-{li}-{changsha}"' not in body
    assert body.count('<td data-recused data-label="') == 10  # 李研究员 × 5 湖南, 陈教授 × 5 广东
    wang, _ = _ids(draft, "王教授", "长沙")
    assert f'name="score-{wang}-{changsha}" value="24"' in body  # 20 + 4 × rank 1
    assert f'value="{draft.version}" id="grid-version"' in body
    assert 'src="/static/js/award_grid.js"' in body


def test_a_save_writes_every_changed_cell_at_once_through_the_grid_path(people, draft):
    client = _admin(people)
    fields = _form(client, draft)
    wang, changsha = _ids(draft, "王教授", "长沙")
    zhou, nantong = _ids(draft, "周老师", "南通")
    fields[f"score-{wang}-{changsha}"] = "３０．５"  # full-width digits, as a Chinese input method types them
    fields[f"score-{zhou}-{nantong}"] = "99"
    fields[f"tally-s1-{changsha}"] = "1,234"  # as Excel copies a formatted number
    fields["source-new1"] = "新华网投票"
    fields[f"tally-new1-{nantong}"] = "500"
    version = draft.version
    response = client.post(f"/awards/{draft.slug}/grid/", fields)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version > version
    assert str(_score(draft, "王教授", "长沙")) == "30.50" and str(_score(draft, "周老师", "南通")) == "99.00"
    assert NetizenTally.objects.get(candidate__name="长沙", source="微博投票").votes == 1234
    assert NetizenTally.objects.get(candidate__name="南通", source="新华网投票").votes == 500
    changed = ExpertScore.objects.get(expert__name="王教授", candidate__name="长沙")
    assert changed.entered_via == EntryPath.GRID
    assert changed.history.first().history_user == people["panel"]
    page = client.get(f"/awards/{draft.slug}/grid/").content.decode()
    assert "Saved: 2 new, 2 changed, 0 cleared" in page


def test_one_bad_cell_refuses_the_whole_save_and_the_page_names_each_bad_cell(people, draft):
    client = _admin(people)
    fields = _form(client, draft)
    wang, changsha = _ids(draft, "王教授", "长沙")
    zhang, wuhan = _ids(draft, "张编辑", "武汉")
    liu, guangzhou = _ids(draft, "刘主任", "广州")
    fields[f"score-{wang}-{changsha}"] = "8O"  # a letter O
    fields[f"score-{zhang}-{wuhan}"] = "101"
    fields[f"score-{liu}-{guangzhou}"] = "77"  # a good cell: not saved either
    fields[f"tally-s1-{changsha}"] = "-5"
    version = draft.version
    response = client.post(f"/awards/{draft.slug}/grid/", fields)
    assert response.status_code == 400
    body = response.content.decode()
    draft.refresh_from_db()
    assert draft.version == version
    assert str(_score(draft, "刘主任", "广州")) == "32.00"  # unchanged: 20 + 4 × rank 3
    errors = re.findall(r'<span class="cell-error">([^<]+)</span>', body)
    assert len(errors) == 3
    assert "3 cells have errors: nothing was saved." in body
    for label in ("长沙 × 王教授", "武汉 × 张编辑", "长沙 × 微博投票"):
        assert f"<li>{label}: " in body
    # What was typed stays in the grid, good cells included.
    assert f'name="score-{liu}-{guangzhou}" value="77"' in body
    assert f'name="score-{wang}-{changsha}" value="8O"' in body


def test_a_forged_score_for_a_recused_cell_is_refused_with_the_reason(people, draft):
    client = _admin(people)
    fields = _form(client, draft)
    li, changsha = _ids(draft, "李研究员", "长沙")
    fields[f"score-{li}-{changsha}"] = "90"
    response = client.post(f"/awards/{draft.slug}/grid/", fields)
    assert response.status_code == 400
    assert _score(draft, "李研究员", "长沙") is None
    assert "回避" in response.content.decode() or "recused" in response.content.decode().lower()


@pytest.mark.slow
def test_the_second_of_two_admins_gets_a_conflict_naming_the_cells_and_loses_nothing(people, draft):
    first, second = _admin(people, "panel"), _admin(people, "superuser")
    first_fields, second_fields = _form(first, draft), _form(second, draft)
    wang, changsha = _ids(draft, "王教授", "长沙")
    zhang, wuhan = _ids(draft, "张编辑", "武汉")
    first_fields[f"score-{wang}-{changsha}"] = "60"
    assert first.post(f"/awards/{draft.slug}/grid/", first_fields).status_code == 302

    second_fields[f"score-{wang}-{changsha}"] = "70"  # the same cell, from the stale page
    second_fields[f"score-{zhang}-{wuhan}"] = "71"
    response = second.post(f"/awards/{draft.slug}/grid/", second_fields)
    assert response.status_code == 409
    body = response.content.decode()
    conflict = re.search(r'<div class="conflict" role="alert" id="grid-conflict">(.*?)</div>', body, re.S).group(1)
    assert "长沙 × 王教授" in conflict and "panel" in conflict and "you changed it too" in conflict
    assert str(_score(draft, "王教授", "长沙")) == "60.00"  # the first save stands
    assert str(_score(draft, "张编辑", "武汉")) == "28.00"  # nothing of the second was saved
    # The page now carries the new version and the second admin's values, so saving again is deliberate.
    draft.refresh_from_db()
    assert f'value="{draft.version}" id="grid-version"' in body
    assert f'name="score-{wang}-{changsha}" value="70"' in body
    original = json.loads(re.search(r'name="original" value="([^"]*)"', body).group(1).replace("&quot;", '"'))
    assert original[f"score-{wang}-{changsha}"] == "60"


def test_a_save_that_changes_nothing_says_so(people, draft):
    client = _admin(people)
    version = draft.version
    response = client.post(f"/awards/{draft.slug}/grid/", _form(client, draft), follow=True)
    assert "Nothing changed: nothing to save." in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == version


def test_an_expert_column_is_added_from_the_grid_page(people, draft):
    client = _admin(people)
    response = client.post(f"/awards/{draft.slug}/grid/experts/",
                           {"name": "孙教授", "province": "河南", "affiliation": "郑州大学", "username": ""})
    assert response.status_code == 302
    expert = draft.experts.get(name="孙教授")
    assert expert.province_id == "河南" and expert.affiliation == "郑州大学"
    body = client.get(f"/awards/{draft.slug}/grid/").content.decode()
    assert f'data-column="{expert.pk}"' in body


def test_a_closed_round_shows_its_grid_read_only(people, draft):
    from awards import services

    services.round_open_voting(user=None, award_round=draft, via=EntryPath.COMMAND)
    services.round_close(user=None, award_round=draft, via=EntryPath.COMMAND)
    body = _admin(people).get(f"/awards/{draft.slug}/grid/").content.decode()
    assert 'id="grid-locked"' in body and 'id="grid-save"' not in body and " readonly>" in body


def test_the_grid_page_costs_the_same_queries_for_five_candidates_or_twenty(people):
    client = _admin(people)
    counts = []
    for slug, size in (("small", 5), ("large", 20)):
        award_round = pages_data.round_build(slug=slug, candidates_n=size, shortlist_size=3, quorum=3)
        pages_data.grid_scores_enter(award_round)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/awards/{slug}/grid/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
