"""An import of post and reply files, start to finish: plan → read and validate → stage → upsert, all or nothing.

Steps:
1. Plan: each file's kind is told by its header (posts.importing.columns.file_kind); weibo-crawler files
   are grouped by their folder (one folder is one account), folders given as such are listed.
2. Inside one transaction.atomic(): the account writer of accounts' import takes the import lock and its
   staging tables; then every file is read in chunks and validated. While no file has a problem, each
   valid chunk is written at once (its new cities and accounts, then its posts or replies); after the
   first problem nothing more is written, but every file is still read so that every problem is
   reported (each file's by line and column).
3. If any file had a problem, raise ImportFailed (FilesFailed for several files): the transaction rolls
   back and nothing is written, also what earlier chunks wrote.
4. Otherwise finish the writers and record a PostImport. A dry run does all of this, for exact counts,
   then rolls back.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pandas as pd
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.importing import Writer, writer_for_connection
from accounts.importing.registry import AccountRegistry
from core.tables.errors import EMPTY_FILE, HEADER_ONLY, ErrorLog, ImportFailed, ReadError
from core.tables.reading import CHUNK_ROWS, Chunk, Table, open_binary, read_table
from posts.importing import crawler
from posts.importing.askers import asker_hashes
from posts.importing.columns import CRAWLER_COMMENTS, CRAWLER_POSTS, POSTS, file_kind, map_columns
from posts.importing.comments import replies_from_comments
from posts.importing.validation import RowValidator
from posts.importing.writing import PostCounts, PostWriter, post_writer_for_connection
from posts.models import PostImport

Progress = Callable[[int, "int | None"], None]
Source = str | Path | IO[bytes]

NOT_A_POST_FILE = _(
    "this is not a file of posts or replies: its headers name neither posted_at (发布时间) nor asked_at "
    "(提问时间), and it is not a weibo-crawler file"
)


@dataclass
class PostImportResult:
    rows: int
    files: int
    encoding: str
    cities_created: int
    accounts_created: int
    counts: PostCounts
    dry_run: bool
    duration_ms: int
    record: PostImport | None


class FilesFailed(ImportFailed):
    """The problems of an import, file by file; `errors` are every file's in order. lines() names the file
    of each problem when the import had several (named)."""

    def __init__(self, failures: list[tuple[str, ImportFailed]], *, named: bool = True) -> None:
        self.files, self.named = failures, named
        errors = [error for _name, failure in failures for error in failure.errors]
        super().__init__(errors, sum(failure.total for _name, failure in failures))
        self.errors = errors  # file by file, each file's by line (ImportFailed sorts them all by line)

    def lines(self, limit: int | None = None) -> list[str]:
        if not self.named:
            return self.files[0][1].lines(limit)
        return [f"{name}: {line}" for name, failure in self.files for line in failure.lines(limit)]


@dataclass
class _Import:
    """What one import carries from file to file."""

    accounts: Writer
    writer: PostWriter
    progress: Progress | None
    account_id: int | None
    encoding: str | None
    chunk_rows: int
    registry: AccountRegistry = field(default_factory=AccountRegistry)
    errors: dict[str, ErrorLog] = field(default_factory=dict)
    rows: int = 0
    estimate: int = 0
    encodings: list[str] = field(default_factory=list)

    def log(self, name: str) -> ErrorLog:
        return self.errors.setdefault(name, ErrorLog())

    @property
    def failed(self) -> bool:
        return any(self.errors.values())

    def counted(self, rows: int) -> None:
        self.rows += rows
        if self.progress:
            self.progress(self.rows, max(self.estimate, self.rows) or None)

    def write(self, kind: str, staged: pd.DataFrame) -> None:
        """A valid chunk of a posts or replies file: its new cities and accounts, then its rows."""
        if self.failed or staged.empty:
            return
        ids = self.accounts.registries_write(self.registry.cities.attributes, self.registry.accounts.attributes)
        staged = staged.assign(account_id=ids[staged.pop("account_gid").to_numpy()])
        (self.writer.posts if kind == POSTS else self.writer.replies)(staged)


def _open(state: _Import, stream, name: str) -> Table | None:
    """The file's table, or None with its problem logged."""
    try:
        table = read_table(stream, file_name=name, chunk_rows=state.chunk_rows, encoding=state.encoding,
                           json_lines=True)
    except ReadError as error:
        state.log(name).add(error.error.line, error.error.column, error.error.message)
        return None
    if not any(str(cell).strip() for cell in table.header):
        state.log(name).add(None, None, EMPTY_FILE)
        return None
    state.estimate += table.rows_estimate or 0
    state.encodings.append(table.encoding)
    return table


