"""A scheme's texts in the active language: `name_en`/`label_en` in English when the scheme has them,
the Chinese text otherwise. Read from the run's frozen scheme (ScoreRun.definition). Selectors,
presentation and exports all name schemes and indicators through here."""
from __future__ import annotations

from django.utils.translation import get_language

from rankings.models import ScoreRun


def in_language(text: str | None, text_en: str | None, *, fallback: str = "") -> str:
    """`text_en` when the active language is English and there is one, else `text` (or `fallback`)."""
    if (get_language() or "").startswith("en") and text_en:
        return text_en
    return text or fallback


def scheme_name(run: ScoreRun) -> str:
    """The run's scheme name as the run froze it, falling back to the scheme's current name."""
    definition = run.definition
    return in_language(definition.name, definition.name_en, fallback=run.scheme.name)


def indicator_labels(*, run: ScoreRun) -> dict[str, str]:
    """{indicator key: label in the active language}, in the scheme's order."""
    return {
        indicator.key: in_language(indicator.label, indicator.label_en, fallback=indicator.key)
        for indicator in run.definition.indicators
        if indicator.key
    }
