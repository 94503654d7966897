"""Template filters naming rankings' things in the active language (rankings.labels)."""
from __future__ import annotations

from django import template

from rankings import labels
from rankings.models import ScoringScheme

register = template.Library()


@register.filter
def scheme_label(scheme: ScoringScheme) -> str:
    """{{ scheme|scheme_label }}: the scheme's name_en in English, its name otherwise."""
    return labels.scheme_label(scheme)
