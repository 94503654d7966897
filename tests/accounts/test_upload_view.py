"""The staff upload page: permissions, all-or-nothing imports as jobs, dry runs, and the template CSV.

An upload becomes an ImportJob whose task is enqueued when the transaction commits; these tests run the
commit callbacks (the task runs inline, as with no REDIS_URL), then follow the redirect to the job page.
"""
from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.forms import UPLOAD_COLUMNS
from accounts.importing import IMPORT_COLUMNS
from accounts.models import City, GovAccount, ImportJob, Snapshot, SnapshotImport

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/accounts/import/"
HEADER = (
    "city,province,account,category,level,period,fans,posts,original_posts,reposts,comments,likes,replies\n"
)
GOOD_ROWS = (
    "长沙,湖南,长沙警事,police,city,2012-03,120000,300,200,5000,4000,9000,150\n"
    "长沙,湖南,长沙发布,press,city,2012-03,80000,150,100,2000,1000,3000,20\n"
    "株洲,湖南,株洲交警,traffic,city,2012-03,30000,90,60,700,500,800,0\n"
)
# Line 3 (the header is line 1) has negative fans.
BAD_ROWS = (
    "长沙,湖南,长沙警事,police,city,2012-03,120000,300,200,5000,4000,9000,150\n"
    "长沙,湖南,长沙发布,press,city,2012-03,-3,150,100,2000,1000,3000,20\n"
)


def _csv(body: str, name: str = "march.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + body).encode("utf-8"), content_type="text/csv")


@pytest.fixture
def staff(client) -> User:
    """An analyst granted “Can import snapshot files”."""
    user = User.objects.create_user("analyst", password="pw-for-tests-only", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="import_snapshots"))
    client.force_login(user)
    return user


