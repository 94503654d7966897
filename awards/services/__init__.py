"""Writes of the awards app (services write, selectors read). Import from here: `from awards import services`.

- rounds.py      round_create (top N or a list: candidate_names_parse), round_update, round_open_voting, round_close
- publishing.py  round_publish (freeze + SHA-256), round_correct (new result version)
- cells.py       cells_save (grid: all-or-nothing, optimistic version), expert_scores_save, expert_submit
- experts.py     expert_create, expert_update, expert_delete, expert_reopen, citation_save
- importing (awards/importing): round_import

Every service takes `user` (None = the command line) and `via` (an awards.models.EntryPath value).
"""
from awards.services.cells import (
    CellsSaved,
    ScoreCell,
    TallyCell,
    cells_save,
    expert_scores_save,
    expert_submit,
)
from awards.services.errors import (
    AwardError,
    AwardPermissionDenied,
    CellChange,
    CellError,
    CellErrors,
    FieldErrors,
    QuorumNotMet,
    ScoresToDelete,
    SettingsInvalid,
    VersionConflict,
)
from awards.services.experts import citation_save, expert_create, expert_delete, expert_reopen, expert_update
from awards.services.publishing import correction_reason_problem, round_correct, round_publish
from awards.services.rounds import (
    candidate_names_parse,
    round_close,
    round_create,
    round_open_voting,
    round_update,
)

__all__ = [
    "AwardError", "AwardPermissionDenied", "CellChange", "CellError", "CellErrors", "CellsSaved", "FieldErrors",
    "QuorumNotMet", "ScoresToDelete", "ScoreCell", "SettingsInvalid", "TallyCell", "VersionConflict",
    "candidate_names_parse",
    "cells_save", "citation_save", "correction_reason_problem", "expert_create", "expert_delete", "expert_reopen", "expert_scores_save", "expert_submit",
    "expert_update", "round_close", "round_correct", "round_create", "round_open_voting", "round_publish",
    "round_update",
]
