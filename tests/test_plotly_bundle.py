"""The plotly.js the pages load: the vendored cartesian bundle (static/vendor/plotly/), named in one template
(templates/_plotly.html). It must be the plotly.js version the Python plotly builds figures for, and it must
register every trace type a page's figure uses (a missing one draws nothing, with only a console error)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import plotly.offline
import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from accounts.models import City, GovAccount
from tests.awards import pages_data
from tests.rankings.factories import ranking_build

ROOT = Path(__file__).resolve().parent.parent
BUNDLE_PATH = "vendor/plotly/plotly-cartesian.min.js"
NEW_PLOT = re.compile(r'Plotly\.newPlot\(\s*"[^"]*",\s*')


def _bundle() -> str:
    return (ROOT / "static" / BUNDLE_PATH).read_text(encoding="utf-8")


def _bundle_trace_types() -> set[str]:
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', _bundle()))


def _trace_types(html: str) -> set[str]:
    """The `type` of every trace the page hands to Plotly.newPlot (its second argument, a JSON array)."""
    types = set()
    for call in NEW_PLOT.finditer(html):
        traces, _end = json.JSONDecoder().raw_decode(html, call.end())
        types |= {trace.get("type", "scatter") for trace in traces}  # plotly's default type is scatter
    return types


def test_the_bundle_is_the_plotly_js_version_the_python_plotly_draws_for():
    assert f"plotly.js (cartesian - minified) v{plotly.offline.get_plotlyjs_version()}\n" in _bundle()[:200]
    assert (ROOT / "static/vendor/plotly/LICENSE").read_text().startswith("MIT License")


def test_only_the_bundle_is_served_and_only_one_template_names_it():
    assert finders.find(BUNDLE_PATH)
    assert finders.find("vendor/plotly/plotly.min.js") is None  # the package's 4.7 MB full bundle is gone
    naming = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.html")
                    if "plotly" in path.read_text(encoding="utf-8").replace("_plotly.html", ""))
    assert naming == ["templates/_plotly.html"]


@pytest.mark.django_db
def test_every_chart_of_the_ranking_pages_uses_a_trace_type_the_bundle_draws(client):
    run = ranking_build(published=True)
    changsha, wuhan = City.objects.get(name="长沙"), City.objects.get(name="武汉")
    account = GovAccount.objects.filter(city=changsha).first()
    used = set()
    for path in ("/", f"/rankings/{run.pk}/", f"/cities/{changsha.pk}/",
                 f"/cities/compare/?cities={changsha.pk},{wuhan.pk}", f"/accounts/{account.pk}/"):
        html = client.get(path).content.decode()
        assert BUNDLE_PATH in html or "Plotly.newPlot" not in html, path
        used |= _trace_types(html)
    assert {"bar", "scatter", "histogram"} <= used  # the pages drew their charts
    assert used <= _bundle_trace_types()


@pytest.mark.django_db
def test_the_award_round_chart_uses_a_trace_type_the_bundle_draws():
    award_round = pages_data.round_published()
    html = Client().get(f"/awards/{award_round.slug}/").content.decode()
    used = _trace_types(html)
    assert used and used <= _bundle_trace_types()
