"""/awards/: the round list, a round's page, its entry grid, the expert's page, progress and audit log."""
from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    # rounds pages (issue 18): before <slug>/, whose slug "new" round_create refuses.
    path("new/", views.round_create, name="round_create"),
    path("<slug:slug>/netizen/", views.netizen_preview, name="netizen_preview"),
    path("<slug:slug>/netizen/import/", views.netizen_import, name="netizen_import"),
    path("<slug:slug>/", views.round_detail, name="round_detail"),
    path("<slug:slug>/grid/", views.grid, name="grid"),
    path("<slug:slug>/grid/experts/", views.expert_add, name="expert_add"),
    path("<slug:slug>/status/", views.round_status, name="round_status"),
    path("<slug:slug>/settings/", views.round_settings, name="round_settings"),
    path("<slug:slug>/correct/", views.round_correct, name="round_correct"),
    path("<slug:slug>/citations/<int:candidate_id>/", views.citation_save, name="citation_save"),
    path("<slug:slug>/experts/add/", views.expert_create, name="expert_create"),
    path("<slug:slug>/experts/<int:expert_id>/edit/", views.expert_edit, name="expert_edit"),
    path("<slug:slug>/experts/<int:expert_id>/remove/", views.expert_remove, name="expert_remove"),
    path("<slug:slug>/experts/<int:expert_id>/reopen/", views.expert_reopen, name="expert_reopen"),
    path("<slug:slug>/my-scores/", views.my_scores, name="my_scores"),
    path("<slug:slug>/progress/", views.progress, name="progress"),
    path("<slug:slug>/audit/", views.audit_log, name="audit_log"),
]
