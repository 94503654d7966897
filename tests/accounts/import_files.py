"""Helpers of the import-job tests: a generated file big enough to take a while, and a PostgreSQL
session that kills the import's database backend as soon as the import has begun writing."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from django.db import connection

from accounts.importing.writing.postgres import IMPORT_LOCK

HEADER = "city,province,account,category,level,period,fans,posts,original_posts,reposts,comments,likes,replies\n"


def generated_csv(path: Path, *, accounts: int = 1500, months: int = 100) -> Path:
    """accounts × months valid rows (150,000 by default: two of the importer's chunks)."""
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for month in range(months):
            period = f"{2000 + month // 12}-{month % 12 + 1:02d}"
            out.writelines(f"城{n % 50},湖南,账号{n},police,city,{period},{n},10,5,1,2,3,0\n" for n in range(accounts))
    return path


def server_session() -> psycopg2.extensions.connection:
    """A connection of its own to the test database, outside Django (and outside the import's transaction)."""
    db = connection.settings_dict
    session = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"])
    session.autocommit = True
    return session


@contextmanager
def import_backend_killed() -> Iterator[list[int]]:
    """While inside, a thread watches for the import's advisory lock (taken when the import begins writing,
    inside its transaction) and terminates the backend holding it with pg_terminate_backend, as a DBA, a
    failover or a crashed server would. Yields the list the killed backend's pid is appended to."""
    killed: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        session = server_session()
        cursor = session.cursor()
        while not stop.is_set():
            # pg_locks lists every database's locks: only the test database's import is a target (an
            # import in another database on the same server once lost its backend to this watcher).
            cursor.execute("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND granted "
                           "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                           [IMPORT_LOCK])
            row = cursor.fetchone()
            if row:
                cursor.execute("SELECT pg_terminate_backend(%s)", [row[0]])
                killed.append(row[0])
                break
            stop.wait(0.005)
        session.close()

    watcher = threading.Thread(target=watch, name="import-killer")
    watcher.start()
    try:
        yield killed
    finally:
        stop.set()
        watcher.join()
