"""Rounds: create from a published ranking, change settings (draft only), and the status changes
draft → voting → closed → published. Publishing and correcting are in publishing.py."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import GovAccount
from awards.models import AwardRound, Candidate, EntryPath
from awards.scoring import below_quorum
from awards.selectors.results import round_inputs, round_method
from awards.services.common import audited, history_user, lock_round, require_manager, require_status
from awards.services.errors import AwardError, QuorumNotMet, shown
from rankings.models import AccountScore, CityScore, ScoreRun

SETTINGS = ("name", "shortlist_size", "weights", "aggregation", "trim", "quorum", "disclose_experts")
DEFAULT_WEIGHTS = ("0.6", "0.25", "0.15")
ONE = Decimal(1)


def _weights(weights: Any) -> tuple[Decimal, Decimal, Decimal]:
    """Three decimals in [0, 1] that sum to exactly 1 (ranking, experts, netizens)."""
    if isinstance(weights, str):
        weights = weights.split(",")
    try:
        values = tuple(Decimal(str(value).strip()) for value in weights)
    except (InvalidOperation, TypeError, ValueError):
        values = ()
    if len(values) != 3 or not all(value.is_finite() for value in values):
        raise AwardError(_("The weights must be three numbers (ranking, experts, netizens), not “%(value)s”.")
                         % {"value": shown(",".join(str(value) for value in weights))})
    if any(value < 0 or value > 1 for value in values):
        raise AwardError(_("Each weight must lie between 0 and 1; got %(weights)s.")
                         % {"weights": ", ".join(str(value) for value in values)})
    if sum(values) != ONE:
        raise AwardError(_("The weights must sum to 1; these sum to %(sum)s.") % {"sum": sum(values).normalize()})
    if any(value.as_tuple().exponent < -4 for value in values):
        raise AwardError(_("A weight has at most 4 decimals."))
    return values


def _validate_settings(fields: dict[str, Any]) -> list[str]:
    """Problems with a round's settings (each a translated message); empty when they are fine."""
    problems = []
    if not str(fields["name"]).strip():
        problems.append(_("A round needs a name."))
    if fields["aggregation"] not in AwardRound.Aggregation.values:
        problems.append(_("The expert aggregation is “mean” or “trimmed”, not “%(value)s”.")
                        % {"value": shown(fields["aggregation"])})
    for field, label in (("shortlist_size", _("shortlist size")), ("quorum", _("quorum")), ("trim", _("trim"))):
        value = fields[field]
        minimum = 0 if field == "trim" else 1
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum or value > 1000:
            problems.append(_("The %(field)s must be a whole number from %(min)s to 1000, not “%(value)s”.")
                            % {"field": label, "min": minimum, "value": shown(value)})
    if not problems and fields["aggregation"] == AwardRound.Aggregation.TRIMMED:
        needed = 2 * fields["trim"] + 1
        if fields["quorum"] < needed:
            problems.append(_("A trimmed mean that drops %(k)s score(s) at each end needs at least %(n)s scores: "
                              "raise the quorum to %(n)s or more.") % {"k": fields["trim"], "n": needed})
    return problems


def _raise(problems: list[str]) -> None:
    if problems:
        raise AwardError(problems[0], messages=problems)


def _candidates_from_run(award_round: AwardRound) -> list[Candidate]:
    """Every city (or account of the category) ranked at or above N in the run: a tie at N lets all in."""
    limit = award_round.candidates_n
    if award_round.kind == AwardRound.Kind.CITY:
        scores = (CityScore.objects.filter(run=award_round.run, rank__lte=limit).select_related("city")
                  .order_by("rank", "city__name"))
        return [Candidate(round=award_round, city=score.city, name=score.city.name, province_id=score.city.province_id,
                          rank=score.rank, composite=score.score) for score in scores]
    scores = (AccountScore.objects.filter(run=award_round.run, category=award_round.category,
                                          rank_in_category__lte=limit)
              .select_related("account", "city").order_by("rank_in_category", "account__screen_name"))
    return [Candidate(round=award_round, account=score.account, city=None, name=score.account.screen_name,
                      province_id=score.city.province_id, rank=score.rank_in_category, composite=score.composite)
            for score in scores]


