"""core.bulk.binary_copy_shaped: rows with NULLs, texts and float8[] lists, read back exactly by PostgreSQL."""
from __future__ import annotations

import math

import numpy as np
import pytest
from django.db import connection

from core.bulk import binary_copy_shaped

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _copy(columns: list[tuple[str, str, object, object]], table_columns: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE shaped (n int8, {table_columns})")
        names = ", ".join(name for name, *_rest in columns)
        cursor.copy_expert(f"COPY shaped ({names}) FROM STDIN WITH (FORMAT binary)",
                           binary_copy_shaped([(kind, values, nulls) for _name, kind, values, nulls in columns]))
        cursor.execute("SELECT * FROM shaped ORDER BY n")
        return cursor.fetchall()


def test_nulls_texts_and_lists_arrive_as_written_whatever_the_row_shape():
    n = np.arange(5, dtype=np.int64)
    lists = np.array([[1.5, -0.0, 5e-324], [np.nan, np.inf, -np.inf], [0.1, 0.2, 0.3], [2.0, 3.0, 4.0],
                      [-1.0, 1e300, 7.0]])
    rows = _copy([
        ("n", ">i8", n, None),
        ("label", "text", np.array(["警察", "", "police", "警察", ""], dtype=object), None),
        ("flag", "?", np.array([True, False, True, False, True]), np.array([False, True, False, False, True])),
        ("rate", ">f8", np.array([0.25, np.nan, 1.0, 0.0, 0.5]), np.array([False, True, False, False, False])),
        ("rank", ">i4", np.array([3, 1, 2, 5, 4], dtype=np.int32), None),
        ("values", "float8[]", lists, None),
        ("none", "float8[]", np.empty((5, 0)), None),
    ], "label text, flag bool, rate float8, rank int4, \"values\" float8[], none float8[]")
    assert [row[:5] for row in rows] == [
        (0, "警察", True, 0.25, 3), (1, "", None, None, 1), (2, "police", True, 1.0, 2), (3, "警察", False, 0.0, 5),
        (4, "", None, 0.5, 4)]
    assert [row[6] for row in rows] == [[]] * 5
    stored = [row[5] for row in rows]
    assert stored[0][0] == 1.5 and math.copysign(1, stored[0][1]) == -1 and stored[0][2] == 5e-324
    assert math.isnan(stored[1][0]) and stored[1][1:] == [math.inf, -math.inf]
    assert stored[2:] == [[0.1, 0.2, 0.3], [2.0, 3.0, 4.0], [-1.0, 1e300, 7.0]]
