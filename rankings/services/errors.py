"""The rankings services' error: the application error (core.errors.AppError) named for its subject."""
from __future__ import annotations

from core.errors import AppError


class ScoringError(AppError):
    """A scheme or run request that cannot be carried out. str(error) is a translated message;
    `messages` lists every problem when there are several (a scheme document's, say)."""
