"""How account scores keep their indicator values (rankings.fields): lists of floats in the order of the
run's document, float8[] on PostgreSQL and JSON text on SQLite, and the migration from JSON objects."""
from __future__ import annotations

import math
import struct
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rankings.fields import FloatListField, ListItem, floats_json, keyed

BEFORE = [("rankings", "0003_result_keys_checked_by_the_writer")]
AFTER = [("rankings", "0004_indicator_values_as_float_lists")]


def _bits(values: list[float]) -> list[bytes]:
    return [struct.pack(">d", value) for value in values]


def test_the_sqlite_text_is_json_with_nan_as_null_and_infinities_as_numbers_json_accepts():
    values = [0.1 + 0.2, float("nan"), float("inf"), -float("inf"), -0.0, 5e-324, 1e300]
    text = floats_json(values)
    assert text == "[0.30000000000000004,null,1e999,-1e999,-0.0,5e-324,1e+300]"
    assert _bits(FloatListField().to_python(text)) == _bits(values)  # NaN comes back NaN, bit for bit


def test_keyed_pairs_values_with_keys_in_order_and_a_short_list_gives_the_keys_it_has():
    assert keyed(("fans", "activity"), [1.5, 2.0]) == {"fans": 1.5, "activity": 2.0}
    assert keyed(("fans", "activity"), [1.5]) == {"fans": 1.5}
    assert keyed(("fans",), None) == {}


def test_a_list_item_position_is_a_natural_number():
    with pytest.raises(ValueError, match="position"):
        ListItem("raw_values", -1)
    with pytest.raises(ValueError, match="position"):
        ListItem("raw_values", "1); DROP TABLE x; --")


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_the_migration_turns_each_runs_json_objects_into_lists_in_its_documents_order_and_back():
    """Keys in the document's order (not the rows' or jsonb's), a missing key as NaN, NaN kept; and
    migrating back restores the objects."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        run_id, account_ids = _old_rows(apps)
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        AccountScore = apps.get_model("rankings", "AccountScore")
        first, second = (AccountScore.objects.get(run_id=run_id, account_id=pk) for pk in account_ids)
        # The document's order: spread, fans, activity.
        assert _bits(first.raw_values) == _bits([150.0, 1000.0, 30.5])
        assert _bits(first.normalized_values) == _bits([0.1 + 0.2, 1.0, float("nan")])
        assert second.raw_values[:2] == [2.0, 1e300] and math.isnan(second.raw_values[2])  # no "activity"

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        AccountScore = apps.get_model("rankings", "AccountScore")
        first = AccountScore.objects.get(run_id=run_id, account_id=account_ids[0])
        assert first.raw == {"spread": 150.0, "fans": 1000.0, "activity": 30.5}
        assert first.normalized["spread"] == 0.1 + 0.2 and first.normalized["fans"] == 1.0
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _old_rows(apps) -> tuple[int, list[int]]:
    City = apps.get_model("accounts", "City")
    GovAccount = apps.get_model("accounts", "GovAccount")
    ScoringScheme = apps.get_model("rankings", "ScoringScheme")
    ScoreRun = apps.get_model("rankings", "ScoreRun")
    AccountScore = apps.get_model("rankings", "AccountScore")
    document = {"slug": "order", "indicators": [{"key": "spread"}, {"key": "fans"}, {"key": "activity"}]}
    scheme = ScoringScheme.objects.create(slug="order-test", name="order", document=document)
    run = ScoreRun.objects.create(scheme=scheme, scheme_version=1, document=document,
                                  period_start=date(2012, 3, 1), period_end=date(2012, 3, 31), status="succeeded")
    city = City.objects.create(name="长沙", province="湖南")
    accounts = [GovAccount.objects.create(screen_name=f"账号{n}", city=city, category="police") for n in range(2)]
    # How each database's JSON held NaN: jsonb as the string "NaN"; SQLite's JSON check refused NaN, null.
    nan = "NaN" if connection.vendor == "postgresql" else None
    AccountScore.objects.create(run=run, account=accounts[0], city=city, category="police", composite=1.0,
                                rank_in_category=1, raw={"fans": 1000.0, "activity": 30.5, "spread": 150.0},
                                normalized={"activity": nan, "fans": 1.0, "spread": 0.1 + 0.2})
    AccountScore.objects.create(run=run, account=accounts[1], city=city, category="police", composite=0.5,
                                rank_in_category=2, raw={"fans": 1e300, "spread": 2.0}, normalized={})
    return run.pk, [account.pk for account in accounts]
