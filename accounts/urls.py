from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("import/", views.snapshot_upload, name="snapshot_upload"),
    path("import/template.csv", views.snapshot_template, name="snapshot_template"),
]
