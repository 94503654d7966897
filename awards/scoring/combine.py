"""The award combination: ranking score R, expert score E, netizen score N, final score and shortlist.

Pure pandas/numpy: every function takes DataFrames plus plain parameters and returns a new DataFrame.
The same function feeds the round page, the API, the export and the frozen result of publication, so
the numbers are the same everywhere.

Method (the issue's item 5, shown on the round and method pages):
- R = the candidate's composite ÷ the best candidate's composite × 100;
- E = the mean of the candidate's expert scores, or the trimmed mean (drop the k highest and the k
  lowest; needs at least 2k + 1 scores);
- N = for each source, the candidate's tally ÷ that source's largest tally × 100 (0 where the candidate
  has no tally in it), then the mean over the sources, so one heavily mobilised channel cannot outweigh
  the others; 0 for everyone when there is no source at all;
- final = w_r·R + w_e·E + w_n·N; order by final, then R, then E (all descending); a complete tie shares
  a rank; the shortlist is every candidate ranked within the shortlist size.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from awards import defaults
from awards.scoring.columns import (
    CANDIDATE,
    COMPOSITE,
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

MEAN = defaults.AGGREGATION
TRIMMED = "trimmed"
# Scores are compared after rounding to this many decimals, so that two finals equal on paper are equal
# here too (floating-point sums of the same numbers in another order can differ in the 15th digit).
TIE_DECIMALS = 9


@dataclass(frozen=True)
class Method:
    """The round's settings the combination needs (weights as floats summing to 1)."""

    weight_ranking: float = float(defaults.WEIGHT_RANKING)
    weight_experts: float = float(defaults.WEIGHT_EXPERTS)
    weight_netizens: float = float(defaults.WEIGHT_NETIZENS)
    aggregation: str = MEAN
    trim: int = defaults.TRIM
    shortlist_size: int = defaults.SHORTLIST_SIZE
    quorum: int = defaults.QUORUM

    @property
    def scores_needed(self) -> int:
        """Scores a candidate needs: the quorum, and for a trimmed mean at least 2k + 1."""
        needed = self.quorum
        if self.aggregation == TRIMMED:
            needed = max(needed, 2 * self.trim + 1)
        return max(needed, 1)


def ranking_scores(candidates: pd.DataFrame) -> pd.Series:
    """candidates: index candidate id, column `composite`. R = composite ÷ best composite × 100
    (0 for everyone when the best composite is not positive)."""
    best = candidates[COMPOSITE].max()
    if not best or best <= 0:
        return pd.Series(0.0, index=candidates.index, name=RANKING_SCORE)
    return (candidates[COMPOSITE] / best * float(defaults.SCALE)).rename(RANKING_SCORE)


def expert_scores(scores: pd.DataFrame, *, aggregation: str, trim: int) -> pd.DataFrame:
    """scores: columns `candidate_id`, `score` (one row per expert score given).

    Returns index candidate id, columns `expert_score` (NaN when the trimmed mean lacks 2k + 1 scores)
    and `experts` (the number of scores given). Candidates with no score are absent.
    """
    counts = scores.groupby(CANDIDATE)[SCORE].size().rename(EXPERTS)
    if aggregation != TRIMMED or trim == 0:
        means = scores.groupby(CANDIDATE)[SCORE].mean()
    else:
        ordered = scores.sort_values([CANDIDATE, SCORE], kind="stable")
        position = ordered.groupby(CANDIDATE).cumcount()
        size = ordered[CANDIDATE].map(counts)
        kept = ordered[(position >= trim) & (position < size - trim)]
        means = kept.groupby(CANDIDATE)[SCORE].mean().reindex(counts.index)
    return pd.DataFrame({EXPERT_SCORE: means.astype(float), EXPERTS: counts.astype("int64")})


def netizen_scores(tallies: pd.DataFrame, index: pd.Index) -> pd.Series:
    """tallies: columns `candidate_id`, `source`, `votes`. Returns N for every candidate of `index`:
    per source tally ÷ the source's largest tally × 100 (0 where missing, 0 for a source whose largest
    tally is 0), then the mean over the sources."""
    if tallies.empty:
        return pd.Series(0.0, index=index, name=NETIZEN_SCORE)
    votes = tallies.pivot_table(index=CANDIDATE, columns=SOURCE, values=VOTES, aggfunc="sum")
    votes = votes.reindex(index).fillna(0).astype(float)
    best = votes.max(axis=0).replace(0, np.nan)
    per_source = (votes / best * float(defaults.SCALE)).fillna(0.0)
    return per_source.mean(axis=1).rename(NETIZEN_SCORE)


def combine(candidates: pd.DataFrame, scores: pd.DataFrame, tallies: pd.DataFrame, *, method: Method) -> pd.DataFrame:
    """candidates: index candidate id, column `composite` (plus any label columns, kept as they are);
    scores: `candidate_id`, `score`; tallies: `candidate_id`, `source`, `votes`.

    Returns one row per candidate, in final order: the candidates' columns plus `ranking_score`,
    `expert_score`, `experts`, `netizen_score`, `final`, `rank` (Int64) and `shortlisted` (bool).
    A candidate without an expert score (or short of 2k + 1 for a trimmed mean) has no E, no final and
    no rank, and comes last; closing a round makes sure that no candidate is left so.
    """
    result = candidates.copy()
    result[RANKING_SCORE] = ranking_scores(candidates)
    experts = expert_scores(scores, aggregation=method.aggregation, trim=method.trim).reindex(candidates.index)
    result[EXPERT_SCORE] = experts[EXPERT_SCORE]
    result[EXPERTS] = experts[EXPERTS].fillna(0).astype("int64")
    result[NETIZEN_SCORE] = netizen_scores(tallies, candidates.index)
    result[FINAL] = (method.weight_ranking * result[RANKING_SCORE] + method.weight_experts * result[EXPERT_SCORE]
                     + method.weight_netizens * result[NETIZEN_SCORE])
    return result.pipe(_rank, shortlist_size=method.shortlist_size)


def _rank(result: pd.DataFrame, *, shortlist_size: int) -> pd.DataFrame:
    """Order by final, then R, then E (descending, unranked last); a complete tie shares the rank."""
    keys = result[[FINAL, RANKING_SCORE, EXPERT_SCORE]].round(TIE_DECIMALS)
    order = keys.sort_values([FINAL, RANKING_SCORE, EXPERT_SCORE], ascending=False, na_position="last",
                             kind="stable").index
    result = result.loc[order]
    keys = keys.loc[order]
    ranked = keys[FINAL].notna()
    # A new rank starts wherever the key differs from the row above; tied rows keep the first position.
    changed = keys.ne(keys.shift()).any(axis=1)
    position = pd.Series(np.arange(1, len(result) + 1), index=result.index)
    rank = position.where(changed).ffill()
    result[RANK] = rank.where(ranked).astype("Int64")
    result[SHORTLISTED] = (result[RANK] <= shortlist_size).fillna(False).astype(bool)
    return result


def below_quorum(candidates: pd.DataFrame, scores: pd.DataFrame, *, method: Method) -> pd.Index:
    """The candidate ids (in the candidates' order) with fewer expert scores than the round needs
    (the quorum; for a trimmed mean at least 2k + 1). Only scores actually given count."""
    counts = scores.groupby(CANDIDATE)[SCORE].size().reindex(candidates.index).fillna(0)
    return candidates.index[counts < method.scores_needed]
