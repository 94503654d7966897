"""PostgreSQL binary COPY data for columns that may hold NULLs and texts (the floor's writes)."""
from __future__ import annotations


def binary_rows(columns: list) -> bytes:
    """PostgreSQL binary COPY data for [(numpy type | "text", values, NULL mask or None), …].

    core.bulk.binary_copy does fixed-width, non-null columns: one numpy
    structured array. Here a NULL field or a text makes a row's length vary, so the rows are grouped by
    shape (which fields are NULL, which text each text field holds: a few dozen shapes) and each shape
    is one such array. Rows come out grouped, not in order; a COPY needs no order.
    """
    import numpy as np

    from core.bulk import COPY_HEADER, COPY_TRAILER

    shapes, inverse, texts = _shapes(columns)
    parts = [COPY_HEADER]
    for number, shape in enumerate(shapes):
        members = np.flatnonzero(inverse == number)
        parts.append(_shape_block(columns, shape, members, texts))
    parts.append(COPY_TRAILER)
    return b"".join(parts)


def _shapes(columns: list) -> tuple:
    """The distinct row shapes (a text's code, a NULL flag per such column), each row's shape, and the
    texts of each text column as bytes."""
    import numpy as np
    import pandas as pd

    rows = len(columns[0][1])
    key_parts, texts = [], {}
    for number, (kind, values, nulls) in enumerate(columns):
        if kind == "text":
            codes, uniques = pd.factorize(values)
            texts[number] = [str(value).encode() for value in uniques]
            key_parts.append(codes)
        elif nulls is not None:
            key_parts.append(nulls.astype(np.int64))
    key = np.column_stack(key_parts) if key_parts else np.zeros((rows, 1), dtype=np.int64)
    shapes, inverse = np.unique(key, axis=0, return_inverse=True)
    return shapes, inverse.reshape(-1), texts


def _shape_block(columns: list, shape, members, texts: dict) -> bytes:
    """The rows `members`, all of one shape, as one numpy structured array's bytes."""
    import numpy as np

    layout, fill, part = [("fields", ">i2")], [], 0
    for position, (kind, values, nulls) in enumerate(columns):
        if kind == "text":
            text = texts[position][shape[part]]
            part += 1
            layout += [(f"size_{position}", ">i4"), (f"value_{position}", f"S{max(len(text), 1)}")]
            fill.append((position, len(text), text))
            continue
        if nulls is not None:
            is_null = bool(shape[part])
            part += 1
            if is_null:
                layout.append((f"size_{position}", ">i4"))
                fill.append((position, -1, None))
                continue
        layout += [(f"size_{position}", ">i4"), (f"value_{position}", kind)]
        fill.append((position, np.dtype(kind).itemsize, values[members]))
    block = np.empty(len(members), dtype=np.dtype(layout))
    block["fields"] = len(columns)
    for position, size, value in fill:
        block[f"size_{position}"] = size
        if size >= 0:
            block[f"value_{position}"] = value
    return block.tobytes()
