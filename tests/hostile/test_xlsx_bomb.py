"""An XLSX "bomb" (a 7 MB zip whose sheet claims or holds three million empty rows) is refused before
openpyxl opens it, naming the row limit; and the reader stops counting rows at the limit."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import translation

from bench.xlsx_bomb import bomb_write
from core.tables import bounds
from core.tables.reading import ReadError, read_table

BOMB_ROWS = 3_000_000


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("bombs")
    return {name: bomb_write(folder / f"{name}.xlsx", rows=BOMB_ROWS, **options).read_bytes()
            for name, options in {"declared": {}, "undeclared": {"dimension": False},
                                  "sparse": {"dimension": False, "sparse": True}}.items()}


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened the bomb")
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def _refusal(data: bytes, language: str = "en", **options) -> str:
    with translation.override(language), pytest.raises(ReadError) as error:
        table = read_table(io.BytesIO(data), file_name="bomb.xlsx", **options)
        for _chunk in table.chunks():
            pass
    with translation.override(language):
        return str(error.value.error.message)


def test_the_bomb_is_small_on_disk(bombs):
    assert all(len(data) < 10 * 1024 * 1024 for data in bombs.values())


def test_a_sheet_declaring_three_million_rows_is_refused_before_it_is_read(bombs, openpyxl_never_opens):
    message = _refusal(bombs["declared"])
    assert "declares 3,000,000 data rows" in message and "1,048,575" in message


@pytest.mark.parametrize("bomb", ["undeclared", "sparse"])
def test_a_sheet_holding_more_rows_than_the_limit_is_refused_before_openpyxl_opens_it(bombs, bomb,
                                                                                     openpyxl_never_opens):
    message = _refusal(bombs[bomb])
    assert "has more than 1,048,575 data rows" in message


def test_the_refusal_is_in_chinese_by_default(bombs):
    assert "1,048,575" in _refusal(bombs["declared"], "zh-hans") and "行" in _refusal(bombs["declared"], "zh-hans")


def _workbook(rows: int, *, wide_row: int | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["city", "province", "account"])
    for number in range(rows):
        sheet.append(["长沙", "湖南", f"账号{number}"])
    if wide_row is not None:
        sheet.cell(row=wide_row, column=5000, value="x")  # past any column an import has: refused if read
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_limit_is_the_setting_and_a_file_at_the_limit_is_read(settings):
    settings.GOVWEIBO_IMPORT_MAX_ROWS = 5
    assert "declares 6 data rows (its dimension), more than the 5" in _refusal(_workbook(6))
    table = read_table(io.BytesIO(_workbook(5)), file_name="ok.xlsx")
    assert sum(len(chunk.cells) for chunk in table.chunks()) == 5


def test_the_reader_stops_at_the_limit_even_when_the_scan_saw_nothing(monkeypatch):
    """Without the scan (as if it could not see the rows), the reader counts them itself and stops at the
    limit: the row past it, which would be refused as too wide if it were read, is never read."""
    monkeypatch.setattr(bounds, "check_workbook", lambda stream, **options: {})
    data = _workbook(10, wide_row=6)
    message = _refusal(data, max_rows=3)
    assert "more than 3 data rows" in message
    assert "beyond column" in _refusal(data, max_rows=100)  # the same file read further: the wide row is seen


@pytest.mark.django_db
def test_an_award_file_is_bounded_by_the_award_limit_before_it_is_read(tmp_path, openpyxl_never_opens):
    from awards.importing import round_import
    from awards.importing.reading import MAX_ROWS
    from core.tables.errors import ImportFailed
    from tests.awards.factories import round_build

    bomb = bomb_write(tmp_path / "votes.xlsx", rows=MAX_ROWS + 1)
    with translation.override("en"), pytest.raises(ImportFailed) as error:
        round_import(user=None, award_round=round_build(), source=bomb, file_name="votes.xlsx")
    with translation.override("en"):
        assert f"more than the {MAX_ROWS:,} an import reads" in "\n".join(error.value.lines(5))
