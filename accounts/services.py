"""Writes to cities, accounts and snapshots."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO

from accounts.importing import ImportResult, run_import
from accounts.models import SnapshotImport


def snapshots_import(
    *,
    source: str | Path | IO[bytes],
    file_name: str | None = None,
    origin: str = SnapshotImport.Source.COMMAND,
    user=None,
    dry_run: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
    encoding: str | None = None,
) -> ImportResult:
    """Import a CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX file of snapshots, all-or-nothing.

    source: a path or a binary file-like object (e.g. a Django UploadedFile). file_name decides the
    format (.csv/.xlsx) and is recorded; it defaults to the path's name. Cities and accounts are created
    on first sight; an existing account takes the file's city, category and level; an existing snapshot
    of the same account and period is replaced. Raises ImportFailed listing every problem (nothing is
    written then). progress(rows_done, rows_total_or_None) is called after each chunk. encoding: a CSV's
    encoding if the user knows it (e.g. "latin-1"); by default it is detected.
    The file format is documented in accounts/importing/columns.py and the README.
    """
    if file_name is None:
        file_name = Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", "upload.csv")
    return run_import(
        source=source, file_name=str(file_name), origin=origin, user=user, dry_run=dry_run, progress=progress,
        encoding=encoding,
    )
