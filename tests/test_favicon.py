"""The site's icon: linked from every page, and /favicon.ico (which browsers and crawlers ask for on
their own, the admin and API pages included) answers instead of a 404."""
from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_ico_sends_browsers_to_the_static_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's header
    with open(finders.find("favicon.svg"), encoding="utf-8") as icon:
        assert icon.read().startswith("<svg")


def test_every_page_links_the_icon(client):
    for url in ("/", "/rankings/runs/", "/login/"):
        html = client.get(url).content.decode()
        assert '<link rel="icon" href="/static/favicon.ico" sizes="32x32">' in html, url
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html, url
