from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control

from govweibo.health import healthz
from govweibo.logout import LogoutView


@cache_control(max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico on their own (the admin and API pages name no icon):
    send them to the static icon, under its hashed name in production."""
    return redirect(static("favicon.ico"))

urlpatterns = [
    path("", include("rankings.urls")),
    # The upload page (posts: it takes every kind of file) keeps its address under accounts/.
    path("accounts/", include("posts.urls")),
    path("accounts/", include("accounts.urls")),
    path("awards/", include("awards.urls")),
    path("api/", include("api.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
]

handler404 = "api.errors.page_not_found"  # JSON under /api/, the 404 page elsewhere
