"""Experts (create/delete with history), citations until publication, and the read-only admin pages."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from awards import selectors, services
from awards.models import AwardRound, EntryPath, Expert, ExpertScore
from awards.services import ScoreCell
from tests.awards.factories import candidate_ids, expert_ids, round_build

pytestmark = pytest.mark.django_db


def test_expert_problems_are_listed_together() -> None:
    award_round = round_build()
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.expert_create(user=None, award_round=award_round, name="王专家", province="", via=EntryPath.GRID)
    assert error.value.messages == ["This round has an expert named “王专家” already.",
                                    "An expert needs a home province (for conflicts of interest, 回避)."]


def test_deleting_an_expert_deletes_their_scores_with_a_history_row_each_and_bumps_the_version() -> None:
    award_round = round_build()
    c, e = candidate_ids(award_round), expert_ids(award_round)
    services.cells_save(user=None, award_round=award_round, expected_version=award_round.version, via="grid",
                        scores=[ScoreCell(c["武汉"], e["王专家"], "80"), ScoreCell(c["广州"], e["王专家"], "70")])
    before = AwardRound.objects.get().version
    services.expert_delete(user=None, expert=Expert.objects.get(name="王专家"), via=EntryPath.GRID)
    assert not ExpertScore.objects.exists() and not Expert.objects.filter(name="王专家").exists()
    assert ExpertScore.history.filter(history_type="-").count() == 2
    assert AwardRound.objects.get().version == before + 1
    with translation.override("en"):
        log = selectors.round_audit_log(award_round=award_round)
    assert [entry.object_label for entry in log if entry.action == "deleted"].count("武汉 × 王专家") == 1
    assert any(entry.model == "expert" and entry.action == "deleted" and entry.object_label == "王专家" for entry in log)


def test_citations_are_saved_until_the_round_is_published() -> None:
    award_round = round_build()
    candidate = award_round.candidates.get(name="长沙")
    services.citation_save(user=None, candidate=candidate, text=" 长沙以微博问政，回应及时。 ", via=EntryPath.GRID)
    candidate.refresh_from_db()
    assert candidate.citation == "长沙以微博问政，回应及时。"
    assert candidate.history.first().history_change_reason == "grid"
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.citation_save(user=None, candidate=candidate, text="x" * 2001, via=EntryPath.GRID)
    assert str(error.value) == "A citation has at most 2000 characters."


def test_the_admin_shows_rounds_and_their_history_read_only(client) -> None:
    award_round = round_build()
    client.force_login(User.objects.create_superuser("root", password="pw"))
    assert client.get("/admin/awards/awardround/").status_code == 200
    page = client.get(f"/admin/awards/awardround/{award_round.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.get(f"/admin/awards/awardround/{award_round.pk}/history/").status_code == 200
    assert client.get("/admin/awards/expertscore/add/").status_code == 403
