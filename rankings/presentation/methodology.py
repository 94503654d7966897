"""The method page: a scheme version's method generated from its document (through the typed reader,
Scheme.read), so it can never drift from what was computed, and what changed between two versions.

Presentation only: the versions are read by rankings.selectors.schemes (scheme_versions,
scheme_version_get); this module words a version's document and the changes between two.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import GovAccount
from rankings.labels import in_language
from rankings.presentation.city import category_label
from rankings.presentation.method import SETTING_LABELS, _setting_value, _settings, setting_of
from rankings.scoring.schemes import Scheme


def indicator_rows(definition: Scheme) -> list[dict[str, object]]:
    return [{"key": item.key, "label": in_language(item.label, item.label_en, fallback=item.key),
             "expr": item.expr, "normalize": item.normalize,
             "weight": None if math.isnan(item.weight) else item.weight} for item in definition.indicators]


def category_weight_rows(definition: Scheme) -> list[tuple[str, float]]:
    """(label, weight) in the categories' declared order (a JSON column on PostgreSQL keeps no key order)."""
    weights = definition.category_weights or {}
    return [(category_label(key), weights[key]) for key in _in_order(weights)]


def _in_order(keys: object) -> list[str]:
    order = {value: index for index, value in enumerate(GovAccount.Category.values)}
    return sorted(keys, key=lambda key: (order.get(key, len(order)), key))


def settings_rows(definition: Scheme) -> list[tuple[str, str]]:
    return _settings(definition)


def uncertainty_text(definition: Scheme) -> str:
    uncertainty = definition.uncertainty
    if not uncertainty.draws:
        return _("none")
    text = _("%(draws)s Monte Carlo draws (seed %(seed)s): each draw varies every weight by up to ±%(spread)s%%") % {
        "draws": f"{uncertainty.draws:,}", "seed": uncertainty.seed, "spread": f"{100 * float(uncertainty.spread):g}"}
    if uncertainty.normalizations:
        text += _("; and normalises each indicator by its own method or one of: %(methods)s") % {
            "methods": ", ".join(uncertainty.normalizations)}
    return text


@dataclass(frozen=True)
class Change:
    what: str
    before: str
    after: str


def versions_compare(old: Scheme, new: Scheme) -> list[Change]:
    """What changed from `old` to `new`: indicators added, removed or changed (label, expression,
    normalisation, weight), category weights, settings and the uncertainty analysis."""
    changes: list[Change] = []
    before = {item.key: item for item in old.indicators}
    after = {item.key: item for item in new.indicators}
    for key in [*before, *[key for key in after if key not in before]]:
        label = _("Indicator %(key)s") % {"key": key}
        if key not in after:
            changes.append(Change(label, before[key].expr, _("removed")))
        elif key not in before:
            changes.append(Change(label, _("added"), after[key].expr))
        else:
            for field, name in (("label", _("label")), ("expr", _("expression")), ("normalize", _("normalisation")),
                                ("weight", _("weight"))):
                a, b = getattr(before[key], field), getattr(after[key], field)
                if a != b:
                    changes.append(Change(f"{label}: {name}", str(a), str(b)))
    old_weights, new_weights = old.category_weights or {}, new.category_weights or {}
    for key in _in_order(set(old_weights) | set(new_weights)):
        if old_weights.get(key) != new_weights.get(key):
            changes.append(Change(_("Category weight: %(category)s") % {"category": category_label(key)},
                                  _fmt(old_weights.get(key)), _fmt(new_weights.get(key))))
    for key, label in SETTING_LABELS.items():
        a, b = setting_of(old, key), setting_of(new, key)
        if a != b:
            changes.append(Change(str(label), _setting_value(key, a), _setting_value(key, b)))
    if old.uncertainty != new.uncertainty:
        changes.append(Change(_("Uncertainty analysis"), uncertainty_text(old), uncertainty_text(new)))
    return changes


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
