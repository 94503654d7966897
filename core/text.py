"""Text a person must be able to read: at least one visible character.

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
