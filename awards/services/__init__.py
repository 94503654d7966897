"""Writes of the awards app (services write, selectors read). Import from here: `from awards import services`.

- rounds.py      round_create, round_update, round_open_voting, round_close
- publishing.py  round_publish (freeze + SHA-256), round_correct (new result version)
- cells.py       cells_save (grid: all-or-nothing, optimistic version), expert_scores_save, expert_submit,
                 expert_reopen
- experts.py     expert_create, expert_update, expert_delete, citation_save
- importing (awards/importing): round_import

Every service takes `user` (None = the command line) and `via` (an awards.models.EntryPath value).
"""
from awards.services.cells import (
    CellsSaved,
    ScoreCell,
    TallyCell,
    cells_save,
    expert_reopen,
    expert_scores_save,
    expert_submit,
)
from awards.services.errors import (
    AwardError,
    AwardPermissionDenied,
    CellChange,
    CellError,
    CellErrors,
    QuorumNotMet,
    VersionConflict,
)
from awards.services.experts import citation_save, expert_create, expert_delete, expert_update
from awards.services.publishing import correction_reason_problem, round_correct, round_publish
from awards.services.rounds import round_close, round_create, round_open_voting, round_update

__all__ = [
    "AwardError", "AwardPermissionDenied", "CellChange", "CellError", "CellErrors", "CellsSaved", "QuorumNotMet",
    "ScoreCell", "TallyCell", "VersionConflict",
    "cells_save", "citation_save", "correction_reason_problem", "expert_create", "expert_delete", "expert_reopen", "expert_scores_save", "expert_submit",
    "expert_update", "round_close", "round_correct", "round_create", "round_open_voting", "round_publish",
    "round_update",
]
