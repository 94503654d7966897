"""File import of expert scores and netizen tallies: encodings, XLSX, each problem with line and column."""
from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from awards.importing import round_import
from awards.models import AwardRound, Expert, ExpertScore, NetizenTally
from core.tables.errors import ImportFailed
from tests.awards.factories import round_build

pytestmark = pytest.mark.django_db


def csv_bytes(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def do_import(award_round: AwardRound, text: str, *, encoding: str = "utf-8", name: str = "scores.csv"):
    return round_import(user=None, award_round=award_round, source=csv_bytes(text, encoding), file_name=name)


def failure_lines(award_round: AwardRound, text: str) -> list[str]:
    with translation.override("en"), pytest.raises(ImportFailed) as error:
        do_import(award_round, text)
    with translation.override("en"):
        return error.value.lines()


def test_a_chinese_gb18030_score_file_creates_new_experts_and_opens_the_voting() -> None:
    award_round = round_build()
    text = ("专家,专家省份,城市,评分,评语\n"
            "王专家,,武汉,85,传播力强\n"
            "孙专家,广东,武汉,90.5,\n"
            "孙专家,,长沙,70,回复及时\n")
    summary = do_import(award_round, text, encoding="gb18030")
    assert (summary.kind, summary.rows, summary.experts_created, summary.saved.created) == ("scores", 3, 1, 3)
    assert summary.encoding == "gb18030" and summary.voting_opened
    assert Expert.objects.get(name="孙专家").province_id == "广东"
    scores = set(ExpertScore.objects.values_list("expert__name", "candidate__name", "score", "comment", "entered_via"))
    assert scores == {("王专家", "武汉", Decimal("85.00"), "传播力强", "file"),
                      ("孙专家", "武汉", Decimal("90.50"), "", "file"),
                      ("孙专家", "长沙", Decimal("70.00"), "回复及时", "file")}
    award_round.refresh_from_db()
    assert award_round.status == AwardRound.Status.VOTING
    assert ExpertScore.history.filter(history_change_reason="file").count() == 3


def test_a_tally_file_is_told_by_its_headers_and_an_xlsx_works_too() -> None:
    award_round = round_build()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["城市", "票数", "来源"])
    sheet.append(["武汉", 1200, "微博投票"])
    sheet.append(["长沙", "3,400", "微博投票"])
    sheet.append(["长沙", 800, "新华网投票 2012-05-10"])
    stream = io.BytesIO()
    workbook.save(stream)
    summary = round_import(user=None, award_round=award_round, source=stream, file_name="tallies.xlsx")
    assert (summary.kind, summary.saved.created, summary.encoding) == ("tallies", 3, "xlsx")
    assert set(NetizenTally.objects.values_list("candidate__name", "source", "votes")) == {
        ("武汉", "微博投票", 1200), ("长沙", "微博投票", 3400), ("长沙", "新华网投票 2012-05-10", 800)}


def test_every_bad_row_is_reported_with_its_line_and_column_and_nothing_is_written() -> None:
    award_round = round_build()
    text = ("expert,expert_province,candidate,score,comment\n"
            "王专家,,深圳,80,\n"            # 2: not a candidate
            "王专家,,武汉,101,\n"           # 3: out of range
            "李专家,,长沙,90,\n"            # 4: recused
            "王专家,,广州,很好,\n"          # 5: not a number
            "王专家,,成都,80,\n"            # 6: fine
            "王专家,,成都,81,\n"            # 7: duplicate of 6
            "新专家,,成都,80,\n"            # 8: new expert without province
            "王专家,上海,南京,80,\n"        # 9: province differs
            ",,南京,80,\n")                 # 10: expert missing
    assert failure_lines(award_round, text) == [
        "line 2, column candidate: “深圳” is not a candidate of this round",
        "line 3, column score: 101 is outside 0–100",
        "line 4, column candidate: 回避 (recused): 李专家's home province 湖南 is the candidate's",
        "line 5, column score: “很好” is not a number",
        "line 7: this row repeats line 6 (the same expert and candidate)",
        "line 8, column expert_province: “新专家” is a new expert: give their home province (专家省份)",
        "line 9, column expert_province: the expert 王专家's home province is 北京, not “上海”",
        "line 10, column expert: this cell is empty but required",
    ]
    assert not ExpertScore.objects.exists() and not Expert.objects.filter(name="新专家").exists()
    assert AwardRound.objects.get().status == AwardRound.Status.DRAFT


def test_tally_problems_have_their_own_messages() -> None:
    award_round = round_build()
    text = ("candidate,votes,source\n"
            "武汉,-5,微博投票\n"
            "武汉,1.5,微博投票\n"
            "武汉,10,\n"
            "长沙,10,微博投票\n"
            "长沙,11,微博投票\n")
    assert failure_lines(award_round, text) == [
        "line 2, column votes: votes cannot be negative (-5)",
        "line 3, column votes: “1.5” is not a whole number of votes",
        "line 4, column source: a tally needs the name of its source",
        "line 6: this row repeats line 5 (the same candidate and source)",
    ]


def test_a_city_name_shared_by_two_provinces_needs_the_province_column() -> None:
    award_round = round_build()
    award_round.candidates.filter(name="南京").update(name="成都")   # two candidates named 成都 (四川, 江苏)
    assert failure_lines(award_round, "candidate,votes,source\n成都,5,微博投票\n") == [
        "line 2, column candidate: “成都” names candidates in several provinces (四川、江苏): add a province column"]
    summary = do_import(award_round, "城市,省份,票数,来源\n成都,江苏,5,微博投票\n成都,四川,6,微博投票\n")
    assert summary.saved.created == 2
    assert set(NetizenTally.objects.values_list("candidate__province", "votes")) == {("江苏", 5), ("四川", 6)}


@pytest.mark.parametrize(("text", "expected"), [
    ("a,b,c\n1,2,3\n", ["the headers name neither expert scores (expert, candidate, score) nor netizen tallies "
                        "(candidate, votes, source); found: a, b, c"]),
    ("expert,candidate,score,votes,source\n", ["a file holds expert scores or netizen tallies, not both: "
                                                "import them as two files"]),
    ("candidate,votes\n武汉,5\n", ["the column “source” is missing"]),
    ("candidate,votes,source\n", ["the file has a header but no data rows"]),
    ("", ["the file is empty"]),
])
def test_whole_file_problems_are_named(text: str, expected: list[str]) -> None:
    award_round = round_build()
    lines = failure_lines(award_round, text)
    assert [line.split(": ", 1)[1] if line.startswith("line 1") else line for line in lines] == expected


def test_an_import_into_a_closed_round_is_refused() -> None:
    from awards import services
    award_round = round_build(quorum=1)
    services.round_open_voting(user=None, award_round=award_round, via="command")
    AwardRound.objects.filter(pk=award_round.pk).update(status=AwardRound.Status.CLOSED)
    with translation.override("en"), pytest.raises(services.AwardError) as error:
        do_import(award_round, "candidate,votes,source\n武汉,5,微博投票\n")
    assert "closed" in str(error.value)
