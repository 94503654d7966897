"""Validating an import chunk by chunk, with the state that spans chunks (cities, accounts, periods seen).

A chunk's raw cells become a typed frame of snapshot rows (the STAGED_COLUMNS below) while every
problem is reported to an ErrorLog with its line and column. Cities and accounts are registered on first
sight and get a dense integer id ("gid") for the whole file (registry.AccountRegistry); the registries
become the cities and accounts the writer creates or updates. Rows where every cell is empty are skipped
silently.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from accounts.importing import cells
from accounts.importing.columns import (
    CATEGORIES,
    CITY_LEVELS,
    LEVELS,
    NAMELESS_COLUMN,
    OPTIONAL_COUNT_COLUMNS,
    PLATFORMS,
    REQUIRED_COLUMNS,
    REQUIRED_COUNT_COLUMNS,
    VERIFIED,
    ColumnMap,
)
from accounts.importing.registry import AccountRegistry, Registry
from accounts.models import GovAccount
from core.periods import Period
from core.tables.errors import ErrorLog, Message

DUPLICATE_ROW = _(
    "the account “%(account)s” already has a row for the period %(period)s on line %(line)s; "
    "an account has one row per period"
)
ORIGINAL_EXCEEDS_POSTS = _("original posts (%(original)s) are more than posts (%(posts)s)")

# The typed frame handed to the writer, one row per snapshot. Optional counts use -1 for "not given",
# dates are numpy datetime64[D] (NaT = not given), extra metrics are float columns metric_0, metric_1, …
STAGED_COLUMNS = (
    "line", "account_gid", "period_start", "period_end", "fans", "posts", "original_posts", "reposts",
    "comments", "likes", "replies", "original_reposts", "original_comments", "last_post_on",
)
NOT_GIVEN = -1


@dataclass
class DuplicateIndex:
    """Packed (account gid, period start, period length) keys of every row so far, to find repeats.

    Packing is exact (no hashing): gid < 2**31, days since 1970 < 2**16 up to 2149, lengths < 2**16 days.
    Sorted runs are kept per chunk and merged when there are many, so each lookup is a binary search.
    """

    runs: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)

    @staticmethod
    def pack(gids: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        start_days = starts.astype("datetime64[D]").astype(np.int64)
        length = (ends - starts).astype(np.int64)
        return (gids.astype(np.int64) << 32) | (start_days << 16) | length

    def first_lines(self, keys: np.ndarray, lines: np.ndarray) -> np.ndarray:
        """For each row: the line of an earlier row with the same key, or 0. Then remember the rows."""
        order = np.argsort(keys, kind="stable")
        sorted_keys, first_at = np.unique(keys[order], return_index=True)
        first_rows = order[first_at]
        earlier = np.zeros(len(keys), dtype=np.int64)
        position = np.searchsorted(sorted_keys, keys)
        repeat = first_rows[position] != np.arange(len(keys))
        earlier[repeat] = lines[first_rows[position[repeat]]]
        for run_keys, run_lines in self.runs:
            found = np.searchsorted(run_keys, keys).clip(max=len(run_keys) - 1)
            hit = (run_keys[found] == keys) & (earlier == 0)
            earlier[hit] = run_lines[found[hit]]
        self.runs.append((sorted_keys, lines[first_rows].astype(np.int32)))
        if len(self.runs) > 8:
            self.runs = [self._merged()]
        return earlier

    def _merged(self) -> tuple[np.ndarray, np.ndarray]:
        """One sorted run of them all. The small recent runs are sorted together, then inserted into the
        first (largest) run by binary search: about twice the largest run in memory at the peak, not four
        times (a daily national quarter is 16M rows: 12 bytes each). Equal keys keep their file order."""
        (big_keys, big_lines), recent = self.runs[0], self.runs[1:]
        self.runs = []
        keys = np.concatenate([run[0] for run in recent])
        order = np.argsort(keys, kind="stable")
        keys, lines = keys[order], np.concatenate([run[1] for run in recent])[order]
        at = np.searchsorted(big_keys, keys, side="right")
        return np.insert(big_keys, at, keys), np.insert(big_lines, at, lines)


# How each known column (other than period, which needs the cache) is converted and checked.
_CONVERTERS = {
    "city": lambda raw: cells.text(raw, max_length=64),
    "province": cells.provinces,
    "account": lambda raw: cells.text(raw, max_length=128),
    "platform": lambda raw: cells.coded(raw, values=PLATFORMS, what=_("platform"),
                                        default=GovAccount.Platform.SINA.value),
    "category": lambda raw: cells.coded(raw, values=CATEGORIES, what=_("category")),
    "level": lambda raw: cells.coded(raw, values=LEVELS, what=_("level")),
    "uid": lambda raw: cells.text(raw, max_length=32),
    "verified": lambda raw: cells.coded(raw, values=VERIFIED, what=_("verified value")),
    "opened_on": cells.dates,
    "last_post_on": cells.dates,
    "city_level": lambda raw: cells.coded(raw, values=CITY_LEVELS, what=_("city level")),
    "admin_code": cells.admin_codes,
    "name_en": lambda raw: cells.text(raw, max_length=64),
    **{name: cells.count for name in (*REQUIRED_COUNT_COLUMNS, *OPTIONAL_COUNT_COLUMNS)},
}
# The account columns' converters, for every importer whose rows name their account as snapshot files do
# (the province mapped to its canonical short name, the coded values to theirs).
ACCOUNT_CONVERTERS = {name: _CONVERTERS[name] for name in ("city", "province", "account", "platform", "category",
                                                            "level")}


def _usable(column: cells.Converted) -> np.ndarray:
    """Cells that are filled in and passed their own column's checks."""
    return np.logical_and.reduce([~column.empty, *[~problem.mask for problem in column.problems]])


