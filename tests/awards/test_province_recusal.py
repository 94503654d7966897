"""Recusal (回避) cannot be bypassed by spelling (issue 18, item 1): for each of the 34 province-level
divisions, an expert whose home province is given in any accepted spelling (湖南 / 湖南省 / Hunan …) is
refused a candidate of that province, whichever spelling made the candidate's city, on every path:
the service, the grid page, the API's cell write, a file import and the award_round command. The
expert's province is recorded canonically whichever path created them (service, the grid's add-expert
form, a file). An unknown province is refused with the accepted spellings."""
from __future__ import annotations

import io
import itertools
import json

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from awards import services
from awards.importing import round_import
from awards.models import AwardRound, EntryPath, Expert, ExpertScore
from awards.services import CellErrors, ScoreCell
from core.provinces import PROVINCES, province_names, province_spellings
from core.tables.errors import ImportFailed
from tests.awards.factories import published_run
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db

CITY = "测试市"


def _other(name: str) -> str:
    """A province other than `name`, for the second candidate."""
    return next(other for other in province_names() if other != name)


def _round(name: str, city_spelling: str) -> AwardRound:
    """A draft round of two candidates: 测试市 of `name` (its city made with `city_spelling`), and a city
    of another province."""
    run = published_run([(CITY, city_spelling, 90.0, 1), ("他市", _other(name), 80.0, 2)])
    return services.round_create(user=None, slug="recusal", name="回避", run=run, candidates_n=2, quorum=1,
                                 shortlist_size=1)


def _experts(award_round: AwardRound, spellings: list[str]) -> list[Expert]:
    return [services.expert_create(user=None, award_round=award_round, name=f"专家{number}", province=spelling,
                                   via=EntryPath.COMMAND) for number, spelling in enumerate(spellings)]


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(User.objects.create_superuser("root", password="pw"))
    return client


@pytest.mark.parametrize("name", [info.name for info in PROVINCES])
def test_recusal_is_refused_on_every_path_for_every_spelling_of_both_provinces(name, admin_client, tmp_path):
    spellings = province_spellings(name)
    assert len(spellings) >= 4  # short, full, English and pinyin names at least
    # The candidate's city is made from one spelling; every other spelling names the same city.
    award_round = _round(name, spellings[-1])
    candidate = award_round.candidates.get(name=CITY)
    assert candidate.province_id == name
    experts = _experts(award_round, spellings)
    assert {expert.province_id for expert in experts} == {name}
    assert all(expert.is_recused_from(candidate) for expert in experts)
    cells = [ScoreCell(candidate.pk, expert.pk, "80") for expert in experts]
    award_round.refresh_from_db()

    # The service (what the grid, the paste and the API all call).
    with translation.override("en"), pytest.raises(CellErrors) as error:
        services.cells_save(user=None, award_round=award_round, expected_version=award_round.version,
                            scores=cells, via=EntryPath.GRID)
    assert len(error.value.messages) == len(experts)
    assert all("回避 (recused)" in message for message in error.value.messages)

    # The grid page (a forged or pasted value in a recused cell).
    award_round.refresh_from_db()
    fields = {f"score-{expert.pk}-{candidate.pk}": "80" for expert in experts}
    response = admin_client.post(f"/awards/{award_round.slug}/grid/",
                                 {**fields, "version": award_round.version, "original": "{}"})
    assert response.status_code == 400
    assert response.content.decode().count("回避 (recused)") >= len(experts)

    # The API's cell write.
    response = admin_client.post(f"/api/v1/awards/rounds/{award_round.slug}/cells/", json.dumps({
        "version": award_round.version,
        "scores": [{"candidate_id": candidate.pk, "expert_id": expert.pk, "score": "80"} for expert in experts],
    }), content_type="application/json")
    assert response.status_code == 400, response.content
    details = response.json()["error"]["details"]
    assert set(details) == {f"score:{candidate.pk}:{expert.pk}" for expert in experts}

    # A file: new experts in every spelling, the candidate named with every spelling of its province.
    rows = [f"文件专家{number},{expert_spelling},{CITY},{city_spelling},80"
            for number, (expert_spelling, city_spelling) in enumerate(
                zip(spellings, itertools.islice(itertools.cycle(reversed(spellings)), len(spellings)), strict=True))]
    text = "expert,expert_province,candidate,province,score\n" + "\n".join(rows) + "\n"
    with translation.override("en"), pytest.raises(ImportFailed) as failed:
        round_import(user=None, award_round=award_round, source=io.BytesIO(text.encode()), file_name="s.csv")
    with translation.override("en"):
        lines = failed.value.lines()
    assert sum("回避 (recused)" in line for line in lines) == len(spellings), lines

    # The command, with the same file.
    path = tmp_path / "scores.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("award_round", "--lang", "en", "import", award_round.slug, str(path),
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert str(refused.value).count("回避 (recused)") == len(spellings)
    assert not ExpertScore.objects.exists()


