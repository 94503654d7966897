"""Each row of an award file checked against the round (candidate, expert, value, recusal, duplicates),
every problem noted at its line and column; what passes becomes the cells the grid would write."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from awards.importing.columns import SCORES
from awards.models import AwardRound, Candidate, Expert
from awards.services.cells import ScoreCell, TallyCell
from awards.services.common import audited, history_user
from awards.services.validation import (
    CellProblem,
    check_not_recused,
    is_blank,
    parse_comment,
    parse_score,
    parse_source,
    parse_votes,
)
from core.provinces import UNKNOWN as PROVINCE_UNKNOWN
from core.provinces import accepted_text, province_or_none
from core.tables.errors import ErrorLog, Message

NOT_A_CANDIDATE = _("“%(value)s” is not a candidate of this round")
AMBIGUOUS = _("“%(value)s” names candidates in several provinces (%(provinces)s): add a province column")
REQUIRED_VALUE = _("this cell is empty but required")
EXPERT_PROVINCE_NEEDED = _("“%(value)s” is a new expert: give their home province (专家省份)")
EXPERT_PROVINCE_DIFFERS = _("the expert %(name)s's home province is %(province)s, not “%(value)s”")
DUPLICATE_ROW = _("this row repeats line %(line)s (the same %(what)s)")
REASON = "%(reason)s"


class _Candidates:
    """A candidate's name (and province) in the file → the candidate, with the reason when it is not one."""

    def __init__(self, award_round: AwardRound) -> None:
        self.by_name: dict[str, list[Candidate]] = {}
        for candidate in Candidate.objects.filter(round=award_round):
            self.by_name.setdefault(candidate.name, []).append(candidate)

    def find(self, name: str, province: str) -> Candidate:
        matches = self.by_name.get(name, [])
        if province:
            matches = [candidate for candidate in matches if candidate.province_id == province]
        if not matches:
            raise CellProblem(str(Message(NOT_A_CANDIDATE, value=name if not province else f"{province} {name}")))
        if len(matches) > 1:
            raise CellProblem(str(Message(AMBIGUOUS, value=name,
                                          provinces="、".join(sorted(c.province_id for c in matches)))))
        return matches[0]


class FileRows:
    """Checks rows one by one, reporting each problem at its line and column."""

    def __init__(self, award_round: AwardRound, columns: dict[str, tuple[int, str]], errors: ErrorLog) -> None:
        self.round, self.columns, self.errors = award_round, columns, errors
        self.candidates = _Candidates(award_round)
        self.seen: dict[tuple, int] = {}

    def value(self, values: list[str], column: str) -> str:
        position = self.columns.get(column, (None,))[0]
        return values[position] if position is not None and position < len(values) else ""

    def header(self, column: str) -> str:
        return self.columns[column][1]

    def problem(self, line: int, column: str | None, reason: object) -> None:
        self.errors.add(line, self.header(column) if column else None, Message(REASON, reason=str(reason)))

    def parsed(self, line: int, column: str, parse: Callable[[str], Any], text: str | None) -> Any:
        """parse(text), or None (with the cell's problem recorded) when it refuses it or text is None."""
        if text is None:
            return None
        try:
            return parse(text)
        except CellProblem as problem:
            self.problem(line, column, problem)
            return None

    def required(self, line: int, values: list[str], column: str) -> str | None:
        text = self.value(values, column)
        if is_blank(text):
            self.errors.add(line, self.header(column), REQUIRED_VALUE)
            return None
        return text

    def candidate(self, line: int, values: list[str]) -> Candidate | None:
        name = self.required(line, values, "candidate")
        if name is None:
            return None
        province = self.province(line, values, "province")
        if province is None:
            return None
        try:
            return self.candidates.find(name, province)
        except CellProblem as problem:
            self.problem(line, "candidate", problem)
            return None

    def province(self, line: int, values: list[str], column: str) -> str | None:
        """The canonical province of the column's cell ("" when blank); None, with the problem noted, when
        the cell names no province."""
        text = " ".join(self.value(values, column).split())
        if not text:
            return ""
        canonical = province_or_none(text)
        if canonical is None:
            self.errors.add(line, self.header(column), Message(PROVINCE_UNKNOWN, value=text, accepted=accepted_text()))
        return canonical

    def once(self, line: int, key: tuple, what: object) -> bool:
        if key in self.seen:
            self.errors.add(line, None, Message(DUPLICATE_ROW, line=self.seen[key], what=what))
            return False
        self.seen[key] = line
        return True

    def create_experts(self, *, user: Any, via: str) -> int:
        return 0

    def create_count(self) -> int:
        return 0

    def scores(self) -> list[ScoreCell]:
        return []

    def tallies(self) -> list[TallyCell]:
        return []


