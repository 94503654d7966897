"""Holes a hostile tester found (issue #8): publishing through the admin, password guessing, request
rates, Basic auth, proxy headers, oversized bodies; and API errors in the request's language (#7)."""
from __future__ import annotations

import base64
import random

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory

from rankings.models import ScoreRun
from tests.rankings.factories import ScoreRunFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-right-password-9731"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
MIB = 1024 * 1024


def _perms(*codenames: str) -> list[Permission]:
    return list(Permission.objects.filter(codename__in=codenames))


def _staff(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.user_permissions.add(*_perms(*codenames))
    return user


def _address() -> str:
    """An address of this test's own, so request counters left in a shared cache (Redis) never meet it."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def _admin_publish(client, run: ScoreRun):
    return client.post("/admin/rankings/scorerun/", {"action": "publish", "_selected_action": [run.pk]})


# --- one rule for publishing: page, API and admin ----------------------------------------------------------
def test_a_staff_user_who_may_change_runs_but_not_start_them_cannot_publish_anywhere(client):
    client.force_login(_staff("editor", "view_scorerun", "change_scorerun"))
    run = ScoreRunFactory()

    changelist = client.get("/admin/rankings/scorerun/").content.decode()
    admin = _admin_publish(client, run)
    page = client.post(f"/rankings/{run.pk}/publish/")
    api = client.post(f"/api/v1/runs/{run.pk}/publish/")

    assert 'value="publish"' not in changelist  # the action is not offered
    assert admin.status_code in {200, 302}
    assert page.status_code == 403 and api.status_code == 403
    run.refresh_from_db()
    assert not run.is_published


def test_a_staff_user_who_may_start_runs_publishes_through_the_admin(client):
    client.force_login(_staff("publisher", "view_scorerun", "run_scores"))
    run = ScoreRunFactory()

    assert 'value="publish"' in client.get("/admin/rankings/scorerun/").content.decode()
    _admin_publish(client, run)

    run.refresh_from_db()
    assert run.is_published


# --- login lockout -------------------------------------------------------------------------------------
def _login(client, username: str, password: str, *, url: str = "/login/", address: str = "10.0.0.1", **extra):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def test_five_wrong_passwords_lock_the_username_from_that_address_with_a_chinese_page(client):
    User.objects.create_user("analyst", password=PASSWORD)

    guesses = [_login(client, "analyst", f"guess-{n}").status_code for n in range(5)]
    locked = _login(client, "analyst", PASSWORD)
    elsewhere = _login(client, "analyst", PASSWORD, address="10.0.0.2")

    assert guesses == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已锁定" in page and "连续 5 次" in page and "1\xa0小时" in page
    assert elsewhere.status_code == 302  # by username and address: a guesser cannot lock a colleague out


def test_the_lockout_page_is_english_for_english_users_and_says_when_only_an_admin_can_unlock(client, settings):
    settings.AXES_COOLOFF_TIME = None
    User.objects.create_user("analyst", password=PASSWORD)
    client.cookies["django_language"] = "en"

    for n in range(5):
        response = _login(client, "analyst", f"guess-{n}")

    page = response.content.decode()
    assert response.status_code == 429
    assert "Login locked" in page and "5 times in a row" in page and "Ask an administrator to unlock it." in page


def test_the_admin_login_locks_out_too(client):
    _staff("boss")

    statuses = [_login(client, "boss", f"guess-{n}", url="/admin/login/").status_code for n in range(5)]

    assert statuses[-1] == 429
    assert _login(client, "boss", PASSWORD, url="/admin/login/").status_code == 429


def test_an_admin_unlocks_a_locked_user_with_the_axes_reset_username_command(client):
    User.objects.create_user("analyst", password=PASSWORD)
    for n in range(5):
        _login(client, "analyst", f"guess-{n}")
    assert AccessAttempt.objects.filter(username="analyst").exists()

    call_command("axes_reset_username", "analyst", verbosity=0)

    assert _login(client, "analyst", PASSWORD).status_code == 302


def test_an_admin_sees_and_deletes_the_access_attempts_in_the_admin(client, admin_client):
    User.objects.create_user("analyst", password=PASSWORD)
    for n in range(5):
        _login(client, "analyst", f"guess-{n}")
    attempt = AccessAttempt.objects.get(username="analyst")

    listed = admin_client.get("/admin/axes/accessattempt/")
    admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert "analyst" in listed.content.decode()
    assert _login(client, "analyst", PASSWORD).status_code == 302


def test_a_nul_byte_in_a_login_name_is_refused_with_400_not_a_server_error(client):
    response = _login(client, "a\x00b", "pw")

    assert response.status_code == 400  # govweibo.middleware.RefuseNulMiddleware, before the login form
    assert "NUL" in response.content.decode()
    assert not AccessAttempt.objects.exists()


# --- the API: session only, request rates ---------------------------------------------------------------
def _basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_the_api_ignores_http_basic_credentials(client, runner):
    runner.set_password(PASSWORD)
    runner.save()
    body = {"scheme": "shifan-2012", "period": "2012-03"}

    response = client.post("/api/v1/runs/", body, content_type="application/json", **_basic("runner", PASSWORD))

    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"  # a token, not a password
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not ScoreRun.objects.exists()


def test_a_nul_byte_in_a_basic_auth_username_is_not_a_server_error(client):
    response = client.get("/api/v1/runs/", **_basic("a\x00b", "pw"))

    assert response.status_code == 200


def _rates(settings, **rates: str) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, **rates}}


def test_anonymous_api_clients_over_the_rate_get_429_with_retry_after(client, settings):
    _rates(settings, anon="3/minute")
    address = _address()

    statuses = [client.get("/api/v1/schemes/", REMOTE_ADDR=address).status_code for _ in range(3)]
    refused = client.get("/api/v1/schemes/", REMOTE_ADDR=address)
    in_english = client.get("/api/v1/schemes/", REMOTE_ADDR=address, **ENGLISH)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 120  # a sliding window: up to two periods
    error = refused.json()["error"]
    assert error["code"] == "throttled" and error["details"]["retry_after"] == int(refused["Retry-After"])
    assert "限流" in error["message"]
    assert in_english.json()["error"]["message"].startswith("Request was throttled.")
    assert client.get("/api/v1/schemes/", REMOTE_ADDR=_address()).status_code == 200  # per address


def test_a_forged_x_forwarded_for_does_not_escape_the_rate_without_a_proxy(client, settings):
    _rates(settings, anon="2/minute")
    address = _address()

    statuses = [client.get("/api/v1/schemes/", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=_address()).status_code
                for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_signed_in_api_clients_are_counted_per_user(client, settings, runner):
    _rates(settings, user="2/minute")
    other = User.objects.create_user("other")
    for user in (runner, other):
        cache.delete(f"throttle_user_{user.pk}")  # a previous run's counter in a shared Redis

    client.force_login(runner)
    statuses = [client.get("/api/v1/schemes/").status_code for _ in range(3)]
    client.force_login(other)

    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/schemes/").status_code == 200


# --- proxy headers and body size -------------------------------------------------------------------------
def test_the_client_address_comes_from_x_forwarded_for_only_behind_a_proxy(settings):
    from govweibo.middleware import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.1.1.1")

    settings.BEHIND_PROXY = False
    direct = client_ip(request)
    settings.BEHIND_PROXY = True

    assert direct == "10.9.9.9"
    assert client_ip(request) == "10.1.1.1"  # the proxy's entry, not the one the client wrote


def _multipart(size: int) -> tuple[bytes, str]:
    boundary = "govweibo-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_body_over_the_limit_is_refused_with_413_before_anything_reads_it(client):
    body, content_type = _multipart(6 * MIB)

    real = client.generic("POST", "/login/", body, content_type=content_type)
    # Declares 150 MiB but sends 6: Django's test payload fails loudly if anything reads past what was sent.
    declared = client.generic("POST", "/login/", body, content_type=content_type, CONTENT_LENGTH=str(150 * MIB))

    assert real.status_code == declared.status_code == 413
    assert "请求过大" in real.content.decode()


def test_only_a_signed_in_users_import_upload_may_be_larger(client, settings):
    settings.GOVWEIBO_MAX_UPLOAD_BYTES = 10 * MIB
    body, content_type = _multipart(6 * MIB)

    anonymous = client.generic("POST", "/accounts/import/", body, content_type=content_type)
    client.force_login(User.objects.create_user("analyst"))
    signed_in = client.generic("POST", "/accounts/import/", body, content_type=content_type)

    assert anonymous.status_code == 413
    assert signed_in.status_code != 413  # the upload page answers (here: no import permission, 403)
