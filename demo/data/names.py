"""Plausible screen names for generated government accounts.

Each city gets accounts at three levels: the city itself (平安长沙, 长沙发布, 共青团长沙市委 …), its
counties and districts (平安龙泉, 龙泉区交警大队 …) and their townships and street offices
(龙泉镇派出所, 青山发布 …). Real district names are used for the seed article's three Hunan cities;
elsewhere county and township names are made up from common place-name characters, so a name such as
龙泉区 may or may not exist in that city. Every name is a template over a place, so it reads like a
real account even when the place is invented.

Pure Python and numpy; no Django.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

import numpy as np

from demo.data.cities import CityInfo

POLICE, TRAFFIC, PRESS, YOUTH, TOURISM, OTHER = "police", "traffic", "press", "youth", "tourism", "other"
CATEGORIES = (POLICE, TRAFFIC, PRESS, YOUTH, TOURISM, OTHER)
CITY, COUNTY, TOWNSHIP = "city", "county", "township"
LEVELS = (CITY, COUNTY, TOWNSHIP)

# Templates: {s} is the city's short form (长沙), {f} its formal form (长沙市);
# {p} a county or township's short name (天心), {pf} its full name (天心区).
# The first template of each of the five award categories leads, so even a small city gets one
# account per category before it gets a second of any.
CITY_TEMPLATES: tuple[tuple[str, str], ...] = (
    (PRESS, "{s}发布"), (POLICE, "平安{s}"), (TRAFFIC, "{s}交警"), (YOUTH, "共青团{f}委"), (TOURISM, "{s}旅游"),
    (POLICE, "{s}公安"), (POLICE, "{f}公安局"), (POLICE, "{s}警方"), (POLICE, "{s}网警"), (POLICE, "{s}巡警"),
    (POLICE, "{s}禁毒"), (TRAFFIC, "{f}交警支队"), (TRAFFIC, "{s}交通安全"), (TRAFFIC, "{s}高速交警"),
    (PRESS, "{f}政府新闻办"), (PRESS, "微{s}"), (PRESS, "{f}人民政府"), (PRESS, "{s}政务"),
    (YOUTH, "{s}青年"), (YOUTH, "{s}青年志愿者"), (TOURISM, "{f}旅游局"), (TOURISM, "游{s}"),
    (TOURISM, "{s}旅游咨询"), (OTHER, "{f}环保局"), (OTHER, "{s}气象"), (OTHER, "{s}消防"),
    (OTHER, "{f}中级人民法院"), (OTHER, "{f}人民检察院"), (OTHER, "{s}城管"), (OTHER, "{f}卫生局"),
    (OTHER, "{f}教育局"), (OTHER, "{f}司法局"), (OTHER, "{f}工商局"), (OTHER, "{f}民政局"),
    (OTHER, "{f}地税局"), (OTHER, "{f}国税局"), (OTHER, "{f}人社局"), (OTHER, "{f}住建委"),
)
COUNTY_TEMPLATES: tuple[tuple[str, str], ...] = (
    (POLICE, "平安{p}"), (PRESS, "{p}发布"), (TRAFFIC, "{p}交警"), (YOUTH, "共青团{pf}委"), (TOURISM, "{p}旅游"),
    (POLICE, "{p}公安"), (POLICE, "{pf}公安局"), (TRAFFIC, "{pf}交警大队"), (PRESS, "微{p}"),
    (PRESS, "{pf}人民政府"), (YOUTH, "{p}青年"), (TOURISM, "游{p}"), (OTHER, "{pf}人民法院"),
    (OTHER, "{pf}检察院"), (OTHER, "{p}气象"), (OTHER, "{p}消防"), (OTHER, "{pf}城管局"), (OTHER, "{pf}环保局"),
    (OTHER, "{pf}卫生局"), (OTHER, "{pf}教育局"), (OTHER, "{pf}司法局"),
)
TOWNSHIP_TEMPLATES: tuple[tuple[str, str], ...] = (
    (POLICE, "{pf}派出所"), (PRESS, "{p}发布"), (YOUTH, "{pf}团委"), (TRAFFIC, "{p}交警中队"),
    (TOURISM, "{p}旅游"), (POLICE, "平安{p}"), (PRESS, "{pf}政务"), (PRESS, "微{p}"), (OTHER, "{pf}司法所"),
    (OTHER, "{pf}卫生院"), (OTHER, "{p}社区"), (OTHER, "{pf}综治办"),
)
_TEMPLATES = {CITY: CITY_TEMPLATES, COUNTY: COUNTY_TEMPLATES, TOWNSHIP: TOWNSHIP_TEMPLATES}

# Real county-level divisions (2012) of the seed article's cities, as (short, full).
REAL_COUNTIES: dict[str, tuple[tuple[str, str], ...]] = {
    "长沙": (("芙蓉", "芙蓉区"), ("天心", "天心区"), ("岳麓", "岳麓区"), ("开福", "开福区"), ("雨花", "雨花区"),
           ("望城", "望城区"), ("浏阳", "浏阳市"), ("宁乡", "宁乡县"), ("星沙", "长沙县")),
    "株洲": (("荷塘", "荷塘区"), ("芦淞", "芦淞区"), ("石峰", "石峰区"), ("天元", "天元区"), ("攸县", "攸县"),
           ("茶陵", "茶陵县"), ("炎陵", "炎陵县"), ("醴陵", "醴陵市")),
    "张家界": (("永定", "永定区"), ("武陵源", "武陵源区"), ("慈利", "慈利县"), ("桑植", "桑植县")),
}

# Characters common in Chinese place names; two of them make a county or township name (龙泉, 青山).
_PLACE_CHARS = "东西南北中新安平和兴华宁阳山河湖江桥林溪泉石龙凤云青白金丰福德永长清明光泰康岭峰源田桃花松柳梅乐昌顺"
_COUNTY_SUFFIXES = ("区", "县", "市")
_TOWNSHIP_SUFFIXES = ("镇", "乡", "街道")
# Accounts per county and per township drawn on average; sets how many places a city gets.
_ACCOUNTS_PER_COUNTY, _ACCOUNTS_PER_TOWNSHIP = 6, 3


@dataclass(frozen=True)
class AccountName:
    name: str
    fallback: str  # the same template over city-qualified place names, used if `name` is taken
    category: str
    level: str
    lead: bool = False  # one of the city's five leading accounts (one per award category)


def _place_pool(count: int, rng: np.random.Generator) -> list[str]:
    """`count` distinct made-up place names (two characters, three if two run out)."""
    two = ["".join(pair) for pair in permutations(_PLACE_CHARS, 2)]
    if count <= len(two):
        return [two[i] for i in rng.choice(len(two), size=count, replace=False)]
    three = ["".join(triple) for triple in permutations(_PLACE_CHARS, 3)]
    picked = rng.choice(len(three), size=count - len(two), replace=False)
    return two + [three[i] for i in picked]


def _level_counts(total: int) -> tuple[int, int, int]:
    """How many of a city's `total` generic accounts are city, county and township level.

    Small cities (the demo's 8-30 accounts) are mostly city-level accounts, as in the 2012 award;
    at national scale most accounts are county and township ones, as they are in reality.
    """
    if total <= 40:
        city = min(total, round(0.55 * total))
        county = round(0.6 * (total - city))
    else:
        city = min(len(CITY_TEMPLATES), 22 + round(0.02 * total))
        county = round(0.45 * (total - city))
    return city, county, total - city - county


def _pick(level: str, places: list[tuple[str, str]], count: int, city: CityInfo,
          reserved: set[str], rng: np.random.Generator) -> list[AccountName]:
    """`count` distinct (place, template) accounts of one level, none of them a reserved name."""
    templates = _TEMPLATES[level]
    candidates: list[AccountName] = []
    for short, full in places or [(city.short, city.formal)]:
        for category, template in templates:
            name = template.format(s=city.short, f=city.formal, p=short, pf=full)
            fallback = template.format(s=city.short, f=city.formal, p=city.short + short,
                                       pf=city.short + full)
            if name not in reserved:
                candidates.append(AccountName(name, fallback, category, level))
    if level == CITY:
        # Keep the five leading templates (one per award category) first, shuffle the rest.
        lead = [AccountName(c.name, c.fallback, c.category, c.level, lead=True) for c in candidates[:5]]
        rest = candidates[5:]
        order = list(rng.permutation(len(rest)))
        return (lead + [rest[i] for i in order])[:count]
    chosen = rng.choice(len(candidates), size=min(count, len(candidates)), replace=False)
    return [candidates[i] for i in sorted(chosen)]


def _places(city: CityInfo, counties: int, townships: int, rng: np.random.Generator,
            ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    real = list(REAL_COUNTIES.get(city.name, ()))
    real_names = {short for short, _ in real}
    made_up = [name for name in _place_pool(counties + townships + len(real), rng) if name not in real_names]
    county_suffix = rng.choice(len(_COUNTY_SUFFIXES), size=counties, p=[0.4, 0.45, 0.15])
    township_suffix = rng.choice(len(_TOWNSHIP_SUFFIXES), size=townships, p=[0.55, 0.2, 0.25])
    county_places = (real + [(p, p + _COUNTY_SUFFIXES[s]) for p, s in zip(made_up, county_suffix, strict=False)])[:counties]
    township_names = made_up[counties:counties + townships]
    township_places = [(p, p + _TOWNSHIP_SUFFIXES[s]) for p, s in zip(township_names, township_suffix, strict=False)]
    return county_places, township_places


def city_account_names(city: CityInfo, total: int, *, reserved: set[str],
                       rng: np.random.Generator) -> list[AccountName]:
    """Exactly `total` generic accounts for one city: city level first, then county, then township.

    A reserved name (one of the seed article's accounts) is never produced; if that leaves the city
    templates short, the township level takes up the difference.
    """
    n_city, n_county, n_township = _level_counts(total)
    city_names = _pick(CITY, [], n_city, city, reserved, rng)
    n_township += n_city - len(city_names)
    counties = -(-n_county // _ACCOUNTS_PER_COUNTY) if n_county else 0
    townships = -(-n_township // _ACCOUNTS_PER_TOWNSHIP) if n_township else 0
    county_places, township_places = _places(city, counties, townships, rng)
    return (
        city_names
        + _pick(COUNTY, county_places, n_county, city, reserved, rng)
        + _pick(TOWNSHIP, township_places, n_township, city, reserved, rng)
    )
