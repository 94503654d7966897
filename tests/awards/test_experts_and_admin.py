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
    services.expert_delete(user=None, expert=Expert.objects.get(name="王专家"), via=EntryPath.GRID, reason="退出评审",
                           scores_confirmed=2)
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


def test_a_panel_admin_reopens_a_submitted_experts_scores() -> None:
    from tests.awards.factories import ROLE_EXPERT, user_with_role
    award_round = round_build()
    login = user_with_role("zhao", ROLE_EXPERT)
    expert = services.expert_update(user=None, expert=award_round.experts.get(name="赵专家"), via="grid",
                                    expert_user=login)
    services.round_open_voting(user=None, award_round=award_round, via="grid")
    c = candidate_ids(award_round)
    services.expert_scores_save(user=login, expert=expert, scores=[ScoreCell(cid, expert.pk, "75") for cid in c.values()])
    expert = services.expert_submit(user=login, expert=expert)
    with pytest.raises(services.AwardPermissionDenied):
        services.expert_reopen(user=login, expert=expert, via="expert", reason="改分")
    expert = services.expert_reopen(user=None, expert=expert, via="grid", reason="误提交")
    assert expert.submitted_at is None
    services.expert_scores_save(user=login, expert=expert, scores=[ScoreCell(c["武汉"], expert.pk, "76")])
    assert ExpertScore.objects.get(expert=expert, candidate_id=c["武汉"]).score == 76


def test_the_method_text_names_the_rounds_own_settings() -> None:
    from awards.presentation import method_lines
    award_round = round_build(weights="0.5,0.3,0.2", aggregation="trimmed", trim=1, quorum=3)
    with translation.override("en"):
        lines = method_lines(award_round=award_round)
    assert lines[1] == ("Expert score E = the mean of the candidate's expert scores after dropping the 1 highest "
                        "and the 1 lowest (at least 3 scores are needed).")
    assert lines[3] == "Final score = 0.5 × R + 0.3 × E + 0.2 × N; equal final scores are ordered by R, then by E."
    assert method_lines(award_round=award_round)[3] == "总分 = 0.5 × R + 0.3 × E + 0.2 × N；总分相同时先比 R，再比 E。"


def test_a_file_with_more_rows_than_any_round_needs_is_refused_before_checking_them(monkeypatch) -> None:
    import io

    from awards import importing
    from awards.importing import reading
    from core.tables.errors import ImportFailed
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    award_round = round_build()
    text = "candidate,votes,source\n" + "武汉,1,a\n" * 5
    with translation.override("en"), pytest.raises(ImportFailed) as error:
        importing.round_import(user=None, award_round=award_round, source=io.BytesIO(text.encode()),
                               file_name="t.csv")
    with translation.override("en"):
        lines = error.value.lines()
    assert lines == ["an award file has at most 3 rows (candidates × experts); this one has more"]


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": "甲" * 65, "province": "北京"}, "An expert needs a name of 1 to 64 characters."),
    ({"name": "甲", "province": "北京", "affiliation": "乙" * 129}, "An affiliation has at most 128 characters."),
    ({"name": "甲", "province": "北京", "city": 999999}, "There is no such home city."),
])
def test_each_bad_expert_field_is_refused_with_its_reason(fields: dict, message: str) -> None:
    award_round = round_build()
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.expert_create(user=None, award_round=award_round, via=EntryPath.GRID, **fields)
    assert message in error.value.messages


def test_a_home_city_must_lie_in_the_home_province_and_a_user_is_expert_once_per_round() -> None:
    award_round = round_build()
    changsha = award_round.candidates.get(name="长沙").city
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.expert_create(user=None, award_round=award_round, name="甲", province="北京", city=changsha,
                               via=EntryPath.GRID)
    assert str(error.value) == "The home city 长沙 is in 湖南, not in 北京."
    login = User.objects.create_user("someone")
    services.expert_update(user=None, expert=award_round.experts.get(name="王专家"), via="grid", expert_user=login)
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        services.expert_create(user=None, award_round=award_round, name="甲", province="北京", expert_user=login,
                               via=EntryPath.GRID)
    assert str(error.value) == "The user someone is an expert of this round already."


def test_corrections_and_updates_refuse_what_they_cannot_do() -> None:
    from tests.awards.test_services import published_round
    award_round = published_round()
    c, e = candidate_ids(award_round), expert_ids(award_round)
    with translation.override("en"):
        with pytest.raises(services.AwardError) as error:
            services.round_correct(user=None, award_round=award_round, reason="r", via="grid")
        assert str(error.value) == "A correction changes at least one score or tally."
        with pytest.raises(services.AwardError) as error:
            services.round_correct(user=None, award_round=award_round, reason="r", via="grid",
                                   scores=[ScoreCell(c["长沙"], e["王专家"], "80")])
        assert str(error.value) == "The correction changes nothing: every cell already has that value."
        with pytest.raises(services.CellErrors) as error:
            services.round_correct(user=None, award_round=award_round, reason="r", via="grid",
                                   scores=[ScoreCell(c["长沙"], e["李专家"], "80")])
        assert "回避 (recused)" in str(error.value)
        with pytest.raises(services.AwardError) as error:
            services.round_update(user=None, award_round=award_round, via="grid", run=1)
        assert str(error.value) == "These settings cannot be changed: run."
        with pytest.raises(services.AwardError) as error:
            services.round_create(user=None, slug="w", name="W", run=award_round.run, weights="0.33333,0.33333,0.33334")
        assert str(error.value) == "A weight has at most 4 decimals."
