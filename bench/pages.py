"""Benchmark: the pages people open, on a national-scale database, against a trivial request.

    # a database holding the national set (see docs/benchmarks.md), e.g.:
    createdb -h 127.0.0.1 -U postgres govweibo_scale
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govweibo_scale .venv/bin/python manage.py migrate
    DATABASE_URL=… .venv/bin/python manage.py import_snapshots bench/out/national_337c_180000a_12m_seed42.csv
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govweibo_scale .venv/bin/python bench/pages.py

Each page is requested in-process through Django's test client (whole request cycle: middleware,
queries, template rendering), as a logged-in superuser, --repeat times; the median is reported next to
the median of /healthz (one `SELECT 1`) measured in the same run, so the ratio is what to compare
across machines. Also reports the number of SQL queries per page. The ranking pages need a published
run of the default scheme (bench/score_run.py leaves one in its database), else they are skipped.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    "/",
    "/accounts/import/",
    "/admin/accounts/city/",
    "/admin/accounts/govaccount/",
    "/admin/accounts/govaccount/?q=长沙",
    "/admin/accounts/govaccount/?category__exact=police&city__province=湖南",
    "/admin/accounts/snapshot/",
    "/admin/accounts/snapshot/?q=长沙警事",
    "/admin/accounts/snapshot/?p=500",
    "/admin/accounts/snapshotimport/",
    # The ranking pages and API ({run}: the latest published run of the default scheme; issue #3).
    "/rankings/runs/",
    "/rankings/{run}/",
    "/rankings/{run}/?category=police&page=100",
    "/rankings/{run}/?format=csv",
    "/rankings/{run}/?format=csv&level=account",
    "/api/v1/ranking/",
    "/api/v1/runs/{run}/cities/",
    "/api/v1/runs/{run}/accounts/?category=police",
    "/admin/rankings/scorerun/",
    # The analyst pages (issue #10): {city} is the first-ranked city, {account} its first account.
    "/?sort=score&order=asc&province=湖南",
    "/?w=police:40,traffic:10,press:30,youth:10,tourism:10",
    "/?export=csv",
    "/cities/{city}/",
    "/cities/compare/?cities={city},{city2}",
    "/categories/police/",
    "/categories/police/?province=湖南&sort=score&order=asc",
    "/accounts/{account}/",
    "/methodology/",
)
BASELINE = "/healthz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    arguments = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL database holding the national set.")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govweibo.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    _run(arguments.repeat)


def _run(repeat: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import GovAccount, Snapshot
    from rankings.models import ScoreRun

    user, _ = get_user_model().objects.get_or_create(
        username="bench-pages", defaults={"is_staff": True, "is_superuser": True})
    client = Client()
    client.force_login(user)
    print(f"Data: {GovAccount.objects.count():,} accounts, {Snapshot.objects.count():,} snapshots.\n")

    def measure(url: str) -> tuple[float, int, int]:
        client.get(url)  # warm caches once
        times = []
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
        return statistics.median(times), len(queries), response.status_code

    base, _, _ = measure(BASELINE)
    print("| page | status | median ms | × /healthz | queries |")
    print("|---|---:|---:|---:|---:|")
    print(f"| `{BASELINE}` (baseline) | 200 | {base * 1000:.1f} | 1.0 | 1 |")
    published = ScoreRun.objects.filter(is_published=True, scheme__is_default=True).order_by("-period_end").first()
    for url in PAGES:
        if "{" in url:
            if published is None:
                continue
            url = url.format(**_ids(published))
        seconds, queries, status = measure(url)
        print(f"| `{url}` | {status} | {seconds * 1000:.1f} | {seconds / base:.0f} | {queries} |")


def _ids(run: object) -> dict[str, int]:
    """{run}, {city} and {city2} (ranks 1 and 2), {account} (the first city's best account)."""
    from rankings.models import AccountScore, CityScore

    cities = list(CityScore.objects.filter(run=run).order_by("rank").values_list("city_id", flat=True)[:2])
    account = AccountScore.objects.filter(run=run, city_id=cities[0]).order_by("rank_in_category").first()
    return {"run": run.pk, "city": cities[0], "city2": cities[-1], "account": account.account_id}


if __name__ == "__main__":
    main()
