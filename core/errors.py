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
    """str(error) is a translated message; `messages` lists every problem when there are several.

    `status` and `code` say how every answer reports it, pages and API alike (core.responses.error_status
    is the one mapping): a request the domain refuses is a 400 `invalid`; the subclasses below name the
    other kinds. A subclass for a subject (ScoringError, AwardError…) inherits the kind it is.
    """

    status = 400
    code = "invalid"

    def __init__(self, message: object, *, messages: list[str] | None = None) -> None:
        self.messages = messages or [str(message)]
        super().__init__(str(message))


class NotFoundError(AppError):
    """What the request names does not exist, or is not this user's to see (a draft): 404 `not_found`."""

    status = 404
    code = "not_found"


class ConflictError(AppError):
    """The request is valid but the resource's state refuses it (publishing a failed run): 409 `conflict`."""

    status = 409
    code = "conflict"
