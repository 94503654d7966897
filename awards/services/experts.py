"""Experts of a round (add, edit, remove, reopen: a panel admin's, on the round's pages, in the API and
by command), and candidates' citations (颁奖词). Every change is in the round's audit log with who and,
where given, why (the history's change reason: "<entry path> · <reason>")."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import City, Province
from awards.models import AwardRound, Candidate, Expert, ExpertScore
from awards.permissions import EXPERT_GROUP, SCORE_PERMISSION
from awards.services.common import (
    audited,
    bump_version,
    history_user,
    lock_round,
    reason_clean,
    require_inputs_open,
    require_manager,
    via_with_reason,
)
from awards.services.errors import AwardError, FieldErrors, ScoresToDelete, shown
from core.provinces import ProvinceUnknown, province_canonical

NAME_LIMIT, AFFILIATION_LIMIT = 64, 128
EDITABLE = ("name", "affiliation", "province", "city", "expert_user")


def _clean(award_round: AwardRound, fields: dict[str, Any], *, expert: Expert | None = None) -> dict[str, Any]:
    """Validate an expert's fields, all problems at once: FieldErrors keyed name, province, affiliation,
    city, user."""
    problems: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    name = " ".join(str(fields.get("name") or "").split())
    if not name or len(name) > NAME_LIMIT:
        refuse("name", _("An expert needs a name of 1 to %(limit)s characters.") % {"limit": NAME_LIMIT})
    elif award_round.experts.filter(name=name).exclude(pk=getattr(expert, "pk", None)).exists():
        refuse("name", _("This round has an expert named “%(name)s” already.") % {"name": shown(name)})
    province = _province(fields.get("province"), lambda message: refuse("province", message))
    affiliation = " ".join(str(fields.get("affiliation") or "").split())
    if len(affiliation) > AFFILIATION_LIMIT:
        refuse("affiliation", _("An affiliation has at most %(limit)s characters.") % {"limit": AFFILIATION_LIMIT})
    city = fields.get("city")
    if city is not None and not isinstance(city, City):
        city = City.objects.filter(pk=city).first() if str(city).isdigit() else None
        if city is None:
            refuse("city", _("There is no such home city."))
    if city is not None and province and city.province_id != province:
        refuse("city", _("The home city %(city)s is in %(city_province)s, not in %(province)s.")
               % {"city": city.name, "city_province": city.province_id, "province": province})
    user = fields.get("expert_user")
    if user is not None and award_round.experts.filter(user=user).exclude(pk=getattr(expert, "pk", None)).exists():
        refuse("user", _("The user %(user)s is an expert of this round already.") % {"user": user})
    if problems:
        raise FieldErrors(problems)
    return {"name": name, "province_id": province, "affiliation": affiliation, "city": city, "user": user}


def _province(value: Any, refuse: Any) -> str:
    """The canonical home province (core.provinces) of any accepted spelling or a Province; "" with the
    problem refused when there is none or it names no province-level division."""
    spelling = value.name if isinstance(value, Province) else " ".join(str(value or "").split())
    if not spelling:
        refuse(_("An expert needs a home province (for conflicts of interest, 回避)."))
        return ""
    try:
        return province_canonical(spelling)
    except ProvinceUnknown as error:
        refuse(str(error))
        return ""


def _with_expert_role(login: Any) -> None:
    """The login an expert is linked to may score: a user without the permission joins the expert group
    (评审专家), in the same transaction as the link. Linking is what a panel admin does to make someone an
    expert; without the role the expert page would refuse them."""
    if login is None or login.has_perm(SCORE_PERMISSION):
        return
    group = Group.objects.filter(name=EXPERT_GROUP).first()
    if group is None:
        raise AwardError(_("The expert role (group %(group)s) is missing: run “manage.py migrate”.")
                         % {"group": EXPERT_GROUP})
    login.groups.add(group)


def expert_create(*, user: Any, award_round: AwardRound, name: str, province: str | Province, affiliation: str = "",
                  city: City | int | None = None, expert_user: Any = None, via: str, reason: str = "") -> Expert:
    """Add an expert to a round while it is a draft or voting; `reason` (optional) goes into the audit log."""
    require_manager(user)
    reason = reason_clean(reason, required=False)
    with transaction.atomic():
        locked = lock_round(award_round)
        require_inputs_open(locked)
        clean = _clean(locked, {"name": name, "province": province, "affiliation": affiliation, "city": city,
                                "expert_user": expert_user})
        expert = Expert(round=locked, **clean)
        _with_expert_role(clean["user"])
        audited(expert, user=history_user(user), via=via_with_reason(via, reason)).save()
        bump_version(locked)
    return expert


def expert_update(*, user: Any, expert: Expert, via: str, reason: str | None = None, **fields: Any) -> Expert:
    """Change an expert (name, affiliation, home province and city, user account) while the round is a
    draft or voting; refused when a new home province would make a score they gave a conflict (回避).
    `reason` goes into the audit log: when given (the page, the API and the command always give it) it
    must hold visible text; None (imports, linking from the grid) records the entry path alone."""
    require_manager(user)
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise AwardError(_("These expert fields cannot be changed: %(fields)s.") % {"fields": ", ".join(unknown)})
    reason = reason_clean(reason, required=reason is not None)
    with transaction.atomic():
        locked = lock_round(expert.round)
        require_inputs_open(locked)
        expert = Expert.objects.get(pk=expert.pk)
        current = {"name": expert.name, "province": expert.province_id, "affiliation": expert.affiliation,
                   "city": expert.city, "expert_user": expert.user}
        clean = _clean(locked, {**current, **fields}, expert=expert)
        conflicts = list(ExpertScore.objects.filter(expert=expert, candidate__province=clean["province_id"])
                         .values_list("candidate__name", flat=True))
        if conflicts:
            raise FieldErrors({"province": [
                _("%(expert)s has scored candidates of %(province)s (%(names)s): delete those scores before making "
                  "it their home province (回避).")
                % {"expert": expert.name, "province": clean["province_id"], "names": "、".join(conflicts)}]})
        for key, value in clean.items():
            setattr(expert, key, value)
        _with_expert_role(clean["user"])
        audited(expert, user=history_user(user), via=via_with_reason(via, reason)).save()
        bump_version(locked)
    return expert


def expert_delete(*, user: Any, expert: Expert, via: str, reason: str, scores_confirmed: int = 0) -> None:
    """Remove an expert while the round is a draft or voting, with a reason (audit log).

    An expert with scores is removed only with them, and only when `scores_confirmed` equals their
    number of scores (ScoresToDelete names it otherwise: the confirmation step shows it, and scores
    added meanwhile ask again). Each deleted score leaves a history row with the same reason.
    """
    require_manager(user)
    reason = reason_clean(reason, required=True)
    with transaction.atomic():
        locked = lock_round(expert.round)
        require_inputs_open(locked)
        expert = Expert.objects.get(pk=expert.pk)
        scores = list(ExpertScore.objects.filter(expert=expert).order_by("id"))
        if scores and scores_confirmed != len(scores):
            raise ScoresToDelete(
                ngettext("%(expert)s has %(count)s score: removing the expert deletes it too. Confirm deleting "
                         "%(count)s score.",
                         "%(expert)s has %(count)s scores: removing the expert deletes them too. Confirm deleting "
                         "%(count)s scores.", len(scores)) % {"expert": expert.name, "count": len(scores)},
                count=len(scores))
        version = bump_version(locked)
        recorded = via_with_reason(via, reason)
        for score in scores:
            score.round_version = version
            audited(score, user=history_user(user), via=recorded).delete()
        audited(expert, user=history_user(user), via=recorded).delete()


def expert_reopen(*, user: Any, expert: Expert, via: str, reason: str) -> Expert:
    """A panel admin reopens a submitted expert's scores (a submission by mistake, a score to revise)
    while the round is a draft or voting, with a reason (audit log). Refused, saying why, when the round
    is closed or published or the expert has not submitted."""
    require_manager(user)
    reason = reason_clean(reason, required=True)
    with transaction.atomic():
        locked = lock_round(expert.round)
        if not locked.accepts_scores:
            raise AwardError(_("Round %(round)s is %(status)s: an expert can be reopened only while the round is a "
                               "draft or voting.") % {"round": locked.slug, "status": locked.get_status_display()})
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        if expert.submitted_at is None:
            raise AwardError(_("%(expert)s has not submitted their scores: there is nothing to reopen.")
                             % {"expert": expert.name})
        expert.submitted_at = None
        audited(expert, user=history_user(user), via=via_with_reason(via, reason)).save()
    return expert


CITATION_LIMIT = 2000


def citation_save(*, user: Any, candidate: Candidate, text: str, via: str) -> Candidate:
    """The 颁奖词 of a candidate, editable by panel admins until the round is published."""
    require_manager(user)
    text = (text or "").strip()
    if len(text) > CITATION_LIMIT:
        raise AwardError(_("A citation has at most %(limit)s characters.") % {"limit": CITATION_LIMIT})
    with transaction.atomic():
        locked = lock_round(candidate.round)
        if locked.is_published:
            raise AwardError(_("Round %(round)s is published: its citations can no longer change.")
                             % {"round": locked.slug})
        candidate = Candidate.objects.get(pk=candidate.pk)
        candidate.citation = text
        audited(candidate, user=history_user(user), via=via).save()
    return candidate
