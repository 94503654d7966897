"""The award's method is documented where analysts look: the award list and the scheme method page."""
from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_the_award_list_shows_the_method_with_a_new_rounds_default_weights(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/awards/").content.decode()

    method = page[page.index('id="method-formulas"'):]
    assert "Final score = 0.6 × R + 0.25 × E + 0.15 × N" in method
    assert "The shortlist is the first 10." in method and "at least 5 expert scores" in method


def test_the_award_list_explains_the_method_in_chinese_by_default(client):
    page = client.get("/awards/").content.decode()

    assert "总分 = 0.6 × R + 0.25 × E + 0.15 × N" in page


def test_the_scheme_method_page_links_to_the_awards_combination(client):
    page = client.get("/methodology/").content.decode()

    section = page[page.index('id="award-combination"'):]
    section = section[:section.index("</section>")]
    assert '<a href="/awards/#method">评奖计算方法</a>' in section
