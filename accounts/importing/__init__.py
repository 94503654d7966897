"""Bulk import of account snapshots from CSV/XLSX files. The entry point is accounts.services.snapshots_import.

The file is read by the shared table reader (core.tables: encoding detection, hostile-size bounds, chunked
CSV/XLSX, and the RowError/ImportFailed a rejected file reports). What is specific to snapshots is here:
columns (headers and coded values, English and Chinese), cells (vectorized cell conversion), validation (per
chunk and across chunks), writing (PostgreSQL COPY + upsert, or bulk_create), pipeline (the all-or-nothing run).
"""
from accounts.importing.columns import IMPORT_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from accounts.importing.pipeline import ImportResult, run_import
from accounts.importing.writing import WriteCounts, Writer, writer_for_connection

__all__ = [
    "IMPORT_COLUMNS", "OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "ImportResult", "WriteCounts", "Writer", "run_import",
    "writer_for_connection",
]
