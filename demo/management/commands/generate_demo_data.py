"""python manage.py generate_demo_data [--cities 60] [--months 12] [--start 2012-01] [--seed 42]
[--accounts N] [--output FILE.csv] [--headers zh|en]

Generates the deterministic demo (or, with --cities 337 --accounts 180000, the national-scale) data
set. With --output it writes the CSV; without, it imports the rows through the import service, exactly
as an uploaded file would be.
"""
from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.commands import LocalizedCommand
from demo.data import CITIES, generate_snapshots, minimum_accounts
from demo.data.output import write_snapshots_csv
from demo.management.commands.setup_demo import import_demo_file, import_summary


class Command(LocalizedCommand):
    help = gettext_lazy("Generate deterministic demo snapshots: write them as CSV (--output) or import them.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cities", type=int, default=60, help=_("Number of real cities, 1-%(most)d.") % {"most": len(CITIES)})
        parser.add_argument("--months", type=int, default=12, help=_("Number of consecutive monthly periods."))
        parser.add_argument("--start", default="2012-01", help=_("First month, YYYY-MM."))
        parser.add_argument("--seed", type=int, default=42, help=_("Random seed: same arguments, same data."))
        parser.add_argument("--accounts", type=int, default=None,
                            help=_("Total accounts, spread over the cities (default: 8-30 per city by size)."))
        parser.add_argument("--output", type=Path, default=None,
                            help=_("Write this CSV file instead of importing."))
        parser.add_argument("--headers", choices=("zh", "en"), default="zh",
                            help=_("Header and value language of the CSV (default zh)."))

    def handle(self, *args, **options) -> None:
        self._generate(**{name: options[name] for name in
                          ("cities", "months", "start", "seed", "accounts", "output", "headers")})

    def _generate(self, *, cities: int, months: int, start: str, seed: int, accounts: int | None,
                  output: Path | None, headers: str) -> None:
        self._check(cities=cities, months=months, start=start, accounts=accounts)
        began = time.perf_counter()
        snapshots = generate_snapshots(cities=cities, months=months, start=start, seed=seed,
                                       accounts=accounts)
        self.stdout.write(_("Generated %(rows)s rows in %(seconds).1f s.")
                          % {"rows": f"{len(snapshots):,}", "seconds": time.perf_counter() - began})
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            write_snapshots_csv(snapshots, output, headers=headers)
            self.stdout.write(_("Wrote %(path)s.") % {"path": output})
            return
        file_name = f"demo_{cities}c_{months}m_{start}_seed{seed}.csv"
        with tempfile.TemporaryDirectory(prefix="govweibo-demo-") as folder:
            path = Path(folder) / file_name
            write_snapshots_csv(snapshots, path, headers="en")
            del snapshots  # the import reads the file; free the frame first
            self.stdout.write(import_summary(import_demo_file(path, file_name=file_name)))

    def _check(self, *, cities: int, months: int, start: str, accounts: int | None) -> None:
        if not 1 <= cities <= len(CITIES):
            raise CommandError(_("--cities must be between 1 and %(max)d.") % {"max": len(CITIES)})
        if months < 1:
            raise CommandError(_("--months must be at least 1."))
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", start):
            raise CommandError(_("--start must be a month written YYYY-MM, such as 2012-01."))
        least = minimum_accounts(cities=cities, months=months, start=start)
        if accounts is not None and accounts < least:
            raise CommandError(
                _("--accounts must be at least %(least)d for %(cities)d cities (one per city plus the seed "
                  "article's accounts in them).") % {"least": least, "cities": cities}
            )

