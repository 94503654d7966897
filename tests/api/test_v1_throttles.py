"""Request rates: downloads have their own lower rate (API and pages, one counter), a bad token counts as an
anonymous request from its address, and the counters stay exact when many clients arrive at once (on the
local-memory cache and on Redis). Every refusal is a 429 with Retry-After, in the API's error shape."""
from __future__ import annotations

import os
import random
import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import RequestFactory

from core.throttling import AnonRateThrottle, UserRateThrottle
from tests.rankings.factories import ranking_build, scheme_make_default

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _address() -> str:
    """An address of this test's own, so counters left in a shared cache (Redis) never meet it."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def _rates(settings, **rates: str) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "export": None, **rates}}


def _assert_refused(response) -> None:
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) and error["details"]["retry_after"] == int(response["Retry-After"])


# --- downloads ---------------------------------------------------------------------------------------------
def test_csv_and_xlsx_downloads_have_their_own_lower_rate_per_address(client, settings):
    _rates(settings, export="2/minute")
    run = ranking_build(published=True)
    address = _address()

    downloads = [client.get(f"/api/v1/runs/{run.pk}/cities/?format=csv", REMOTE_ADDR=address).status_code,
                 client.get(f"/api/v1/runs/{run.pk}/accounts/", HTTP_ACCEPT="text/csv", REMOTE_ADDR=address).status_code]
    refused = client.get(f"/api/v1/runs/{run.pk}/accounts/?format=xlsx", REMOTE_ADDR=address)
    in_english = client.get("/api/v1/accounts/?format=csv", REMOTE_ADDR=address, **ENGLISH)

    assert downloads == [200, 200]
    _assert_refused(refused)
    assert 0 < int(refused["Retry-After"]) <= 120  # a sliding window: up to two periods
    assert in_english.status_code == 429 and in_english.json()["error"]["message"].startswith("Request was throttled.")
    assert client.get(f"/api/v1/runs/{run.pk}/cities/", REMOTE_ADDR=address).status_code == 200  # JSON is not a download
    assert client.get("/api/v1/cities/?format=csv", REMOTE_ADDR=_address()).status_code == 200  # per address


def test_a_signed_in_users_downloads_are_counted_per_user(client, settings):
    _rates(settings, export="1/minute")
    first, second = User.objects.create_user("first"), User.objects.create_user("second")

    client.force_login(first)
    statuses = [client.get("/api/v1/cities/?format=csv", REMOTE_ADDR=_address()).status_code for _ in range(2)]
    client.force_login(second)

    assert statuses == [200, 429]  # a new address does not help a signed-in user
    assert client.get("/api/v1/cities/?format=csv").status_code == 200


def test_the_pages_downloads_share_the_rate_and_answer_429_with_retry_after(client, settings):
    _rates(settings, export="2/minute")
    run = ranking_build(published=True)
    scheme_make_default(run.scheme)
    address = _address()

    statuses = [client.get(f"/rankings/{run.pk}/?format=csv&level=city", REMOTE_ADDR=address).status_code,
                client.get("/api/v1/ranking/?format=csv", REMOTE_ADDR=address).status_code]
    page = client.get(f"/rankings/{run.pk}/?format=xlsx&level=account", REMOTE_ADDR=address)
    home = client.get("/?export=csv", REMOTE_ADDR=address)
    table = client.get(f"/rankings/{run.pk}/?export=xlsx", REMOTE_ADDR=address)

    assert statuses == [200, 200]
    for refused in (page, home, table):
        assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 120  # a sliding window: up to two periods
        assert "下载次数过多" in refused.content.decode()
    assert client.get(f"/rankings/{run.pk}/", REMOTE_ADDR=address).status_code == 200  # the page itself is not a download


def test_the_award_rounds_download_shares_the_rate(client, settings):
    from tests.awards import pages_data

    _rates(settings, export="1/minute")
    award_round = pages_data.round_published()
    address = _address()

    first = client.get(f"/awards/{award_round.slug}/?format=csv", REMOTE_ADDR=address)
    second = client.get(f"/awards/{award_round.slug}/?format=xlsx", REMOTE_ADDR=address)

    assert first.status_code == 200 and first["Content-Disposition"].startswith("attachment")
    assert second.status_code == 429 and 0 < int(second["Retry-After"]) <= 120
    assert client.get(f"/awards/{award_round.slug}/", REMOTE_ADDR=address).status_code == 200


# --- bad tokens -----------------------------------------------------------------------------------------------
def test_a_bad_token_is_counted_as_an_anonymous_request_from_its_address(client, settings):
    _rates(settings, anon="3/minute")
    address = _address()
    bad = {"HTTP_AUTHORIZATION": "Token gw_guessed", "REMOTE_ADDR": address}

    statuses = [client.get("/api/v1/schemes/", **bad).status_code for _ in range(3)]
    refused = client.get("/api/v1/schemes/", **bad)
    malformed = client.get("/api/v1/schemes/", HTTP_AUTHORIZATION="Token a b", REMOTE_ADDR=address)
    anonymous = client.get("/api/v1/schemes/", REMOTE_ADDR=address)

    assert statuses == [401, 401, 401]
    _assert_refused(refused)
    _assert_refused(malformed)
    _assert_refused(anonymous)  # one counter per address, with or without a (bad) token
    assert client.get("/api/v1/schemes/", HTTP_AUTHORIZATION="Token gw_guessed",
                      REMOTE_ADDR=_address()).status_code == 401


# --- exact under concurrency --------------------------------------------------------------------------------
LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle-test"}}


def _parallel_allowed(*, clients: int, attempts: int, throttle_class: type, request) -> int:
    """How many of clients × attempts calls, made from `clients` threads at once, the throttle allows."""
    middle_of_a_day = (time.time() // 86400) * 86400 + 43200  # no window edge during the test
    allowed = []
    start = threading.Barrier(clients)

    def client() -> None:
        throttle_ok = 0
        start.wait()
        for _ in range(attempts):
            throttle = throttle_class()
            throttle.timer = lambda: middle_of_a_day
            throttle_ok += throttle.allow_request(request, None)
        allowed.append(throttle_ok)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(allowed)


def _anonymous_request():
    request = RequestFactory().get("/api/v1/schemes/", REMOTE_ADDR=_address())
    request.user = AnonymousUser()
    return request


def test_sixteen_parallel_clients_pass_exactly_the_anonymous_limit_on_the_local_memory_cache(settings):
    settings.CACHES = LOCAL_MEMORY
    _rates(settings, anon="120/day")

    assert _parallel_allowed(clients=16, attempts=15, throttle_class=AnonRateThrottle,
                             request=_anonymous_request()) == 120


@pytest.mark.redis
def test_sixteen_parallel_clients_pass_exactly_the_anonymous_limit_on_redis(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": os.environ["REDIS_URL"]}}
    _rates(settings, anon="120/day", user="50/day")
    user_request = RequestFactory().get("/api/v1/schemes/")
    user_request.user = User.objects.create_user(f"busy{random.randrange(10**9)}")

    assert _parallel_allowed(clients=16, attempts=15, throttle_class=AnonRateThrottle,
                             request=_anonymous_request()) == 120
    assert _parallel_allowed(clients=16, attempts=5, throttle_class=UserRateThrottle, request=user_request) == 50


def test_the_window_slides_and_retry_after_says_when_the_next_request_fits(settings):
    settings.CACHES = LOCAL_MEMORY
    _rates(settings, anon="4/minute")
    request = _anonymous_request()
    start = (time.time() // 60) * 60 + 30  # half-way through a window

    def ask(at: float) -> tuple[bool, float]:
        throttle = AnonRateThrottle()
        throttle.timer = lambda: at
        return throttle.allow_request(request, None), throttle.wait()

    assert [ask(start)[0] for _ in range(4)] == [True] * 4
    assert ask(start) == (False, pytest.approx(30 + 15))  # next window, once 4 × 3/4 + 1 ≤ 4
    assert ask(start + 31)[0] is False  # the previous window still weighs 4 × 59/60
    assert ask(start + 45)[0] is True   # 4 × 1/4 + 1 ≤ 4
