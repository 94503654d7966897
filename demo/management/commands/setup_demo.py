"""python manage.py setup_demo [--force]

The one "set up the demo" step that `make run` (the README's first command) runs after migrate:

1. import fixtures/demo_snapshots.csv through the import service (skipped when this very file has
   already been imported; --force imports it again, which replaces every snapshot with itself);
2. with DEBUG on, create the staff superuser `admin` if there is no superuser yet (password from
   GOVWEIBO_DEMO_PASSWORD, default "govweibo-demo"); with DEBUG off, never create a default-password
   account: say how to run createsuperuser instead;
3. compute and publish the default scheme's ranking of the demo data (the data's last two months and
   its last year), after reloading the built-in schemes;
4. create and publish the demo award round (2012年度政务微博示范奖, slug shifan-2012) on that year's
   published ranking, with seven demo experts and three netizen vote sources (demo/award.py); skipped
   when the round exists (a published round is frozen: it is never recreated, even with --force).

Running it twice changes nothing.
"""
from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.importing import ImportResult
from accounts.models import Snapshot, SnapshotImport
from accounts.services import snapshots_import
from core.commands import LocalizedCommand
from core.names import is_english, place_name
from core.periods import Period
from core.progress import ImportProgress
from core.tables.errors import ImportFailed

DEFAULT_ADDRESS = "127.0.0.1:8000"  # runserver's default, and the Makefile's HOST default
DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_snapshots.csv"
BUILTIN_SCHEMES = Path(settings.BASE_DIR) / "rankings" / "builtin_schemes"
DEMO_USERNAME = "admin"
DEFAULT_DEMO_PASSWORD = "govweibo-demo"  # noqa: S105 - only ever set with DEBUG on, and printed


def import_demo_file(path: Path, *, file_name: str) -> ImportResult:
    """Import a generated file through the import service, as demo data. A rejection is a bug in the
    generator or the fixture, so it stops the command with the import's own report."""
    with ImportProgress() as progress:
        try:
            return snapshots_import(source=path, file_name=file_name, origin=SnapshotImport.Source.DEMO,
                                    progress=progress)
        except ImportFailed as failure:
            raise CommandError("\n".join([*failure.lines(), failure.summary()])) from None


def import_summary(result: ImportResult) -> str:
    return _(
        "Imported %(rows)s rows: %(cities)s new cities, %(accounts)s new accounts, %(created)s new and "
        "%(replaced)s replaced snapshots (%(seconds).1f s)."
    ) % {
        "rows": f"{result.rows:,}", "cities": f"{result.cities_created:,}",
        "accounts": f"{result.accounts_created:,}", "created": f"{result.snapshots_created:,}",
        "replaced": f"{result.snapshots_replaced:,}", "seconds": result.duration_ms / 1000,
    }


def site_url(address: str) -> str:
    """http://host:port/ of the address runserver is given (host:port, a bare port, or a URL)."""
    address = address.strip().rstrip("/")
    if address.startswith(("http://", "https://")):
        return address + "/"
    if address.isdigit():
        address = f"127.0.0.1:{address}"
    return f"http://{address}/"


