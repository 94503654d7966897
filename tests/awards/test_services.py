"""Award services: creating rounds, the grid's save, recusal, quorum, freeze, correction and audit."""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pandas as pd
import pytest
from django.utils import translation

from awards import selectors, services
from awards.models import AwardRound, EntryPath, ExpertScore, NetizenTally, RoundResult
from awards.services import ScoreCell, TallyCell
from tests.awards.factories import (
    ROLE_PANEL_ADMIN,
    candidate_ids,
    expert_ids,
    published_run,
    round_build,
    user_with_role,
)
from tests.rankings.factories import ScoreRunFactory

pytestmark = pytest.mark.django_db

GRID = EntryPath.GRID

# The hand-computed round (candidates N = 4: 成都 and 南京 tie at 4, both in; experts 王 北京, 李 湖南
# (recused from 长沙, 湖南), 赵 上海; quorum 2; weights 0.6 / 0.25 / 0.15; shortlist 2).
SCORES = {
    "长沙": {"王专家": 80, "赵专家": 90},                   # E 85
    "武汉": {"王专家": 70, "李专家": 80, "赵专家": 90},     # E 80
    "广州": {"王专家": 60, "李专家": 70},                   # E 65
    "南京": {"王专家": 90, "李专家": 90},                   # E 90
    "成都": {"李专家": 50, "赵专家": 70},                   # E 60
}
# 微博投票 max 400 → 50, 100, 25, 0 (南京 missing), 100; 新华网投票 max 1000 → 100, 50, 0, 0, 0
TALLIES = {"微博投票": {"长沙": 200, "武汉": 400, "广州": 100, "成都": 400},
           "新华网投票": {"长沙": 1000, "武汉": 500}}


def fill(award_round: AwardRound, *, user=None) -> services.CellsSaved:
    candidates, experts = candidate_ids(award_round), expert_ids(award_round)
    scores = [ScoreCell(candidates[c], experts[e], str(s)) for c, row in SCORES.items() for e, s in row.items()]
    tallies = [TallyCell(candidates[c], source, votes) for source, row in TALLIES.items() for c, votes in row.items()]
    return services.cells_save(user=user, award_round=award_round, expected_version=award_round.version,
                               scores=scores, tallies=tallies, via=GRID)


def published_round() -> AwardRound:
    award_round = round_build()
    fill(award_round)
    services.round_open_voting(user=None, award_round=award_round, via=EntryPath.COMMAND)
    services.round_close(user=None, award_round=award_round, via=EntryPath.COMMAND)
    services.round_publish(user=None, award_round=award_round, via=EntryPath.COMMAND)
    award_round.refresh_from_db()
    return award_round


# --- creating a round ---------------------------------------------------------------------------------
def test_a_round_takes_every_candidate_ranked_within_n_and_a_tie_at_the_boundary_lets_all_in() -> None:
    award_round = round_build(candidates_n=4)
    rows = list(award_round.candidates.values_list("name", "province", "rank", "composite"))
    assert sorted(rows) == sorted([("长沙", "湖南", 1, 90.0), ("武汉", "湖北", 2, 80.0), ("广州", "广东", 3, 72.0),
                                   ("成都", "四川", 4, 60.0), ("南京", "江苏", 4, 60.0)])
    assert award_round.status == AwardRound.Status.DRAFT
    assert award_round.weights == (Decimal("0.6"), Decimal("0.25"), Decimal("0.15"))


def test_weights_that_do_not_sum_to_one_are_refused_with_their_sum() -> None:
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.round_create(user=None, slug="r", name="R", run=published_run(), weights="0.5,0.3,0.3")
    assert str(error.value) == "The weights must sum to 1; these sum to 1.1."
    with translation.override("zh-hans"), pytest.raises(services.AwardError) as error:
        services.round_create(user=None, slug="r", name="R", run=published_run(), weights="0.5,0.3,0.3")
    assert str(error.value) == "权重之和须为 1；这些权重之和为 1.1。"


