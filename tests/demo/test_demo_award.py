"""setup_demo ends with a published demo award round on the 2012 ranking."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import F

from awards import selectors
from awards.models import AwardRound, Expert, ExpertScore, NetizenTally, RoundResult
from demo.award import DEMO_ROUND_SLUG, EXPERTS

pytestmark = pytest.mark.django_db


def test_setup_demo_publishes_the_demo_round_with_experts_recusals_and_tallies_and_runs_once(monkeypatch) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    for name in ("LANGUAGE", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    out = io.StringIO()
    call_command("setup_demo", stdout=out, stderr=io.StringIO())
    award_round = AwardRound.objects.get(slug=DEMO_ROUND_SLUG)
    assert award_round.status == AwardRound.Status.PUBLISHED
    assert award_round.run.is_published and award_round.run.period_label.startswith("2012")
    assert "Published the demo award round 2012年度政务微博示范奖" in out.getvalue()
    candidates = list(award_round.candidates.all())
    assert len(candidates) >= 20
    assert Expert.objects.filter(round=award_round).count() == len(EXPERTS) == 7
    recused = sum(1 for expert in award_round.experts.all() for candidate in candidates
                  if expert.is_recused_from(candidate))
    assert recused > 0
    assert ExpertScore.objects.filter(round=award_round).count() == len(candidates) * 7 - recused
    assert not ExpertScore.objects.filter(round=award_round, expert__province=F("candidate__province")).exists()
    assert NetizenTally.objects.filter(round=award_round).values("source").distinct().count() == 3
    results = selectors.round_results(award_round=award_round)
    assert results["shortlisted"].sum() == 10 and results["rank"].tolist() == sorted(results["rank"].tolist())
    assert results["expert_score"].between(40, 99).all() and (results["experts"] >= 5).all()
    assert RoundResult.objects.get(round=award_round).fingerprint
    # A second run leaves the published round alone.
    call_command("setup_demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert RoundResult.objects.count() == 1 and AwardRound.objects.count() == 1
