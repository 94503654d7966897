"""Reads of the awards app. Import from here: `from awards import selectors`."""
from awards.selectors.audit import AuditEntry, round_audit_log
from awards.selectors.results import (
    RESULT_COLUMNS,
    round_inputs,
    round_result_current,
    round_result_versions,
    round_results,
)
from awards.selectors.rounds import (
    ExpertColumn,
    ExpertProgress,
    MatrixCell,
    MatrixRow,
    ScoreMatrix,
    expert_can_see_others,
    expert_candidates,
    expert_entry_closed,
    expert_for_user,
    expert_label,
    expert_progress,
    round_get_visible,
    rounds_visible_to,
    score_matrix,
)

__all__ = [
    "RESULT_COLUMNS", "AuditEntry", "ExpertColumn", "ExpertProgress", "MatrixCell", "MatrixRow", "ScoreMatrix",
    "expert_can_see_others", "expert_candidates", "expert_entry_closed", "expert_for_user", "expert_label", "expert_progress",
    "round_audit_log", "round_get_visible", "round_inputs", "round_result_current", "round_result_versions",
    "round_results", "rounds_visible_to", "score_matrix",
]
