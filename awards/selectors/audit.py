"""A round's audit log from the history django-simple-history keeps of every award model: who, when,
what (created / changed / deleted), old → new per field, and the entry path (the change reason)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from awards.models import AwardRound, Candidate, EntryPath, Expert, ExpertScore, NetizenTally, RoundResult

# The fields each model's log compares, in the order they are listed.
AUDITED_FIELDS: dict[type[Model], tuple[str, ...]] = {
    AwardRound: ("name", "status", "shortlist_size", "weight_ranking", "weight_experts", "weight_netizens",
                 "aggregation", "trim", "quorum", "disclose_experts"),
    Candidate: ("citation",),
    Expert: ("name", "affiliation", "province_id", "city_id", "user_id", "submitted_at"),
    ExpertScore: ("score", "comment"),
    NetizenTally: ("votes",),
    RoundResult: ("version", "fingerprint", "reason"),
}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    user: Any                               # a User, or None for the command line
    model: str                              # the model's verbose name, translated
    object_label: str
    action: str                             # created | changed | deleted
    changes: list[tuple[str, Any, Any]]     # (field verbose name, old, new); on creation old is None
    via: str                                # entry path (EntryPath value, "publish", "correction", …)

    @property
    def via_label(self) -> str:
        """The entry path in words (translated) where it is one of EntryPath, else as recorded."""
        path, _, rest = self.via.partition(" · ")
        labels = dict(EntryPath.choices)
        return f"{labels[path]} · {rest}" if path in labels and rest else str(labels.get(path, self.via))


def round_audit_log(*, award_round: AwardRound, limit: int | None = None) -> list[AuditEntry]:
    """Every recorded change of the round and its inputs, newest first (one query per model)."""
    expert_names = dict(Expert.history.filter(round_id=award_round.pk).values_list("id", "name"))
    candidate_names = dict(Candidate.objects.filter(round=award_round).values_list("id", "name"))
    labels = {
        AwardRound: lambda row: row.slug,
        Candidate: lambda row: row.name,
        Expert: lambda row: row.name,
        ExpertScore: lambda row: f"{candidate_names.get(row.candidate_id, '?')} × {expert_names.get(row.expert_id, '?')}",
        NetizenTally: lambda row: f"{candidate_names.get(row.candidate_id, '?')} × {row.source}",
        RoundResult: lambda row: _("result version %(version)s") % {"version": row.version},
    }
    entries: list[AuditEntry] = []
    for model, fields in AUDITED_FIELDS.items():
        rows = model.history.filter(**({"id": award_round.pk} if model is AwardRound else {"round_id": award_round.pk}))
        rows = rows.select_related("history_user").order_by("id", "history_date", "history_id")
        entries.extend(_entries(model, list(rows), fields, labels[model]))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit] if limit else entries


def _entries(model: type[Model], rows: list, fields: tuple[str, ...], label) -> list[AuditEntry]:
    """One entry per history row; values of fields with choices are shown by their (translated) label."""
    entries, previous = [], {}
    meta = {name: model._meta.get_field(name.removesuffix("_id")) for name in fields}
    verbose = {name: str(field.verbose_name) for name, field in meta.items()}
    choices = {name: {key: str(text) for key, text in field.choices} for name, field in meta.items() if field.choices}

    def shown(name: str, value: Any) -> Any:
        return choices[name].get(value, value) if name in choices and value is not None else value

    for row in rows:
        before = previous.get(row.id)
        if row.history_type == "+" or before is None:
            changes = [(verbose[name], None, shown(name, getattr(row, name))) for name in fields
                       if getattr(row, name) not in ("", None)]
        elif row.history_type == "-":
            changes = [(verbose[name], shown(name, getattr(row, name)), None) for name in fields
                       if getattr(row, name) not in ("", None)]
        else:
            changes = [(verbose[name], shown(name, getattr(before, name)), shown(name, getattr(row, name)))
                       for name in fields if getattr(before, name) != getattr(row, name)]
        previous[row.id] = row
        if row.history_type == "~" and not changes:
            continue
        entries.append(AuditEntry(when=row.history_date, user=row.history_user,
                                  model=str(model._meta.verbose_name), object_label=label(row),
                                  action=ACTIONS[row.history_type], changes=changes,
                                  via=row.history_change_reason or ""))
    return entries
