"""A netizen vote file between its preview and its import.

The preview page does not ask for the file a second time: the upload is kept under
GOVWEIBO_IMPORT_DIR/award-files/ with a random name, and the session that uploaded it remembers the
name with the round it was checked for. The import takes the token back; a token from another session
or another round is unknown. The file is deleted after the import (whatever its outcome), and any file
older than MAX_AGE_SECONDS is swept when the next one is stored. The import reads and checks the file
again from the start (awards.importing.round_import), so nothing the preview said is trusted.
"""
from __future__ import annotations

import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from awards.models import AwardRound

SESSION_KEY = "award_pending_files"
MAX_AGE_SECONDS = 3600
# A user previews one file at a time; a few in flight (two tabs) are kept, the oldest forgotten.
MAX_PER_SESSION = 4
NAME_LIMIT = 200
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass(frozen=True)
class PendingFile:
    token: str
    path: Path
    file_name: str


def _directory() -> Path:
    return Path(settings.GOVWEIBO_IMPORT_DIR) / "award-files"


def _sweep(directory: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in directory.glob("*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # another request swept it first


def pending_store(session: Any, *, award_round: AwardRound, upload: UploadedFile) -> PendingFile:
    """Keep the upload for its import; the session remembers it for this round."""
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    suffix = PurePath(upload.name or "").suffix.lower()
    path = directory / f"{token}{suffix}"
    upload.seek(0)
    with path.open("wb") as target:
        shutil.copyfileobj(upload, target)
    entries = dict(session.get(SESSION_KEY, {}))
    name = PurePath(upload.name or "").name
    name = name if len(name) <= NAME_LIMIT else name[:NAME_LIMIT - 10] + "…" + suffix  # keeps the format's suffix
    entries[token] = {"round": award_round.pk, "name": name, "suffix": suffix}
    session[SESSION_KEY] = dict(list(entries.items())[-MAX_PER_SESSION:])
    return PendingFile(token=token, path=path, file_name=entries[token]["name"])


def pending_get(session: Any, *, award_round: AwardRound, token: str) -> PendingFile | None:
    """The file this session previewed for this round under `token`, if it is still there."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return None
    entry = session.get(SESSION_KEY, {}).get(token)
    if entry is None or entry.get("round") != award_round.pk:
        return None
    path = _directory() / f"{token}{entry['suffix']}"
    return PendingFile(token=token, path=path, file_name=entry["name"]) if path.is_file() else None


def pending_drop(session: Any, pending: PendingFile) -> None:
    pending.path.unlink(missing_ok=True)
    entries = dict(session.get(SESSION_KEY, {}))
    entries.pop(pending.token, None)
    session[SESSION_KEY] = entries
