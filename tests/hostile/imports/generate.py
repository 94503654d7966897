"""The large files of the hostile import corpus, generated at test time (they are too big to commit).

Each generator writes one file into a directory (pytest's tmp_path) and returns its path. Sizes are set
to the upload limit's order (50 MB), where the bugs they guard against showed: a crash, a 500, a page
the size of the file, or a worker holding gigabytes.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

MB = 1024 * 1024
BIG = 50 * MB

# One valid row (the importer's English headers); kept here so that the generators need no Django.
ROW = {
    "city": "长沙", "province": "湖南", "account": "长沙警事", "platform": "sina", "category": "police",
    "level": "city", "period": "2012-03", "fans": 1000, "posts": 30, "original_posts": 20, "reposts": 100,
    "comments": 50, "likes": 200, "replies": 10,
}


def _csv(header: list[str], rows: list[list[object]]) -> str:
    return "".join(",".join(str(cell) for cell in line) + "\n" for line in [header, *rows])


def one_line(directory: Path) -> Path:
    """50 MB of one character and no line break: a "header" longer than any header."""
    path = directory / "one_line.csv"
    with path.open("wb") as out:
        for _ in range(BIG // MB):
            out.write(b"a" * MB)
    return path


def _valid_header_and_row() -> str:
    return _csv(list(ROW), [list(ROW.values())])


def big_cell(directory: Path) -> Path:
    """A valid file whose second row's account is a 50 MB cell."""
    path = directory / "big_cell.csv"
    head = _valid_header_and_row()
    with path.open("wb") as out:
        out.write(head.encode())
        out.write("长沙,湖南,".encode())
        for _ in range(BIG // MB):
            out.write(b"x" * MB)
        out.write(b",sina,police,city,2012-04,1,1,1,1,1,1,1\n")
    return path


def comma_line(directory: Path) -> Path:
    """A valid header, then one 50 MB line of separators: 50 million empty values."""
    path = directory / "comma_line.csv"
    with path.open("wb") as out:
        out.write(_valid_header_and_row().encode())
        for _ in range(BIG // MB):
            out.write(b"," * MB)
        out.write(b"\n")
    return path


def wide(directory: Path, columns: int = 10_000) -> Path:
    """The known header plus thousands of extra metric columns, with one row."""
    path = directory / f"wide_{columns}.csv"
    extras = columns - len(ROW)
    header = [*ROW, *(f"metric {number}" for number in range(extras))]
    path.write_text(_csv(header, [[*ROW.values(), *[1] * extras]]))
    return path


def _workbook(path: Path, shared_strings: bytes, sheet: bytes) -> Path:
    """A minimal XLSX: the parts openpyxl needs, with the given shared strings and first sheet."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings'
            '.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '</Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package'
            '/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument'
            '/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2"'
            ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        archive.writestr("xl/sharedStrings.xml", shared_strings)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(rows: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_MAIN}><sheetData>{rows}</sheetData></worksheet>'.encode()


def shared_string_bomb(directory: Path, size: int = 200 * MB) -> Path:
    """A workbook of about 200 KB whose one shared string expands to 200 MB, used in the header's first cell."""
    strings = (f'<?xml version="1.0" encoding="UTF-8"?><sst {_MAIN} count="1" uniqueCount="1"><si><t>'.encode()
               + b"a" * size + b"</t></si></sst>")
    return _workbook(directory / "shared_string_bomb.xlsx", strings,
                     _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))


def inline_cell_bomb(directory: Path, size: int = 200 * MB) -> Path:
    """A workbook whose sheet holds one inline-string cell of 200 MB (no shared strings)."""
    strings = f'<?xml version="1.0" encoding="UTF-8"?><sst {_MAIN} count="0" uniqueCount="0"></sst>'.encode()
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_MAIN}><sheetData><row r="1">'
             '<c r="A1" t="inlineStr"><is><t>').encode() + b"a" * size + b"</t></is></c></row></sheetData></worksheet>"
    return _workbook(directory / "inline_cell_bomb.xlsx", strings, sheet)


def sparse_rows(directory: Path, rows: int = 20_000) -> Path:
    """A valid header row, then rows whose only cell is in the last column Excel has (XFD): each row
    would be padded to 16,384 values."""
    row = ROW
    strings = "".join(f"<si><t>{name}</t></si>" for name in row)
    shared = (f'<?xml version="1.0" encoding="UTF-8"?><sst {_MAIN} count="{len(row)}" uniqueCount="{len(row)}">'
              f"{strings}</sst>").encode()
    letters = [chr(ord("A") + number) for number in range(len(row))]
    header = "".join(f'<c r="{letter}1" t="s"><v>{number}</v></c>' for number, letter in enumerate(letters))
    body = "".join(f'<row r="{line}"><c r="XFD{line}"><v>1</v></c></row>' for line in range(2, rows + 2))
    return _workbook(directory / "sparse_rows.xlsx", shared, _sheet(f'<row r="1">{header}</row>{body}'))


BIG_FILES = {
    "one_line": one_line, "big_cell": big_cell, "comma_line": comma_line, "wide": wide,
    "shared_string_bomb": shared_string_bomb, "inline_cell_bomb": inline_cell_bomb, "sparse_rows": sparse_rows,
}
