"""The concrete URLs of each /api/v1/ pattern (by URL name): every list and every detail an anonymous
client may read, JSON and CSV, with the parameters the API documents (scheme, period, province,
ordering, page, filters) and some it must refuse (400 and 404 in its error shape). Token, import and
expert endpoints answer an anonymous client 401/403: one URL each records that answer."""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from demo.public_urls.data import MISSING_ID, DemoData

Filler = Callable[[DemoData], list[str]]
API = "/api/v1/"
# Every list: as JSON, CSV (and one XLSX), paged, sorted, filtered, and refusals of each.
LIST_QUERIES = ["", "format=csv", "page=2", "page_size=5", "page=999", "page=zz", "ordering=-id",
                "ordering=nonsense", "format=nonsense"]


def listing(resource: str, *extra: str) -> Filler:
    """A router list: its LIST_QUERIES, `extra` queries, and the format-suffix spelling (…/cities.json)."""
    def filler(data: DemoData) -> list[str]:
        path = f"{API}{resource}/"
        return [f"{path}?{query}" if query else path for query in [*LIST_QUERIES, *extra]] + [
            f"{API}{resource}.json", f"{API}{resource}.csv"]
    return filler


def detail(resource: str, ids: Callable[[DemoData], list[object]]) -> Filler:
    """A router detail for each id, one as CSV, and an id that does not exist."""
    def filler(data: DemoData) -> list[str]:
        chosen = ids(data)
        urls = [f"{API}{resource}/{item}/" for item in chosen]
        first = chosen[0] if chosen else 1
        return urls + [f"{API}{resource}/{first}/?format=csv", f"{API}{resource}/{first}.json",
                       f"{API}{resource}/{MISSING_ID}/"]
    return filler


def run_lists(level: str) -> Filler:
    def filler(data: DemoData) -> list[str]:
        urls = []
        for run in data.runs:
            urls += [f"{API}runs/{run}/{level}/", f"{API}runs/{run}/{level}/?format=csv"]
        run = data.published_runs[-1] if data.published_runs else 1
        province = data.provinces[0] if data.provinces else ""
        extra = ["page=2", "format=xlsx", urlencode({"province": province}), "province=nowhere", "ordering=-id"]
        return urls + [f"{API}runs/{run}/{level}/?{query}" for query in extra] + [f"{API}runs/{MISSING_ID}/{level}/"]
    return filler


def run_city(data: DemoData) -> list[str]:
    urls = [f"{API}runs/{run}/cities/{city}/" for run in data.published_runs for city in data.cities]
    run = data.published_runs[0] if data.published_runs else 1
    return urls + [f"{API}runs/{run}/cities/{MISSING_ID}/", f"{API}runs/{MISSING_ID}/cities/1/"]


def run_leaderboard(data: DemoData) -> list[str]:
    urls = []
    for run in data.published_runs:
        for category in data.categories:
            urls += [f"{API}runs/{run}/leaderboards/{category}/", f"{API}runs/{run}/leaderboards/{category}/?format=csv"]
    run = data.published_runs[-1] if data.published_runs else 1
    category = data.categories[0] if data.categories else "police"
    province = data.provinces[0] if data.provinces else ""
    extra = ["page=2", urlencode({"province": province}), "province=nowhere", "ordering=-id", "format=xlsx"]
    return urls + [f"{API}runs/{run}/leaderboards/{category}/?{query}" for query in extra] + [
        f"{API}runs/{run}/leaderboards/nope/"]


def ranking(data: DemoData) -> list[str]:
    path = f"{API}ranking/"
    queries = ["", "format=csv", "format=xlsx", urlencode({"scheme": data.default_scheme}), "page=2",
               *(urlencode({"period": period}) for period in data.periods),
               *(urlencode({"scheme": slug}) for slug, _versions in data.schemes if slug != data.default_scheme),
               urlencode({"province": data.provinces[0] if data.provinces else ""}), "province=nowhere",
               "scheme=no-such-scheme", "period=2099-13", "period=2001", "ordering=-score", "ordering=nonsense"]
    return [f"{path}?{query}" if query else path for query in queries]


