"""A whole award round run by a panel admin in a real browser, with no step outside it (issue 18, "Must show").

The admin creates a round from a published run's page, adds three experts (one from 湖南, so two
candidates are recused: 回避), edits one with a reason, opens the voting; two experts log in and submit on
their own page; the admin reopens one, who changes a score and submits again; the admin uploads a netizen
vote file (previewed, then imported), closes and publishes after ticking each confirmation; logged out,
anyone reads the shortlist in the order computed below from the data chosen here.

The flow runs once per language. In Chinese the admin and the experts work on a phone (390 px), in English
on a desktop (1366 px); every page visited is also laid out at the other width, and at both widths the page
must not scroll sideways. Any console error or uncaught page error fails the test (a form refused with 400
logs one in Chromium: the flow only sends good input). Axe (WCAG 2.1 A/AA) also checks the netizen
preview page, which needs a posted file and so is not in test_accessibility's list.
"""
from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from awards.models import AwardRound, Expert, ExpertScore, NetizenTally
from tests.awards import pages_data
from tests.browser.test_accessibility import AXE_OPTIONS, _report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# The round: the run's first five cities (composites 100 … 96, so R = 100 … 96), shortlist of three,
# default weights 0.6 / 0.25 / 0.15, mean of the expert scores, one score per candidate is enough.
CANDIDATES = ["长沙", "武汉", "广州", "南京", "株洲"]  # 湖南, 湖北, 广东, 江苏, 湖南
# (name, affiliation, (province short name, English name), user name); 李研究员 (湖南) is recused from 长沙, 株洲.
EXPERTS = [("王教授", "北京大学", ("北京", "Beijing"), "expert"),
           ("李研究员", "湖南大学", ("湖南", "Hunan"), "expert2"),
           ("张编辑", "测试日报", ("上海", "Shanghai"), "")]
FIRST = {"王教授": {"长沙": 50, "武汉": 60, "广州": 70, "南京": 80, "株洲": 80},
         "李研究员": {"武汉": 60, "广州": 70, "南京": 80}}
REOPENED = ("王教授", "株洲", 90)  # reopened, 王教授 raises 株洲 from 80 to 90
VOTES = {"长沙": 1000, "武汉": 500, "广州": 500, "南京": 500, "株洲": 500}  # N = 100, 50, 50, 50, 50
# E = 50, 60, 70, 80, 90 (the mean of both experts' scores, which agree); final = 0.6 R + 0.25 E + 0.15 N:
# 长沙 60 + 12.5 + 15 = 87.5; 武汉 59.4 + 15 + 7.5 = 81.9; 广州 58.8 + 17.5 + 7.5 = 83.8;
# 南京 58.2 + 20 + 7.5 = 85.7; 株洲 57.6 + 22.5 + 7.5 = 87.6. Before the reopening 株洲 had 85.1 (third).
FINALS = {"株洲": "87.60", "长沙": "87.50", "南京": "85.70"}
SHORTLIST = list(FINALS)
WORDS = {  # what the pages say, per language
    "zh-hans": {"recused": "回避", "voting": "投票中", "zhuzhou": "株洲"},
    "en": {"recused": "Recused", "voting": "voting", "zhuzhou": "Zhuzhou"},
}


# The elements that stick out on the right, for the failure message.
WIDE = """width => [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > width)
    .slice(0, 8).map(e => `${e.tagName}#${e.id}.${e.getAttribute("class")} ${Math.round(e.getBoundingClientRect().right)}`)"""


