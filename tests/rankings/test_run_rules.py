"""The two owner modules of runs: rankings.selectors.visibility (published ⇒ public and cacheable; a draft
is seen only by those who may see drafts; the one cache key, ETag and Last-Modified) and
rankings.selectors.resolution (?scheme=&period= ⇒ the run to show, one fallback, one notice per case)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation
from django.views.decorators.http import condition

from rankings.models import ScoreRun, ScoringScheme
from rankings.selectors.resolution import run_resolve
from rankings.selectors.visibility import (
    run_cache_key,
    run_etag,
    run_is_cacheable,
    run_is_public,
    run_last_modified,
    run_stamp,
    run_visible_to,
)
from tests.rankings.factories import ScoreRunFactory, ScoringSchemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _no_default() -> None:
    """No scheme marked default, and no built-in shifan-2012 to stand in."""
    ScoringScheme.objects.update(is_default=False)
    ScoringScheme.objects.filter(slug="shifan-2012").update(builtin=False)

APRIL = {"period_start": date(2012, 4, 1), "period_end": date(2012, 4, 30)}


def _published(**fields: object) -> ScoreRun:
    return ScoreRunFactory(published=True, finished_at=timezone.now(), **fields)


# --- visibility ----------------------------------------------------------------------------------------
def test_a_published_finished_run_is_public_and_cacheable_and_a_draft_is_neither() -> None:
    published, draft = _published(), ScoreRunFactory(finished_at=timezone.now(), **APRIL)
    assert run_is_public(published) and run_is_cacheable(published)
    assert not run_is_public(draft) and not run_is_cacheable(draft)
    assert not run_is_public(None) and not run_is_cacheable(None)


def test_a_published_run_still_running_is_public_but_not_cacheable() -> None:
    run = ScoreRunFactory(published=True, status=ScoreRun.Status.RUNNING, stage=ScoreRun.Stage.SCORING)
    assert run_is_public(run) and not run_is_cacheable(run)


def test_a_draft_is_visible_to_runners_and_staff_only() -> None:
    draft = ScoreRunFactory()
    runner = User.objects.create_user("runner")
    runner.user_permissions.add(*Permission.objects.filter(codename="run_scores"))
    runner = User.objects.get(pk=runner.pk)
    assert run_visible_to(runner, draft)
    assert run_visible_to(User.objects.create_user("staff", is_staff=True), draft)
    assert not run_visible_to(User.objects.create_user("reader"), draft)
    assert not run_visible_to(AnonymousUser(), draft)
    assert run_visible_to(AnonymousUser(), _published(**APRIL))


def test_a_runs_cache_key_changes_when_it_is_republished_or_rerun() -> None:
    run = _published()
    key = run_cache_key("frame", "ranking", run=run)
    assert key == run_cache_key("frame", "ranking", run=run)
    assert key != run_cache_key("frame", "indicators", run=run)
    run.published_at += timedelta(seconds=1)
    republished = run_cache_key("frame", "ranking", run=run)
    run.finished_at += timedelta(seconds=1)
    assert len({key, republished, run_cache_key("frame", "ranking", run=run)}) == 3


def test_the_published_sets_cache_key_changes_when_a_run_is_published() -> None:
    _published()
    before = run_cache_key("page-body", "/")
    assert before == run_cache_key("page-body", "/")
    _published(**APRIL)
    assert run_cache_key("page-body", "/") != before


def test_a_public_run_has_a_weak_etag_and_its_publication_as_last_modified_and_a_draft_neither() -> None:
    run, draft = _published(), ScoreRunFactory(**APRIL)
    etag = run_etag(run, "/api/v1/ranking/", "json", "zh-hans")
    assert etag.startswith('W/"') and len(etag) == 36
    assert etag == run_etag(run_stamp(run), "/api/v1/ranking/", "json", "zh-hans")
    assert etag != run_etag(run, "/api/v1/ranking/", "csv", "zh-hans")
    assert run_last_modified(run) == run.published_at
    assert run_etag(draft, "x") is None and run_last_modified(draft) is None


def test_the_validators_answer_a_conditional_get_with_djangos_condition() -> None:
    run = _published()
    view = condition(etag_func=lambda request: run_etag(run, "page"),
                     last_modified_func=lambda request: run_last_modified(run))(lambda request: HttpResponse("ok"))
    first = view(RequestFactory().get("/"))
    assert first.status_code == 200 and first["ETag"] == run_etag(run, "page")
    again = view(RequestFactory().get("/", HTTP_IF_NONE_MATCH=first["ETag"]))
    assert again.status_code == 304


# --- resolution ----------------------------------------------------------------------------------------
@pytest.fixture
def scheme():
    ScoringScheme.objects.update(is_default=False)
    scheme = ScoringSchemeFactory(slug="main", name="主方案", is_default=True)
    _published(scheme=scheme)
    _published(scheme=scheme, **APRIL)
    return scheme


def test_no_parameters_show_the_default_schemes_latest_published_period(scheme) -> None:
    choice = run_resolve(params={}, user=AnonymousUser())
    assert choice.scheme == scheme and choice.run.period_label == "2012-04" and choice.period is None
    assert choice.notices == [] and choice.missing_message is None and choice.invalid == {}
    assert choice.period_labels == ["2012-04", "2012-03"] and choice.query == "scheme=main&period=2012-04"


def test_a_period_in_any_spelling_chooses_its_run(scheme) -> None:
    choice = run_resolve(params={"period": " 2012年3月 "}, user=None)
    assert choice.run.period_label == "2012-03" and choice.period.label == "2012-03" and choice.notices == []


def test_an_unknown_scheme_falls_back_to_the_default_with_one_notice(scheme) -> None:
    choice = run_resolve(params={"scheme": "nope"}, user=None)
    assert choice.scheme == scheme and choice.run.period_label == "2012-04"
    assert choice.notices == ["There is no scoring scheme “nope”: showing “主方案” instead."]
    assert choice.invalid == {"scheme": "There is no scoring scheme “nope”."}


def test_a_text_that_is_no_period_falls_back_to_the_latest_with_one_notice(scheme) -> None:
    choice = run_resolve(params={"period": "x" * 80}, user=None)
    assert choice.run.period_label == "2012-04" and "period" in choice.invalid
    assert choice.notices == [f"“{'x' * 50}…” is not a period (e.g. 2012-03, 2012-Q1 or 2012): showing the "
                              "latest published period, 2012-04, instead."]


def test_a_period_without_a_published_run_falls_back_to_the_latest_with_one_notice(scheme) -> None:
    choice = run_resolve(params={"period": "2012-05"}, user=None)
    assert choice.run.period_label == "2012-04" and choice.invalid == {}
    assert choice.notices == ["“主方案” has no published ranking for 2012-05: showing the latest published "
                              "period, 2012-04, instead."]


def test_without_fallback_a_bad_parameter_is_invalid_and_an_unpublished_period_is_missing(scheme) -> None:
    assert run_resolve(params={"scheme": "nope"}, user=None, fallback=False).run is None
    assert run_resolve(params={"period": "later"}, user=None, fallback=False).invalid.keys() == {"period"}
    missing = run_resolve(params={"period": "2012-05"}, user=None, fallback=False)
    assert missing.run is None and missing.missing_message == "Scheme “main” has no published ranking for 2012-05."
    assert run_resolve(params={"period": "2012-03"}, user=None, fallback=False).run.period_label == "2012-03"


def test_without_fallback_an_unknown_scheme_and_a_bad_period_are_both_invalid(scheme) -> None:
    choice = run_resolve(params={"scheme": "nope", "period": "later"}, user=None, fallback=False)

    assert choice.run is None and choice.invalid.keys() == {"scheme", "period"}
    assert "“later”" in choice.invalid["period"]


def test_a_scheme_without_published_runs_says_so_and_no_default_scheme_says_so() -> None:
    ScoringScheme.objects.update(is_default=False)
    ScoringSchemeFactory(slug="empty", is_default=True)
    choice = run_resolve(params={"period": "2012-03"}, user=None)
    assert choice.run is None and choice.notices == []
    assert choice.missing_message == "Scheme “empty” has no published ranking yet."


def test_an_unknown_scheme_with_no_default_scheme_shows_nothing_and_says_which() -> None:
    _no_default()
    choice = run_resolve(params={"scheme": "nope"}, user=None)
    assert choice.run is None and choice.scheme is None
    assert choice.notices == ["There is no scoring scheme “nope”."] == [choice.missing_message]
