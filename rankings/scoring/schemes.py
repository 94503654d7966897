"""Scoring schemes: what a ranking measures and how, as a YAML/JSON document checked into frozen dataclasses.

A document (see rankings/builtin_schemes/*.yaml for complete ones):

    slug: shifan-2012                # [a-z0-9-], 1..50
    name: 政务微博示范奖 (2012)
    name_en: Government microblog model award (2012)     # optional
    description: ...                 # optional; description_en: the same in English (optional)
    indicators:                      # 1..20; keys unique, [a-z_][a-z0-9_]*
      - {key: fans, label: 粉丝量, label_en: Fans, expr: log1p(fans), normalize: minmax, weight: 0.25}
    group_by_category: true          # normalise within each category (needs category_weights)
    category_weights: {police: 0.2, traffic: 0.2, press: 0.2, youth: 0.2, tourism: 0.2}
    account_to_city: max             # max | mean | sum | top3_mean
    missing_category: zero           # zero | renormalize
    aggregation: arithmetic          # arithmetic | geometric
    weighting: manual                # manual | entropy
    scale: 1                         # composite multiplier, > 0
    custom_metrics: []               # custom metric columns the expressions may read, e.g.
                                     # [videos, {name: followers_active, kind: latest}]
    post_indicators: []              # optional: post indicators the expressions may read (issue 20),
                                     # e.g. [reply_rate, answered_within_1h_rate]; see POST_INDICATORS
    uncertainty: {draws: 1000, spread: 0.25, seed: 2012, normalizations: [minmax, rank]}

A custom metric is a name (its kind is `sum`: totalled over the period's snapshots) or a mapping
{name: x, kind: sum | latest}; `latest` takes the value of the account's latest snapshot in the period
that carries it (greatest period end, then greatest start), as fans are. to_document writes a `sum`
metric as its plain name, so documents written before kinds existed read, and save, unchanged.

A post indicator (rankings.scoring.columns.POST_INDICATORS: reply_rate, longest_silence_days …) is
measured from the period's posts and replies, not from snapshots; a scheme names the ones it reads under
post_indicators, and to_document writes that key only when it is not empty, so every document written
before post indicators existed reads, and saves, unchanged.

Scheme.from_document collects every problem before raising one SchemeError. Weights that do not sum to
1 are rejected, not silently rescaled: a scheme's author should see the weights the ranking uses.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rankings.scoring.aggregate import ACCOUNT_TO_CITY, AGGREGATIONS, MISSING_CATEGORY
from rankings.scoring.columns import (
    CATEGORIES,
    LATEST,
    SUM,
)
from rankings.scoring.documents import DocumentReader
from rankings.scoring.errors import ExpressionError, Problem, SchemeError
from rankings.scoring.expressions import Expression, parse_expression
from rankings.scoring.normalise import METHODS, NON_NEGATIVE_METHODS
from rankings.scoring.scheme_metrics import (  # noqa: F401 - KEY, RESERVED_NAMES, CUSTOM_METRIC_KEYS: read here too
    CUSTOM_METRIC_KEYS,
    KEY,
    RESERVED_NAMES,
    custom_metrics_read,
    post_indicators_read,
)

SLUG = re.compile(r"[a-z0-9-]{1,50}")
MIN_INDICATORS, MAX_INDICATORS = 1, 20
WEIGHT_TOLERANCE = 1e-6
MAX_DESCRIPTION_LENGTH = 5000
MAX_DRAWS = 100_000
MAX_SPREAD = 0.9
MAX_SEED = 2**32 - 1
WEIGHTINGS = ("manual", "entropy")
TOP_LEVEL_KEYS = (
    "slug", "name", "name_en", "description", "description_en", "indicators", "group_by_category",
    "category_weights", "account_to_city", "missing_category", "aggregation", "weighting", "scale", "custom_metrics",
    "post_indicators", "uncertainty",
)
INDICATOR_KEYS = ("key", "label", "label_en", "expr", "normalize", "weight")
UNCERTAINTY_KEYS = ("draws", "spread", "seed", "normalizations")


@dataclass(frozen=True)
class Indicator:
    """One indicator. expression: the parsed `expr` (from_document fills it in)."""

    key: str
    label: str
    expr: str
    normalize: str
    weight: float
    label_en: str | None = None
    expression: Expression | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Uncertainty:
    """Monte Carlo settings. draws 0 = no uncertainty analysis. The seed defaults to 0 so that the
    same scheme on the same data always gives the same rank intervals. normalizations: the methods
    to draw from besides each indicator's own (empty = only its own)."""

    draws: int = 0
    spread: float = 0.25
    seed: int = 0
    normalizations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scheme:
    """A validated scoring scheme. Build it with Scheme.from_document; to_document gives it back."""

    slug: str
    name: str
    indicators: tuple[Indicator, ...]
    name_en: str | None = None
    description: str | None = None
    description_en: str | None = None
    group_by_category: bool = False
    category_weights: dict[str, float] | None = None
    account_to_city: str = "mean"
    missing_category: str = "zero"
    aggregation: str = "arithmetic"
    weighting: str = "manual"
    scale: float = 1.0
    custom_metrics: tuple[str, ...] = ()
    latest_metrics: tuple[str, ...] = ()  # those of custom_metrics whose kind is latest; the rest are summed
    post_indicators: tuple[str, ...] = ()  # POST_INDICATORS the expressions read
    uncertainty: Uncertainty = field(default_factory=Uncertainty)

    def custom_metric_kind(self, name: str) -> str:
        """SUM or LATEST: how custom metric `name` becomes a period total."""
        return LATEST if name in self.latest_metrics else SUM

    @property
    def expression_names(self) -> tuple[str, ...]:
        """The names an expression may read besides the built-in metrics."""
        return (*self.custom_metrics, *self.post_indicators)

    @property
    def indicator_keys(self) -> tuple[str, ...]:
        return tuple(indicator.key for indicator in self.indicators)

    @property
    def manual_weights(self) -> dict[str, float]:
        return {indicator.key: indicator.weight for indicator in self.indicators}

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Scheme:
        """Check `document` and build the Scheme. Raises SchemeError listing every problem."""
        if not isinstance(document, Mapping):
            raise SchemeError([Problem("", "not_mapping")])
        reader = _SchemeReader()
        scheme = reader.scheme(document)
        if reader.problems:
            raise SchemeError(reader.problems)
        return scheme

    def to_document(self) -> dict[str, Any]:
        """The document form (plain dicts, lists, str, float, int, bool): from_document gives self back."""
        document: dict[str, Any] = {"slug": self.slug, "name": self.name}
        if self.name_en is not None:
            document["name_en"] = self.name_en
        if self.description is not None:
            document["description"] = self.description
        if self.description_en is not None:
            document["description_en"] = self.description_en
        document["indicators"] = [_indicator_document(indicator) for indicator in self.indicators]
        document["group_by_category"] = self.group_by_category
        if self.category_weights is not None:
            document["category_weights"] = dict(self.category_weights)
        document.update(
            account_to_city=self.account_to_city, missing_category=self.missing_category,
            aggregation=self.aggregation, weighting=self.weighting, scale=self.scale,
            custom_metrics=[
                name if self.custom_metric_kind(name) == SUM else {"name": name, "kind": self.custom_metric_kind(name)}
                for name in self.custom_metrics
            ],
            **({"post_indicators": list(self.post_indicators)} if self.post_indicators else {}),
            uncertainty={
                "draws": self.uncertainty.draws,
                "spread": self.uncertainty.spread,
                "seed": self.uncertainty.seed,
                "normalizations": list(self.uncertainty.normalizations),
            },
        )
        return document

    @classmethod
    def read(cls, document: Mapping[str, Any]) -> Scheme:
        """The Scheme of a stored document (a scheme's, or the copy a run froze), never raising.

        Stored documents were validated when saved, but a rule added later may refuse an old one; a
        run's page must still show it. Problems are ignored and wrong values read as stand-ins (an
        empty text, NaN for a number), so this is for reading; scoring uses from_document.
        """
        return _SchemeReader().scheme(document if isinstance(document, Mapping) else {})


