"""Publishing a run records who published it (ScoreRun.published_by), shown on the run page and in the
admin; publishing a run that did not succeed is a conflict (409, core.responses.error_status)."""
from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from core.responses import error_status
from rankings import services
from rankings.models import ScoreRun
from tests.rankings.factories import ScoreRunFactory, ranking_build

pytestmark = pytest.mark.django_db


def test_publishing_from_the_run_page_names_the_publisher_on_it(client, runner):
    run = ranking_build()
    client.force_login(runner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("rankings:run_publish", args=[run.pk]))
    run.refresh_from_db()
    assert run.is_published and run.published_by == runner
    html = client.get(reverse("rankings:run_detail", args=[run.pk])).content.decode()
    assert f'<dt>Published by</dt><dd id="published-by">{runner.get_username()}</dd>' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "<dt>发布人</dt>" in client.get(reverse("rankings:run_detail", args=[run.pk])).content.decode()


def test_a_run_published_by_the_system_names_no_publisher(client):
    run = services.score_run_publish(run=ranking_build())
    assert run.is_published and run.published_by is None
    assert 'id="published-by"' not in client.get(reverse("rankings:run_detail", args=[run.pk])).content.decode()


def test_a_run_published_when_done_is_published_by_who_started_it(runner):
    run = ScoreRunFactory(status=ScoreRun.Status.RUNNING, publish=True, created_by=runner)
    assert services.score_run_complete(run=run).published_by == runner


def test_a_replaced_run_keeps_its_publisher_but_is_no_longer_public(runner):
    first = services.score_run_publish(run=ranking_build(), by=runner)
    services.score_run_publish(run=ScoreRunFactory(scheme=first.scheme), by=None)
    first.refresh_from_db()
    assert not first.is_published and first.published_by == runner


def test_publishing_a_run_that_did_not_succeed_is_a_conflict(runner):
    failed = ScoreRunFactory(status=ScoreRun.Status.FAILED, period_start=date(2012, 4, 1),
                             period_end=date(2012, 4, 30))
    with pytest.raises(services.RunStateError) as caught:
        services.score_run_publish(run=failed, by=runner)
    assert isinstance(caught.value, services.ScoringError)
    assert error_status(caught.value) == (409, "conflict")
    failed.refresh_from_db()
    assert not failed.is_published and failed.published_by is None
