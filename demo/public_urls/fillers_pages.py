"""The concrete URLs of each page pattern (by URL name), with the query parameters the pages read: the
choices they offer (scheme, period, province, sort, page, downloads) and a few they must refuse (an
unknown scheme, a bad period or page, a format that is not one), so notices and error pages are
compared too."""
from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote, urlencode

from demo.public_urls.data import MISSING_ID, DemoData
from demo.public_urls.recording import response_fetch

Filler = Callable[[DemoData], list[str]]


def _with_periods(path: str, data: DemoData) -> list[str]:
    """The page for the default run, each published period, and two choices it cannot honour."""
    query = [urlencode({"period": period}) for period in data.periods]
    query += [urlencode({"scheme": data.default_scheme}), "scheme=no-such-scheme", "period=2099-13"]
    return [path] + [f"{path}?{item}" for item in query]


def home(data: DemoData) -> list[str]:
    province = data.provinces[0] if data.provinces else ""
    extra = ["export=csv", "export=xlsx", "export=pdf", "sort=score&order=asc", "sort=nonsense",
             urlencode({"province": province}), "province=nowhere", "q=%E5%B7%9E", "page=2", "page=zz"]
    return _with_periods("/", data) + [f"/?{item}" for item in extra]


def city_detail(data: DemoData) -> list[str]:
    urls = [f"/cities/{city}/" for city in data.cities]
    first = f"/cities/{data.cities[0]}/" if data.cities else "/cities/1/"
    return urls + _with_periods(first, data)[1:] + [f"{first}?page=2", f"{first}?page=zz",
                                                      f"/cities/{MISSING_ID}/"]


def city_compare(data: DemoData) -> list[str]:
    ids = [str(city) for city in data.cities[:5]]
    return ["/cities/compare/", f"/cities/compare/?cities={','.join(ids[:2])}",
            f"/cities/compare/?cities={','.join(ids[:4])}&period={quote(data.periods[0]) if data.periods else ''}",
            f"/cities/compare/?cities={','.join(ids)},{MISSING_ID}",
            f"/cities/compare/?city={ids[0] if ids else 1}&q=%E5%B7%9E", "/cities/compare/?q=an"]


def account_detail(data: DemoData) -> list[str]:
    urls = [f"/accounts/{account}/" for account in data.accounts]
    first = urls[0] if urls else "/accounts/1/"
    return urls + _with_periods(first, data)[1:] + [f"/accounts/{MISSING_ID}/"]


def category_detail(data: DemoData) -> list[str]:
    urls = []
    for category in data.categories:
        path = f"/categories/{category}/"
        urls += [path, f"{path}?export=csv", f"{path}?export=xlsx"]
    first = f"/categories/{data.categories[0]}/" if data.categories else "/categories/police/"
    province = data.provinces[0] if data.provinces else ""
    extra = ["sort=score&order=desc", "sort=account", "sort=nonsense", "order=sideways", "page=2", "page=zz",
             urlencode({"province": province}), "province=nowhere", "q=%E5%85%AC%E5%AE%89", "export=pdf"]
    return urls + _with_periods(first, data)[1:] + [f"{first}?{item}" for item in extra] + ["/categories/nope/"]


def methodology(data: DemoData) -> list[str]:
    return ["/methodology/", "/methodology/?compare=v1", "/methodology/?compare=v999", "/methodology/?compare=x"]


def methodology_scheme(data: DemoData) -> list[str]:
    return [f"/methodology/{slug}/" for slug, _versions in data.schemes] + ["/methodology/no-such-scheme/"]


def methodology_version(data: DemoData) -> list[str]:
    urls = []
    for slug, versions in data.schemes:
        urls += [f"/methodology/{slug}/v{version}/" for version in versions]
        urls.append(f"/methodology/{slug}/v{versions[-1]}/?compare=v{versions[0]}")
    slug = data.schemes[0][0] if data.schemes else "x"
    return urls + [f"/methodology/{slug}/v999/"]


def run_list(data: DemoData) -> list[str]:
    return ["/rankings/runs/", "/rankings/runs/?page=2", "/rankings/runs/?page=zz"]


def run_detail(data: DemoData) -> list[str]:
    urls = [f"/rankings/{run}/" for run in data.runs] + [f"/rankings/{MISSING_ID}/"]
    for run in data.published_runs:
        path = f"/rankings/{run}/"
        urls += [f"{path}?format=csv&level=city", f"{path}?format=xlsx&level=account", f"{path}?export=csv"]
    path = f"/rankings/{data.published_runs[-1]}/" if data.published_runs else "/rankings/1/"
    extra = ["format=pdf", "format=csv&level=galaxy", "export=xlsx", "export=pdf", "page=2",
             "sort=score&order=asc", "province=nowhere", *(f"category={category}" for category in data.categories[:2]),
             f"category={data.categories[0] if data.categories else ''}&page=2", "category=nope"]
    return urls + [f"{path}?{item}" for item in extra]


def run_whatif(data: DemoData) -> list[str]:
    urls = [f"/rankings/{run}/whatif/" for run in data.runs] + [f"/rankings/{MISSING_ID}/whatif/"]
    for run in data.published_runs:
        path = f"/rankings/{run}/whatif/"
        urls += [f"{path}?{urlencode({'w': weights})}" for weights in _whatif_weights(path)]
    path = f"/rankings/{data.published_runs[-1] if data.published_runs else 1}/whatif/"
    return urls + [f"{path}?w=nonsense", f"{path}?w=nokey:50", f"{path}?w=" + "x" * 2100]


def _whatif_weights(path: str) -> list[str]:
    """Two weight vectors the run's explorer accepts (all on the first key; shares moved by ten points),
    built from the endpoint's own answer (its keys and published shares)."""
    response = response_fetch(path, "zh-hans")
    if response.status_code != 200:
        return []
    answer = json.loads(response.content)
    keys, shares = answer.get("keys") or [], answer.get("shares") or {}
    if not keys:
        return []
    moved = {key: max(0, round(float(shares.get(key, 0))) + (10 if number == 0 else -5))
             for number, key in enumerate(keys)}
    return [f"{keys[0]}:100", ",".join(f"{key}:{value}" for key, value in moved.items())]


PAGE_FILLERS: dict[str, Filler] = {
    "home": home, "city_detail": city_detail, "city_compare": city_compare, "account_detail": account_detail,
    "category_detail": category_detail, "methodology": methodology, "methodology_scheme": methodology_scheme,
    "methodology_version": methodology_version, "rankings:run_list": run_list,
    "rankings:run_detail": run_detail, "rankings:run_whatif": run_whatif,
}
