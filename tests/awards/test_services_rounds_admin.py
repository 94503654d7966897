"""The services behind the rounds pages, which the command calls too: a round from a list of names, settings
problems keyed by setting, and the preview of a netizen file (the import's own reading and checks, nothing
written)."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from awards import services
from awards.importing import TALLIES, round_import, round_import_preview
from awards.models import AwardRound, NetizenTally
from core.tables.errors import ImportFailed
from tests.awards.factories import published_run, round_build
from tests.factories import CityFactory
from tests.rankings.factories import CityScoreFactory

pytestmark = pytest.mark.django_db

TALLIES_TEXT = "城市,票数,来源\n长沙,200,微博投票\n武汉,400,微博投票\n长沙,1000,新华网投票\n"


def _create(**changes: object) -> AwardRound:
    fields = {"user": None, "slug": "r-2012", "name": "R", "run": published_run(), "shortlist_size": 2, **changes}
    return services.round_create(**fields)


def test_names_are_parsed_from_lines_commas_and_顿号() -> None:
    assert services.candidate_names_parse(" 长沙、武汉，广州,\n成都；南京 \r\n\n吉林（吉林）") == [
        "长沙", "武汉", "广州", "成都", "南京", "吉林（吉林）"]


def test_a_round_from_a_list_takes_exactly_those_in_rank_order_with_their_frozen_ranks() -> None:
    award_round = _create(candidate_names=["杭州", "长沙", "南京"])
    assert award_round.candidates_n == 0 and award_round.candidates_from_list
    assert list(award_round.candidates.values_list("name", "rank", "composite")) == [
        ("长沙", 1, 90.0), ("南京", 4, 60.0), ("杭州", 6, 50.0)]


def test_a_shared_name_needs_its_province_and_every_bad_name_is_named() -> None:
    run = published_run()
    CityScoreFactory(run=run, city=CityFactory(name="长沙", province="湖北"), score=10.0, rank=7)
    with translation.override("en"), pytest.raises(services.SettingsInvalid) as error:
        services.round_create(user=None, slug="r", name="R", run=run, shortlist_size=1,
                              candidate_names=["长沙", "火星", "武汉", "武汉"])
    assert error.value.fields["candidate_names"] == [
        "“长沙” names candidates in several provinces (湖北、湖南): write it as 长沙（湖南）.",
        f"“火星” is not ranked by score run #{run.pk}.",
        "“武汉” is listed twice.",
    ]
    award_round = services.round_create(user=None, slug="r", name="R", run=run, shortlist_size=1,
                                        candidate_names=["长沙（湖北）"])
    assert list(award_round.candidates.values_list("name", "province")) == [("长沙", "湖北")]
    assert not AwardRound.objects.exclude(pk=award_round.pk).exists()


def test_every_problem_is_reported_at_once_keyed_by_its_setting() -> None:
    with translation.override("en"), pytest.raises(services.SettingsInvalid) as error:
        _create(slug="new", name=" ", weights="0.5,0.5,0.5", quorum=0, run=10_000)
    assert set(error.value.fields) == {"slug", "name", "weights", "quorum", "run"}
    assert error.value.fields["run"] == ["There is no score run #10000."]
    assert not AwardRound.objects.exists()


def test_a_panel_admin_is_needed(django_user_model) -> None:
    nobody = django_user_model.objects.create_user("nobody")
    with pytest.raises(services.AwardPermissionDenied):
        _create(user=nobody)
    with pytest.raises(services.AwardPermissionDenied):
        round_import_preview(user=nobody, award_round=round_build(), source=io.BytesIO(TALLIES_TEXT.encode()),
                             file_name="t.csv")


def test_the_command_takes_a_list_and_disclosure_too() -> None:
    run_id = published_run().pk
    call_command("award_round", "create", "by-name", "--run", str(run_id), "--name", "R", "--list", "武汉、长沙",
                 "--shortlist", "1", "--disclose-experts", stdout=io.StringIO())
    award_round = AwardRound.objects.get(slug="by-name")
    assert award_round.disclose_experts and list(award_round.candidates.values_list("name", flat=True)) == [
        "长沙", "武汉"]


def test_a_preview_says_what_the_import_would_write_and_writes_nothing() -> None:
    award_round = round_build()
    round_import(user=None, award_round=award_round, source=io.BytesIO("城市,票数,来源\n长沙,200,微博投票\n武汉,1,微博投票\n"
                                                                       .encode()), file_name="old.csv")
    before = list(NetizenTally.objects.order_by("pk").values_list("candidate__name", "source", "votes"))
    preview = round_import_preview(user=None, award_round=award_round, source=io.BytesIO(TALLIES_TEXT.encode("gb18030")),
                                   file_name="t.csv", kind=TALLIES)
    assert (preview.kind, preview.rows, preview.encoding) == ("tallies", 3, "gb18030")
    assert (preview.new, preview.changed, preview.unchanged) == (1, 1, 1)
    assert preview.sources == ["微博投票", "新华网投票"]
    assert [(line.candidate.name, line.votes, line.total) for line in preview.lines] == [
        ("长沙", [200, 1000], 1200), ("武汉", [400, None], 400)]
    assert list(NetizenTally.objects.order_by("pk").values_list("candidate__name", "source", "votes")) == before


def test_the_preview_refuses_what_the_import_refuses_by_line_and_column() -> None:
    award_round = round_build()
    text = "城市,票数,来源\n长沙,-1,微博投票\n"
    with translation.override("en"), pytest.raises(ImportFailed) as previewed:
        round_import_preview(user=None, award_round=award_round, source=io.BytesIO(text.encode()), file_name="t.csv")
    with translation.override("en"), pytest.raises(ImportFailed) as imported:
        round_import(user=None, award_round=award_round, source=io.BytesIO(text.encode()), file_name="t.csv")
    with translation.override("en"):
        assert previewed.value.lines() == imported.value.lines() == ["line 2, column 票数: votes cannot be negative (-1)"]


def test_a_kind_limited_import_refuses_the_other_kind_and_writes_nothing() -> None:
    award_round = round_build()
    scores = "专家,城市,评分\n王专家,武汉,80\n"
    with translation.override("en"), pytest.raises(ImportFailed) as error:
        round_import(user=None, award_round=award_round, source=io.BytesIO(scores.encode()), file_name="s.csv",
                     kind=TALLIES)
    with translation.override("en"):
        assert "the file holds expert scores" in error.value.lines()[0]
    assert not award_round.scores.exists()
