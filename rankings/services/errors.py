"""The rankings services' error: the application error (core.errors.AppError) named for its subject."""
from __future__ import annotations

from core.errors import AppError, ConflictError


class ScoringError(AppError):
    """A scheme or run request that cannot be carried out. str(error) is a translated message;
    `messages` lists every problem when there are several (a scheme document's, say)."""


class RunStateError(ScoringError, ConflictError):
    """The run's state refuses the request (publishing a run that did not succeed): 409 `conflict`
    (core.responses.error_status), and still a ScoringError for callers that catch those."""