class Command(LocalizedCommand):
    help = gettext_lazy("Set up the demo: import the demo snapshots, create the demo admin user (DEBUG on) and "
                        "publish the demo ranking.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true",
                            help=_("Import the demo file and compute the demo ranking even if done already."))
        parser.add_argument("--address", default=os.environ.get("GOVWEIBO_ADDRESS", "") or DEFAULT_ADDRESS,
                            help=_("host:port the site is served at, for the links this command prints "
                                   "(make run passes its HOST; default: GOVWEIBO_ADDRESS, else 127.0.0.1:8000)"))

    def handle(self, *args, force: bool, address: str, **options) -> None:
        self.site = site_url(address)
        self._import_demo_snapshots(force=force)
        self._ensure_admin()
        self._publish_ranking(force=force)
        self._publish_award_round()

    # Step 1 -----------------------------------------------------------------------------------------
    def _import_demo_snapshots(self, *, force: bool) -> None:
        previous = SnapshotImport.objects.filter(
            source=SnapshotImport.Source.DEMO, file_name=DEMO_FILE.name).order_by("-created_at").first()
        if previous is not None and not force:
            when = timezone.localtime(previous.created_at)
            self.stdout.write(_("Demo data already imported (%(rows)s rows on %(when)s); skipping. "
                                "Use --force to import it again.")
                              % {"rows": f"{previous.row_count:,}", "when": f"{when:%Y-%m-%d %H:%M}"})
            return
        self.stdout.write(_("Importing the demo data from %(path)s …") % {"path": DEMO_FILE})
        self.stdout.write(import_summary(import_demo_file(DEMO_FILE, file_name=DEMO_FILE.name)))

    # Step 2 -----------------------------------------------------------------------------------------
    def _ensure_admin(self) -> None:
        users = get_user_model()
        if users.objects.filter(is_superuser=True).exists():
            return
        if not settings.DEBUG:
            self.stdout.write(_("No superuser exists. With DEBUG off no account with a default password is "
                                "created; create one with: python manage.py createsuperuser"))
            return
        if users.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(_("A user “%(name)s” exists but is not a superuser; no demo admin was created. "
                                "Run: python manage.py createsuperuser") % {"name": DEMO_USERNAME})
            return
        from_env = os.environ.get("GOVWEIBO_DEMO_PASSWORD", "")
        with transaction.atomic():
            users.objects.create_superuser(DEMO_USERNAME, email="",
                                           password=from_env or DEFAULT_DEMO_PASSWORD)
        password = _("(the value of GOVWEIBO_DEMO_PASSWORD)") if from_env else DEFAULT_DEMO_PASSWORD
        self.stdout.write(self.style.SUCCESS(
            _("Created the demo administrator. Log in at %(url)s with user name “%(name)s” and password "
              "%(password)s") % {"url": self.site + "admin/", "name": DEMO_USERNAME, "password": password}
        ))

    # Step 3 -----------------------------------------------------------------------------------------
    def _publish_ranking(self, *, force: bool) -> None:
        """Reload the built-in schemes (a no-op unless their files changed), then compute and publish
        the default scheme's ranking for the two last months of the data and for its last year (shown
        first on the home page: published last). A period whose published run already uses the
        scheme's current version is skipped unless --force."""
        from rankings.models import ScoreRun
        from rankings.selectors import scheme_default_get
        from rankings.selectors.schemes import DEFAULT_BUILTIN_SLUG
        from rankings.services import scheme_load_file

        for path in sorted(BUILTIN_SCHEMES.glob("*.yaml")):
            scheme_load_file(path=path)
        if scheme_default_get() is None:
            # The built-in rows are gone (a flushed database): loaded again from their files they are plain
            # schemes, so the demo's scheme is flagged default, or there would be no ranking to publish.
            scheme_load_file(path=BUILTIN_SCHEMES / f"{DEFAULT_BUILTIN_SLUG}.yaml", make_default=True)
        scheme = scheme_default_get()
        last = Snapshot.objects.aggregate(last=Max("period_end"))["last"]
        if scheme is None or last is None:
            return
        last_month = Period.of_month(last.year, last.month)
        for parsed in (last_month.previous(), last_month, Period.of_year(last.year)):
            period = parsed.label
            done = ScoreRun.objects.filter(scheme=scheme, scheme_version=scheme.version,
                                           is_published=True).for_period(parsed).exists()
            if done and not force:
                self.stdout.write(_("The %(period)s ranking is already published; skipping.") % {"period": period})
                continue
            # Inline: setup is one synchronous step, whether or not a worker is running yet.
            call_command("compute_scores", scheme=scheme.slug, period=period, publish=True, inline=True,
                         stdout=self.stdout, stderr=self.stderr)

    # Step 4 -----------------------------------------------------------------------------------------
    def _publish_award_round(self) -> None:
        from awards.models import AwardRound
        from demo.award import DEMO_ROUND_SLUG, demo_round_publish
        from rankings.models import ScoreRun
        from rankings.selectors import scheme_default_get

        if AwardRound.objects.filter(slug=DEMO_ROUND_SLUG).exists():
            self.stdout.write(_("The demo award round “%(slug)s” exists already; skipping.") % {"slug": DEMO_ROUND_SLUG})
            return
        scheme = scheme_default_get()
        last = Snapshot.objects.aggregate(last=Max("period_end"))["last"]
        if scheme is None or last is None:
            return
        run = (ScoreRun.objects.filter(scheme=scheme, is_published=True).for_period(Period.of_year(last.year))
               .order_by("-published_at").first())
        if run is None:
            return
        award_round = demo_round_publish(run=run)
        shortlist = award_round.results.get().rows[: award_round.shortlist_size]
        self.stdout.write(self.style.SUCCESS(
            _("Published the demo award round %(name)s: shortlist %(names)s. See %(url)s")
            % {"name": award_round.name, "names": (", " if is_english() else "、").join(
                place_name(row["candidate"]) for row in shortlist),
               "url": self.site + "awards/"}))
