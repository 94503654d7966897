"""The cities and accounts an import file's rows name: registered on first sight, for every importer whose
rows name their account as snapshot files do (city, province, account, platform, category, level).

Each distinct city (province, name) and account (platform, screen name) gets a dense integer id ("gid")
for the whole file, and the attributes of its first row; the registries become the cities and accounts
the writers create or update (accounts.importing.writing: `registries_write`). A row giving an account
another city, category or level than its first row is a problem (`conflicts`). pandas/numpy only.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from accounts.importing import cells
from accounts.models import GovAccount
from core.tables.errors import Message

CONFLICT = _(
    "the account “%(account)s” has %(column)s “%(value)s” here but “%(first)s” on line %(line)s; "
    "an account has one city, category and level in a file"
)

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
class AccountRegistry:
    """The cities and accounts of one file so far. `converted` (cells.Converted by column name) must hold
    city, province, account, category and level; platform, uid, verified, opened_on, city_level,
    admin_code and name_en are read when present."""

    cities: Registry = field(default_factory=lambda: Registry(pd.DataFrame()))
    accounts: Registry = field(default_factory=lambda: Registry(pd.DataFrame()))

    def register(self, converted: dict, ok: np.ndarray, lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The account gid and city gid of each row (-1 where no row of its key is ok); the ok rows' new
        cities and accounts are registered."""
        city_gids = self._register_cities(converted, ok, lines)
        return self._register_accounts(converted, ok, lines, city_gids), city_gids

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

    def conflicts(self, converted: dict, ok: np.ndarray, gids: np.ndarray, city_gids: np.ndarray, *,
                  header: Callable[[str], str | None]) -> list:
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
            column = header(name)
            problems.append((column, cells.Problem(differs, lambda row, f=first_values, v=row_values, h=column: Message(
                CONFLICT, account=names[row], column=h, value=v[row], first=f[row], line=first_line[row]))))
        return problems


def _first_rows(pair_codes: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """For each pair code: the position of its first ok row, or -1 if it has none."""
    first = np.full(int(pair_codes.max()) + 1 if len(pair_codes) else 0, -1, dtype=np.int64)
    rows = np.flatnonzero(ok)
    codes, at = np.unique(pair_codes[rows], return_index=True)
    first[codes] = rows[at]
    return first
