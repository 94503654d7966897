"""Ordering for the lists that declare `ordering_fields`: `?ordering=-accounts,name` among them, always
ending with the primary key so that paging is stable (rows with equal values keep one order from page
to page). Lists without `ordering_fields` (rankings) keep their selector's fixed order."""
from __future__ import annotations

from typing import Any

from rest_framework.filters import OrderingFilter


class StableOrderingFilter(OrderingFilter):
    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        if getattr(view, "ordering_fields", None) is None:
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or queryset.query.order_by
                        or queryset.model._meta.ordering or [])
        if not any(isinstance(field, str) and field.lstrip("-") in ("pk", "id") for field in ordering):
            ordering.append("pk")
        return ordering

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        if getattr(view, "ordering_fields", None) is None:
            return []
        return super().get_schema_operation_parameters(view)
