"""The round list and a round's page: shortlist, candidates, chart, method, citations, downloads, status
changes, and after publication the fingerprint, the anonymised score matrix and corrections."""
from __future__ import annotations

import csv
import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from awards import services
from awards.models import AwardRound, EntryPath, RoundResult
from core.names import place_name_en
from tests.awards import pages_data
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


def _client(people=None, role: str | None = None, *, english: bool = True) -> Client:
    client = Client()
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if role:
        client.force_login(people[role])
    return client


def _table_rows(body: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', body, re.S).group(0)
    rows = []
    for row in re.findall(r"<tr[^>]*data-candidate=[^>]*>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", cell).split()[0] if re.sub(r"<[^>]+>", "", cell).split() else ""
                     for cell in cells])
    return rows


def test_the_published_page_shows_the_shortlist_in_order_with_r_e_n_and_final(people):
    award_round = pages_data.round_published()
    body = _client().get(f"/awards/{award_round.slug}/").content.decode()
    shortlist = _table_rows(body, "shortlist-table")
    # The page is in English: candidate cities by their English names (core.names).
    assert [row[1] for row in shortlist] == [place_name_en(name) for name in pages_data.expected_order()[:10]]
    # 南通 (rank 20): R = 81, E = 100, N = 100, final = 0.6·81 + 0.25·100 + 0.15·100 = 88.6.
    assert shortlist[0] == ["1", "Nantong", "81.00", "100.00", "100.00", "88.60"]
    # 珠海 (rank 11) is the tenth: final = 80.6 + 0.4·11 = 85.0.
    assert shortlist[9] == ["10", "Zhuhai", "90.00", "64.00", "100.00", "85.00"]
    candidates = _table_rows(body, "candidate-table")
    assert [row[1] for row in candidates] == [place_name_en(name) for name in pages_data.expected_order()]
    assert candidates[-1][1:7] == ["Changsha", "100.00", "24.00", "100.00", "81.00", "7"]  # 8 experts, 李研究员 recused
    assert "<li>Final score = 0.6 × R + 0.25 × E + 0.15 × N; equal final scores are ordered by R, then by E.</li>" in body
    assert 'id="components-chart"' in body and "vendor/plotly/plotly-cartesian.min.js" in body


def test_after_publication_the_fingerprint_and_the_anonymised_matrix_are_shown(people):
    award_round = pages_data.round_published()
    result = RoundResult.objects.get(round=award_round)
    body = _client().get(f"/awards/{award_round.slug}/").content.decode()
    assert f'<code class="fingerprint" id="fingerprint">{result.fingerprint}</code>' in body
    matrix = re.search(r'<table[^>]*id="matrix-table".*?</table>', body, re.S).group(0)
    headers = re.findall(r'<th scope="col" class="num">([^<]+)</th>', matrix)
    assert headers[:8] == [f"Expert {letter}" for letter in "ABCDEFGH"] and headers[8] == "微博投票"
    for name, _province in pages_data.EXPERTS:
        assert name not in body  # anonymised for the public
    assert matrix.count("Recused") == 10


