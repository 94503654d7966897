from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from govweibo.health import healthz

urlpatterns = [
    path("", include("rankings.urls")),
    path("accounts/", include("accounts.urls")),
    path("api/", include("api.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

handler404 = "api.errors.page_not_found"  # JSON under /api/, the 404 page elsewhere
