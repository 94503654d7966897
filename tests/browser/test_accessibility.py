"""Accessibility: axe-core (through axe-playwright-python, which ships axe.min.js: nothing is fetched) runs
the WCAG 2.0 and 2.1 level A and AA rules over one page of every page family, at 1366 px and at 390 px,
in the Debian Chromium. Any violation fails the test, listed as page, width, rule, elements and help.
Tables that scroll sideways must also be named regions that the arrow keys scroll once focused.

Data: the demo (setup_demo: its ranking and its published award round) plus a second round in voting, on
which the signed-in superuser is also an expert (the expert page needs one). While on each page the test
also checks that every chart drew (its plot div holds an svg) and that nothing went to the console as an
error.

To cover a new page, add a line to PAGES: a name, the path (placeholders from `_places`), whether it
needs the signed-in user, optionally a selector to wait for before axe runs, and optionally a button to
press first (for a page that answers a POST, such as a status change's confirmation).
"""
from __future__ import annotations

import io
import time
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.models import City, GovAccount
from awards import services as award_services
from awards.models import AwardRound, EntryPath
from rankings.models import ScoreRun
from tests.awards import pages_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"1366px": {"width": 1366, "height": 900}, "390px": {"width": 390, "height": 844}}
# The pages in Chinese, as the site's users read them. ("en",) alone passed too (2026-12-04, no violation;
# more tables scroll in English; again with the award admin pages, once a box hidden in a closed <details>
# was no longer asked to scroll), at about 1.4 times the run time: add it here to check both every run.
LANGUAGES = ("zh-hans",)
SCROLLS_SIDEWAYS = {"zh-hans": "表格，可左右滑动", "en": "Table, scrolls sideways"}  # scroll_regions.js's word
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
VOTING_ROUND = "a11y-voting"


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # str.format()ted with _places()
    signed_in: bool = False
    ready: str = ""  # a selector that exists once the page's scripts are done
    click: str = ""  # a button on the page at `path` whose answer is the page checked (a POSTed form's page)


PAGES = [
    Page("home", "/"),
    Page("city", "/cities/{city}/"),
    Page("category", "/categories/police/"),
    Page("account", "/accounts/{account}/"),
    Page("compare", "/cities/compare/?cities={city},{other_city}"),
    Page("run list", "/rankings/runs/"),
    Page("run detail", "/rankings/{run}/"),
    Page("method", "/methodology/"),
    Page("what-if", "/?w=police:100,traffic:0,press:0,youth:0,tourism:0", ready="#whatif[data-ready=true]"),
    Page("awards list", "/awards/"),
    Page("round detail", "/awards/{round}/"),
    Page("login", "/login/"),
    Page("expert page (my scores)", "/awards/{voting_round}/my-scores/", signed_in=True),
    Page("vote grid", "/awards/{voting_round}/grid/", signed_in=True),
    # The round in voting: a short log (its creation, experts, opening). The published demo round's
    # hundreds of rows (same markup) took axe 10–15 s per width.
    Page("audit log", "/awards/{voting_round}/audit/", signed_in=True),
    Page("experts' progress", "/awards/{voting_round}/progress/", signed_in=True),
    Page("import upload", "/accounts/import/", signed_in=True),
    Page("admin index", "/admin/", signed_in=True),
    # The award admin pages (issue 18). The netizen file preview needs a posted file: the end-to-end test
    # (test_award_admin_end_to_end) runs axe on it.
    Page("round create", "/awards/new/", signed_in=True),
    Page("expert add", "/awards/{voting_round}/experts/add/", signed_in=True),
    Page("expert edit", "/awards/{voting_round}/experts/{expert}/edit/", signed_in=True),
    Page("expert remove", "/awards/{voting_round}/experts/{expert}/remove/", signed_in=True),
    Page("expert reopen", "/awards/{voting_round}/experts/{expert}/reopen/", signed_in=True),
    Page("close confirmation", "/awards/{voting_round}/", signed_in=True, click="#status-close-button"),
]


