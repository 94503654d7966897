"""The kind of an award file, told by its headers, and the position of each column it names."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.tables.errors import ErrorLog, Message

SCORES, TALLIES = "scores", "tallies"
# Accepted headers per column (compared case-insensitively, spaces trimmed).
HEADERS = {
    "expert": ("expert", "专家"),
    "expert_province": ("expert_province", "专家省份"),
    "candidate": ("candidate", "city", "account", "候选", "城市", "账号"),
    "score": ("score", "评分"),
    "comment": ("comment", "评语"),
    "votes": ("votes", "票数"),
    "source": ("source", "来源"),
    "province": ("province", "省份"),
}
REQUIRED = {SCORES: ("expert", "candidate", "score"), TALLIES: ("candidate", "votes", "source")}

UNKNOWN_KIND = _("the headers name neither expert scores (expert, candidate, score) nor netizen tallies "
                 "(candidate, votes, source); found: %(found)s")
BOTH_KINDS = _("a file holds expert scores or netizen tallies, not both: import them as two files")
MISSING_COLUMN = _("the column “%(name)s” is missing")
DUPLICATE_COLUMN = _("the column “%(name)s” appears twice")
WRONG_KIND = {
    SCORES: _("this import takes expert scores (expert, candidate, score); the file holds netizen tallies"),
    TALLIES: _("this import takes netizen tallies (candidate, votes, source); the file holds expert scores: "
               "import those with the command award_round import"),
}


def column_map(header: list[str], errors: ErrorLog) -> tuple[str | None, dict[str, tuple[int, str]]]:
    """(kind, {column: (position, header as written)}); problems go to `errors` (line 1)."""
    found: dict[str, tuple[int, str]] = {}
    for position, name in enumerate(header):
        key = next((column for column, names in HEADERS.items() if name.strip().lower() in names), None)
        if key is None:
            continue
        if key in found:
            errors.add(1, name, Message(DUPLICATE_COLUMN, name=name))
        found[key] = (position, name)
    has_scores, has_tallies = "score" in found, "votes" in found
    if has_scores and has_tallies:
        errors.add(1, None, BOTH_KINDS)
        return None, found
    if not has_scores and not has_tallies:
        errors.add(1, None, Message(UNKNOWN_KIND, found=", ".join(header)[:200] or "—"))
        return None, found
    kind = SCORES if has_scores else TALLIES
    for column in REQUIRED[kind]:
        if column not in found:
            errors.add(1, None, Message(MISSING_COLUMN, name=HEADERS[column][0]))
    return kind, found

