"""The result tables' foreign keys lose their database constraints (issue #12): a run's rows are checked
once, set-based, by rankings.services.results.results_write instead of three deferred checks per row at
commit. On PostgreSQL, statement triggers take over the constraints' other half: a DELETE (or TRUNCATE)
of accounts, cities or runs that would leave result rows pointing at nothing is refused, with the
foreign-key violation error code the constraint raised. Each trigger first takes the advisory lock
rankings.services.results.REFERENCES_LOCK exclusively (the writer holds it shared while it checks and
inserts), so a writer and a deleter never miss each other's rows. The argument: docs/architecture.md
("Result rows are checked once, not per row").
The run keys lose their own index too: each table's unique constraint leads with the run."""

import django.db.models.deletion
from django.db import migrations, models

# (referenced table, [(result table, column), …])
REFERENCES = {
    "accounts_govaccount": [("rankings_accountscore", "account_id")],
    "accounts_city": [("rankings_accountscore", "city_id"), ("rankings_citycategoryscore", "city_id"),
                      ("rankings_cityscore", "city_id")],
    "rankings_scorerun": [("rankings_accountscore", "run_id"), ("rankings_citycategoryscore", "run_id"),
                          ("rankings_cityscore", "run_id")],
}

# Arguments: result table, column, result table, column, … An AFTER DELETE statement trigger sees the
# deleted rows as the transition table `gone`. It takes the references lock (4204003, 0) exclusively
# first; in READ COMMITTED each query after that takes a fresh snapshot, so it sees the rows of any
# writer that held the lock before it.
FUNCTIONS = """
CREATE FUNCTION rankings_refuse_orphaning_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    position int := 0;
    referenced boolean;
BEGIN
    PERFORM pg_advisory_xact_lock(4204003, 0);
    WHILE position < TG_NARGS LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I r JOIN gone g ON r.%I = g.id)',
                       TG_ARGV[position], TG_ARGV[position + 1]) INTO referenced;
        IF referenced THEN
            RAISE EXCEPTION 'delete from "%" would leave rows of "%" referencing it (%)',
                TG_TABLE_NAME, TG_ARGV[position], TG_ARGV[position + 1] USING ERRCODE = 'foreign_key_violation';
        END IF;
        position := position + 2;
    END LOOP;
    RETURN NULL;
END $$;
CREATE FUNCTION rankings_refuse_orphaning_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    position int := 0;
    referenced boolean;
BEGIN
    PERFORM pg_advisory_xact_lock(4204003, 0);
    WHILE position < TG_NARGS LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', TG_ARGV[position]) INTO referenced;
        IF referenced THEN
            RAISE EXCEPTION 'truncate of "%" would leave rows of "%" referencing it; truncate both',
                TG_TABLE_NAME, TG_ARGV[position] USING ERRCODE = 'foreign_key_violation';
        END IF;
        position := position + 2;
    END LOOP;
    RETURN NULL;
END $$;
"""


def _arguments(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"'{table}', '{column}'" for table, column in pairs)


def create_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: one writer at a time; the writer's own check suffices (docs/architecture.md)
    schema_editor.execute(FUNCTIONS, params=None)
    for table, pairs in REFERENCES.items():
        schema_editor.execute(
            f"CREATE TRIGGER {table}_keep_results AFTER DELETE ON {table} REFERENCING OLD TABLE AS gone "
            f"FOR EACH STATEMENT EXECUTE FUNCTION rankings_refuse_orphaning_delete({_arguments(pairs)})")
        # AFTER TRUNCATE: a TRUNCATE of the referenced and the result tables together has emptied both.
        schema_editor.execute(
            f"CREATE TRIGGER {table}_keep_results_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION rankings_refuse_orphaning_truncate({_arguments(pairs)})")


def drop_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in REFERENCES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_keep_results ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_keep_results_truncate ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS rankings_refuse_orphaning_delete()")
    schema_editor.execute("DROP FUNCTION IF EXISTS rankings_refuse_orphaning_truncate()")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_importjob'),
        ('rankings', '0002_builtin_schemes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accountscore',
            name='account',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='accounts.govaccount', verbose_name='account'),
        ),
        migrations.AlterField(
            model_name='accountscore',
            name='city',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.city', verbose_name='city'),
        ),
        migrations.AlterField(
            model_name='accountscore',
            name='run',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='account_scores', to='rankings.scorerun'),
        ),
        migrations.AlterField(
            model_name='citycategoryscore',
            name='city',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.city', verbose_name='city'),
        ),
        migrations.AlterField(
            model_name='citycategoryscore',
            name='run',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='city_category_scores', to='rankings.scorerun'),
        ),
        migrations.AlterField(
            model_name='cityscore',
            name='city',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='accounts.city', verbose_name='city'),
        ),
        migrations.AlterField(
            model_name='cityscore',
            name='run',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='city_scores', to='rankings.scorerun'),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
