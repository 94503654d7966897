"""Bulk database traffic both ways: a SELECT read into a DataFrame (COPY … TO STDOUT parsed by pandas
on PostgreSQL) and fixed-width columns written as PostgreSQL binary COPY data.

Reading: Django turns every row into a tuple of Python objects; at national scale (2.1M snapshots, 180,000
account scores) that costs seconds. PostgreSQL's COPY streams the same rows as CSV, which pandas parses
in C. Other databases (the embedded SQLite) take the plain cursor path.
"""
from __future__ import annotations

import io
import struct
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from django.db import connection

COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
COPY_TRAILER = struct.pack(">h", -1)


def query_frame(sql: str, params: Sequence[object], *, columns: Sequence[str],
                text_columns: Sequence[str] = (), dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The rows of `sql` (with %s parameters) as a DataFrame with `columns`.

    On PostgreSQL: empty fields (NULL) are NaN, booleans arrive as "t"/"f", and `text_columns` stay
    text (never parsed as numbers, and "NA" stays "NA"); `dtypes` ({column: numpy/pandas type}) are
    parsed straight into that type by the CSV reader (no inference pass, no object column on the way).
    Elsewhere: the values as the driver returns them, then cast to `dtypes`.
    """
    dtypes = dict(dtypes or {})
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return pd.DataFrame.from_records(cursor.fetchall(), columns=list(columns)).astype(dtypes)
        buffer = io.BytesIO()
        cursor.copy_expert(f"COPY ({cursor.mogrify(sql, params).decode()}) TO STDOUT WITH (FORMAT csv)", buffer)
    if not buffer.tell():
        return pd.DataFrame(columns=list(columns)).astype(dtypes)
    buffer.seek(0)
    return pd.read_csv(buffer, header=None, names=list(columns), keep_default_na=False, na_values=[""],
                       dtype={column: "object" for column in text_columns} | dtypes)


def binary_copy(columns: list[tuple[np.ndarray, str]]) -> bytes:
    """PostgreSQL binary COPY data for fixed-width, non-null columns: [(values, numpy type), …]."""
    return COPY_HEADER + _binary_rows(columns).tobytes() + COPY_TRAILER


def binary_copy_file(columns: list[tuple[np.ndarray, str]]) -> io.BytesIO:
    """binary_copy's data as a file to hand to copy_expert, built with one copy of the rows instead of
    three (rows → bytes → concatenation): 180,000 account scores are about 40 MB."""
    file = io.BytesIO()
    file.write(COPY_HEADER)
    file.write(memoryview(_binary_rows(columns)).cast("B"))
    file.write(COPY_TRAILER)
    file.seek(0)
    return file


def _binary_rows(columns: list[tuple[np.ndarray, str]]) -> np.ndarray:
    layout = [("fields", ">i2")]
    for number, (_values, kind) in enumerate(columns):
        layout += [(f"size_{number}", ">i4"), (f"value_{number}", kind)]
    rows = np.empty(len(columns[0][0]) if columns else 0, dtype=np.dtype(layout))
    rows["fields"] = len(columns)
    for number, (values, kind) in enumerate(columns):
        rows[f"size_{number}"] = np.dtype(kind).itemsize
        rows[f"value_{number}"] = values
    return rows


# --- Rows whose length varies: NULLs, a few distinct texts, float8[] lists ------------------------------
FLOAT8_OID = 701  # pg_type oid of float8: a binary array names its element type


def binary_copy_shaped(columns: Sequence[tuple[str, object, np.ndarray | None]]) -> io.BytesIO:
    """PostgreSQL binary COPY data for [(kind, values, NULL mask or None), …], as a file for copy_expert.

    kind: a big-endian numpy type (">i8", ">i4", ">f8", "?" for boolean), "text" (values: a few
    distinct strings, e.g. a category) or "float8[]" (values: an n × k float array, one list per row;
    NaN and ±infinity kept as such). binary_copy handles fixed-width, non-null columns as one numpy
    structured array; here a NULL field or a text makes a row's length vary, so the rows are grouped by
    shape (which fields are NULL, which text each text field holds: a few dozen shapes) and each shape
    is one structured array. Rows come out grouped, not in order; a COPY needs no order.
    """
    shapes, inverse, texts = _shapes(columns)
    file = io.BytesIO()
    file.write(COPY_HEADER)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(shapes) + 1))
    for number, shape in enumerate(shapes):
        file.write(memoryview(_shape_block(columns, shape, order[bounds[number]:bounds[number + 1]], texts)).cast("B"))
    file.write(COPY_TRAILER)
    file.seek(0)
    return file


def _shapes(columns: Sequence[tuple[str, object, np.ndarray | None]]) -> tuple[np.ndarray, np.ndarray, dict]:
    """The distinct row shapes (a text's code, a NULL flag per such column), each row's shape number, and
    the texts of each text column as UTF-8 bytes."""
    rows = len(columns[0][1]) if columns else 0
    key_parts, texts = [], {}
    for number, (kind, values, nulls) in enumerate(columns):
        if kind == "text":
            codes, uniques = pd.factorize(np.asarray(values, dtype=object))
            texts[number] = [str(value).encode() for value in uniques]
            key_parts.append(codes.astype(np.int64))
        elif nulls is not None:
            key_parts.append(np.asarray(nulls, dtype=np.int64))
    key = np.column_stack(key_parts) if key_parts else np.zeros((rows, 1), dtype=np.int64)
    shapes, inverse = np.unique(key, axis=0, return_inverse=True)
    return shapes, inverse.reshape(-1), texts


def _list_layout(width: int) -> list[tuple]:
    """A one-dimensional float8[] in binary: ndim, has-nulls flag, element type, then (length, lower
    bound) and each element as (size, value); an empty list is ndim 0 and nothing more."""
    header = [("ndim", ">i4"), ("flags", ">i4"), ("oid", ">i4")]
    if not width:
        return header
    return header + [("length", ">i4"), ("lower", ">i4"), ("items", [("size", ">i4"), ("value", ">f8")], (width,))]


def _shape_block(columns: Sequence[tuple[str, object, np.ndarray | None]], shape: np.ndarray,
                 members: np.ndarray, texts: dict) -> np.ndarray:
    """The rows `members`, all of one shape, as one numpy structured array."""
    layout, fill, part = [("fields", ">i2")], [], 0
    for position, (kind, values, nulls) in enumerate(columns):
        if kind == "text":
            text = texts[position][shape[part]]
            part += 1
            layout += [(f"size_{position}", ">i4")] + ([(f"value_{position}", f"S{len(text)}")] if text else [])
            fill.append((position, kind, len(text), text if text else None))
            continue
        if nulls is not None:
            part += 1
            if shape[part - 1]:
                layout.append((f"size_{position}", ">i4"))
                fill.append((position, kind, -1, None))
                continue
        if kind == "float8[]":
            width = values.shape[1]
            layout += [(f"size_{position}", ">i4"), (f"value_{position}", _list_layout(width))]
            fill.append((position, kind, 20 + 12 * width if width else 12, values[members]))
        else:
            layout += [(f"size_{position}", ">i4"), (f"value_{position}", kind)]
            fill.append((position, kind, np.dtype(kind).itemsize, values[members]))
    block = np.empty(len(members), dtype=np.dtype(layout))
    block["fields"] = len(columns)
    for position, kind, size, value in fill:
        block[f"size_{position}"] = size
        if kind == "float8[]":
            _fill_list(block[f"value_{position}"], value)
        elif value is not None:
            block[f"value_{position}"] = value
    return block


def _fill_list(target: np.ndarray, values: np.ndarray) -> None:
    width = values.shape[1]
    target["ndim"], target["flags"], target["oid"] = (1 if width else 0), 0, FLOAT8_OID
    if width:
        target["length"], target["lower"] = width, 1
        target["items"]["size"] = 8
        target["items"]["value"] = values
