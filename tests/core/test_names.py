"""core.names: place names in English (name_en, customary forms, pinyin) and the pinyin sort order."""
from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from core import names


def test_a_city_reads_as_pinyin_with_the_apostrophe_before_a_vowel_syllable():
    assert names.place_name_en("长沙") == "Changsha"
    assert names.place_name_en("西安") == "Xi'an"
    assert names.place_name_en("重庆市") == "Chongqing"
    assert names.place_name_en("张家界") == "Zhangjiajie"


def test_a_city_keeps_its_own_english_name_or_its_customary_one():
    assert names.place_name_en("长沙", "Changsha City") == "Changsha City"
    assert names.place_name_en("哈尔滨") == "Harbin"
    assert names.place_name_en("呼和浩特") == "Hohhot"


def test_provinces_read_in_english_by_short_or_full_name():
    assert names.province_name_en("湖南") == names.province_name_en("湖南省") == "Hunan"
    assert names.province_name_en("广西壮族自治区") == "Guangxi"
    assert names.province_name_en("内蒙古自治区") == "Inner Mongolia"
    assert names.province_name_en("陕西") == "Shaanxi" and names.province_name_en("山西") == "Shanxi"
    assert len(names.province_names_en()) == 34


def test_names_follow_the_active_language():
    with translation.override("en"):
        assert names.place_name("长沙") == "Changsha" and names.province_name("湖南省") == "Hunan"
    with translation.override("zh-hans"):
        assert names.place_name("长沙") == "长沙" and names.province_name("湖南省") == "湖南省"


def test_places_sort_by_pinyin_not_by_code_point():
    cities = ["株洲", "武汉", "长沙", "上海", "北京", "哈尔滨"]
    assert sorted(cities, key=names.place_sort_key) == ["北京", "长沙", "哈尔滨", "上海", "武汉", "株洲"]


def test_the_template_filters_name_cities_provinces_and_candidates_in_english():
    template = Template("{% load place_names %}{{ city|place_name }}|{{ '湖南'|province_name }}|"
                        "{{ '长沙'|candidate_name:'city' }}|{{ '长沙发布'|candidate_name:'account' }}")

    class City:
        name, name_en = "西安", ""

    with translation.override("en"):
        assert template.render(Context({"city": City()})) == "Xi&#x27;an|Hunan|Changsha|长沙发布"
    with translation.override("zh-hans"):
        assert template.render(Context({"city": City()})) == "西安|湖南|长沙|长沙发布"
