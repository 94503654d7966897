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

    expected = {city: (score, rank) for city, score, rank in
                CityScore.objects.filter(run=other).values_list("city_id", "score", "rank")}
    computed = _whatif_rows(page)
    assert set(computed) == set(expected)
    for city, (score, rank) in expected.items():
        assert computed[city][0] == pytest.approx(score, abs=1e-9)
        assert computed[city][1] == rank
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
