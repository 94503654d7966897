"""Text shown to a person: a value quoted back in a message is cut short (echo), and a reason must hold at
least one visible character (has_visible_text).

Pure Python (the standard library only): the scoring engine, which imports no Django, shortens the
values its messages quote with the same echo (a contract in .importlinter keeps this module pure).

A reason of only spaces, zero-width spaces (U+200B), joiners (U+200C, U+200D), word joiners (U+2060), byte
order marks (U+FEFF) or control characters looks empty on the page that shows it, whatever its length.
Visible means: a character outside Unicode's "other" (C*: controls, format characters, unassigned) and
"separator" (Z*: spaces, line and paragraph separators) categories.
"""
from __future__ import annotations

import unicodedata


def is_visible(character: str) -> bool:
    return unicodedata.category(character)[0] not in "CZ"


def has_visible_text(text: str) -> bool:
    """True when `text` holds at least one visible character (see the module's docstring)."""
    return any(is_visible(character) for character in text)


# A value quoted back to the user is cut to this many characters and "…": a 50 MB cell must not become a
# 50 MB error page (nor stay in memory, 1000 times over, until the page is rendered).
ECHO_LIMIT = 50


def echo(value: object, limit: int = ECHO_LIMIT, *, keep: int | None = None) -> object:
    """The one way a quoted value is shortened for a message: a text longer than `limit` characters becomes
    its first `keep` characters (by default `limit`) plus "…"; other values (numbers, lazy texts) are
    returned as they are (callers that quote any object pass str(value)).

    keep = limit - 1 gives a text of at most `limit` characters, mark included (the award messages' rule).
    """
    if isinstance(value, str) and len(value) > limit:
        return value[:limit if keep is None else keep] + "…"
    return value