def _indicator_document(indicator: Indicator) -> dict[str, Any]:
    document: dict[str, Any] = {"key": indicator.key, "label": indicator.label}
    if indicator.label_en is not None:
        document["label_en"] = indicator.label_en
    document.update(expr=indicator.expr, normalize=indicator.normalize, weight=indicator.weight)
    return document


def _rounded(total: float) -> float:
    """A sum as a message shows it: 0.9, not 0.8999999999999999."""
    return float(f"{total:.10g}")


class _SchemeReader(DocumentReader):
    """Reads a scheme document: the fields, then the rules between them."""

    def scheme(self, document: Mapping[str, Any]) -> Scheme:
        self.unknown_keys(document, TOP_LEVEL_KEYS, "")
        slug = self.text(document, "slug", limit=50)
        if slug is not None and not SLUG.fullmatch(slug):
            self.add("slug", "bad_slug", value=slug)
        name = self.text(document, "name")
        name_en = self.text(document, "name_en", required=False)
        description = self.text(document, "description", required=False, limit=MAX_DESCRIPTION_LENGTH)
        description_en = self.text(document, "description_en", required=False, limit=MAX_DESCRIPTION_LENGTH)
        # Read before the indicators: their expressions may use the custom metrics.
        custom_kinds = self.custom_metrics(document.get("custom_metrics"))
        custom_metrics = tuple(custom_kinds)
        post_indicators = self.post_indicators(document.get("post_indicators"))
        scheme = Scheme(
            slug=slug or "",
            name=name or "",
            name_en=name_en,
            description=description,
            description_en=description_en,
            indicators=self.indicators(document, (*custom_metrics, *post_indicators)),
            group_by_category=self.boolean(document, "group_by_category", default=False),
            category_weights=self.category_weights(document.get("category_weights")),
            account_to_city=self.choice(document, "account_to_city", ACCOUNT_TO_CITY, "mean"),
            missing_category=self.choice(document, "missing_category", MISSING_CATEGORY, "zero"),
            aggregation=self.choice(document, "aggregation", AGGREGATIONS, "arithmetic"),
            weighting=self.choice(document, "weighting", WEIGHTINGS, "manual"),
            scale=self.number(document, "scale", default=1.0, positive=True),
            custom_metrics=custom_metrics,
            latest_metrics=tuple(name for name, kind in custom_kinds.items() if kind == LATEST),
            post_indicators=post_indicators,
            uncertainty=self.uncertainty(document.get("uncertainty")),
        )
        self.cross_checks(document, scheme)
        return scheme

    def cross_checks(self, document: Mapping[str, Any], scheme: Scheme) -> None:
        if scheme.group_by_category and document.get("category_weights") is None:
            self.add("group_by_category", "group_needs_category_weights")
        if scheme.aggregation == "geometric":
            for index, indicator in enumerate(scheme.indicators):
                method = indicator.normalize
                if method in METHODS and method not in NON_NEGATIVE_METHODS:
                    self.add(f"indicators[{index}].normalize", "geometric_needs_positive", value=method)
            for index, method in enumerate(scheme.uncertainty.normalizations):
                if method not in NON_NEGATIVE_METHODS:
                    self.add(f"uncertainty.normalizations[{index}]", "geometric_needs_positive", value=method)

    # The scheme's parts.

    def custom_metrics(self, value: object) -> dict[str, str]:
        return custom_metrics_read(self, value)

    def post_indicators(self, value: object) -> tuple[str, ...]:
        return post_indicators_read(self, value)

    def indicators(
        self, document: Mapping[str, Any], custom_metrics: tuple[str, ...]
    ) -> tuple[Indicator, ...]:
        value = document.get("indicators")
        if value is None:
            self.add("indicators", "required")
            return ()
        if not isinstance(value, list):
            self.add("indicators", "not_list")
            return ()
        if not MIN_INDICATORS <= len(value) <= MAX_INDICATORS:
            self.add("indicators", "indicator_count", count=len(value), min=MIN_INDICATORS,
                     max=MAX_INDICATORS)
        indicators = [
            self.indicator(item, f"indicators[{index}]", custom_metrics) for index, item in enumerate(value)
        ]
        seen: set[str] = set()
        for index, indicator in enumerate(indicators):
            if indicator.key and indicator.key in seen:
                self.add(f"indicators[{index}].key", "duplicate_key", value=indicator.key)
            seen.add(indicator.key)
        weights = [indicator.weight for indicator in indicators]
        if indicators and not any(math.isnan(weight) for weight in weights):
            total = math.fsum(weights)
            if abs(total - 1.0) > WEIGHT_TOLERANCE:
                self.add("indicators", "weights_sum", sum=_rounded(total))
        return tuple(indicators)

    def indicator(self, item: object, path: str, custom_metrics: tuple[str, ...]) -> Indicator:
        if not isinstance(item, Mapping):
            self.add(path, "not_mapping")
            return Indicator(key="", label="", expr="", normalize="", weight=math.nan)
        self.unknown_keys(item, INDICATOR_KEYS, path)
        key = self.text(item, "key", path=f"{path}.key", limit=50)
        if key is not None and not KEY.fullmatch(key):
            self.add(f"{path}.key", "bad_key", value=key)
        expr = self.text(item, "expr", path=f"{path}.expr", limit=10_000)
        expression = None
        if expr is not None:
            try:
                expression = parse_expression(expr, names=custom_metrics)
            except ExpressionError as error:
                self.problems.extend(problem.at(f"{path}.expr") for problem in error.problems)
        return Indicator(
            key=key or "",
            label=self.text(item, "label", path=f"{path}.label") or "",
            label_en=self.text(item, "label_en", path=f"{path}.label_en", required=False),
            expr=expr or "",
            normalize=self.choice(item, "normalize", METHODS, None, path=f"{path}.normalize"),
            weight=self.number(item, "weight", path=f"{path}.weight", minimum=0),
            expression=expression,
        )

    def category_weights(self, value: object) -> dict[str, float] | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.add("category_weights", "not_mapping")
            return None
        weights: dict[str, float] = {}
        for category in value:
            path = f"category_weights.{category}"
            if category not in CATEGORIES:
                self.add(path, "unknown_category", value=category, choices=", ".join(CATEGORIES))
                continue
            weights[category] = self.number(value, category, path=path, minimum=0)
        if weights and not any(math.isnan(weight) for weight in weights.values()):
            total = math.fsum(weights.values())
            if abs(total - 1.0) > WEIGHT_TOLERANCE:
                self.add("category_weights", "category_weights_sum", sum=_rounded(total))
        elif not value:
            self.add("category_weights", "category_weights_sum", sum=0.0)
        return weights

    def uncertainty(self, value: object) -> Uncertainty:
        if value is None:
            return Uncertainty()
        if not isinstance(value, Mapping):
            self.add("uncertainty", "not_mapping")
            return Uncertainty()
        self.unknown_keys(value, UNCERTAINTY_KEYS, "uncertainty")
        draws = self.integer(value, "draws", path="uncertainty.draws", default=0, maximum=MAX_DRAWS)
        spread = self.number(value, "spread", path="uncertainty.spread", default=Uncertainty.spread,
                             minimum=0, maximum=MAX_SPREAD)
        return Uncertainty(
            draws=draws,
            spread=Uncertainty.spread if math.isnan(spread) else spread,
            seed=self.integer(value, "seed", path="uncertainty.seed", default=0, maximum=MAX_SEED),
            normalizations=self.normalizations(value.get("normalizations")),
        )

    def normalizations(self, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.add("uncertainty.normalizations", "not_list")
            return ()
        methods: list[str] = []
        for index, method in enumerate(value):
            path = f"uncertainty.normalizations[{index}]"
            if method not in METHODS:
                self.add(path, "bad_choice", value=method, choices=", ".join(METHODS))
            elif method in methods:
                self.add(path, "duplicate_key", value=method)
            else:
                methods.append(method)
        return tuple(methods)
