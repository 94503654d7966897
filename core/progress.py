"""The import's progress bar on the command line: one tqdm bar on stderr, in rows."""
from __future__ import annotations

import sys
from types import TracebackType

from tqdm import tqdm


class ImportProgress:
    """A `progress` callback for snapshots_import, used as a context manager.

    Drawn only on a terminal (or when forced, e.g. `import_snapshots --progress`), so that logs and
    tests stay clean. The total is the reader's estimate and may be corrected as rows arrive.
    """

    def __init__(self, *, label: str | None = None, force: bool = False) -> None:
        self._label = label
        self._enabled = force or sys.stderr.isatty()
        self._bar: tqdm | None = None

    def __enter__(self) -> ImportProgress:
        return self

    def __call__(self, rows_done: int, rows_total: int | None) -> None:
        if not self._enabled:
            return
        if self._bar is None:
            self._bar = tqdm(desc=self._label, total=rows_total, unit=" rows", unit_scale=True, file=sys.stderr,
                             leave=False)
        if rows_total and self._bar.total != rows_total:
            self._bar.total = max(rows_total, rows_done)
        self._bar.update(rows_done - self._bar.n)

    def __exit__(self, kind: type | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.close()
