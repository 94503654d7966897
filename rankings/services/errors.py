"""The one application error of the rankings services."""
from __future__ import annotations


class ScoringError(Exception):
    """A scheme or run request that cannot be carried out. str(error) is a translated message;
    `messages` lists every problem when there are several (a scheme document's, say)."""

    def __init__(self, message: object, *, messages: list[str] | None = None) -> None:
        self.messages = messages or [str(message)]
        super().__init__(str(message))
