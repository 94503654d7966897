"""Our catalogue must not re-translate Django's (or DRF's, or axes') own words: LOCALE_PATHS win over
the apps' catalogues, so a domain word such as “Change” (the rank-change column) would rename the
admin's “修改” links. Domain words that collide take a context (pgettext / {% translate … context %})."""
from __future__ import annotations

import gettext
from pathlib import Path

import axes
import django
import pytest
import rest_framework
from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext

OURS = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
# The same meaning in our own pages' wording, on purpose: the admin may say it the site's way.
SAME_MEANING = {"Log out", "Page not found"}


def _catalogue(path: Path) -> dict[str, str]:
    with path.open("rb") as file:
        return gettext.GNUTranslations(file)._catalog  # the parsed .mo: every msgid


def _theirs() -> dict[str, dict[str, str]]:
    roots = [Path(package.__file__).parent for package in (django, rest_framework, axes)]
    files = [path for root in roots for path in root.glob("**/locale/zh_Hans/LC_MESSAGES/django.mo")]
    return {str(path.relative_to(path.parents[5])): _catalogue(path) for path in files}


def test_no_msgid_of_ours_changes_a_translation_that_django_drf_or_axes_ship():
    ours = _catalogue(OURS)
    collisions = sorted(
        f"{source}: {msgid!r} is {ours[msgid]!r} here, {theirs[msgid]!r} there"
        for source, theirs in _theirs().items() for msgid in ours.keys() & theirs.keys()
        if msgid and isinstance(msgid, str) and msgid not in SAME_MEANING and ours[msgid] != theirs[msgid]
    )
    assert collisions == []


@pytest.mark.django_db
def test_the_admins_change_links_say_修改_not_排名变化(admin_client):
    page = admin_client.get("/admin/").content.decode()

    assert "修改" in page
    assert "排名变化" not in page


def test_the_ranking_tables_columns_keep_their_own_words_in_context():
    with translation.override("zh-hans"):
        assert (pgettext("rank", "Change"), pgettext("form button", "Show"), pgettext("scoring", "Method")) == (
            "排名变化", "查看", "评分方法")
