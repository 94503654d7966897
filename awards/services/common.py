"""What every awards service shares: the permission gate, the round lock, the input version and the
history's who and entry path."""
from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import F, Model
from django.utils.translation import gettext as _

from awards.models import AwardRound
from awards.permissions import user_can_manage_rounds
from awards.services.errors import AwardError, AwardPermissionDenied, FieldErrors, shown

# Change reasons are stored in a 100-character column: the entry path, " · ", then a person's reason.
REASON_LIMIT = 100
PERSON_REASON_LIMIT = 80


def require_manager(user: Any) -> None:
    """Panel admins (and the command line, user=None) only."""
    if user is not None and not user_can_manage_rounds(user):
        raise AwardPermissionDenied(_("Only panel admins (评审管理员) may do this."))


def lock_round(award_round: AwardRound) -> AwardRound:
    """The round's row, locked for this transaction: writes to one round queue up."""
    return AwardRound.objects.select_for_update().get(pk=award_round.pk)


def bump_version(award_round: AwardRound) -> int:
    """One more input version (a queryset update: no history row for the counter itself)."""
    AwardRound.objects.filter(pk=award_round.pk).update(version=F("version") + 1)
    award_round.refresh_from_db(fields=["version"])
    return award_round.version


def audited(instance: Model, *, user: Any, via: str) -> Model:
    """Mark the next save or delete of `instance` in its history: by whom, from which entry path."""
    instance._history_user = user
    instance._change_reason = str(via)[:REASON_LIMIT]
    return instance


def history_user(user: Any) -> Any:
    """The user to record: an authenticated user, else nobody (the command line)."""
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def require_status(award_round: AwardRound, *allowed: str, action: str) -> None:
    if award_round.status not in allowed:
        raise AwardError(_("Round %(round)s is %(status)s: %(action)s is not possible now.")
                         % {"round": award_round.slug, "status": award_round.get_status_display(), "action": action})


def require_inputs_open(award_round: AwardRound) -> None:
    """Scores, tallies and experts change only while the round is a draft or voting."""
    if not award_round.accepts_scores:
        raise AwardError(_("Round %(round)s is %(status)s: its scores, tallies and experts can no longer change.")
                         % {"round": award_round.slug, "status": award_round.get_status_display()})


def reason_clean(reason: object, *, required: bool) -> str:
    """A reason a person gave for a change, as the audit log records it: one line, without invisible
    characters (zero-width spaces, control characters), at most 80 characters. FieldErrors("reason")
    when it is required and holds no visible text, or is too long (the typed text echoed truncated)."""
    text = "".join(char for char in str(reason or "") if unicodedata.category(char) not in ("Cc", "Cf"))
    text = " ".join(text.split())
    if required and not text:
        raise FieldErrors({"reason": [_("Reason: give one in words; it is recorded in the round's audit log.")]})
    if len(text) > PERSON_REASON_LIMIT:
        raise FieldErrors({"reason": [_("Reason: at most %(limit)s characters, not %(count)s (“%(value)s”).")
                                      % {"limit": PERSON_REASON_LIMIT, "count": len(text), "value": shown(text)}]})
    return text


def via_with_reason(via: str, reason: str) -> str:
    """The history's change reason: the entry path, then the person's reason ("grid · 专家退出")."""
    return f"{via} · {reason}"[:REASON_LIMIT] if reason else str(via)
