"""An account score's indicators become two lists of floats, in the order of the run's document's
indicators (rankings.fields: float8[] on PostgreSQL, JSON text on SQLite), instead of two JSON objects
keyed by indicator. Building the jsonb objects was 0.25–0.4 s of a national run's write (issue #12,
docs/benchmarks.md, national score run). Existing rows are converted run by run, with the keys of the run's document;
a key a row lacks becomes NaN. Reversible: the lists go back to objects under the same keys."""

import math

from django.db import migrations

import rankings.fields

TABLE = "rankings_accountscore"


def _run_keys(apps) -> list[tuple[int, list[str]]]:
    ScoreRun = apps.get_model("rankings", "ScoreRun")
    return [(run_id, [str(item["key"]) for item in (document or {}).get("indicators", [])])
            for run_id, document in ScoreRun.objects.values_list("id", "document").iterator()]


def _list_sql(column: str, keys: list[str]) -> str:
    """PostgreSQL: the jsonb object's values under `keys`, in order, as float8[] (a missing key: NaN)."""
    items = ", ".join(f"COALESCE(({column} ->> %s)::float8, 'NaN')" for _key in keys)
    return f"ARRAY[{items}]::float8[]" if keys else "'{}'::float8[]"


def _object_sql(column: str, keys: list[str]) -> str:
    """PostgreSQL: the float8[] list as a jsonb object under `keys`."""
    return f"jsonb_build_object({', '.join(f'%s, {column}[{n + 1}]' for n in range(len(keys)))})"


def _to_lists(row, keys: list[str]) -> None:
    row.raw_values = [_float((row.raw or {}).get(key)) for key in keys]
    row.normalized_values = [_float((row.normalized or {}).get(key)) for key in keys]


def _to_objects(row, keys: list[str]) -> None:
    row.raw = _object(keys, row.raw_values)
    row.normalized = _object(keys, row.normalized_values)


def _convert(apps, schema_editor, *, sources: tuple[str, str], targets: tuple[str, str], sql, python) -> None:
    """Each run's rows, with its document's keys: one UPDATE per run on PostgreSQL, `python` per row elsewhere."""
    connection = schema_editor.connection
    AccountScore = apps.get_model("rankings", "AccountScore")
    for run_id, keys in _run_keys(apps):
        if connection.vendor == "postgresql":
            assignments = ", ".join(f"{target} = {sql(source, keys)}" for source, target in zip(sources, targets,
                                                                                               strict=True))
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {TABLE} SET {assignments} WHERE run_id = %s",  # noqa: S608 (keys: parameters)
                               [*keys, *keys, run_id])
            continue
        rows = list(AccountScore.objects.filter(run_id=run_id).only("id", *sources))
        for row in rows:
            python(row, keys)
        AccountScore.objects.bulk_update(rows, list(targets), batch_size=2000)


def forwards(apps, schema_editor):
    _convert(apps, schema_editor, sources=("raw", "normalized"), targets=("raw_values", "normalized_values"),
             sql=_list_sql, python=_to_lists)


def backwards(apps, schema_editor):
    _convert(apps, schema_editor, sources=("raw_values", "normalized_values"), targets=("raw", "normalized"),
             sql=_object_sql, python=_to_objects)


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