class Browser:
    """The page, its language, the width the flow works at, and the problems seen so far."""

    def __init__(self, context, base: str, language: str, viewport: dict[str, int]) -> None:
        self.context, self.base, self.language, self.viewport = context, base, language, viewport
        self.page = context.new_page()
        self.page.set_viewport_size(viewport)
        self.problems: list[str] = []
        self.page.on("console", lambda message: self.problems.append(f"{self.page.url}: console: {message.text}")
                     if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.problems.append(f"{self.page.url}: page error: {error}"))

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response.status == 200, (path, response.status)

    def click(self, selector: str) -> None:
        """A click that loads a page, which must answer 200 and fit both widths."""
        with self.page.expect_navigation() as navigation:
            self.page.click(selector)
        assert navigation.value.status == 200, (selector, navigation.value.status, self.page.url)
        self.fits()

    def fits(self) -> None:
        """No sideways scroll of the page at a phone's or a desktop's width (the flow's own width last).
        Charts redraw for the new width a moment after the resize (plotly's responsive mode): up to 3 s."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for viewport in (PHONE, DESKTOP) if self.viewport == DESKTOP else (DESKTOP, PHONE):
            self.page.set_viewport_size(viewport)
            try:
                self.page.wait_for_function("w => document.documentElement.scrollWidth <= w", arg=viewport["width"],
                                            timeout=3000)
            except PlaywrightTimeout:
                wide = self.page.evaluate(WIDE, viewport["width"])
                raise AssertionError(f"{self.page.url} scrolls sideways at {viewport['width']} px: {wide}") from None

    def login(self, username: str, next_path: str) -> None:
        self.goto(f"/login/?next={next_path}")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", pages_data.PASSWORD)
        self.click("main form button[type=submit]")
        assert self.page.url == self.base + next_path.split("#")[0]

    def logout(self) -> None:
        with self.page.expect_navigation():
            self.page.click(".site-header form[action$='/logout/'] button")


def _province(page, short: str, english: str) -> None:
    """The expert's home province: a list of the canonical provinces (chosen by its short name, as value
    or in the label, or by its English name) or, before that list, a text field."""
    field = page.locator("#id_province")
    if field.evaluate("element => element.tagName") != "SELECT":
        field.fill(short)
        return
    value = field.evaluate("""(select, names) => {
        const option = [...select.options].find(option => names.some(
            name => option.value === name || option.text.includes(name)));
        return option ? option.value : null;
    }""", [short, english])
    assert value is not None, f"no province {short} in the list"
    field.select_option(value=value)


def _votes_file(tmp_path) -> str:
    path = tmp_path / "votes.csv"
    path.write_text("城市,票数,来源\n" + "".join(f"{city},{votes},微博投票\n" for city, votes in VOTES.items()),
                    encoding="utf-8")
    return str(path)


def _create_round(browser: Browser, run_id: int, slug: str) -> AwardRound:
    """From the run's page in Chinese, from the round list in English: both ways into the form."""
    if browser.language == "zh-hans":
        browser.login("panel", f"/rankings/{run_id}/")
        browser.click("#create-round-link")
    else:
        browser.login("panel", "/awards/")
        browser.click("#round-create-link")
    page = browser.page
    assert page.locator("#id_run").input_value() == str(run_id)
    page.fill("#id_slug", slug)
    page.fill("#id_name", "端到端示范奖" if browser.language == "zh-hans" else "End-to-end award")
    page.check("input[name=selection][value=top]")
    page.fill("#id_candidates_n", str(len(CANDIDATES)))
    page.fill("#id_shortlist_size", str(len(SHORTLIST)))
    page.fill("#id_quorum", "1")
    browser.click("#round-create-button")
    assert page.url == f"{browser.base}/awards/{slug}/"
    award_round = AwardRound.objects.get(slug=slug)
    assert sorted(award_round.candidates.values_list("name", flat=True)) == sorted(CANDIDATES)
    return award_round


def _add_experts(browser: Browser, award_round: AwardRound) -> dict[str, Expert]:
    page = browser.page
    for name, affiliation, (short, english), username in EXPERTS:
        browser.click("#expert-add-link")
        page.fill("#id_name", name)
        page.fill("#id_affiliation", affiliation)
        _province(page, short, english)
        page.fill("#id_username", username)
        browser.click("#expert-save")
        assert page.locator(f'#expert-table tr[data-expert="{name}"]').is_visible()
    experts = {expert.name: expert for expert in award_round.experts.select_related("user")}
    assert experts["李研究员"].user.username == "expert2"  # a user with no role joins the experts' role
    assert experts["李研究员"].user.groups.filter(name=pages_data.ROLES["expert"]).exists()
    # Edit one: a reason is required and recorded.
    zhang = experts["张编辑"]
    browser.click(f"#expert-edit-{zhang.pk}")
    page.fill("#id_affiliation", "人民日报")
    page.fill("#id_reason", "单位更正")
    browser.click("#expert-save")
    zhang.refresh_from_db()
    assert zhang.affiliation == "人民日报"
    assert "人民日报" in page.locator('#expert-table tr[data-expert="张编辑"]').inner_text()
    return experts


