"""Drafts are not public: a run that is not published (pending, running, failed, or succeeded but not
published) and its failure reason are shown only to signed-in users with “Can start score runs” and
to staff. Everyone else, anonymous or signed in without the permission, sees published runs only: a
draft is a 404 for them (the same answer as a run that does not exist, so draft ids do not leak), and
the run lists, on the page and in the API, leave drafts out. Every path that reads a run by id or
lists runs is checked here for the four kinds of visitor."""
from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from rankings.models import ScoreRun
from rankings.selectors.visibility import run_visible_to as user_can_see_run
from rankings.selectors.visibility import runs_visible_to
from tests.rankings.factories import ScoreRunFactory, ranking_build

pytestmark = pytest.mark.django_db

APRIL = {"period_start": date(2012, 4, 1), "period_end": date(2012, 4, 30)}
ERROR = "No snapshot lies inside 2012-04 (secret failure reason)."
MAY, JUNE = {"period_start": date(2012, 5, 1), "period_end": date(2012, 5, 31)}, {
    "period_start": date(2012, 6, 1), "period_end": date(2012, 6, 30)}

# The readers of a run by id: the page, its downloads, and the API's run, cities and accounts.
BY_ID = {
    "page": lambda run: (reverse("rankings:run_detail", args=[run]), {}),
    "csv": lambda run: (reverse("rankings:run_detail", args=[run]), {"format": "csv"}),
    "xlsx": lambda run: (reverse("rankings:run_detail", args=[run]), {"format": "xlsx", "level": "account"}),
    "api run": lambda run: (f"/api/v1/runs/{run}/", {}),
    "api cities": lambda run: (f"/api/v1/runs/{run}/cities/", {}),
    "api accounts": lambda run: (f"/api/v1/runs/{run}/accounts/", {}),
}


@pytest.fixture
def runs() -> dict[str, ScoreRun]:
    """A published run with results, a succeeded draft with results, and a pending, a running and a
    failed run (each of its own period, so only the first is published)."""
    return {
        "published": ranking_build(published=True),
        "draft": ranking_build(**APRIL),
        "pending": ScoreRunFactory(status=ScoreRun.Status.PENDING, stage=ScoreRun.Stage.QUEUED, **MAY),
        "running": ScoreRunFactory(status=ScoreRun.Status.RUNNING, stage=ScoreRun.Stage.SCORING, **JUNE),
        "failed": ScoreRunFactory(status=ScoreRun.Status.FAILED, error=ERROR, **APRIL),
    }


def _sign_in(client, who: str, runner: User) -> None:
    if who == "reader":
        client.force_login(User.objects.create_user("reader"))
    elif who == "staff":  # staff status without the permission still sees drafts
        client.force_login(User.objects.create_user("staff", is_staff=True))
    elif who == "runner":
        client.force_login(runner)


# --- by id ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("reader", BY_ID)
@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_a_succeeded_but_unpublished_run_is_a_404_for_those_who_may_not_see_drafts(
    client, runner, runs, who, reader
):
    _sign_in(client, who, runner)

    draft = client.get(*BY_ID[reader](runs["draft"].pk))
    missing = client.get(*BY_ID[reader](999999))
    published = client.get(*BY_ID[reader](runs["published"].pk))

    assert draft.status_code == missing.status_code == 404  # not 403: the same as a missing run
    assert published.status_code == 200


@pytest.mark.parametrize("kind", ["pending", "running", "failed"])
@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_pending_running_and_failed_runs_are_a_404_and_their_errors_stay_hidden(client, runner, runs, who, kind):
    _sign_in(client, who, runner)

    responses = [client.get(*BY_ID[reader](runs[kind].pk)) for reader in BY_ID]

    assert [response.status_code for response in responses] == [404] * len(BY_ID)
    assert not any(ERROR in response.content.decode() for response in responses)


@pytest.mark.parametrize("who", ["runner", "staff"])
def test_users_allowed_to_see_drafts_read_every_run_and_its_failure_reason(client, runner, runs, who):
    _sign_in(client, who, runner)

    for kind in ("published", "draft", "pending", "running", "failed"):
        assert client.get(*BY_ID["page"](runs[kind].pk)).status_code == 200, kind
        assert client.get(*BY_ID["api run"](runs[kind].pk)).status_code == 200, kind
    for reader in ("csv", "xlsx", "api cities", "api accounts"):
        assert client.get(*BY_ID[reader](runs["draft"].pk)).status_code == 200, reader
    assert ERROR in client.get(*BY_ID["page"](runs["failed"].pk)).content.decode()
    assert client.get(*BY_ID["api run"](runs["failed"].pk)).json()["error"] == ERROR


def test_a_run_replaced_by_a_newer_published_run_of_its_period_is_a_draft_again(client, runs):
    replaced = runs["published"]
    replaced.is_published = False  # what publishing another run of March does (published_at stays)
    replaced.save(update_fields=["is_published"])

    assert client.get(*BY_ID["page"](replaced.pk)).status_code == 404
    assert client.get(*BY_ID["api run"](replaced.pk)).status_code == 404


# --- lists ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_the_run_lists_show_only_published_runs_to_those_who_may_not_see_drafts(client, runner, runs, who):
    _sign_in(client, who, runner)

    page = client.get(reverse("rankings:run_list"))
    api = client.get("/api/v1/runs/")
    failed_filter = client.get("/api/v1/runs/", {"status": "failed"})

    assert [run.pk for run in page.context["runs"]] == [runs["published"].pk]
    assert [item["id"] for item in api.json()["results"]] == [runs["published"].pk]
    assert failed_filter.json()["results"] == []
    assert ERROR not in page.content.decode() + api.content.decode()


@pytest.mark.parametrize("who", ["runner", "staff"])
def test_the_run_lists_show_every_run_to_those_who_may_see_drafts(client, runner, runs, who):
    _sign_in(client, who, runner)

    page = client.get(reverse("rankings:run_list"))
    api = client.get("/api/v1/runs/")

    every = {run.pk for run in runs.values()}
    assert {run.pk for run in page.context["runs"]} == every
    assert {item["id"] for item in api.json()["results"]} == every
    assert [item["error"] for item in api.json()["results"] if item["id"] == runs["failed"].pk] == [ERROR]


# --- the rule itself ---------------------------------------------------------------------------------------
def test_the_rule_lets_an_inactive_runner_see_published_runs_only(runner, runs):
    runner.is_active = False

    assert not user_can_see_run(runner, runs["draft"]) and user_can_see_run(runner, runs["published"])
    assert list(runs_visible_to(runner, ScoreRun.objects.all())) == [runs["published"]]
