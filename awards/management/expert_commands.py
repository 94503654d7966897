"""The experts' subcommands of `manage.py award_round` (issue 18, item 2):

    award_round experts SLUG                                           list the round's experts
    award_round expert-add SLUG --name N --province P [--affiliation A] [--user LOGIN] [--reason R]
    award_round expert-edit SLUG EXPERT --reason R [--name N] [--affiliation A] [--province P]
                                                   [--user LOGIN | --no-user]
    award_round expert-remove SLUG EXPERT --reason R [--delete-scores N]
    award_round expert-reopen SLUG EXPERT --reason R

EXPERT is the expert's name or id. An expert with scores is removed only with `--delete-scores N`, N
being their number of scores (the refusal says it). The same services as the pages and the API
(awards/services/experts.py), as the command line (user None); the reason goes into the audit log.
"""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils.translation import gettext as _

from awards import services
from awards.models import AwardRound, EntryPath, Expert
from awards.services.errors import FieldErrors, ScoresToDelete, shown

VIA = EntryPath.COMMAND
ACTIONS = ("experts", "expert-add", "expert-edit", "expert-remove", "expert-reopen")
# The services' field names as this command's options.
OPTIONS = {"name": "--name", "affiliation": "--affiliation", "province": "--province", "city": "--city",
           "user": "--user", "reason": "--reason"}


def add_expert_parsers(actions: Any) -> None:
    """The experts' subcommands, on award_round's subparsers."""
    listing = actions.add_parser("experts", help=_("list a round's experts"))
    listing.add_argument("slug", help=_("the round's slug"))
    for name, text in (("expert-add", _("add an expert to a draft or voting round")),
                       ("expert-edit", _("change an expert (name, affiliation, home province, user account)"))):
        sub = actions.add_parser(name, help=text)
        sub.add_argument("slug", help=_("the round's slug"))
        if name == "expert-edit":
            sub.add_argument("expert", help=_("the expert's name or id"))
        sub.add_argument("--name", required=name == "expert-add", help=_("the expert's name"))
        sub.add_argument("--affiliation", help=_("the expert's affiliation"))
        sub.add_argument("--province", required=name == "expert-add",
                         help=_("the expert's home province (candidates of it are recused, 回避)"))
        users = sub.add_mutually_exclusive_group()
        users.add_argument("--user", help=_("the user name the expert logs in with to score"))
        if name == "expert-edit":
            users.add_argument("--no-user", action="store_true", help=_("unlink the expert's user account"))
        sub.add_argument("--reason", required=name == "expert-edit", default="",
                         help=_("why, for the round's audit log"))
    remove = actions.add_parser("expert-remove", help=_("remove an expert (and, confirmed, their scores)"))
    reopen = actions.add_parser("expert-reopen", help=_("reopen a submitted expert's scores"))
    for sub in (remove, reopen):
        sub.add_argument("slug", help=_("the round's slug"))
        sub.add_argument("expert", help=_("the expert's name or id"))
        sub.add_argument("--reason", required=True, help=_("why, for the round's audit log"))
    remove.add_argument("--delete-scores", type=int, default=0, metavar="N",
                        help=_("confirm deleting the expert's N scores with them"))


class ExpertActions:
    """award_round's handlers of the experts' subcommands (mixed into the Command)."""

    def _expert(self, award_round: AwardRound, key: str) -> Expert:
        experts = award_round.experts.all()
        expert = experts.filter(name=key).first() or (experts.filter(pk=int(key)).first() if key.isdigit() else None)
        if expert is None:
            known = "、".join(experts.order_by("id").values_list("name", flat=True)) or "—"
            raise CommandError(_("Round %(round)s has no expert “%(expert)s”; its experts are: %(known)s")
                               % {"round": award_round.slug, "expert": shown(key), "known": known})
        return expert

    def _login(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("--user: there is no user “%(name)s”.") % {"name": shown(username)})
        return user

    def _experts(self, *, slug: str, **options: Any) -> None:
        award_round = self._round(slug)
        rows = award_round.experts.select_related("user").annotate(scores_count=Count("scores")).order_by("id")
        for expert in rows:
            self.stdout.write("\t".join([
                str(expert.pk), expert.name, expert.province_id, expert.affiliation or "—",
                expert.user.get_username() if expert.user_id else "—",
                _("%(count)s scores") % {"count": expert.scores_count},
                _("submitted %(when)s") % {"when": expert.submitted_at.strftime("%Y-%m-%d %H:%M")}
                if expert.submitted_at else _("not submitted"),
            ]))
        if not rows:
            self.stdout.write(_("Round %(slug)s has no expert yet.") % {"slug": slug})

    def _expert_add(self, *, slug: str, name: str, province: str, affiliation: str | None, user: str | None,
                    reason: str, **options: Any) -> None:
        expert = self._field_errors(services.expert_create, user=None, award_round=self._round(slug), name=name,
                                    province=province, affiliation=affiliation or "", expert_user=self._login(user),
                                    via=VIA, reason=reason)
        self.stdout.write(_("Expert %(name)s (id %(id)s) added to %(slug)s.")
                          % {"name": expert.name, "id": expert.pk, "slug": slug})

    def _expert_edit(self, *, slug: str, expert: str, name: str | None, affiliation: str | None,
                     province: str | None, user: str | None, no_user: bool, reason: str, **options: Any) -> None:
        found = self._expert(self._round(slug), expert)
        fields = {key: value for key, value in (("name", name), ("affiliation", affiliation),
                                                ("province", province)) if value is not None}
        if user or no_user:
            fields["expert_user"] = self._login(user)
        changed = self._field_errors(services.expert_update, user=None, expert=found, via=VIA, reason=reason,
                                     **fields)
        self.stdout.write(_("Expert %(name)s (id %(id)s) saved.") % {"name": changed.name, "id": changed.pk})

    def _expert_remove(self, *, slug: str, expert: str, reason: str, delete_scores: int, **options: Any) -> None:
        found = self._expert(self._round(slug), expert)
        try:
            self._field_errors(services.expert_delete, user=None, expert=found, via=VIA, reason=reason,
                               scores_confirmed=delete_scores)
        except ScoresToDelete as error:
            raise CommandError(_("%(message)s Run again with --delete-scores %(count)s.")
                               % {"message": error, "count": error.count}) from None
        self.stdout.write(_("Expert %(name)s removed from %(slug)s.") % {"name": found.name, "slug": slug})

    def _expert_reopen(self, *, slug: str, expert: str, reason: str, **options: Any) -> None:
        found = self._expert(self._round(slug), expert)
        self._field_errors(services.expert_reopen, user=None, expert=found, via=VIA, reason=reason)
        self.stdout.write(_("The scores of %(name)s are reopened.") % {"name": found.name})

    def _field_errors(self, service: Any, **kwargs: Any) -> Any:
        """A service's field errors, each named by this command's option (--province: …)."""
        try:
            return service(**kwargs)
        except FieldErrors as error:
            raise CommandError("\n".join(f"{OPTIONS.get(field, field)}: {message}"
                                         for field, messages in error.fields.items() for message in messages)) from None
