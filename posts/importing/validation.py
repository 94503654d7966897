"""Validating the chunks of a post or reply file (posts.importing.columns: POSTS, REPLIES) into staged frames.

Rows name their account as snapshot files do: the account columns are converted and registered by
accounts' own code (ACCOUNT_CONVERTERS, AccountRegistry), so an unknown account is created exactly as a
snapshot import creates it, and a row giving an account another city, category or level than its first
row is a problem. Every problem is reported with its line and column; rows whose cells are all empty are
skipped. A post appears once per file (platform, post id) and a question once per file (account,
asked_at, question): a repeat is a problem naming the first line.

The staged frames (one row per valid row; times as int64 microseconds since 1970 UTC, cells.NO_TIME for
an empty one; account_gid: the registry's id of the account, the pipeline maps it to the database's):
- posts: STAGED_POSTS = account_gid, platform, post_id, posted_at, text, original, reposts, comments,
  likes, media ("" = not said);
- replies: STAGED_REPLIES = account_gid, asked_at, question, replied_at, reply, post_id, asker_hash ("").
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from accounts.importing import cells as account_cells
from accounts.importing.registry import AccountRegistry
from accounts.importing.validation import ACCOUNT_CONVERTERS, DuplicateIndex
from core.tables.errors import ErrorLog, Message
from posts.importing import cells
from posts.importing.columns import POSTS, REQUIRED, Columns
from posts.models import TEXT_LIMIT

STAGED_POSTS = ("account_gid", "platform", "post_id", "posted_at", "text", "original", "reposts", "comments",
                "likes", "media")
STAGED_REPLIES = ("account_gid", "asked_at", "question", "replied_at", "reply", "post_id", "asker_hash")

DUPLICATE_POST = _("the post “%(value)s” is already on line %(line)s; a post has one row in a file")
DUPLICATE_QUESTION = _("the same question to “%(account)s” at the same time is already on line %(line)s")
REPLY_BEFORE_QUESTION = _("the reply time %(value)s is before the question's time")
REPLY_WITHOUT_TIME = _("a reply needs its time (回复时间), and a reply time its reply (回复内容)")

_POST_CONVERTERS: dict[str, Callable[[pd.Series], account_cells.Converted]] = {
    "post_id": cells.post_ids,
    "posted_at": cells.times,
    "text": lambda raw: account_cells.text(raw, max_length=TEXT_LIMIT),
    "original": lambda raw: account_cells.coded(raw, values=cells.ORIGINAL, what=_("original value")),
    "reposts": cells.counts, "comments": cells.counts, "likes": cells.counts,
    "media": lambda raw: account_cells.coded(raw, values=cells.MEDIA, what=_("media kind"), default=""),
}
_REPLY_CONVERTERS: dict[str, Callable[[pd.Series], account_cells.Converted]] = {
    "asked_at": cells.times,
    "question": lambda raw: account_cells.text(raw, max_length=TEXT_LIMIT),
    "replied_at": cells.times,
    "reply": lambda raw: account_cells.text(raw, max_length=TEXT_LIMIT),
    "post_id": cells.post_ids,
}
# Cells that may be empty although their column is required: a post without text (images only).
_MAY_BE_EMPTY = {"text"}


def key_hashes(*columns: np.ndarray) -> np.ndarray:
    """One int64 per row for the values of `columns` together (pandas' 64-bit hash of each row). Two
    different keys share a hash with a chance of about n²/2⁶⁵: 10⁻⁶ for a national month's 6.5 million."""
    frame = pd.DataFrame({str(number): column for number, column in enumerate(columns)})
    return pd.util.hash_pandas_object(frame, index=False).to_numpy().view(np.int64)


@dataclass
class RowValidator:
    """Turns raw chunks of a posts or replies file into staged frames; collects problems in `errors`."""

    columns: Columns
    errors: ErrorLog
    registry: AccountRegistry
    duplicates: DuplicateIndex = field(default_factory=DuplicateIndex)
    rows: int = 0

    @property
    def converters(self) -> dict[str, Callable[[pd.Series], account_cells.Converted]]:
        return {**ACCOUNT_CONVERTERS, **(_POST_CONVERTERS if self.columns.kind == POSTS else _REPLY_CONVERTERS)}

    def _convert(self, chunk: pd.DataFrame) -> tuple[dict, list]:
        converted, problems = {}, []
        for name, convert in self.converters.items():
            position = self.columns.position(name)
            if position is not None and position < chunk.shape[1]:
                converted[name] = convert(chunk[position])
        for name, column in converted.items():
            header = self.columns.header(name)
            problems.extend((header, problem) for problem in column.problems)
            if name in REQUIRED[self.columns.kind] and name not in _MAY_BE_EMPTY:
                problems.append((header, account_cells.Problem(
                    column.empty, lambda row: Message(account_cells.EMPTY_REQUIRED))))
        if self.columns.kind != POSTS:
            problems.extend(self._answer_problems(converted))
        # A line's problems in the file's column order.
        problems.sort(key=lambda item: self.columns.known.get(_canonical(self.columns, item[0]), (10**6,))[0])
        return converted, problems

    def _answer_problems(self, converted: dict) -> list:
        """A reply and its time go together, and the reply comes after the question."""
        asked, replied = converted["asked_at"].values, converted.get("replied_at")
        reply = converted.get("reply")
        has_time = ~replied.empty if replied else np.zeros(len(asked), dtype=bool)
        has_text = ~reply.empty if reply else np.zeros(len(asked), dtype=bool)
        header = self.columns.header("replied_at" if replied else "reply")
        problems = [(header, account_cells.Problem(has_time != has_text, lambda row: REPLY_WITHOUT_TIME))]
        if replied:
            texts = replied.values
            before = has_time & (replied.values != cells.NO_TIME) & (asked != cells.NO_TIME) & (replied.values < asked)
            problems.append((header, account_cells.Problem(before, lambda row: Message(
                REPLY_BEFORE_QUESTION, value=_local(texts[row])))))
        return problems

    def validate(self, lines: np.ndarray, chunk: pd.DataFrame) -> pd.DataFrame | None:
        """Check one chunk (lines: each row's file line); its staged frame, or None once the file has an error."""
        converted, problems = self._convert(chunk)
        blank = np.logical_and.reduce([column.empty for column in converted.values()])
        bad = account_cells.report(self.errors, problems, lines, blank)
        ok = ~(bad | blank)
        self.rows += int(ok.sum()) + int(bad.sum())
        if not ok.any():
            return None
        if "platform" not in converted:
            converted["platform"] = account_cells.Converted(
                np.full(len(lines), "sina", dtype=object), np.ones(len(lines), dtype=bool))
        account_gids, city_gids = self.registry.register(converted, ok, lines)
        cross = self.registry.conflicts(converted, ok, account_gids, city_gids, header=self.columns.header)
        cross.append(self._repeats(converted, ok, lines, account_gids))
        account_cells.report(self.errors, cross, lines, ~ok)
        if self.errors:
            return None
        return self._staged(converted, account_gids, ok)

    def _repeats(self, converted: dict, ok: np.ndarray, lines: np.ndarray, gids: np.ndarray) -> tuple:
        """A post or question already met on an earlier line of the file."""
        if self.columns.kind == POSTS:
            keys = key_hashes(converted["platform"].values, converted["post_id"].values)
            ids = converted["post_id"].values
            header = self.columns.header("post_id")
        else:
            keys = key_hashes(gids, converted["asked_at"].values, converted["question"].values)
            names = converted["account"].values
            header = self.columns.header("question")
        earlier = np.zeros(len(lines), dtype=np.int64)
        earlier[ok] = self.duplicates.first_lines(keys[ok], lines[ok])
        if self.columns.kind == POSTS:
            return header, account_cells.Problem(earlier > 0, lambda row: Message(
                DUPLICATE_POST, value=ids[row], line=earlier[row]))
        return header, account_cells.Problem(earlier > 0, lambda row: Message(
            DUPLICATE_QUESTION, account=names[row], line=earlier[row]))

    def _staged(self, converted: dict, gids: np.ndarray, ok: np.ndarray) -> pd.DataFrame:
        count = len(gids)

        def value(name: str, default: object) -> np.ndarray:
            column = converted.get(name)
            return column.values if column is not None else np.full(count, default, dtype=object)

        if self.columns.kind == POSTS:
            frame = {"account_gid": gids, "platform": converted["platform"].values,
                     "post_id": converted["post_id"].values, "posted_at": converted["posted_at"].values,
                     "text": converted["text"].values, "original": value("original", True).astype(bool),
                     **{name: converted[name].values for name in ("reposts", "comments", "likes")},
                     "media": value("media", "")}
        else:
            replied = converted.get("replied_at")
            frame = {"account_gid": gids, "asked_at": converted["asked_at"].values,
                     "question": converted["question"].values,
                     "replied_at": replied.values if replied else np.full(count, cells.NO_TIME, dtype=np.int64),
                     "reply": value("reply", ""), "post_id": value("post_id", ""),
                     "asker_hash": np.full(count, "", dtype=object)}
        return pd.DataFrame(frame).loc[ok].reset_index(drop=True)


def _canonical(columns: Columns, header: str | None) -> str | None:
    return next((name for name, (_position, written) in columns.known.items() if written == header), None)


def _local(micros: int) -> str:
    """A time as China time text, for messages."""
    return pd.Timestamp(micros, unit="us", tz="UTC").tz_convert(cells.CHINA).strftime("%Y-%m-%d %H:%M:%S")
