"""Award test data: a published ranking with hand-chosen cities, a round on it, experts and role users."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User

from awards import services
from awards.models import AwardRound, EntryPath, Expert
from rankings.models import ScoreRun
from tests.factories import CityFactory
from tests.rankings.factories import CityScoreFactory, ScoreRunFactory

# (city, province, composite, rank): 成都 and 南京 tie at rank 4, so a round of N = 4 has 5 candidates.
CITIES = [
    ("长沙", "湖南", 90.0, 1),
    ("武汉", "湖北", 80.0, 2),
    ("广州", "广东", 72.0, 3),
    ("成都", "四川", 60.0, 4),
    ("南京", "江苏", 60.0, 4),
    ("杭州", "浙江", 50.0, 6),
]
ROLE_ANALYST, ROLE_EXPERT, ROLE_PANEL_ADMIN = "分析员", "评审专家", "评审管理员"


def published_run(cities: list[tuple[str, str, float, int]] = CITIES, **fields: Any) -> ScoreRun:
    run = ScoreRunFactory(published=True, **fields)
    for name, province, composite, rank in cities:
        CityScoreFactory(run=run, city=CityFactory(name=name, province=province), score=composite, rank=rank)
    return run


def round_build(*, slug: str = "shifan-2012", candidates_n: int = 4, quorum: int = 2, shortlist_size: int = 2,
                experts: list[tuple[str, str]] = (("王专家", "北京"), ("李专家", "湖南"), ("赵专家", "上海")),
                **settings: Any) -> AwardRound:
    """A draft round on a fresh published run, with experts (name, home province)."""
    run = published_run()
    award_round = services.round_create(user=None, slug=slug, name="2012年度政务微博示范奖", run=run,
                                        candidates_n=candidates_n, quorum=quorum, shortlist_size=shortlist_size,
                                        **settings)
    for name, province in experts:
        services.expert_create(user=None, award_round=award_round, name=name, province=province,
                               via=EntryPath.COMMAND)
    award_round.refresh_from_db()
    return award_round


def candidate_ids(award_round: AwardRound) -> dict[str, int]:
    return dict(award_round.candidates.values_list("name", "id"))


def expert_ids(award_round: AwardRound) -> dict[str, int]:
    return dict(Expert.objects.filter(round=award_round).values_list("name", "id"))


def user_with_role(username: str, role: str | None = None, **fields: Any) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user