def _original_exceeds_posts(converted: dict) -> cells.Problem:
    """original_posts > posts, checked wherever both cells are usable, even if the row has other
    problems: the user then sees every problem of the row in one pass."""
    posts, original = converted["posts"], converted["original_posts"]
    mask = _usable(posts) & _usable(original) & (original.values > posts.values)
    return cells.Problem(mask, lambda row: Message(
        ORIGINAL_EXCEEDS_POSTS, original=original.values[row], posts=posts.values[row]))


@dataclass
class Validator:
    """Turns raw chunks into typed snapshot frames; accumulates cities, accounts and errors."""

    columns: ColumnMap
    errors: ErrorLog
    period_cache: dict = field(default_factory=dict)
    registry: AccountRegistry = field(default_factory=AccountRegistry)
    duplicates: DuplicateIndex = field(default_factory=DuplicateIndex)
    rows: int = 0

    @property
    def cities(self) -> Registry:
        return self.registry.cities

    @property
    def accounts(self) -> Registry:
        return self.registry.accounts

    @property
    def metric_names(self) -> list[str]:
        return [header for _, header in self.columns.extras]

    def _raw(self, chunk: pd.DataFrame, canonical: str) -> pd.Series | None:
        position = self.columns.known.get(canonical, (None,))[0]
        if position is None or position >= chunk.shape[1]:
            return None
        return chunk[position]

    def _convert(self, chunk: pd.DataFrame) -> tuple[dict, list]:
        """Every column converted; returns (converted by name, [(header, problem), …])."""
        converted, problems = {}, []
        for name, convert in _CONVERTERS.items():
            raw = self._raw(chunk, name)
            if raw is not None:
                converted[name] = convert(raw)
        if (raw := self._raw(chunk, "period")) is not None:
            converted["period"] = cells.periods(raw, cache=self.period_cache)
        for number, (position, _header) in enumerate(self.columns.extras):
            converted[f"metric_{number}"] = cells.metric(chunk[position])
        for position in [*self.columns.nameless, *range(self.columns.width, chunk.shape[1])]:
            nameless = cells.text(chunk[position], max_length=10**9)
            nameless.problems = [cells.Problem(~nameless.empty, lambda row, position=position: Message(
                NAMELESS_COLUMN, position=position + 1))]
            converted[f"nameless_{position}"] = nameless
        for name, column in converted.items():
            header = self._header(name)
            problems.extend((header, problem) for problem in column.problems)
            if name in REQUIRED_COLUMNS:
                problems.append((header, cells.Problem(column.empty, lambda row: Message(cells.EMPTY_REQUIRED))))
        problems.append((self._header("original_posts"), _original_exceeds_posts(converted)))
        # Report a line's problems in the file's column order.
        positions = {header: position for position, header in self._headers_by_position()}
        problems.sort(key=lambda item: positions.get(item[0], len(positions)))
        return converted, problems

    def _headers_by_position(self) -> list[tuple[int, str]]:
        return sorted([*self.columns.known.values(), *self.columns.extras])

    def _header(self, name: str) -> str | None:
        if name.startswith("metric_"):
            return self.columns.extras[int(name.removeprefix("metric_"))][1]
        if name.startswith("nameless_"):
            return None
        return self.columns.header(name)

    def _report(self, problems: list, lines: np.ndarray, skip: np.ndarray) -> np.ndarray:
        return cells.report(self.errors, problems, lines, skip)

    def validate(self, lines: np.ndarray, chunk: pd.DataFrame) -> pd.DataFrame | None:
        """Check one chunk (lines: the file line of each row). Returns its typed snapshot frame, or None
        once the file has any error."""
        converted, problems = self._convert(chunk)
        blank = np.logical_and.reduce([column.empty for column in converted.values()])
        bad = self._report(problems, lines, blank)
        ok = ~(bad | blank)
        self.rows += int(ok.sum()) + int(bad.sum())
        if not ok.any():
            return None
        account_gids, city_gids = self.registry.register(converted, ok, lines)
        self._report(self._cross_row_problems(converted, ok, lines, account_gids, city_gids), lines, ~ok)
        if self.errors:
            return None
        return self._staged(converted, lines, account_gids, ok)

    def _cross_row_problems(
        self, converted: dict, ok: np.ndarray, lines: np.ndarray, gids: np.ndarray, city_gids: np.ndarray
    ) -> list:
        problems = self.registry.conflicts(converted, ok, gids, city_gids, header=self._header)
        keys = DuplicateIndex.pack(np.where(ok, gids, 0), converted["period"].values, converted["period"].ends)
        earlier = np.zeros(len(lines), dtype=np.int64)
        earlier[ok] = self.duplicates.first_lines(keys[ok], lines[ok])
        starts, ends, names = converted["period"].values, converted["period"].ends, converted["account"].values
        problems.append((self._header("period"), cells.Problem(earlier > 0, lambda row: Message(
            DUPLICATE_ROW, account=names[row], line=earlier[row],
            period=Period(starts[row].item(), ends[row].item()).label))))
        return problems

    def _staged(self, converted: dict, lines: np.ndarray, gids: np.ndarray, ok: np.ndarray) -> pd.DataFrame:
        frame = {"line": lines, "account_gid": gids, "period_start": converted["period"].values,
                 "period_end": converted["period"].ends}
        for name in REQUIRED_COUNT_COLUMNS:
            frame[name] = converted[name].values
        for name in OPTIONAL_COUNT_COLUMNS:
            column = converted.get(name)
            frame[name] = (np.where(column.empty, NOT_GIVEN, column.values) if column
                           else np.full(len(lines), NOT_GIVEN, dtype=np.int64))
        last_post = converted.get("last_post_on")
        frame["last_post_on"] = last_post.values if last_post else np.full(len(lines), "NaT", dtype="datetime64[D]")
        for number in range(len(self.columns.extras)):
            frame[f"metric_{number}"] = converted[f"metric_{number}"].values
        return pd.DataFrame(frame).loc[ok].reset_index(drop=True)
