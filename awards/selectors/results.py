"""A round's inputs as frames and its results: the one frame the page, the API and the export show.

Before publication the results are computed live from the current inputs; from publication on they
are the rows frozen in the round's latest RoundResult (a correction adds a version), so later edits of
anything cannot change a published result.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from awards.models import AwardRound, Candidate, ExpertScore, NetizenTally, RoundResult
from awards.scoring import Method, combine
from awards.scoring.columns import (
    CANDIDATE,
    COMPOSITE,
    EXPERT,
    EXPERT_SCORE,
    EXPERTS,
    FINAL,
    NETIZEN_SCORE,
    RANK,
    RANKING_SCORE,
    SCORE,
    SHORTLISTED,
    SOURCE,
    VOTES,
)

NAME = "candidate"
PROVINCE = "province"
RESULT_COLUMNS = [RANK, CANDIDATE, NAME, PROVINCE, COMPOSITE, FINAL, RANKING_SCORE, EXPERT_SCORE, NETIZEN_SCORE,
                  EXPERTS, SHORTLISTED]


@dataclass(frozen=True)
class RoundInputs:
    """candidates: index candidate_id, columns candidate (name), province, composite;
    scores: candidate_id, expert_id, score; tallies: candidate_id, source, votes."""

    candidates: pd.DataFrame
    scores: pd.DataFrame
    tallies: pd.DataFrame


def round_method(award_round: AwardRound) -> Method:
    return Method(weight_ranking=float(award_round.weight_ranking), weight_experts=float(award_round.weight_experts),
                  weight_netizens=float(award_round.weight_netizens), aggregation=award_round.aggregation,
                  trim=award_round.trim, shortlist_size=award_round.shortlist_size, quorum=award_round.quorum)


def round_inputs(*, award_round: AwardRound) -> RoundInputs:
    """Three queries, no loop over model instances."""
    candidates = pd.DataFrame.from_records(
        list(Candidate.objects.filter(round=award_round).order_by("rank", "id").values_list(
            "id", "name", "province", "composite")),
        columns=[CANDIDATE, NAME, PROVINCE, COMPOSITE]).set_index(CANDIDATE)
    candidates[COMPOSITE] = candidates[COMPOSITE].astype(float)
    scores = pd.DataFrame.from_records(
        list(ExpertScore.objects.filter(round=award_round).values_list("candidate_id", "expert_id", "score")),
        columns=[CANDIDATE, EXPERT, SCORE])
    scores[SCORE] = scores[SCORE].astype(float)
    tallies = pd.DataFrame.from_records(
        list(NetizenTally.objects.filter(round=award_round).values_list("candidate_id", "source", "votes")),
        columns=[CANDIDATE, SOURCE, VOTES])
    tallies[VOTES] = tallies[VOTES].astype("int64")
    return RoundInputs(candidates=candidates, scores=scores, tallies=tallies)


def results_compute(inputs: RoundInputs, *, award_round: AwardRound) -> pd.DataFrame:
    """The combination of these inputs with the round's method, as the result frame (RESULT_COLUMNS)."""
    combined = combine(inputs.candidates, inputs.scores, inputs.tallies, method=round_method(award_round))
    return combined.reset_index()[RESULT_COLUMNS].reset_index(drop=True)


def results_from_rows(rows: list[dict]) -> pd.DataFrame:
    """A frozen result's rows as the result frame, with the live frame's dtypes."""
    frame = pd.DataFrame.from_records(rows, columns=RESULT_COLUMNS)
    for column in (COMPOSITE, FINAL, RANKING_SCORE, EXPERT_SCORE, NETIZEN_SCORE):
        frame[column] = frame[column].astype(float)
    frame[RANK] = frame[RANK].astype("Int64")
    frame[CANDIDATE] = frame[CANDIDATE].astype("int64")
    frame[EXPERTS] = frame[EXPERTS].astype("int64")
    frame[SHORTLISTED] = frame[SHORTLISTED].astype(bool)
    return frame


def results_to_rows(results: pd.DataFrame) -> list[dict]:
    """The result frame as JSON-ready rows (NaN and <NA> become None)."""
    rows = results.astype(object).where(results.notna(), None).to_dict(orient="records")
    return [{key: (int(value) if key in (RANK, CANDIDATE, EXPERTS) and value is not None else value)
             for key, value in row.items()} for row in rows]


def round_result_current(*, award_round: AwardRound) -> RoundResult | None:
    return award_round.results.order_by("-version").first()


def round_result_versions(*, award_round: AwardRound):
    """Every frozen result of the round, newest first (the original publication is version 1)."""
    return award_round.results.select_related("created_by").order_by("-version")


def round_results(*, award_round: AwardRound) -> pd.DataFrame:
    """The round's result frame (RESULT_COLUMNS, in final order): frozen once published, else live."""
    if award_round.is_published:
        current = round_result_current(award_round=award_round)
        if current is not None:
            return results_from_rows(current.rows)
    return results_compute(round_inputs(award_round=award_round), award_round=award_round)
