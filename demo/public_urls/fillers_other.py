"""The concrete URLs of the award pages, the import pages, the sign-in pages and the site's own files.

Award pages: the round list, each round's page and its result downloads are public once a round is
published. The managers' and experts' pages (grid, settings, progress, my scores …) and the import pages
need a signed-in user: an anonymous GET is a redirect to the login page (or a refusal), and one URL of
each such pattern is recorded so that answer is compared too.
"""
from __future__ import annotations

from collections.abc import Callable

from demo.public_urls.data import DemoData

Filler = Callable[[DemoData], list[str]]


def _first(items: list, default: object) -> object:
    return items[0] if items else default


def round_list(data: DemoData) -> list[str]:
    return ["/awards/"]


def round_detail(data: DemoData) -> list[str]:
    urls = []
    for slug in data.rounds:
        urls += [f"/awards/{slug}/", f"/awards/{slug}/?format=csv", f"/awards/{slug}/?format=xlsx"]
    return urls + [f"/awards/{_first(data.rounds, 'x')}/?format=pdf", "/awards/no-such-round/"]


def round_pages(suffix: str) -> Filler:
    """One URL per round of a /awards/<slug>/<suffix> page (a manager's or an expert's: anonymous
    visitors are sent to the login page)."""
    return lambda data: [f"/awards/{slug}/{suffix}" for slug in data.rounds[:1]]


def expert_pages(suffix: str) -> Filler:
    def filler(data: DemoData) -> list[str]:
        slug, expert = _first(data.experts, ("x", 1))
        return [f"/awards/{slug}/experts/{expert}/{suffix}"]
    return filler


def citation_save(data: DemoData) -> list[str]:
    slug, candidate = _first(data.candidates, ("x", 1))
    return [f"/awards/{slug}/citations/{candidate}/"]


def import_job(data: DemoData) -> list[str]:
    return [f"/accounts/import/jobs/{_first(data.imports, 1)}/"]


def import_job_status(data: DemoData) -> list[str]:
    return [f"/accounts/import/jobs/{_first(data.imports, 1)}/status.json"]


def fixed(*paths: str) -> Filler:
    """Patterns without parameters: their one URL (and any given variants)."""
    return lambda data: list(paths)


OTHER_FILLERS: dict[str, Filler] = {
    "awards:round_list": round_list,
    "awards:round_create": fixed("/awards/new/"),
    "awards:netizen_preview": round_pages("netizen/"),
    "awards:netizen_import": round_pages("netizen/import/"),
    "awards:round_detail": round_detail,
    "awards:grid": round_pages("grid/"),
    "awards:expert_add": round_pages("grid/experts/"),
    "awards:round_status": round_pages("status/"),
    "awards:round_settings": round_pages("settings/"),
    "awards:round_correct": round_pages("correct/"),
    "awards:citation_save": citation_save,
    "awards:expert_create": round_pages("experts/add/"),
    "awards:expert_edit": expert_pages("edit/"),
    "awards:expert_remove": expert_pages("remove/"),
    "awards:expert_reopen": expert_pages("reopen/"),
    "awards:my_scores": round_pages("my-scores/"),
    "awards:progress": round_pages("progress/"),
    "awards:audit_log": round_pages("audit/"),
    "rankings:run_start": fixed("/rankings/runs/start/"),
    "rankings:run_publish": lambda data: [f"/rankings/{_first(data.published_runs, 1)}/publish/"],
    "posts:upload": fixed("/accounts/import/"),
    "posts:posts_template": fixed("/accounts/import/posts-template.csv"),
    "posts:replies_template": fixed("/accounts/import/replies-template.csv"),
    "accounts:import_job": import_job,
    "accounts:import_job_status": import_job_status,
    "accounts:snapshot_template": fixed("/accounts/import/template.csv"),
    "login": fixed("/login/", "/login/?next=/awards/"),
    "logout": fixed("/logout/"),
    "set_language": fixed("/i18n/setlang/"),
    "healthz": fixed("/healthz"),
    "favicon": fixed("/favicon.ico", "/robots.txt", "/no-such-page/"),
    "admin:index": fixed("/admin/", "/admin/login/"),
}
