"""Benchmark: refusing an XLSX "bomb", a small workbook whose sheet claims millions of empty rows.

    .venv/bin/python bench/xlsx_bomb.py                 # 3,000,000 rows, the issue's case
    .venv/bin/python bench/xlsx_bomb.py --rows 500000 --no-dimension

The workbook is written straight as a zip of XML parts (openpyxl would take minutes to write it): a header
row, then `rows` empty rows (<row r="N"/>), the dimension A1:Z<rows> declared unless --no-dimension. Each
case runs in a child process that reads the file as the snapshot import does (core.tables.reading:
read_table, then every chunk) and reports the seconds until the refusal and its peak resident memory
(VmHWM). Results go to docs/benchmarks.md (Refusing an XLSX bomb).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""
HEADER = ("city", "province", "account", "period", "fans")


def bomb_write(path: Path, *, rows: int, dimension: bool = True, sparse: bool = False) -> Path:
    """A workbook whose sheet has a header and `rows` empty rows (or, sparse, one row numbered `rows`)."""
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>' for i, name in enumerate(HEADER))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            if dimension:
                sheet.write(f'<dimension ref="A1:Z{rows + 1}"/>'.encode())
            sheet.write(f'<sheetData><row r="1">{cells}</row>'.encode())
            numbers = [rows + 1] if sparse else range(2, rows + 2)
            block: list[str] = []
            for number in numbers:
                block.append(f'<row r="{number}"/>')
                if len(block) == 100_000:
                    sheet.write("".join(block).encode())
                    block = []
            sheet.write(("".join(block) + "</sheetData></worksheet>").encode())
    return path


def refuse(path: str) -> dict:
    """In the child: read the file as the import does, until the refusal; the seconds and the message."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govweibo.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.utils import translation

    from core.tables.reading import ReadError, read_table

    translation.activate("en")
    started = time.perf_counter()
    rows, message = 0, None
    with open(path, "rb") as stream:
        try:
            table = read_table(stream, file_name="bomb.xlsx")
            for chunk in table.chunks():
                rows += len(chunk.cells)
        except ReadError as error:
            message = str(error.error.message)
    seconds = time.perf_counter() - started
    status = Path("/proc/self/status").read_text()
    peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return {"seconds": round(seconds, 2), "peak_mib": round(peak / 1024), "rows_read": rows, "message": message}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--no-dimension", action="store_true")
    parser.add_argument("--sparse", action="store_true", help="one empty row numbered --rows")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(refuse(options.child)))
        return
    with tempfile.TemporaryDirectory() as directory:
        path = bomb_write(Path(directory) / "bomb.xlsx", rows=options.rows, dimension=not options.no_dimension,
                          sparse=options.sparse)
        size = path.stat().st_size
        child = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True,
                               check=True, env={**os.environ, "GOVWEIBO_VAR_DIR": directory})
        result = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"| {options.rows:,} | {'no' if options.no_dimension else 'yes'} | {'sparse' if options.sparse else 'every row'} "
          f"| {size / 1024:,.0f} KiB | {result['seconds']} s | {result['peak_mib']} MiB | {result['rows_read']:,} "
          f"| {result['message']} |")


if __name__ == "__main__":
    main()
