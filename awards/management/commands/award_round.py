"""python manage.py award_round create|import|close|publish|export … (issue #9, item 7)

    award_round create SLUG --run RUN_ID --name NAME [--kind city|account --category C]
                       [--candidates 20 | --list 长沙,株洲,…] [--shortlist 10] [--weights 0.6,0.25,0.15]
                       [--aggregation mean|trimmed] [--trim 1] [--quorum 5] [--disclose-experts]
    award_round import SLUG FILE          expert scores or netizen tallies (opens the voting)
    award_round close SLUG
    award_round publish SLUG
    award_round export SLUG [--format csv|xlsx] [-o FILE]
    award_round experts|expert-add|expert-edit|expert-remove|expert-reopen …   (awards/management/expert_commands.py)

The same services as the pages (awards.services), as the command line (user None: whoever has a shell
on the server). Messages and errors in the user's language, Chinese by default; errors exit non-zero.
"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards import defaults, exporting, services
from awards.importing import round_import
from awards.management.expert_commands import ACTIONS as EXPERT_ACTIONS
from awards.management.expert_commands import ExpertActions, add_expert_parsers
from awards.models import AwardRound, EntryPath
from core.commands import LANGUAGES, LocalizedCommand
from core.errors import AppError
from core.tables.errors import ImportFailed

VIA = EntryPath.COMMAND
MAX_PROBLEMS_SHOWN = 50


class Command(ExpertActions, LocalizedCommand):
    help = gettext_lazy("Create an award round, import expert scores or netizen tallies, close, publish, export.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lang", choices=LANGUAGES, help=_("language of the messages (default: from LANG)"))
        actions = parser.add_subparsers(dest="action", required=True,
                                        metavar="|".join(["create", "import", "close", "publish", "export",
                                                          *EXPERT_ACTIONS]))
        create = actions.add_parser("create", help=_("create a draft round from a published score run"))
        create.add_argument("slug", help=_("the round's slug (used in URLs and commands)"))
        create.add_argument("--run", type=int, required=True, help=_("the published score run it draws on"))
        create.add_argument("--name", required=True, help=_("e.g. 2012年度政务微博示范奖"))
        create.add_argument("--kind", choices=AwardRound.Kind.values, default="city",
                            help=_("candidates are cities or the accounts of one category (default city)"))
        create.add_argument("--category", default="", help=_("the account category of an account round"))
        chosen = create.add_mutually_exclusive_group()
        chosen.add_argument("--candidates", type=int, default=defaults.CANDIDATES_N,
                            help=_("candidates: every rank ≤ N (default %(default)s)"))
        chosen.add_argument("--list", dest="candidate_list", default=None,
                            help=_("candidates by name instead, separated by commas or 、 (a name two provinces "
                                   "share: 吉林（吉林）)"))
        create.add_argument("--shortlist", type=int, default=defaults.SHORTLIST_SIZE,
                            help=_("shortlist size (default %(default)s)"))
        create.add_argument("--weights", default=",".join(defaults.WEIGHTS),
                            help=_("ranking, experts, netizens; sum 1 (default %(default)s)"))
        create.add_argument("--aggregation", default=defaults.AGGREGATION, help=_("expert aggregation: mean or trimmed"))
        create.add_argument("--trim", type=int, default=defaults.TRIM,
                            help=_("scores dropped at each end (default %(default)s)"))
        create.add_argument("--quorum", type=int, default=defaults.QUORUM,
                            help=_("expert scores per candidate (default %(default)s)"))
        create.add_argument("--disclose-experts", action="store_true",
                            help=_("publish the experts' names with their scores"))
        for name, text in (("import", _("import expert scores or netizen tallies (CSV or XLSX)")),
                           ("close", _("close the voting (refused below the quorum)")),
                           ("publish", _("publish and freeze the result")),
                           ("export", _("write the results as CSV or XLSX"))):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("slug", help=_("the round's slug"))
            if name == "import":
                sub.add_argument("file", type=Path, help=_("a .csv (UTF-8 or GB18030) or .xlsx file"))
            if name == "export":
                sub.add_argument("--format", choices=exporting.FORMATS, default="csv",
                                 help=_("file format (default csv)"))
                sub.add_argument("-o", "--output", type=Path, help=_("write to this file instead of stdout"))
        add_expert_parsers(actions)

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except ImportFailed as error:
            raise CommandError("\n".join([error.summary(), *error.lines(MAX_PROBLEMS_SHOWN)])) from None
        except AppError as error:
            raise CommandError("\n".join(error.messages)) from None

    def _round(self, slug: str) -> AwardRound:
        award_round = AwardRound.objects.filter(slug=slug).first()
        if award_round is None:
            known = ", ".join(AwardRound.objects.order_by("slug").values_list("slug", flat=True)) or "—"
            raise CommandError(_("There is no round “%(slug)s”; the rounds are: %(known)s")
                               % {"slug": slug, "known": known})
        return award_round

    def _create(self, *, slug: str, run: int, name: str, kind: str, category: str, candidates: int, shortlist: int,
                weights: str, aggregation: str, trim: int, quorum: int, candidate_list: str | None = None,
                disclose_experts: bool = False, **options) -> None:
        names = None if candidate_list is None else services.candidate_names_parse(candidate_list)
        award_round = services.round_create(
            user=None, slug=slug, name=name, run=run, kind=kind, category=category, candidates_n=candidates,
            candidate_names=names, shortlist_size=shortlist, weights=weights, aggregation=aggregation, trim=trim,
            quorum=quorum, disclose_experts=disclose_experts, via=VIA)
        self.stdout.write(_("Round %(slug)s created (draft) with %(count)s candidates from run #%(run)s.")
                          % {"slug": award_round.slug, "count": award_round.candidates.count(), "run": run})

    def _import(self, *, slug: str, file: Path, **options) -> None:
        award_round = self._round(slug)
        if not file.is_file():
            raise CommandError(_("Cannot read %(path)s: no such file.") % {"path": file})
        summary = round_import(user=None, award_round=award_round, source=file, file_name=file.name, via=VIA)
        text = (_("%(rows)s expert score rows imported into %(slug)s (%(experts)s new experts): %(created)s new, "
                  "%(updated)s changed.") if summary.kind == "scores" else
                _("%(rows)s netizen tally rows imported into %(slug)s: %(created)s new, %(updated)s changed."))
        self.stdout.write(text % {"rows": summary.rows, "slug": slug, "experts": summary.experts_created,
                                  "created": summary.saved.created, "updated": summary.saved.updated})
        if summary.voting_opened:
            self.stdout.write(_("Voting is open."))

    def _close(self, *, slug: str, **options) -> None:
        services.round_close(user=None, award_round=self._round(slug), via=VIA)
        self.stdout.write(_("Round %(slug)s is closed.") % {"slug": slug})

    def _publish(self, *, slug: str, **options) -> None:
        result = services.round_publish(user=None, award_round=self._round(slug), via=VIA)
        self.stdout.write(_("Round %(slug)s is published; input fingerprint (SHA-256) %(fingerprint)s.")
                          % {"slug": slug, "fingerprint": result.fingerprint})

    def _export(self, *, slug: str, format: str, output: Path | None, **options) -> None:  # noqa: A002
        self.export_check(format, output)
        data = exporting.round_export(award_round=self._round(slug), file_format=format, bom=output is not None)
        if self.export_write(data, output):
            self.stderr.write(_("Round %(slug)s written to %(path)s") % {"slug": slug, "path": output})
