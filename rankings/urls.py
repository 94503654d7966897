from django.urls import include, path

from rankings import pages, views, whatif_views

ranking_patterns = [
    path("runs/", views.run_list, name="run_list"),
    path("runs/start/", views.run_start, name="run_start"),
    path("<int:run_id>/", views.run_detail, name="run_detail"),
    path("<int:run_id>/publish/", views.run_publish, name="run_publish"),
    path("<int:run_id>/whatif/", whatif_views.run_whatif, name="run_whatif"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("cities/<int:city_id>/", pages.city_detail, name="city_detail"),
    path("cities/compare/", pages.city_compare, name="city_compare"),
    path("accounts/<int:account_id>/", pages.account_detail, name="account_detail"),
    path("categories/<str:category>/", pages.category_detail, name="category_detail"),
    path("methodology/", pages.methodology, name="methodology"),
    path("methodology/<slug:slug>/", pages.methodology, name="methodology_scheme"),
    path("methodology/<slug:slug>/v<int:version>/", pages.methodology, name="methodology_version"),
    path("rankings/", include((ranking_patterns, "rankings"))),
]
