"""One canonical province (issue 18): a candidate's province and an expert's home province point at
accounts.Province by its canonical short name, so that the conflict-of-interest rule (回避) compares
湖南 with 湖南, never "湖南省" with "湖南".

Steps:
1. map every candidate's and expert's province, whatever its spelling (湖南省, Hunan …), to the canonical
   short name. A province no spelling matches (火星) stops the migration with the list of those rows
   (round, id, name, province as stored): correct them, then migrate again. Nothing is written before
   that check;
2. list, without changing them, the scores that the canonical comparison now finds to be conflicts
   (an expert of 湖南省 who scored a candidate of 湖南): they stop the migration too, with the round, the
   expert and the candidate, because a published tally would silently change. Delete those scores (the
   round's grid) and migrate again;
3. (migration 0004, apart because PostgreSQL refuses to alter a table in the transaction that updated
   its rows) alter both fields into ForeignKey(Province, to_field="name", db_column="province"). The history tables
   keep what was written at the time (no constraint, as django-simple-history makes them).
"""
from django.db import migrations

from core.provinces import province_or_none


class MigrationRefused(Exception):
    """The data cannot be migrated as it stands; the message says which rows and what to do."""


def map_provinces(apps, schema_editor):
    Candidate = apps.get_model("awards", "Candidate")
    Expert = apps.get_model("awards", "Expert")
    ExpertScore = apps.get_model("awards", "ExpertScore")
    rows = [("candidate", row) for row in Candidate.objects.order_by("round_id", "id")]
    rows += [("expert", row) for row in Expert.objects.order_by("round_id", "id")]
    unknown = [f"  {kind} id={row.pk} round={row.round_id} {row.name!r} province={row.province!r}"
               for kind, row in rows if province_or_none(row.province) is None]
    if unknown:
        raise MigrationRefused(
            f"{len(unknown)} award candidates or experts have a province that is not one of China's 34 "
            "province-level divisions; correct them and migrate again:\n" + "\n".join(unknown[:200]))
    conflicts = [
        f"  round={score.round_id} expert id={score.expert_id} {score.expert.name!r} ({score.expert.province!r}) "
        f"scored candidate id={score.candidate_id} {score.candidate.name!r} ({score.candidate.province!r})"
        for score in ExpertScore.objects.select_related("expert", "candidate").order_by("round_id", "id")
        if province_or_none(score.expert.province) == province_or_none(score.candidate.province)
    ]
    if conflicts:
        raise MigrationRefused(
            f"{len(conflicts)} expert scores are conflicts of interest (回避) once provinces are spelled "
            "canonically; delete them and migrate again:\n" + "\n".join(conflicts[:200]))
    for kind, row in rows:
        canonical = province_or_none(row.province)
        if row.province != canonical:
            model = Candidate if kind == "candidate" else Expert
            model.objects.filter(pk=row.pk).update(province=canonical)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_province"),
        ("awards", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(map_provinces, migrations.RunPython.noop),
    ]
