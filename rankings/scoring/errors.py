"""What an invalid scheme or expression reports: one Problem per mistake, all raised at once.

Problems carry a `code` and `params`, not prose: the Django layer maps each code to a translatable
sentence (PROBLEM_CODES holds the English templates for it to wrap with gettext) and fills in the
params. str() of the errors renders the English templates, for logs and the command line.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core.text import ECHO_LIMIT, echo

# code -> English message template. Placeholders are %(name)s; every Problem of that code carries them.
PROBLEM_CODES: dict[str, str] = {
    # Scheme documents.
    "required": "this field is required",
    "unknown_key": "unknown field %(key)s; the allowed fields are %(allowed)s",
    "not_mapping": "must be a mapping of names to values",
    "not_list": "must be a list",
    "not_text": "must be a non-empty text",
    "text_too_long": "must be at most %(limit)s characters long",
    "not_number": "must be a number",
    "not_integer": "must be a whole number",
    "not_boolean": "must be true or false",
    "bad_slug": "%(value)s is not a valid slug: use 1 to 50 lowercase letters, digits and hyphens",
    "bad_key": (
        "%(value)s is not a valid key: start with a lowercase letter or an underscore, then use lowercase "
        "letters, digits and underscores (at most 50 characters)"
    ),
    "duplicate_key": "%(value)s is used more than once",
    "bad_choice": "%(value)s is not one of %(choices)s",
    "out_of_range": "%(value)s is out of range: it must be between %(min)s and %(max)s",
    "negative": "%(value)s is negative; it must be 0 or more",
    "not_positive": "%(value)s must be greater than 0",
    "indicator_count": "the scheme has %(count)s indicators; it must have between %(min)s and %(max)s",
    "weights_sum": "indicator weights sum to %(sum)s; they must sum to 1",
    "category_weights_sum": "category weights sum to %(sum)s; they must sum to 1",
    "unknown_category": "%(value)s is not a category; the categories are %(choices)s",
    "group_needs_category_weights": (
        "group_by_category needs category_weights: scores normalised within each category can only be "
        "combined into a city score by category weights"
    ),
    "geometric_needs_positive": (
        "geometric aggregation multiplies indicator scores, so they must be 0 or more; normalize "
        "%(value)s can give negative scores (use minmax, rank or distance_to_max)"
    ),
    "reserved_metric": "%(value)s is the name of a built-in metric; a custom metric needs another name",
    "bad_custom_metric": (
        "must be a metric name, or a mapping such as {name: videos, kind: latest} (kind: sum or latest)"
    ),
    # Expressions.
    "empty": "the expression is empty",
    "too_long": "the expression has %(length)s characters; at most %(limit)s are allowed",
    "too_deep": "the expression is nested %(depth)s levels deep; at most %(limit)s are allowed",
    "syntax": "the expression is not valid arithmetic: %(detail)s (at character %(offset)s)",
    "not_allowed": (
        "%(text)s is not allowed: expressions use numbers, metric names, + - * / **, parentheses and the "
        "functions %(functions)s"
    ),
    "unknown_name": (
        "unknown name %(name)s; the metrics are %(allowed)s. To read another imported column (a custom "
        "metric), declare it under custom_metrics first, e.g. custom_metrics: [%(name)s]"
    ),
    "unknown_function": "unknown function %(name)s(); the functions are %(functions)s",
    "arity": "%(name)s() takes %(expected)s argument(s) but was given %(given)s",
    "arity_at_least": "%(name)s() takes at least %(expected)s arguments but was given %(given)s",
    "comparison_outside_where": (
        "%(text)s is a comparison; comparisons may be used only as the first argument of where()"
    ),
    "where_condition": "the first argument of where() must be a comparison such as posts > 0, not %(text)s",
    "bad_number": "the number %(text)s is too large",
}


# A message echoes the document's own text back to its author (a key, a value, a piece of expression):
# cut as every quoted value is (core.text.echo, pure Python like this package), so that a megabyte-long
# string in a scheme never makes a megabyte-long message. The lists we build ourselves (allowed fields,
# choices) are longer but bounded too.
LIST_LIMIT = 1000
ECHOED_PARAMS = frozenset({"key", "value", "name", "text", "detail"})


def param_text(name: str, value: object) -> str:
    """A problem's parameter as a message shows it (lists comma-separated), cut to its limit."""
    if isinstance(value, list | tuple | set | frozenset):
        value = ", ".join(str(item) for item in value)
    return echo(str(value), ECHO_LIMIT if name in ECHOED_PARAMS else LIST_LIMIT)


@dataclass(frozen=True)
class Problem:
    """One mistake. path: where in the document ("indicators[2].expr"; "" for the whole thing)."""

    path: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in PROBLEM_CODES:
            raise KeyError(f"unknown problem code {self.code!r}")

    @property
    def message(self) -> str:
        """The English message (the Django layer renders its own, translated, from code and params)."""
        return PROBLEM_CODES[self.code] % {name: param_text(name, value) for name, value in self.params.items()}

    def at(self, path: str) -> Problem:
        """This problem, placed under `path` (an expression's problems, once we know which indicator)."""
        return Problem(f"{path}.{self.path}" if self.path else path, self.code, self.params)

    def __str__(self) -> str:
        return f"{echo(self.path)}: {self.message}" if self.path else self.message


class SchemeError(ValueError):
    """A scheme document was rejected. problems: every mistake found, in document order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))

    @property
    def codes(self) -> list[str]:
        return [problem.code for problem in self.problems]


class ExpressionError(SchemeError):
    """An indicator expression was rejected (codes such as unknown_name, not_allowed, syntax)."""
