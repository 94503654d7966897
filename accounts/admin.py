"""Admin pages for cities, accounts, snapshots and the import log.

Sized for the national data set (about 330 cities, 180,000 accounts, 2M+ snapshots): every list
page selects its related rows in the same query, foreign keys are picked with autocomplete widgets
instead of select boxes, and the big tables skip Django's second, unfiltered COUNT(*).
Column and filter labels come from the models' verbose names, so they follow the active language.
"""
from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, IntegerField, Max, Min, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import City, GovAccount, ImportJob, Snapshot, SnapshotImport

admin.site.site_header = _("govweibo administration")
admin.site.site_title = _("govweibo")
admin.site.index_title = _("Data management")


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "province", "level", "admin_code", "account_count")
    list_filter = ("province", "level")
    search_fields = ("name", "name_en", "province__name", "province__name_en", "admin_code")
    ordering = ("province", "name")

    def get_queryset(self, request: HttpRequest) -> QuerySet[City]:
        # A correlated subquery rather than annotate(Count("accounts")): the page's rows get their
        # counts in the same query (no COUNT per row), while the paginator's COUNT(*) and the province
        # filter's DISTINCT, which never read the column, drop it instead of joining every account.
        accounts = (
            GovAccount.objects.filter(city=OuterRef("pk"))
            .order_by()
            .values("city")
            .annotate(n=Count("id"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(account_count=Coalesce(Subquery(accounts, output_field=IntegerField()), Value(0)))
        )

    @admin.display(description=_("accounts"), ordering="account_count")
    def account_count(self, city: City) -> int:
        return city.account_count


@admin.register(GovAccount)
class GovAccountAdmin(admin.ModelAdmin):
    list_display = ("screen_name", "city", "province", "category", "level", "platform", "verified", "opened_on")
    list_filter = ("category", "level", "platform", "verified", "city__province")
    search_fields = ("screen_name", "=uid", "city__name")
    list_select_related = ("city",)
    autocomplete_fields = ("city",)
    show_full_result_count = False
    # Facet counts would run one COUNT per filter choice over all 180,000 accounts.
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50

    @admin.display(description=_("province"), ordering="city__province")
    def province(self, account: GovAccount) -> str:
        return account.city.province_id


class PeriodYearFilter(admin.SimpleListFilter):
    """Snapshots whose period starts in a given year.

    The year choices come from MIN/MAX(period_start), which the period index answers without reading
    the table; a DISTINCT over two million rows would not.
    """

    title = _("period start year")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        span = Snapshot.objects.aggregate(first=Min("period_start"), last=Max("period_start"))
        if span["first"] is None:
            return []
        years = range(span["last"].year, span["first"].year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Snapshot]) -> QuerySet[Snapshot]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(period_start__year=int(value))
        return queryset


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = (
        "account",
        "city",
        "period_label",
        "fans",
        "posts",
        "original_posts",
        "reposts",
        "comments",
        "likes",
        "replies",
    )
    list_filter = (PeriodYearFilter, "account__category", "account__level")
    search_fields = ("account__screen_name",)
    list_select_related = ("account", "account__city")
    autocomplete_fields = ("account",)
    show_full_result_count = False
    # Facet counts would run one COUNT per filter choice over millions of snapshots.
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    # The model's default ordering follows account -> city -> province and would sort every row of
    # the table through two joins; newest periods first walks the period index instead.
    ordering = ("-period_start", "-id")

    @admin.display(description=_("city"), ordering="account__city__name")
    def city(self, snapshot: Snapshot) -> City:
        return snapshot.account.city

    @admin.display(description=_("period"), ordering="period_start")
    def period_label(self, snapshot: Snapshot) -> str:
        return snapshot.period.label


@admin.register(SnapshotImport)
class SnapshotImportAdmin(admin.ModelAdmin):
    """The import log is written only by the importer; here it is read-only."""

    list_display = (
        "created_at",
        "source",
        "file_name",
        "created_by",
        "row_count",
        "cities_created",
        "accounts_created",
        "snapshots_created",
        "snapshots_replaced",
        "duration_ms",
    )
    list_filter = ("source", "created_at")
    search_fields = ("file_name",)
    list_select_related = ("created_by",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SnapshotImport | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SnapshotImport | None = None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Upload jobs are written only by the upload page and its task; here they are read-only."""

    list_display = ("created_at", "file_name", "created_by", "dry_run", "status", "progress", "rows_done",
                    "problem_count", "finished_at")
    list_filter = ("status", "dry_run", "created_at")
    search_fields = ("file_name",)
    list_select_related = ("created_by",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False