def round_create(*, user: Any, slug: str, name: str, run: ScoreRun | int, kind: str = AwardRound.Kind.CITY,
                 category: str = "", candidates_n: int = 20, shortlist_size: int = 10,
                 weights: Any = DEFAULT_WEIGHTS, aggregation: str = AwardRound.Aggregation.MEAN, trim: int = 1,
                 quorum: int = 5, disclose_experts: bool = False, via: str = EntryPath.COMMAND) -> AwardRound:
    """Create a draft round on a published run, its candidates frozen from the run's ranking.

    Steps: check the permission and every setting; freeze the candidates (rank ≤ N, ties all in);
    save the round and its candidates (with history) in one transaction.
    """
    require_manager(user)
    run = _published_run(run)
    problems = _validate_settings({"name": name, "aggregation": aggregation, "shortlist_size": shortlist_size,
                                   "quorum": quorum, "trim": trim})
    if not slug or slugify(slug) != slug:
        problems.append(_("The slug “%(slug)s” may hold only lower-case letters, digits and hyphens.")
                        % {"slug": shown(slug)})
    elif AwardRound.objects.filter(slug=slug).exists():
        problems.append(_("A round with the slug “%(slug)s” exists already.") % {"slug": slug})
    if kind not in AwardRound.Kind.values:
        problems.append(_("The kind is “city” or “account”, not “%(value)s”.") % {"value": shown(kind)})
    elif kind == AwardRound.Kind.ACCOUNT and category not in GovAccount.Category.values:
        problems.append(_("A round of accounts needs one of the categories %(choices)s, not “%(value)s”.")
                        % {"choices": ", ".join(GovAccount.Category.values), "value": shown(category)})
    if not isinstance(candidates_n, int) or candidates_n < 1 or candidates_n > 1000:
        problems.append(_("The number of candidates must be a whole number from 1 to 1000."))
    elif isinstance(shortlist_size, int) and shortlist_size > candidates_n:
        problems.append(_("The shortlist (%(shortlist)s) cannot be longer than the list of candidates (%(n)s).")
                        % {"shortlist": shortlist_size, "n": candidates_n})
    _raise(problems)
    weight_ranking, weight_experts, weight_netizens = _weights(weights)
    with transaction.atomic():
        award_round = AwardRound(
            slug=slug, name=name.strip(), run=run, kind=kind, category=category if kind == "account" else "",
            candidates_n=candidates_n, shortlist_size=shortlist_size, weight_ranking=weight_ranking,
            weight_experts=weight_experts, weight_netizens=weight_netizens, aggregation=aggregation, trim=trim,
            quorum=quorum, disclose_experts=disclose_experts, created_by=history_user(user))
        audited(award_round, user=history_user(user), via=via).save()
        candidates = _candidates_from_run(award_round)
        if not candidates:
            raise AwardError(_("Score run #%(run)s ranks no candidate of this kind: the round would be empty.")
                             % {"run": run.pk})
        bulk_create_with_history(candidates, Candidate, default_user=history_user(user), default_change_reason=via)
    return award_round


def _published_run(run: ScoreRun | int) -> ScoreRun:
    run_id = run.pk if isinstance(run, ScoreRun) else run
    found = ScoreRun.objects.filter(pk=run_id).first() if isinstance(run_id, int) else None
    if found is None:
        raise AwardError(_("There is no score run #%(run)s.") % {"run": shown(run_id)})
    if not found.is_published:
        raise AwardError(_("Score run #%(run)s is not published: a round draws on a published ranking.")
                         % {"run": found.pk})
    return found


def round_update(*, user: Any, award_round: AwardRound, via: str, **fields: Any) -> AwardRound:
    """Change a draft round's settings (name, shortlist size, weights, aggregation, trim, quorum,
    disclosure of expert names). The candidates, run and kind are fixed at creation."""
    require_manager(user)
    unknown = sorted(set(fields) - set(SETTINGS))
    if unknown:
        raise AwardError(_("These settings cannot be changed: %(fields)s.") % {"fields": ", ".join(unknown)})
    with transaction.atomic():
        locked = lock_round(award_round)
        require_status(locked, AwardRound.Status.DRAFT, action=_("changing the settings"))
        current = {"name": locked.name, "aggregation": locked.aggregation, "shortlist_size": locked.shortlist_size,
                   "quorum": locked.quorum, "trim": locked.trim}
        merged = {**current, **{key: value for key, value in fields.items() if key in current}}
        problems = _validate_settings(merged)
        if merged["shortlist_size"] > locked.candidates.count():
            problems.append(_("The shortlist (%(shortlist)s) cannot be longer than the list of candidates (%(n)s).")
                            % {"shortlist": merged["shortlist_size"], "n": locked.candidates.count()})
        _raise(problems)
        if "weights" in fields:
            locked.weight_ranking, locked.weight_experts, locked.weight_netizens = _weights(fields["weights"])
        for key, value in merged.items():
            setattr(locked, key, value.strip() if key == "name" else value)
        if "disclose_experts" in fields:
            locked.disclose_experts = bool(fields["disclose_experts"])
        audited(locked, user=history_user(user), via=via).save()
    return locked


def round_open_voting(*, user: Any, award_round: AwardRound, via: str) -> AwardRound:
    """Draft → voting (also done by the first file import)."""
    require_manager(user)
    with transaction.atomic():
        locked = lock_round(award_round)
        require_status(locked, AwardRound.Status.DRAFT, action=_("opening the voting"))
        locked.status, locked.voting_opened_at = AwardRound.Status.VOTING, timezone.now()
        audited(locked, user=history_user(user), via=via).save()
    return locked


def round_close(*, user: Any, award_round: AwardRound, via: str) -> AwardRound:
    """Voting → closed, refused while any candidate has fewer expert scores than the round needs."""
    require_manager(user)
    with transaction.atomic():
        locked = lock_round(award_round)
        require_status(locked, AwardRound.Status.VOTING, action=_("closing"))
        inputs = round_inputs(award_round=locked)
        method = round_method(locked)
        short = below_quorum(inputs.candidates, inputs.scores, method=method)
        if len(short):
            names = inputs.candidates.loc[short, "candidate"].tolist()
            raise QuorumNotMet(
                _("Round %(round)s cannot close: %(count)s candidate(s) have fewer than %(needed)s expert scores: "
                  "%(names)s.") % {"round": locked.slug, "count": len(names), "needed": method.scores_needed,
                                   "names": "、".join(names)}, candidates=names)
        locked.status, locked.closed_at = AwardRound.Status.CLOSED, timezone.now()
        audited(locked, user=history_user(user), via=via).save()
    return locked
