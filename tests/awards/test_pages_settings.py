"""A draft round's settings on its page: panel admins change them, the service's checks answer in the
form, and once the voting opens they are fixed."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from awards import services
from awards.models import AwardRound, EntryPath
from tests.awards import pages_data
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db

GOOD = {"name": "2012年度政务微博示范奖（修订）", "shortlist_size": "8", "weight_ranking": "0.5",
        "weight_experts": "0.3", "weight_netizens": "0.2", "aggregation": "trimmed", "trim": "1", "quorum": "4",
        "disclose_experts": "on"}


def _client(people, role: str | None, *, english: bool = True) -> Client:
    client = Client()
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if role:
        client.force_login(people[role])
    return client


def test_a_panel_admin_changes_a_draft_rounds_settings_on_its_page(people):
    draft = pages_data.round_build()
    client = _client(people, "panel")
    assert 'id="settings-form"' in client.get(f"/awards/{draft.slug}/").content.decode()

    response = client.post(f"/awards/{draft.slug}/settings/", GOOD)

    assert response.status_code == 302 and response["Location"].endswith("#settings")
    draft.refresh_from_db()
    assert (draft.name, draft.shortlist_size, draft.aggregation, draft.trim, draft.quorum, draft.disclose_experts) == (
        "2012年度政务微博示范奖（修订）", 8, "trimmed", 1, 4, True)
    assert (draft.weight_ranking, draft.weight_experts, draft.weight_netizens) == (
        Decimal("0.5"), Decimal("0.3"), Decimal("0.2"))
    page = client.get(f"/awards/{draft.slug}/").content.decode()
    assert "Final score = 0.5 × R + 0.3 × E + 0.2 × N" in page
    assert draft.history.first().history_change_reason == EntryPath.GRID


def test_weights_that_do_not_sum_to_one_are_refused_with_the_sum_in_chinese_by_default(people):
    draft = pages_data.round_build()

    response = _client(people, "panel", english=False).post(
        f"/awards/{draft.slug}/settings/", {**GOOD, "weight_netizens": "0.3"})

    assert response.status_code == 400
    errors = response.content.decode()
    errors = errors[errors.index('id="settings-errors"'):]
    assert "权重之和须为 1；这些权重之和为 1.1。" in errors[:errors.index("</ul>")]
    draft.refresh_from_db()
    assert (draft.weight_ranking, draft.name) == (Decimal("0.6"), "2012年度政务微博示范奖")


def test_a_trimmed_mean_needs_a_quorum_of_at_least_two_k_plus_one(people):
    draft = pages_data.round_build()

    response = _client(people, "panel").post(f"/awards/{draft.slug}/settings/", {**GOOD, "trim": "2", "quorum": "4"})

    assert response.status_code == 400
    assert "raise the quorum to 5 or more" in response.content.decode()
    draft.refresh_from_db()
    assert draft.aggregation == AwardRound.Aggregation.MEAN


def test_settings_are_fixed_once_the_voting_opens(people):
    draft = pages_data.round_build()
    services.round_open_voting(user=None, award_round=draft, via=EntryPath.COMMAND)
    client = _client(people, "panel")
    assert 'id="settings-form"' not in client.get(f"/awards/{draft.slug}/").content.decode()

    response = client.post(f"/awards/{draft.slug}/settings/", GOOD)

    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.shortlist_size == 10 and draft.name == "2012年度政务微博示范奖"


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("nobody", 403), ("analyst", 403), ("expert", 403)])
def test_only_panel_admins_may_change_the_settings(people, role, status):
    draft = pages_data.round_build(expert_user=people["expert"])

    response = _client(people, role).post(f"/awards/{draft.slug}/settings/", GOOD)

    assert response.status_code == status
    if role is None:
        assert "/login/" in response["Location"]
    draft.refresh_from_db()
    assert draft.shortlist_size == 10
    assert 'id="settings-form"' not in _client(people, role).get(f"/awards/{draft.slug}/").content.decode()