@pytest.mark.parametrize(("changes", "message"), [
    ({"weights": "0.6,0.4"}, "The weights must be three numbers (ranking, experts, netizens), not “0.6,0.4”."),
    ({"weights": "1.2,-0.1,-0.1"}, "Each weight must lie between 0 and 1; got 1.2, -0.1, -0.1."),
    ({"aggregation": "median"}, "The expert aggregation is “mean” or “trimmed”, not “median”."),
    ({"aggregation": "trimmed", "trim": 2, "quorum": 3},
     "A trimmed mean that drops 2 score(s) at each end needs at least 5 scores: raise the quorum to 5 or more."),
    ({"slug": "Bad Slug"}, "The slug “Bad Slug” may hold only lower-case letters, digits and hyphens."),
    ({"shortlist_size": 30}, "The shortlist (30) cannot be longer than the list of candidates (20)."),
    ({"quorum": 0}, "The quorum must be a whole number from 1 to 1000, not “0”."),
    ({"kind": "account", "category": "spies"},
     "A round of accounts needs one of the categories police, traffic, press, youth, tourism, other, not “spies”."),
    ({"name": " "}, "A round needs a name."),
])
def test_each_bad_setting_is_refused_with_its_reason(changes: dict, message: str) -> None:
    fields = {"slug": "r-2012", "name": "R", "run": published_run(), **changes}
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.round_create(user=None, **fields)
    assert message in error.value.messages


def test_a_round_draws_only_on_a_published_run_and_its_slug_is_unique() -> None:
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.round_create(user=None, slug="r", name="R", run=ScoreRunFactory())
    assert "is not published: a round draws on a published ranking" in str(error.value)
    round_build(slug="taken")
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.round_create(user=None, slug="taken", name="R", run=published_run())
    assert str(error.value) == "A round with the slug “taken” exists already."


def test_settings_change_only_in_draft() -> None:
    award_round = round_build()
    services.round_update(user=None, award_round=award_round, via=GRID, weights="0.5,0.3,0.2", quorum=3)
    award_round.refresh_from_db()
    assert award_round.weights == (Decimal("0.5"), Decimal("0.3"), Decimal("0.2")) and award_round.quorum == 3
    services.round_open_voting(user=None, award_round=award_round, via=GRID)
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.round_update(user=None, award_round=award_round, via=GRID, quorum=4)
    assert str(error.value) == "Round shifan-2012 is voting: changing the settings is not possible now."


# --- the grid's save ----------------------------------------------------------------------------------
def test_every_refused_cell_gets_its_own_message_and_nothing_is_saved() -> None:
    award_round = round_build()
    c, e = candidate_ids(award_round), expert_ids(award_round)
    version = award_round.version
    cells = [
        ScoreCell(c["武汉"], e["王专家"], "85"),            # fine, but the save is all-or-nothing
        ScoreCell(c["武汉"], e["李专家"], "八十"),
        ScoreCell(c["武汉"], e["赵专家"], "100.5"),
        ScoreCell(c["广州"], e["王专家"], "85.555"),
        ScoreCell(c["长沙"], e["李专家"], "90"),
        ScoreCell(99999, e["王专家"], "90"),
        ScoreCell(c["广州"], 99999, "90"),
        ScoreCell(c["武汉"], e["王专家"], "86"),
    ]
    tallies = [TallyCell(c["武汉"], "微博投票", "-3"), TallyCell(c["广州"], "微博投票", "12.5"),
               TallyCell(c["长沙"], " ", "10")]
    with translation.override("en"), pytest.raises(services.CellErrors) as error:
        services.cells_save(user=None, award_round=award_round, expected_version=version, scores=cells,
                            tallies=tallies, via=GRID)
    assert error.value.messages == [
        "武汉 × 李专家: “八十” is not a number.",
        "武汉 × 赵专家: 100.5 is outside 0–100.",
        "广州 × 王专家: 85.555 has more than 2 decimals.",
        "长沙 × 李专家: 回避 (recused): 李专家's home province 湖南 is the candidate's.",
        "#99999 × 王专家: no such candidate in this round.",
        "广州 × #99999: no such expert in this round.",
        "武汉 × 王专家: the cell appears twice.",
        "武汉 × 微博投票: votes cannot be negative (-3).",
        "广州 × 微博投票: “12.5” is not a whole number of votes.",
        "长沙 × : a tally needs the name of its source.",
    ]
    assert error.value.errors[4].key == ("score", 99999, e["王专家"])
    assert not ExpertScore.objects.exists() and not NetizenTally.objects.exists()
    award_round.refresh_from_db()
    assert award_round.version == version


