"""Admin pages for award rounds: read-only views with their full history.

Every write to a round goes through awards.services (the grid, the expert page, file import, the API and
award_round): the rules (recusal, quorum, freeze after publication, the optimistic version check) live
there, so the admin site shows rounds, candidates, experts, scores, tallies and results, and the
history of each (django-simple-history's “History” button), but does not edit them.
"""
from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from awards.models import AwardRound, Candidate, Expert, ExpertScore, NetizenTally, RoundResult


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AwardRound)
class AwardRoundAdmin(ReadOnlyHistoryAdmin):
    list_display = ("slug", "name", "kind", "category", "status", "run", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("slug", "name")


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "province", "rank", "composite", "round")
    list_filter = ("round",)
    list_select_related = ("round", "province")
    search_fields = ("name",)


@admin.register(Expert)
class ExpertAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "affiliation", "province", "user", "submitted_at", "round")
    list_filter = ("round",)
    list_select_related = ("round", "user", "province")
    search_fields = ("name", "affiliation")


@admin.register(ExpertScore)
class ExpertScoreAdmin(ReadOnlyHistoryAdmin):
    list_display = ("candidate", "expert", "score", "entered_via", "updated_at")
    list_filter = ("round", "entered_via")
    list_select_related = ("candidate", "expert")


@admin.register(NetizenTally)
class NetizenTallyAdmin(ReadOnlyHistoryAdmin):
    list_display = ("candidate", "source", "votes", "entered_via", "updated_at")
    list_filter = ("round", "source")
    list_select_related = ("candidate",)


@admin.register(RoundResult)
class RoundResultAdmin(ReadOnlyHistoryAdmin):
    list_display = ("round", "version", "is_correction", "fingerprint", "created_at", "created_by")
    list_filter = ("round",)
    list_select_related = ("round", "created_by")
