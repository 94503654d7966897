"""Benchmark: the what-if endpoint's server mode at national scale (337 cities, 180,000 accounts).

    createdb -h 127.0.0.1 -U postgres govweibo_whatif_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govweibo_whatif_bench .venv/bin/python manage.py migrate
    DATABASE_URL=… REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/whatif.py --build

--build writes a synthetic published run of the built-in bci-v2 (top3_mean: the server recomputes it)
into an EMPTY database: 337 cities, 180,000 accounts, their AccountScore rows with random normalised
indicators, and city scores computed from them by the scoring pipeline's own functions (so the
published ranking is consistent with the rows). Without --build it uses the database's published
bci-v2 run (a real national run works as well: see docs/benchmarks.md for building one).

Reports, through Django's test client in this process (whole request cycle): the endpoint's first
request with an empty cache (the one bulk read of the accounts, and filling the cache), then the
median of --repeat requests with other weights (the accounts from the cache), and the home page with
and without ?w= (the server renders the recomputed ranking into the page).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITIES = 337
ACCOUNTS = 180_000
SCHEME = "bci-v2"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="write a synthetic national run (empty database only)")
    parser.add_argument("--repeat", type=int, default=12)
    arguments = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (and REDIS_URL to a Redis database for the cache).")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govweibo.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if arguments.build:
        _build()
    _measure(arguments.repeat)


def _build() -> None:
    import numpy as np
    import pandas as pd
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import City, GovAccount
    from core.provinces import province_names
    from rankings.models import AccountScore, CityScore, ScoreRun, ScoringScheme
    from rankings.scoring.aggregate import composite
    from rankings.scoring.columns import CATEGORIES
    from rankings.scoring.pipeline import city_scores
    from rankings.scoring.ranks import competition_rank

    if City.objects.exists():
        sys.exit("--build writes into an empty database only.")
    rng = np.random.default_rng(42)
    scheme = ScoringScheme.objects.get(slug=SCHEME)
    with transaction.atomic():
        cities = City.objects.bulk_create([City(name=f"城市{i}", province_id=province_names()[i % 31]) for i in range(CITIES)])
        city_of, category_of = rng.integers(0, CITIES, ACCOUNTS), rng.integers(0, len(CATEGORIES), ACCOUNTS)
        accounts = GovAccount.objects.bulk_create(
            [GovAccount(screen_name=f"账号{i}", category=CATEGORIES[category_of[i]], city=cities[city_of[i]])
             for i in range(ACCOUNTS)], batch_size=5000)
        now = timezone.now()
        run = ScoreRun.objects.create(
            scheme=scheme, scheme_version=scheme.version, document=scheme.document, period_start="2012-03-01",
            period_end="2012-03-31", status=ScoreRun.Status.SUCCEEDED, stage=ScoreRun.Stage.DONE, is_published=True,
            published_at=now, started_at=now, finished_at=now, accounts_scored=ACCOUNTS, cities_scored=CITIES)
        definition = run.definition
        keys = list(definition.indicator_keys)
        norm = pd.DataFrame(rng.random((ACCOUNTS, len(keys))) * 8, columns=keys,
                            index=pd.Index([account.pk for account in accounts], name="account_id"))
        frame = pd.DataFrame({"city_id": [cities[c].pk for c in city_of],
                              "category": [CATEGORIES[c] for c in category_of]}, index=norm.index)
        composites = composite(norm, pd.Series(definition.manual_weights)[keys], method=definition.aggregation,
                               scale=definition.scale)
        AccountScore.objects.bulk_create([
            AccountScore(run=run, account_id=int(account), city_id=int(city), category=category,
                         composite=float(value), rank_in_category=1, raw_values=[],
                         normalized_values=[float(x) for x in row])
            for account, city, category, value, row in zip(
                norm.index, frame["city_id"], frame["category"], composites, norm.to_numpy(), strict=True)
        ], batch_size=5000)
        scores = city_scores(composites, frame, definition)
        ranks = competition_rank(scores)
        CityScore.objects.bulk_create([CityScore(run=run, city_id=int(city), score=float(score),
                                                 rank=int(ranks[city]), accounts=1) for city, score in scores.items()])
    print(f"built run #{run.pk}: {CITIES} cities, {ACCOUNTS} accounts")


def _measure(repeat: int) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rankings.models import ScoreRun

    run = ScoreRun.objects.filter(scheme__slug=SCHEME, is_published=True).order_by("-period_end").first()
    if run is None:
        sys.exit(f"No published {SCHEME} run: use --build on an empty database.")
    client = Client()
    url = f"/rankings/{run.pk}/whatif/"
    cache.clear()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"w": "activity:70,spread:30"})
    cold = time.perf_counter() - started
    assert response.status_code == 200, response.content[:300]
    print(f"run #{run.pk}, {run.accounts_scored} accounts; endpoint answer {len(response.content) // 1024} KB")
    print(f"endpoint, empty cache: {cold * 1000:.0f} ms, {len(queries)} queries")
    warm = []
    for n in range(repeat):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"w": f"activity:{5 + 7 * n % 90}"})
        warm.append(time.perf_counter() - started)
    print(f"endpoint, cached: median {statistics.median(warm) * 1000:.0f} ms, max {max(warm) * 1000:.0f} ms "
          f"(n={repeat}), {len(queries)} queries")
    for label, params in (("home", {"scheme": SCHEME}), ("home ?w=", {"scheme": SCHEME, "w": "activity:50"})):
        client.get("/", params)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get("/", params)
            times.append(time.perf_counter() - started)
        print(f"{label}: median {statistics.median(times) * 1000:.0f} ms (n={repeat})")


if __name__ == "__main__":
    main()
