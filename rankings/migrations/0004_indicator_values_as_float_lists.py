"""An account score's indicators become two lists of floats, in the order of the run's document's
indicators (rankings.fields: float8[] on PostgreSQL, JSON text on SQLite), instead of two JSON objects
keyed by indicator. Writing the jsonb objects was more than half a second of a national run (issue #12,
docs/benchmarks.md §6). Existing rows are converted run by run, with the keys of the run's document;
a key a row lacks becomes NaN. Reversible: the lists go back to objects under the same keys."""

import math

from django.db import migrations

import rankings.fields

TABLE = "rankings_accountscore"


def _run_keys(apps) -> list[tuple[int, list[str]]]:
    ScoreRun = apps.get_model("rankings", "ScoreRun")
    return [(run_id, [str(item["key"]) for item in (document or {}).get("indicators", [])])
            for run_id, document in ScoreRun.objects.values_list("id", "document").iterator()]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for run_id, keys in _run_keys(apps):
                def array(column: str, keys: list[str] = keys) -> str:
                    items = ", ".join(f"({column} ->> %s)::float8" for _key in keys)
                    return f"ARRAY[{items}]::float8[]" if keys else "'{}'::float8[]"
                cursor.execute(f"UPDATE {TABLE} SET raw_values = {array('raw')}, "  # noqa: S608 (keys are parameters)
                               f"normalized_values = {array('normalized')} WHERE run_id = %s", [*keys, *keys, run_id])
        return
    AccountScore = apps.get_model("rankings", "AccountScore")
    for run_id, keys in _run_keys(apps):
        rows = list(AccountScore.objects.filter(run_id=run_id).only("id", "raw", "normalized"))
        for row in rows:
            row.raw_values = [_float((row.raw or {}).get(key)) for key in keys]
            row.normalized_values = [_float((row.normalized or {}).get(key)) for key in keys]
        AccountScore.objects.bulk_update(rows, ["raw_values", "normalized_values"], batch_size=2000)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for run_id, keys in _run_keys(apps):
                def json(column: str, keys: list[str] = keys) -> str:
                    pairs = ", ".join(f"%s, {column}[{n + 1}]" for n in range(len(keys)))
                    return f"jsonb_build_object({pairs})"
                cursor.execute(f"UPDATE {TABLE} SET raw = {json('raw_values')}, "  # noqa: S608 (keys are parameters)
                               f"normalized = {json('normalized_values')} WHERE run_id = %s", [*keys, *keys, run_id])
        return
    AccountScore = apps.get_model("rankings", "AccountScore")
    for run_id, keys in _run_keys(apps):
        rows = list(AccountScore.objects.filter(run_id=run_id).only("id", "raw_values", "normalized_values"))
        for row in rows:
            row.raw = _object(keys, row.raw_values)
            row.normalized = _object(keys, row.normalized_values)
        AccountScore.objects.bulk_update(rows, ["raw", "normalized"], batch_size=2000)


def _object(keys: list[str], values) -> dict:
    """SQLite's JSON check refuses NaN and infinities: they go back as null."""
    return {key: value if math.isfinite(value) else None for key, value in zip(keys, values or [], strict=False)}


def _float(value) -> float:
    try:
        return float(value)  # jsonb keeps NaN and infinities as the strings "NaN", "Infinity"
    except (TypeError, ValueError):
        return float("nan")


class Migration(migrations.Migration):

    dependencies = [
        ("rankings", "0003_result_keys_checked_by_the_writer"),
    ]

    operations = [
        migrations.AddField(
            model_name="accountscore",
            name="raw_values",
            field=rankings.fields.FloatListField(default=list, verbose_name="indicators (expression values)"),
        ),
        migrations.AddField(
            model_name="accountscore",
            name="normalized_values",
            field=rankings.fields.FloatListField(default=list, verbose_name="indicators (normalised)"),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.RemoveField(model_name="accountscore", name="raw"),
        migrations.RemoveField(model_name="accountscore", name="normalized"),
    ]