def _places(superuser) -> dict[str, object]:
    """The demo's ids the paths name, and the round in voting (the superuser is one of its experts)."""
    run = ScoreRun.objects.filter(is_published=True).order_by("-published_at").first()
    city = City.objects.get(name="长沙")
    voting = pages_data.round_build(slug=VOTING_ROUND, expert_user=superuser)
    award_services.round_open_voting(user=None, award_round=voting, via=EntryPath.COMMAND)
    return {
        "run": run.pk, "city": city.pk, "other_city": City.objects.get(name="武汉").pk,
        "account": GovAccount.objects.filter(city=city).order_by("pk").first().pk,
        "round": AwardRound.objects.exclude(slug=VOTING_ROUND).get().slug, "voting_round": VOTING_ROUND,
        "expert": voting.experts.order_by("pk").first().pk,
    }


def _report(violations: list[dict], where: str) -> list[str]:
    lines = []
    for violation in violations:
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']} "
                     f"[{violation['helpUrl'].split('?')[0]}]")
        lines += [f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}" for node in violation["nodes"]]
    return lines


def _charts_drew(page) -> list[str]:
    """The ids of plot divs with no svg in them (a chart that did not draw)."""
    return page.locator(".plotly-graph-div").evaluate_all(
        "divs => divs.filter(d => !d.querySelector('svg.main-svg')).map(d => d.id)")


# Keyboard scrolling is animated: wait up to a second for the box to move.
SCROLLED = """box => new Promise(done => {
    const start = performance.now();
    (function poll() {
        if (box.scrollLeft > 0) { done(true); } else if (performance.now() - start > 1000) { done(false); }
        else { requestAnimationFrame(poll); }
    })();
})"""


def _scroll_regions(page, language: str) -> list[str]:
    """Every table box that scrolls sideways is a named region that the keyboard reaches and scrolls."""
    problems = []
    boxes = page.locator(".table-scroll")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        # A box inside a closed <details> (the what-if explorer) still has a scroll width in Chromium, but
        # no one can see or focus it until the details open (open, it is checked like any other).
        if not box.evaluate("b => b.scrollWidth > b.clientWidth + 1 && b.checkVisibility()"):
            continue
        label = box.get_attribute("aria-label") or ""
        if box.get_attribute("role") != "region" or not label.endswith(SCROLLS_SIDEWAYS[language]):
            problems.append(f"table box {index}: role {box.get_attribute('role')!r}, label {label!r}")
        box.focus()
        box.press("ArrowRight")
        if not box.evaluate(SCROLLED):
            problems.append(f"table box {index} ({label}): the arrow key did not scroll it")
    return problems


def _sign_in(browser_context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    browser_context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                  "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": base_url}])


@pytest.mark.slow
def test_every_page_family_passes_axe_wcag_2_1_a_and_aa_at_phone_and_desktop_width(live_server, browser_context):
    from axe_playwright_python.sync_playwright import Axe

    call_command("setup_demo", stdout=io.StringIO())
    superuser = pages_data.users()["superuser"]
    places = _places(superuser)
    axe, problems, timings = Axe(), [], {}
    page = browser_context.new_page()
    page.on("console", lambda message: problems.append(f"{page.url}: console error: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: page error: {error}"))
    for language in LANGUAGES:
        browser_context.clear_cookies()
        browser_context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                                      "url": live_server.url}])
        signed_in = False
        for entry in sorted(PAGES, key=lambda entry: entry.signed_in):  # anonymous pages first, then sign in
            if entry.signed_in and not signed_in:
                _sign_in(browser_context, live_server.url, superuser)
                signed_in = True
            path = entry.path.format(**places)
            for width_name, viewport in WIDTHS.items():
                started = time.monotonic()
                where = f"{entry.name} {path} at {width_name} ({language})"
                page.set_viewport_size(viewport)
                response = page.goto(live_server.url + path)
                assert response.status == 200, (where, response.status)
                if entry.click:
                    with page.expect_navigation() as navigation:
                        page.click(entry.click)
                    assert navigation.value.status == 200, (where, entry.click, navigation.value.status)
                if entry.ready:
                    page.locator(entry.ready).wait_for(state="attached")
                problems += [f"{where}: chart #{chart} drew nothing" for chart in _charts_drew(page)]
                problems += _report(axe.run(page, options=AXE_OPTIONS).response["violations"], where)
                problems += [f"{where}: {problem}" for problem in _scroll_regions(page, language)]
                timings[where] = time.monotonic() - started
    print("\n".join(f"{seconds:5.2f} s  {where}" for where, seconds in timings.items()))
    assert not problems, "\n" + "\n".join(problems)