def test_the_recusal_message_is_chinese_by_default() -> None:
    award_round = round_build()
    c, e = candidate_ids(award_round), expert_ids(award_round)
    with pytest.raises(services.CellErrors) as error:
        services.cells_save(user=None, award_round=award_round, expected_version=award_round.version,
                            scores=[ScoreCell(c["长沙"], e["李专家"], "90")], via=GRID)
    assert str(error.value) == "长沙 × 李专家：回避：李专家 的所在省份湖南与候选相同。"


def test_a_save_creates_updates_and_deletes_cells_and_bumps_the_version() -> None:
    award_round = round_build()
    c, e = candidate_ids(award_round), expert_ids(award_round)
    first = services.cells_save(user=None, award_round=award_round, expected_version=award_round.version,
                                scores=[ScoreCell(c["武汉"], e["王专家"], "85", "好"),
                                        ScoreCell(c["广州"], e["王专家"], 70)],
                                tallies=[TallyCell(c["武汉"], "微博投票", "1,200")], via=GRID)
    assert (first.created, first.updated, first.deleted) == (3, 0, 0)
    second = services.cells_save(user=None, award_round=award_round, expected_version=first.version,
                                 scores=[ScoreCell(c["武汉"], e["王专家"], "85.5"),
                                         ScoreCell(c["广州"], e["王专家"], "")],
                                 tallies=[TallyCell(c["武汉"], "微博投票", "1300")], via=GRID)
    assert (second.created, second.updated, second.deleted, second.version) == (0, 2, 1, first.version + 1)
    score = ExpertScore.objects.get()
    assert (score.score, score.comment, score.entered_via) == (Decimal("85.50"), "好", "grid")
    assert NetizenTally.objects.get().votes == 1300


def test_a_second_admin_saving_an_older_version_gets_a_conflict_naming_the_cells_and_nothing_is_saved() -> None:
    award_round = round_build()
    c, e = candidate_ids(award_round), expert_ids(award_round)
    loaded = award_round.version            # both admins opened the grid at this version
    services.cells_save(user=None, award_round=award_round, expected_version=loaded,
                        scores=[ScoreCell(c["武汉"], e["王专家"], "85")],
                        tallies=[TallyCell(c["广州"], "微博投票", "10")], via=GRID)
    with translation.override("en"), pytest.raises(services.VersionConflict) as error:
        services.cells_save(user=None, award_round=award_round, expected_version=loaded,
                            scores=[ScoreCell(c["武汉"], e["王专家"], "60"), ScoreCell(c["成都"], e["王专家"], "60")],
                            via=GRID)
    assert sorted(change.label for change in error.value.cells) == ["广州 × 微博投票", "武汉 × 王专家"]
    assert "Someone else saved this round after you opened it" in str(error.value)
    assert "武汉 × 王专家" in str(error.value)
    assert list(ExpertScore.objects.values_list("score", flat=True)) == [Decimal("85.00")]


def test_a_conflict_also_names_a_cell_someone_else_deleted() -> None:
    award_round = round_build()
    c, e = candidate_ids(award_round), expert_ids(award_round)
    saved = services.cells_save(user=None, award_round=award_round, expected_version=award_round.version,
                                scores=[ScoreCell(c["武汉"], e["王专家"], "85")], via=GRID)
    services.cells_save(user=None, award_round=award_round, expected_version=saved.version,
                        scores=[ScoreCell(c["武汉"], e["王专家"], "")], via=GRID)
    with pytest.raises(services.VersionConflict) as error:
        services.cells_save(user=None, award_round=award_round, expected_version=saved.version,
                            scores=[ScoreCell(c["广州"], e["王专家"], "1")], via=GRID)
    assert [change.label for change in error.value.cells] == ["武汉 × 王专家"]


# --- quorum, publication, correction --------------------------------------------------------------------
def test_closing_is_refused_naming_the_candidates_below_the_quorum() -> None:
    award_round = round_build(quorum=2)
    c, e = candidate_ids(award_round), expert_ids(award_round)
    services.cells_save(user=None, award_round=award_round, expected_version=award_round.version, scores=[
        ScoreCell(c[name], e[expert], "80") for name in ("武汉", "广州", "成都") for expert in ("王专家", "赵专家")
    ] + [ScoreCell(c["长沙"], e["王专家"], "80")], via=GRID)
    services.round_open_voting(user=None, award_round=award_round, via=GRID)
    with translation.override("en"), pytest.raises(services.QuorumNotMet) as error:
        services.round_close(user=None, award_round=award_round, via=GRID)
    assert error.value.candidates == ["长沙", "南京"]
    assert str(error.value) == ("Round shifan-2012 cannot close: 2 candidate(s) have fewer than 2 expert scores: "
                                "长沙、南京.")
    assert AwardRound.objects.get().status == AwardRound.Status.VOTING


