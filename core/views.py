"""View plumbing every app may use (core imports no app)."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

View = Callable[..., HttpResponse]


def post_else_redirect(page: Callable[..., str]) -> Callable[[View], View]:
    """POST runs the view; GET or HEAD (a followed link, a bookmark, a reload after a refused form) is
    sent to `page(**url_kwargs)`, the page holding the form, instead of a blank 405."""
    def decorator(view: View) -> View:
        @wraps(view)
        @require_http_methods(["GET", "HEAD", "POST"])
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            return view(request, *args, **kwargs) if request.method == "POST" else redirect(page(**kwargs))
        return wrapper
    return decorator
