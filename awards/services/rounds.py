"""Rounds: create from a published ranking, change settings (draft only), and the status changes
draft → voting → closed → published. Publishing and correcting are in publishing.py."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import GovAccount
from awards import defaults
from awards.models import AwardRound, Candidate, EntryPath
from awards.scoring import below_quorum
from awards.selectors.results import round_inputs, round_method
from awards.services.common import audited, history_user, lock_round, require_manager, require_status
from awards.services.errors import AwardError, QuorumNotMet, SettingsInvalid, shown
from core.provinces import province_or_none
from rankings.models import AccountScore, CityScore, ScoreRun

SETTINGS = ("name", "shortlist_size", "weights", "aggregation", "trim", "quorum", "disclose_experts")
ONE = Decimal(1)
NAME_LIMIT = 128
SLUG_LIMIT = 50
MAX_CANDIDATES = 1000
MAX_NAME_PROBLEMS = 50
# Words the round pages use after /awards/: a round with such a slug would hide the page (or be hidden).
RESERVED_SLUGS = frozenset({"new"})
NAME_SEPARATORS = re.compile(r"[\n\r,，、;；]+")
WITH_PROVINCE = re.compile(r"^(.+?)\s*[（(]\s*([^()（）]+?)\s*[)）]$")


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


def _validate_settings(fields: dict[str, Any]) -> list[tuple[str, str]]:
    """Problems with a round's settings as (setting, translated message); empty when they are fine."""
    problems = []
    if not str(fields["name"]).strip():
        problems.append(("name", _("A round needs a name.")))
    elif len(str(fields["name"]).strip()) > NAME_LIMIT:
        problems.append(("name", _("A round's name has at most %(limit)s characters.") % {"limit": NAME_LIMIT}))
    if fields["aggregation"] not in AwardRound.Aggregation.values:
        problems.append(("aggregation", _("The expert aggregation is “mean” or “trimmed”, not “%(value)s”.")
                         % {"value": shown(fields["aggregation"])}))
    for field, label in (("shortlist_size", _("shortlist size")), ("quorum", _("quorum")), ("trim", _("trim"))):
        value = fields[field]
        minimum = 0 if field == "trim" else 1
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum or value > 1000:
            problems.append((field, _("The %(field)s must be a whole number from %(min)s to 1000, not “%(value)s”.")
                             % {"field": label, "min": minimum, "value": shown(value)}))
    if not problems and fields["aggregation"] == AwardRound.Aggregation.TRIMMED:
        needed = 2 * fields["trim"] + 1
        if fields["quorum"] < needed:
            problems.append(("quorum", _("A trimmed mean that drops %(k)s score(s) at each end needs at least %(n)s "
                                         "scores: raise the quorum to %(n)s or more.")
                             % {"k": fields["trim"], "n": needed}))
    return problems


