"""Text shown to a person: a value quoted back in a message is cut short (echo), and a reason must hold at
least one visible character (has_visible_text).

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


def echo(value: object) -> object:
    """A quoted text cut to ECHO_LIMIT characters plus "…"; other values (numbers, lazy texts) as they are."""
    if isinstance(value, str) and len(value) > ECHO_LIMIT:
        return value[:ECHO_LIMIT] + "…"
    return value
