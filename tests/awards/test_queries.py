"""The selectors read in a fixed number of queries, whatever the round's size (no N+1)."""
from __future__ import annotations

import pytest

from awards import selectors
from tests.awards.factories import round_build
from tests.awards.test_services import fill, published_round

pytestmark = pytest.mark.django_db


def test_the_score_matrix_progress_results_and_audit_log_take_a_fixed_number_of_queries(
        django_assert_num_queries) -> None:
    award_round = round_build()
    fill(award_round)
    with django_assert_num_queries(4):
        selectors.score_matrix(award_round=award_round, user=None)
    with django_assert_num_queries(3):
        selectors.expert_progress(award_round=award_round)
    with django_assert_num_queries(3):
        selectors.round_results(award_round=award_round)
    with django_assert_num_queries(8):
        selectors.round_audit_log(award_round=award_round)


def test_a_published_rounds_results_are_one_query(django_assert_num_queries) -> None:
    award_round = published_round()
    with django_assert_num_queries(1):
        selectors.round_results(award_round=award_round)


def test_a_grid_save_writes_in_bulk_whatever_the_number_of_cells(django_assert_max_num_queries) -> None:
    from awards import services
    from awards.models import EntryPath, Expert
    from tests.awards.factories import candidate_ids
    award_round = round_build(experts=[(f"专家{n}", "北京") for n in range(7)])
    cells = [services.ScoreCell(cid, expert.pk, "80") for cid in candidate_ids(award_round).values()
             for expert in Expert.objects.filter(round=award_round)]
    assert len(cells) == 35
    award_round.refresh_from_db()
    with django_assert_max_num_queries(12):
        saved = services.cells_save(user=None, award_round=award_round, expected_version=award_round.version,
                                    scores=cells, via=EntryPath.GRID)
    assert saved.created == 35
    with django_assert_max_num_queries(12):
        saved = services.cells_save(user=None, award_round=award_round, expected_version=saved.version,
                                    scores=[services.ScoreCell(c.candidate_id, c.expert_id, "81") for c in cells],
                                    via=EntryPath.GRID)
    assert saved.updated == 35
