"""The demo round (demo/award.py, published by `make run`) as a newcomer meets it on /awards/."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from demo.award import DEMO_ROUND_NAME, DEMO_ROUND_SLUG, demo_round_publish
from tests.awards import pages_data
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


def test_the_demo_round_is_listed_and_its_page_shows_a_shortlist_of_ten_with_three_sources():
    award_round = demo_round_publish(run=pages_data.published_run())
    client = Client()
    listing = client.get("/awards/").content.decode()
    assert f'data-round="{DEMO_ROUND_SLUG}"' in listing and DEMO_ROUND_NAME in listing
    body = client.get(f"/awards/{award_round.slug}/").content.decode()
    shortlist = re.search(r'<table[^>]*id="shortlist-table".*?</table>', body, re.S).group(0)
    assert shortlist.count('class="shortlisted"') == 10
    matrix = re.search(r'<table[^>]*id="matrix-table".*?</table>', body, re.S).group(0)
    assert "专家 G" in matrix and "微博投票" in matrix and "人民网投票" in matrix
    assert "陈立群" not in body  # the demo round does not disclose its experts
