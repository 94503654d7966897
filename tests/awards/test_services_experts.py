"""The experts' services: a reason for the audit log, removal confirmed by the number of scores, reopen
only while the round is open, all in one transaction (issue 18, item 2)."""
from __future__ import annotations

import pytest
from django.utils import timezone, translation

from awards import selectors, services
from awards.models import AwardRound, EntryPath, Expert, ExpertScore
from awards.services import ScoreCell
from tests.awards.factories import ROLE_PANEL_ADMIN, candidate_ids, expert_ids, round_build, user_with_role

pytestmark = pytest.mark.django_db


def _scored(award_round: AwardRound) -> AwardRound:
    c, e = candidate_ids(award_round), expert_ids(award_round)
    services.cells_save(user=None, award_round=award_round, expected_version=award_round.version, via="grid",
                        scores=[ScoreCell(c["武汉"], e["王专家"], "80"), ScoreCell(c["广州"], e["王专家"], "70")])
    award_round.refresh_from_db()
    return award_round


def test_field_problems_are_keyed_by_field() -> None:
    award_round = round_build()
    with translation.override("en"), pytest.raises(services.FieldErrors) as error:
        services.expert_create(user=None, award_round=award_round, name="王专家", province="", affiliation="x" * 129,
                               via=EntryPath.GRID)
    assert list(error.value.fields) == ["name", "province", "affiliation"]
    assert error.value.messages[0] == "This round has an expert named “王专家” already."


@pytest.mark.parametrize("reason", ["", "   ", "\u200b\u200c\ufeff", "\x00\t"])
def test_a_reason_without_visible_text_is_refused(reason: str) -> None:
    award_round = round_build()
    wang = award_round.experts.get(name="王专家")
    with translation.override("en"), pytest.raises(services.FieldErrors) as error:
        services.expert_delete(user=None, expert=wang, via=EntryPath.GRID, reason=reason)
    assert error.value.fields == {"reason": ["Reason: give one in words; it is recorded in the round's audit log."]}
    with pytest.raises(services.FieldErrors):
        services.expert_update(user=None, expert=wang, via=EntryPath.GRID, reason=reason, affiliation="北大")
    assert Expert.objects.filter(pk=wang.pk, affiliation="").exists()


def test_a_long_reason_is_refused_with_its_length_and_a_truncated_echo() -> None:
    award_round = round_build()
    with translation.override("en"), pytest.raises(services.FieldErrors) as error:
        services.expert_reopen(user=None, expert=award_round.experts.first(), via=EntryPath.GRID, reason="长" * 81)
    assert error.value.messages == ["Reason: at most 80 characters, not 81 (“" + "长" * 39 + "…”)."]


def test_every_change_is_in_the_audit_log_with_who_and_why() -> None:
    award_round = round_build()
    admin = user_with_role("panel", ROLE_PANEL_ADMIN)
    sun = services.expert_create(user=admin, award_round=award_round, name="孙专家", province="江苏",
                                 via=EntryPath.GRID, reason="补充专家")
    services.expert_update(user=admin, expert=sun, via=EntryPath.API, reason="单位更正", affiliation="南京大学")
    services.expert_delete(user=admin, expert=sun, via=EntryPath.GRID, reason="重复录入")
    with translation.override("en"):
        log = [entry for entry in selectors.round_audit_log(award_round=award_round) if entry.object_label == "孙专家"]
        shown = [(entry.action, entry.user, entry.via_label) for entry in log]
    assert shown == [
        ("deleted", admin, "grid page · 重复录入"), ("changed", admin, "API · 单位更正"),
        ("created", admin, "grid page · 补充专家")]
    assert log[1].changes == [("affiliation", "", "南京大学")]


def test_removing_an_expert_with_scores_needs_their_exact_number_and_changes_nothing_otherwise() -> None:
    award_round = _scored(round_build())
    wang = award_round.experts.get(name="王专家")
    for confirmed in (0, 1, 3):
        with translation.override("en"), pytest.raises(services.ScoresToDelete) as error:
            services.expert_delete(user=None, expert=wang, via=EntryPath.GRID, reason="退出", scores_confirmed=confirmed)
        assert error.value.count == 2
        assert str(error.value) == ("王专家 has 2 scores: removing the expert deletes them too. "
                                    "Confirm deleting 2 scores.")
    assert ExpertScore.objects.filter(expert=wang).count() == 2
    assert AwardRound.objects.get().version == award_round.version
    # One expert without scores goes with a reason alone.
    services.expert_delete(user=None, expert=award_round.experts.get(name="赵专家"), via=EntryPath.GRID, reason="x")
    assert not Expert.objects.filter(name="赵专家").exists()


def test_a_removal_that_fails_half_way_deletes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    award_round = _scored(round_build())
    wang = award_round.experts.get(name="王专家")

    def boom(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Expert, "delete", boom)
    with pytest.raises(RuntimeError):
        services.expert_delete(user=None, expert=wang, via=EntryPath.GRID, reason="退出", scores_confirmed=2)
    assert ExpertScore.objects.filter(expert=wang).count() == 2
    assert not ExpertScore.history.filter(history_type="-").exists()
    assert AwardRound.objects.get().version == award_round.version


def test_reopen_works_in_draft_and_voting_and_is_refused_after_closing_or_for_one_who_did_not_submit() -> None:
    award_round = round_build()
    wang = award_round.experts.get(name="王专家")
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.expert_reopen(user=None, expert=wang, via=EntryPath.GRID, reason="x")
    assert str(error.value) == "王专家 has not submitted their scores: there is nothing to reopen."
    Expert.objects.filter(pk=wang.pk).update(submitted_at=timezone.now())  # as if submitted, for the rule's sake
    assert services.expert_reopen(user=None, expert=wang, via=EntryPath.GRID, reason="草稿").submitted_at is None
    award_round = round_build(slug="closed", quorum=1, experts=[("王专家", "北京")])
    services.round_open_voting(user=None, award_round=award_round, via=EntryPath.COMMAND)
    wang = award_round.experts.get()
    services.expert_scores_save(user=None, expert=wang, scores=[ScoreCell(c, wang.pk, "70")
                                                                for c in candidate_ids(award_round).values()])
    services.expert_submit(user=None, expert=wang)
    services.round_close(user=None, award_round=award_round, via=EntryPath.COMMAND)
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.expert_reopen(user=None, expert=wang, via=EntryPath.GRID, reason="x")
    assert str(error.value) == ("Round closed is closed: an expert can be reopened only while the round is a draft "
                                "or voting.")
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.expert_update(user=None, expert=wang, via=EntryPath.GRID, reason="x", affiliation="y")
    assert "can no longer change" in str(error.value)


def test_only_panel_admins_manage_experts() -> None:
    award_round = round_build()
    someone = user_with_role("someone")
    wang = award_round.experts.get(name="王专家")
    for call in (lambda: services.expert_create(user=someone, award_round=award_round, name="x", province="北京",
                                                via="grid"),
                 lambda: services.expert_update(user=someone, expert=wang, via="grid", reason="x", name="y"),
                 lambda: services.expert_delete(user=someone, expert=wang, via="grid", reason="x"),
                 lambda: services.expert_reopen(user=someone, expert=wang, via="grid", reason="x")):
        with pytest.raises(services.AwardPermissionDenied):
            call()