@pytest.mark.parametrize("name", [info.name for info in PROVINCES])
def test_the_grid_add_expert_form_records_every_spelling_canonically(name, admin_client):
    award_round = _round(name, name)
    for number, spelling in enumerate(province_spellings(name)):
        response = admin_client.post(f"/awards/{award_round.slug}/grid/experts/",
                                     {"name": f"表单专家{number}", "province": spelling})
        assert response.status_code == 302, response.content.decode()[-2000:]
    assert set(Expert.objects.filter(round=award_round).values_list("province", flat=True)) == {name}


def test_the_add_expert_form_is_a_list_of_the_34_divisions(admin_client):
    award_round = _round("湖南", "湖南")
    body = admin_client.get(f"/awards/{award_round.slug}/grid/").content.decode()
    select = body[body.index('<select name="province"'):]
    select = select[:select.index("</select>")]
    assert select.count("<option") == 35  # an empty choice, then the 34
    assert '<option value="湖南">Hunan</option>' in select and '<option value="内蒙古">Inner Mongolia</option>' in select


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_unknown_province_is_refused_on_every_path_with_the_accepted_spellings(language, admin_client, tmp_path):
    award_round = _round("湖南", "湖南")
    accepted = "北京、天津、河北"
    with translation.override(language), pytest.raises(services.AwardError) as error:
        services.expert_create(user=None, award_round=award_round, name="火星人", province="火星",
                               via=EntryPath.COMMAND)
    assert "火星" in str(error.value) and accepted in str(error.value)
    client = admin_client
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(f"/awards/{award_round.slug}/grid/experts/", {"name": "火星人", "province": "火星"})
    assert response.status_code == 400 and accepted in response.content.decode()
    text = "expert,expert_province,candidate,province,score\n火星人,火星,测试市,,80\n王专家,湖南,测试市,Mars,80\n"
    with translation.override(language), pytest.raises(ImportFailed) as failed:
        round_import(user=None, award_round=award_round, source=io.BytesIO(text.encode()), file_name="s.csv")
    with translation.override(language):
        lines = failed.value.lines()
    assert any("line 2" in line or "第 2 行" in line for line in lines if "火星" in line), lines
    assert any("Mars" in line and accepted in line for line in lines), lines
    assert not Expert.objects.filter(round=award_round).exists()


def test_the_unknown_province_message_is_chinese_by_default_and_english_on_request() -> None:
    award_round = _round("湖南", "湖南")
    with pytest.raises(services.AwardError) as chinese:
        services.expert_create(user=None, award_round=award_round, name="火星人", province="火星" * 100,
                               via=EntryPath.COMMAND)
    with translation.override("en"), pytest.raises(services.AwardError) as english:
        services.expert_create(user=None, award_round=award_round, name="火星人", province="火星",
                               via=EntryPath.COMMAND)
    assert "不是我国 34 个省级行政区之一" in str(chinese.value) and "火星" * 25 + "…" in str(chinese.value)  # the echo is cut at 50
    assert "is not one of China's 34 province-level divisions" in str(english.value)
