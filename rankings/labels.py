"""A scheme's texts in the active language: `name_en`/`label_en` in English when the scheme has them,
the Chinese text otherwise. Read from the run's frozen scheme (ScoreRun.definition). Selectors,
presentation and exports all name schemes and indicators through here."""
from __future__ import annotations

from django.utils.translation import get_language

from core import names
from rankings.models import ScoreRun, ScoringScheme


def in_language(text: str | None, text_en: str | None, *, fallback: str = "") -> str:
    """`text_en` when the active language is English and there is one, else `text` (or `fallback`)."""
    if (get_language() or "").startswith("en") and text_en:
        return text_en
    return text or fallback


def scheme_name(run: ScoreRun) -> str:
    """The run's scheme name as the run froze it, falling back to the scheme's current name."""
    definition = run.definition
    return in_language(definition.name, definition.name_en, fallback=run.scheme.name)


def scheme_label(scheme: ScoringScheme) -> str:
    """A scheme's name in the active language: its document's name_en in English when it has one, else
    the scheme's name."""
    return in_language(scheme.name, scheme.definition.name_en if is_english() else None)


def indicator_labels(*, run: ScoreRun) -> dict[str, str]:
    """{indicator key: label in the active language}, in the scheme's order."""
    return {
        indicator.key: in_language(indicator.label, indicator.label_en, fallback=indicator.key)
        for indicator in run.definition.indicators
        if indicator.key
    }


def is_english() -> bool:
    return names.is_english()


def province_name(province: str) -> str:
    """The province as the active language names it (core.names: the one owner of place names)."""
    return names.province_name(province)


def city_name(name: str, name_en: str | None) -> str:
    """The city's name in the active language: its English name, else its pinyin, in English."""
    return names.place_name(name, name_en)
