"""Translatable sentences for the scoring engine's problem codes (rankings/scoring/errors.py).

The pure engine reports codes with parameters; this table gives each its sentence in the user's
language. tests/rankings/test_messages.py checks that every code has one with the same placeholders.
"""
from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import echo
from rankings.scoring.errors import Problem, param_text

MESSAGES = {
    'required': _('this field is required'),
    'unknown_key': _('unknown field %(key)s; the allowed fields are %(allowed)s'),
    'not_mapping': _('must be a mapping of names to values'),
    'not_list': _('must be a list'),
    'not_text': _('must be a non-empty text'),
    'text_too_long': _('must be at most %(limit)s characters long'),
    'not_number': _('must be a number'),
    'not_integer': _('must be a whole number'),
    'not_boolean': _('must be true or false'),
    'bad_slug': _('%(value)s is not a valid slug: use 1 to 50 lowercase letters, digits and hyphens'),
    'bad_key': _('%(value)s is not a valid key: start with a lowercase letter or an underscore, then use lowercase letters, digits and underscores (at most 50 characters)'),
    'duplicate_key': _('%(value)s is used more than once'),
    'bad_choice': _('%(value)s is not one of %(choices)s'),
    'out_of_range': _('%(value)s is out of range: it must be between %(min)s and %(max)s'),
    'negative': _('%(value)s is negative; it must be 0 or more'),
    'not_positive': _('%(value)s must be greater than 0'),
    'indicator_count': _('the scheme has %(count)s indicators; it must have between %(min)s and %(max)s'),
    'weights_sum': _('indicator weights sum to %(sum)s; they must sum to 1'),
    'category_weights_sum': _('category weights sum to %(sum)s; they must sum to 1'),
    'unknown_category': _('%(value)s is not a category; the categories are %(choices)s'),
    'group_needs_category_weights': _('group_by_category needs category_weights: scores normalised within each category can only be combined into a city score by category weights'),
    'geometric_needs_positive': _('geometric aggregation multiplies indicator scores, so they must be 0 or more; normalize %(value)s can give negative scores (use minmax, rank or distance_to_max)'),
    'reserved_metric': _('%(value)s is the name of a built-in metric; a custom metric needs another name'),
    'bad_custom_metric': _('must be a metric name, or a mapping such as {name: videos, kind: latest} (kind: sum or latest)'),
    'empty': _('the expression is empty'),
    'too_long': _('the expression has %(length)s characters; at most %(limit)s are allowed'),
    'too_deep': _('the expression is nested %(depth)s levels deep; at most %(limit)s are allowed'),
    'syntax': _('the expression is not valid arithmetic: %(detail)s (at character %(offset)s)'),
    'not_allowed': _('%(text)s is not allowed: expressions use numbers, metric names, + - * / **, parentheses and the functions %(functions)s'),
    'unknown_name': _('unknown name %(name)s; the metrics are %(allowed)s. To read another imported column (a custom metric), declare it under custom_metrics first, e.g. custom_metrics: [%(name)s]'),
    'unknown_function': _('unknown function %(name)s(); the functions are %(functions)s'),
    'arity': _('%(name)s() takes %(expected)s argument(s) but was given %(given)s'),
    'arity_at_least': _('%(name)s() takes at least %(expected)s arguments but was given %(given)s'),
    'comparison_outside_where': _('%(text)s is a comparison; comparisons may be used only as the first argument of where()'),
    'where_condition': _('the first argument of where() must be a comparison such as posts > 0, not %(text)s'),
    'bad_number': _('the number %(text)s is too large'),
}


def problem_text(problem: Problem) -> str:
    """“indicators[2].expr: unknown name fanz …” in the active language. Values the document supplied are
    cut to about 50 characters (core.text.echo): a message never repeats a huge value."""
    message = str(MESSAGES[problem.code]) % {name: param_text(name, value) for name, value in problem.params.items()}
    if not problem.path:
        return message
    return gettext("%(path)s: %(message)s") % {"path": echo(problem.path), "message": message}