class ScoreRows(FileRows):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.experts = {expert.name: expert for expert in Expert.objects.filter(round=self.round)}
        self.new_experts: dict[str, Expert] = {}
        self.cells: list[tuple[Expert, Candidate, Any, str | None]] = []

    def expert(self, line: int, values: list[str]) -> Expert | None:
        name = self.required(line, values, "expert")
        if name is None:
            return None
        name = " ".join(name.split())
        province = self.province(line, values, "expert_province")
        if province is None:
            return None
        expert = self.experts.get(name) or self.new_experts.get(name)
        if expert is None:
            if not province:
                column = "expert_province" if "expert_province" in self.columns else "expert"
                self.errors.add(line, self.header(column), Message(EXPERT_PROVINCE_NEEDED, value=name))
                return None
            if len(name) > 64:
                self.errors.add(line, self.header("expert"), Message(REASON, reason=_("a name or province is too long")))
                return None
            expert = self.new_experts[name] = Expert(round=self.round, name=name, province_id=province)
        elif province and province != expert.province_id:
            self.errors.add(line, self.header("expert_province"),
                            Message(EXPERT_PROVINCE_DIFFERS, name=name, province=expert.province_id,
                                    value=self.value(values, "expert_province")))
            return None
        return expert

    def row(self, line: int, values: list[str]) -> None:
        expert, candidate = self.expert(line, values), self.candidate(line, values)
        text = self.required(line, values, "score")
        score = self.parsed(line, "score", parse_score, text)
        comment = (self.parsed(line, "comment", parse_comment, self.value(values, "comment"))
                   if "comment" in self.columns else None)
        if expert is None or candidate is None:
            return
        try:
            check_not_recused(expert, candidate)
        except CellProblem as problem:
            self.problem(line, "candidate", problem)
            return
        if text is not None and score is not None and self.once(line, ("score", expert.name, candidate.pk),
                                                                 _("expert and candidate")):
            self.cells.append((expert, candidate, score, comment))

    def create_experts(self, *, user: Any, via: str) -> int:
        for expert in self.new_experts.values():
            audited(expert, user=history_user(user), via=via).save()
        return len(self.new_experts)

    def create_count(self) -> int:
        return len(self.new_experts)

    def scores(self) -> list[ScoreCell]:
        return [ScoreCell(candidate.pk, expert.pk, score, comment) for expert, candidate, score, comment in self.cells]


class TallyRows(FileRows):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.cells: list[TallyCell] = []

    def row(self, line: int, values: list[str]) -> None:
        candidate = self.candidate(line, values)
        votes = self.parsed(line, "votes", parse_votes, self.required(line, values, "votes"))
        source = self.parsed(line, "source", parse_source, self.value(values, "source"))
        if candidate is None or votes is None or source is None:
            return
        if self.once(line, ("tally", candidate.pk, source), _("candidate and source")):
            self.cells.append(TallyCell(candidate.pk, source, votes))

    def tallies(self) -> list[TallyCell]:
        return self.cells


def rows_for(kind: str, award_round: AwardRound, columns: dict[str, tuple[int, str]], errors: ErrorLog) -> FileRows:
    """The checker for the file's kind."""
    return (ScoreRows if kind == SCORES else TallyRows)(award_round, columns, errors)
