"""File import of expert scores or netizen tallies (CSV in UTF-8/GB18030/UTF-16, or XLSX).

The file is read by the snapshot importer's reader (core.tables.reading: encoding detection,
hostile-size bounds, line numbers as a spreadsheet shows them) and its problems are reported as its
RowErrors in one ImportFailed: each problem its own message with line and column, nothing written.

The kind of file is told by its headers:
- expert scores: expert, expert_province, candidate (or city / account), score, comment
  (专家, 专家省份, 城市 or 账号, 评分, 评语); an expert is created the first time the file names them;
- netizen tallies: candidate (or city / account), votes, source (城市 or 账号, 票数, 来源).
An optional province (省份) column settles a city name that two provinces share. A province (the
candidate's or the expert's) may be spelled any way core.provinces accepts (湖南 / 湖南省 / Hunan): it is
compared canonically, and a spelling that names no province is refused with the accepted ones.
The values go through the same validation and the same write as the grid (awards.services.cells).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import AwardRound, Candidate, EntryPath, Expert, ExpertScore, NetizenTally
from awards.services.cells import CellsSaved, ScoreCell, TallyCell, cells_apply
from awards.services.common import audited, history_user, lock_round, require_inputs_open, require_manager
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
from core.tables.errors import (
    EMPTY_FILE,
    HEADER_ONLY,
    ErrorLog,
    Message,
    ReadError,
    control_character_message,
)
from core.tables.reading import open_binary, read_table

SCORES, TALLIES = "scores", "tallies"
# Accepted headers per column (compared case-insensitively, spaces trimmed).
HEADERS = {
    "expert": ("expert", "专家"),
    "expert_province": ("expert_province", "专家省份"),
    "candidate": ("candidate", "city", "account", "候选", "城市", "账号"),
    "score": ("score", "评分"),
    "comment": ("comment", "评语"),
    "votes": ("votes", "票数"),
    "source": ("source", "来源"),
    "province": ("province", "省份"),
}
REQUIRED = {SCORES: ("expert", "candidate", "score"), TALLIES: ("candidate", "votes", "source")}

UNKNOWN_KIND = _("the headers name neither expert scores (expert, candidate, score) nor netizen tallies "
                 "(candidate, votes, source); found: %(found)s")
BOTH_KINDS = _("a file holds expert scores or netizen tallies, not both: import them as two files")
MISSING_COLUMN = _("the column “%(name)s” is missing")
DUPLICATE_COLUMN = _("the column “%(name)s” appears twice")
NOT_A_CANDIDATE = _("“%(value)s” is not a candidate of this round")
AMBIGUOUS = _("“%(value)s” names candidates in several provinces (%(provinces)s): add a province column")
REQUIRED_VALUE = _("this cell is empty but required")
EXPERT_PROVINCE_NEEDED = _("“%(value)s” is a new expert: give their home province (专家省份)")
EXPERT_PROVINCE_DIFFERS = _("the expert %(name)s's home province is %(province)s, not “%(value)s”")
DUPLICATE_ROW = _("this row repeats line %(line)s (the same %(what)s)")
REASON = "%(reason)s"
WRONG_KIND = {
    SCORES: _("this import takes expert scores (expert, candidate, score); the file holds netizen tallies"),
    TALLIES: _("this import takes netizen tallies (candidate, votes, source); the file holds expert scores: "
               "import those with the command award_round import"),
}
TOO_MANY_ROWS = _("an award file has at most %(limit)s rows (candidates × experts); this one has more")
# A round has tens of candidates and experts: far fewer rows than this. A bigger file is a mistake (or
# hostile) and is refused before its rows are checked one by one.
MAX_ROWS = 50_000


@dataclass(frozen=True)
class ImportSummary:
    kind: str                 # "scores" or "tallies"
    rows: int
    experts_created: int
    saved: CellsSaved
    encoding: str
    voting_opened: bool


def _column_map(header: list[str], errors: ErrorLog) -> tuple[str | None, dict[str, tuple[int, str]]]:
    """(kind, {column: (position, header as written)}); problems go to `errors` (line 1)."""
    found: dict[str, tuple[int, str]] = {}
    for position, name in enumerate(header):
        key = next((column for column, names in HEADERS.items() if name.strip().lower() in names), None)
        if key is None:
            continue
        if key in found:
            errors.add(1, name, Message(DUPLICATE_COLUMN, name=name))
        found[key] = (position, name)
    has_scores, has_tallies = "score" in found, "votes" in found
    if has_scores and has_tallies:
        errors.add(1, None, BOTH_KINDS)
        return None, found
    if not has_scores and not has_tallies:
        errors.add(1, None, Message(UNKNOWN_KIND, found=", ".join(header)[:200] or "—"))
        return None, found
    kind = SCORES if has_scores else TALLIES
    for column in REQUIRED[kind]:
        if column not in found:
            errors.add(1, None, Message(MISSING_COLUMN, name=HEADERS[column][0]))
    return kind, found


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


def _rows(table, errors: ErrorLog) -> list[tuple[int, list[str]]]:
    """Every data row as (line, trimmed texts); rows the reader had to leave out are problems."""
    rows = []
    for chunk in table.chunks():
        if len(rows) + len(chunk.cells) > MAX_ROWS:
            errors.add(None, None, Message(TOO_MANY_ROWS, limit=f"{MAX_ROWS:,}"))
            return rows
        for line, values in zip(chunk.lines.tolist(), chunk.cells.itertuples(index=False), strict=True):
            texts = ["" if value is None or value != value else str(value).strip() for value in values]
            _check_control_characters(int(line), texts, table.header, errors)
            rows.append((int(line), texts))
        for problem in chunk.problems:
            errors.add(problem.line, problem.column, problem.message)
    return rows


def _check_control_characters(line: int, texts: list[str], header: list[str], errors: ErrorLog) -> None:
    """A cell holding a NUL or another control character is a problem at its line and column: PostgreSQL
    cannot store NUL in text, and no name, score or comment has a reason to hold one."""
    for position, text in enumerate(texts):
        if (problem := control_character_message(text)) is not None:
            errors.add(line, header[position] if position < len(header) else None, problem)


def _read(source: str | Path | IO[bytes], *, file_name: str, encoding: str | None, kind: str | None,
          errors: ErrorLog) -> tuple[str, dict[str, tuple[int, str]], list[tuple[int, list[str]]], str]:
    """(kind, columns, rows, encoding) of the file; raises ImportFailed with every problem found so far."""
    with open_binary(source) as stream:
        try:
            table = read_table(stream, file_name=file_name, encoding=encoding, chunk_rows=MAX_ROWS + 1,
                               max_rows=MAX_ROWS)
            if not table.header:
                errors.add(None, None, EMPTY_FILE)
                raise errors.failure()
            found, columns = _column_map(table.header, errors)
            if found and kind and found != kind:
                errors.add(1, None, WRONG_KIND[kind])
            if errors:
                raise errors.failure()
            rows = _rows(table, errors)
        except ReadError as error:
            errors.add(error.error.line, error.error.column, error.error.message)
            raise errors.failure() from None
    if not rows and not errors:
        errors.add(None, None, HEADER_ONLY)
    if errors:
        raise errors.failure()
    return found, columns, rows, table.encoding


def _plan(award_round: AwardRound, kind: str, columns: dict[str, tuple[int, str]], rows: list[tuple[int, list[str]]],
          errors: ErrorLog) -> _FileRows:
    """Every row checked against the round (candidate, expert, value, recusal, duplicates)."""
    require_inputs_open(award_round)
    plan = (_ScoreRows if kind == SCORES else _TallyRows)(award_round, columns, errors)
    for line, values in rows:
        plan.row(line, values)
    if errors:
        raise errors.failure()
    return plan


def round_import(*, user: Any, award_round: AwardRound, source: str | Path | IO[bytes], file_name: str,
                 via: str = EntryPath.FILE, encoding: str | None = None, kind: str | None = None) -> ImportSummary:
    """Import a file of expert scores or netizen tallies into the round, all or nothing.

    Steps: read the file (the snapshot importer's reader); tell its kind by the headers (`kind`, when
    given, is the only one accepted: the round page takes netizen tallies); check every row (candidate,
    expert, value, recusal, duplicates) and collect every problem with its line and column; then, in one
    transaction: create the new experts, write the cells as the grid does, open the voting if the round
    was a draft. Raises ImportFailed (accounts.importing) listing the problems.
    """
    require_manager(user)
    errors = ErrorLog()
    kind, columns, rows, encoding_used = _read(source, file_name=file_name, encoding=encoding, kind=kind, errors=errors)
    with transaction.atomic():
        locked = lock_round(award_round)
        plan = _plan(locked, kind, columns, rows, errors)
        experts_created = plan.create_experts(user=user, via=via)
        saved = cells_apply(locked, plan.scores(), plan.tallies(), user=user, via=via)
        opened = locked.status == AwardRound.Status.DRAFT
        if opened:
            locked.status, locked.voting_opened_at = AwardRound.Status.VOTING, timezone.now()
            audited(locked, user=history_user(user), via=via).save()
    return ImportSummary(kind=kind, rows=len(rows), experts_created=experts_created, saved=saved,
                         encoding=encoding_used, voting_opened=opened)


@dataclass(frozen=True)
class PreviewLine:
    """One candidate of a netizen file: its votes per source (in ImportPreview.sources' order) and total."""

    candidate: Candidate
    votes: list[int | None]
    total: int


@dataclass(frozen=True)
class ImportPreview:
    """What round_import would write, read and checked by the same code, nothing written."""

    kind: str
    rows: int
    encoding: str
    sources: list[str]
    lines: list[PreviewLine]      # netizen tallies: per candidate, in the round's order
    new: int                      # cells not entered yet
    changed: int                  # cells entered with another value
    unchanged: int
    experts_created: int


def round_import_preview(*, user: Any, award_round: AwardRound, source: str | Path | IO[bytes], file_name: str,
                         encoding: str | None = None, kind: str | None = None) -> ImportPreview:
    """Read and check a file exactly as round_import does, and say what it would write: rows, each
    candidate's votes per source and in total, new and changed cells. Raises ImportFailed like it."""
    require_manager(user)
    errors = ErrorLog()
    kind, columns, rows, encoding_used = _read(source, file_name=file_name, encoding=encoding, kind=kind, errors=errors)
    plan = _plan(award_round, kind, columns, rows, errors)
    if kind == SCORES:
        stored = {(cell.candidate_id, cell.expert_id): cell.score
                  for cell in ExpertScore.objects.filter(round=award_round)}
        planned = {(candidate.pk, expert.pk): score for expert, candidate, score, _comment in plan.cells
                   if expert.pk is not None}
        fresh = len(plan.cells) - len(planned)
    else:
        stored = {(cell.candidate_id, cell.source): cell.votes for cell in NetizenTally.objects.filter(round=award_round)}
        planned = {(cell.candidate_id, cell.source): int(cell.votes) for cell in plan.cells}
        fresh = 0
    new = fresh + sum(1 for key in planned if key not in stored)
    changed = sum(1 for key, value in planned.items() if key in stored and stored[key] != value)
    sources, lines = _tally_lines(award_round, plan.cells) if kind == TALLIES else ([], [])
    return ImportPreview(kind=kind, rows=len(rows), encoding=encoding_used, sources=sources, lines=lines, new=new,
                         changed=changed, unchanged=sum(1 for key, value in planned.items()
                                                        if key in stored and stored[key] == value),
                         experts_created=plan.create_count())


def _tally_lines(award_round: AwardRound, cells: list[TallyCell]) -> tuple[list[str], list[PreviewLine]]:
    sources = list(dict.fromkeys(cell.source for cell in cells))  # in the file's order
    votes: dict[int, dict[str, int]] = {}
    for cell in cells:
        votes.setdefault(cell.candidate_id, {})[cell.source] = int(cell.votes)
    lines = [PreviewLine(candidate=candidate, votes=[votes[candidate.pk].get(source) for source in sources],
                         total=sum(votes[candidate.pk].values()))
             for candidate in Candidate.objects.filter(round=award_round).order_by("rank", "id")
             if candidate.pk in votes]
    return sources, lines


class _FileRows:
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


class _ScoreRows(_FileRows):
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
        if text is not None:
            try:
                score = parse_score(text)
            except CellProblem as problem:
                self.problem(line, "score", problem)
                score = None
        comment = None
        if "comment" in self.columns:
            try:
                comment = parse_comment(self.value(values, "comment"))
            except CellProblem as problem:
                self.problem(line, "comment", problem)
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


class _TallyRows(_FileRows):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.cells: list[TallyCell] = []

    def row(self, line: int, values: list[str]) -> None:
        candidate = self.candidate(line, values)
        votes = source = None
        text = self.required(line, values, "votes")
        if text is not None:
            try:
                votes = parse_votes(text)
            except CellProblem as problem:
                self.problem(line, "votes", problem)
        try:
            source = parse_source(self.value(values, "source"))
        except CellProblem as problem:
            self.problem(line, "source", problem)
        if candidate is None or votes is None or source is None:
            return
        if self.once(line, ("tally", candidate.pk, source), _("candidate and source")):
            self.cells.append(TallyCell(candidate.pk, source, votes))

    def tallies(self) -> list[TallyCell]:
        return self.cells
