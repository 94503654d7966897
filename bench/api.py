"""Benchmark: the city-ranking endpoint at national scale against a trivial DRF view, same server, same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govweibo_api .venv/bin/python bench/api.py
    # options: --requests 2000 --concurrency 4 --workers 2 --cities 337

Steps:
  data     a published run of the built-in scheme shifan-2012 for the period 2030-01 ranking --cities
           cities (337: every prefecture-level city) with category scores, indicators and rank intervals,
           written once with bulk inserts (kept for later runs: the script reuses it);
  server   gunicorn (--workers sync workers, DEBUG off, throttles out of the way) on 127.0.0.1, started by
           the script and stopped at the end;
  load     a bounded load generator: --concurrency threads send --requests GET requests in total to one
           URL (a new connection each, as gunicorn's sync workers close them), after 50 warm-up requests;
           throughput (requests/s) and the 50th/99th percentile latency of each URL.
URLs, each measured twice (interleaved; the better of the two is reported, the other printed too):
  /bench/trivial/ (baseline: a DRF view with no query), /api/v1/runs/<id>/cities/ (a page of 100),
  ?page_size=1000 (all the cities), /api/v1/ranking/ (the latest published, default scheme), the
  page of 100 again with If-None-Match (304); these are answered from the answers kept in the cache
  (api/caching.py) after the first request. Then the page of 100 and all the cities with a new query
  parameter on every request (?cold=<n>), so that nothing kept applies: the rows are read, serialised
  and rendered each time.
Goal (issue #11): the city ranking at >= 50 % of the trivial view's throughput, p99 < 50 ms. The load
generator runs on the same machine as the server, so both share its cores: ratios, not absolute figures,
are what compare across machines. Results go to docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERIOD = ("2030-01-01", "2030-01-31")
WARMUP = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cities", type=int, default=337)
    parser.add_argument("--port", type=int, default=8097)
    arguments = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it gets a bench run of period 2030-01).")
    run_id = _data(arguments.cities)
    server = _server(arguments)
    try:
        _report(_measure(arguments, run_id), arguments, run_id)
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- data ------------------------------------------------------------------------------------------------
def _data(cities: int) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govweibo.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return _published_run(cities)


def _published_run(count: int) -> int:
    import copy
    from datetime import date

    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import City, GovAccount
    from core.provinces import province_names
    from rankings.models import CityCategoryScore, CityScore, ScoreRun, ScoringScheme

    scheme = ScoringScheme.objects.get(slug="shifan-2012")
    start, end = (date.fromisoformat(day) for day in PERIOD)
    existing = ScoreRun.objects.filter(scheme=scheme, period_start=start, period_end=end, is_published=True,
                                       cities_scored=count).first()
    if existing:
        return existing.pk
    rng = np.random.default_rng(11)
    with transaction.atomic():
        City.objects.bulk_create([City(name=f"基准城市{n}", name_en=f"Bench City {n}", province_id=province_names()[n % 31])
                                  for n in range(count)], ignore_conflicts=True)
        cities = list(City.objects.filter(name__startswith="基准城市").order_by("id")[:count])
        run = ScoreRun.objects.create(
            scheme=scheme, scheme_version=scheme.version, document=copy.deepcopy(scheme.document),
            period_start=start, period_end=end, status=ScoreRun.Status.SUCCEEDED, stage=ScoreRun.Stage.DONE,
            progress=100, is_published=True, published_at=timezone.now(), cities_scored=count,
            uncertainty_draws=1000)
        scores = np.sort(rng.uniform(20, 90, count))[::-1]
        keys = list(scheme.definition.indicator_keys)
        CityScore.objects.bulk_create([CityScore(
            run=run, city=city, score=float(score), rank=rank, accounts=20,
            indicators={key: float(rng.uniform(0, 100)) for key in keys},
            median_rank=float(rank), rank_p05=float(max(1, rank - 3)), rank_p95=float(min(count, rank + 3)),
        ) for rank, (city, score) in enumerate(zip(cities, scores, strict=True), start=1)])
        categories = [c for c in GovAccount.Category.values if c != "other"]
        CityCategoryScore.objects.bulk_create([
            CityCategoryScore(run=run, city=city, category=category, score=float(rng.uniform(0, 100)), accounts=4)
            for city in cities for category in categories])
    return run.pk


# --- server and load -----------------------------------------------------------------------------------------
def _server(arguments: argparse.Namespace) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.api_settings", "DEBUG": "false",
           "SECRET_KEY": "bench-only", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false",
           "API_THROTTLE_ANON": "1000000/second", "API_THROTTLE_USER": "1000000/second"}
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "govweibo.wsgi:application", "--workers", str(arguments.workers), "--bind",
         f"127.0.0.1:{arguments.port}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _get(arguments.port, "/healthz", {})[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz within 30 s: " + server.stderr.read().decode()[-2000:])


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, float, bytes, dict[str, str]]:
    began = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, time.perf_counter() - began, body, dict(response.getheaders())
    finally:
        connection.close()


def _load(port: int, path: str, *, total: int, concurrency: int, headers: dict[str, str]) -> dict[str, float]:
    cold = path.endswith("cold=")  # a new query each time: no kept answer, the rows are read and rendered
    numbers = itertools.count()
    for _ in range(WARMUP):
        _get(port, path + (str(next(numbers)) if cold else ""), headers)
    tickets = itertools.count()  # next() on it is atomic under the GIL: each request is taken once
    latencies: list[float] = []
    statuses: set[int] = set()
    lock = threading.Lock()

    def worker() -> None:
        mine = []
        while next(tickets) < total:
            status, seconds, _body, _headers = _get(port, path + (str(next(numbers)) if cold else ""), headers)
            statuses.add(status)
            mine.append(seconds)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
            "statuses": ",".join(str(status) for status in sorted(statuses))}


def _measure(arguments: argparse.Namespace, run_id: int) -> list[tuple[str, list[dict[str, float]]]]:
    page = f"/api/v1/runs/{run_id}/cities/"
    etag = _get(arguments.port, page, {})[3]["ETag"]
    urls = [("/bench/trivial/", {}), (page, {}), (page + "?page_size=1000", {}), ("/api/v1/ranking/", {}),
            (page, {"If-None-Match": etag}), (page + "?cold=", {}), (page + "?page_size=1000&cold=", {})]
    results: dict[int, list[dict[str, float]]] = {index: [] for index in range(len(urls))}
    for _round in range(2):
        for index, (path, headers) in enumerate(urls):
            results[index].append(_load(arguments.port, path, total=arguments.requests,
                                        concurrency=arguments.concurrency, headers=headers))
    names = [path.replace("cold=", "cold=<n> (never kept)") + (" (If-None-Match → 304)" if headers else "")
             for path, headers in urls]
    return [(name, results[index]) for index, name in enumerate(names)]


def _report(results: list[tuple[str, list[dict[str, float]]]], arguments: argparse.Namespace, run_id: int) -> None:
    best = {name: max(rounds, key=lambda result: result["rps"]) for name, rounds in results}
    baseline = best[results[0][0]]["rps"]
    print(f"{arguments.requests} requests per URL and round, {arguments.concurrency} concurrent, "
          f"gunicorn {arguments.workers} sync workers, {arguments.cities} cities (run {run_id}); best of 2 rounds")
    print("\n| URL | status | requests/s | × trivial | p50 ms | p99 ms | other round: req/s, p99 ms |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, rounds in results:
        chosen = best[name]
        other = next(result for result in rounds if result is not chosen) if len(rounds) > 1 else chosen
        print(f"| `{name}` | {chosen['statuses']} | {chosen['rps']:.0f} | {chosen['rps'] / baseline:.2f} | "
              f"{chosen['p50']:.1f} | {chosen['p99']:.1f} | {other['rps']:.0f}, {other['p99']:.1f} |")


if __name__ == "__main__":
    main()
