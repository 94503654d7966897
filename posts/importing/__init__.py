"""The import of posts and replies: table files (CSV in UTF-8/GB18030/UTF-16, XLSX, JSON Lines) and
weibo-crawler's output folders. The entry points are posts.services.posts_import and the upload job.

Modules: columns (the headers of each kind of file; a file's kind told by its headers), cells (times in
China time, post ids, counts), validation (table files' chunks into staged rows, accounts named and
created as snapshot files do, through accounts.importing.registry), crawler (weibo-crawler's files and
their account), comments (questions and answers told from comment threads, pandas only), askers (the
salted hash kept of who asked), partitions (the monthly partitions on PostgreSQL), writing (COPY + upsert,
or bulk_create), pipeline (the all-or-nothing run). The reader is the shared core.tables.
"""
from posts.importing.pipeline import FilesFailed, Plan, PostImportResult, plan_import, run_posts_import

__all__ = ["FilesFailed", "Plan", "PostImportResult", "plan_import", "run_posts_import"]
