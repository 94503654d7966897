"""Writing validated import rows: PostgreSQL (COPY + set-based upsert) or any other database (bulk_create).

A writer is used inside the import's transaction.atomic():
    writer.begin(metric_names)       once, before the first chunk
    writer.stage(snapshots, cities, accounts)
                                     per validated chunk (validation.STAGED_COLUMNS + metric_0 …), with
                                     the registries as they stand after that chunk
    writer.finish(cities, accounts)  once, when the whole file is valid -> WriteCounts

Importers of other records whose rows name their account as snapshot files do (posts, replies) use the
same writer for the cities and accounts alone: begin([]), registries_write(cities, accounts) -> each
account's id by gid (writing the registry rows not written yet), then finish() (no snapshots staged).

A writer may write each chunk at once (PostgreSQL: the registry rows it has not written yet, then the
chunk's snapshots) or keep the chunks until finish() (the ORM path); either way it only ever runs inside
the import's transaction, so a later error undoes what earlier chunks wrote.

`cities` and `accounts` are the validator's registries: one row per distinct city/account of the file,
positioned by their gid (row i has gid i). cities: province, name, level, admin_code, name_en (None/""
= not given). accounts: platform, screen_name, city_gid, category, level, uid, verified (None = not
given), opened_on (NaT = not given).

What the upsert does, on every backend:
- a city is keyed by (province, name); it is created with the file's level/code/English name, and an
  existing city is left as it is;
- an account is keyed by (platform, screen name); an existing account takes the file's city, category
  and level, and its uid/verified/opened_on when the file gives them; otherwise it is created;
- a snapshot is keyed by (account, period start, period end) and replaced whole (counts, optional
  counts, last post date, custom metrics) when it exists, so importing a file twice changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
from django.db import connection


@dataclass(frozen=True)
class WriteCounts:
    cities_created: int
    accounts_created: int
    snapshots_created: int
    snapshots_replaced: int


class Writer(Protocol):
    def begin(self, metric_names: list[str]) -> None: ...

    def stage(self, snapshots: pd.DataFrame, cities: pd.DataFrame, accounts: pd.DataFrame) -> None: ...

    def finish(self, cities: pd.DataFrame, accounts: pd.DataFrame) -> WriteCounts: ...

    def registries_write(self, cities: pd.DataFrame, accounts: pd.DataFrame) -> np.ndarray: ...


def writer_for_connection() -> Writer:
    """The bulk path of the default database: COPY on PostgreSQL, bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        from accounts.importing.writing.postgres import PostgresWriter

        return PostgresWriter()
    from accounts.importing.writing.orm import OrmWriter

    return OrmWriter()
