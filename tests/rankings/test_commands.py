"""load_scheme and compute_scores, as a user runs them; the scheme admin; the problem messages."""
from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import GovAccount
from rankings.messages import MESSAGES
from rankings.models import CityScore, ScoreRun, ScoringScheme
from rankings.scoring.errors import PROBLEM_CODES
from tests.factories import CityFactory, GovAccountFactory, SnapshotFactory

pytestmark = pytest.mark.django_db

CUSTOM = {
    "slug": "likes-only",
    "name": "点赞榜",
    "indicators": [{"key": "likes", "label": "点赞", "expr": "likes", "normalize": "none", "weight": 1}],
    "account_to_city": "sum",
}


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


def _call(command: str, *arguments: str) -> str:
    out = io.StringIO()
    call_command(command, *arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def march() -> None:
    for n, likes in enumerate((30, 10, 20)):
        account = GovAccountFactory(city=CityFactory(name=f"城{n}"), category="press", screen_name=f"发布{n}")
        SnapshotFactory(account=account, period_start=date(2012, 3, 1), period_end=date(2012, 3, 31), fans=100,
                        posts=10, original_posts=5, reposts=1, comments=1, likes=likes, replies=0)


def test_load_scheme_creates_a_scheme_then_versions_each_change(tmp_path):
    path = tmp_path / "likes.yaml"
    path.write_text(yaml.safe_dump(CUSTOM, allow_unicode=True), encoding="utf-8")

    assert "Created scheme “likes-only” (version 1)" in _call("load_scheme", str(path))
    assert "is unchanged (version 1)" in _call("load_scheme", str(path))
    path.write_text(json.dumps({**CUSTOM, "account_to_city": "max"}), encoding="utf-8")  # JSON works too
    assert "Updated scheme “likes-only” to version 2" in _call("load_scheme", str(path))
    assert ScoringScheme.objects.get(slug="likes-only").document["account_to_city"] == "max"


@pytest.mark.parametrize("lang, expected", [
    ("en", "indicators: indicator weights sum to 0.5; they must sum to 1"),
    ("zh-hans", "indicators：指标权重之和为 0.5，必须等于 1"),
])
def test_load_scheme_rejects_an_invalid_document_listing_every_problem_in_the_users_language(tmp_path, lang,
                                                                                             expected):
    bad = {**CUSTOM, "indicators": [{**CUSTOM["indicators"][0], "weight": 0.5, "expr": "__import__('os')"}]}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("load_scheme", str(path), lang=lang, stdout=io.StringIO())

    text = str(error.value)
    assert expected in text
    assert "indicators[0].expr" in text and "__import__" in text  # the forbidden call too, in the same message
    assert not ScoringScheme.objects.filter(slug="likes-only").exists()


def test_load_scheme_reports_yaml_syntax_errors_with_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("slug: x\nindicators: [\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line \d+"):
        _call("load_scheme", str(path))


def test_compute_scores_prints_the_run_and_the_top_cities(march, tmp_path):
    path = tmp_path / "likes.yaml"
    path.write_text(yaml.safe_dump(CUSTOM, allow_unicode=True), encoding="utf-8")
    _call("load_scheme", str(path))

    output = _call("compute_scores", "--scheme", "likes-only", "--period", "2012-03", "--publish", "--inline")

    run = ScoreRun.objects.get()
    assert f"Run #{run.pk}: scheme likes-only v1, period 2012-03" in output
    assert "3 cities, 3 accounts from 3 snapshots" in output and "published" in output
    # normalize none, weight 1, sum over the city's accounts: the score is the likes themselves.
    assert re.findall(r"^\s+(\d)\s+(\S+)（湖南）\s+([\d.]+)", output, flags=re.M) == [
        ("1", "城0", "30.00"), ("2", "城2", "20.00"), ("3", "城1", "10.00")]
    assert run.is_published


def test_compute_scores_words_its_warnings_as_the_run_page_does(march, tmp_path):
    """The first account's March snapshot and its last day: 32 days covered in a 31-day period."""
    SnapshotFactory(account=GovAccount.objects.get(screen_name="发布0"), period_start=date(2012, 3, 31),
                    period_end=date(2012, 3, 31), likes=1)
    path = tmp_path / "likes.yaml"
    path.write_text(yaml.safe_dump(CUSTOM, allow_unicode=True), encoding="utf-8")
    _call("load_scheme", str(path))

    output = _call("compute_scores", "--scheme", "likes-only", "--period", "2012-03", "--inline")

    assert ("warning: input data: snapshots that overlap: they cover more days than the period, so some posts are "
            "counted more than once; check the imports (*:overlapping_snapshots × 1)") in output


def test_compute_scores_exits_non_zero_with_the_reason_when_the_run_fails(march):
    # A scheme stored behind the validation's back (the admin and load_scheme never would) that the
    # scoring engine refuses when the run executes.
    broken = {**CUSTOM, "slug": "broken", "indicators": [{**CUSTOM["indicators"][0], "expr": "nope(likes)"}]}
    ScoringScheme.objects.create(slug="broken", name="broken", document=broken)

    with pytest.raises(CommandError, match=r"Run #\d+ failed: .*nope"):
        _call("compute_scores", "--scheme", "broken", "--period", "2012-03", "--inline", "--draws", "0")
    assert ScoreRun.objects.get().status == ScoreRun.Status.FAILED


def test_compute_scores_refuses_a_period_without_data_before_starting_anything(march):
    with pytest.raises(CommandError, match=r"^No snapshot of a scored account lies inside 2013-03"):
        _call("compute_scores", "--period", "2013-03", "--inline", "--draws", "0")
    assert not ScoreRun.objects.exists()


def test_compute_scores_without_a_scheme_uses_the_builtin_default_when_none_is_marked(march):
    ScoringScheme.objects.update(is_default=False)

    output = _call("compute_scores", "--period", "2012-03", "--inline", "--draws", "0")

    assert ScoreRun.objects.get().scheme.slug == "shifan-2012" and "scheme shifan-2012" in output


def test_compute_scores_without_a_scheme_says_so_when_there_is_no_default(march):
    ScoringScheme.objects.update(is_default=False)
    ScoringScheme.objects.filter(slug="shifan-2012").update(builtin=False)

    with pytest.raises(CommandError, match="No scheme is marked as the default"):
        _call("compute_scores", "--period", "2012-03", "--inline")
    assert not ScoreRun.objects.exists()


@pytest.mark.parametrize("arguments, message", [
    (["--period", "2012-13"], "month out of range"),
    (["--period", "2012-03", "--scheme", "nope"], "No scheme “nope”"),
    (["--period", "2012-03", "--draws", "-5"], "between 0 and 100,000"),
])
def test_compute_scores_refuses_bad_arguments_before_starting_anything(march, arguments, message):
    with pytest.raises(CommandError, match=message):
        _call("compute_scores", *arguments, "--inline")
    assert not ScoreRun.objects.exists()


def test_every_problem_code_has_a_translatable_sentence_with_the_same_placeholders():
    assert set(MESSAGES) == set(PROBLEM_CODES)
    for code, english in PROBLEM_CODES.items():
        placeholders = set(re.findall(r"%\((\w+)\)s", english))
        assert set(re.findall(r"%\((\w+)\)s", str(MESSAGES[code]))) == placeholders, code
        with translation.override("zh-hans"):
            assert set(re.findall(r"%\((\w+)\)s", str(MESSAGES[code]))) == placeholders, code


def _admin_client(client):
    user = get_user_model().objects.create_superuser("boss", password="pw-12345678")
    client.force_login(user)
    return client


def test_the_admin_saves_a_valid_document_as_a_new_version_and_refuses_an_invalid_one(client):
    scheme = ScoringScheme.objects.get(slug="bci-v1")
    url = reverse("admin:rankings_scoringscheme_change", args=[scheme.pk])
    admin = _admin_client(client)
    document = yaml.safe_load(admin.get(url).context["adminform"].form["document_text"].value())
    document["account_to_city"] = "max"

    saved = admin.post(url, {"document_text": yaml.safe_dump(document, allow_unicode=True)})
    assert saved.status_code == 302
    scheme.refresh_from_db()
    assert (scheme.version, scheme.document["account_to_city"]) == (2, "max")

    document["indicators"][0]["expr"] = "open('x')"
    refused = admin.post(url, {"document_text": yaml.safe_dump(document, allow_unicode=True)},
                         HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    assert "indicators[0].expr" in refused.content.decode()
    scheme.refresh_from_db()
    assert scheme.version == 2


def test_a_run_published_through_the_command_is_the_one_pages_read(march):
    _call("compute_scores", "--scheme", "bci-v1", "--period", "2012-03", "--publish", "--inline")
    _call("compute_scores", "--scheme", "bci-v1", "--period", "2012-03", "--inline")

    published = ScoreRun.objects.get(is_published=True)
    assert published.pk == ScoreRun.objects.order_by("id").first().pk
    assert CityScore.objects.filter(run=published).count() == 3
