"""The method of a round in words, with its actual settings: one text for the round page, the method
page and the API (issue #9, item 5), translated."""
from __future__ import annotations

from django.utils.translation import gettext as _

from awards.models import AwardRound


def _number(value: object) -> str:
    """0.6000 → 0.6: weights as people write them."""
    text = f"{value:f}" if not isinstance(value, str) else value
    return text.rstrip("0").rstrip(".") if "." in text else text


def method_lines(*, award_round: AwardRound) -> list[str]:
    """The combination, step by step, with the round's weights, aggregation, quorum and shortlist size."""
    if award_round.aggregation == AwardRound.Aggregation.TRIMMED and award_round.trim:
        expert = _("Expert score E = the mean of the candidate's expert scores after dropping the %(k)s highest "
                   "and the %(k)s lowest (at least %(n)s scores are needed).") % {
            "k": award_round.trim, "n": 2 * award_round.trim + 1}
    else:
        expert = _("Expert score E = the mean of the candidate's expert scores.")
    return [
        _("Ranking score R = the candidate's composite score ÷ the best candidate's composite score × 100."),
        expert,
        _("Netizen score N = for each vote source, the candidate's votes ÷ that source's largest tally × 100 "
          "(0 where the candidate has no votes in it), then the mean over the sources."),
        _("Final score = %(wr)s × R + %(we)s × E + %(wn)s × N; equal final scores are ordered by R, then by E.")
        % {"wr": _number(award_round.weight_ranking), "we": _number(award_round.weight_experts),
           "wn": _number(award_round.weight_netizens)},
        _("The shortlist is the first %(size)s. Voting closes only when every candidate has at least %(quorum)s "
          "expert scores. An expert never scores a candidate from their home province (回避).")
        % {"size": award_round.shortlist_size, "quorum": award_round.quorum},
    ]
