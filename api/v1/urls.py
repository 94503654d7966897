"""/api/v1/: records, schemes, runs, rankings, imports, tokens, award rounds, and the OpenAPI schema with
its Swagger UI. Each group of endpoints is one module of api/v1/ and registers its routes here."""
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from api.v1 import award_experts, breakdowns, imports, ranking, records, results, runs, schemes, tokens
from api.v1 import awards as award_api

app_name = "api"

router = DefaultRouter()
router.register("cities", records.CityViewSet, basename="city")
router.register("accounts", records.AccountViewSet, basename="account")
router.register("snapshots", records.SnapshotViewSet, basename="snapshot")
router.register("schemes", schemes.SchemeViewSet, basename="scheme")
router.register("runs", runs.RunViewSet, basename="run")
router.register("imports", imports.ImportJobViewSet, basename="import")
router.register("tokens", tokens.TokenViewSet, basename="token")
router.register("awards/rounds", award_api.AwardRoundViewSet, basename="award-round")

urlpatterns = [
    path("runs/<int:run_id>/cities/", results.RunCityList.as_view(), name="run-cities"),
    path("runs/<int:run_id>/accounts/", results.RunAccountList.as_view(), name="run-accounts"),
    path("runs/<int:run_id>/cities/<int:city_id>/", breakdowns.RunCityBreakdown.as_view(), name="run-city"),
    path("runs/<int:run_id>/leaderboards/<str:category>/", breakdowns.RunLeaderboard.as_view(),
         name="run-leaderboard"),
    path("ranking/", ranking.RankingView.as_view(), name="ranking"),
    path("ranking/cities/<int:city_id>/", breakdowns.RankingCityBreakdown.as_view(), name="ranking-city"),
    path("accounts/<int:account_id>/history/", breakdowns.AccountHistory.as_view(), name="account-history"),
    path("awards/rounds/<slug:slug>/experts/",
         award_experts.AwardExpertViewSet.as_view({"get": "list", "post": "create"}), name="award-round-experts"),
    path("awards/rounds/<slug:slug>/experts/<int:expert_id>/",
         award_experts.AwardExpertViewSet.as_view({"get": "retrieve", "patch": "partial_update",
                                                   "delete": "destroy"}), name="award-round-expert"),
    path("awards/rounds/<slug:slug>/experts/<int:expert_id>/reopen/",
         award_experts.AwardExpertViewSet.as_view({"post": "reopen"}), name="award-round-expert-reopen"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