def _chunks(table: Table, errors: ErrorLog) -> Iterator[Chunk]:
    """The table's chunks, their skipped rows logged; a file that cannot be read on ends with its reason."""
    chunks = table.chunks()
    while True:
        try:
            chunk = next(chunks, None)
        except ReadError as error:
            errors.add(error.error.line, error.error.column, error.error.message)
            return
        if chunk is None:
            return
        for problem in chunk.problems:
            errors.add(problem.line, problem.column, problem.message)
        yield chunk


def _table_file(state: _Import, source: Source, name: str) -> None:
    """A posts or replies file (columns.POSTS or REPLIES)."""
    errors = state.log(name)
    with open_binary(source) as stream:
        table = _open(state, stream, name)
        if table is None:
            return
        kind = file_kind(table.header)
        columns = map_columns(kind, table.header, errors=errors) if kind else None
        if columns is None or errors:
            if columns is None:
                errors.add(1, None, NOT_A_POST_FILE)
            return
        validator = RowValidator(columns, errors, state.registry)
        for chunk in _chunks(table, errors):
            staged = validator.validate(chunk.lines, chunk.cells) if len(chunk.cells) else None
            state.counted(len(chunk.cells) + len(chunk.problems))
            if staged is not None:
                state.write(kind, staged)
    if validator.rows == 0 and not errors:
        errors.add(None, None, HEADER_ONLY)


def _crawler_rows(state: _Import, files: list[tuple[Source, str]], kind: str) -> list[pd.DataFrame]:
    """The valid rows of a crawler folder's posts files or comment files, file by file."""
    frames = []
    convert = crawler.posts_chunk if kind == CRAWLER_POSTS else crawler.comments_chunk
    for source, name in files:
        errors = state.log(name)
        with open_binary(source) as stream:
            table = _open(state, stream, name)
            if table is None:
                continue
            columns = map_columns(kind, table.header, errors=errors)
            if errors:
                continue
            for chunk in _chunks(table, errors):
                frames.append(convert(columns, errors, chunk.lines, chunk.cells))
                state.counted(len(chunk.cells) + len(chunk.problems))
    return frames


def _crawler_folder(state: _Import, folder: crawler.CrawlerFolder) -> None:
    """One account's weibo-crawler files: its posts (the last row of a post id wins: the crawler appends
    re-runs) and the questions and answers its comments hold."""
    try:
        account = crawler.crawler_account(folder, account_id=state.account_id)
    except ImportFailed as failure:
        errors = state.log(folder.name or (folder.posts + folder.comments)[0][1])
        for error in failure.errors:
            errors.add(error.line, error.column, error.message)
        return
    posts = _crawler_rows(state, folder.posts, CRAWLER_POSTS)
    comments = _crawler_rows(state, folder.comments, CRAWLER_COMMENTS)
    if state.failed:
        return
    if posts:
        staged = pd.concat(posts, ignore_index=True).drop_duplicates("post_id", keep="last").drop(columns="line")
        state.writer.posts(staged.assign(account_id=account.pk, platform=account.platform))
    if comments:
        replies = replies_from_comments(pd.concat(comments, ignore_index=True),
                                        account_names={*folder.screen_names, account.screen_name})
        staged = replies.assign(account_id=account.pk, asker_hash=asker_hashes(replies.pop("asker")))
        state.writer.replies(staged)


