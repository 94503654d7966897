from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("import/jobs/<int:pk>/", views.import_job, name="import_job"),
    path("import/jobs/<int:pk>/status.json", views.import_job_status, name="import_job_status"),
    path("import/template.csv", views.snapshot_template, name="snapshot_template"),
]
