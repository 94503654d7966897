"""Bulk import of account snapshots from CSV/XLSX files. The entry point is accounts.services.snapshots_import.

Modules: columns (headers and coded values, English and Chinese), charsets (a CSV's encoding, detected or
given, checked line by line), bounds (limits that refuse hostile sizes before parsing), reading (chunked
CSV/XLSX), cells (vectorized cell conversion), validation (per chunk and across chunks), writing
(PostgreSQL COPY + upsert, or bulk_create), pipeline (the all-or-nothing run), errors (RowError etc.).
"""
from accounts.importing.columns import IMPORT_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from accounts.importing.errors import MAX_KEPT_ERRORS, ImportFailed, RowError
from accounts.importing.pipeline import ImportResult, run_import
from accounts.importing.writing import WriteCounts, Writer, writer_for_connection

__all__ = [
    "IMPORT_COLUMNS", "MAX_KEPT_ERRORS", "OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "ImportFailed", "ImportResult",
    "RowError", "WriteCounts", "Writer", "run_import", "writer_for_connection",
]
