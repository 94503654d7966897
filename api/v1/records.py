"""The records the rankings are computed from: cities, government accounts and their snapshots.

Read-only and open to anyone (they are the imported data, not results: drafts concern runs only).
Filters with django-filter, `?ordering=` among the listed fields, stable pages, CSV on every list.
Snapshots are written only by the import (api/v1/imports.py), never here.
"""
from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from accounts.models import SNAPSHOT_COUNT_FIELDS, SNAPSHOT_OPTIONAL_COUNT_FIELDS, City, GovAccount, Snapshot
from api.filtering import StrictFilterSet
from api.renderers import ExportableMixin
from rankings.forms import PeriodFormField


# --- serializers ---------------------------------------------------------------------------------------
class CitySerializer(serializers.ModelSerializer):
    account_count = serializers.IntegerField(read_only=True, help_text=_("Government accounts of the city"))
    # The canonical short name (湖南), read from the column: no query per city.
    province = serializers.CharField(source="province_id", read_only=True)

    class Meta:
        model = City
        fields = ["id", "name", "name_en", "province", "level", "admin_code", "account_count"]


class AccountSerializer(serializers.ModelSerializer):
    city_id = serializers.IntegerField(read_only=True)
    city = serializers.CharField(source="city.name", read_only=True)
    province = serializers.CharField(source="city.province_id", read_only=True)

    class Meta:
        model = GovAccount
        fields = ["id", "screen_name", "platform", "uid", "category", "level", "verified", "opened_on",
                  "city_id", "city", "province"]


class SnapshotSerializer(serializers.ModelSerializer):
    account_id = serializers.IntegerField(read_only=True)
    account = serializers.CharField(source="account.screen_name", read_only=True)
    category = serializers.CharField(source="account.category", read_only=True)
    level = serializers.CharField(source="account.level", read_only=True)
    city_id = serializers.IntegerField(source="account.city_id", read_only=True)
    city = serializers.CharField(source="account.city.name", read_only=True)
    province = serializers.CharField(source="account.city.province_id", read_only=True)
    period = serializers.SerializerMethodField()
    custom_metrics = serializers.DictField(child=serializers.FloatField(allow_null=True), read_only=True)

    class Meta:
        model = Snapshot
        fields = ["id", "account_id", "account", "category", "level", "city_id", "city", "province", "period",
                  "period_start", "period_end", *SNAPSHOT_COUNT_FIELDS, *SNAPSHOT_OPTIONAL_COUNT_FIELDS,
                  "last_post_on", "custom_metrics"]

    def get_period(self, snapshot: Snapshot) -> str:
        return snapshot.period.label


# --- filters -------------------------------------------------------------------------------------------
def _city_query(prefix: str, value: str) -> Q:
    """A city id, or a city's name (every city of that name)."""
    value = value.strip()
    return Q(**{f"{prefix}id": int(value)}) if value.isdigit() else Q(**{f"{prefix}name": value})


@extend_schema_field(OpenApiTypes.STR)
class SnapshotPeriodFilter(filters.Filter):
    """Snapshots lying inside the period, as a score run of that period reads them."""

    field_class = PeriodFormField

    def filter(self, snapshots: QuerySet[Snapshot], value: Any) -> QuerySet[Snapshot]:
        if not value:
            return snapshots
        return snapshots.filter(period_start__gte=value.start, period_end__lte=value.end)


class CityFilter(StrictFilterSet):
    province = filters.CharFilter(label=_("Province, e.g. 湖南"))
    level = filters.ChoiceFilter(choices=City.Level.choices)
    name = filters.CharFilter(lookup_expr="icontains", label=_("Part of the name"))

    class Meta:
        model = City
        fields = ["province", "level", "name"]


class AccountFilter(StrictFilterSet):
    city = filters.CharFilter(method="filter_city", label=_("A city id, or a city name (e.g. 长沙)"))
    province = filters.CharFilter(field_name="city__province", label=_("Province, e.g. 湖南"))
    category = filters.ChoiceFilter(choices=GovAccount.Category.choices)
    level = filters.ChoiceFilter(choices=GovAccount.Level.choices)
    platform = filters.ChoiceFilter(choices=GovAccount.Platform.choices)
    name = filters.CharFilter(field_name="screen_name", lookup_expr="icontains", label=_("Part of the name"))

    class Meta:
        model = GovAccount
        fields = ["city", "province", "category", "level", "platform", "verified", "name"]

    def filter_city(self, accounts: QuerySet, name: str, value: str) -> QuerySet:
        return accounts.filter(_city_query("city__", value)) if value.strip() else accounts


class IdFilter(filters.NumberFilter):
    """A whole-number id (django-filter's NumberFilter takes decimals, which databases refuse when huge)."""

    field_class = forms.IntegerField


class SnapshotFilter(StrictFilterSet):
    account = IdFilter(field_name="account_id", label=_("Account id"))
    city = filters.CharFilter(method="filter_city", label=_("A city id, or a city name (e.g. 长沙)"))
    province = filters.CharFilter(field_name="account__city__province", label=_("Province, e.g. 湖南"))
    category = filters.ChoiceFilter(field_name="account__category", choices=GovAccount.Category.choices)
    level = filters.ChoiceFilter(field_name="account__level", choices=GovAccount.Level.choices,
                                 label=_("The account's level"))
    period = SnapshotPeriodFilter(label=_("Period: the snapshots inside it, e.g. 2012-03 or 2012-Q1"))

    class Meta:
        model = Snapshot
        fields = ["account", "city", "province", "category", "level", "period"]

    def filter_city(self, snapshots: QuerySet, name: str, value: str) -> QuerySet:
        return snapshots.filter(_city_query("account__city__", value)) if value.strip() else snapshots


# --- views ---------------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary=_("Cities"), examples=[OpenApiExample(
        "Changsha", response_only=True, value={"id": 1, "name": "长沙", "name_en": "Changsha", "province": "湖南",
                                               "level": "sub_provincial", "admin_code": "430100", "account_count": 12})]),
    retrieve=extend_schema(summary=_("One city")),
)
class CityViewSet(ExportableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CitySerializer
    filterset_class = CityFilter
    ordering_fields = ["id", "name", "province", "level", "account_count"]
    export_name = "cities"

    def get_queryset(self) -> QuerySet[City]:
        return City.objects.annotate(account_count=Count("accounts")).order_by("province", "name", "id")


@extend_schema_view(
    list=extend_schema(summary=_("Government accounts")),
    retrieve=extend_schema(summary=_("One government account")),
)
class AccountViewSet(ExportableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AccountSerializer
    filterset_class = AccountFilter
    ordering_fields = ["id", "screen_name", "category", "level", "city_id", "opened_on"]
    export_name = "accounts"

    def get_queryset(self) -> QuerySet[GovAccount]:
        return GovAccount.objects.select_related("city").order_by("city__province", "city__name", "category",
                                                                  "screen_name", "id")


@extend_schema_view(
    list=extend_schema(summary=_("Snapshots: an account's metrics over a period")),
    retrieve=extend_schema(summary=_("One snapshot")),
)
class SnapshotViewSet(ExportableMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilter
    ordering_fields = ["id", "period_start", "period_end", "account_id", *SNAPSHOT_COUNT_FIELDS]
    export_name = "snapshots"

    def get_queryset(self) -> QuerySet[Snapshot]:
        return Snapshot.objects.select_related("account__city").order_by("account_id", "period_start", "id")
