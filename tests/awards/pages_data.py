"""A round for the page, API and browser tests of the award web layer, built through the real services.

Twenty cities ranked 1–20 with composites 100, 99, …, 81 (so R = composite), in four provinces; eight
experts, two of them recused from five candidates each (湖南, 广东); the last one (周老师) logs in as
`expert` and scores on their own page.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.utils import translation

from awards import services
from awards.models import AwardRound, EntryPath
from rankings.models import ScoreRun
from tests.factories import CityFactory
from tests.rankings.factories import CityScoreFactory, ScoreRunFactory

CITIES = [  # (name, province), in rank order
    ("长沙", "湖南"), ("武汉", "湖北"), ("广州", "广东"), ("南京", "江苏"), ("株洲", "湖南"),
    ("宜昌", "湖北"), ("深圳", "广东"), ("苏州", "江苏"), ("湘潭", "湖南"), ("襄阳", "湖北"),
    ("珠海", "广东"), ("无锡", "江苏"), ("衡阳", "湖南"), ("荆州", "湖北"), ("佛山", "广东"),
    ("常州", "江苏"), ("岳阳", "湖南"), ("黄石", "湖北"), ("东莞", "广东"), ("南通", "江苏"),
]
EXPERTS = [  # (name, home province); the first seven are entered on the grid
    ("王教授", "北京"), ("李研究员", "湖南"), ("张编辑", "上海"), ("刘主任", "浙江"),
    ("陈教授", "广东"), ("杨博士", "四川"), ("赵记者", "山东"), ("周老师", "北京"),
]
GRID_EXPERTS = 7
PASSWORD = "pw-award-tests"
ROLES = {"analyst": "分析员", "expert": "评审专家", "panel": "评审管理员"}


def expert_score(rank: int) -> int:
    """Every expert gives the candidate ranked `rank` (1–20) this score: 20 + 4·rank (24 … 100), so E
    rises as R falls and the final order is the reverse of the ranking. With N = 100 for everyone (equal
    votes): final = 0.6·(101 − rank) + 0.25·(20 + 4·rank) + 0.15·100 = 80.6 + 0.4·rank
    (南通, rank 20: R 81, E 100, N 100, final 88.6; 长沙, rank 1: R 100, E 24, N 100, final 81.0)."""
    return 20 + 4 * rank


def published_run(count: int = len(CITIES)) -> ScoreRun:
    run = ScoreRunFactory(published=True)
    for rank, (name, province) in enumerate(CITIES[:count], start=1):
        CityScoreFactory(run=run, city=CityFactory(name=name, province=province), score=101.0 - rank, rank=rank)
    return run


def role_groups() -> dict[str, Group]:
    """The role groups the awards migration creates (a transactional test's flush removed them: made
    again here from the migration's own table of roles)."""
    roles = importlib.import_module("awards.migrations.0002_roles").ROLES
    groups = {}
    for name, codenames in roles.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            for app_label, codename in codenames:
                group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        groups[name] = group
    return groups


def users() -> dict[str, User]:
    """One user per role (analyst, expert, panel), a superuser and a user with no role."""
    made = {}
    groups = role_groups()
    for key, group in ROLES.items():
        user = User.objects.create_user(key, password=PASSWORD)
        user.groups.add(groups[group])
        made[key] = user
    made["superuser"] = User.objects.create_superuser("root", password=PASSWORD)
    made["nobody"] = User.objects.create_user("nobody", password=PASSWORD)
    return made


def round_build(*, slug: str = "shifan-2012", expert_user: User | None = None, **settings: Any) -> AwardRound:
    """A draft round of the twenty cities with the eight experts (周老师 linked to `expert_user`)."""
    award_round = services.round_create(user=None, slug=slug, name="2012年度政务微博示范奖", run=published_run(),
                                        via=EntryPath.COMMAND, **settings)
    for number, (name, province) in enumerate(EXPERTS):
        services.expert_create(user=None, award_round=award_round, name=name, province=province,
                               affiliation="测试大学", via=EntryPath.COMMAND,
                               expert_user=expert_user if number == len(EXPERTS) - 1 else None)
    award_round.refresh_from_db()
    return award_round


def grid_scores_enter(award_round: AwardRound, *, experts: int = len(EXPERTS), votes: int | None = 100) -> None:
    """Every non-recused cell of the first `experts` experts gets expert_score(rank); one source
    (微博投票) gives every candidate `votes` votes."""
    scores, tallies = [], []
    for expert in award_round.experts.order_by("id")[:experts]:
        for candidate in award_round.candidates.all():
            if not expert.is_recused_from(candidate):
                scores.append(services.ScoreCell(candidate_id=candidate.pk, expert_id=expert.pk,
                                                 score=str(expert_score(candidate.rank))))
    if votes is not None:
        tallies = [services.TallyCell(candidate_id=candidate.pk, source="微博投票", votes=str(votes))
                   for candidate in award_round.candidates.all()]
    award_round.refresh_from_db()
    services.cells_save(user=None, award_round=award_round, expected_version=award_round.version, scores=scores,
                        tallies=tallies, via=EntryPath.COMMAND)


def round_published(**kwargs: Any) -> AwardRound:
    award_round = round_build(**kwargs)
    grid_scores_enter(award_round)
    services.round_open_voting(user=None, award_round=award_round, via=EntryPath.COMMAND)
    services.round_close(user=None, award_round=award_round, via=EntryPath.COMMAND)
    services.round_publish(user=None, award_round=award_round, via=EntryPath.COMMAND)
    award_round.refresh_from_db()
    return award_round


def expected_order() -> list[str]:
    """The final order of round_published's candidates: the reverse of the ranking (see expert_score)."""
    return [name for name, _province in reversed(CITIES)]


@pytest.fixture(autouse=True)
def default_language_after_each_test() -> Iterator[None]:
    """A page requested in English leaves English active in this thread (the locale middleware does not
    switch back): restore the default, so tests that follow see Chinese as a user does."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
