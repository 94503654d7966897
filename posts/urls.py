"""Mounted at accounts/ (govweibo/urls.py), before accounts' own URLs: the upload page keeps its address,
/accounts/import/, now that it takes post files too."""
from django.urls import path

from posts import views

app_name = "posts"
urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/posts-template.csv", views.template, {"kind": "posts"}, name="posts_template"),
    path("import/replies-template.csv", views.template, {"kind": "replies"}, name="replies_template"),
]