def _raise(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise SettingsInvalid(problems)


def _weights_problems(weights: Any) -> tuple[tuple[Decimal, Decimal, Decimal] | None, list[tuple[str, str]]]:
    try:
        return _weights(weights), []
    except AwardError as error:
        return None, [("weights", str(error))]


def candidate_names_parse(text: str) -> list[str]:
    """A list of candidates as people type it: one per line, or separated by commas, 、 or semicolons.
    A name two provinces share is written with its province: 吉林（吉林） or 吉林(吉林)."""
    return [name for name in (" ".join(part.split()) for part in NAME_SEPARATORS.split(text or "")) if name]


def _name_and_province(entry: str) -> tuple[str, str]:
    match = WITH_PROVINCE.match(entry)
    return (match.group(1), match.group(2)) if match else (entry, "")


def _scores_of_run(award_round: AwardRound) -> list[Candidate]:
    """Every city (or account of the category) the run ranks, as unsaved candidates in rank order."""
    if award_round.kind == AwardRound.Kind.CITY:
        scores = (CityScore.objects.filter(run=award_round.run).select_related("city").order_by("rank", "city__name"))
        if award_round.candidates_n:
            scores = scores.filter(rank__lte=award_round.candidates_n)
        return [Candidate(round=award_round, city=score.city, name=score.city.name, province_id=score.city.province_id,
                          rank=score.rank, composite=score.score) for score in scores]
    scores = (AccountScore.objects.filter(run=award_round.run, category=award_round.category)
              .select_related("account", "city").order_by("rank_in_category", "account__screen_name"))
    if award_round.candidates_n:
        scores = scores.filter(rank_in_category__lte=award_round.candidates_n)
    return [Candidate(round=award_round, account=score.account, city=None, name=score.account.screen_name,
                      province_id=score.city.province_id, rank=score.rank_in_category, composite=score.composite)
            for score in scores]


def _candidates_from_run(award_round: AwardRound, names: list[str] | None = None) -> list[Candidate]:
    """Every city (or account of the category) ranked at or above N in the run: a tie at N lets all in.
    With `names` (a round whose candidates_n is 0), exactly the named ones, each of which the run must
    rank; problems name every entry that is not, or that is ambiguous or repeated."""
    ranked = _scores_of_run(award_round)
    if names is None:
        return ranked
    by_name: dict[str, list[Candidate]] = {}
    for candidate in ranked:
        by_name.setdefault(candidate.name, []).append(candidate)
    chosen, problems, seen = [], [], set()
    for entry in names:
        name, province = _name_and_province(entry)
        province = province_or_none(province) or province  # any spelling of a province: its canonical name
        matches = [found for found in by_name.get(name, []) if not province or found.province_id == province]
        if len(matches) != 1:
            problems.append(_("“%(value)s” is not ranked by score run #%(run)s.") % {
                "value": shown(entry), "run": award_round.run_id} if not matches else
                _("“%(value)s” names candidates in several provinces (%(provinces)s): write it as %(example)s.") % {
                "value": shown(entry), "provinces": "、".join(sorted(found.province_id for found in matches)),
                "example": f"{name}（{matches[0].province_id}）"})
        elif id(matches[0]) in seen:
            problems.append(_("“%(value)s” is listed twice.") % {"value": shown(entry)})
        else:
            seen.add(id(matches[0]))
            chosen.append(matches[0])
    if problems:
        raise SettingsInvalid([("candidate_names", problem) for problem in problems[:MAX_NAME_PROBLEMS]])
    return sorted(chosen, key=lambda candidate: (candidate.rank, candidate.name))


def _create_problems(*, slug: str, kind: str, category: str, candidates_n: Any, candidate_names: list[str] | None,
                     shortlist_size: Any) -> list[tuple[str, str]]:
    """The problems of the settings only round_create takes: slug, kind, category, candidates."""
    problems = []
    if not slug or slugify(slug) != slug:
        problems.append(("slug", _("The slug “%(slug)s” may hold only lower-case letters, digits and hyphens.")
                         % {"slug": shown(slug)}))
    elif len(slug) > SLUG_LIMIT:
        problems.append(("slug", _("A slug has at most %(limit)s characters.") % {"limit": SLUG_LIMIT}))
    elif slug in RESERVED_SLUGS:
        problems.append(("slug", _("The slug “%(slug)s” is reserved for a page: choose another.") % {"slug": slug}))
    elif AwardRound.objects.filter(slug=slug).exists():
        problems.append(("slug", _("A round with the slug “%(slug)s” exists already.") % {"slug": slug}))
    if kind not in AwardRound.Kind.values:
        problems.append(("kind", _("The kind is “city” or “account”, not “%(value)s”.") % {"value": shown(kind)}))
    elif kind == AwardRound.Kind.ACCOUNT and category not in GovAccount.Category.values:
        problems.append(("category", _("A round of accounts needs one of the categories %(choices)s, not “%(value)s”.")
                         % {"choices": ", ".join(GovAccount.Category.values), "value": shown(category)}))
    if candidate_names is not None:
        if not candidate_names:
            problems.append(("candidate_names", _("Name at least one candidate.")))
        elif len(candidate_names) > MAX_CANDIDATES:
            problems.append(("candidate_names", _("A round has at most %(limit)s candidates.")
                             % {"limit": MAX_CANDIDATES}))
        elif isinstance(shortlist_size, int) and shortlist_size > len(candidate_names):
            problems.append(("shortlist_size", _("The shortlist (%(shortlist)s) cannot be longer than the list "
                                                 "of candidates (%(n)s).")
                             % {"shortlist": shortlist_size, "n": len(candidate_names)}))
    elif not isinstance(candidates_n, int) or isinstance(candidates_n, bool) or not 1 <= candidates_n <= MAX_CANDIDATES:
        problems.append(("candidates_n", _("The number of candidates must be a whole number from 1 to 1000.")))
    elif isinstance(shortlist_size, int) and shortlist_size > candidates_n:
        problems.append(("shortlist_size", _("The shortlist (%(shortlist)s) cannot be longer than the list of "
                                             "candidates (%(n)s).") % {"shortlist": shortlist_size, "n": candidates_n}))
    return problems


def round_create(*, user: Any, slug: str, name: str, run: ScoreRun | int, kind: str = AwardRound.Kind.CITY,
                 category: str = "", candidates_n: int = defaults.CANDIDATES_N,
                 candidate_names: list[str] | None = None, shortlist_size: int = defaults.SHORTLIST_SIZE,
                 weights: Any = defaults.WEIGHTS, aggregation: str = defaults.AGGREGATION, trim: int = defaults.TRIM,
                 quorum: int = defaults.QUORUM,
                 disclose_experts: bool = False, via: str = EntryPath.COMMAND) -> AwardRound:
    """Create a draft round on a published run, its candidates frozen from the run's ranking: every one
    ranked N or better (ties all in), or exactly those in `candidate_names` (then candidates_n is stored
    as 0, "from a list"). The command and the create page call this with the same choices.

    Steps: check the permission and every setting (all problems at once, each with its setting:
    SettingsInvalid); freeze the candidates; save the round and its candidates (with history) in one
    transaction.
    """
    require_manager(user)
    problems = []
    try:
        run = _published_run(run)
    except AwardError as error:
        problems.append(("run", str(error)))
    problems += _validate_settings({"name": name, "aggregation": aggregation, "shortlist_size": shortlist_size,
                                    "quorum": quorum, "trim": trim})
    problems += _create_problems(slug=slug, kind=kind, category=category, candidates_n=candidates_n,
                                 candidate_names=candidate_names, shortlist_size=shortlist_size)
    weights, weight_problems = _weights_problems(weights)
    problems += weight_problems
    award_round = AwardRound(
        slug=slug, name=str(name).strip(), run=run if isinstance(run, ScoreRun) else None, kind=kind,
        category=category if kind == "account" else "", shortlist_size=shortlist_size,
        candidates_n=0 if candidate_names is not None else candidates_n, aggregation=aggregation, trim=trim,
        quorum=quorum, disclose_experts=bool(disclose_experts), created_by=history_user(user))
    candidates = _candidates_checked(award_round, candidate_names, problems)
    _raise(problems)
    award_round.weight_ranking, award_round.weight_experts, award_round.weight_netizens = weights
    with transaction.atomic():
        audited(award_round, user=history_user(user), via=via).save()
        bulk_create_with_history(candidates, Candidate, default_user=history_user(user), default_change_reason=via)
    return award_round


def _candidates_checked(award_round: AwardRound, names: list[str] | None,
                        problems: list[tuple[str, str]]) -> list[Candidate]:
    """The round's candidates, once the run, kind and their number are known to be right; their own
    problems (a name not ranked, an empty round) are added to `problems`."""
    if award_round.run_id is None or any(field in ("kind", "category", "candidates_n", "candidate_names")
                                      for field, _message in problems):
        return []
    try:
        candidates = _candidates_from_run(award_round, names)
    except SettingsInvalid as error:
        problems += [(field, message) for field, messages in error.fields.items() for message in messages]
        return []
    if not candidates:
        problems.append(("candidates_n", _("Score run #%(run)s ranks no candidate of this kind: the round would be "
                                           "empty.") % {"run": award_round.run.pk}))
    return candidates


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
        count = locked.candidates.count()
        if isinstance(merged["shortlist_size"], int) and merged["shortlist_size"] > count:
            problems.append(("shortlist_size", _("The shortlist (%(shortlist)s) cannot be longer than the list of "
                                                 "candidates (%(n)s).") % {"shortlist": merged["shortlist_size"],
                                                                          "n": count}))
        weights, weight_problems = _weights_problems(fields["weights"]) if "weights" in fields else (None, [])
        _raise(problems + weight_problems)
        if weights is not None:
            locked.weight_ranking, locked.weight_experts, locked.weight_netizens = weights
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
