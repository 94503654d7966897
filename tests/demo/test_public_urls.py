"""public_urls: every public URL recorded from the URLconf and the database, and two recordings compared."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import City
from demo.public_urls.catalogue import catalogue_build
from demo.public_urls.data import demo_data_get, spread
from demo.public_urls.normalising import CSRF_MARK, TIME_MARK, XLSX, body_normalised
from tests.factories import SnapshotFactory

pytestmark = pytest.mark.django_db
# The home page and the city pages (the demo city and the missing one: 3 URLs, 6 answers); the whole site
# takes minutes (see the command's docstring).
HOME_AND_CITIES = r"^/$|^/cities/\d+/$"


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


@pytest.fixture
def city() -> City:
    """A small dataset: one city with one account and its snapshot (no ranking yet)."""
    return SnapshotFactory().account.city


def _record(out: Path, *arguments: str) -> str:
    stdout = io.StringIO()
    call_command("public_urls", "--out", str(out), "--match", HOME_AND_CITIES, *arguments, stdout=stdout,
                 stderr=io.StringIO())
    return stdout.getvalue()


def test_the_recording_lists_the_home_page_and_each_city_page_in_both_languages(city: City, tmp_path: Path) -> None:
    output = _record(tmp_path / "before")
    index = json.loads((tmp_path / "before" / "index.json").read_text(encoding="utf-8"))
    answers = {(entry["url"], entry["language"]): entry for entry in index["entries"]}
    assert set(answers) >= {("/", "zh-hans"), ("/", "en"), (f"/cities/{city.pk}/", "en")}
    assert answers[("/", "en")]["status"] == 200
    assert answers[(f"/cities/{city.pk}/", "en")]["content-type"].startswith("text/html")
    assert (tmp_path / "before" / answers[(f"/cities/{city.pk}/", "en")]["file"]).read_bytes().count(b"<html") == 1
    assert f"answers of {index['urls']} URLs" in output


def test_comparing_names_the_url_whose_body_changed_and_fails(city: City, tmp_path: Path) -> None:
    _record(tmp_path / "before")
    City.objects.filter(pk=city.pk).update(name_en="Renamed City")
    stdout = io.StringIO()
    with pytest.raises(CommandError, match="answers differ"):
        call_command("public_urls", "--out", str(tmp_path / "after"), "--match", HOME_AND_CITIES,
                     "--compare", str(tmp_path / "before"), stdout=stdout, stderr=io.StringIO())
    report = stdout.getvalue()
    assert f"/cities/{city.pk}/ [en]: sha256:" in report
    assert "+" in report and "Renamed City" in report  # the start of the diff
    assert "Compared 6 answers" in report


def test_two_recordings_of_the_same_data_compare_equal(city: City, tmp_path: Path) -> None:
    _record(tmp_path / "before")
    report = _record(tmp_path / "after", "--compare", str(tmp_path / "before"))
    assert "Compared 6 answers: 0 differ." in report


def test_every_pattern_of_the_urlconf_is_filled_or_skipped_with_a_reason(city: City) -> None:
    catalogue = catalogue_build(demo_data_get())
    assert list(catalogue.skipped) == ["admin/*"]
    assert {"home", "city_detail", "rankings:run_whatif", "api:ranking", "api:schema", "healthz"} <= set(
        catalogue.covered)
    assert f"/cities/{city.pk}/" in catalogue.urls and "/api/v1/ranking/?format=csv" in catalogue.urls


def test_csrf_tokens_are_the_only_part_of_a_page_replaced() -> None:
    token = "a1" * 32
    page = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}"> headers["X-CSRFTOKEN"] = "{token}";'
    assert body_normalised(page.encode(), "text/html") == (
        b'<input type="hidden" name="csrfmiddlewaretoken" value="' + CSRF_MARK + b'"> headers["X-CSRFTOKEN"] = "'
        + CSRF_MARK + b'";')
    assert body_normalised(f'{{"value": "{token}"}}'.encode(), "application/json") == f'{{"value": "{token}"}}'.encode()


def test_an_xlsx_is_recorded_as_its_parts_with_the_creation_time_marked() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/sheet1.xml", "<row>1</row>")
        archive.writestr("docProps/core.xml", '<dcterms:created xsi:type="W3CDTF">2026-12-04T18:00:00Z</dcterms:created>')
    text = body_normalised(buffer.getvalue(), XLSX)
    assert text.startswith(b"== docProps/core.xml ==\n") and TIME_MARK in text and b"2026" not in text
    assert b"== xl/sheet1.xml ==\n<row>1</row>" in text


def test_a_spread_of_ids_is_even_and_keeps_the_first_and_the_last() -> None:
    assert spread(list(range(1, 11)), 4) == [1, 4, 7, 10]
    assert spread([1, 2, 3], 0) == [1, 2, 3]
