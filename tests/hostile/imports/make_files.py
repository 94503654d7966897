"""Writes the small files of the hostile import corpus into files/ (committed; rerun to rebuild them).

    .venv/bin/python tests/hostile/imports/make_files.py

Each file is one way an import file goes wrong; test_corpus.py holds what the importer must say about it.
The large files are made at test time by generate.py.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from generate import ROW, _sheet, _workbook

FILES = Path(__file__).parent / "files"
HEADER = ",".join(ROW)


def _line(**changes: object) -> str:
    return ",".join(str(changes.get(name, value)) for name, value in ROW.items())


def _csv(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _dimension_bomb(path: Path) -> None:
    """A header and one bad row, in a sheet that says it spans A1:XFD1048576 (17 billion cells)."""
    shared = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"></sst>')
    cells = "".join(f'<c r="{chr(65 + n)}{{line}}" t="inlineStr"><is><t>{{{n}}}</t></is></c>' for n in range(len(ROW)))
    header = cells.format(*ROW, line=1)
    bad = cells.format(*{**ROW, "fans": -3}.values(), line=2)
    sheet = _sheet(f'<row r="1">{header}</row><row r="2">{bad}</row>').replace(
        b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
    _workbook(path, shared, sheet)


def _entity_bomb(path: Path) -> None:
    """Shared strings with a "billion laughs" entity: 10 levels of 10 copies (1 GB if expanded)."""
    entities = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    shared = (f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [{entities}]><sst xmlns="http://schemas.'
              'openxmlformats.org/spreadsheetml/2006/main"><si><t>&l9;</t></si></sst>').encode()
    _workbook(path, shared, _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))


def build() -> None:
    FILES.mkdir(exist_ok=True)
    texts = {
        # Latin-1 read as GB18030: "Zürich" would be "Z黵ich".
        "latin1_zurich.csv": (_csv(_line(city="Bern", province="Schweiz", account="Polizei"),
                                   _line(city="Zürich", province="Schweiz", account="Polizei Zürich")), "latin-1"),
        # Latin-1 with an accent before a comma: not GB18030 at all.
        "latin1_cafe.csv": (_csv(_line(city="Genf", province="Schweiz", account="Café")), "latin-1"),
        "replacement_character.csv": (_csv(_line(), _line(account="长沙\ufffd\ufffd")), "utf-8"),
        "mixed_encodings.csv": (_csv(_line()), "utf-8"),  # a GB18030 line is appended below
        "unclosed_quote.csv": (_csv(_line(), '"长沙,湖南'), "utf-8"),
        "nul_in_cell.csv": (_csv(_line(account="长沙\x00警事")), "utf-8"),
        "empty.csv": ("", "utf-8"),
        "bom_only.csv": ("\ufeff", "utf-8"),
        "header_only.csv": (HEADER + "\n", "utf-8"),
        "wide_data_row.csv": (_csv(_line() + "," * 1500), "utf-8"),
        "long_metric_value.csv": (
            "\n".join([HEADER + ",score", _line() + "," + "9" * 3000 + "x"]) + "\n", "utf-8"),
        "long_duplicate_headers.csv": (
            "\n".join([HEADER + "," + "Score" * 60 + "," + "score" * 60, _line() + ",1,2"]) + "\n", "utf-8"),
        "too_many_columns.csv": (
            "\n".join([HEADER + "," + ",".join(f"m{n}" for n in range(600)), _line() + ",1" * 600]) + "\n",
            "utf-8"),
        "not_a_workbook.xlsx": ("city,province\n长沙,湖南\n", "utf-8"),
    }
    for name, (text, encoding) in texts.items():
        (FILES / name).write_bytes(text.encode(encoding))
    with (FILES / "mixed_encodings.csv").open("ab") as out:
        out.write(_line(city="株洲", account="株洲交警").encode("gb18030") + b"\n")
    (FILES / "binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    # .csv, not .txt: makemessages reads .txt files as UTF-8 and would warn.
    (FILES / "odd_utf16.csv").write_bytes("\ufeffcity\tprovince\n".encode("utf-16-le") + b"\x00")
    good = _xlsx_bytes([list(ROW), list({**ROW, "fans": -3}.values())])
    (FILES / "truncated.xlsx").write_bytes(good[: len(good) // 2])
    _dimension_bomb(FILES / "dimension_bomb.xlsx")
    _entity_bomb(FILES / "entity_bomb.xlsx")
    with zipfile.ZipFile(FILES / "entity_bomb.xlsx") as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()


if __name__ == "__main__":
    build()
