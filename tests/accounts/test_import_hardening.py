"""Issue #8, importer items: over-long header lines, too many columns, quoted values and bombs, and
files in an encoding the importer cannot guess (Latin-1 read as GB18030)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from accounts.importing import columns
from accounts.models import City, GovAccount, Snapshot
from accounts.services import snapshots_import
from core.tables import bounds
from core.tables.errors import ErrorLog
from tests.factories import import_csv_text, import_row, rejected, rejected_bytes, write_import_xlsx

pytestmark = pytest.mark.django_db

ROW = import_row()
HEADER = list(ROW)


# Item 5: a header line over the csv module's field limit.

def test_a_file_of_one_line_longer_than_any_header_is_refused_at_line_1(tmp_path: Path) -> None:
    assert rejected(tmp_path, "a" * 600_000) == [
        "line 1: the first line is longer than 500000 characters, too long for a header naming the columns; "
        "check that this is a snapshot file and that its lines end with line breaks"]


def test_a_header_cell_longer_than_the_csv_field_limit_is_refused(tmp_path: Path) -> None:
    text = ",".join(HEADER) + "," + "x" * 140_000 + "\n" + ",".join(map(str, ROW.values())) + ",1\n"
    assert rejected(tmp_path, text) == [
        "line 1: a cell of the header is longer than 131072 characters, too long to name a column"]


# Item 6: many columns.

def test_a_header_of_more_than_500_columns_is_refused_saying_why(tmp_path: Path) -> None:
    extras = [f"m{number}" for number in range(500)]
    text = import_csv_text([{**ROW, **dict.fromkeys(extras, 1)}], header=[*HEADER, *extras])
    assert rejected(tmp_path, text) == [
        "line 1: the header has 514 columns; at most 500 can be imported (the snapshot columns plus extra "
        "metrics). Remove the columns you do not need, or split the file"]


def test_an_xlsx_header_of_more_than_500_columns_is_refused(tmp_path: Path) -> None:
    extras = [f"m{number}" for number in range(500)]
    path = write_import_xlsx(tmp_path / "wide.xlsx", [[*HEADER, *extras], [*ROW.values(), *[1] * 500]])
    problems = rejected_bytes(tmp_path, path.read_bytes(), name="wide.xlsx")
    assert problems[0].startswith("line 1: the header has 514 columns; at most 500 can be imported")


def test_extra_headers_are_matched_with_one_normalisation_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """Matching is linear: each header is normalised a bounded number of times, however many there are
    (it used to compare every extra header with every earlier one)."""
    calls = []
    original = columns.normalise
    monkeypatch.setattr(columns, "normalise", lambda text: calls.append(text) or original(text))
    headers = [*HEADER, *(f"metric {number}" for number in range(400))]
    mapped = columns.map_columns(headers, errors=ErrorLog())
    assert len(mapped.extras) == 400
    assert len(calls) <= 2 * len(headers)


def test_a_line_with_thousands_of_values_is_refused_before_the_parser_holds_them(tmp_path: Path) -> None:
    text = import_csv_text([ROW]) + ",".join(map(str, ROW.values())) + "," * 5000 + "\n"
    assert rejected(tmp_path, text) == [
        "line 3: this line has more than 1000 values, and a snapshot file has at most 500 columns; check that "
        "the file is a table with one row per line"]


def test_sixty_extra_metrics_are_all_stored(tmp_path: Path) -> None:
    """PostgreSQL takes at most 100 arguments per function: 60 metrics are 120 for jsonb_build_object."""
    extras = {f"metric {number}": number for number in range(60)}
    path = tmp_path / "metrics.csv"
    path.write_text(import_csv_text([{**ROW, **extras}]))
    snapshots_import(source=path)
    assert Snapshot.objects.get().custom_metrics == {name: float(value) for name, value in extras.items()}


# Item 7: quoted values cut, workbooks bounded before they are expanded.

def test_a_quoted_cell_is_cut_to_50_characters(tmp_path: Path) -> None:
    text = import_csv_text([{**ROW, "fans": "9" * 100_000}])
    assert rejected(tmp_path, text) == [
        f"line 2, column fans: “{'9' * 50}…” is too large for a count"]


def test_a_quoted_period_is_cut_to_50_characters(tmp_path: Path) -> None:
    problems = rejected(tmp_path, import_csv_text([{**ROW, "period": "2012-" + "1" * 1000}]))
    assert problems == [f"line 2, column period: “2012-{'1' * 45}…” is not a period; use YYYY-MM, YYYY-Qn, "
                        "YYYY, YYYY-Www, YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD"]


def test_a_long_header_is_cut_where_it_is_quoted(tmp_path: Path) -> None:
    long = "Score" * 100
    text = import_csv_text([{**ROW, long: 1, long.lower(): 2}], header=[*HEADER, long, long.lower()])
    cut = f"{'Score' * 10}…"
    assert rejected(tmp_path, text) == [
        f"line 1, column {'score' * 10}…: this column and column “{cut}” both give “{cut}”; keep only one of them"]


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_workbook_whose_shared_strings_unpack_past_the_bound_is_refused_before_parsing(tmp_path: Path) -> None:
    data = _zip({"xl/sharedStrings.xml": b"<sst>" + b"a" * (bounds.MAX_PART_BYTES + 1) + b"</sst>"})
    assert rejected_bytes(tmp_path, data, name="bomb.xlsx") == [
        "the workbook's part “xl/sharedStrings.xml” unpacks to 32 MB, more than the 32 MB it may have; copy the "
        "sheet into a new workbook, or save it as CSV"]


def test_a_sheet_cell_past_the_bound_is_refused_before_parsing(tmp_path: Path) -> None:
    sheet = b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is>' + b"<t>aaaa</t>" * 500_000 + (
        b"</is></c></row></sheetData></worksheet>")
    data = _zip({"xl/worksheets/sheet1.xml": sheet})
    assert rejected_bytes(tmp_path, data, name="bomb.xlsx") == [
        "the sheet holds a cell larger than 4 MB, far more than an Excel cell can hold; the workbook is damaged or "
        "was not saved by a spreadsheet program"]


def test_an_xlsx_row_past_the_last_importable_column_stops_the_reading(tmp_path: Path) -> None:
    path = write_import_xlsx(tmp_path / "wide.xlsx", [HEADER, list(ROW.values())])
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    workbook.active.cell(row=3, column=16_000, value=1)
    workbook.save(path)
    assert rejected_bytes(tmp_path, path.read_bytes(), name="wide.xlsx") == [
        "line 3: this row has a value beyond column 500, and a snapshot file has at most 500 columns"]


# Item 10: an encoding that cannot be guessed.

LATIN_ROW = {**ROW, "city": "Zürich", "province": "Hunan", "account": "Polizei Zürich"}


def test_a_latin1_file_is_refused_at_the_line_that_reads_as_garbled_chinese(tmp_path: Path) -> None:
    data = import_csv_text([{**LATIN_ROW, "city": "Bern"}, LATIN_ROW]).encode("latin-1")
    assert rejected_bytes(tmp_path, data) == [
        "line 2: the file is not UTF-8, and read as GB18030 this line holds “Polizei Z黵ich,sina,police,city,"
        "2012-03,1000,30,20,…”, with “黵”, a character Chinese names do not use: the file is probably in another "
        "encoding (Latin-1 or Windows-1252, say). Save the file again as UTF-8, or give its encoding "
        "(Encoding on the upload page, --encoding with import_snapshots; GB18030 if it really is GB18030)"]


def test_a_latin1_file_with_an_accent_before_a_comma_is_refused_at_its_line(tmp_path: Path) -> None:
    data = import_csv_text([{**ROW, "city": "Bern", "province": "Hunan", "account": "Polizei"},
                            {**LATIN_ROW, "account": "Café"}]).encode("latin-1")
    assert rejected_bytes(tmp_path, data)[0].startswith("line 3: this line is neither UTF-8 nor GB18030 text")


def test_a_latin1_file_is_imported_with_its_encoding_given_to_the_command(tmp_path: Path) -> None:
    path = tmp_path / "zurich.csv"
    path.write_bytes(import_csv_text([LATIN_ROW]).encode("latin-1"))
    call_command("import_snapshots", str(path), "--encoding", "latin-1", "--lang", "en")
    assert City.objects.get().name == "Zürich"
    assert GovAccount.objects.get().screen_name == "Polizei Zürich"


def test_a_gb18030_file_with_a_rare_character_is_imported_when_gb18030_is_given(tmp_path: Path) -> None:
    path = tmp_path / "rare.csv"
    path.write_bytes(import_csv_text([{**ROW, "account": "镕城发布"}]).encode("gb18030"))
    with pytest.raises(CommandError):
        call_command("import_snapshots", str(path), "--lang", "en")
    call_command("import_snapshots", str(path), "--encoding", "gb18030", "--lang", "en")
    assert GovAccount.objects.get().screen_name == "镕城发布"


def test_an_everyday_gb18030_file_is_still_detected(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(import_csv_text([{**ROW, "account": "长沙警事·交警—发布"}]).encode("gb18030"))
    assert snapshots_import(source=path).encoding == "gb18030"


def test_a_codec_that_refuses_the_text_as_a_whole_is_a_message_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(import_csv_text([ROW]))
    with pytest.raises(CommandError):
        call_command("import_snapshots", str(path), "--encoding", "idna", "--lang", "en")
    assert capsys.readouterr().err.splitlines()[0].startswith(
        "line 1: this line is not text in the encoding idna that was given")


def test_bytes_that_are_not_text_in_the_given_encoding_are_refused_at_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(import_csv_text([ROW, ROW]).encode("utf-8") + b"\xff\xfe\n")
    with pytest.raises(CommandError):
        call_command("import_snapshots", str(path), "--encoding", "utf-8", "--lang", "en")
    assert capsys.readouterr().err.splitlines()[0].startswith(
        "line 4: this line is not text in the encoding utf-8 that was given")


@pytest.mark.parametrize("name", ["klingon", "base64", "hex", "undefined"])
def test_a_name_that_is_no_text_encoding_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture, name: str) -> None:
    path = tmp_path / "a.csv"
    path.write_text(import_csv_text([ROW]))
    with pytest.raises(CommandError):
        call_command("import_snapshots", str(path), "--encoding", name, "--lang", "en")
    assert capsys.readouterr().err.splitlines() == [
        f"“{name}” is not an encoding this program knows; try utf-8, gb18030, utf-16 or latin-1"]


def test_a_utf8_file_with_replacement_characters_is_refused_at_their_line(tmp_path: Path) -> None:
    text = import_csv_text([ROW, {**ROW, "account": "长沙\ufffd\ufffd", "period": "2012-04"}])
    assert rejected(tmp_path, text) == [
        "line 3: this line holds “\ufffd” (U+FFFD), the mark a program leaves where it could not read a "
        "character: the text was garbled before the file was saved; export the file again from its source"]


def test_the_upload_form_cuts_a_long_file_name_it_quotes(client) -> None:
    user = User.objects.create_user("analyst", password="pw-for-tests-only", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="import_snapshots"))
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    upload = SimpleUploadedFile("m" * 200 + ".pdf", b"city\n", content_type="application/pdf")
    response = client.post("/accounts/import/", {"file": upload})
    assert response.context["form"].errors["file"] == [f"“{'m' * 50}…” is not a .csv, .txt, .xlsx or .jsonl file."]
