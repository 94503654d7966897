from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import selectors


def home(request: HttpRequest) -> HttpResponse:
    """Until scoring lands, the home page summarises what has been imported."""
    return render(request, "rankings/home.html", {"overview": selectors.data_overview()})
