"""Vectorised text assembly: millions of post, question and reply texts from templates, no loop per text.

A template is a string with `{slot}` placeholders (`"【路况】{time}，{cityf}{crossing}{jam}"`). A slot is a
table of strings and a rule that picks a row of it for each text: a topic's own options (`{jam}`), or
one of the shared slots of `SHARED_SLOTS` (the account's city, the post's date, a road crossing, a
citizen's nickname, a t.cn link …). Random picks hash the text's key with the slot's name, so a question
and its answer, rendered with one key, name the same road or document. Each text is the concatenation of one or more templates (a
repost is a comment template followed by the reposted post's template).

How it stays fast: each template is compiled once into one table per slot with the template's fixed
text baked into the tables, so a text of k slots is k table look-ups (numpy fancy indexing on object
arrays). The pieces of a whole batch are joined into one string and split once at a separator that no
piece contains: two C-level passes instead of one Python string operation per text. Pure Python and
numpy; no Django.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import product

import numpy as np

from demo.data.cities import CITIES
from demo.data.names import CITY_TEMPLATES, POLICE, PRESS, TOURISM, TRAFFIC, YOUTH
from demo.data.post_places import NICK_HEADS, NICK_TAILS, ROADS, city_spots

SEPARATOR = "\x00"  # ends every text in a batch; no template or option contains it
_SLOT = re.compile(r"\{(\w+)\}")
# Slots written as one but drawn as several: a Weibo short link (http://t.cn/ + 7 characters, as Sina
# wrote them in 2012) and an 8-digit work-order number, each from independent 2- or 4-character tables.
MACROS = {"{link}": "http://t.cn/z{link_a}{link_b}{link_c}", "{ticket}": "{ticket_a}{ticket_b}"}
_ALPHANUMERIC = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
# The five award categories whose city-level leading account (平安长沙, 长沙发布 …) others repost.
SOURCE_CATEGORIES = (POLICE, TRAFFIC, PRESS, YOUTH, TOURISM)
SPOTS_PER_CITY = 4


@dataclass(frozen=True)
class Topic:
    """A kind of post (警情通报, 路况 …): its templates and the options of its own slots.

    `service` marks a government-service topic (it counts towards 政务内容占比); chatter such as a
    morning greeting does not.
    """

    name: str
    weight: float
    service: bool
    templates: tuple[str, ...]
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Exchange:
    """A kind of citizen question (办证, 路况 …) and the kinds of answer a caring account gives it."""

    name: str
    weight: float
    questions: tuple[str, ...]
    answers: tuple[str, ...]
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """Per-text facts the slots read, one entry per text of the batch.

    key: a random uint64 per text; every slot's choice is a hash of the key and the slot's name, so a
    question and its answer rendered with the same key name the same road, document or spot.
    city: index into CITIES; month (1-12) and day (1-31): the date a text may name; source: index into
    the table of leading accounts, city * 5 + position in SOURCE_CATEGORIES.
    """

    key: np.ndarray
    city: np.ndarray
    month: np.ndarray
    day: np.ndarray
    source: np.ndarray


# (context, rows of the batch, table size, the slot's hashed name) -> row of the table for each text
Picker = Callable[[Context, np.ndarray, int, np.uint64], np.ndarray]


def slot_salt(name: str) -> np.uint64:
    """An odd 64-bit multiplier for a slot name (stable across runs, unlike hash())."""
    return np.uint64((zlib.crc32(name.encode()) * 0x9E3779B97F4A7C15 | 1) % 2**64)


def _uniform(ctx: Context, rows: np.ndarray, salt: np.uint64) -> np.ndarray:
    """A value in [0, 2**31) per text, a hash of its key and the slot (wrapping multiplication)."""
    return (ctx.key[rows] * salt) >> np.uint64(33)


def _objects(values: list[str]) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _random(ctx: Context, rows: np.ndarray, size: int, salt: np.uint64) -> np.ndarray:
    return (_uniform(ctx, rows, salt) % np.uint64(size)).astype(np.int64)


def _by_city(ctx: Context, rows: np.ndarray, _size: int, _salt: np.uint64) -> np.ndarray:
    return ctx.city[rows]


def _spot(ctx: Context, rows: np.ndarray, _size: int, salt: np.uint64) -> np.ndarray:
    return ctx.city[rows] * SPOTS_PER_CITY + _random(ctx, rows, SPOTS_PER_CITY, salt)


def _date(ctx: Context, rows: np.ndarray, _size: int, _salt: np.uint64) -> np.ndarray:
    return ctx.month[rows] * 32 + ctx.day[rows]


def _source(ctx: Context, rows: np.ndarray, _size: int, _salt: np.uint64) -> np.ndarray:
    return ctx.source[rows]


def _time(ctx: Context, rows: np.ndarray, _size: int, salt: np.uint64) -> np.ndarray:
    # Incidents and traffic reports name daytime more often than night.
    share = _uniform(ctx, rows, salt) / 2.0**31
    hours = np.minimum(np.searchsorted(np.cumsum(DAYTIME_HOURS), share, side="right"), 23)
    return hours * 60 + _random(ctx, rows, 60, salt ^ np.uint64(0xFFFF))


def _shared_slots() -> dict[str, tuple[np.ndarray, Picker]]:
    cities = list(CITIES)
    leading = dict((category, template) for category, template in CITY_TEMPLATES[:5])
    dates = [f"{month}月{day}日" for month in range(13) for day in range(32)]
    crossings = [f"{a}与{b}交叉口" for a, b in product(ROADS, ROADS) if a != b]
    nicknames = [head + tail for head, tail in product(NICK_HEADS, NICK_TAILS)]
    return {
        "city": (_objects([c.short for c in cities]), _by_city),
        "cityf": (_objects([c.formal for c in cities]), _by_city),
        "spot": (_objects([spot for c in cities for spot in city_spots(c, SPOTS_PER_CITY)]), _spot),
        "source": (_objects([leading[category].format(s=c.short, f=c.formal)
                             for c in cities for category in SOURCE_CATEGORIES]), _source),
        "date": (_objects(dates), _date),
        "time": (_objects([f"{h}时{m}分" if m else f"{h}时" for h in range(24) for m in range(60)]), _time),
        "hour": (_objects([f"{h}时" for h in range(7, 21)]), _random),
        "road": (_objects(list(ROADS)), _random),
        "crossing": (_objects(crossings), _random),
        "k": (_objects(list("两三四五六七八九")), _random),
        "n": (_objects([str(number) for number in range(2, 100)]), _random),
        "nick": (_objects(nicknames), _random),
        **{f"link_{part}": (_objects([a + b for a, b in product(_ALPHANUMERIC, repeat=2)]), _random)
           for part in "abc"},
        **{f"ticket_{part}": (_objects([f"{number:04d}" for number in range(10_000)]), _random)
           for part in "ab"},
        "officer": (_objects([f"{surname}警官" for surname in _SURNAMES]), _random),
        "clerk": (_objects([f"{surname}{title}" for surname in _SURNAMES for title in ("老师", "同志", "科长")]),
                  _random),
    }


# Hour-of-day shares in China time: morning and afternoon office peaks, an evening bump, quiet nights.
_HOUR_WEIGHTS = np.array([1.0, 0.5, 0.3, 0.2, 0.2, 0.4, 1.5, 4.0, 8.0, 10.0, 10.0, 8.5,
                          5.0, 5.0, 7.0, 8.0, 8.0, 7.0, 5.0, 5.0, 6.0, 6.0, 4.0, 2.0])
DAYTIME_HOURS = _HOUR_WEIGHTS / _HOUR_WEIGHTS.sum()
SHARED_SLOTS = _shared_slots()


@dataclass(frozen=True)
class _Compiled:
    tables: tuple[np.ndarray, ...]  # one per slot, fixed text baked in
    pickers: tuple[Picker, ...]
    salts: tuple[np.uint64, ...]


def compile_template(text: str, options: Mapping[str, tuple[str, ...]]) -> _Compiled:
    """One table per slot, the text before a slot (and after the last) baked into its table.

    Raises ValueError for a slot that is neither an option of the template nor a shared slot, or for a
    separator inside the text: caught when the template book is built, long before any data.
    """
    if SEPARATOR in text or any(SEPARATOR in value for values in options.values() for value in values):
        raise ValueError(f"template {text!r} contains the separator")
    for macro, expansion in MACROS.items():
        text = text.replace(macro, expansion)
    parts = _SLOT.split(text)  # literal, slot, literal, slot, …, literal
    literals, slots = parts[0::2], parts[1::2]
    if not slots:
        return _Compiled((_objects([text]),), (_random,), (np.uint64(1),))
    tables, pickers = [], []
    for position, name in enumerate(slots):
        if name in options:
            table, picker = _objects(list(options[name])), _random
        elif name in SHARED_SLOTS:
            table, picker = SHARED_SLOTS[name]
        else:
            raise ValueError(f"template {text!r}: unknown slot {{{name}}}")
        before = literals[position]
        after = literals[-1] if position == len(slots) - 1 else ""
        tables.append(_objects([before + value + after for value in table]))
        pickers.append(picker)
    return _Compiled(tuple(tables), tuple(pickers), tuple(slot_salt(name) for name in slots))


class TemplateBook:
    """Templates by id, each compiled once; renders a batch of texts in one join and one split."""

    def __init__(self) -> None:
        self._compiled: list[_Compiled] = []
        self._texts: list[str] = []

    def add(self, text: str, options: Mapping[str, tuple[str, ...]]) -> int:
        self._compiled.append(compile_template(text, options))
        self._texts.append(text)
        return len(self._compiled) - 1

    def text(self, template_id: int) -> str:
        return self._texts[template_id]

    def render(self, ids: np.ndarray, ctx: Context) -> np.ndarray:
        """Texts for rows of template ids: `ids` is (n,) or (n, k), a text being the concatenation of
        its row's templates left to right (-1: none). Returns an (n,) object array of str.

        Rows are grouped by their combination of templates; each group is filled slot by slot.
        """
        ids = ids.reshape(len(ids), -1)
        if len(ids) == 0:
            return np.empty(0, dtype=object)
        # One integer per combination of templates (ids + 1 in base len(templates) + 1), sorted stably.
        combination = np.zeros(len(ids), dtype=np.int64)
        for column in range(ids.shape[1]):
            combination = combination * (len(self._compiled) + 1) + ids[:, column] + 1
        order = np.argsort(combination, kind="stable")
        sorted_combinations = combination[order]
        bounds = np.flatnonzero(np.diff(sorted_combinations)) + 1
        bounds = np.concatenate(([0], bounds, [len(ids)]))
        combos = ids[order[bounds[:-1]]]
        pieces = [self._fill(combo, order[bounds[i]:bounds[i + 1]], ctx)
                  for i, combo in enumerate(combos)]
        texts = "".join(np.concatenate(pieces).tolist()).split(SEPARATOR)[:-1]
        result = np.empty(len(ids), dtype=object)
        result[order] = texts
        return result

    def _fill(self, combo: np.ndarray, rows: np.ndarray, ctx: Context) -> np.ndarray:
        """The pieces of one group's texts in reading order (row-major), a separator after each."""
        compiled = [self._compiled[template_id] for template_id in combo if template_id >= 0]
        width = sum(len(c.tables) for c in compiled) + 1
        grid = np.empty((width, len(rows)), dtype=object)
        column = 0
        for template in compiled:
            for table, picker, salt in zip(template.tables, template.pickers, template.salts, strict=True):
                grid[column] = table[picker(ctx, rows, len(table), salt)]
                column += 1
        grid[column] = SEPARATOR
        return grid.T.ravel()
