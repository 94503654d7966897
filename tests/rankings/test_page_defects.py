"""Defects a new user met on the analyst pages (issue 18, item 5): China time everywhere, no link to
/cities/0/, place names in English, the compare picker, the rank-history chart, the menu button."""
from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest
from django.conf import settings

from accounts.models import SnapshotImport
from tests.rankings.factories import ScoringSchemeFactory, ranking_build, scheme_make_default

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    scheme = scheme_make_default(ScoringSchemeFactory(slug="demo", name="演示方案"))
    return ranking_build(scheme=scheme, published=True)


def _english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_times_show_in_china_time_on_pages_and_in_record_names(client, run):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    late = datetime(2012, 12, 31, 20, 5, tzinfo=UTC)  # 2013-01-01 04:05 in Beijing
    type(run).objects.filter(pk=run.pk).update(created_at=late, published_at=late)
    page = client.get(f"/rankings/{run.pk}/").content.decode()
    assert "2013-01-01 04:05" in page and "2012-12-31 20:05" not in page
    record = SnapshotImport.objects.create(source=SnapshotImport.Source.COMMAND, file_name="a.csv", row_count=1)
    SnapshotImport.objects.filter(pk=record.pk).update(created_at=late)
    assert str(SnapshotImport.objects.get(pk=record.pk)) == "a.csv (2013-01-01 04:05)"


def test_no_page_links_to_the_city_zero(client, run):
    for path in ("/", f"/rankings/{run.pk}/"):
        html = client.get(path).content.decode()
        assert "/cities/0/" not in html, path
    # The what-if row template carries the link with a placeholder the script fills in.
    assert 'data-href="/cities/{id}/?scheme=demo' in client.get("/").content.decode()


def test_the_compare_page_has_a_picker_that_searches_and_submits_without_javascript(client, run):
    from accounts.models import City
    ids = {name: City.objects.get(name=name).pk for name in ("长沙", "武汉", "株洲")}
    page = client.get("/cities/compare/")
    html = page.content.decode()
    assert 'id="compare-picker"' in html and 'name="q"' in html and "要对比的城市" in html
    # Every ranked city, sorted by pinyin: Changsha, Wuhan, Zhuzhou.
    assert [item["name"] for item in page.context["picker"]] == ["长沙", "武汉", "株洲"]
    # Search (in Chinese, English or pinyin) narrows the list; the ticked cities stay.
    found = client.get("/cities/compare/", {"q": "zhu", "city": [ids["长沙"]]}).context["picker"]
    assert [(item["name"], item["checked"]) for item in found] == [("长沙", True), ("株洲", False)]
    # The boxes submit as ?city=…&city=…, as ?cities= does.
    compared = client.get("/cities/compare/", {"city": [ids["长沙"], ids["株洲"]]})
    assert [item["name"] for item in compared.context["cities"]] == ["长沙", "株洲"]
    assert client.get("/cities/compare/", {"q": "火星"}).context["picker"] == []
    _english(client)
    english = client.get("/cities/compare/", {"q": "wuhan"})
    assert [item["name"] for item in english.context["picker"]] == ["Wuhan"]
    assert "Cities to compare" in english.content.decode()


def test_the_account_rank_history_charts_one_kind_of_period_on_whole_rank_ticks(client, run):
    from datetime import date

    from accounts.models import GovAccount
    from rankings.presentation.figures import rank_ticks
    from tests.rankings.factories import AccountScoreFactory, ScoreRunFactory

    account = GovAccount.objects.get(screen_name="武汉公安空壳")
    february = ScoreRunFactory(scheme=run.scheme, period_start=date(2012, 2, 1), period_end=date(2012, 2, 29),
                               published=True)
    AccountScoreFactory(run=february, account=account, category=account.category, rank_in_category=3)
    quarter = ScoreRunFactory(scheme=run.scheme, period_start=date(2012, 1, 1), period_end=date(2012, 3, 31),
                              published=True)
    AccountScoreFactory(run=quarter, account=account, category=account.category, rank_in_category=1)
    response = client.get(f"/accounts/{account.pk}/", {"scheme": "demo", "period": "2012-03"})
    html = response.content.decode()
    # The chart holds the months only; the table lists the quarter too, under its kind, after the months.
    assert [(item["period"], item["kind"]) for item in response.context["rank_history"]] == [
        ("2012-02", "月度"), ("2012-03", "月度"), ("2012-Q1", "季度")]
    chart = html[html.index('id="history-chart"'):]
    assert '"2012-02"' in chart and '"2012-Q1"' not in chart.split("</script>")[0]
    assert '"tickformat":"d"' in chart.replace(" ", "")
    # Whole ranks only, about five ticks: 1…3 steps by 1, 1…900 by 180.
    assert rank_ticks(pd.Series([1.0, 3.0])) == {"tickmode": "linear", "tick0": 1, "dtick": 1, "tickformat": "d"}
    assert rank_ticks(pd.Series([1, 901]))["dtick"] == 180


def test_the_city_page_names_the_rule_and_says_when_no_indicator_is_a_weakness(client, run):
    from accounts.models import City
    changsha = City.objects.get(name="长沙")  # first on every indicator: no weakness
    html = client.get(f"/cities/{changsha.pk}/").content.decode()
    weaknesses = html[html.index('id="weakness-list"'):].split("</ul>")[0]
    assert "没有指标位于全部城市的后三分之一。" in weaknesses
    assert "第 100 百分位" in html and "后三分之一" in html
    _english(client)
    html = client.get(f"/cities/{changsha.pk}/").content.decode()
    assert "percentile 100" in html and "100th" not in html