@dataclass
class Plan:
    """What an import reads: table files (posts or replies) and weibo-crawler folders (one per account)."""

    tables: list[tuple[Source, str]] = field(default_factory=list)
    folders: list[crawler.CrawlerFolder] = field(default_factory=list)

    @property
    def files(self) -> list[str]:
        return [name for _source, name in self.tables] + [
            name for folder in self.folders for _source, name in folder.posts + folder.comments]


def peek_kind(source: Source, name: str, *, encoding: str | None = None) -> str | None:
    """The kind of a file by its header (columns.file_kind); None when it is none of them or cannot be read
    (the import then reads it as a table file and says why)."""
    try:
        with open_binary(source) as stream:
            return file_kind(read_table(stream, file_name=name, encoding=encoding, json_lines=True).header)
    except ReadError:
        return None


def plan_import(files: list[tuple[Source, str]], folders: list[Path] = (), *, encoding: str | None = None) -> Plan:
    """Folders are weibo-crawler folders. A file whose header is weibo-crawler's goes to the folder it is in
    (an uploaded stream, to a folder without a name), its uid from its name (`<uid>.csv`); every other file
    is a table file."""
    plan = Plan(folders=[crawler.folder_files(folder) for folder in folders])
    grouped: dict[str, crawler.CrawlerFolder] = {}
    for source, name in files:
        kind = peek_kind(source, name, encoding=encoding)
        if kind not in (CRAWLER_POSTS, CRAWLER_COMMENTS):
            plan.tables.append((source, name))
            continue
        folder_name = Path(source).resolve().parent.name if isinstance(source, (str, Path)) else ""
        folder = grouped.setdefault(folder_name, crawler.CrawlerFolder(folder_name))
        if kind == CRAWLER_POSTS:
            folder.posts.append((source, name))
            uid = crawler.POSTS_FILE.match(Path(name).name)
            folder.uid = folder.uid or (uid[1] if uid else "")
        else:
            folder.comments.append((source, name))
    plan.folders.extend(grouped.values())
    return plan


def run_posts_import(*, plan: Plan, origin: str, user=None, dry_run: bool = False, progress: Progress | None = None,
                     account_id: int | None = None, encoding: str | None = None,
                     chunk_rows: int = CHUNK_ROWS) -> PostImportResult:
    """Import every file of the plan, all or nothing: ImportFailed (every problem) and nothing written if any
    row of any file is wrong."""
    started = time.perf_counter()
    with transaction.atomic():
        state = _Import(accounts=writer_for_connection(), writer=post_writer_for_connection(), progress=progress,
                        account_id=account_id, encoding=encoding, chunk_rows=chunk_rows)
        state.accounts.begin([])
        state.writer.begin()
        for source, name in plan.tables:
            _table_file(state, source, name)
        for folder in plan.folders:
            _crawler_folder(state, folder)
        failures = [(name, log.failure()) for name, log in state.errors.items() if log]
        if failures:
            raise FilesFailed(failures, named=len(plan.files) > 1)
        counts = state.writer.finish()
        created = state.accounts.finish(state.registry.cities.attributes, state.registry.accounts.attributes)
        duration_ms = round((time.perf_counter() - started) * 1000)
        record = None if dry_run else _record(plan, state, counts, created, origin, user, duration_ms)
        if dry_run:
            transaction.set_rollback(True)
    return PostImportResult(rows=state.rows, files=len(plan.files), encoding=(state.encodings or [""])[0],
                            cities_created=created.cities_created, accounts_created=created.accounts_created,
                            counts=counts, dry_run=dry_run, duration_ms=duration_ms, record=record)


def _record(plan: Plan, state: _Import, counts: PostCounts, created, origin: str, user, duration_ms: int) -> PostImport:
    names = plan.files
    return PostImport.objects.create(
        created_by=user, source=origin, file_name=Path(names[0]).name[:255] if names else "", files=len(names),
        row_count=state.rows, cities_created=created.cities_created, accounts_created=created.accounts_created,
        posts_created=counts.posts_created, posts_updated=counts.posts_updated,
        replies_created=counts.replies_created, replies_updated=counts.replies_updated, duration_ms=duration_ms)

