"""The analyst pages of a published run keep their rendered body in the cache (rankings.pagecache):
the second visit reads it instead of the run, the header around it stays each visitor's own, and
anything that changes what the body shows (another language, a permission, a newly published run, an
import) gives another key. Parameters a visitor makes up (searches, what-if weights, unknown names,
long values) and pages with a notice are rendered afresh and never kept."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone

from accounts.models import City, GovAccount
from rankings import pagecache
from tests.factories import SnapshotFactory
from tests.rankings.factories import ScoreRunFactory, ScoringSchemeFactory, ranking_build, scheme_make_default

pytestmark = pytest.mark.django_db
TEMPLATES = Path(settings.BASE_DIR) / "templates" / "rankings"


@pytest.fixture
def run():
    scheme = scheme_make_default(ScoringSchemeFactory(slug="demo", name="演示方案"))
    return ranking_build(scheme=scheme, published=True, finished_at=timezone.now())


def _pages() -> list[str]:
    changsha = City.objects.get(name="长沙")
    account = GovAccount.objects.get(screen_name="长沙警事")
    return ["/", reverse("city_detail", args=[changsha.pk]), reverse("category_detail", args=["police"]),
            reverse("account_detail", args=[account.pk])]


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main>"):html.index("</main>")]


def _rendered(response) -> bool:
    """Whether the body was rendered in this request (its template's context holds `choice`)."""
    return any("choice" in context for context in response.context)


def test_a_second_visit_reads_the_body_from_the_cache_with_fewer_queries(client, run, django_assert_max_num_queries):
    for url in _pages():
        first = client.get(url)
        assert first.status_code == 200 and _rendered(first), url
        with django_assert_max_num_queries(5):  # the page's object, schemes, runs, data marks
            second = client.get(url)
        assert second.status_code == 200 and not _rendered(second), url
        assert _main(second) == _main(first), url


def test_the_header_stays_each_visitors_own(client, run):
    other = type(client)()
    user = User.objects.create_user("analyst-li")
    client.force_login(user)
    mine, theirs = client.get("/"), other.get("/")

    assert not _rendered(theirs)  # the body came from the first visit
    assert _main(mine) == _main(theirs)
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)
              for response in (mine, theirs)]
    assert tokens[0] != tokens[1]
    assert "analyst-li" in mine.content.decode() and "analyst-li" not in theirs.content.decode()


def test_no_cached_body_holds_a_csrf_token_or_the_visitors_name():
    for name in ("home", "city_detail", "category_detail", "account_detail"):
        text = (TEMPLATES / f"{name}.html").read_text()
        assert "csrf_token" not in text and "user." not in text and "request." not in text, name


def test_each_language_has_its_own_body(client, run):
    chinese = client.get("/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/")
    assert _rendered(english)
    assert "城市" in _main(chinese) and "Changsha" in _main(english) and "Changsha" not in _main(chinese)


def test_a_permission_the_body_shows_gives_another_body(client, run):
    anonymous = client.get("/")
    assert "/accounts/import/" not in _main(anonymous)
    importer = User.objects.create_user("importer")
    importer.user_permissions.add(Permission.objects.get(codename="import_snapshots"))
    client.force_login(importer)
    signed_in = client.get("/")
    assert _rendered(signed_in) and "/accounts/import/" in _main(signed_in)


def test_publishing_another_period_and_importing_show_at_once(client, run):
    changsha = City.objects.get(name="长沙")
    url = reverse("city_detail", args=[changsha.pk])
    assert "2012-04" not in _main(client.get(url))
    ScoreRunFactory(scheme=run.scheme, period_start=date(2012, 4, 1), period_end=date(2012, 4, 30),
                    published=True, finished_at=timezone.now())
    after = client.get(url, {"period": "2012-03"})
    assert _rendered(after) and "2012-04" in _main(after)  # the period choice lists the new run

    before = _main(client.get("/"))
    SnapshotFactory(account=GovAccount.objects.get(screen_name="长沙警事"), period_start=date(2012, 5, 1),
                    period_end=date(2012, 5, 31))
    imported = client.get("/")
    assert _rendered(imported) and _main(imported) != before  # the overview counts the new snapshot


@pytest.mark.parametrize("query", [
    {"q": "长沙"}, {"w": "police:40,press:60"}, {"utm": "x"}, {"sort": "s" * (pagecache.MAX_VALUE_CHARS + 1)},
    {"scheme": "no-such-scheme"}, {"sort": "nonsense"}, {"page": "999"}, {"page": "2", "page ": "x"},
])
def test_made_up_parameters_and_notices_are_rendered_afresh_and_never_kept(client, run, query):
    for _visit in range(2):
        assert _rendered(client.get("/", query))
    city = City.objects.get(name="长沙")
    for _visit in range(2):
        assert _rendered(client.get(reverse("city_detail", args=[city.pk]), query))


def test_a_draft_or_unfinished_run_is_never_kept(client):
    scheme = scheme_make_default(ScoringSchemeFactory(slug="demo", name="演示方案"))
    ranking_build(scheme=scheme, published=True)  # published, but finished_at unknown: not kept
    for _visit in range(2):
        assert _rendered(client.get("/"))
