"""The OpenAPI schema tells the truth: schemathesis calls every endpoint and method of a live test server
over HTTP (middleware, URL patterns, the API) with generated parameters, anonymously and with a staff
token, and checks each response's status code, content type and body against the schema: no 5xx, nothing
undocumented. With parameters the schema forbids (an empty or unknown enum value, a page size out of
bounds, a word for a number) every endpoint must refuse, with a documented 4xx, never ignore them.

The number of examples per operation is bounded so the whole file runs in about a minute (marked
`conformance`: `pytest -m "not conformance"` leaves it out of a quick run)."""
from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from rankings.models import ScoreRun
from tests.api.conftest import token_headers
from tests.factories import SnapshotFactory
from tests.rankings.factories import ScoreRunFactory, ranking_build

pytestmark = pytest.mark.conformance

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 10  # per operation and test: the whole file in about a minute on an idle machine
WRITE_EXAMPLES = 8
# The schema document itself is checked by the tests at the end; generating it 30 times costs 30 s.
SCHEMA_PATH = "/api/v1/schema/"


@pytest.fixture
def api_schema(transactional_db, live_server):
    """Demo-like data: a published ranking with cities and accounts, a draft, a failed run without a user;
    committed (transactional_db), so the live server's threads see it."""
    run = ranking_build(published=True)
    ScoreRunFactory(scheme=run.scheme, status=ScoreRun.Status.FAILED, error="boom", created_by=None)
    ScoreRunFactory(scheme=run.scheme, status=ScoreRun.Status.PENDING, created_by=None)
    SnapshotFactory(custom_metrics={"videos": 3})
    api = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    # Valid requests only: a path that does not match the URL patterns (/runs/2.5e-67/) never reaches
    # the API; Django answers it with the site's HTML 404 page.
    api.config.generation.update(modes=[GenerationMode.POSITIVE])
    return api


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.include(method="GET").exclude(path=SCHEMA_PATH).parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.slow
def test_every_get_endpoint_answers_as_its_schema_says(case):
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def api_schema_negative(api_schema):
    api_schema.config.generation.update(modes=[GenerationMode.NEGATIVE])
    # A refusal is any documented 4xx: a mangled path is a 404, a URL past API_MAX_URL_LENGTH a 414.
    api_schema.config.checks.negative_data_rejection.expected_statuses = ["400", "401", "403", "404", "406", "414"]
    return api_schema


negative_schema = schemathesis.pytest.from_fixture("api_schema_negative")


# The award rounds' GETs take only a slug, which any text may be: nothing to make invalid.
@negative_schema.include(method="GET").exclude(path=SCHEMA_PATH).exclude(path_regex="^/api/v1/awards/").parametrize()
@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.slow
def test_every_get_endpoint_refuses_parameters_its_schema_forbids(case):
    case.call_and_validate(checks=[not_a_server_error, negative_data_rejection])


@pytest.fixture
def staff_token(transactional_db):
    from django.contrib.auth.models import User

    return token_headers(User.objects.create_user("schema-staff", is_staff=True))["HTTP_AUTHORIZATION"]


@schema.include(method="GET").exclude(path=SCHEMA_PATH).parametrize()
@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.slow
def test_every_get_endpoint_answers_a_staff_token_as_its_schema_says(case, staff_token):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": staff_token})


# Writes with a staff token (staff may read drafts but neither run scores nor import: 403s, 400s, 404s).
@schema.include(method="POST").parametrize()
@settings(max_examples=WRITE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.slow
def test_every_write_answers_a_staff_token_as_its_schema_says(case, staff_token):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": staff_token})


# DELETE with a token of its own for each call: revoking the shared one would turn the rest anonymous.
@schema.include(method="DELETE").parametrize()
@settings(max_examples=WRITE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_delete_answers_as_its_schema_says(case, transactional_db):
    from django.contrib.auth.models import User

    user, _created = User.objects.get_or_create(username="schema-deleter")
    case.call_and_validate(checks=CHECKS, headers={"Authorization": token_headers(user)["HTTP_AUTHORIZATION"]})


def test_the_schema_endpoint_answers_as_documented(client, db):
    assert client.get(SCHEMA_PATH + "?format=json")["Content-Type"].startswith("application/")
    refused = client.get(SCHEMA_PATH + "?format=pdf")
    assert refused.status_code == 400 and list(refused.json()["error"]["details"]) == ["format"]


def test_the_schema_says_a_run_may_have_no_user_and_the_ranking_answers_city_or_account_pages(client, db):
    document = client.get("/api/v1/schema/?format=json").json()

    assert document["components"]["schemas"]["Run"]["properties"]["created_by"]["nullable"] is True
    ranking = document["paths"]["/api/v1/ranking/"]["get"]["responses"]
    assert ranking["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/RankingPage"}
    page = document["components"]["schemas"]["RankingPage"]
    assert page["discriminator"]["propertyName"] == "level"
    assert sorted(page["discriminator"]["mapping"]) == ["account", "city"]
    assert {"400", "403", "404"} <= set(ranking)


def test_the_main_endpoints_have_examples_and_the_docs_page_loads_nothing_from_the_internet(client, db):
    document = client.get("/api/v1/schema/?format=json").json()
    docs = client.get("/api/v1/docs/").content.decode()

    def examples(path: str, method: str = "get", status: str = "200") -> dict:
        return document["paths"][path][method]["responses"][status]["content"]["application/json"]["examples"]

    assert "TheLatestPublishedCityRanking" in examples("/api/v1/ranking/")
    assert examples("/api/v1/runs/{run_id}/cities/")
    assert examples("/api/v1/ranking/cities/{city_id}/")
    assert examples("/api/v1/imports/{id}/")
    assert examples("/api/v1/tokens/", "post", "201")
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    # Every script and style the page loads is served by the app itself. (Not a search for "cdn" in the
    # whole page: the page's random CSRF token once held those three letters and failed CI.)
    loaded = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]*)"', docs)
    assert loaded and all(url.startswith("/static/") for url in loaded), loaded
    assert "https://" not in docs and "http://" not in docs and "//cdn" not in docs.lower()
