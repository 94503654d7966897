"""Publishing freezes a round; a correction (reason required) adds a new version of its result.

The frozen inputs are one canonical document (settings, candidates, experts, scores, tallies; sorted,
numbers as exact strings), and the fingerprint is the SHA-256 of its canonical JSON (sorted keys, no
spaces, UTF-8): anyone holding the inputs can recompute both the result and the fingerprint.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import AwardRound, Expert, RoundResult
from awards.selectors.results import results_compute, results_to_rows, round_inputs
from awards.selectors.rounds import expert_label
from awards.services.cells import ScoreCell, TallyCell, cells_apply
from awards.services.common import audited, history_user, lock_round, require_manager, require_status
from awards.services.errors import AwardError
from core.text import has_visible_text

REASON_LIMIT = 2000
REASON_REQUIRED = gettext_lazy("A correction needs a reason: it is shown on the public page.")
REASON_INVISIBLE = gettext_lazy("The reason holds no visible text (only spaces, zero-width or control characters): "
                         "write why the result is corrected; it is shown on the public page.")
REASON_TOO_LONG = gettext_lazy("A reason has at most %(limit)s characters.")


def correction_reason_problem(reason: str) -> str | None:
    """Why `reason` cannot be a correction's reason (page, API and service ask here), or None."""
    reason = (reason or "").strip()
    if not reason:
        return str(REASON_REQUIRED)
    if not has_visible_text(reason):
        return str(REASON_INVISIBLE)
    if len(reason) > REASON_LIMIT:
        return str(REASON_TOO_LONG) % {"limit": REASON_LIMIT}
    return None


def round_inputs_document(award_round: AwardRound) -> dict[str, Any]:
    """Everything the result is computed from, as a canonical, JSON-ready document."""
    experts = list(Expert.objects.filter(round=award_round).order_by("id"))
    inputs = round_inputs(award_round=award_round)
    candidates = award_round.candidates.order_by("rank", "id").values_list("id", "name", "province", "rank",
                                                                           "composite")
    return {
        "round": {
            "slug": award_round.slug, "name": award_round.name, "run": award_round.run_id, "kind": award_round.kind,
            "category": award_round.category, "candidates_n": award_round.candidates_n,
            "shortlist_size": award_round.shortlist_size,
            "weights": [str(weight) for weight in award_round.weights], "aggregation": award_round.aggregation,
            "trim": award_round.trim, "quorum": award_round.quorum,
        },
        "candidates": [{"id": pk, "name": name, "province": province, "rank": rank, "composite": repr(composite)}
                       for pk, name, province, rank, composite in candidates],
        "experts": [{"id": expert.pk, "label": expert_label(position), "name": expert.name,
                     "province": expert.province_id} for position, expert in enumerate(experts)],
        "scores": sorted(({"candidate": int(c), "expert": int(e), "score": f"{s:.2f}"}
                          for c, e, s in inputs.scores.itertuples(index=False)),
                         key=lambda row: (row["candidate"], row["expert"])),
        "tallies": sorted(({"candidate": int(c), "source": source, "votes": int(v)}
                           for c, source, v in inputs.tallies.itertuples(index=False)),
                          key=lambda row: (row["candidate"], row["source"])),
    }


def fingerprint(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _freeze(award_round: AwardRound, *, user: Any, version: int, reason: str = "") -> RoundResult:
    document = round_inputs_document(award_round)
    results = results_compute(round_inputs(award_round=award_round), award_round=award_round)
    result = RoundResult(round=award_round, version=version, rows=results_to_rows(results), inputs=document,
                         fingerprint=fingerprint(document), is_correction=version > 1, reason=reason,
                         created_by=history_user(user))
    audited(result, user=history_user(user), via="publish" if version == 1 else "correction").save()
    return result


def round_publish(*, user: Any, award_round: AwardRound, via: str) -> RoundResult:
    """Closed → published: freeze the inputs and the result (version 1) with its fingerprint.
    From then on every input change is refused; only round_correct adds a version."""
    require_manager(user)
    with transaction.atomic():
        locked = lock_round(award_round)
        require_status(locked, AwardRound.Status.CLOSED, action=_("publishing"))
        result = _freeze(locked, user=user, version=1)
        locked.status, locked.published_at = AwardRound.Status.PUBLISHED, timezone.now()
        audited(locked, user=history_user(user), via=via).save()
    award_round.refresh_from_db()
    return result


def round_correct(*, user: Any, award_round: AwardRound, reason: str, scores: list[ScoreCell] = (),
                  tallies: list[TallyCell] = (), via: str) -> RoundResult:
    """Correct a published round in the open: apply the corrected cells (same validation as every entry
    path), recompute, and store a new result version with the reason. Earlier versions stay."""
    require_manager(user)
    if (problem := correction_reason_problem(reason)) is not None:
        raise AwardError(problem)
    reason = reason.strip()
    if not scores and not tallies:
        raise AwardError(_("A correction changes at least one score or tally."))
    with transaction.atomic():
        locked = lock_round(award_round)
        require_status(locked, AwardRound.Status.PUBLISHED, action=_("a correction"))
        saved = cells_apply(locked, scores, tallies, user=user, via=via, reason=f"{via} · correction")
        if not (saved.created or saved.updated or saved.deleted):
            raise AwardError(_("The correction changes nothing: every cell already has that value."))
        latest = locked.results.order_by("-version").first()
        result = _freeze(locked, user=user, version=latest.version + 1, reason=reason)
    return result
