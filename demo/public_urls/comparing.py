"""Two recordings compared answer by answer (same URL, same language): the status, the headers recorded
(Content-Type, Location, Content-Disposition) and the normalised body, fresh and from the cache. ETags
and other headers are not compared. A URL recorded on one side only is a difference too."""
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo.public_urls.recording import HEADERS, INDEX

FIELDS = ("status", *(name.lower() for name in HEADERS), "sha256")
DIFF_LINES = 40
LINE_CHARS = 300
TEXT_TYPES = ("text/", "json", "xml", "csv", "javascript", "spreadsheetml")


@dataclass
class Comparison:
    compared: int = 0
    differences: list[str] = field(default_factory=list)  # one report per differing answer


def index_read(directory: Path) -> dict[str, Any]:
    return json.loads((directory / INDEX).read_text(encoding="utf-8"))


def entries_by_key(index: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(entry["url"], entry["language"]): entry for entry in index["entries"]}


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The recorded fields whose values differ, `name: before → after` (a body by its hash)."""
    return [f"{name}: {before.get(name)!r} → {after.get(name)!r}" for name in FIELDS
            if before.get(name) != after.get(name)]


def body_path(directory: Path, entry: dict[str, Any], *, cached: bool) -> Path:
    fresh = directory / entry["file"]
    kept = fresh.with_name(fresh.name.replace(".body", ".cached.body"))
    return kept if cached and kept.exists() else fresh


def body_diff(before: Path, after: Path, content_type: str) -> list[str]:
    """The first DIFF_LINES lines of a unified diff of two text bodies (long lines cut); [] for binary."""
    if not any(kind in content_type for kind in TEXT_TYPES) or not (before.exists() and after.exists()):
        return []
    old, new = (path.read_bytes().decode("utf-8", "replace").splitlines() for path in (before, after))
    lines = difflib.unified_diff(old, new, "before", "after", lineterm="", n=2)
    shown = []
    for number, line in enumerate(lines):
        if number >= DIFF_LINES:
            shown.append("    …")
            break
        shown.append("    " + (line if len(line) <= LINE_CHARS else line[:LINE_CHARS] + "…"))
    return shown


def answer_report(key: tuple[str, str], dirs: tuple[Path, Path], entries: tuple[dict, dict]) -> list[str]:
    """The lines reporting how one answer differs, fresh and cached; [] when it does not."""
    lines = []
    for cached in (False, True):
        before, after = (entry["cached"] if cached else entry for entry in entries)
        changed = changed_fields(before, after)
        if not changed:
            continue
        label = " (from the cache)" if cached else ""
        lines.append(f"{key[0]} [{key[1]}]{label}: " + "; ".join(changed))
        if before.get("sha256") != after.get("sha256"):
            paths = [body_path(directory, entry, cached=cached) for directory, entry in zip(dirs, entries, strict=True)]
            lines += body_diff(*paths, after.get("content-type", "") or before.get("content-type", ""))
    return lines


def recordings_compare(before_dir: Path, after_dir: Path,
                       out: Callable[[str], None] = lambda line: None) -> Comparison:
    """Every answer of the two recordings compared; each difference passed to `out` as it is found. When
    the after recording is a part (--match), the before recording's other answers are not looked at."""
    after_index = index_read(after_dir)
    before, after = entries_by_key(index_read(before_dir)), entries_by_key(after_index)
    if after_index.get("match"):
        before = {key: entry for key, entry in before.items() if re.search(after_index["match"], key[0])}
    result = Comparison(compared=len(before.keys() & after.keys()))
    for key in [*before, *(key for key in after if key not in before)]:
        if key not in after or key not in before:
            side = "after" if key not in after else "before"
            lines = [f"{key[0]} [{key[1]}]: not recorded {side}"]
        else:
            lines = answer_report(key, (before_dir, after_dir), (before[key], after[key]))
        if lines:
            result.differences.append("\n".join(lines))
            out("\n".join(lines))
    return result
