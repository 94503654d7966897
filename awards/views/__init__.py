"""The award pages (thin: each reads one selector or calls one service, then renders).

Who may do what is asked of awards.permissions on every page: published rounds are public, drafts are a
404 to those who may not see them (their slugs do not leak); the grid, status changes, citations and
progress need a panel admin (评审管理员, awards.manage_rounds); the expert page needs an expert of the
round logged in; the audit log needs staff or a panel admin.
"""
from awards.views.expert_admin import expert_create, expert_edit, expert_remove, expert_reopen
from awards.views.experts import my_scores, progress
from awards.views.grid import expert_add, grid
from awards.views.round_admin import netizen_import, netizen_preview, round_create
from awards.views.rounds import (
           audit_log,
           citation_save,
           round_correct,
           round_detail,
           round_list,
           round_settings,
           round_status,
)

__all__ = ["audit_log", "citation_save", "expert_add", "expert_create", "expert_edit", "expert_remove",
           "expert_reopen", "grid", "my_scores", "progress", "round_correct",
           "round_detail", "round_list", "round_settings", "round_status"]
__all__ += ["netizen_import", "netizen_preview", "round_create"]  # rounds pages