def test_the_result_downloads_as_csv_with_four_decimals_and_as_excel_in_the_users_language(people):
    award_round = pages_data.round_published()
    client = _client()
    response = client.get(f"/awards/{award_round.slug}/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["rank", "city", "province", "final", "ranking_score", "expert_score", "netizen_score",
                       "experts", "shortlisted"]
    assert rows[1] == ["1", "南通", "江苏", "88.6000", "81.0000", "100.0000", "100.0000", "8", "yes"]
    assert rows[20][1] == "长沙" and rows[20][8] == "no"
    xlsx = client.get(f"/awards/{award_round.slug}/", {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    assert client.get(f"/awards/{award_round.slug}/", {"format": "pdf"}).status_code == 400
    chinese = _client(english=False).get(f"/awards/{award_round.slug}/", {"format": "csv"})
    assert next(csv.reader(io.StringIO(chinese.content.decode("utf-8-sig")))) == [
        "名次", "城市", "省份", "总分", "排行得分", "专家得分", "网民得分", "专家人数", "入围"]


def test_the_round_list_costs_the_same_queries_for_one_round_or_three(people):
    pages_data.round_published(slug="r1")
    client = _client(people, "panel")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/awards/").status_code == 200
    pages_data.round_build(slug="r2")
    pages_data.round_build(slug="r3")
    with CaptureQueriesContext(connection) as three:
        body = client.get("/awards/").content.decode()
    assert body.count("data-round=") == 3
    assert len(three) == len(one)


def test_a_citation_is_edited_until_publication_and_then_only_shown(people):
    award_round = pages_data.round_build()
    pages_data.grid_scores_enter(award_round)
    client = _client(people, "panel")
    nantong = award_round.candidates.get(name="南通")
    response = client.post(f"/awards/{award_round.slug}/citations/{nantong.pk}/", {"text": "政务微博，服务为先。"})
    assert response.status_code == 302
    nantong.refresh_from_db()
    assert nantong.citation == "政务微博，服务为先。"
    assert f'id="citation-text-{nantong.pk}"' in client.get(f"/awards/{award_round.slug}/").content.decode()
    for change in (services.round_open_voting, services.round_close, services.round_publish):
        change(user=None, award_round=award_round, via=EntryPath.COMMAND)
    body = client.get(f"/awards/{award_round.slug}/").content.decode()
    assert "<blockquote>政务微博，服务为先。</blockquote>" in body and f'id="citation-text-{nantong.pk}"' not in body
    client.post(f"/awards/{award_round.slug}/citations/{nantong.pk}/", {"text": "改了"})
    nantong.refresh_from_db()
    assert nantong.citation == "政务微博，服务为先。"


def test_status_buttons_open_voting_refuse_to_close_below_quorum_then_close_and_publish(people):
    award_round = pages_data.round_build()
    pages_data.grid_scores_enter(award_round, experts=3)  # three scores at most: below the quorum of 5
    client = _client(people, "panel")
    page = client.get(f"/awards/{award_round.slug}/").content.decode()
    assert 'id="status-open"' in page and 'id="status-close"' not in page
    client.post(f"/awards/{award_round.slug}/status/", {"action": "open"})
    confirmed = {"confirming": "1", "confirm": "on"}  # the confirmation page's box, ticked
    response = client.post(f"/awards/{award_round.slug}/status/", {"action": "close", **confirmed}, follow=True)
    award_round.refresh_from_db()
    assert award_round.status == AwardRound.Status.VOTING
    message = re.search(r'<li class="error">(.*?)</li>', response.content.decode(), re.S).group(1)
    assert "长沙" in message  # the candidates below quorum are named
    pages_data.grid_scores_enter(award_round)
    client.post(f"/awards/{award_round.slug}/status/", {"action": "close", **confirmed})
    client.post(f"/awards/{award_round.slug}/status/", {"action": "publish", **confirmed})
    award_round.refresh_from_db()
    assert award_round.status == AwardRound.Status.PUBLISHED
    assert client.post(f"/awards/{award_round.slug}/status/", {"action": "nonsense"}).status_code == 400


def test_a_correction_needs_a_reason_lists_itself_and_keeps_the_original(people):
    award_round = pages_data.round_published()
    client = _client(people, "panel")
    wang = award_round.experts.get(name="王教授")
    changsha = award_round.candidates.get(name="长沙")
    refused = client.post(f"/awards/{award_round.slug}/correct/", {"reason": "", "expert": wang.pk,
                                                                  "candidate": changsha.pk, "score": "30"})
    assert refused.status_code == 400
    assert RoundResult.objects.filter(round=award_round).count() == 1
    response = client.post(f"/awards/{award_round.slug}/correct/", {
        "reason": "王教授的评分录入有误（24 应为 30）", "expert": wang.pk, "candidate": changsha.pk, "score": "30"})
    assert response.status_code == 302
    versions = list(RoundResult.objects.filter(round=award_round).order_by("version"))
    assert [version.version for version in versions] == [1, 2] and versions[1].is_correction
    body = _client().get(f"/awards/{award_round.slug}/").content.decode()
    assert "王教授的评分录入有误（24 应为 30）" in body
    assert 'id="original-result"' in body and versions[0].fingerprint in body and versions[1].fingerprint in body
    assert 'id="corrected-badge"' in body


def test_the_audit_log_lists_grid_saves_with_who_and_from_where(people):
    award_round = pages_data.round_build()
    wang = award_round.experts.get(name="王教授")
    changsha = award_round.candidates.get(name="长沙")
    services.cells_save(user=people["panel"], award_round=award_round, expected_version=award_round.version,
                        scores=[services.ScoreCell(candidate_id=changsha.pk, expert_id=wang.pk, score="55")],
                        via=EntryPath.GRID)
    body = _client(people, "analyst").get(f"/awards/{award_round.slug}/audit/").content.decode()
    table = re.search(r'<table[^>]*id="audit-table".*?</table>', body, re.S).group(0)
    assert "panel" in table and "55" in table


def test_the_round_page_costs_the_same_queries_for_five_candidates_or_twenty(people):
    small = pages_data.round_published(slug="small", candidates_n=5, shortlist_size=3, quorum=3)
    large = pages_data.round_published(slug="large")
    client = _client(people, "panel")
    counts = []
    for award_round in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/awards/{award_round.slug}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
