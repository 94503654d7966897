"""The one application error type: a request the domain refuses, with translated messages.

Services raise it (or a subclass naming their subject) for anything a user can fix; views, the API and
commands show `messages` as they are. Infrastructure failures (a lost connection, a full disk) are not
AppErrors: they are reported as such.
"""
from __future__ import annotations

from django.db import InterfaceError, OperationalError

# Errors of the infrastructure (database gone, connection dropped), as opposed to bad data or a bug:
# tasks retry these (bounded), and nothing else.
INFRASTRUCTURE_ERRORS = (OperationalError, InterfaceError)


class AppError(Exception):
    """str(error) is a translated message; `messages` lists every problem when there are several."""

    def __init__(self, message: object, *, messages: list[str] | None = None) -> None:
        self.messages = messages or [str(message)]
        super().__init__(str(message))
