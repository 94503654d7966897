"""/api/v1/: schemes, runs, rankings, award rounds, and the OpenAPI schema with its Swagger UI."""
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from api.v1 import awards as award_api
from api.v1 import rankings as api

app_name = "api"

router = DefaultRouter()
router.register("schemes", api.SchemeViewSet, basename="scheme")
router.register("runs", api.RunViewSet, basename="run")
router.register("awards/rounds", award_api.AwardRoundViewSet, basename="award-round")

urlpatterns = [
    path("runs/<int:run_id>/cities/", api.RunCityList.as_view(), name="run-cities"),
    path("runs/<int:run_id>/accounts/", api.RunAccountList.as_view(), name="run-accounts"),
    path("ranking/", api.RankingView.as_view(), name="ranking"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