def ranking_city(data: DemoData) -> list[str]:
    urls = [f"{API}ranking/cities/{city}/" for city in data.cities]
    first = data.cities[0] if data.cities else 1
    return urls + [f"{API}ranking/cities/{first}/?{urlencode({'period': period})}" for period in data.periods] + [
        f"{API}ranking/cities/{first}/?scheme=no-such-scheme", f"{API}ranking/cities/{MISSING_ID}/"]


def account_history(data: DemoData) -> list[str]:
    urls = [f"{API}accounts/{account}/history/" for account in data.accounts]
    first = data.accounts[0] if data.accounts else 1
    return urls + [f"{API}accounts/{first}/history/?format=csv", f"{API}accounts/{first}/history/?scheme=nope",
                   f"{API}accounts/{MISSING_ID}/history/"]


def scheme_versions(data: DemoData) -> list[str]:
    return [f"{API}schemes/{slug}/versions/" for slug, _versions in data.schemes] + [
        f"{API}schemes/no-such-scheme/versions/"]


def round_action(action: str) -> Filler:
    return lambda data: [f"{API}awards/rounds/{slug}/{action}/" for slug in data.rounds] + [
        f"{API}awards/rounds/no-such-round/{action}/"]


def experts(suffix: str) -> Filler:
    def filler(data: DemoData) -> list[str]:
        slug, expert = data.experts[0] if data.experts else ("x", 1)
        return [f"{API}awards/rounds/{slug}/experts/{suffix.format(expert=expert)}"]
    return filler


def fixed(*paths: str) -> Filler:
    return lambda data: list(paths)


API_FILLERS: dict[str, Filler] = {
    "api:api-root": fixed(API, f"{API}.json"),
    "api:schema": fixed(f"{API}schema/", f"{API}schema/?format=json"),
    "api:docs": fixed(f"{API}docs/"),
    "api:city-list": listing("cities", "province=%E6%B9%96%E5%8D%97", "province=nowhere", "level=nonsense",
                             "name=%E5%B7%9E", "ordering=-account_count"),
    "api:city-detail": detail("cities", lambda data: data.cities),
    "api:account-list": listing("accounts", "category=police", "category=nonsense", "city=1", "format=xlsx"),
    "api:account-detail": detail("accounts", lambda data: data.accounts),
    "api:snapshot-list": listing("snapshots", "period=2012-12", "period=2099-13", "account=1", "account=x"),
    "api:snapshot-detail": detail("snapshots", lambda data: data.snapshots),
    "api:scheme-list": listing("schemes"),
    "api:scheme-detail": detail("schemes", lambda data: [slug for slug, _versions in data.schemes]),
    "api:scheme-versions": scheme_versions,
    "api:run-list": listing("runs", "is_published=true", "is_published=maybe"),
    "api:run-detail": detail("runs", lambda data: data.runs),
    "api:run-publish": lambda data: [f"{API}runs/{data.published_runs[0] if data.published_runs else 1}/publish/"],
    "api:run-cities": run_lists("cities"),
    "api:run-accounts": run_lists("accounts"),
    "api:run-city": run_city,
    "api:run-leaderboard": run_leaderboard,
    "api:ranking": ranking,
    "api:ranking-city": ranking_city,
    "api:account-history": account_history,
    "api:import-list": fixed(f"{API}imports/"),
    "api:import-detail": lambda data: [f"{API}imports/{data.imports[0] if data.imports else 1}/"],
    "api:token-list": fixed(f"{API}tokens/"),
    "api:token-detail": fixed(f"{API}tokens/1/"),
    "api:award-round-list": listing("awards/rounds"),
    "api:award-round-detail": detail("awards/rounds", lambda data: data.rounds),
    "api:award-round-candidates": round_action("candidates"),
    "api:award-round-cells": round_action("cells"),
    "api:award-round-shortlist": round_action("shortlist"),
    "api:award-round-status": round_action("status"),
    "api:award-round-experts": experts(""),
    "api:award-round-expert": experts("{expert}/"),
    "api:award-round-expert-reopen": experts("{expert}/reopen/"),
    "unversioned": fixed("/api/cities/", "/api/ranking/?period=2012"),
}
