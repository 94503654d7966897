"""setup_demo: the demo administrator and the scheme default on a database in a given state;
generate_demo_data's import path. (setup_demo on an empty database: tests/demo/test_demo_built.py.)"""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import City, GovAccount, Snapshot, SnapshotImport
from demo.management.commands.setup_demo import DEFAULT_DEMO_PASSWORD, DEMO_FILE
from tests.demo.commands import setup_demo as _setup_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _mark_demo_imported() -> None:
    """Record the demo file as imported, so a test of the admin step skips the import step."""
    SnapshotImport.objects.create(source=SnapshotImport.Source.DEMO, file_name=DEMO_FILE.name, row_count=1)


def test_with_debug_on_setup_demo_creates_the_demo_admin(settings) -> None:
    settings.DEBUG = True
    _mark_demo_imported()
    output = _setup_demo()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(DEFAULT_DEMO_PASSWORD) and DEFAULT_DEMO_PASSWORD == "govweibo-demo"
    assert "user name “admin” and password govweibo-demo" in output
    assert "http://127.0.0.1:8000/admin/" in output


def test_setup_demo_prints_the_address_make_run_serves(settings, monkeypatch) -> None:
    settings.DEBUG = True
    _mark_demo_imported()
    # make run passes its HOST (Makefile: setup_demo --address $(HOST)); GOVWEIBO_ADDRESS is the default.
    assert "http://0.0.0.0:8106/admin/" in _setup_demo("--address", "0.0.0.0:8106")
    get_user_model().objects.all().delete()
    monkeypatch.setenv("GOVWEIBO_ADDRESS", "127.0.0.1:9000")
    assert "http://127.0.0.1:9000/admin/" in _setup_demo()
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text(encoding="utf-8")
    assert "setup_demo --address $(HOST)" in makefile and "runserver $(HOST)" in makefile


def test_setup_demo_speaks_chinese_by_default(settings, monkeypatch) -> None:
    settings.DEBUG = True
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    _mark_demo_imported()
    output = _setup_demo()
    assert "已创建演示管理员。请访问 http://127.0.0.1:8000/admin/，用户名“admin”，密码 govweibo-demo 登录" in output
    assert "演示数据已于" in output


def test_the_demo_admin_password_comes_from_the_environment_when_set(settings, monkeypatch) -> None:
    settings.DEBUG = True
    monkeypatch.setenv("GOVWEIBO_DEMO_PASSWORD", "s3cret-for-the-demo")
    _mark_demo_imported()
    output = _setup_demo()
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("s3cret-for-the-demo")
    assert "s3cret-for-the-demo" not in output and "GOVWEIBO_DEMO_PASSWORD" in output


def test_a_second_run_leaves_the_demo_admin_alone(settings) -> None:
    settings.DEBUG = True
    _mark_demo_imported()
    _setup_demo()
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed-by-the-user")
    admin.save()
    output = _setup_demo()
    assert get_user_model().objects.count() == 1
    assert get_user_model().objects.get(username="admin").check_password("changed-by-the-user")
    assert "Created the demo administrator" not in output


def test_an_existing_superuser_means_no_demo_admin(settings) -> None:
    settings.DEBUG = True
    get_user_model().objects.create_superuser("chief", email="", password="x-long-password")
    _mark_demo_imported()
    _setup_demo()
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["chief"]


def test_with_debug_off_no_default_password_account_is_created(settings) -> None:
    settings.DEBUG = False
    _mark_demo_imported()
    output = _setup_demo()
    assert not get_user_model().objects.exists()
    assert "python manage.py createsuperuser" in output


def test_generate_demo_data_without_output_imports_through_the_import_service() -> None:
    out = io.StringIO()
    call_command("generate_demo_data", "--cities", "5", "--months", "2", "--accounts", "40", "--seed", "3",
                 stdout=out, stderr=io.StringIO())
    assert City.objects.count() == 5
    assert GovAccount.objects.count() == 40
    record = SnapshotImport.objects.get()
    assert record.source == SnapshotImport.Source.DEMO
    assert record.file_name == "demo_5c_2m_2012-01_seed3.csv"
    assert Snapshot.objects.count() == record.row_count
    periods = set(Snapshot.objects.values_list("period_start", flat=True))
    assert periods == {date(2012, 1, 1), date(2012, 2, 1)}
    assert "Imported" in out.getvalue()


def test_the_chinese_and_english_csv_import_to_the_same_data(tmp_path: Path) -> None:
    for headers in ("zh", "en"):
        target = tmp_path / f"{headers}.csv"
        call_command("generate_demo_data", "--cities", "3", "--months", "2", "--accounts", "30", "--output",
                     str(target), "--headers", headers, stdout=io.StringIO())
        call_command("import_snapshots", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    assert SnapshotImport.objects.count() == 2
    second = SnapshotImport.objects.order_by("-id").first()
    assert (second.snapshots_created, second.snapshots_replaced) == (0, second.row_count)
    assert (City.objects.count(), GovAccount.objects.count()) == (3, 30)


@pytest.mark.django_db
def test_setup_demo_flags_its_scheme_default_when_the_built_in_rows_are_gone():
    """After a flush the built-in schemes are gone; loaded again from their files they are plain schemes, and
    without a default setup_demo had no ranking to publish (and said nothing)."""
    from demo.management.commands.setup_demo import Command
    from rankings.models import ScoringScheme
    from rankings.selectors import scheme_default_get

    ScoringScheme.objects.all().delete()
    Command(stdout=io.StringIO())._publish_ranking(force=False)

    assert scheme_default_get().slug == "shifan-2012"
    assert ScoringScheme.objects.count() == 4
