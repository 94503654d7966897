"""One validation for every entry path (grid, file, expert page, API): the reasons a score or a tally is
refused. Each function returns the clean value or raises CellProblem with a translated reason; the
caller says where (a grid cell, a file's line and column)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from awards import defaults
from awards.models import Candidate, Expert
from awards.services.errors import shown

SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(defaults.SCALE)
HUNDREDTH = Decimal("0.01")
COMMENT_LIMIT = 2000
SOURCE_LIMIT = 128
VOTES_LIMIT = 10**12


class CellProblem(ValueError):
    """A refused value; str() is the translated reason, without the place."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_score(value: object) -> Decimal:
    """A score from 0 to 100 with at most two decimals ("85", "85.5", 85.25)."""
    if isinstance(value, bool):
        raise CellProblem(_("“%(value)s” is not a number") % {"value": shown(value)})
    try:
        score = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise CellProblem(_("“%(value)s” is not a number") % {"value": shown(value)}) from None
    if not score.is_finite():
        raise CellProblem(_("“%(value)s” is not a number") % {"value": shown(value)})
    if score < SCORE_MIN or score > SCORE_MAX:
        raise CellProblem(_("%(value)s is outside 0–100") % {"value": shown(value)})
    if score != score.quantize(HUNDREDTH):
        raise CellProblem(_("%(value)s has more than 2 decimals") % {"value": shown(value)})
    return score.quantize(HUNDREDTH)


def parse_votes(value: object) -> int:
    """A whole, non-negative number of votes ("1200", "1,200", 1200)."""
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise CellProblem(_("“%(value)s” is not a whole number of votes") % {"value": shown(value)}) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise CellProblem(_("“%(value)s” is not a whole number of votes") % {"value": shown(value)})
    if number < 0:
        raise CellProblem(_("votes cannot be negative (%(value)s)") % {"value": shown(value)})
    if number >= VOTES_LIMIT:
        raise CellProblem(_("%(value)s votes is more than any vote can count") % {"value": shown(value)})
    return int(number)


def parse_comment(value: object) -> str:
    comment = "" if value is None else str(value).strip()
    if len(comment) > COMMENT_LIMIT:
        raise CellProblem(_("a comment has at most %(limit)s characters") % {"limit": COMMENT_LIMIT})
    return comment


def parse_source(value: object) -> str:
    source = " ".join(str(value or "").split())
    if not source:
        raise CellProblem(_("a tally needs the name of its source"))
    if len(source) > SOURCE_LIMIT:
        raise CellProblem(_("a source name has at most %(limit)s characters") % {"limit": SOURCE_LIMIT})
    return source


def check_not_recused(expert: Expert, candidate: Candidate) -> None:
    """Conflict of interest: refused with the reason 回避."""
    if expert.is_recused_from(candidate):
        raise CellProblem(_("回避 (recused): %(expert)s's home province %(province)s is the candidate's")
                          % {"expert": expert.name, "province": expert.province_id})
