from django.urls import include, path

from rankings.views import account, categories, city, compare, home, methodology, runs, whatif

ranking_patterns = [
    path("runs/", runs.run_list, name="run_list"),
    path("runs/start/", runs.run_start, name="run_start"),
    path("<int:run_id>/", runs.run_detail, name="run_detail"),
    path("<int:run_id>/publish/", runs.run_publish, name="run_publish"),
    path("<int:run_id>/whatif/", whatif.run_whatif, name="run_whatif"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("cities/<int:city_id>/", city.city_detail, name="city_detail"),
    path("cities/compare/", compare.city_compare, name="city_compare"),
    path("accounts/<int:account_id>/", account.account_detail, name="account_detail"),
    path("categories/<str:category>/", categories.category_detail, name="category_detail"),
    path("methodology/", methodology.methodology, name="methodology"),
    path("methodology/<slug:slug>/", methodology.methodology, name="methodology_scheme"),
    path("methodology/<slug:slug>/v<int:version>/", methodology.methodology, name="methodology_version"),
    path("rankings/", include((ranking_patterns, "rankings"))),
]
