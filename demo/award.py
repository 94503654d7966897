"""The demo award round: the 2012 示范奖 on the demo data's published 2012 ranking, with seven invented
experts (some recused from their home province's cities) and three netizen vote sources, entered,
closed and published through the same services as the grid and the commands.

Scores are plausible, not real: each expert scores a candidate 62 + 0.3 × R ± their own leniency ±
noise (a seeded generator, so every demo is the same), rounded to halves; tallies follow R with wide
noise, and one source (人民网) polled only the first 15 candidates.
"""
from __future__ import annotations

import numpy as np

from awards import services
from awards.models import AwardRound, Candidate, EntryPath
from awards.services import ScoreCell, TallyCell
from rankings.models import ScoreRun

DEMO_ROUND_SLUG = "shifan-2012"
DEMO_ROUND_NAME = "2012年度政务微博示范奖"
SEED = 20120523  # the day the 2012 award was announced
VIA = EntryPath.DEMO
# (name, affiliation, home province): invented people. Experts from 湖南, 广东 and 北京 are recused
# from their provinces' candidates when those are in the round.
EXPERTS = [
    ("陈立群", "高校新闻传播学院（演示）", "北京"),
    ("刘晓燕", "政务新媒体研究中心（演示）", "湖南"),
    ("王建国", "网络舆情研究所（演示）", "上海"),
    ("赵文静", "媒体评论员（演示）", "广东"),
    ("孙浩然", "公共管理学院（演示）", "四川"),
    ("周敏", "互联网信息办公室退休干部（演示）", "浙江"),
    ("吴志刚", "传媒大学（演示）", "湖北"),
]
SOURCES = [("新华网投票 2012-05-10", 1.0, None), ("微博投票", 2.5, None), ("人民网投票", 0.6, 15)]


def demo_round_publish(*, run: ScoreRun) -> AwardRound:
    """Create, fill, close and publish the demo round on `run` (a published 2012 city ranking)."""
    # A round with the default settings (awards.defaults), as most rounds are.
    award_round = services.round_create(user=None, slug=DEMO_ROUND_SLUG, name=DEMO_ROUND_NAME, run=run, via=VIA)
    experts = [services.expert_create(user=None, award_round=award_round, name=name, affiliation=affiliation,
                                      province=province, via=VIA) for name, affiliation, province in EXPERTS]
    candidates = list(Candidate.objects.filter(round=award_round).order_by("rank", "id"))
    rng = np.random.default_rng(SEED)
    best = max(candidate.composite for candidate in candidates) or 1.0
    ranking = np.array([candidate.composite / best * 100 for candidate in candidates])
    leniency = rng.normal(0, 3, size=len(experts))
    noise = rng.normal(0, 5, size=(len(candidates), len(experts)))
    marks = np.clip(np.round((62 + 0.3 * ranking[:, None] + leniency[None, :] + noise) * 2) / 2, 40, 99)
    scores = [ScoreCell(candidate.pk, expert.pk, f"{marks[i, j]:.1f}")
              for i, candidate in enumerate(candidates) for j, expert in enumerate(experts)
              if not expert.is_recused_from(candidate)]
    tallies = []
    for source, scale, polled in SOURCES:
        votes = np.round(scale * 1000 * (ranking / 100) ** 2 * rng.lognormal(0, 0.35, size=len(candidates)))
        tallies += [TallyCell(candidate.pk, source, int(votes[i])) for i, candidate in enumerate(candidates)
                    if polled is None or i < polled]
    award_round.refresh_from_db()
    services.cells_save(user=None, award_round=award_round, expected_version=award_round.version, scores=scores,
                        tallies=tallies, via=VIA)
    services.round_open_voting(user=None, award_round=award_round, via=VIA)
    services.round_close(user=None, award_round=award_round, via=VIA)
    services.round_publish(user=None, award_round=award_round, via=VIA)
    award_round.refresh_from_db()
    return award_round
