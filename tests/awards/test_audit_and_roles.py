"""The audit trail (bulk saves included) and each role's permissions at the service level."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.utils import translation

from awards import permissions, selectors, services
from awards.models import AwardRound, EntryPath, ExpertScore, NetizenTally
from awards.services import ScoreCell, TallyCell
from awards.services.errors import AwardError
from tests.awards.factories import (
    ROLE_ANALYST,
    ROLE_EXPERT,
    ROLE_PANEL_ADMIN,
    candidate_ids,
    expert_ids,
    published_run,
    round_build,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def test_the_migration_creates_the_three_roles_with_their_permissions() -> None:
    perms = {group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
             for group in Group.objects.prefetch_related("permissions__content_type")}
    assert perms[ROLE_EXPERT] == {"awards.score_rounds"}
    assert "awards.manage_rounds" in perms[ROLE_PANEL_ADMIN]
    assert "awards.change_expertscore" in perms[ROLE_PANEL_ADMIN]
    assert "awards.view_expertscore" in perms[ROLE_ANALYST] and "rankings.view_cityscore" in perms[ROLE_ANALYST]
    assert not any(p.split(".")[1].startswith(("add_", "change_", "delete_")) for p in perms[ROLE_ANALYST])
    assert "awards.manage_rounds" not in perms[ROLE_ANALYST]


def test_a_bulk_grid_save_is_audited_cell_by_cell_with_user_old_and_new_values_and_entry_path() -> None:
    award_round = round_build()
    admin = user_with_role("panel", ROLE_PANEL_ADMIN)
    c, e = candidate_ids(award_round), expert_ids(award_round)
    first = services.cells_save(user=admin, award_round=award_round, expected_version=award_round.version,
                                scores=[ScoreCell(c["武汉"], e["王专家"], "85"), ScoreCell(c["广州"], e["王专家"], "70")],
                                tallies=[TallyCell(c["武汉"], "微博投票", "100")], via=EntryPath.GRID)
    services.cells_save(user=admin, award_round=award_round, expected_version=first.version,
                        scores=[ScoreCell(c["武汉"], e["王专家"], "88"), ScoreCell(c["广州"], e["王专家"], "")],
                        via=EntryPath.API)
    # Three history rows for the first save (bulk_create_with_history), two for the second.
    assert ExpertScore.history.count() == 4 and NetizenTally.history.count() == 1
    with translation.override("en"):
        log = selectors.round_audit_log(award_round=award_round)
    cells = [(entry.object_label, entry.action, entry.changes, entry.via, entry.user) for entry in log
             if entry.model in ("expert score", "netizen tally")]
    assert ("武汉 × 王专家", "changed", [("score", Decimal("85.00"), Decimal("88.00"))], "api", admin) in cells
    assert ("广州 × 王专家", "deleted", [("score", Decimal("70.00"), None)], "api", admin) in cells
    assert ("武汉 × 王专家", "created", [("score", None, Decimal("85.00"))], "grid", admin) in cells
    assert ("武汉 × 微博投票", "created", [("votes", None, 100)], "grid", admin) in cells
    assert len(cells) == 5


def test_settings_status_changes_experts_and_corrections_are_in_the_audit_log() -> None:
    award_round = round_build(quorum=1)
    c, e = candidate_ids(award_round), expert_ids(award_round)
    services.round_update(user=None, award_round=award_round, via=EntryPath.COMMAND, quorum=1, shortlist_size=3)
    services.cells_save(user=None, award_round=award_round, expected_version=award_round.version, via=EntryPath.GRID,
                        scores=[ScoreCell(cid, e["王专家"], "80") for cid in c.values()])
    services.round_open_voting(user=None, award_round=award_round, via=EntryPath.COMMAND)
    services.round_close(user=None, award_round=award_round, via=EntryPath.COMMAND)
    services.round_publish(user=None, award_round=award_round, via=EntryPath.COMMAND)
    services.round_correct(user=None, award_round=award_round, reason="录入有误", via=EntryPath.COMMAND,
                           scores=[ScoreCell(c["武汉"], e["王专家"], "81")])
    with translation.override("en"):
        log = selectors.round_audit_log(award_round=award_round)
    rounds = [entry.changes for entry in log if entry.model == "award round"]
    assert [("shortlist size", 2, 3)] in rounds
    assert [("status", "voting", "closed")] in rounds and [("status", "closed", "published")] in rounds
    assert any(entry.model == "expert" and entry.action == "created" and entry.object_label == "赵专家" for entry in log)
    results = [entry for entry in log if entry.model == "round result"]
    assert [(entry.object_label, entry.via) for entry in results] == [("result version 2", "correction"),
                                                                     ("result version 1", "publish")]
    assert any(entry.via == "command · correction" and entry.object_label == "武汉 × 王专家" for entry in log)


@pytest.mark.parametrize(("role", "manages"), [(None, False), (ROLE_ANALYST, False), (ROLE_EXPERT, False),
                                               (ROLE_PANEL_ADMIN, True)])
def test_only_panel_admins_may_create_rounds_enter_cells_and_change_status(role: str | None, manages: bool) -> None:
    award_round = round_build()
    user = user_with_role("someone", role)
    c, e = candidate_ids(award_round), expert_ids(award_round)
    attempts = {
        "create": lambda: services.round_create(user=user, slug="other", name="R", run=published_run()),
        "update": lambda: services.round_update(user=user, award_round=award_round, via="grid", quorum=1),
        "expert": lambda: services.expert_create(user=user, award_round=award_round, name="新", province="北京",
                                                 via="grid"),
        "cells": lambda: services.cells_save(user=user, award_round=award_round, expected_version=award_round.version,
                                             scores=[ScoreCell(c["武汉"], e["王专家"], "1")], via="grid"),
        "citation": lambda: services.citation_save(user=user, candidate=award_round.candidates.first(), text="x",
                                                   via="grid"),
        "open": lambda: services.round_open_voting(user=user, award_round=award_round, via="grid"),
    }
    for name, attempt in attempts.items():
        if manages:
            attempt()
            award_round.refresh_from_db()
        else:
            with pytest.raises(services.AwardPermissionDenied):
                attempt()
            assert name and AwardRound.objects.count() == 1


def test_a_superuser_manages_without_any_group() -> None:
    from django.contrib.auth.models import User
    root = User.objects.create_superuser("root", password="pw")
    assert permissions.user_can_manage_rounds(root)
    services.round_create(user=root, slug="by-root", name="R", run=published_run())
    assert AwardRound.objects.get(slug="by-root").created_by == root


def test_drafts_are_seen_by_analysts_admins_staff_and_the_rounds_experts_only() -> None:
    draft = round_build(slug="draft")
    analyst = user_with_role("analyst", ROLE_ANALYST)
    admin = user_with_role("admin", ROLE_PANEL_ADMIN)
    expert_login = user_with_role("expert", ROLE_EXPERT)
    stranger_expert = user_with_role("stranger", ROLE_EXPERT)
    services.expert_update(user=None, expert=draft.experts.get(name="王专家"), via="grid", expert_user=expert_login)
    visible = {user.username if user.is_authenticated else "anonymous": list(
        selectors.rounds_visible_to(user=user).values_list("slug", flat=True))
        for user in (AnonymousUser(), analyst, admin, expert_login, stranger_expert)}
    assert visible == {"anonymous": [], "analyst": ["draft"], "admin": ["draft"], "expert": ["draft"],
                       "stranger": []}
    assert permissions.user_can_see_audit(analyst, draft) and not permissions.user_can_see_audit(expert_login, draft)
    assert permissions.user_can_score(expert_login, draft.experts.get(name="王专家"))
    assert not permissions.user_can_score(stranger_expert, draft.experts.get(name="王专家"))
    assert not permissions.user_can_score(AnonymousUser(), draft.experts.get(name="王专家"))


def test_results_before_publication_are_for_drafts_readers_and_not_for_the_rounds_own_experts() -> None:
    draft = round_build(slug="draft")
    expert_login = user_with_role("expert", ROLE_EXPERT)
    services.expert_update(user=None, expert=draft.experts.get(name="王专家"), via="grid", expert_user=expert_login)
    analyst = user_with_role("analyst", ROLE_ANALYST)
    assert permissions.user_can_see_round(expert_login, draft)
    assert not permissions.results_visible(expert_login, draft)
    assert not permissions.results_visible(AnonymousUser(), draft)
    assert permissions.results_visible(analyst, draft)
    draft.status = AwardRound.Status.PUBLISHED
    assert permissions.results_visible(AnonymousUser(), draft)


def test_an_expert_sees_everyones_scores_only_after_submitting_and_the_public_only_after_publication() -> None:
    award_round = round_build(quorum=1)
    login = user_with_role("li", ROLE_EXPERT)
    expert = services.expert_update(user=None, expert=award_round.experts.get(name="李专家"), via="grid",
                                    expert_user=login)
    services.round_open_voting(user=None, award_round=award_round, via="grid")
    analyst = user_with_role("analyst", ROLE_ANALYST)
    assert not permissions.user_can_see_score_matrix(login, award_round)
    assert not permissions.user_can_see_score_matrix(AnonymousUser(), award_round)
    assert permissions.user_can_see_score_matrix(analyst, award_round)
    c = candidate_ids(award_round)
    services.expert_scores_save(user=login, expert=expert, scores=[
        ScoreCell(cid, expert.pk, "70") for name, cid in c.items() if name != "长沙"])
    services.expert_submit(user=login, expert=expert)
    assert permissions.user_can_see_score_matrix(login, award_round)
    assert not permissions.user_can_see_score_matrix(AnonymousUser(), award_round)


def test_audit_entries_name_the_entry_path_and_status_in_words() -> None:
    award_round = round_build()
    services.round_open_voting(user=None, award_round=award_round, via=EntryPath.GRID)
    with translation.override("zh-hans"):
        entry = next(e for e in selectors.round_audit_log(award_round=award_round) if e.model == "评选"
                     and e.action == "changed")
        assert (entry.changes, entry.via_label) == ([("状态", "草稿", "投票中")], "录入表格页")


def test_linking_a_user_without_the_expert_role_to_an_expert_gives_them_the_role_so_they_can_score() -> None:
    """A panel admin who types a user name in the grid means "this person scores": the user joins 评审专家.
    A user with the permission already (a superuser, an existing expert) is left as they were."""
    draft = round_build()
    plain = user_with_role("plain")
    root = User.objects.create_superuser("root", password="pw")
    added = services.expert_create(user=None, award_round=draft, name="新专家", province="浙江", expert_user=plain,
                                   via="grid")
    services.expert_update(user=None, expert=draft.experts.get(name="王专家"), via="grid", expert_user=root)

    plain = User.objects.get(pk=plain.pk)  # a fresh object: Django caches a user's permissions
    assert list(plain.groups.values_list("name", flat=True)) == [ROLE_EXPERT]
    assert permissions.user_can_score(plain, added)
    assert not root.groups.exists()


def test_linking_fails_whole_when_the_expert_role_is_missing() -> None:
    draft = round_build()
    plain = user_with_role("plain")
    Group.objects.filter(name=ROLE_EXPERT).delete()
    with translation.override("en"), pytest.raises(AwardError, match="group 评审专家.*migrate"):
        services.expert_create(user=None, award_round=draft, name="新专家", province="浙江", expert_user=plain,
                               via="grid")
    assert not draft.experts.filter(name="新专家").exists()
