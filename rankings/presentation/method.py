"""The method section of a run's page: what the run measured and how, in the active language.

Everything comes from the run's frozen scheme (ScoreRun.definition, the typed reader) and the weights
the run recorded; no query.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import GovAccount
from rankings.labels import in_language, scheme_name
from rankings.models import ScoreRun
from rankings.scoring.columns import LATEST, SUM
from rankings.scoring.diagnostics import INPUT_WARNING_KEY, OVERLAPPING_SNAPSHOTS
from rankings.scoring.schemes import Indicator, Scheme

# The scheme's settings the method lists, in this order (empty ones are left out).
SETTING_KEYS = (
    "group_by_category", "account_to_city", "missing_category", "aggregation", "weighting", "scale",
    "custom_metrics", "post_indicators",
)
# How the method section names a scheme's settings and their values. A value missing here is shown as
# written in the document.
SETTING_LABELS = {
    "group_by_category": gettext_lazy("Indicators normalised within each category"),
    "account_to_city": gettext_lazy("From accounts to a city's category score"),
    "missing_category": gettext_lazy("A city with no account in a category"),
    "aggregation": gettext_lazy("Aggregation of indicators"),
    "weighting": gettext_lazy("Weights"),
    "scale": gettext_lazy("Score multiplier"),
    "custom_metrics": gettext_lazy("Custom metrics"),
    "post_indicators": gettext_lazy("Post indicators (measured from the posts and replies)"),
}
SETTING_VALUES = {
    ("group_by_category", True): gettext_lazy("yes"),
    ("group_by_category", False): gettext_lazy("no: all accounts together"),
    ("account_to_city", "max"): gettext_lazy("the best account's score"),
    ("account_to_city", "mean"): gettext_lazy("the mean of its accounts' scores"),
    ("account_to_city", "sum"): gettext_lazy("the sum of its accounts' scores"),
    ("account_to_city", "top3_mean"): gettext_lazy("the mean of its best three accounts' scores"),
    ("missing_category", "zero"): gettext_lazy("scores 0 in that category"),
    ("missing_category", "renormalize"): gettext_lazy("is scored on its other categories, their weights rescaled"),
    ("aggregation", "arithmetic"): gettext_lazy("weighted arithmetic mean"),
    ("aggregation", "geometric"): gettext_lazy("weighted geometric mean"),
    ("weighting", "manual"): gettext_lazy("the scheme's own (manual) weights"),
    ("weighting", "entropy"): gettext_lazy("entropy weights computed from the data"),
}
# How each custom metric became a period total (its kind in the scheme document).
METRIC_KINDS = {
    SUM: gettext_lazy("summed over the period"),
    LATEST: gettext_lazy("taken at the latest snapshot that has it"),
}
WARNING_REASONS = {
    "division_by_zero": gettext_lazy("division by zero, counted as 0"),
    "invalid_math": gettext_lazy("undefined arithmetic (such as the log of a negative number), counted as 0"),
    "overflow": gettext_lazy("overflow, counted as 0"),
    "missing_value": gettext_lazy("missing value (an optional column left empty), counted as 0"),
    OVERLAPPING_SNAPSHOTS: gettext_lazy("snapshots that overlap: they cover more days than the period, so "
                                        "some posts are counted more than once; check the imports"),
}


@dataclass(frozen=True)
class IndicatorMethod:
    key: str
    label: str
    expr: str
    normalize: str
    weight_manual: float | None
    weight_entropy: float | None
    weight_used: float | None


@dataclass(frozen=True)
class CategoryWeight:
    category: str
    label: str
    weight: float


@dataclass(frozen=True)
class RunWarning:
    code: str  # "<indicator key>:<reason>" as the scoring engine counts them
    indicator: str  # the indicator's label ("" when the code names none)
    reason: str  # translated
    count: int  # rows affected


@dataclass(frozen=True)
class RunMethod:
    """How a run scored: read from the run's frozen scheme document and its recorded weights."""

    scheme_name: str
    description: str
    indicators: list[IndicatorMethod]
    category_weights: list[CategoryWeight]
    settings: list[tuple[str, str]] = field(default_factory=list)  # (label, value), translated
    uncertainty: str = ""  # the Monte Carlo settings as one sentence; "" when the run has none
    warnings: list[RunWarning] = field(default_factory=list)


