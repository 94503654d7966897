"""bench/api.py's URLs: the whole site, plus /bench/trivial/, a DRF view that reads nothing (the baseline:
the same middleware, authentication, throttling and JSON rendering as every API view, no query)."""
from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class Trivial(APIView):
    def get(self, request: Request) -> Response:
        return Response({"ok": True})


urlpatterns = [
    path("bench/trivial/", Trivial.as_view()),
    path("", include("govweibo.urls")),
]
