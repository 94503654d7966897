"""Validating an import chunk by chunk, with the state that spans chunks (cities, accounts, periods seen).

A chunk's raw cells become a typed frame of snapshot rows (the STAGED_COLUMNS below) while every
problem is reported to an ErrorLog with its line and column. Cities and accounts are registered on first
sight and get a dense integer id ("gid") for the whole file; the registries become the cities and
accounts the writer creates or updates. Rows where every cell is empty are skipped silently.
"""
from __future__ import annotations

import itertools
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
from accounts.models import GovAccount
from core.periods import Period
from core.tables.errors import ErrorLog, Message

CONFLICT = _(
    "the account “%(account)s” has %(column)s “%(value)s” here but “%(first)s” on line %(line)s; "
    "an account has one city, category and level in a file"
)
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
class Registry:
    """Keys seen so far (e.g. ("sina", "长沙警事")) -> dense ids, with the attributes of each key's first row."""

    attributes: pd.DataFrame
    # A dict grows in place; a pandas Index would be copied and rehashed on every chunk that adds keys.
    ids: dict[tuple[str, str], int] = field(default_factory=dict)

    def resolve(self, keys: np.ndarray, first_rows: pd.DataFrame) -> np.ndarray:
        """Ids of the keys (distinct within one call); unseen keys get the next ids, in order."""
        ids = np.fromiter(map(self.ids.get, keys, itertools.repeat(-1)), dtype=np.int64, count=len(keys))
        new = ids < 0
        if new.any():
            fresh = np.arange(len(self.ids), len(self.ids) + int(new.sum()))
            ids[new] = fresh
            self.ids.update(zip(keys[new].tolist(), fresh.tolist(), strict=True))
            fresh = first_rows.loc[new].reset_index(drop=True)
            self.attributes = fresh if self.attributes.empty else pd.concat(
                [self.attributes, fresh], ignore_index=True
            )
        return ids


