from django.urls import include, path

from rankings import views

ranking_patterns = [
    path("runs/", views.run_list, name="run_list"),
    path("runs/start/", views.run_start, name="run_start"),
    path("<int:run_id>/", views.run_detail, name="run_detail"),
    path("<int:run_id>/publish/", views.run_publish, name="run_publish"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("rankings/", include((ranking_patterns, "rankings"))),
]