def test_the_results_match_the_hand_computed_round_and_publication_freezes_them() -> None:
    award_round = published_round()
    results = selectors.round_results(award_round=award_round)
    # R = composite ÷ 90 × 100; final = 0.6 R + 0.25 E + 0.15 N; 南京 and 成都 tie on final and R, 南京 leads on E.
    expected = pd.DataFrame({
        "rank": pd.array([1, 2, 3, 4, 5], dtype="Int64"),
        "candidate": ["长沙", "武汉", "广州", "南京", "成都"],
        "final": [92.5, 0.6 * 800 / 9 + 20 + 11.25, 66.125, 62.5, 62.5],
        "ranking_score": [100.0, 800 / 9, 80.0, 200 / 3, 200 / 3],
        "expert_score": [85.0, 80.0, 65.0, 90.0, 60.0],
        "netizen_score": [75.0, 75.0, 12.5, 0.0, 50.0],
        "experts": [2, 3, 2, 2, 2],
        "shortlisted": [True, True, False, False, False],
    })
    pd.testing.assert_frame_equal(results[expected.columns], expected)
    result = RoundResult.objects.get()
    assert (result.version, result.is_correction) == (1, False)
    canonical = json.dumps(result.inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert result.fingerprint == hashlib.sha256(canonical.encode()).hexdigest()
    assert len(result.inputs["scores"]) == 11 and len(result.inputs["tallies"]) == 6
    # Frozen: even a change behind the services' back does not move the published result.
    ExpertScore.objects.update(score=0)
    assert selectors.round_results(award_round=award_round)["final"].tolist() == results["final"].tolist()


def test_after_publication_every_input_change_is_refused() -> None:
    award_round = published_round()
    c, e = candidate_ids(award_round), expert_ids(award_round)
    candidate = award_round.candidates.get(name="长沙")
    attempts = [
        lambda: services.cells_save(user=None, award_round=award_round, expected_version=award_round.version,
                                    scores=[ScoreCell(c["长沙"], e["王专家"], "10")], via=GRID),
        lambda: services.expert_create(user=None, award_round=award_round, name="新专家", province="北京", via=GRID),
        lambda: services.round_update(user=None, award_round=award_round, via=GRID, quorum=1),
        lambda: services.citation_save(user=None, candidate=candidate, text="新", via=GRID),
        lambda: services.round_close(user=None, award_round=award_round, via=GRID),
        lambda: services.round_publish(user=None, award_round=award_round, via=GRID),
    ]
    with translation.override("en"):
        for attempt in attempts:
            with pytest.raises(services.AwardError) as error:
                attempt()
            assert "published" in str(error.value)
    assert RoundResult.objects.count() == 1


def test_a_correction_needs_a_reason_and_adds_a_version_keeping_the_original() -> None:
    award_round = published_round()
    c, e = candidate_ids(award_round), expert_ids(award_round)
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.round_correct(user=None, award_round=award_round, reason=" ", via=GRID,
                               scores=[ScoreCell(c["南京"], e["王专家"], "30")])
    assert str(error.value) == "A correction needs a reason: it is shown on the public page."
    # 南京's E falls from 90 to (30 + 90) / 2 = 60: final 40 + 15 = 55, below 成都's 62.5.
    correction = services.round_correct(user=None, award_round=award_round, reason="王专家的评分录入有误",
                                        scores=[ScoreCell(c["南京"], e["王专家"], "30")], via=GRID)
    assert (correction.version, correction.is_correction, correction.reason) == (2, True, "王专家的评分录入有误")
    original = RoundResult.objects.get(version=1)
    assert original.fingerprint != correction.fingerprint
    assert [row["candidate"] for row in original.rows][3:] == ["南京", "成都"]
    results = selectors.round_results(award_round=award_round)
    assert results["candidate"].tolist()[3:] == ["成都", "南京"]
    assert results.loc[results["candidate"] == "南京", "final"].item() == pytest.approx(55.0)
    assert [r.version for r in selectors.round_result_versions(award_round=award_round)] == [2, 1]


# --- experts: own page, submission, recusal ---------------------------------------------------------------
def test_an_expert_scores_only_their_own_cells_and_sees_others_only_after_submitting() -> None:
    award_round = round_build()
    login = user_with_role("li", "评审专家")
    other = user_with_role("wang", "评审专家")
    expert = award_round.experts.get(name="李专家")
    services.expert_update(user=None, expert=expert, via=GRID, expert_user=login)
    expert.refresh_from_db()
    services.round_open_voting(user=None, award_round=award_round, via=GRID)
    c, e = candidate_ids(award_round), expert_ids(award_round)
    with pytest.raises(services.AwardPermissionDenied):
        services.expert_scores_save(user=other, expert=expert, scores=[ScoreCell(c["武汉"], e["李专家"], "80")])
    with pytest.raises(services.AwardPermissionDenied):
        services.expert_scores_save(user=login, expert=expert, scores=[ScoreCell(c["武汉"], e["王专家"], "80")])
    services.expert_scores_save(user=login, expert=expert, scores=[ScoreCell(c["武汉"], e["李专家"], "80")])
    assert not selectors.expert_can_see_others(expert=expert)
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.expert_submit(user=login, expert=expert)
    assert str(error.value) == "Score every candidate before submitting; still to score: 广州、南京、成都."
    services.expert_scores_save(user=login, expert=expert, scores=[
        ScoreCell(c[name], e["李专家"], "70", "稳定") for name in ("广州", "南京", "成都")])
    expert = services.expert_submit(user=login, expert=expert)     # 长沙 is recused: not needed
    assert selectors.expert_can_see_others(expert=expert)
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.expert_scores_save(user=login, expert=expert, scores=[ScoreCell(c["武汉"], e["李专家"], "81")])
    assert "You submitted your scores on" in str(error.value)
    progress = {p.expert.name: (p.scored, p.to_score, p.recused) for p in
                selectors.expert_progress(award_round=award_round)}
    assert progress == {"王专家": (0, 5, 0), "李专家": (4, 0, 1), "赵专家": (0, 5, 0)}


def test_moving_an_expert_to_a_province_they_have_scored_is_refused() -> None:
    award_round = round_build()
    c, e = candidate_ids(award_round), expert_ids(award_round)
    services.cells_save(user=None, award_round=award_round, expected_version=award_round.version,
                        scores=[ScoreCell(c["武汉"], e["王专家"], "80")], via=GRID)
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.expert_update(user=None, expert=award_round.experts.get(name="王专家"), province="湖北", via=GRID)
    assert "王专家 has scored candidates of 湖北 (武汉)" in str(error.value)


def test_the_score_matrix_letters_experts_marks_recused_cells_and_names_experts_only_when_disclosed() -> None:
    award_round = published_round()
    matrix = selectors.score_matrix(award_round=award_round, user=None)
    assert [(x.label, x.name) for x in matrix.experts] == [("A", None), ("B", None), ("C", None)]
    assert matrix.sources == ["微博投票", "新华网投票"] or matrix.sources == sorted(["微博投票", "新华网投票"])
    changsha = next(row for row in matrix.rows if row.candidate.name == "长沙")
    assert [(cell.score, cell.recused) for cell in changsha.cells] == [(Decimal("80.00"), False), (None, True),
                                                                       (Decimal("90.00"), False)]
    assert changsha.tallies == {"微博投票": 200, "新华网投票": 1000}
    admin = user_with_role("admin", ROLE_PANEL_ADMIN)
    assert [x.name for x in selectors.score_matrix(award_round=award_round, user=admin).experts] == [
        "王专家", "李专家", "赵专家"]


def test_an_account_round_takes_the_accounts_of_its_category_and_a_grid_without_a_version_is_refused() -> None:
    from tests.rankings.factories import ranking_build
    run = ranking_build(published=True)
    award_round = services.round_create(user=None, slug="press-2012", name="十佳发布微博", run=run, kind="account",
                                        category="press", candidates_n=2, shortlist_size=1, quorum=1)
    assert list(award_round.candidates.values_list("name", "province", "rank", "composite")) == [
        ("长沙发布", "湖南", 1, 75.0), ("武汉发布", "湖北", 2, 40.0)]
    assert award_round.candidates.get(name="长沙发布").account.screen_name == "长沙发布"
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.cells_save(user=None, award_round=award_round, expected_version="", via=GRID)
    assert str(error.value) == "The version of the grid you loaded is missing; reload the page."
