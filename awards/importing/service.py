"""round_import and round_import_preview: an award file read, checked and written all or nothing, or
only said what it would write."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from awards.importing.columns import SCORES, TALLIES
from awards.importing.reading import read
from awards.importing.rows import FileRows, rows_for
from awards.models import AwardRound, Candidate, EntryPath, ExpertScore, NetizenTally
from awards.services.cells import CellsSaved, TallyCell, cells_apply
from awards.services.common import audited, history_user, lock_round, require_inputs_open, require_manager
from core.tables.errors import ErrorLog


@dataclass(frozen=True)
class ImportSummary:
    kind: str                 # "scores" or "tallies"
    rows: int
    experts_created: int
    saved: CellsSaved
    encoding: str
    voting_opened: bool


def _plan(award_round: AwardRound, kind: str, columns: dict[str, tuple[int, str]], rows: list[tuple[int, list[str]]],
          errors: ErrorLog) -> FileRows:
    """Every row checked against the round (candidate, expert, value, recusal, duplicates)."""
    require_inputs_open(award_round)
    plan = rows_for(kind, award_round, columns, errors)
    for line, values in rows:
        plan.row(line, values)
    if errors:
        raise errors.failure()
    return plan


def round_import(*, user: Any, award_round: AwardRound, source: str | Path | IO[bytes], file_name: str,
                 via: str = EntryPath.FILE, encoding: str | None = None, kind: str | None = None) -> ImportSummary:
    """Import a file of expert scores or netizen tallies into the round, all or nothing.

    Steps: read the file (the shared table reader, core.tables); tell its kind by the headers (`kind`, when
    given, is the only one accepted: the round page takes netizen tallies); check every row (candidate,
    expert, value, recusal, duplicates) and collect every problem with its line and column; then, in one
    transaction: create the new experts, write the cells as the grid does, open the voting if the round
    was a draft. Raises ImportFailed (core.tables.errors) listing the problems.
    """
    require_manager(user)
    errors = ErrorLog()
    kind, columns, rows, encoding_used = read(source, file_name=file_name, encoding=encoding, kind=kind, errors=errors)
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
    kind, columns, rows, encoding_used = read(source, file_name=file_name, encoding=encoding, kind=kind, errors=errors)
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


