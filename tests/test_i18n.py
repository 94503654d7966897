"""Translations: the Chinese catalogue is complete, and the site speaks Chinese first, English on request."""
from __future__ import annotations

import ast
import gettext
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO_FILE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _unquote(line: str) -> str:
    """The text of one quoted .po line: "a\\"b" -> a"b (.po escapes are Python's)."""
    return ast.literal_eval(line)


def parse_po(text: str) -> list[dict[str, object]]:
    """A tiny .po reader: one dict per entry with its flags, msgid, msgid_plural and msgstr(s).

    Enough for checking completeness: it understands flags (#,), obsolete entries (#~, skipped),
    msgctxt, and multi-line strings; other comments are ignored.
    """
    entries: list[dict[str, object]] = []
    entry: dict[str, object] = {"flags": set(), "msgstr": {}}
    key: tuple[str, object] | None = None

    def finish() -> None:
        nonlocal entry, key
        if "msgid" in entry:
            entries.append(entry)
        entry, key = {"flags": set(), "msgstr": {}}, None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if "msgid" in entry:
                finish()
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ")):
            name, _, rest = line.partition(" ")
            if name != "msgid_plural" and "msgid" in entry:
                finish()  # the next entry begins without a blank line
            entry[name] = _unquote(rest)
            key = (name, None)
        elif line.startswith("msgstr"):
            name, _, rest = line.partition(" ")
            index = int(name[7:-1]) if name.startswith("msgstr[") else 0
            entry["msgstr"][index] = _unquote(rest)
            key = ("msgstr", index)
        elif line.startswith('"') and key is not None:
            name, index = key
            if name == "msgstr":
                entry["msgstr"][index] += _unquote(line)
            else:
                entry[name] += _unquote(line)
    finish()
    return entries


def test_the_tiny_po_parser_reads_flags_plurals_and_continued_lines():
    entries = parse_po(
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid "line %(n)s"\nmsgstr "第 %(n)s 行"\n\n'
        'msgid "one row"\nmsgid_plural "rows"\nmsgstr[0] ""\n"行"\n\n'
        '#, fuzzy\nmsgid "old"\nmsgstr "旧"\n\n#~ msgid "gone"\n#~ msgstr ""\n'
    )

    assert [(e["msgid"], e["msgstr"], e["flags"]) for e in entries] == [
        ("", {0: "Language: zh_Hans\n"}, {"fuzzy"}),
        ("line %(n)s", {0: "第 %(n)s 行"}, {"python-format"}),
        ("one row", {0: "行"}, set()),
        ("old", {0: "旧"}, {"fuzzy"}),
    ]


def test_every_message_of_the_project_has_a_chinese_translation():
    entries = [entry for entry in parse_po(PO_FILE.read_text(encoding="utf-8")) if entry["msgid"]]

    untranslated = [
        entry["msgid"] for entry in entries if not entry["msgstr"] or not all(entry["msgstr"].values())
    ]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert len(entries) > 100
    assert untranslated == []
    assert fuzzy == []


def test_the_catalogue_header_is_not_fuzzy_and_declares_one_plural_form():
    header = parse_po(PO_FILE.read_text(encoding="utf-8"))[0]

    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert "Plural-Forms: nplurals=1; plural=0;" in header["msgstr"][0]


def test_the_compiled_catalogue_holds_every_translation_of_the_po_file():
    # Compared by content, not modification time: a git checkout gives both files arbitrary times.
    with PO_FILE.with_suffix(".mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    entries = [entry for entry in parse_po(PO_FILE.read_text(encoding="utf-8")) if entry["msgid"]]

    stale = [
        entry["msgid"]
        for entry in entries
        if catalog.get(_mo_key(entry)) != entry["msgstr"][0]
    ]
    assert stale == []


def _mo_key(entry: dict[str, object]) -> object:
    """How GNUTranslations keys an entry: msgid, (msgid, 0) for plurals, context\x04msgid with msgctxt."""
    msgid = entry["msgid"]
    if "msgctxt" in entry:
        msgid = f"{entry['msgctxt']}\x04{msgid}"
    return (msgid, 0) if "msgid_plural" in entry else msgid


@pytest.mark.django_db
def test_the_home_page_is_chinese_by_default_and_english_after_switching(client):
    chinese = client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    english = client.get(reverse("home")).content.decode()

    assert '<html lang="zh-hans">' in chinese and "政务微博数据" in chinese and "Government accounts" not in chinese
    assert '<html lang="en">' in english and "Government accounts" in english and "政务账号" not in english


def test_an_english_language_browser_still_gets_chinese_pages_until_the_user_switches(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").headers["Content-Language"] == "en"


def test_numbers_are_grouped_by_thousands_in_chinese(client):
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    with translation.override("zh-hans"):
        assert intcomma(180000) == "180,000"


def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the messages afresh (makemessages on a copy of the source) and compare msgids, so a new
    _() or {% translate %} that nobody extracted fails here instead of showing English to Chinese users."""
    import shutil
    import subprocess
    import sys

    if not shutil.which("xgettext"):
        if os.environ.get("GOVWEIBO_REQUIRE_SERVICES") == "1":
            pytest.fail("gettext is not installed (apt-get install -y gettext)")
        pytest.skip("gettext is not installed")
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "var", "staticfiles", "bench", "fixtures", "*.pyc", "__pycache__", "node_modules"))
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--ignore=staticfiles"],
        cwd=copy, env={**os.environ, "GOVWEIBO_VAR_DIR": str(tmp_path / "var")}, capture_output=True, text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr

    def msgids(po: Path) -> set[str]:
        return {entry["msgid"] for entry in parse_po(po.read_text(encoding="utf-8")) if entry["msgid"]}

    extracted = msgids(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    committed = msgids(PO_FILE)
    assert sorted(extracted - committed) == [], "run makemessages and translate the new messages"
    assert sorted(committed - extracted) == [], "the catalogue keeps messages the code no longer has"
