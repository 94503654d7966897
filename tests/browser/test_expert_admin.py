"""A panel admin manages a voting round's experts in a real browser, on a phone (390 px) and a desktop
(1366 px): adds one, edits one (a reason is asked), removes one whose scores go with them after a
confirmation naming their number, and reopens a submitted expert (issue 18, item 2)."""
from __future__ import annotations

import pytest

from awards import services
from awards.models import EntryPath, Expert, ExpertScore
from tests.awards import pages_data
from tests.browser.test_award_flow import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}])
@pytest.mark.slow
def test_a_panel_admin_adds_edits_removes_and_reopens_experts(live_server, browser_context, viewport):
    people = pages_data.users()
    award_round = pages_data.round_build(expert_user=people["expert"])
    pages_data.grid_scores_enter(award_round, experts=pages_data.GRID_EXPERTS)
    services.round_open_voting(user=None, award_round=award_round, via=EntryPath.COMMAND)
    zhou = award_round.experts.get(name="周老师")
    services.expert_scores_save(user=None, expert=zhou, scores=[
        services.ScoreCell(candidate.pk, zhou.pk, "80") for candidate in award_round.candidates.all()])
    services.expert_submit(user=None, expert=zhou)
    page = browser_context.new_page()
    page.set_viewport_size(viewport)
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    _login(page, live_server.url, "panel", f"/awards/{award_round.slug}/")

    # Add.
    page.click("#expert-add-link")
    page.fill("#id_name", "孙教授")
    page.select_option("#id_province", "江苏")  # a list of the 34 provinces
    page.fill("#id_affiliation", "南京大学")
    with page.expect_navigation():
        page.click("#expert-save")
    assert page.locator('#expert-table tr[data-expert="孙教授"]').is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # Edit: the reason is asked, then saved.
    wang = award_round.experts.get(name="王教授")
    page.click(f"#expert-edit-{wang.pk}")
    page.fill("#id_affiliation", "北京大学")
    page.fill("#id_reason", "单位更正")
    with page.expect_navigation():
        page.click("#expert-save")
    assert Expert.objects.get(pk=wang.pk).affiliation == "北京大学"

    # Remove an expert with scores: the confirmation names them.
    li = award_round.experts.get(name="李研究员")
    page.click(f"#expert-remove-{li.pk}")
    assert "15" in page.locator("#scores-to-delete").inner_text()
    assert "15" in page.locator("#expert-remove-confirm").inner_text()
    page.fill("#id_reason", "退出评审")
    with page.expect_navigation():
        page.click("#expert-remove-confirm")
    assert not Expert.objects.filter(pk=li.pk).exists() and not ExpertScore.objects.filter(expert_id=li.pk).exists()

    # Reopen the submitted expert.
    page.click(f"#expert-reopen-{zhou.pk}")
    page.fill("#id_reason", "评分有误")
    with page.expect_navigation():
        page.click("#expert-reopen-confirm")
    assert Expert.objects.get(pk=zhou.pk).submitted_at is None
    assert page.locator(f"#expert-reopen-{zhou.pk}").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=f"/tmp/award_experts_{viewport['width']}.png", full_page=True)
    assert console == []
