"""The expert's own page (sealed scoring) and the panel admins' progress page."""
from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from awards import services
from awards.models import AwardRound, EntryPath, ExpertScore
from tests.awards import pages_data
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(people) -> AwardRound:
    award_round = pages_data.round_build(expert_user=people["expert"])
    pages_data.grid_scores_enter(award_round, experts=pages_data.GRID_EXPERTS)
    services.round_open_voting(user=None, award_round=award_round, via=EntryPath.COMMAND)
    award_round.refresh_from_db()
    return award_round


def _client(people, role: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people[role])
    return client


def test_an_expert_sees_only_their_own_candidates_and_no_other_score_until_they_submit(people, voting):
    client = _client(people, "expert")
    body = client.get(f"/awards/{voting.slug}/my-scores/").content.decode()
    assert body.count('<li data-candidate="') == 20
    assert 'id="panel-scores"' not in body
    assert 'value="100"' not in body and 'value="24"' not in body  # the other experts' scores of 南通, 长沙
    assert f"/rankings/{voting.run_id}/?province=%E6%B9%96%E5%8D%97#city-ranking" in body  # 湖南's ranking data

    fields = {f"score-{candidate.pk}": str(pages_data.expert_score(candidate.rank))
              for candidate in voting.candidates.all()}
    nantong = voting.candidates.get(name="南通")
    fields[f"comment-{nantong.pk}"] = "回复及时，服务到位。"
    assert client.post(f"/awards/{voting.slug}/my-scores/", fields).status_code == 302
    mine = ExpertScore.objects.filter(expert__user=people["expert"])
    assert mine.count() == 20 and {score.entered_via for score in mine} == {EntryPath.EXPERT}
    assert mine.get(candidate=nantong).comment == "回复及时，服务到位。"
    assert 'id="panel-scores"' not in client.get(f"/awards/{voting.slug}/my-scores/").content.decode()

    response = client.post(f"/awards/{voting.slug}/my-scores/", {**fields, "submit": "1"}, follow=True)
    body = response.content.decode()
    assert 'id="submitted-badge"' in body and 'id="panel-scores"' in body
    panel = re.search(r'id="panel-scores".*?</table>', body, re.S).group(0)
    assert "Expert A" in panel and "王教授" not in panel


def test_a_bad_score_on_the_expert_page_saves_nothing_and_names_the_candidate(people, voting):
    client = _client(people, "expert")
    changsha, wuhan = voting.candidates.get(name="长沙"), voting.candidates.get(name="武汉")
    response = client.post(f"/awards/{voting.slug}/my-scores/", {f"score-{changsha.pk}": "150",
                                                                 f"score-{wuhan.pk}": "70"})
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r'<div class="form-errors" role="alert" id="score-errors">.*长沙: ', body, re.S)
    assert not ExpertScore.objects.filter(expert__user=people["expert"]).exists()
    assert f'id="score-{wuhan.pk}" value="70"' in body


def test_candidates_of_the_experts_home_province_show_as_recused_without_a_field(people, voting):
    zhou = voting.experts.get(name="周老师")
    services.expert_update(user=None, expert=zhou, via=EntryPath.COMMAND, province="湖南")
    body = _client(people, "expert").get(f"/awards/{voting.slug}/my-scores/").content.decode()
    assert body.count('<div class="recused"') == 5
    changsha = voting.candidates.get(name="长沙")
    assert f'name="score-{changsha.pk}"' not in body


def test_the_progress_page_counts_scored_and_to_score_per_expert(people, voting):
    body = _client(people, "panel").get(f"/awards/{voting.slug}/progress/").content.decode()
    rows = dict(re.findall(r'<tr data-expert="([^"]+)">.*?<td class="num">(\d+)</td>', body, re.S))
    assert rows["王教授"] == "20" and rows["李研究员"] == "15" and rows["周老师"] == "0"
    zhou = re.search(r'<tr data-expert="周老师">(.*?)</tr>', body, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', zhou) == ["0", "20", "0"]


def test_an_expert_sees_the_round_page_but_not_its_results_before_publication(people, voting):
    client = _client(people, "expert")
    body = client.get(f"/awards/{voting.slug}/").content.decode()
    assert 'id="sealed"' in body and 'id="my-scores-link"' in body
    assert 'id="shortlist-table"' not in body and 'id="candidate-table"' not in body
    assert client.get(f"/awards/{voting.slug}/", {"format": "csv"}).status_code == 403
    panel = _client(people, "panel").get(f"/awards/{voting.slug}/").content.decode()
    assert 'id="shortlist-table"' in panel and 'id="sealed"' not in panel


def test_the_progress_and_expert_pages_cost_the_same_queries_for_five_candidates_or_twenty(people):
    counts = []
    for slug, size in (("small", 5), ("large", 20)):
        award_round = pages_data.round_build(slug=slug, candidates_n=size, shortlist_size=3, quorum=3,
                                             expert_user=people["expert"])
        pages_data.grid_scores_enter(award_round)
        with CaptureQueriesContext(connection) as queries:
            assert _client(people, "panel").get(f"/awards/{slug}/progress/").status_code == 200
            assert _client(people, "expert").get(f"/awards/{slug}/my-scores/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
