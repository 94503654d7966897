"""The awards services' errors: the application error (core.errors.AppError) named for its subject.

Messages are translated (Chinese by default) and name the round, row, cell or field and the reason;
values the user typed are echoed truncated (`shown`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.errors import AppError
from core.text import echo

# The award messages quote a typed value on one line, in at most this many characters ("…" included).
SHOWN_LIMIT = 40


def shown(value: object) -> str:
    """A value the user gave, as it may be echoed in a message: one line, at most 40 characters, cut by
    core.text.echo (the one shortening)."""
    return echo(" ".join(str(value).split()), SHOWN_LIMIT, keep=SHOWN_LIMIT - 1)


class AwardError(AppError):
    """A round request that cannot be carried out."""


class AwardPermissionDenied(AwardError):
    """The user may not do this (views answer 403)."""


class FieldErrors(AwardError):
    """Input refused field by field; nothing was saved. `fields` maps a field name (name, affiliation,
    province, city, user, reason…) to its translated messages, in the order they were found."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        self.fields = fields
        found = [message for messages in fields.values() for message in messages]
        super().__init__(found[0], messages=found)


class ScoresToDelete(AwardError):
    """Removing an expert who has scores needs a confirmation naming how many (`count`); nothing was
    deleted. The confirmation is the count itself, so scores added meanwhile ask again."""

    def __init__(self, message: object, *, count: int) -> None:
        self.count = count
        super().__init__(message)
class SettingsInvalid(AwardError):
    """A round's settings were refused. `fields` maps each setting (as the service names it: name, slug,
    run, kind, category, candidates_n, candidate_names, shortlist_size, weights, aggregation, trim, quorum)
    to its messages, so a form can show each one beside its field."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.fields: dict[str, list[str]] = {}
        for field, message in problems:
            self.fields.setdefault(field, []).append(message)
        super().__init__(problems[0][1], messages=[message for _field, message in problems])


class QuorumNotMet(AwardError):
    """Closing refused: `candidates` lists the names of those with too few expert scores."""

    def __init__(self, message: object, *, candidates: list[str]) -> None:
        self.candidates = candidates
        super().__init__(message)


@dataclass(frozen=True)
class CellError:
    """One refused grid cell or file row. key: ("score", candidate_id, expert_id) or
    ("tally", candidate_id, source); message: translated, naming the cell and the reason."""

    key: tuple
    message: str


class CellErrors(AwardError):
    """Some cells were refused; nothing was saved. `errors`: one CellError per refused cell."""

    def __init__(self, errors: list[CellError]) -> None:
        self.errors = errors
        super().__init__(errors[0].message, messages=[error.message for error in errors])


@dataclass(frozen=True)
class CellChange:
    """A cell someone else changed after the version an admin loaded."""

    key: tuple
    label: str
    user: Any
    when: datetime


class VersionConflict(AwardError):
    """The round's inputs changed since the version the grid loaded; nothing was saved.
    `cells` names the cells changed since then (newest first), `version` is the current version."""

    def __init__(self, message: object, *, cells: list[CellChange], version: int) -> None:
        self.cells = cells
        self.version = version
        super().__init__(message, messages=[str(message), *[change.label for change in cells]])
