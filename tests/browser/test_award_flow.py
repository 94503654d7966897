"""A round of the 政务微博示范奖 in a real browser, end to end.

A panel admin pastes a 20 × 7 block of expert scores copied from a spreadsheet (tab-separated, CRLF) into
the grid, sees the one bad value the page marks, fixes it, adds a netizen source column and pastes its
votes, saves, and opens voting; an expert logs in on a phone (390 × 844) and scores their candidates on
their own page; the admin closes and publishes the round; the public page shows the expected order.
"""
from __future__ import annotations

import pytest

from awards.models import AwardRound, ExpertScore, NetizenTally
from tests.awards import pages_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = {"grid": "/tmp/award_grid.png", "expert": "/tmp/award_expert_phone.png",
               "grid_phone": "/tmp/award_grid_phone.png", "round": "/tmp/award_round.png"}
BAD = "3b"  # a typo in the block: 南京 × 王教授 should be 36


def _block(award_round: AwardRound) -> str:
    """The seven grid experts' scores of the twenty candidates as Excel copies them: rows in rank order,
    tab-separated, CRLF line ends (the last line too), recused cells empty; one bad value."""
    experts = list(award_round.experts.order_by("id")[:pages_data.GRID_EXPERTS])
    lines = []
    for candidate in award_round.candidates.order_by("rank"):
        cells = ["" if expert.is_recused_from(candidate) else str(pages_data.expert_score(candidate.rank))
                 for expert in experts]
        if candidate.name == "南京":
            cells[0] = BAD
        lines.append("\t".join(cells))
    return "\r\n".join(lines) + "\r\n"


def _paste(page, selector: str, text: str) -> None:
    """A paste event carrying `text`, as the browser fires it on Ctrl+V (the clipboard itself is not
    reachable in headless Chromium)."""
    page.locator(selector).focus()
    page.evaluate("""([selector, text]) => {
        const data = new DataTransfer();
        data.setData("text/plain", text);
        document.querySelector(selector).dispatchEvent(
            new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""", [selector, text])


