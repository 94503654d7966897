"""API tokens: stored hashed, shown once, act as their owner, revoked by owner or admin, over the API,
the admin and the command."""
from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from api.models import ApiToken
from api.services import token_create
from rankings.models import ScoreRun
from tests.rankings.factories import ScoreRunFactory

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _auth(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_a_signed_in_user_creates_a_token_shown_once_and_stored_only_as_a_hash(client, analyst):
    client.force_login(analyst)

    created = client.post("/api/v1/tokens/", {"name": "nightly export"}, content_type="application/json")

    assert created.status_code == 201, created.content
    key = created.json()["token"]
    assert key.startswith("gw_") and len(key) == 46
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values().get())  # the token itself is nowhere in the row
    assert (token.prefix, token.user, token.name) == (key[:10], analyst, "nightly export")
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert listed == [{**{k: v for k, v in created.json().items() if k != "token"}}]


def test_a_token_acts_as_its_owner_with_the_owners_permissions_only(client, analyst, staff):
    _token, analyst_key = token_create(user=analyst, name="runs")
    _token, staff_key = token_create(user=staff, name="reads")
    draft = ScoreRunFactory()  # succeeded, not published
    body = {"scheme": "shifan-2012", "period": "2012-03"}

    assert client.get(f"/api/v1/runs/{draft.pk}/").status_code == 404  # anonymous: drafts hidden
    assert client.get(f"/api/v1/runs/{draft.pk}/", **_auth(staff_key)).status_code == 200  # staff sees drafts
    refused = client.post(f"/api/v1/runs/{draft.pk}/publish/", **_auth(staff_key))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
    published = client.post(f"/api/v1/runs/{draft.pk}/publish/", **_auth(analyst_key))
    assert published.status_code == 200 and published.json()["is_published"] is True
    no_data = client.post("/api/v1/runs/", body, content_type="application/json", **_auth(analyst_key))
    assert no_data.status_code == 400  # allowed, but there are no snapshots for 2012-03 here
    assert ScoreRun.objects.count() == 1


def test_a_revoked_token_or_an_inactive_owner_is_refused_with_401(client, analyst):
    token, key = token_create(user=analyst, name="old")
    assert client.get("/api/v1/tokens/", **_auth(key)).status_code == 200

    revoked = client.delete(f"/api/v1/tokens/{token.pk}/", **_auth(key))
    after = client.get("/api/v1/tokens/", **_auth(key), **ENGLISH)

    assert revoked.status_code == 204
    assert after.status_code == 401 and after["WWW-Authenticate"] == "Token"
    assert after.json()["error"] == {"code": "authentication_failed", "message": "Invalid or revoked token.",
                                     "details": {}}
    _other, active_key = token_create(user=analyst, name="new")
    User.objects.filter(pk=analyst.pk).update(is_active=False)
    assert client.get("/api/v1/cities/", **_auth(active_key)).status_code == 401
    assert client.get("/api/v1/cities/", HTTP_AUTHORIZATION="Token gw_made-up").status_code == 401
    assert client.get("/api/v1/cities/", HTTP_AUTHORIZATION="Token a b").status_code == 401


def test_users_see_and_revoke_only_their_own_tokens_and_admins_everyones(client, analyst, staff, admin_user_):
    mine, mine_key = token_create(user=analyst, name="mine")
    theirs, theirs_key = token_create(user=staff, name="theirs")

    assert [row["name"] for row in client.get("/api/v1/tokens/", **_auth(mine_key)).json()["results"]] == ["mine"]
    assert client.delete(f"/api/v1/tokens/{theirs.pk}/", **_auth(mine_key)).status_code == 404
    client.force_login(admin_user_)
    assert {row["name"] for row in client.get("/api/v1/tokens/").json()["results"]} == {"mine", "theirs"}
    assert client.delete(f"/api/v1/tokens/{theirs.pk}/").status_code == 204
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None and mine.revoked_at is None


def test_a_token_cannot_create_tokens_and_anonymous_clients_cannot_either(client, analyst):
    _token, key = token_create(user=analyst, name="script")

    by_token = client.post("/api/v1/tokens/", {"name": "more"}, content_type="application/json", **_auth(key))
    anonymous = client.post("/api/v1/tokens/", {"name": "more"}, content_type="application/json")
    client.force_login(analyst)
    unnamed = client.post("/api/v1/tokens/", {"name": "  "}, content_type="application/json", **ENGLISH)

    assert by_token.status_code == 403 and anonymous.status_code == 401
    assert unnamed.status_code == 400 and list(unnamed.json()["error"]["details"]) == ["name"]
    assert ApiToken.objects.count() == 1


def test_the_command_creates_lists_and_revokes_tokens(client, analyst):
    out, err = StringIO(), StringIO()
    call_command("api_token", "--lang", "en", "create", "analyst", "--name", "cron", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get()

    listing = StringIO()
    call_command("api_token", "list", stdout=listing)
    assert client.get("/api/v1/tokens/", **_auth(key)).status_code == 200
    assert "not shown again" in err.getvalue()
    assert listing.getvalue().startswith(f"{token.pk}\t{key[:10]}…\tanalyst\tcron\t")
    assert key not in listing.getvalue()

    call_command("api_token", "--lang", "en", "revoke", str(token.pk), stdout=StringIO())
    assert client.get("/api/v1/tokens/", **_auth(key)).status_code == 401
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "--lang", "en", "create", "nobody")


def test_the_admin_creates_a_token_shown_once_and_revokes_it(client, admin_user_, analyst):
    client.force_login(admin_user_)

    response = client.post("/admin/api/apitoken/add/", {"user": analyst.pk, "name": "from the admin"}, follow=True)

    token = ApiToken.objects.get()
    shown = [str(message) for message in response.context["messages"]]
    key = next(word for message in shown for word in message.split() if word.startswith("gw_"))
    assert token.prefix == key[:10] and token.user == analyst
    assert client.get("/admin/api/apitoken/").status_code == 200
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    client.logout()
    assert client.get("/api/v1/tokens/", **_auth(key)).status_code == 401


def test_token_users_are_throttled_per_user_with_429_and_retry_after(client, analyst, settings):
    from django.core.cache import cache

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": "2/minute"}}
    cache.delete(f"throttle_user_{analyst.pk}")
    _token, key = token_create(user=analyst, name="busy")

    statuses = [client.get("/api/v1/cities/", **_auth(key)).status_code for _ in range(3)]
    refused = client.get("/api/v1/cities/?format=csv", **_auth(key))

    assert statuses == [200, 200, 429]
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 120  # a sliding window: up to two periods
    assert refused["Content-Type"] == "application/json"
    assert refused.json()["error"]["code"] == "throttled"


def test_the_token_list_needs_the_same_few_queries_however_many_tokens(client, admin_user_,
                                                                        django_assert_max_num_queries):
    for number in range(3):
        token_create(user=User.objects.create_user(f"owner{number}"), name="t")
    client.force_login(admin_user_)
    client.get("/api/v1/tokens/")
    for number in range(20):
        token_create(user=User.objects.create_user(f"more{number}"), name="t")
    with django_assert_max_num_queries(4):  # session, user, count, page (owners joined)
        assert client.get("/api/v1/tokens/").json()["count"] == 23
