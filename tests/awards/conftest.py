"""Fixtures the award page tests share: the demo people (tests.awards.pages_data.users) and a draft round
whose grid scores are entered."""
from __future__ import annotations

import pytest

from awards.models import AwardRound
from tests.awards import pages_data


@pytest.fixture
def people():
    return pages_data.users()


@pytest.fixture
def draft(people) -> AwardRound:
    award_round = pages_data.round_build(expert_user=people["expert"])
    pages_data.grid_scores_enter(award_round, experts=pages_data.GRID_EXPERTS)
    award_round.refresh_from_db()
    return award_round