def run_method_get(*, run: ScoreRun) -> RunMethod:
    """The run's method in the active language. No query (reads the run's own JSON fields)."""
    definition = run.definition
    indicators = [_indicator_method(indicator, run.weights or {}) for indicator in definition.indicators]
    labels = dict(GovAccount.Category.choices)
    category_weights = [
        CategoryWeight(category=key, label=str(labels.get(key, key)), weight=weight)
        for key, weight in (definition.category_weights or {}).items()
    ]
    return RunMethod(
        scheme_name=scheme_name(run),
        description=in_language(definition.description, definition.description_en),
        indicators=indicators,
        category_weights=category_weights,
        settings=_settings(definition),
        uncertainty=_uncertainty_text(run),
        warnings=_warnings(run, names={item.key: item.label for item in indicators}),
    )


def _indicator_method(indicator: Indicator, weights: dict[str, dict[str, float]]) -> IndicatorMethod:
    recorded = weights.get(indicator.key, {})
    manual = None if math.isnan(indicator.weight) else indicator.weight
    return IndicatorMethod(
        key=indicator.key, label=in_language(indicator.label, indicator.label_en, fallback=indicator.key),
        expr=indicator.expr, normalize=indicator.normalize, weight_manual=recorded.get("manual", manual),
        weight_entropy=recorded.get("entropy"), weight_used=recorded.get("used"),
    )


def _settings(definition: Scheme) -> list[tuple[str, str]]:
    values = {key: setting_of(definition, key) for key in SETTING_KEYS}
    return [(str(SETTING_LABELS[key]), _setting_value(key, value)) for key, value in values.items()
            if value not in ((), [], None, "")]


def setting_of(definition: Scheme, key: str) -> Any:
    """A setting's value as the method shows and compares it: custom metrics as (name, kind) pairs."""
    if key == "custom_metrics":
        return tuple((name, definition.custom_metric_kind(name)) for name in definition.custom_metrics)
    return getattr(definition, key)


def _setting_value(key: str, value: Any) -> str:
    if key == "custom_metrics" and isinstance(value, tuple):
        return ", ".join(_("%(name)s (%(kind)s)") % {"name": name, "kind": METRIC_KINDS.get(kind, kind)}
                         for name, kind in value)
    if isinstance(value, (str, bool, int)) and (key, value) in SETTING_VALUES:
        return str(SETTING_VALUES[(key, value)])
    return _describe(value)


def _uncertainty_text(run: ScoreRun) -> str:
    if not run.uncertainty_draws:
        return ""
    uncertainty = run.definition.uncertainty
    text = _(
        "%(draws)s Monte Carlo draws (seed %(seed)s): each draw varies every weight by up to ±%(spread)s%%"
    )
    text = text % {"draws": f"{run.uncertainty_draws:,}", "seed": run.uncertainty_seed,
                   "spread": f"{100 * float(uncertainty.spread):g}"}
    if uncertainty.normalizations:
        text += _("; and normalises each indicator by its own method or one of: %(methods)s") % {
            "methods": ", ".join(uncertainty.normalizations),
        }
    return text


def _warnings(run: ScoreRun, *, names: dict[str, str]) -> list[RunWarning]:
    warnings = []
    for code, count in sorted((run.warnings or {}).items()):
        key, _sep, reason = code.rpartition(":")
        label = _("input data") if key == INPUT_WARNING_KEY else names.get(key, key)
        warnings.append(RunWarning(code=code, indicator=label, count=int(count),
                                   reason=str(WARNING_REASONS.get(reason, reason))))
    return warnings


def _describe(value: Any) -> str:
    """A document value as one line: dicts as `key: value` pairs, lists comma-separated."""
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_describe(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_describe(item) for item in value)
    return str(value)


