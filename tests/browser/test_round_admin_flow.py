"""A panel admin's round pages in a real browser, on a phone (390 px): from a published run's page to a new
round chosen by name, a netizen vote file checked, previewed and imported, and the voting closed after the
confirmation box is ticked. No JavaScript is needed by any of these pages; none writes to the console."""
from __future__ import annotations

import pytest

from awards import services
from awards.models import AwardRound, NetizenTally
from tests.awards import pages_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.slow
def test_a_round_is_created_from_a_run_page_fed_a_netizen_file_and_closed_on_a_phone(live_server, browser_context,
                                                                                     tmp_path, settings):
    settings.GOVWEIBO_IMPORT_DIR = tmp_path / "imports"
    pages_data.users()  # the panel admin logs in
    run = pages_data.published_run()
    votes = tmp_path / "votes.csv"
    votes.write_text("城市,票数,来源\n长沙,1200,微博投票\n武汉,800,微博投票\n", encoding="utf-8")
    page = browser_context.new_page()
    page.set_viewport_size(PHONE)
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}/login/?next=/rankings/{run.pk}/")
    page.get_by_label("用户名").fill("panel")
    page.get_by_label("密码").fill(pages_data.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**/rankings/{run.pk}/")
    with page.expect_navigation():
        page.click("#create-round-link")
    assert page.locator("#id_run").input_value() == str(run.pk)
    page.fill("#id_slug", "phone-round")
    page.fill("#id_name", "手机上建的评选")
    page.check("input[name=selection][value=list]")
    page.fill("#id_candidate_list", "武汉、长沙")
    page.fill("#id_shortlist_size", "1")
    page.fill("#id_quorum", "1")
    _fits(page)
    with page.expect_navigation():
        page.click("#round-create-button")
    assert page.url.endswith("/awards/phone-round/")
    award_round = AwardRound.objects.get(slug="phone-round")
    assert list(award_round.candidates.values_list("name", flat=True)) == ["长沙", "武汉"]

    page.set_input_files("#netizen_file", str(votes))
    with page.expect_navigation():
        page.click("#netizen-preview-button")
    assert page.locator("#netizen-preview-table tbody tr").count() == 2
    assert not NetizenTally.objects.exists()
    _fits(page)
    with page.expect_navigation():
        page.click("#netizen-import-button")
    assert NetizenTally.objects.filter(round=award_round).count() == 2
    assert page.locator("#round-status").get_attribute("class").endswith("status-voting")

    # One expert scores both candidates (through the service), so the round may close.
    expert = services.expert_create(user=None, award_round=award_round, name="王教授", province="北京", via="command")
    award_round.refresh_from_db()
    services.cells_save(user=None, award_round=award_round, expected_version=award_round.version, via="command",
                        scores=[services.ScoreCell(candidate_id=candidate.pk, expert_id=expert.pk, score="80")
                                for candidate in award_round.candidates.all()], tallies=[])
    page.reload()
    with page.expect_navigation():
        page.click("#status-close-button")
    _fits(page)
    page.check("#id_confirm")
    with page.expect_navigation():
        page.click("#status-confirm-button")
    award_round.refresh_from_db()
    assert award_round.status == AwardRound.Status.CLOSED
    assert console == []
