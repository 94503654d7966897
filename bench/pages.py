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

--http: the analyst pages under load, as in production: gunicorn (--workers, DEBUG=false, static files
collected into a temporary STATIC_ROOT, the cache on REDIS_URL when set) on loopback, and a bounded
load generator in this process (--concurrency threads, --requests requests per page, each on its own
connection, no think time). Reports throughput and median/p99 latency per page next to a trivial
template view (/login/, a form page) and /healthz on the same server in the same run:

    DATABASE_URL=… REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/pages.py --http
"""
from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
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
    parser.add_argument("--http", action="store_true", help="load-test the analyst pages through gunicorn")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=400)
    arguments = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL database holding the national set.")
    if arguments.http:
        _http(arguments)
        return
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


HTTP_PAGES = (
    "/healthz",
    "/login/",  # the trivial template view: a form in base.html, no data
    "/",
    "/?sort=score&order=asc&province=湖南",
    "/cities/{city}/",
    "/categories/police/",
    "/accounts/{account}/",
)
# First visits: each request a different city or account, none of them kept in the cache (the bodies
# kept by earlier runs are deleted first), so every one is rendered: what a page costs when it is not kept.
COLD_PAGES = ("/cities/{}/", "/accounts/{}/")


def _http(arguments: argparse.Namespace) -> None:
    """gunicorn on loopback, then each page under a bounded concurrent load."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govweibo.settings")
    import django

    django.setup()
    from rankings.models import ScoreRun

    published = ScoreRun.objects.filter(is_published=True, scheme__is_default=True).order_by("-period_end").first()
    if published is None:
        sys.exit("No published run of the default scheme: run compute_scores --publish first.")
    ids = _ids(published)
    with _gunicorn(arguments.workers) as port:
        fetch = _fetcher(port)
        _forget_page_bodies()
        print(f"gunicorn --workers {arguments.workers}; {arguments.concurrency} concurrent clients, "
              f"{arguments.requests} requests per page (after 20 warm-up requests)\n")
        print("| page | requests/s | × /login/ | median ms | p99 ms |")
        print("|---|---:|---:|---:|---:|")
        trivial = None
        for template in HTTP_PAGES:
            path = template.format(**ids)
            for _ in range(20):
                fetch(path)
            throughput, latencies = _under_load(fetch, [path] * arguments.requests, arguments.concurrency)
            trivial = throughput if path == "/login/" else trivial
            ratio = f"{throughput / trivial:.2f}" if trivial else "—"
            print(f"| `{path}` | {throughput:.0f} | {ratio} | {_latency_cells(latencies)} |")
        for template, ids_of_page in zip(COLD_PAGES, _cold_ids(published, arguments.requests), strict=True):
            paths = [template.format(item) for item in ids_of_page]
            throughput, latencies = _under_load(fetch, paths, arguments.concurrency)
            print(f"| `{template.format('…')}` first visits ({len(paths)} different) | {throughput:.0f} | "
                  f"{throughput / trivial:.2f} | {_latency_cells(latencies)} |")


@contextlib.contextmanager
def _gunicorn(workers: int) -> Iterator[int]:
    """gunicorn serving the project with production settings (static files collected) on a free
    loopback port, which it yields once the server answers; stopped afterwards."""
    import socket
    import subprocess
    import tempfile

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    static = tempfile.mkdtemp(prefix="govweibo-static-")
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "bench-only-not-secret", "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "false", "STATIC_ROOT": static}
    python = sys.executable
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "govweibo.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "120", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        _wait_for(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _fetcher(port: int) -> Callable[[str], float]:
    """A GET of a path on the server, returning its seconds; anything but 200 is an error."""
    import http.client
    import urllib.parse

    def fetch(path: str) -> float:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", urllib.parse.quote(path, safe="/?=&,:"))
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        return time.perf_counter() - started

    return fetch


def _under_load(fetch: Callable[[str], float], paths: list[str], concurrency: int) -> tuple[float, list[float]]:
    """The paths fetched by `concurrency` clients at once: requests per second and the sorted latencies."""
    import concurrent.futures

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        latencies = sorted(pool.map(fetch, paths))
    return len(paths) / (time.perf_counter() - started), latencies


def _latency_cells(latencies: list[float]) -> str:
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    return f"{statistics.median(latencies) * 1000:.1f} | {p99 * 1000:.1f}"


def _forget_page_bodies() -> None:
    """Delete the page bodies an earlier run kept (rankings.pagecache), so first visits are rendered."""
    from django.conf import settings
    from django.core.cache import cache

    from rankings.pagecache import KEY_PREFIX

    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        return
    import redis

    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    keys = list(client.scan_iter(match=f"*{KEY_PREFIX}*", count=1000))
    if keys:
        client.delete(*keys)
    cache.close()


def _cold_ids(run: object, count: int) -> tuple[list[int], list[int]]:
    """Up to `count` cities and `count` accounts of the run, in a shuffled order, none of them {city}
    or {account} (whose pages the loaded rows kept)."""
    import random

    from rankings.models import AccountScore, CityScore

    ids = _ids(run)
    cities = [item for item in CityScore.objects.filter(run=run).values_list("city_id", flat=True)
              if item != ids["city"]]
    accounts = [item for item in AccountScore.objects.filter(run=run).values_list("account_id", flat=True)
                if item != ids["account"]]
    shuffle = random.Random(42).shuffle  # noqa: S311 - an order for a benchmark, not a secret
    shuffle(cities)
    shuffle(accounts)
    return cities[:count], accounts[:count]


def _wait_for(port: int) -> None:
    import socket

    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("gunicorn did not start")


def _ids(run: object) -> dict[str, int]:
    """{run}, {city} and {city2} (ranks 1 and 2), {account} (the first city's best account)."""
    from rankings.models import AccountScore, CityScore

    cities = list(CityScore.objects.filter(run=run).order_by("rank").values_list("city_id", flat=True)[:2])
    account = AccountScore.objects.filter(run=run, city_id=cities[0]).order_by("rank_in_category").first()
    return {"run": run.pk, "city": cities[0], "city2": cities[-1], "account": account.account_id}


if __name__ == "__main__":
    main()
