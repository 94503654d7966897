"""factory_boy factories for cities, accounts and snapshots, and a builder of import files."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import factory
import pytest
from django.utils import translation

from accounts.importing import run_import
from accounts.models import City, GovAccount, Province, Snapshot, SnapshotImport
from accounts.services import snapshots_import
from core.provinces import province_canonical
from core.tables.errors import ImportFailed


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("province", "name")

    name = factory.Sequence(lambda n: f"城市{n}")
    name_en = factory.Sequence(lambda n: f"City {n}")
    province = "湖南"
    level = City.Level.PREFECTURE

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # Tests name provinces as text (any spelling core.provinces accepts): the city points at the Province.
        if isinstance(kwargs.get("province"), str):
            kwargs["province"] = Province.objects.get(name=province_canonical(kwargs["province"]))
        return kwargs


class GovAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovAccount

    platform = GovAccount.Platform.SINA
    screen_name = factory.Sequence(lambda n: f"政务账号{n}")
    category = GovAccount.Category.POLICE
    level = GovAccount.Level.CITY
    city = factory.SubFactory(CityFactory)


class SnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Snapshot

    account = factory.SubFactory(GovAccountFactory)
    period_start = date(2012, 3, 1)
    period_end = date(2012, 3, 31)
    fans = 1000
    posts = 30
    original_posts = 20
    reposts = 100
    comments = 50
    likes = 200
    replies = 10


# --- import files -------------------------------------------------------------------------------------
IMPORT_HEADER = [
    "city", "province", "account", "platform", "category", "level", "period",
    "fans", "posts", "original_posts", "reposts", "comments", "likes", "replies",
]
CHINESE_HEADER = ["城市", "省份", "账号名称", "平台", "类别", "级别", "统计周期",
                  "粉丝量", "发博数", "原创数", "转发数", "评论数", "点赞数", "回复数"]


def import_row(**changes: object) -> dict[str, object]:
    """One valid row of an import file (English headers); keyword arguments replace cells."""
    row: dict[str, object] = {
        "city": "长沙", "province": "湖南", "account": "长沙警事", "platform": "sina", "category": "police",
        "level": "city", "period": "2012-03", "fans": 1000, "posts": 30, "original_posts": 20, "reposts": 100,
        "comments": 50, "likes": 200, "replies": 10,
    }
    row.update(changes)
    return row


def import_csv_text(rows: list[dict[str, object]], header: list[str] | None = None) -> str:
    header = header or list(rows[0].keys())
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return text.getvalue()


def write_import_csv(
    path: Path, rows: list[dict[str, object]], *, header: list[str] | None = None, encoding: str = "utf-8"
) -> Path:
    """Write rows (dicts keyed by header) as a CSV file in the given encoding; returns the path."""
    path.write_bytes(import_csv_text(rows, header).encode(encoding))
    return path


def write_import_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """Write rows (the first is the header) to the first sheet of a new workbook."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def rejected_bytes(tmp_path: Path, data: bytes, *, name: str = "snapshots.csv", chunk_rows: int | None = None,
                   language: str = "en") -> list[str]:
    """Import the bytes as a file; assert it is rejected and nothing is written; return the problems."""
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportFailed) as raised:
        if chunk_rows:
            run_import(source=path, file_name=name, origin=SnapshotImport.Source.COMMAND, chunk_rows=chunk_rows)
        else:
            snapshots_import(source=path)
    assert (City.objects.count(), GovAccount.objects.count(), Snapshot.objects.count()) == (0, 0, 0)
    assert not SnapshotImport.objects.exists()
    with translation.override(language):
        return raised.value.lines()


def rejected(tmp_path: Path, text: str, **options: object) -> list[str]:
    """rejected_bytes for UTF-8 text."""
    return rejected_bytes(tmp_path, text.encode("utf-8"), **options)
