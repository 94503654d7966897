"""The ids the URL patterns are filled with, read once from the database (models only: they outlive any
refactor of the layers above, so the before and the after run list the same URLs)."""
from __future__ import annotations

from dataclasses import dataclass

from accounts.models import City, GovAccount, ImportJob, Snapshot
from awards.models import AwardRound, Candidate, Expert
from rankings.models import ScoreRun, ScoringScheme

# Ids that no demo row has: the pages' and the API's "not found" answers are compared too.
MISSING_ID = 999999


@dataclass(frozen=True)
class DemoData:
    """Every id a public URL is filled with, each list in id order."""

    cities: list[int]
    accounts: list[int]  # every account, or an even spread of them (spread())
    snapshots: list[int]
    runs: list[int]  # every run: a draft is a 404 to an anonymous visitor, which is compared too
    published_runs: list[int]
    periods: list[str]  # the published runs' period labels (2012-11, 2012 …), once each
    default_scheme: str
    schemes: list[tuple[str, list[int]]]  # slug and the versions a method page exists for
    categories: list[str]  # the categories accounts have, in the model's order
    provinces: list[str]
    rounds: list[str]
    experts: list[tuple[str, int]]  # round slug, expert id
    candidates: list[tuple[str, int]]  # round slug, candidate id
    imports: list[int]


def spread(ids: list[int], limit: int) -> list[int]:
    """`limit` ids spread evenly over `ids` (first and last included), or all of them when limit is 0 or
    not smaller: the same choice on the same database every time."""
    if not limit or len(ids) <= limit:
        return list(ids)
    if limit == 1:
        return [ids[0]]
    return [ids[round(number * (len(ids) - 1) / (limit - 1))] for number in range(limit)]


def demo_data_get(*, account_limit: int = 0) -> DemoData:
    """The ids of the database's rows that public URLs name."""
    published = list(ScoreRun.objects.filter(is_published=True).order_by("id"))
    schemes = list(ScoringScheme.objects.order_by("slug"))
    versions = {scheme.pk: {scheme.version} for scheme in schemes}
    for scheme_id, version in ScoreRun.objects.values_list("scheme_id", "scheme_version"):
        versions[scheme_id].add(version)
    default = next((scheme.slug for scheme in schemes if scheme.is_default), schemes[0].slug if schemes else "")
    present = set(GovAccount.objects.values_list("category", flat=True).distinct())
    return DemoData(
        cities=_ids(City), accounts=spread(_ids(GovAccount), account_limit),
        snapshots=spread(_ids(Snapshot), 5), runs=_ids(ScoreRun), published_runs=[run.pk for run in published],
        periods=list(dict.fromkeys(run.period_label for run in published)), default_scheme=default,
        schemes=[(scheme.slug, sorted(versions[scheme.pk])) for scheme in schemes],
        categories=[value for value in GovAccount.Category.values if value in present],
        provinces=sorted(set(City.objects.values_list("province_id", flat=True))),
        rounds=list(AwardRound.objects.order_by("id").values_list("slug", flat=True)),
        experts=list(Expert.objects.order_by("id").values_list("round__slug", "id")),
        candidates=list(Candidate.objects.order_by("id").values_list("round__slug", "id")[:3]),
        imports=_ids(ImportJob)[:3],
    )


def _ids(model: type) -> list[int]:
    return list(model.objects.order_by("id").values_list("id", flat=True))
