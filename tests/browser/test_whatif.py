"""The what-if explorer in a real browser: the ranks and scores its JavaScript computes equal those of a
real score run with the chosen weights; moving a slider changes ranks and the URL, and the URL brings
the same weights back."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from rankings import services
from rankings.models import CityScore
from rankings.presentation.whatif import weights_from_shares
from tests.browser.conftest import browser_context_open
from tests.rankings.test_whatif import run_of, scheme_variant, whatif_accounts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHARES = {"police": 40, "traffic": 5, "press": 30, "youth": 0, "tourism": 25}


@pytest.fixture
def runs():
    # Transactional tests flush what the migrations loaded: load the built-in schemes again.
    for path in sorted((Path(settings.BASE_DIR) / "rankings" / "builtin_schemes").glob("*.yaml")):
        services.scheme_load_file(path=path, make_default=path.stem == "shifan-2012")
    whatif_accounts(cities=12)
    base = scheme_variant("base", "shifan-2012")
    base.is_default = True
    type(base).objects.exclude(pk=base.pk).update(is_default=False)
    base.save()
    published = run_of(base, publish=True)
    other = run_of(scheme_variant("other", "shifan-2012", category_weights=weights_from_shares(SHARES)))
    return published, other


def _whatif_rows(page) -> dict[int, tuple[float, int]]:
    rows = page.locator("#whatif-table tbody tr").evaluate_all(
        "rows => rows.map(r => [Number(r.dataset.cityId), Number(r.dataset.score), Number(r.dataset.rank)])")
    return {city: (score, rank) for city, score, rank in rows}


def _assert_rows_are_the_runs(page, run) -> dict[int, tuple[float, int]]:
    """The explorer's rows are the city scores and ranks `run` published (to 1e-9); returns them."""
    expected = {city: (score, rank) for city, score, rank in
                CityScore.objects.filter(run=run).values_list("city_id", "score", "rank")}
    computed = _whatif_rows(page)
    assert set(computed) == set(expected)
    for city, (score, rank) in expected.items():
        assert computed[city][0] == pytest.approx(score, abs=1e-9)
        assert computed[city][1] == rank
    return expected


@pytest.mark.slow
def test_the_explorer_recomputes_what_a_run_with_those_weights_publishes(live_server, browser_context, runs):
    published, other = runs
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    weights = ",".join(f"{key}:{value}" for key, value in SHARES.items())

    page.goto(f"{live_server.url}/?w={weights}")
    page.locator("#whatif[data-ready=true]").wait_for(state="attached")
    assert page.locator("#whatif").get_attribute("open") is not None  # opened by the URL's weights
    assert page.input_value("#whatif-police") == "40"

    expected = _assert_rows_are_the_runs(page, other)
    assert expected != {city: (score, rank) for city, score, rank in
                        CityScore.objects.filter(run=published).values_list("city_id", "score", "rank")}

    # Back to the published weights: the explorer's ranks are the published ranks, every shift ＝.
    page.click("#whatif-reset")
    assert "w=" not in page.url
    assert set(page.locator("#whatif-table .w-shift").all_inner_texts()) == {"＝"}

    # A slider moves ranks and the URL; the URL, reloaded, brings the same weights and ranks back.
    page.locator("#whatif-youth").fill("100")
    assert "youth%3A100" in page.url or "youth:100" in page.url
    moved = _whatif_rows(page)
    assert any(text != "＝" for text in page.locator("#whatif-table .w-shift").all_inner_texts())
    page.goto(page.url)
    page.locator("#whatif[data-ready=true]").wait_for(state="attached")
    assert page.input_value("#whatif-youth") == "100"
    assert _whatif_rows(page) == moved
    assert errors == []


BCI_SHARES = {"activity": 90, "spread": 80}  # published: 20 and 80


