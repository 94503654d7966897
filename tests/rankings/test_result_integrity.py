"""The result tables' references without per-row foreign-key constraints (issue #12): the writer checks
every run, account and city once, set-based, and locks them; deleting what results still reference is
refused (PostgreSQL trigger) or cascades through the ORM as before."""
from __future__ import annotations

import struct
from pathlib import Path

import pandas as pd
import psycopg2
import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import translation

from accounts.models import GovAccount
from core.periods import parse_period
from rankings import selectors, services
from rankings.fields import ListItem
from rankings.models import AccountScore, CityCategoryScore, CityScore, ScoreRun, ScoringScheme
from rankings.scoring.pipeline import score
from rankings.services.errors import ScoringError
from rankings.services.results import results_write
from tests.factories import CityFactory, GovAccountFactory, SnapshotFactory

MARCH = parse_period("2012-03")
BUILTIN = Path(__file__).resolve().parents[2] / "rankings" / "builtin_schemes"


def _accounts(count: int = 4) -> list[GovAccount]:
    accounts = []
    for n in range(count):
        account = GovAccountFactory(city=CityFactory(name=f"城{n}", province="湖南"), category="press",
                                    screen_name=f"发布{n}")
        SnapshotFactory(account=account, posts=30 + n)
        accounts.append(account)
    return accounts


def _scheme() -> ScoringScheme:
    scheme = ScoringScheme.objects.filter(slug="bci-v1").first()
    if scheme is None:  # transactional tests flush the migration-loaded schemes
        scheme, _message = services.scheme_load_file(path=BUILTIN / "bci-v1.yaml")
    return scheme


def _pending_run(scheme: ScoringScheme) -> ScoreRun:
    return ScoreRun.objects.create(scheme=scheme, scheme_version=scheme.version, document=scheme.document,
                                   period_start=MARCH.start, period_end=MARCH.end, status=ScoreRun.Status.RUNNING)


def _result(run: ScoreRun):
    totals = selectors.period_totals_read(period=MARCH).totals
    return score(totals, run.definition, period_end=pd.Timestamp(MARCH.end))


@pytest.mark.django_db
def test_a_run_whose_account_was_deleted_while_it_ran_fails_naming_it_and_writes_nothing():
    accounts = _accounts()
    run = _pending_run(_scheme())
    result = _result(run)
    gone = accounts[2].pk
    accounts[2].delete()

    with translation.override("en"), pytest.raises(ScoringError, match=rf"accounts .*ids {gone}\)"):
        results_write(run=run, scheme=run.definition, result=result, previous_ranks=pd.Series(dtype="int64"))

    assert not AccountScore.objects.filter(run=run).exists() and not CityScore.objects.filter(run=run).exists()


@pytest.mark.django_db
def test_a_run_whose_city_was_deleted_while_it_ran_fails_naming_it():
    accounts = _accounts()
    run = _pending_run(_scheme())
    result = _result(run)
    city = accounts[0].city
    GovAccount.objects.filter(city=city).update(city=accounts[1].city)  # the account moves; its old city goes
    city_id = city.pk
    city.delete()

    with translation.override("en"), pytest.raises(ScoringError, match=rf"cities .*ids {city_id}\)"):
        results_write(run=run, scheme=run.definition, result=result, previous_ranks=pd.Series(dtype="int64"))


@pytest.mark.django_db
def test_deleting_an_account_through_the_orm_still_deletes_its_scores():
    accounts = _accounts()
    run = _pending_run(_scheme())
    results_write(run=run, scheme=run.definition, result=_result(run), previous_ranks=pd.Series(dtype="int64"))
    assert AccountScore.objects.filter(run=run).count() == 4

    accounts[0].delete()

    assert AccountScore.objects.filter(run=run).count() == 3
    run.delete()
    assert not CityScore.objects.exists() and not CityCategoryScore.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("table", ["accounts_govaccount", "accounts_city", "rankings_scorerun"])
def test_a_raw_delete_that_would_orphan_result_rows_is_refused(table):
    accounts = _accounts()
    run = _pending_run(_scheme())
    results_write(run=run, scheme=run.definition, result=_result(run), previous_ranks=pd.Series(dtype="int64"))
    target = {"accounts_govaccount": accounts[0].pk, "accounts_city": accounts[0].city_id,
              "rankings_scorerun": run.pk}[table]

    with pytest.raises(IntegrityError, match="would leave rows of"), transaction.atomic(), \
            connection.cursor() as cursor:
        if table == "accounts_govaccount":
            cursor.execute("DELETE FROM accounts_snapshot WHERE account_id = %s", [target])
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [target])


@pytest.mark.postgres
@pytest.mark.django_db
def test_truncating_accounts_alone_is_refused_but_with_the_results_it_is_allowed():
    _accounts()
    run = _pending_run(_scheme())
    results_write(run=run, scheme=run.definition, result=_result(run), previous_ranks=pd.Series(dtype="int64"))
    with connection.cursor() as cursor:  # the test's own transaction: run the pending deferred checks now
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    with pytest.raises(IntegrityError, match="truncate both"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE accounts_govaccount CASCADE")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE accounts_govaccount, rankings_accountscore CASCADE")
    assert not AccountScore.objects.exists()


