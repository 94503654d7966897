"""The accounts posts are generated for: one entry per (platform, account), codes the generator indexes.

Read from generate_snapshots' rows (or any frame with their six account columns); repeated rows of an
account (one per month) are folded into one, keeping the first. Pure pandas/numpy; no Django.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo.data.cities import CITIES
from demo.data.generate import PLATFORMS
from demo.data.named import NAMED_ACCOUNTS
from demo.data.names import CATEGORIES, LEVELS

IDENTITY = ("city", "province", "account", "platform", "category", "level")
_CITY_INDEX = {city.name: index for index, city in enumerate(CITIES)}
_NAMED = {(account.platform, account.name) for account in NAMED_ACCOUNTS}
_PLATFORM, _CATEGORY, _LEVEL = (pd.CategoricalDtype(list(values)) for values in (PLATFORMS, CATEGORIES, LEVELS))


@dataclass(frozen=True)
class Table:
    """Accounts in input order. city: index into CITIES; category, level, platform: codes into
    CATEGORIES, LEVELS, PLATFORMS; named: one of the seed article's accounts; the *_codes and
    *_values pairs rebuild the output's categorical columns without copying strings."""

    names: np.ndarray  # object: screen names
    platform_names: np.ndarray  # object: sina, tencent
    city: np.ndarray
    category: np.ndarray
    level: np.ndarray
    platform: np.ndarray
    named: np.ndarray
    labels: dict[str, tuple[np.ndarray, pd.CategoricalDtype]]  # city, province, account -> codes, dtype

    def __len__(self) -> int:
        return len(self.names)

    @classmethod
    def of(cls, accounts: pd.DataFrame) -> Table:
        """Raises ValueError naming missing columns, an unknown city or an unknown coded value."""
        missing = [column for column in IDENTITY if column not in accounts.columns]
        if missing:
            raise ValueError(f"accounts lacks the columns {', '.join(missing)}")
        unique = accounts.loc[:, list(IDENTITY)].drop_duplicates(["platform", "account"])
        values = {column: unique[column].astype(str).to_numpy(dtype=object) for column in IDENTITY}
        unknown = sorted(set(values["city"]) - _CITY_INDEX.keys())
        if unknown:
            raise ValueError(f"unknown cities (not in demo.data.cities): {', '.join(unknown[:5])}")
        return cls(
            names=values["account"], platform_names=values["platform"],
            city=np.array([_CITY_INDEX[name] for name in values["city"]], dtype=np.int64),
            category=_codes(values["category"], CATEGORIES, "category"),
            level=_codes(values["level"], LEVELS, "level"),
            platform=_codes(values["platform"], PLATFORMS, "platform"),
            named=np.array([(p, n) in _NAMED for p, n in zip(values["platform"], values["account"],
                                                                 strict=True)], dtype=bool),
            labels={column: _factorised(values[column]) for column in ("city", "province", "account")},
        )

    def index_of(self, platform: pd.Series, account: pd.Series) -> np.ndarray:
        """Row of each (platform, account) pair in the table, -1 for one it does not hold."""
        known = pd.MultiIndex.from_arrays([self.platform_names, self.names])
        asked = pd.MultiIndex.from_arrays([platform.astype(str).to_numpy(dtype=object),
                                           account.astype(str).to_numpy(dtype=object)])
        return known.get_indexer(asked)


def _codes(values: np.ndarray, allowed: tuple[str, ...], column: str) -> np.ndarray:
    lookup = {value: code for code, value in enumerate(allowed)}
    unknown = sorted(set(values) - lookup.keys())
    if unknown:
        raise ValueError(f"unknown {column} values {', '.join(unknown[:5])} (allowed: {', '.join(allowed)})")
    return np.array([lookup[value] for value in values], dtype=np.int64)


def _factorised(values: np.ndarray) -> tuple[np.ndarray, pd.CategoricalDtype]:
    codes, uniques = pd.factorize(values, sort=False)
    return codes, pd.CategoricalDtype(list(uniques))


def identity_columns(table: Table, account: np.ndarray) -> dict[str, pd.Categorical]:
    """The six account columns for rows of the given accounts (categoricals sharing the table's dtypes,
    so blocks concatenate without copying strings)."""
    columns = {name: pd.Categorical.from_codes(codes[account], dtype=dtype)
               for name, (codes, dtype) in table.labels.items()}
    for name, codes, dtype in (("platform", table.platform, _PLATFORM), ("category", table.category, _CATEGORY),
                               ("level", table.level, _LEVEL)):
        columns[name] = pd.Categorical.from_codes(codes[account], dtype=dtype)
    return {name: columns[name] for name in IDENTITY}
