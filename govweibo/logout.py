"""/logout/: POST logs out (Django's LogoutView); GET, from a bookmark or a typed address, asks first.

Django 5 answers a GET on its LogoutView with a blank 405, because logging out on GET lets any page log
a user out with an <img>. Asking with a one-button form keeps that protection and gives people a page.
"""
from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


class LogoutView(auth_views.LogoutView):
    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("home")
        return render(request, "registration/logout_confirm.html")
