"""Writes of the rankings app: scoring schemes and score runs (HackSoft style: services write,
selectors read). Import from here: `from rankings import services`.

- schemes.py     scheme_document_parse, scheme_validate, scheme_save, scheme_load_file
- runs.py        score_run_start, score_runs_start_monthly, score_run_execute
- publishing.py  score_run_complete, score_run_publish, score_run_fail
- results.py     writing a run's results in bulk (COPY on PostgreSQL)
- uncertainty.py the Monte Carlo stage, inline or split into Celery subtasks

Imports run one way: runs → uncertainty → publishing; tasks are sent by name (rankings.dispatch).
"""
from typing import TYPE_CHECKING

from core.lazy import lazy_exports

# Each name loads its module on first use (core.lazy): importing this package loads no pandas.
__getattr__, __dir__ = lazy_exports(__name__, {
    "errors": ("RunStateError", "ScoringError"),
    "publishing": ("score_run_complete", "score_run_fail", "score_run_publish"),
    "runs": ("score_run_execute", "score_run_start", "score_runs_start_monthly"),
    "schemes": ("scheme_document_parse", "scheme_load_file", "scheme_save", "scheme_validate"),
    "uncertainty": ("score_run_uncertainty_chunk", "score_run_uncertainty_finish"),
})

if TYPE_CHECKING:  # the names as static tools see them
    from rankings.services.errors import RunStateError, ScoringError
    from rankings.services.publishing import score_run_complete, score_run_fail, score_run_publish
    from rankings.services.runs import score_run_execute, score_run_start, score_runs_start_monthly
    from rankings.services.schemes import (
        scheme_document_parse,
        scheme_load_file,
        scheme_save,
        scheme_validate,
    )
    from rankings.services.uncertainty import score_run_uncertainty_chunk, score_run_uncertainty_finish

__all__ = [
    "RunStateError", "ScoringError",
    "scheme_document_parse", "scheme_load_file", "scheme_save", "scheme_validate",
    "score_run_complete", "score_run_execute", "score_run_fail", "score_run_publish", "score_run_start",
    "score_runs_start_monthly", "score_run_uncertainty_chunk", "score_run_uncertainty_finish",
]