def _other_session():
    settings = connection.settings_dict
    return psycopg2.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
                            port=settings["PORT"], password=settings["PASSWORD"] or None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_while_results_are_being_written_a_delete_of_their_accounts_waits_for_them_and_is_then_refused():
    """The writer holds the references lock shared until it commits: another session's DELETE waits in
    its trigger (here: gives up after its lock timeout); once the rows are committed it is refused."""
    accounts = _accounts()
    run = _pending_run(_scheme())
    result = _result(run)
    other = _other_session()
    try:
        with transaction.atomic():
            results_write(run=run, scheme=run.definition, result=result, previous_ranks=pd.Series(dtype="int64"))
            with pytest.raises(psycopg2.errors.LockNotAvailable), other.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
                cursor.execute("DELETE FROM accounts_govaccount WHERE id = %s", [accounts[3].pk])
            other.rollback()
        with pytest.raises(psycopg2.errors.ForeignKeyViolation, match="would leave rows of"), \
                other.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_snapshot WHERE account_id = %s", [accounts[3].pk])
            cursor.execute("DELETE FROM accounts_govaccount WHERE id = %s", [accounts[3].pk])
        other.rollback()
    finally:
        other.close()
    assert AccountScore.objects.filter(run=run).count() == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_writer_waits_for_a_deleting_session_and_then_fails_naming_the_deleted_account():
    accounts = _accounts()
    run = _pending_run(_scheme())
    result = _result(run)
    gone = accounts[1].pk
    other = _other_session()
    try:
        with other.cursor() as cursor:  # deleted, not yet committed: the trigger holds the lock
            cursor.execute("DELETE FROM accounts_snapshot WHERE account_id = %s", [gone])
            cursor.execute("DELETE FROM accounts_govaccount WHERE id = %s", [gone])
        with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
            results_write(run=run, scheme=run.definition, result=result, previous_ranks=pd.Series(dtype="int64"))
        other.commit()
    finally:
        other.close()

    with translation.override("en"), pytest.raises(ScoringError, match=rf"accounts .*ids {gone}\)"):
        results_write(run=run, scheme=run.definition, result=result, previous_ranks=pd.Series(dtype="int64"))
    assert not AccountScore.objects.filter(run=run).exists()


AWKWARD = [0.1 + 0.2, 1e300, float("nan"), float("inf"), -float("inf"), -0.0, 5e-324, 123456789012345678.0]


def _bits(value: float) -> bytes:
    return struct.pack(">d", value)


def _awkward_result(run: ScoreRun):
    """The run's real result with every raw indicator value replaced by awkward floats, one per row."""
    result = _result(run)
    keys = list(run.definition.indicator_keys)
    rows = result.accounts.index
    for n, key in enumerate(keys):
        result.accounts.loc[rows, f"raw__{key}"] = [AWKWARD[(n + i) % len(AWKWARD)] for i in range(len(rows))]
    return result, keys


@pytest.mark.django_db
def test_the_indicator_lists_keep_every_float_bit_for_bit_in_the_runs_order_on_either_database():
    """NaN, ±infinity, −0.0, the smallest subnormal and 0.1 + 0.2 come back exactly as the run computed
    them, through the ORM and as the one-column-per-indicator reads (ListItem) of exports and what-if."""
    accounts = _accounts(4)
    run = _pending_run(_scheme())
    result, keys = _awkward_result(run)
    results_write(run=run, scheme=run.definition, result=result, previous_ranks=pd.Series(dtype="float64"))

    items = {f"raw_{n}": ListItem("raw_values", n) for n in range(len(keys))}
    for account in accounts:
        expected = result.accounts.loc[account.pk, [f"raw__{key}" for key in keys]].tolist()
        stored = AccountScore.objects.get(run=run, account=account)
        assert [_bits(value) for value in stored.raw_values] == [_bits(value) for value in expected]
        expected_normalized = result.accounts.loc[account.pk, [f"norm__{key}" for key in keys]].tolist()
        assert [_bits(value) for value in stored.normalized_values] == [_bits(value) for value in expected_normalized]
        columns = AccountScore.objects.filter(pk=stored.pk).annotate(**items).values_list(*items).get()
        # SQLite's JSON keeps NaN as null: a query reads NULL there, NaN on PostgreSQL; frames read NaN both.
        assert [_bits(float("nan") if value is None else value) for value in columns] == [
            _bits(value) for value in expected]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_stored_lists_are_exact_in_the_database_itself_whatever_digits_a_session_prints():
    """Compared inside PostgreSQL, by the values' binary form (float8send), with the writing session
    printing only 15 digits: the writer never goes through text."""
    accounts = _accounts(4)
    run = _pending_run(_scheme())
    result, keys = _awkward_result(run)
    with connection.cursor() as cursor:
        cursor.execute("SET extra_float_digits = 0")
    try:
        results_write(run=run, scheme=run.definition, result=result, previous_ranks=pd.Series(dtype="float64"))
        for account in accounts:
            expected = result.accounts.loc[account.pk, [f"raw__{key}" for key in keys]].tolist()
            with connection.cursor() as cursor:
                cursor.execute("SELECT ARRAY(SELECT float8send(v) FROM unnest(raw_values) v) FROM rankings_accountscore "
                               "WHERE run_id = %s AND account_id = %s", [run.pk, account.pk])
                stored = [bytes(value) for value in cursor.fetchone()[0]]
            assert stored == [_bits(value) for value in expected]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET extra_float_digits")
