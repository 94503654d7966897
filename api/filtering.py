"""Query parameters that choose rows, checked: a value the API cannot use is a 400 naming the parameter
and the values it accepts, never silently ignored (a typo would otherwise answer every row).

- `?ordering=-accounts,name` among a list's `ordering_fields`, always ending with the primary key so that
  paging is stable (rows with equal values keep one order from page to page). Lists without
  `ordering_fields` (rankings) keep their selector's fixed order, and the browsable API shows them no
  ordering control.
- Filters with a fixed set of values (level, category, platform, status, booleans) and `province`
  refuse an empty or unknown value (StrictFilterSet for django-filter lists, ChoiceParameter and
  ProvinceParameter for the query serializers). The accepted provinces are the 34 divisions' short names.
"""
from __future__ import annotations

from typing import Any

from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from api.errors import not_accepted
from core import provinces
from core.text import echo

BAD_ORDERING = _("“%(value)s” is not a sort field; use one of: %(accepted)s (a “-” before a field sorts it in "
                 "descending order; several are separated by commas).")
BOOLEAN_VALUES = ["true", "false"]


def province_names() -> list[str]:
    """The provinces a `province` parameter names in its refusal: China's 34 province-level divisions by
    their short names (core.provinces, the owner of province spellings; every city points at one)."""
    return provinces.province_names()


class StableOrderingFilter(OrderingFilter):
    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        if getattr(view, "ordering_fields", None) is None:
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> list[str]:
        self._check(request, queryset, view)
        ordering = list(super().get_ordering(request, queryset, view) or queryset.query.order_by
                        or queryset.model._meta.ordering or [])
        if not any(isinstance(field, str) and field.lstrip("-") in ("pk", "id") for field in ordering):
            ordering.append("pk")
        return ordering

    def _check(self, request: Any, queryset: Any, view: Any) -> None:
        """400 for an empty or unknown sort field, naming the accepted ones."""
        if self.ordering_param not in request.query_params:
            return
        value = request.query_params.get(self.ordering_param, "")
        accepted = [name for name, _label in self.get_valid_fields(queryset, view, {"request": request})]
        terms = [term.strip() for term in value.split(",")]
        if all(term.removeprefix("-") in accepted for term in terms):
            return
        raise ValidationError({self.ordering_param: [
            str(BAD_ORDERING) % {"value": echo(value), "accepted": ", ".join(accepted)}]})

    def to_html(self, request: Any, queryset: Any, view: Any) -> str:
        """The browsable API's ordering control; none for lists in a fixed order (DRF's own raised a 500
        on a view with neither ordering_fields nor a serializer class)."""
        if getattr(view, "ordering_fields", None) is None:
            return ""
        return super().to_html(request, queryset, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        if getattr(view, "ordering_fields", None) is None:
            return []
        return super().get_schema_operation_parameters(view)


def _is_province(filter_: filters.Filter) -> bool:
    return filter_.field_name.split("__")[-1] == "province" and isinstance(filter_, filters.CharFilter)


def _accepted(filter_: filters.Filter) -> list[str] | None:
    """The values a filter accepts when they form a fixed set; None for free text, numbers, periods."""
    if isinstance(filter_, filters.ChoiceFilter):
        return [str(value) for value, _label in filter_.extra["choices"]]
    if isinstance(filter_, filters.BooleanFilter):
        return BOOLEAN_VALUES
    if _is_province(filter_):
        return province_names()
    return None


class StrictFilterSet(filters.FilterSet):
    """A FilterSet whose fixed-set filters (choices, booleans, province) refuse an empty or unknown value
    with the accepted values; django-filter ignores an empty one (and an unknown boolean)."""

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            # A province in any accepted spelling (湖南省, Hunan …) filters as its canonical short name.
            names = [name for name, filter_ in self.base_filters.items() if _is_province(filter_) and name in data]
            if names:
                data = data.copy()
                for name in names:
                    data[name] = provinces.province_or_none(data.get(name)) or data.get(name)
        super().__init__(data, *args, **kwargs)

    def is_valid(self) -> bool:
        super().is_valid()
        for name, filter_ in self.filters.items():
            if name not in self.data:
                continue
            accepted = _accepted(filter_)
            value = self.data.get(name)
            if accepted is not None and value not in accepted:
                # Escaped: django-filter formats each message with its (here no) parameters.
                self.form.errors[name] = ErrorList([not_accepted(value, accepted).replace("%", "%%")])
        return not self.form.errors


def _as_sent(field: serializers.Field, data: Any) -> Any:
    """The parameter's value as sent: DRF turns an empty optional form/query value into "not sent"."""
    if hasattr(data, "getlist") and field.field_name in data:
        return data.get(field.field_name)
    return serializers.empty if field.field_name not in data else data[field.field_name]


class ChoiceParameter(serializers.ChoiceField):
    """A query parameter with a fixed set of values: an empty or unknown one is refused, naming them."""

    def get_value(self, dictionary: Any) -> Any:
        return _as_sent(self, dictionary)

    def to_internal_value(self, data: Any) -> Any:
        if str(data) not in self.choice_strings_to_values:
            raise serializers.ValidationError(not_accepted(data, list(self.choice_strings_to_values)))
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "minLength": 1})
class ProvinceParameter(serializers.CharField):
    """`province`: one of the 34 provinces in any accepted spelling (the message lists the short names)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Only this province, by its short name, e.g. 湖南"))
        super().__init__(trim_whitespace=False, **kwargs)

    def get_value(self, dictionary: Any) -> Any:
        return _as_sent(self, dictionary)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if data is serializers.empty or data is None:
            return super().run_validation(data)
        canonical = provinces.province_or_none(data)  # any spelling: 湖南省, Hunan … is 湖南
        if canonical is None:
            raise serializers.ValidationError(not_accepted(data, province_names()))
        return canonical
