"""core.provinces: the 34 province-level divisions and every spelling that names one (issue 18)."""
from __future__ import annotations

import pytest
from django.utils import translation

from core.provinces import (
    PROVINCES,
    ProvinceField,
    ProvinceUnknown,
    province_canonical,
    province_choices,
    province_english,
    province_names,
    province_sort_key,
    province_spellings,
)


def test_there_are_34_divisions_with_distinct_names_codes_and_english_names() -> None:
    assert len(PROVINCES) == 34
    for attribute in ("name", "full_name", "adcode", "name_en", "pinyin"):
        assert len({getattr(info, attribute) for info in PROVINCES}) == 34, attribute
    assert all(info.adcode.isdigit() and info.adcode.endswith("0000") for info in PROVINCES)


@pytest.mark.parametrize(("spelling", "name"), [
    ("湖南", "湖南"), ("湖南省", "湖南"), ("Hunan", "湖南"), ("hunan province", "湖南"), ("  HUNAN  ", "湖南"),
    ("广西", "广西"), ("广西壮族自治区", "广西"), ("广西省", "广西"), ("Guangxi Zhuang Autonomous Region", "广西"),
    ("内蒙古", "内蒙古"), ("内蒙古自治区", "内蒙古"), ("Inner Mongolia", "内蒙古"), ("Nei Mongol", "内蒙古"),
    ("北京", "北京"), ("北京市", "北京"), ("Beijing Municipality", "北京"),
    ("新疆", "新疆"), ("新疆维吾尔自治区", "新疆"), ("Xinjiang Uyghur Autonomous Region", "新疆"),
    ("西藏", "西藏"), ("Tibet", "西藏"), ("Xizang", "西藏"),
    ("香港", "香港"), ("香港特别行政区", "香港"), ("Hong Kong", "香港"), ("Hong Kong SAR", "香港"),
    ("澳门", "澳门"), ("澳門", "澳门"), ("Macau", "澳门"), ("Macao", "澳门"),
    ("台湾", "台湾"), ("臺灣", "台湾"), ("Taiwan", "台湾"),
    ("Shanxi", "山西"), ("Shaanxi", "陕西"), ("ＨＵＮＡＮ", "湖南"),  # full-width letters
])
def test_a_spelling_maps_to_its_canonical_short_name(spelling: str, name: str) -> None:
    assert province_canonical(spelling) == name


@pytest.mark.parametrize("name", [info.name for info in PROVINCES])
def test_every_listed_spelling_of_a_division_maps_back_to_it(name: str) -> None:
    spellings = province_spellings(name)
    info = next(info for info in PROVINCES if info.name == name)
    assert {name, info.full_name, info.name_en} <= set(spellings)
    assert {province_canonical(spelling) for spelling in spellings} == {name}
    assert {province_canonical(spelling.upper()) for spelling in spellings} == {name}


@pytest.mark.parametrize("spelling", ["火星", "湖", "湖南湖北", "Hunan Hubei", "", "   ", None, "湖南\x00"])
def test_anything_else_is_refused_with_the_accepted_spellings(spelling) -> None:
    with translation.override("en"), pytest.raises(ProvinceUnknown) as error:
        province_canonical(spelling)
    assert "北京、天津、河北、山西、内蒙古" in str(error.value)


def test_the_refusal_is_chinese_by_default_and_cuts_a_long_value() -> None:
    with translation.override("zh-hans"), pytest.raises(ProvinceUnknown) as error:
        province_canonical("火" * 200)
    assert str(error.value).startswith("“" + "火" * 50 + "…”不是我国 34 个省级行政区之一")


def test_english_names_and_the_pinyin_order() -> None:
    assert [province_english(name) for name in ("湖南", "内蒙古省", "西藏", "香港", "澳门")] == [
        "Hunan", "Inner Mongolia", "Tibet", "Hong Kong", "Macao"]
    assert province_english("火星") == "火星"
    ordered = sorted(province_names(), key=province_sort_key)
    assert ordered[:3] == ["安徽", "澳门", "北京"] and ordered[-1] == "浙江"
    with translation.override("en"):
        assert province_choices()[0] == ("安徽", "Anhui")
    with translation.override("zh-hans"):
        assert province_choices()[0] == ("安徽", "安徽")


def test_the_form_field_offers_the_34_and_maps_a_forged_spelling() -> None:
    field = ProvinceField()
    assert len(list(field.choices)) == 35
    assert field.clean("湖南省") == "湖南" and field.clean("湖南") == "湖南"
    with pytest.raises(Exception, match="火星"):
        field.clean("火星")
