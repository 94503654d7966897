"""The portable bulk path (SQLite, the embedded default): bulk_create / bulk_update in batches.

Chunks are kept in memory until the file has been validated in full, then written in one go. This path
serves the embedded default and files of demo size; national-scale files go to PostgreSQL's COPY path.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

from accounts.importing.validation import NOT_GIVEN
from accounts.importing.writing import WriteCounts
from accounts.models import SNAPSHOT_COUNT_FIELDS, City, GovAccount, Snapshot

BATCH = 500  # rows per INSERT; also the size of the IN (...) lists, well under SQLite's variable limit
_UPDATED = (*SNAPSHOT_COUNT_FIELDS, "original_reposts", "original_comments", "last_post_on", "custom_metrics")


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _given(value: object) -> object:
    """None for a value the file did not give (empty, None, NaN, NaT)."""
    return None if value is None or value == "" or pd.isna(value) else value


def _date_or_none(value: object):
    return None if pd.isna(value) else pd.Timestamp(value).date()


class OrmWriter:
    def __init__(self) -> None:
        self.metric_names: list[str] = []
        self.chunks: list[pd.DataFrame] = []
        # The ids of the registry rows written so far, by gid, and how many of them were created.
        self.city_ids = np.zeros(0, dtype=np.int64)
        self.account_ids = np.zeros(0, dtype=np.int64)
        self.cities_created = self.accounts_created = 0

    def begin(self, metric_names: list[str]) -> None:
        self.metric_names = metric_names

    def stage(self, snapshots: pd.DataFrame, cities: pd.DataFrame, accounts: pd.DataFrame) -> None:
        """Keeps the chunk; cities and accounts are written from the complete registries in finish()."""
        self.chunks.append(snapshots)

    def finish(self, cities: pd.DataFrame, accounts: pd.DataFrame) -> WriteCounts:
        account_ids = self.registries_write(cities, accounts)
        snapshots = pd.concat(self.chunks, ignore_index=True) if self.chunks else pd.DataFrame()
        created = self._upsert_snapshots(snapshots, account_ids)
        return WriteCounts(self.cities_created, self.accounts_created, created, len(snapshots) - created)

    def registries_write(self, cities: pd.DataFrame, accounts: pd.DataFrame) -> np.ndarray:
        """Write the registry rows not written yet (row i of a registry has gid i) and return every
        account's id by gid. Also for importers of other records that name accounts as snapshot files do."""
        if len(cities) > len(self.city_ids):
            ids, created = self._upsert_cities(cities.iloc[len(self.city_ids):])
            self.city_ids, self.cities_created = np.concatenate([self.city_ids, ids]), self.cities_created + created
        if len(accounts) > len(self.account_ids):
            ids, created = self._upsert_accounts(accounts.iloc[len(self.account_ids):], self.city_ids)
            self.account_ids = np.concatenate([self.account_ids, ids])
            self.accounts_created += created
        return self.account_ids

    @staticmethod
    def _existing_cities(keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
        wanted, found = set(keys), {}
        for batch in _batches(sorted({name for _province, name in keys})):
            for city_id, province, name in City.objects.filter(name__in=batch).values_list("id", "province", "name"):
                if (province, name) in wanted:
                    found[(province, name)] = city_id
        return found

    def _upsert_cities(self, cities: pd.DataFrame) -> tuple[np.ndarray, int]:
        keys = list(zip(cities["province"], cities["name"], strict=True))
        existing = self._existing_cities(keys)
        new = [
            City(province_id=row.province, name=row.name, level=_given(row.level) or City.Level.PREFECTURE,
                 admin_code=_given(row.admin_code) or "", name_en=_given(row.name_en) or "")
            for row in cities.itertuples() if (row.province, row.name) not in existing
        ]
        City.objects.bulk_create(new, batch_size=BATCH)
        ids = self._existing_cities(keys)
        return np.array([ids[key] for key in keys], dtype=np.int64), len(new)

    @staticmethod
    def _existing_accounts(keys: list[tuple[str, str]]) -> dict[tuple[str, str], GovAccount]:
        wanted, found = set(keys), {}
        for batch in _batches(sorted({name for _platform, name in keys})):
            for account in GovAccount.objects.filter(screen_name__in=batch):
                if (account.platform, account.screen_name) in wanted:
                    found[(account.platform, account.screen_name)] = account
        return found

    def _upsert_accounts(self, accounts: pd.DataFrame, city_ids: np.ndarray) -> tuple[np.ndarray, int]:
        keys = list(zip(accounts["platform"], accounts["screen_name"], strict=True))
        existing = self._existing_accounts(keys)
        changed, new = [], []
        for row, city_id in zip(accounts.itertuples(), city_ids[accounts["city_gid"].to_numpy()], strict=True):
            account = existing.get((row.platform, row.screen_name)) or GovAccount(
                platform=row.platform, screen_name=row.screen_name)
            account.category, account.level, account.city_id = row.category, row.level, int(city_id)
            account.uid = _given(row.uid) or account.uid
            account.verified = account.verified if _given(row.verified) is None else bool(row.verified)
            account.opened_on = _date_or_none(row.opened_on) or account.opened_on
            (changed if account.pk else new).append(account)
        GovAccount.objects.bulk_update(
            changed, ["category", "level", "city", "uid", "verified", "opened_on"], batch_size=BATCH)
        GovAccount.objects.bulk_create(new, batch_size=BATCH)
        ids = {key: account.pk for key, account in self._existing_accounts(keys).items()}
        return np.array([ids[key] for key in keys], dtype=np.int64), len(new)

    def _snapshot_objects(self, snapshots: pd.DataFrame, account_ids: np.ndarray) -> Iterable[Snapshot]:
        metric_columns = [f"metric_{number}" for number in range(len(self.metric_names))]
        for row in snapshots.itertuples(index=False):
            optional = {name: (None if getattr(row, name) == NOT_GIVEN else int(getattr(row, name)))
                        for name in ("original_reposts", "original_comments")}
            metrics = {
                name: (int(value) if float(value).is_integer() else float(value))
                for name, value in zip(self.metric_names, (getattr(row, c) for c in metric_columns), strict=True)
                if not np.isnan(value)
            }
            yield Snapshot(
                account_id=int(account_ids[row.account_gid]),
                period_start=_date_or_none(row.period_start), period_end=_date_or_none(row.period_end),
                **{name: int(getattr(row, name)) for name in SNAPSHOT_COUNT_FIELDS}, **optional,
                last_post_on=_date_or_none(row.last_post_on), custom_metrics=metrics,
            )

    def _upsert_snapshots(self, snapshots: pd.DataFrame, account_ids: np.ndarray) -> int:
        if snapshots.empty:
            return 0
        ids = account_ids[snapshots["account_gid"].to_numpy()]
        existing = set()
        for batch in _batches(sorted(set(ids.tolist()))):
            existing.update(Snapshot.objects.filter(account_id__in=batch).values_list(
                "account_id", "period_start", "period_end"))
        objects = list(self._snapshot_objects(snapshots, account_ids))
        created = sum((item.account_id, item.period_start, item.period_end) not in existing for item in objects)
        Snapshot.objects.bulk_create(
            objects, batch_size=BATCH, update_conflicts=True,
            unique_fields=["account", "period_start", "period_end"], update_fields=list(_UPDATED),
        )
        return created