def _score(browser: Browser, slug: str, username: str, scores: dict[str, int], *, recused: int) -> None:
    """The expert logs in, fills their candidates' scores and submits."""
    page = browser.page
    browser.login(username, f"/awards/{slug}/my-scores/")
    assert page.locator("li[data-candidate]").count() == len(CANDIDATES)
    marks = page.locator("li[data-candidate] .recused")
    assert marks.count() == recused
    assert all(text.strip() == WORDS[browser.language]["recused"] for text in marks.all_inner_texts())
    for city, score in scores.items():
        page.locator(f'li[data-candidate="{city}"] input[name^=score-]').fill(str(score))
    browser.click("#submit-scores")
    assert page.locator("#submitted-badge").is_visible()
    assert page.locator("#my-scores-form").count() == 0  # read-only once submitted
    browser.logout()


def _flow(browser: Browser, tmp_path) -> None:
    pages_data.users()
    User.objects.create_user("expert2", password=pages_data.PASSWORD)  # no role yet
    run = pages_data.published_run(count=8)
    page, slug = browser.page, f"e2e-{browser.language}"
    if browser.language != settings.LANGUAGE_CODE:  # the header's language list
        browser.goto("/")
        with page.expect_navigation():
            page.select_option("#language-select", browser.language)
        assert page.locator("html").get_attribute("lang") == browser.language

    award_round = _create_round(browser, run.pk, slug)
    experts = _add_experts(browser, award_round)
    browser.click("#status-open-button")
    assert page.locator("#round-status").inner_text().strip().lower() == WORDS[browser.language]["voting"]
    browser.logout()

    _score(browser, slug, "expert", FIRST["王教授"], recused=0)
    _score(browser, slug, "expert2", FIRST["李研究员"], recused=2)

    # The admin reopens 王教授, who changes one score and submits again.
    wang = experts["王教授"]
    browser.login("panel", f"/awards/{slug}/")
    browser.click(f"#expert-reopen-{wang.pk}")
    page.fill("#id_reason", "株洲评分有误")
    browser.click("#expert-reopen-confirm")
    wang.refresh_from_db()
    assert wang.submitted_at is None
    browser.logout()
    _name, city, score = REOPENED
    _score(browser, slug, "expert", {city: score}, recused=0)
    assert ExpertScore.objects.get(expert=wang, candidate__name=city).score == score

    # The netizen vote file: checked and previewed (nothing written), then imported.
    browser.login("panel", f"/awards/{slug}/")
    page.set_input_files("#netizen_file", _votes_file(tmp_path))
    browser.click("#netizen-preview-button")
    assert page.locator("#netizen-preview-table tbody tr").count() == len(VOTES)
    assert not NetizenTally.objects.exists()
    from axe_playwright_python.sync_playwright import Axe

    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        browser.problems += _report(Axe().run(page, options=AXE_OPTIONS).response["violations"],
                                    f"netizen preview ({browser.language}, {viewport['width']} px)")
    page.set_viewport_size(browser.viewport)
    browser.click("#netizen-import-button")
    assert NetizenTally.objects.filter(round=award_round).count() == len(VOTES)

    # Close and publish, each after its confirmation.
    for action in ("close", "publish"):
        browser.click(f"#status-{action}-button")
        assert page.locator("#status-confirm").get_attribute("data-action") == action
        page.check("#id_confirm")
        browser.click("#status-confirm-button")
    assert page.locator("#fingerprint").is_visible()
    award_round.refresh_from_db()
    assert award_round.status == AwardRound.Status.PUBLISHED
    browser.logout()

    # Anyone, logged out, reads the shortlist.
    browser.goto(f"/awards/{slug}/")
    browser.fits()
    rows = page.locator("#shortlist-table tbody tr.shortlisted")
    assert [rows.nth(index).get_attribute("data-candidate") for index in range(rows.count())] == SHORTLIST
    assert rows.locator("td.score").all_inner_texts() == list(FINALS.values())
    assert rows.first.locator("th").inner_text().startswith(WORDS[browser.language]["zhuzhou"])
    matrix = page.locator("#matrix-table").inner_text()
    assert matrix.count(WORDS[browser.language]["recused"]) == 2


@pytest.mark.parametrize(("language", "viewport"), [("zh-hans", PHONE), ("en", DESKTOP)], ids=["zh-390", "en-1366"])
@pytest.mark.slow
def test_a_panel_admin_runs_a_round_from_creation_to_the_published_shortlist(live_server, browser_context, tmp_path,
                                                                             language, viewport):
    browser = Browser(browser_context, live_server.url, language, viewport)
    _flow(browser, tmp_path)
    assert browser.problems == [], "\n" + "\n".join(browser.problems)
