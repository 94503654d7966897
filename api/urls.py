"""/api/: the versioned API under /api/v1/, and /api/… kept for one release as a redirect to it.

The unversioned paths answer 308 (method and body kept), so scripts written against /api/ keep working
while they move; docs/pages-and-api.md says when the alias goes.
"""
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import include, path, re_path


class _PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    status_code = 308


def unversioned(request: HttpRequest, rest: str) -> HttpResponsePermanentRedirect:
    query = request.META.get("QUERY_STRING", "")
    return _PermanentRedirectKeepingMethod(f"/api/v1/{rest}" + (f"?{query}" if query else ""))


urlpatterns = [
    path("v1/", include("api.v1.urls")),
    re_path(r"^(?P<rest>(?!v1/).*)$", unversioned, name="unversioned"),
]
