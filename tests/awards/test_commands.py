"""python manage.py award_round create|import|close|publish|export."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from awards.models import AwardRound, RoundResult
from tests.awards.factories import published_run

pytestmark = pytest.mark.django_db

SCORES = ("专家,专家省份,城市,评分,评语\n"
          + "".join(f"{expert},{province},{city},{score},\n" for expert, province, scores in [
              ("王专家", "北京", {"长沙": 80, "武汉": 70, "广州": 60, "南京": 90}),
              ("李专家", "湖南", {"武汉": 80, "广州": 70, "南京": 90, "成都": 50}),
              ("赵专家", "上海", {"长沙": 90, "武汉": 90, "成都": 70}),
          ] for city, score in scores.items()))
TALLIES = "城市,票数,来源\n长沙,200,微博投票\n武汉,400,微博投票\n广州,100,微博投票\n成都,400,微博投票\n" \
          "长沙,1000,新华网投票\n武汉,500,新华网投票\n"


@pytest.fixture(autouse=True)
def chinese_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("award_round", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def prepared(tmp_path, *, quorum: str = "2") -> None:
    run_id = published_run().pk
    (tmp_path / "scores.csv").write_text(SCORES, encoding="utf-8")
    (tmp_path / "tallies.csv").write_bytes(TALLIES.encode("gb18030"))
    run("create", "shifan-2012", "--run", str(run_id), "--name", "2012年度政务微博示范奖", "--candidates", "4",
        "--shortlist", "2", "--quorum", quorum)
    run("import", "shifan-2012", str(tmp_path / "scores.csv"))
    run("import", "shifan-2012", str(tmp_path / "tallies.csv"))


def test_a_round_goes_from_files_to_a_published_export_with_four_decimals(tmp_path) -> None:
    prepared(tmp_path)
    assert AwardRound.objects.get().status == AwardRound.Status.VOTING
    assert run("close", "shifan-2012") == "评选 shifan-2012 已截止。\n"
    published = run("publish", "shifan-2012")
    assert RoundResult.objects.get().fingerprint in published
    rows = list(csv.reader(io.StringIO(run("export", "shifan-2012"))))
    assert rows[0] == ["名次", "城市", "省份", "总分", "排行得分", "专家得分", "网民得分", "专家人数", "入围"]
    # The hand-computed round of test_services: 长沙 92.5, 武汉 84.5833…, 广州 66.125, 南京 and 成都 62.5.
    assert rows[1] == ["1", "长沙", "湖南", "92.5000", "100.0000", "85.0000", "75.0000", "2", "是"]
    assert rows[2] == ["2", "武汉", "湖北", "84.5833", "88.8889", "80.0000", "75.0000", "3", "是"]
    assert [row[1] for row in rows[3:]] == ["广州", "南京", "成都"]
    assert rows[5][-1] == "否"
    english = list(csv.reader(io.StringIO(run("--lang", "en", "export", "shifan-2012"))))
    assert english[0] == ["rank", "city", "province", "final", "ranking_score", "expert_score", "netizen_score",
                          "experts", "shortlisted"]
    assert english[1][-1] == "yes"
    # --lang may also follow the subcommand (core.commands gives it to every subparser), and there wins.
    assert list(csv.reader(io.StringIO(run("export", "shifan-2012", "--lang", "en")))) == english
    assert list(csv.reader(io.StringIO(run("--lang", "en", "export", "shifan-2012", "--lang", "zh-hans"))))[0][0] == "名次"
    out = tmp_path / "result.xlsx"
    call_command("award_round", "export", "shifan-2012", "--format", "xlsx", "-o", str(out),
                 stdout=io.StringIO(), stderr=io.StringIO())
    sheet = openpyxl.load_workbook(out).active
    assert [cell.value for cell in sheet[2]][:4] == [1, "长沙", "湖南", 92.5]


def test_closing_below_the_quorum_fails_with_the_candidates_named_in_chinese(tmp_path) -> None:
    prepared(tmp_path, quorum="3")
    with pytest.raises(CommandError) as error:
        run("close", "shifan-2012")
    assert error.value.returncode == 1
    assert str(error.value) == "评选 shifan-2012 无法截止：4 个候选的专家评分不足 3 个（法定人数）：长沙、广州、南京、成都。"
    assert AwardRound.objects.get().status == AwardRound.Status.VOTING


def test_a_bad_file_fails_listing_each_problem_with_its_line(tmp_path) -> None:
    prepared(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("expert,expert_province,candidate,score\n王专家,,深圳,80\n王专家,,武汉,120\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("--lang", "en", "import", "shifan-2012", str(bad))
    assert str(error.value).splitlines() == [
        "The file was rejected with 2 problem(s); nothing was imported.",
        "line 2, column candidate: “深圳” is not a candidate of this round",
        "line 3, column score: 120 is outside 0–100",
    ]


@pytest.mark.parametrize(("args", "message"), [
    (["close", "nope"], "There is no round “nope”; the rounds are: —"),
    (["export", "nope", "--format", "xlsx"], "XLSX is a binary format: give a file with -o FILE."),
    (["create", "x", "--run", "999", "--name", "X"], "There is no score run #999."),
])
def test_bad_arguments_exit_non_zero_with_the_reason(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as error:
        run("--lang", "en", *args)
    assert str(error.value) == message
