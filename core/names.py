"""Place names (cities, provinces, award candidates) in the active language, and their sort order.

The one owner of how a Chinese place name reads in English and where it sorts:

- a city's English name is its `name_en` when the record has one, else its pinyin (`place_name_en`:
  长沙 → Changsha, 西安 → Xi'an, with the customary spellings of a few cities such as Harbin);
- a province's English name comes from the table of the 34 province-level divisions (`PROVINCES_EN`,
  keyed by short name; a full name such as 湖南省 or 广西壮族自治区 is looked up by its short form), else
  its pinyin. `province_names_en` is the hook: point it at the canonical province data when there is one;
- lists of places sort by pinyin (`place_sort_key`), in both languages, never by code point.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from django.utils.translation import get_language

from core.provinces import PROVINCES, province_or_none

# The 34 province-level divisions by short name, in their customary English form: core.provinces' data
# (the owner of province names and spellings).
PROVINCES_EN: dict[str, str] = {info.name: info.name_en for info in PROVINCES}
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")

# Cities whose customary English name is not their pinyin (the names used by the cities themselves and
# by international usage); every other city reads as pinyin.
CITIES_EN: dict[str, str] = {
    "哈尔滨": "Harbin", "呼和浩特": "Hohhot", "乌鲁木齐": "Urumqi", "拉萨": "Lhasa", "喀什": "Kashgar",
    "香港": "Hong Kong", "澳门": "Macao",
}
CITY_SUFFIXES = ("市",)

# Pinyin syllables that start with a, o or e are set off by an apostrophe inside a word (西安 Xi'an,
# 哈尔滨 Ha'erbin), as the official rules of Hanyu Pinyin orthography ask.
_VOWELS = ("a", "o", "e")


def province_names_en() -> Mapping[str, str]:
    """{short Chinese name: English name} of the province-level divisions. The hook for canonical data."""
    return PROVINCES_EN


def is_english() -> bool:
    return (get_language() or "").startswith("en")


@lru_cache(maxsize=4096)
def pinyin_word(chinese: str) -> str:
    """The text as one capitalised pinyin word without tones: 长沙 → Changsha, 西安 → Xi'an. Characters
    that are not Chinese (Latin letters, digits) are kept as they are."""
    from pypinyin import Style, lazy_pinyin  # its dictionaries take ~0.3 s to load: only when a name is read

    syllables = lazy_pinyin(chinese, style=Style.NORMAL, errors="default")
    word = ""
    for syllable in syllables:
        if word and syllable[:1] in _VOWELS and word[-1:].isalpha():
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]


def _short(name: str, suffixes: tuple[str, ...], known: Mapping[str, str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            short = name.removesuffix(suffix)
            if not known or short in known:
                return short
    return name


def place_name_en(chinese: str, name_en: str | None = None) -> str:
    """A city's (or any place's) English name: `name_en` when given, its customary name, else its pinyin."""
    if isinstance(name_en, str) and name_en:  # a missing name_en may come from pandas as NaN
        return name_en
    if not chinese:
        return ""
    short = _short(chinese, CITY_SUFFIXES, {})
    return CITIES_EN.get(short) or pinyin_word(short)


def province_name_en(chinese: str) -> str:
    """A province's English name: 湖南 / 湖南省 → Hunan, 广西壮族自治区 → Guangxi; unknown names as pinyin."""
    if not chinese:
        return ""
    names = province_names_en()
    short = province_or_none(chinese) or (chinese if chinese in names else _short(chinese, PROVINCE_SUFFIXES, names))
    return names.get(short) or pinyin_word(chinese)


def place_name(chinese: str, name_en: str | None = None) -> str:
    """The place's name in the active language: English (place_name_en) in English, Chinese otherwise."""
    return place_name_en(chinese, name_en) if is_english() and chinese else (chinese or "")


def province_name(chinese: str) -> str:
    """The province's name in the active language."""
    return province_name_en(chinese) if is_english() and chinese else (chinese or "")


@lru_cache(maxsize=4096)
def place_sort_key(chinese: str) -> str:
    """The key that sorts place names by their pinyin (长沙 before 上海 before 武汉), in either language;
    the Chinese text breaks ties between names that read alike. A string, so that pandas can sort by it."""
    from pypinyin import Style, lazy_pinyin

    text = str(chinese or "")
    return " ".join(lazy_pinyin(text, style=Style.TONE3)).casefold() + "\x00" + text
