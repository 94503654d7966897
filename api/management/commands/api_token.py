"""python manage.py api_token [--lang en] create USERNAME --name NAME | list [--user USERNAME] [--all] | revoke ID

Tokens for scripts (api.models). `create` prints the token once, on its own line, so a script can
capture it: TOKEN=$(python manage.py api_token create analyst --name nightly). `list` shows each token's
prefix, never the token. `revoke` takes the id from `list`. Messages in Chinese by default, English with
--lang en or an English LANG.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api import services
from api.models import ApiToken
from core.commands import LANGUAGES, LocalizedCommand


class Command(LocalizedCommand):
    help = gettext_lazy("Create, list and revoke API tokens.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lang", choices=LANGUAGES, help=_("language of the messages (default: from LANG)"))
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help=_("create a token and print it (shown only once)"))
        create.add_argument("username")
        create.add_argument("--name", default="script", help=_("what the token is for"))
        listing = actions.add_parser("list", help=_("list tokens (their prefixes, never the tokens)"))
        listing.add_argument("--user", help=_("only this user's tokens"))
        listing.add_argument("--all", action="store_true", help=_("revoked tokens too"))
        revoke = actions.add_parser("revoke", help=_("revoke a token by its id"))
        revoke.add_argument("id", type=int)

    def handle(self, *args, **options) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No user “%(user)s”.") % {"user": options["username"][:50]})
        try:
            _token, key = services.token_create(user=user, name=options["name"])
        except services.TokenError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(key)
        self.stderr.write(_("Store this token now: it is not shown again. Send it as “Authorization: Token …”."))

    def _list(self, options: dict) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("id")
        if options["user"]:
            tokens = tokens.filter(user__username=options["user"])
        if not options["all"]:
            tokens = tokens.filter(revoked_at__isnull=True)
        for token in tokens:
            state = (_("revoked %(date)s") % {"date": f"{timezone.localtime(token.revoked_at):%Y-%m-%d}"}
                     if token.revoked_at else _("active"))
            used = f"{timezone.localtime(token.last_used_at):%Y-%m-%d %H:%M}" if token.last_used_at else "-"
            self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.user.get_username()}\t{token.name}\t"
                              f"{timezone.localtime(token.created_at):%Y-%m-%d}\t{used}\t{state}")

    def _revoke(self, options: dict) -> None:
        token = ApiToken.objects.filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(_("No API token #%(id)s.") % {"id": options["id"]})
        services.token_revoke(token=token)
        self.stdout.write(_("Token #%(id)s (%(prefix)s…) is revoked.") % {"id": token.pk, "prefix": token.prefix})
