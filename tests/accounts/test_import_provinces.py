"""A snapshot file's province in any spelling names the one canonical province (issue 18): "成都, 四川省"
is the existing city 成都/四川, never a second 成都; an unknown province is refused with its line and the
accepted spellings, in Chinese by default and in English."""
from __future__ import annotations

from pathlib import Path

import pytest

from accounts.models import City, GovAccount
from accounts.services import snapshots_import
from core.provinces import PROVINCES, province_spellings
from tests.factories import CityFactory, import_csv_text, import_row, rejected

pytestmark = pytest.mark.django_db


def _import(tmp_path: Path, *rows: dict) -> None:
    path = tmp_path / "snapshots.csv"
    path.write_text(import_csv_text(list(rows)), encoding="utf-8")
    snapshots_import(source=path)


def test_a_row_spelling_the_province_in_full_lands_in_the_existing_city(tmp_path: Path) -> None:
    chengdu = CityFactory(name="成都", province="四川")
    _import(tmp_path, import_row(city="成都", province="四川省", account="成都发布"))
    assert list(City.objects.values_list("id", "name", "province")) == [(chengdu.pk, "成都", "四川")]
    assert GovAccount.objects.get().city_id == chengdu.pk


def test_one_file_spelling_a_province_several_ways_makes_one_city(tmp_path: Path) -> None:
    spellings = ["广西", "广西壮族自治区", "广西省", "Guangxi", "GUANGXI ZHUANG AUTONOMOUS REGION", " 广西 "]
    _import(tmp_path, *[import_row(city="南宁", province=spelling, account=f"南宁{number}")
                        for number, spelling in enumerate(spellings)])
    assert list(City.objects.values_list("name", "province")) == [("南宁", "广西")]
    assert GovAccount.objects.count() == len(spellings)


@pytest.mark.parametrize("name", [info.name for info in PROVINCES])
def test_every_spelling_of_every_division_is_imported_as_the_canonical_name(tmp_path: Path, name: str) -> None:
    spellings = province_spellings(name)
    _import(tmp_path, *[import_row(city="某市", province=spelling, account=f"账号{number}")
                        for number, spelling in enumerate(spellings)])
    assert list(City.objects.values_list("province", flat=True)) == [name]


def test_an_unknown_province_is_refused_with_its_line_and_the_accepted_spellings(tmp_path: Path) -> None:
    text = import_csv_text([import_row(), import_row(province="火星", account="火星警事"),
                            import_row(province="X" * 80, account="长账号")])
    english = rejected(tmp_path, text)
    assert english[0].startswith("line 3, column province: “火星” is not one of China's 34 province-level divisions")
    assert "Accepted: 北京、天津、河北" in english[0] and "湖南省" in english[0]
    assert english[1].startswith("line 4, column province: “" + "X" * 50 + "…”")  # the echo is cut
    chinese = rejected(tmp_path, text, language="zh-hans")
    assert "“火星”不是我国 34 个省级行政区之一" in chinese[0] and "北京、天津、河北" in chinese[0]