@pytest.fixture
def bci_runs():
    """A published run of bci-v2 (top3_mean: the server recomputes it), and a real run of the same
    scheme with the explorer's weights as manual weights."""
    for path in sorted((Path(settings.BASE_DIR) / "rankings" / "builtin_schemes").glob("*.yaml")):
        services.scheme_load_file(path=path, make_default=path.stem == "shifan-2012")
    whatif_accounts(cities=12, seed=11)
    base = scheme_variant("bci", "bci-v2")
    base.is_default = True
    type(base).objects.exclude(pk=base.pk).update(is_default=False)
    base.save()
    published = run_of(base, publish=True)
    weights = weights_from_shares(BCI_SHARES)
    document = dict(published.document)
    indicators = [{**indicator, "weight": weights[indicator["key"]]} for indicator in document["indicators"]]
    other = run_of(scheme_variant("bci-other", "bci-v2", indicators=indicators))
    return published, other


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}],
                         ids=["1366px", "390px"])
@pytest.mark.slow
def test_on_a_bci_scheme_the_server_recomputes_as_the_sliders_move(live_server, browser_context, bci_runs,
                                                                    viewport):
    published, other = bci_runs
    page = browser_context.new_page()
    page.set_viewport_size(viewport)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/whatif/" in request.url else None)

    page.goto(f"{live_server.url}/")
    page.locator("#whatif[data-ready=true]").wait_for(state="attached")
    page.click("#whatif summary")
    assert "服务器" in page.inner_text("#whatif-label")  # labelled: an exploration, computed on the server
    assert page.locator("#whatif-submit").is_hidden()  # the form's button is for pages without JavaScript
    # The published weights: the published ranking, every shift ＝, and nothing asked of the server.
    assert set(page.locator("#whatif-table .w-shift").all_inner_texts()) == {"＝"}
    assert asked == []

    # A slider moves: the server is asked (once the slider rests), ranks shift, the URL follows.
    page.locator("#whatif-activity").fill("90")
    page.locator("#whatif[data-ready=true]").wait_for(state="attached")
    assert asked and all(f"/rankings/{published.pk}/whatif/" in url for url in asked)
    assert "activity%3A90" in page.url or "activity:90" in page.url
    assert any(text != "＝" for text in page.locator("#whatif-table .w-shift").all_inner_texts())
    _assert_rows_are_the_runs(page, other)
    computed = _whatif_rows(page)

    # The URL, reloaded: the same weights and ranks (rendered by the server into the page).
    page.goto(page.url)
    page.locator("#whatif[data-ready=true]").wait_for(state="attached")
    assert page.locator("#whatif").get_attribute("open") is not None
    assert page.input_value("#whatif-activity") == "90"
    assert _whatif_rows(page) == computed

    # Back to the published weights.
    page.click("#whatif-reset")
    page.locator("#whatif[data-ready=true]").wait_for(state="attached")
    assert "w=" not in page.url
    assert set(page.locator("#whatif-table .w-shift").all_inner_texts()) == {"＝"}
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert errors == []


@pytest.fixture
def no_script_context(tmp_path, monkeypatch):
    """The browser of tests/browser/conftest.py at phone width with JavaScript turned off."""
    yield from browser_context_open(tmp_path, monkeypatch, viewport={"width": 390, "height": 844},
                                    java_script_enabled=False)


def test_without_javascript_the_form_asks_the_server_for_the_ranking(live_server, no_script_context, bci_runs):
    published, other = bci_runs
    page = no_script_context.new_page()
    page.goto(f"{live_server.url}/")
    page.click("#whatif summary")
    assert page.locator("#whatif-submit").is_visible()
    page.locator("#whatif-activity").fill("90")
    page.click("#whatif-submit")
    page.wait_for_url("**w.activity=90**")
    assert page.input_value("#whatif-activity") == "90"
    _assert_rows_are_the_runs(page, other)
    assert any(text != "＝" for text in page.locator("#whatif-table .w-shift").all_inner_texts())
