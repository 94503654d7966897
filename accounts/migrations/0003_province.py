"""One canonical province (issue 18): the Province table, seeded with China's 34 province-level divisions
from core.provinces, and City.province turned into a foreign key to it by its canonical short name.

Steps:
1. create Province and seed the 34 divisions;
2. map every city's province, whatever its spelling (湖南省, Hunan, 广西壮族自治区 …), to the canonical
   short name (湖南, 广西). A province no spelling matches (火星) stops the migration with a list of the
   cities concerned (id, name, province as stored): correct them (admin or shell), then migrate again.
   Nothing is changed when it stops (the migration is one transaction on PostgreSQL; on SQLite the
   mapping step raises before writing anything);
3. merge the cities that mapping makes duplicates (成都/四川 and 成都/四川省, which a snapshot file spelling
   the province both ways used to create). The city kept is the one already spelled canonically (else
   the lowest id); the duplicate's accounts (and experts naming it as their home city) move to it, its
   blank English name, code and level are filled from the duplicate, and the duplicate is deleted.
   A duplicate that anything else refers to (a score run's results or an award candidate: its scores
   are a split city's, and moving them would change a published result silently) is NOT merged: the
   migration stops and names each such pair and what refers to it. Delete or rescore those runs
   (and rounds) first, then migrate again;
4. (migration 0004) alter City.province into ForeignKey(Province, to_field="name", db_column="province"):
   the column keeps its name and holds the canonical text, so bulk SQL reading it as text is unchanged.
   A migration of its own: PostgreSQL refuses to alter a table in the transaction that updated its rows
   (pending trigger events).
"""
from collections import defaultdict

from django.db import migrations, models

from core.provinces import PROVINCES, province_or_none

# The references a merge may move: they describe the city, they are not results computed for it.
MOVABLE = {("accounts", "govaccount", "city"), ("awards", "expert", "city")}


class MigrationRefused(Exception):
    """The data cannot be migrated as it stands; the message says which rows and what to do."""


def seed_provinces(apps, schema_editor):
    Province = apps.get_model("accounts", "Province")
    Province.objects.bulk_create([Province(name=info.name, full_name=info.full_name, name_en=info.name_en,
                                           adcode=info.adcode) for info in PROVINCES])


def map_cities(apps, schema_editor):
    City = apps.get_model("accounts", "City")
    cities = list(City.objects.order_by("id"))
    unknown = [city for city in cities if province_or_none(city.province) is None]
    if unknown:
        raise MigrationRefused(
            f"{len(unknown)} cities have a province that is not one of China's 34 province-level divisions; "
            "correct them and migrate again:\n"
            + "\n".join(f"  city id={city.pk} {city.name!r} province={city.province!r}" for city in unknown[:200]))
    groups = defaultdict(list)
    for city in cities:
        groups[(province_or_none(city.province), city.name)].append(city)
    merges = [_kept_first(province, members) for (province, _name), members in groups.items() if len(members) > 1]
    _refuse_blocked_merges(apps, merges)
    merged = {city.pk for members in merges for city in members[1:]}
    for members in merges:
        _merge(apps, members)
    for city in cities:
        canonical = province_or_none(city.province)
        if city.province != canonical and city.pk not in merged:
            City.objects.filter(pk=city.pk).update(province=canonical)


def _kept_first(province, members):
    """The city to keep first (already canonical, else the lowest id), then its duplicates."""
    return sorted(members, key=lambda city: (city.province != province, city.pk))


def _references(apps):
    """(app_label, model_name, field_name, model) for every foreign key to City in the migration state."""
    City = apps.get_model("accounts", "City")
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.many_to_one and field.concrete and field.related_model is City:
                yield model._meta.app_label, model._meta.model_name, field.name, model


def _refuse_blocked_merges(apps, merges):
    blocked = []
    for members in merges:
        kept, duplicates = members[0], members[1:]
        for city in duplicates:
            for app_label, model_name, field_name, model in _references(apps):
                if (app_label, model_name, field_name) in MOVABLE or model_name.startswith("historical"):
                    continue
                count = model.objects.filter(**{field_name: city.pk}).count()
                if count:
                    blocked.append(f"  city id={city.pk} {city.name!r} province={city.province!r} duplicates "
                                   f"id={kept.pk} {kept.name!r} province={kept.province!r}: "
                                   f"{count} {app_label}.{model_name} rows refer to it")
    if blocked:
        raise MigrationRefused(
            "These cities become duplicates once their province is spelled canonically, and results refer to "
            "the duplicate, so they cannot be merged without changing those results. Delete (or rescore) the "
            "runs and award rounds concerned, then migrate again:\n" + "\n".join(blocked))


def _merge(apps, members):
    kept, duplicates = members[0], members[1:]
    for city in duplicates:
        for app_label, model_name, field_name, model in _references(apps):
            if (app_label, model_name, field_name) in MOVABLE:
                model.objects.filter(**{field_name: city.pk}).update(**{field_name: kept.pk})
        for attribute in ("name_en", "admin_code"):
            if not getattr(kept, attribute) and getattr(city, attribute):
                setattr(kept, attribute, getattr(city, attribute))
        city.delete()
    kept.save()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_importjob"),
        # So that the merge step sees (and refuses to rewrite) the results and candidates naming a city.
        ("rankings", "0004_indicator_values_as_float_lists"),
        ("awards", "0002_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="Province",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=32, unique=True, verbose_name="name")),
                ("full_name", models.CharField(max_length=32, verbose_name="full name")),
                ("name_en", models.CharField(max_length=64, verbose_name="English name")),
                ("adcode", models.CharField(max_length=6, unique=True, verbose_name="administrative code")),
            ],
            options={
                "verbose_name": "province",
                "verbose_name_plural": "provinces",
            },
        ),
        migrations.RunPython(seed_provinces, migrations.RunPython.noop),
        migrations.RunPython(map_cities, migrations.RunPython.noop),
    ]
