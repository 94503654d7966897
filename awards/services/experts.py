"""Experts of a round, and candidates' citations (颁奖词)."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import City, Province
from awards.models import AwardRound, Candidate, Expert, ExpertScore
from awards.permissions import EXPERT_GROUP, SCORE_PERMISSION
from awards.services.common import (
    audited,
    bump_version,
    history_user,
    lock_round,
    require_inputs_open,
    require_manager,
)
from awards.services.errors import AwardError, shown
from core.provinces import ProvinceUnknown, province_canonical

NAME_LIMIT, AFFILIATION_LIMIT = 64, 128
EDITABLE = ("name", "affiliation", "province", "city", "expert_user")


def _clean(award_round: AwardRound, fields: dict[str, Any], *, expert: Expert | None = None) -> dict[str, Any]:
    """Validate an expert's fields (all problems at once)."""
    problems, clean = [], {}
    name = " ".join(str(fields.get("name") or "").split())
    if not name or len(name) > NAME_LIMIT:
        problems.append(_("An expert needs a name of 1 to %(limit)s characters.") % {"limit": NAME_LIMIT})
    elif award_round.experts.filter(name=name).exclude(pk=getattr(expert, "pk", None)).exists():
        problems.append(_("This round has an expert named “%(name)s” already.") % {"name": shown(name)})
    province = _province(fields.get("province"), problems)
    affiliation = " ".join(str(fields.get("affiliation") or "").split())
    if len(affiliation) > AFFILIATION_LIMIT:
        problems.append(_("An affiliation has at most %(limit)s characters.") % {"limit": AFFILIATION_LIMIT})
    city = fields.get("city")
    if city is not None and not isinstance(city, City):
        city = City.objects.filter(pk=city).first()
        if city is None:
            problems.append(_("There is no such home city."))
    if city is not None and province and city.province_id != province:
        problems.append(_("The home city %(city)s is in %(city_province)s, not in %(province)s.")
                        % {"city": city.name, "city_province": city.province_id, "province": province})
    user = fields.get("expert_user")
    if user is not None and award_round.experts.filter(user=user).exclude(pk=getattr(expert, "pk", None)).exists():
        problems.append(_("The user %(user)s is an expert of this round already.") % {"user": user})
    if problems:
        raise AwardError(problems[0], messages=problems)
    clean.update(name=name, province_id=province, affiliation=affiliation, city=city, user=user)
    return clean


def _province(value: Any, problems: list[str]) -> str:
    """The canonical home province (core.provinces) of any accepted spelling or a Province; "" with the
    problem noted when there is none or it names no province-level division."""
    spelling = value.name if isinstance(value, Province) else " ".join(str(value or "").split())
    if not spelling:
        problems.append(_("An expert needs a home province (for conflicts of interest, 回避)."))
        return ""
    try:
        return province_canonical(spelling)
    except ProvinceUnknown as error:
        problems.append(str(error))
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
                  city: City | int | None = None, expert_user: Any = None, via: str) -> Expert:
    require_manager(user)
    with transaction.atomic():
        locked = lock_round(award_round)
        require_inputs_open(locked)
        clean = _clean(locked, {"name": name, "province": province, "affiliation": affiliation, "city": city,
                                "expert_user": expert_user})
        expert = Expert(round=locked, **clean)
        _with_expert_role(clean["user"])
        audited(expert, user=history_user(user), via=via).save()
        bump_version(locked)
    return expert


def expert_update(*, user: Any, expert: Expert, via: str, **fields: Any) -> Expert:
    """Change an expert; refused when a new home province would make a score they gave a conflict."""
    require_manager(user)
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise AwardError(_("These expert fields cannot be changed: %(fields)s.") % {"fields": ", ".join(unknown)})
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
            raise AwardError(_("%(expert)s has scored candidates of %(province)s (%(names)s): delete those scores "
                               "before making it their home province (回避).")
                             % {"expert": expert.name, "province": clean["province_id"], "names": "、".join(conflicts)})
        for key, value in clean.items():
            setattr(expert, key, value)
        _with_expert_role(clean["user"])
        audited(expert, user=history_user(user), via=via).save()
        bump_version(locked)
    return expert


def expert_delete(*, user: Any, expert: Expert, via: str) -> None:
    """Delete an expert and their scores (each deletion recorded in the history)."""
    require_manager(user)
    with transaction.atomic():
        locked = lock_round(expert.round)
        require_inputs_open(locked)
        version = bump_version(locked)
        for score in ExpertScore.objects.filter(expert=expert):
            score.round_version = version
            audited(score, user=history_user(user), via=via).delete()
        audited(Expert.objects.get(pk=expert.pk), user=history_user(user), via=via).delete()


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
