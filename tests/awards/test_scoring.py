"""The award combination against values computed by hand (no database)."""
from __future__ import annotations

import pandas as pd
import pytest

from awards.scoring import MEAN, TRIMMED, Method, below_quorum, combine

COLUMNS = ["composite", "ranking_score", "expert_score", "experts", "netizen_score", "final", "rank", "shortlisted"]


def candidates(composites: dict[int, float]) -> pd.DataFrame:
    return pd.DataFrame({"composite": composites}).rename_axis("candidate_id")


def scores(by_candidate: dict[int, list[float]]) -> pd.DataFrame:
    rows = [(candidate, expert, score) for candidate, values in by_candidate.items()
            for expert, score in enumerate(values, start=1)]
    return pd.DataFrame(rows, columns=["candidate_id", "expert_id", "score"])


def tallies(rows: list[tuple[int, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["candidate_id", "source", "votes"])


def expected(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["candidate_id", *COLUMNS]).set_index("candidate_id")
    frame["experts"] = frame["experts"].astype("int64")
    frame["rank"] = frame["rank"].astype("Int64")
    frame["shortlisted"] = frame["shortlisted"].astype(bool)
    return frame


# Four candidates, five experts each, two sources; candidate 4 has no tally in source A.
#   R: composite ÷ 100 × 100                      → 80, 100, 60, 90
#   E mean:    (70+90+80+60+100)/5 = 80, (10+60+70+80+90)/5 = 62, (90+95+100+85+80)/5 = 90, (70+75+80+85+40)/5 = 70
#   E trimmed: drop the highest and the lowest    → 80, 70, 90, 75
#   N: source A max 1000 → 50, 100, 25, 0 (missing); source B max 400 → 50, 25, 100, 100; mean → 50, 62.5, 62.5, 50
EXAMPLE_CANDIDATES = candidates({1: 80.0, 2: 100.0, 3: 60.0, 4: 90.0})
EXAMPLE_SCORES = scores({1: [70, 90, 80, 60, 100], 2: [10, 60, 70, 80, 90], 3: [90, 95, 100, 85, 80],
                         4: [70, 75, 80, 85, 40]})
EXAMPLE_TALLIES = tallies([(1, "A", 500), (2, "A", 1000), (3, "A", 250),
                           (1, "B", 200), (2, "B", 100), (3, "B", 400), (4, "B", 400)])


def test_the_mean_combination_matches_the_hand_computed_example() -> None:
    result = combine(EXAMPLE_CANDIDATES, EXAMPLE_SCORES, EXAMPLE_TALLIES, method=Method(shortlist_size=2))
    # final = 0.6 R + 0.25 E + 0.15 N: 2 → 60+15.5+9.375, 4 → 54+17.5+7.5, 1 → 48+20+7.5, 3 → 36+22.5+9.375
    pd.testing.assert_frame_equal(result[COLUMNS], expected([
        (2, 100.0, 100.0, 62.0, 5, 62.5, 84.875, 1, True),
        (4, 90.0, 90.0, 70.0, 5, 50.0, 79.0, 2, True),
        (1, 80.0, 80.0, 80.0, 5, 50.0, 75.5, 3, False),
        (3, 60.0, 60.0, 90.0, 5, 62.5, 67.875, 4, False),
    ]))


def test_the_trimmed_mean_drops_the_highest_and_the_lowest_score() -> None:
    result = combine(EXAMPLE_CANDIDATES, EXAMPLE_SCORES, EXAMPLE_TALLIES,
                     method=Method(aggregation=TRIMMED, trim=1, shortlist_size=2))
    pd.testing.assert_frame_equal(result[COLUMNS], expected([
        (2, 100.0, 100.0, 70.0, 5, 62.5, 86.875, 1, True),
        (4, 90.0, 90.0, 75.0, 5, 50.0, 80.25, 2, True),
        (1, 80.0, 80.0, 80.0, 5, 50.0, 75.5, 3, False),
        (3, 60.0, 60.0, 90.0, 5, 62.5, 67.875, 4, False),
    ]))


def test_equal_finals_are_ordered_by_ranking_score_then_expert_score_and_a_complete_tie_shares_the_rank() -> None:
    # Weights 0.5 / 0.25 / 0.25, one expert each, one source whose best tally is candidate 5's 100.
    #   a=1: 0.5·100 + 0.25·70 + 0.25·50 = 80      b=2: 0.5·90 + 0.25·90 + 0.25·50 = 80
    #   c=3: 0.5·90 + 0.25·80 + 0.25·60 = 80       d=4: same as b → 80       e=5: 5 + 2.5 + 25 = 32.5
    # a leads on R; b and d lead c on E; b and d tie completely and share rank 2; c is 4th.
    method = Method(weight_ranking=0.5, weight_experts=0.25, weight_netizens=0.25, quorum=1, shortlist_size=2)
    result = combine(candidates({1: 100.0, 2: 90.0, 3: 90.0, 4: 90.0, 5: 10.0}),
                     scores({1: [70], 2: [90], 3: [80], 4: [90], 5: [10]}),
                     tallies([(1, "S", 50), (2, "S", 50), (3, "S", 60), (4, "S", 50), (5, "S", 100)]),
                     method=method)
    pd.testing.assert_frame_equal(result[COLUMNS], expected([
        (1, 100.0, 100.0, 70.0, 1, 50.0, 80.0, 1, True),
        (2, 90.0, 90.0, 90.0, 1, 50.0, 80.0, 2, True),
        (4, 90.0, 90.0, 90.0, 1, 50.0, 80.0, 2, True),
        (3, 90.0, 90.0, 80.0, 1, 60.0, 80.0, 4, False),
        (5, 10.0, 10.0, 10.0, 1, 100.0, 32.5, 5, False),
    ]))


def test_a_round_without_tallies_gives_everyone_a_netizen_score_of_zero() -> None:
    result = combine(candidates({1: 50.0, 2: 100.0}), scores({1: [100], 2: [50]}), tallies([]),
                     method=Method(quorum=1))
    assert result["netizen_score"].tolist() == [0.0, 0.0]
    # 1: 0.6·50 + 0.25·100 = 55; 2: 0.6·100 + 0.25·50 = 72.5
    assert result["final"].tolist() == [72.5, 55.0]


def test_a_candidate_short_of_two_k_plus_one_scores_has_no_trimmed_mean_and_no_rank() -> None:
    method = Method(aggregation=TRIMMED, trim=2, quorum=1)
    result = combine(candidates({1: 100.0, 2: 90.0}), scores({1: [10, 20, 30, 40], 2: [10, 20, 30, 40, 50]}),
                     tallies([]), method=method)
    assert result.index.tolist() == [2, 1]
    assert result.loc[2, "expert_score"] == 30.0
    assert pd.isna(result.loc[1, "expert_score"]) and pd.isna(result.loc[1, "rank"])
    assert result.loc[1, "experts"] == 4 and not result.loc[1, "shortlisted"]


@pytest.mark.parametrize(("method", "short"), [
    (Method(quorum=5), [3, 4]),                                  # 4 and 0 scores below a quorum of 5
    (Method(quorum=3, aggregation=TRIMMED, trim=2), [3, 4]),     # trimmed k=2 needs 5 scores
    (Method(quorum=4, aggregation=MEAN), [4]),
])
def test_the_quorum_check_names_the_candidates_with_too_few_scores(method: Method, short: list[int]) -> None:
    frame = candidates({1: 10.0, 2: 20.0, 3: 30.0, 4: 40.0})
    given = scores({1: [1, 2, 3, 4, 5], 2: [1, 2, 3, 4, 5, 6], 3: [1, 2, 3, 4]})
    assert below_quorum(frame, given, method=method).tolist() == short
