"""python manage.py public_urls --out DIR [--compare BEFORE_DIR] [--accounts N] [--match REGEX]

Records what every public URL answers for the demo data (an anonymous visitor's pages and an anonymous
REST client's API answers, in Chinese and in English), so that a refactor can show that it changed none
of them: `--out DIR` writes one file per body and DIR/index.json (status, Content-Type, Location,
Content-Disposition, body sha256; fresh and from the cache); `--compare BEFORE_DIR --out AFTER_DIR`
records AFTER_DIR, then prints every answer that differs from BEFORE_DIR (with the start of a diff for
text) and the number compared, and exits 1 when any differs. ETags are not compared; CSRF tokens and
XLSX timestamps are normalised (demo/public_urls/normalising.py). The URLs come from the URLconf and the
database (demo/public_urls/catalogue.py); patterns left out are listed, with why. On the demo data:
1,124 URLs, 2,248 answers (each also fetched a second time from the cache), about 5 minutes.

The cache is emptied before every request (caches.all(), cache.clear()): run it without REDIS_URL (the
process's local cache), or with a Redis database of its own, never a live site's.

Both recordings must read the same database, byte for byte (timestamps, ids). The procedure:

    # once, on the code before the change (about 15 s):
    mkdir -p /work/urlcheck
    export DATABASE_URL=sqlite:////work/urlcheck/demo.sqlite3   # and no REDIS_URL: the local cache
    python manage.py migrate && python manage.py setup_demo
    cp /work/urlcheck/demo.sqlite3 /work/urlcheck/before.sqlite3
    DATABASE_URL=sqlite:////work/urlcheck/before.sqlite3 python manage.py public_urls --out /work/urlcheck/before

    # on the code after the change: a fresh copy of the same file, migrated (new code may add migrations)
    cp /work/urlcheck/demo.sqlite3 /work/urlcheck/after.sqlite3
    export DATABASE_URL=sqlite:////work/urlcheck/after.sqlite3
    python manage.py migrate && python manage.py public_urls --compare /work/urlcheck/before --out /work/urlcheck/after
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.test import override_settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.commands import LocalizedCommand
from demo.public_urls.catalogue import catalogue_build
from demo.public_urls.comparing import index_read, recordings_compare
from demo.public_urls.data import demo_data_get
from demo.public_urls.recording import recording_make

# Account pages (and their API history) recorded by default: an even spread of the demo's 917. All of them
# (--accounts 0) adds about 3 minutes on a quiet 2-core machine; the other account URLs are unchanged.
ACCOUNT_PAGES = 120


class Command(LocalizedCommand):
    help = gettext_lazy("Record every public URL's answer for the demo data, and compare with an earlier recording.")
    requires_system_checks = []  # read only: the URL checks add a second to every run

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, help=_("Directory to write the recording to."))
        parser.add_argument("--compare", type=Path, metavar="BEFORE_DIR",
                            help=_("An earlier recording to compare this one with (exit status 1 if any answer differs)."))
        parser.add_argument("--accounts", type=int, default=ACCOUNT_PAGES,
                            help=_("Record this many account pages, spread evenly over all accounts; 0: every one "
                                   "(default %(default)s)."))
        parser.add_argument("--match", type=re.compile, metavar="REGEX",
                            help=_("Record only the URLs this regular expression finds (to check one family again)."))

    def handle(self, *args, out: Path, compare: Path | None, accounts: int, match: re.Pattern | None,
               **options) -> None:
        if compare is not None and not (compare / "index.json").is_file():
            raise CommandError(_("%(path)s holds no recording (index.json).") % {"path": compare})
        with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            self._record(out, accounts=accounts, match=match)
        if compare is not None:
            self._compare(compare, out)

    def _record(self, out: Path, *, accounts: int, match: re.Pattern | None) -> None:
        """The recording into `out`, as in production (DEBUG off: the site's own error pages, not Django's
        debug pages), from django.test.Client's host."""
        data = demo_data_get(account_limit=accounts)
        catalogue = catalogue_build(data)
        urls = [url for url in catalogue.urls if match is None or match.search(url)]
        for pattern, reason in catalogue.skipped.items():
            self.stdout.write(_("Skipped %(pattern)s: %(reason)s") % {"pattern": pattern, "reason": reason})
        meta = {"database": str(settings.DATABASES["default"]["NAME"]), "data": data_fingerprint(data),
                "match": match.pattern if match else None, "covered": catalogue.covered, "skipped": catalogue.skipped}
        index = recording_make(urls, out, meta=meta, progress=self._progress)
        self.stdout.write(_("Recorded %(answers)s answers of %(urls)s URLs in %(seconds)s s into %(out)s.") % {
            "answers": index["answers"], "urls": index["urls"], "seconds": index["seconds"], "out": out})

    def _progress(self, done: int, total: int) -> None:
        if done % 200 == 0 or done == total:
            self.stderr.write(f"{done}/{total}")

    def _compare(self, before: Path, after: Path) -> None:
        if index_read(before).get("data") != index_read(after).get("data"):
            self.stdout.write(self.style.WARNING(_("The two recordings read different data: compare them on copies "
                                                   "of one database (the procedure: demo/management/commands/public_urls.py).")))
        result = recordings_compare(before, after, out=self.stdout.write)
        self.stdout.write(_("Compared %(count)s answers: %(differ)s differ.")
                          % {"count": result.compared, "differ": len(result.differences)})
        if result.differences:
            raise CommandError(_("%(differ)s answers differ from %(before)s.")
                               % {"differ": len(result.differences), "before": before})


def data_fingerprint(data: object) -> str:
    """A hash of the ids the URLs were filled with: two recordings of one database have the same."""
    return hashlib.sha256(repr(data).encode()).hexdigest()[:16]