@pytest.fixture
def english(client) -> None:
    """The user picked English with the language switch (the site is Chinese otherwise)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path, monkeypatch):
    """Each test's uploads wait in a directory of their own, and their tasks run inline (as with no
    REDIS_URL) even when the suite runs against Redis: tests/accounts/test_import_worker.py covers that."""
    from govweibo.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    settings.GOVWEIBO_IMPORT_DIR = tmp_path / "imports"
    return settings.GOVWEIBO_IMPORT_DIR


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """POST to the upload page and run what waits for the commit (the job's task, inline)."""

    def post(data: dict, *, follow: bool = False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(UPLOAD_URL, data)
        # Followed only now: the task ran when the context above ended.
        return client.get(response["Location"]) if follow and response.status_code == 302 else response

    return post


def _job_url(job: ImportJob) -> str:
    return f"/accounts/import/jobs/{job.pk}/"


def _nothing_written() -> bool:
    return not (City.objects.exists() or GovAccount.objects.exists() or Snapshot.objects.exists()) and not (
        SnapshotImport.objects.exists()
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(UPLOAD_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={UPLOAD_URL}"


def test_signed_in_users_without_the_import_permission_get_403_even_staff_with_other_rights(client):
    visitor = User.objects.create_user("visitor", password="pw-for-tests-only")
    # Staff who may view and even add snapshots in the admin still may not run whole-file imports.
    clerk = User.objects.create_user("clerk", password="pw-for-tests-only", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_snapshot", "add_snapshot"]))
    for user in (visitor, clerk):
        client.force_login(user)
        assert client.get(UPLOAD_URL).status_code == 403
        assert client.post(UPLOAD_URL, {"file": _csv(GOOD_ROWS)}).status_code == 403
        assert "/accounts/import/" not in client.get("/").content.decode()  # and no link to it
    assert _nothing_written()


def test_staff_see_the_form_the_column_help_and_the_template_link(client, staff):
    response = client.get(UPLOAD_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and 'name="dry_run"' in html
    assert "统计周期" in html and "2012-Q1" in html
    assert reverse("accounts:snapshot_template") in html


def test_a_non_staff_user_with_the_import_permission_may_import_and_sees_the_link(client):
    user = User.objects.create_user("loader", password="pw-for-tests-only")
    user.user_permissions.add(Permission.objects.get(codename="import_snapshots"))
    client.force_login(user)

    assert client.get(UPLOAD_URL).status_code == 200
    assert 'href="/accounts/import/"' in client.get("/").content.decode()


def test_superusers_may_import(client):
    client.force_login(User.objects.create_superuser("root", password="pw-for-tests-only"))

    assert client.get(UPLOAD_URL).status_code == 200


def test_a_valid_csv_becomes_a_job_that_imports_it_and_the_page_redirects_to_the_job(client, staff, upload,
                                                                                      english, import_dir):
    response = upload({"file": _csv(GOOD_ROWS)})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _job_url(job)
    assert (City.objects.count(), GovAccount.objects.count(), Snapshot.objects.count()) == (2, 3, 3)
    record = SnapshotImport.objects.get()
    assert (record.source, record.created_by, record.file_name) == ("upload", staff, "march.csv")
    assert record.row_count == 3
    assert (job.status, job.progress, job.rows_done, job.result, job.created_by) == ("done", 100, 3, record, staff)
    assert list(import_dir.iterdir()) == []  # the stored upload is deleted when the job ends
    html = client.get(response["Location"]).content.decode()
    assert "Imported 3 rows from “march.csv”: 3 snapshots created, 0 replaced, 3 new accounts, 2 new cities." in html


def test_the_job_page_is_chinese_by_default_and_the_upload_page_lists_the_job(client, staff, upload):
    response = upload({"file": _csv(GOOD_ROWS)}, follow=True)

    html = response.content.decode()
    assert "已从“march.csv”导入 3 行" in html
    upload_page = client.get(UPLOAD_URL).content.decode()
    assert "march.csv" in upload_page.split('id="recent-jobs"')[1]
    assert "march.csv" in upload_page.split('id="recent-imports"')[1]  # and it tops the recent imports


def test_importing_the_same_file_again_replaces_and_says_so(client, staff, upload, english):
    upload({"file": _csv(GOOD_ROWS)})
    response = upload({"file": _csv(GOOD_ROWS)}, follow=True)

    assert Snapshot.objects.count() == 3
    assert "0 snapshots created, 3 replaced, 0 new accounts, 0 new cities" in response.content.decode()


def test_an_invalid_csv_fails_its_job_listing_each_problem_with_line_and_column_and_writes_nothing(
    client, staff, upload, english, import_dir
):
    response = upload({"file": _csv(BAD_ROWS)}, follow=True)

    job = ImportJob.objects.get()
    assert (job.status, job.problem_count) == ("failed", 1)
    assert [(problem["line"], problem["column"]) for problem in response.context["problems"]] == [(3, "fans")]
    html = response.content.decode()
    assert "The file was not imported: 1 problem found. Nothing was written." in html
    assert '<td class="num">3</td><td>fans</td>' in html
    assert "negative" in html
    assert _nothing_written()
    assert list(import_dir.iterdir()) == []


def test_the_problems_show_in_the_language_of_whoever_reads_the_page(client, staff, upload):
    response = upload({"file": _csv(BAD_ROWS)}, follow=True)

    html = response.content.decode()
    assert "文件未导入" in html
    assert "负数" in html  # “-3”为负数…
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the same stored job, read in English
    html = client.get(_job_url(ImportJob.objects.get())).content.decode()
    assert "The file was not imported" in html and "negative" in html and "负数" not in html


def test_the_status_json_follows_the_job_from_queued_to_done(client, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:  # the task is not sent yet
        response = client.post(UPLOAD_URL, {"file": _csv(GOOD_ROWS)})
    status_url = response["Location"] + "status.json"

    queued = client.get(status_url).json()
    assert {key: queued[key] for key in ("status", "progress", "rows_done", "finished")} == {
        "status": "queued", "progress": 0, "rows_done": 0, "finished": False}
    assert queued["status_label"] == "排队中"
    for callback in callbacks:
        callback()  # the commit: the task runs
    done = client.get(status_url).json()
    assert {key: done[key] for key in ("status", "progress", "rows_done", "finished")} == {
        "status": "done", "progress": 100, "rows_done": 3, "finished": True}


def test_the_page_of_a_running_job_refreshes_itself_without_javascript_and_polls_with_it(
    client, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        response = client.post(UPLOAD_URL, {"file": _csv(GOOD_ROWS)}, follow=True)

    html = response.content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert "js/import_job.js" in html and 'data-status-url="' in html
    assert 'id="job-progress-bar"' in html


def test_the_status_json_of_a_rejected_file_says_failed(client, staff, upload):
    response = upload({"file": _csv(BAD_ROWS)})

    status = client.get(response["Location"] + "status.json").json()
    assert (status["status"], status["finished"]) == ("failed", True)
    html = client.get(response["Location"]).content.decode()
    assert "http-equiv" not in html and "import_job.js" not in html  # a finished job's page stays still


def test_an_xlsx_file_with_chinese_headers_is_imported(client, staff, upload):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["城市", "省份", "账号", "类别", "级别", "统计周期", *"粉丝数 发博数 原创数 转发数 评论数 点赞数 回复数".split()])
    sheet.append(["张家界", "湖南", "张家界旅游", "旅游", "市", "2012-Q1", 5000, 30, 25, 100, 80, 300, 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = SimpleUploadedFile("q1.xlsx", buffer.getvalue(), content_type="application/octet-stream")

    response = upload({"file": xlsx})

    assert response.status_code == 302
    snapshot = Snapshot.objects.select_related("account__city").get()
    assert (snapshot.account.city.name, snapshot.account.category) == ("张家界", "tourism")
    assert (snapshot.period_start, snapshot.period_end, snapshot.replies) == (date(2012, 1, 1), date(2012, 3, 31), 12)
    assert SnapshotImport.objects.get().file_name == "q1.xlsx"


def test_a_dry_run_checks_the_file_and_writes_nothing(client, staff, upload, english):
    response = upload({"file": _csv(GOOD_ROWS), "dry_run": "on"}, follow=True)

    assert _nothing_written()
    job = ImportJob.objects.get()
    assert (job.dry_run, job.status, job.result, job.snapshots_created) == (True, "done", None, 3)
    assert "Check passed: all 3 rows of “march.csv” are valid. Nothing was written." in response.content.decode()


def test_a_dry_run_of_a_bad_file_lists_the_problems_too(client, staff, upload):
    response = upload({"file": _csv(BAD_ROWS), "dry_run": "on"}, follow=True)

    assert [(problem["line"], problem["column"]) for problem in response.context["problems"]] == [(3, "fans")]
    assert _nothing_written()


def test_a_file_that_is_not_csv_txt_or_xlsx_is_rejected_before_reading(client, staff, upload, english):
    pdf = SimpleUploadedFile("march.pdf", (HEADER + GOOD_ROWS).encode(), content_type="application/pdf")

    response = upload({"file": pdf})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["“march.pdf” is not a .csv, .txt, .xlsx or .jsonl file."]
    assert _nothing_written() and not ImportJob.objects.exists()


def test_excels_unicode_text_export_utf16_tab_separated_txt_is_imported(client, staff, upload):
    text = (HEADER + GOOD_ROWS).replace(",", "\t")
    txt = SimpleUploadedFile("march.txt", text.encode("utf-16"), content_type="text/plain")

    response = upload({"file": txt})

    assert response.status_code == 302
    assert Snapshot.objects.count() == 3
    assert SnapshotImport.objects.get().encoding == "utf-16"


def test_a_file_over_the_upload_limit_is_rejected_with_both_sizes(client, staff, upload, english, settings):
    settings.GOVWEIBO_MAX_UPLOAD_BYTES = 100
    big = _csv(GOOD_ROWS)  # 420 bytes

    response = upload({"file": big})

    [error] = response.context["form"].errors["file"]
    assert error.startswith(
        f"The file is {big.size}\xa0bytes; files up to 100\xa0bytes can be imported here."
    )
    assert _nothing_written() and not ImportJob.objects.exists()


def test_at_most_200_problems_are_shown_with_a_count_of_the_rest(client, staff, upload, english):
    bad = "".join(f"长沙,湖南,账号{n},police,city,2012-03,-1,1,0,0,0,0,0\n" for n in range(205))

    response = upload({"file": _csv(bad)}, follow=True)

    assert len(response.context["problems"]) == 200
    assert response.context["problems"][-1]["line"] == 201  # data rows start on line 2
    assert "… and 5 more problems." in response.content.decode()
    assert _nothing_written()


def test_the_template_csv_has_the_chinese_headers_and_a_byte_order_mark(client, staff):
    response = client.get(reverse("accounts:snapshot_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="govweibo_import_template.csv"'
    assert response.content == (
        "\ufeff城市,省份,账号,平台,类别,级别,统计周期,粉丝数,发博数,原创数,转发数,评论数,点赞数,回复数\r\n"
    ).encode("utf-8")


def test_the_template_csv_filled_with_one_row_imports(client, staff, upload):
    template = client.get(reverse("accounts:snapshot_template")).content
    filled = template + "长沙,湖南,长沙警事,新浪微博,公安,市,2012年3月,120000,300,200,5000,4000,9000,150\r\n".encode()

    response = upload({"file": SimpleUploadedFile("filled.csv", filled, content_type="text/csv")})

    assert response.status_code == 302
    snapshot = Snapshot.objects.select_related("account").get()
    assert (snapshot.account.screen_name, snapshot.account.category) == ("长沙警事", "police")
    assert snapshot.fans == 120000


def test_the_help_lists_the_importers_columns_in_its_order():
    assert tuple(column.header for column in UPLOAD_COLUMNS) == tuple(IMPORT_COLUMNS)


def test_the_template_csv_is_for_importers_only(client):
    client.force_login(User.objects.create_user("visitor", password="pw-for-tests-only"))

    assert client.get(reverse("accounts:snapshot_template")).status_code == 403


def test_the_page_needs_a_fixed_number_of_queries_for_its_recent_imports_and_jobs(
    client, staff, django_assert_max_num_queries
):
    for number in range(10):
        SnapshotImport.objects.create(
            source="upload", file_name=f"{number}.csv", row_count=1, created_by=staff
        )
        ImportJob.objects.create(file_name=f"{number}.csv", created_by=staff)

    # session, user, its permissions and its groups' (cached for the request), recent imports with their
    # users, recent imports of posts with theirs, recent jobs with their users
    with django_assert_max_num_queries(7):
        response = client.get(UPLOAD_URL)

    assert len(response.context["recent_imports"]) == 10
    assert len(response.context["recent_jobs"]) == 10


def test_a_job_is_visible_to_its_uploader_and_to_importers_only(client, staff, upload):
    job_url = upload({"file": _csv(GOOD_ROWS)})["Location"]
    colleague = User.objects.create_user("colleague", password="pw-for-tests-only")
    colleague.user_permissions.add(Permission.objects.get(codename="import_snapshots"))
    visitor = User.objects.create_user("visitor", password="pw-for-tests-only", is_staff=True)

    client.force_login(colleague)
    assert client.get(job_url).status_code == 200
    assert client.get(job_url + "status.json").status_code == 200
    client.force_login(visitor)
    assert client.get(job_url).status_code == 403
    assert client.get(job_url + "status.json").status_code == 403
    # An uploader whose permission was withdrawn since still sees how the upload ended.
    staff.user_permissions.clear()
    client.force_login(User.objects.get(pk=staff.pk))
    assert client.get(job_url).status_code == 200
    client.logout()
    assert client.get(job_url)["Location"] == f"{reverse('login')}?next={job_url}"
    assert client.get("/accounts/import/jobs/999999/").status_code == 302  # anonymous: login first


LATIN_1_ROW = "Zürich,Hunan,Polizei Zürich,police,city,2012-03,1000,30,20,100,50,80,5\n"


def test_a_latin1_upload_is_refused_as_a_wrong_guess_and_imported_when_its_encoding_is_chosen(
        client, staff, upload, english):
    latin = (HEADER + LATIN_1_ROW).encode("latin-1")

    guessed = upload({"file": SimpleUploadedFile("zurich.csv", latin)}, follow=True).content.decode()
    assert "Encoding on the upload page" in guessed and _nothing_written()

    chosen = upload({"file": SimpleUploadedFile("zurich.csv", latin), "encoding": "latin-1"}, follow=True)
    assert "Imported 1 row from “zurich.csv”" in chosen.content.decode()
    assert City.objects.get().name == "Zürich"
    assert GovAccount.objects.get().screen_name == "Polizei Zürich"
    assert ImportJob.objects.latest("pk").encoding == "iso8859-1"  # the codec's own name, as the reader used it


def test_an_encoding_that_is_not_offered_is_a_form_error(client, staff, upload, english):
    response = upload({"file": _csv(GOOD_ROWS), "encoding": "klingon"})

    assert response.status_code == 200 and not ImportJob.objects.exists()
    assert "Select a valid choice" in response.content.decode()