def _login(page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/login/?next={next_path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(pages_data.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_path}")


def _logout(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="退出登录").click()


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.slow
def test_a_round_from_pasted_scores_to_the_published_shortlist(live_server, browser_context):
    people = pages_data.users()
    award_round = pages_data.round_build(expert_user=people["expert"])
    base, slug = live_server.url, award_round.slug
    page = browser_context.new_page()

    # The panel admin opens the grid and pastes the block into its first cell.
    _login(page, base, "panel", f"/awards/{slug}/grid/")
    wang = award_round.experts.get(name="王教授")
    first = award_round.candidates.get(rank=1)
    nanjing = award_round.candidates.get(name="南京")
    first_cell = f'input[name="score-{wang.pk}-{first.pk}"]'
    # Excel quotes a cell holding a tab, a line break or a quote; the grid reads it back.
    assert page.evaluate("""window.awardGrid.parseBlock('1\\t"a\\tb"\\r\\n"x""y"\\t\\r\\n')""") == [
        ["1", "a\tb"], ['x"y', ""]]
    # A value pasted onto a recused cell (长沙 × 李研究员, both of 湖南) refuses the whole paste, naming the
    # cell above the grid: nothing is pasted, not even the good value beside it (issue 18).
    _paste(page, first_cell, "24\t99\r\n")
    recused = page.locator("td[data-recused].invalid")
    assert recused.count() == 1 and "“99”" in recused.inner_text()
    assert page.locator(first_cell).input_value() == ""
    refused = page.locator("#paste-refused")
    assert refused.is_visible() and "长沙 × 李研究员: “99”" in refused.inner_text()
    assert "未粘贴任何内容" in refused.inner_text()
    assert page.locator("#grid-errors").is_hidden()
    # A recused cell left empty or marked 回避 in the sheet agrees with the grid: the paste goes through.
    _paste(page, first_cell, "24\t回避\r\n")
    assert page.locator(first_cell).input_value() == "24" and refused.is_hidden()
    _paste(page, first_cell, _block(award_round))
    assert page.locator("td[data-recused].invalid").count() == 0
    assert "20 × 7" in page.locator("#grid-status").inner_text()
    assert page.locator(f'input[name="score-{award_round.experts.get(name="赵记者").pk}-{first.pk}"]').input_value() == "24"
    # The bad value is marked in its cell and listed above the grid; recused cells stay 回避.
    bad_cell = page.locator(f'input[name="score-{wang.pk}-{nanjing.pk}"]')
    assert bad_cell.get_attribute("aria-invalid") == "true"
    assert page.locator("td.invalid .cell-error").inner_text() == f"“{BAD}”不是数字。"
    assert page.locator("td[data-recused]").count() == 10
    assert page.locator("td[data-recused]").first.inner_text().startswith("回避")
    # Saving is refused while a cell is wrong: the page stays, the error list shows.
    page.click("#grid-save")
    assert page.locator("#grid-errors").is_visible()
    assert "南京 × 王教授" in page.locator("#grid-errors").inner_text()
    assert not ExpertScore.objects.exists()

    # Keyboard: from the first cell, Down twice and Enter once reach the fourth row (南京), fixed there.
    page.locator(first_cell).focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == f"score-{wang.pk}-{nanjing.pk}"
    page.keyboard.type("36")  # the whole cell was selected: typing replaces it
    assert bad_cell.input_value() == "36" and bad_cell.get_attribute("aria-invalid") is None
    assert page.locator("td.invalid").count() == 0

    # A netizen source column, its votes pasted as one column.
    page.fill("#new-source-name", "微博投票")
    page.click("#add-source")
    _paste(page, f'input[name="tally-new1-{first.pk}"]', "\r\n".join(["100"] * 20) + "\r\n")
    page.screenshot(path=SCREENSHOTS["grid"], full_page=True)
    with page.expect_navigation():
        page.click("#grid-save")
    assert page.locator(".messages .success").is_visible()
    assert ExpertScore.objects.count() == 20 * 7 - 10
    assert ExpertScore.objects.get(expert=wang, candidate=nanjing).score == 36
    assert NetizenTally.objects.filter(source="微博投票", votes=100).count() == 20

    # The grid on a phone: it scrolls inside its box, the page does not scroll sideways.
    page.set_viewport_size(PHONE)
    page.reload()
    _fits(page, PHONE["width"])
    box = page.locator("#grid-scroll").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path=SCREENSHOTS["grid_phone"])
    page.set_viewport_size(DESKTOP)

    # Voting opens.
    page.goto(f"{base}/awards/{slug}/")
    with page.expect_navigation():
        page.click("#status-open button")
    assert page.locator("#round-status").get_attribute("class").endswith("status-voting")
    _logout(page)

    # The expert scores on a phone.
    page.set_viewport_size(PHONE)
    _login(page, base, "expert", f"/awards/{slug}/my-scores/")
    _fits(page, PHONE["width"])
    assert page.locator('li[data-candidate]').count() == 20
    assert page.locator("#panel-scores").count() == 0  # sealed until they submit
    for candidate in award_round.candidates.all():
        page.fill(f"#score-{candidate.pk}", str(pages_data.expert_score(candidate.rank)))
    page.fill(f"#comment-{award_round.candidates.get(name='南通').pk}", "回复及时，服务到位。")
    page.screenshot(path=SCREENSHOTS["expert"], full_page=True)
    with page.expect_navigation():
        page.click("#submit-scores")
    assert page.locator("#submitted-badge").is_visible()
    assert page.locator("#panel-scores").is_visible()
    _fits(page, PHONE["width"])
    assert ExpertScore.objects.filter(expert__user=people["expert"]).count() == 20
    _logout(page)

    # The admin closes and publishes.
    page.set_viewport_size(DESKTOP)
    _login(page, base, "panel", f"/awards/{slug}/")
    for action in ("close", "publish"):  # each asks for a confirmation first (a box to tick, no JavaScript)
        with page.expect_navigation():
            page.click(f"#status-{action}-button")
        assert page.locator("#status-confirm").get_attribute("data-action") == action
        page.check("#id_confirm")
        with page.expect_navigation():
            page.click("#status-confirm-button")
    assert page.locator("#fingerprint").is_visible()
    _logout(page)

    # Anyone reads the shortlist: the reverse of the ranking (see pages_data.expert_score).
    page.goto(f"{base}/awards/{slug}/")
    names = page.locator("#shortlist-table tbody tr.shortlisted th").all_inner_texts()
    assert [name.split()[0] for name in names] == pages_data.expected_order()[:10]
    page.locator("#components-chart .main-svg").first.wait_for()  # plotly.js (served locally) drew the chart
    assert page.locator("#matrix-table").is_visible()
    page.screenshot(path=SCREENSHOTS["round"], full_page=True)
    page.set_viewport_size(PHONE)  # the public page on a phone: tables scroll in their boxes
    page.reload()
    _fits(page, PHONE["width"])
    award_round.refresh_from_db()
    assert award_round.status == AwardRound.Status.PUBLISHED
