"""Template filters naming places in the active language (core.names): {{ city|place_name }},
{{ "湖南"|province_name }}. A city is a record with name and name_en, or a Chinese name."""
from __future__ import annotations

from django import template

from core import names

register = template.Library()


@register.filter
def place_name(place: object) -> str:
    """A city (or award candidate) name: in English its name_en, else its pinyin; in Chinese as stored."""
    if place is None:
        return ""
    if isinstance(place, str):
        return names.place_name(place)
    return names.place_name(str(getattr(place, "name", "") or ""), getattr(place, "name_en", None) or None)


@register.filter
def province_name(province: object) -> str:
    """A province name (short or full Chinese form) in the active language."""
    return names.province_name(str(province or ""))


@register.filter
def candidate_name(candidate: object, kind: str = "") -> str:
    """An award candidate's name in the active language: a city candidate as place_name, an account's
    screen name as it is. `candidate` is a Candidate (its city_id tells), or a name with the round's kind."""
    if isinstance(candidate, str):
        return names.place_name(candidate) if kind == "city" else candidate
    name = str(getattr(candidate, "name", "") or "")
    return names.place_name(name) if getattr(candidate, "city_id", None) else name