def _pair_keys(left: np.ndarray, right_codes: np.ndarray, right_uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the distinct (left, right) pairs per row and each pair's key (built once per pair)."""
    left_codes, left_uniques = pd.factorize(left)
    base = len(right_uniques) + 1  # right code -1 (an empty cell) is shifted to 0, the text ""
    pair_codes, pair_uniques = pd.factorize(left_codes.astype(np.int64) * base + (right_codes + 1))
    left_of = np.asarray(left_uniques, dtype=object)[pair_uniques // base]
    right_of = np.append(np.array([""], dtype=object), right_uniques)[pair_uniques % base]
    # (left, right) tuples of the strings the parser made: their hashes are cached (factorize computed them),
    # so looking the keys up costs far less than building and hashing joined strings.
    keys = np.fromiter(zip(left_of, right_of, strict=True), dtype=object, count=len(pair_uniques))
    return pair_codes, keys


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
    cities: Registry = field(default_factory=lambda: Registry(pd.DataFrame()))
    accounts: Registry = field(default_factory=lambda: Registry(pd.DataFrame()))
    duplicates: DuplicateIndex = field(default_factory=DuplicateIndex)
    rows: int = 0

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
        """Log the problems (the earliest lines first, up to the log's room); return the rows with any."""
        room, found, total = self.errors.room(), [], 0
        bad = np.zeros(len(lines), dtype=bool)
        for order, (header, problem) in enumerate(problems):
            mask = problem.mask & ~skip
            bad |= mask
            rows = np.flatnonzero(mask)
            total += len(rows)
            found.extend((int(lines[row]), order, header, problem, row) for row in rows[:room])
        found.sort(key=lambda item: item[:2])
        for line, _order, header, problem, row in found[:room]:
            self.errors.add(line, header, problem.message(row))
        self.errors.count_only(total - min(len(found), room))
        return bad

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
        city_gids = self._register_cities(converted, ok, lines)
        account_gids = self._register_accounts(converted, ok, lines, city_gids)
        self._report(self._cross_row_problems(converted, ok, lines, account_gids, city_gids), lines, ~ok)
        if self.errors:
            return None
        return self._staged(converted, lines, account_gids, ok)

    def _register_cities(self, converted: dict, ok: np.ndarray, lines: np.ndarray) -> np.ndarray:
        city = converted["city"].distinct
        pair_codes, keys = _pair_keys(converted["province"].values, city.codes, city.uniques)
        first = _first_rows(pair_codes, ok)
        optional = {name: converted[name].values if name in converted else np.full(len(lines), "", dtype=object)
                    for name in ("city_level", "admin_code", "name_en")}
        attributes = pd.DataFrame({
            "province": converted["province"].values[first], "name": converted["city"].values[first],
            "level": optional["city_level"][first], "admin_code": optional["admin_code"][first],
            "name_en": optional["name_en"][first], "line": lines[first],
        })
        gids = np.full(len(keys), -1, dtype=np.int64)
        seen = first >= 0
        gids[seen] = self.cities.resolve(keys[seen], attributes.loc[seen].reset_index(drop=True))
        return gids[pair_codes]

    def _register_accounts(self, converted: dict, ok: np.ndarray, lines: np.ndarray, city_gids: np.ndarray):
        account = converted["account"].distinct
        platform = converted["platform"].values if "platform" in converted else np.full(
            len(lines), GovAccount.Platform.SINA.value, dtype=object)
        pair_codes, keys = _pair_keys(platform, account.codes, account.uniques)
        first = _first_rows(pair_codes, ok)
        nothing = np.full(len(lines), None, dtype=object)
        attributes = pd.DataFrame({
            "platform": platform[first], "screen_name": converted["account"].values[first],
            "city_gid": city_gids[first], "category": converted["category"].values[first],
            "level": converted["level"].values[first],
            "uid": (converted["uid"].values if "uid" in converted else nothing)[first],
            "verified": (converted["verified"].values if "verified" in converted else nothing)[first],
            "opened_on": (converted["opened_on"].values if "opened_on" in converted
                          else np.full(len(lines), "NaT", dtype="datetime64[D]"))[first],
            "line": lines[first],
        })
        gids = np.full(len(keys), -1, dtype=np.int64)
        seen = first >= 0
        gids[seen] = self.accounts.resolve(keys[seen], attributes.loc[seen].reset_index(drop=True))
        return gids[pair_codes]

    def _cross_row_problems(
        self, converted: dict, ok: np.ndarray, lines: np.ndarray, gids: np.ndarray, city_gids: np.ndarray
    ) -> list:
        problems = self._conflicts(converted, ok, gids, city_gids)
        keys = DuplicateIndex.pack(np.where(ok, gids, 0), converted["period"].values, converted["period"].ends)
        earlier = np.zeros(len(lines), dtype=np.int64)
        earlier[ok] = self.duplicates.first_lines(keys[ok], lines[ok])
        starts, ends, names = converted["period"].values, converted["period"].ends, converted["account"].values
        problems.append((self._header("period"), cells.Problem(earlier > 0, lambda row: Message(
            DUPLICATE_ROW, account=names[row], line=earlier[row],
            period=Period(starts[row].item(), ends[row].item()).label))))
        return problems

    def _conflicts(self, converted: dict, ok: np.ndarray, gids: np.ndarray, city_gids: np.ndarray) -> list:
        """Rows giving an account another city, category or level than its first row in the file."""
        registered = self.accounts.attributes
        safe = np.where(ok, gids, 0)
        first_line = registered["line"].to_numpy()[safe]
        names = converted["account"].values
        city_labels = (self.cities.attributes["province"] + " " + self.cities.attributes["name"]).to_numpy()
        row_city = city_labels[np.where(ok, city_gids, 0)]
        checks = (
            ("city", city_labels[registered["city_gid"].to_numpy()[safe]], row_city),
            ("category", registered["category"].to_numpy()[safe], converted["category"].values),
            ("level", registered["level"].to_numpy()[safe], converted["level"].values),
        )
        problems = []
        for name, first_values, row_values in checks:
            differs = ok & (first_values != row_values)
            header = self._header(name)
            problems.append((header, cells.Problem(differs, lambda row, f=first_values, v=row_values, h=header: Message(
                CONFLICT, account=names[row], column=h, value=v[row], first=f[row], line=first_line[row]))))
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


def _first_rows(pair_codes: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """For each pair code: the position of its first ok row, or -1 if it has none."""
    first = np.full(int(pair_codes.max()) + 1 if len(pair_codes) else 0, -1, dtype=np.int64)
    rows = np.flatnonzero(ok)
    codes, at = np.unique(pair_codes[rows], return_index=True)
    first[codes] = rows[at]
    return first
