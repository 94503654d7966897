"""The result tables' references without per-row foreign-key constraints (issue #12): the writer checks
every run, account and city once, set-based, and locks them; deleting what results still reference is
refused (PostgreSQL trigger) or cascades through the ORM as before."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import psycopg2
import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import translation

from accounts.models import GovAccount
from core.periods import parse_period
from rankings import selectors, services
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


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_json_columns_keep_every_float_exact_even_when_the_session_asks_for_fewer_digits():
    """The account rows' raw JSON (jsonb_build_object in the database) holds every float exact to the
    last bit, NaN and infinities as strings, even where the session's extra_float_digits is 0."""
    accounts = _accounts(4)
    run = _pending_run(_scheme())
    result = _result(run)
    awkward = [0.1 + 0.2, 1e300, float("nan"), float("inf"), -float("inf"), -0.0, 5e-324, 123456789012345678.0]
    keys = [column.removeprefix("raw__") for column in result.accounts.columns if column.startswith("raw__")]
    rows = result.accounts.index
    for n, key in enumerate(keys):
        result.accounts.loc[rows, f"raw__{key}"] = [awkward[(n + i) % len(awkward)] for i in range(len(rows))]
    with connection.cursor() as cursor:
        cursor.execute("SET extra_float_digits = 0")  # a session asking for fewer digits must not lose any
    try:
        results_write(run=run, scheme=run.definition, result=result, previous_ranks=pd.Series(dtype="float64"))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET extra_float_digits")

    for account in accounts:
        values = result.accounts.loc[account.pk, [f"raw__{key}" for key in keys]].tolist()
        pairs = ", ".join(["%s, %s::float8"] * len(keys))
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL extra_float_digits = 1")
            cursor.execute(f"SELECT raw = jsonb_build_object({pairs}), raw FROM rankings_accountscore "  # noqa: S608
                           "WHERE run_id = %s AND account_id = %s",
                           [item for key, value in zip(keys, values, strict=True) for item in (key, repr(value))]
                           + [run.pk, account.pk])
            same, stored = cursor.fetchone()
        stored = json.loads(stored)  # Django reads jsonb as text
        assert same, (values, stored)
        for key, value in zip(keys, values, strict=True):
            kept = stored[key]
            if isinstance(kept, str):
                assert kept == {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}[repr(value)]
            else:
                assert float(kept) == value  # bit for bit: the shortest exact digits (1e300 comes back an int)
