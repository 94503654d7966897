"""What every award page shares: finding a round the user may see, and the role checks."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from awards import selectors
from awards.models import AwardRound
from awards.permissions import user_can_manage_rounds

View = Callable[..., HttpResponse]


def round_or_404(request: HttpRequest, slug: str) -> AwardRound:
    """The round, if this user may see it. A draft is a 404 to others, not a 403: its slug stays secret."""
    try:
        return selectors.round_get_visible(user=request.user, slug=slug)
    except AwardRound.DoesNotExist:
        raise Http404(_("There is no award round “%(slug)s”.") % {"slug": slug[:50]}) from None


def manager_required(view: View) -> View:
    """Anonymous users go to the login page; signed-in users who are not panel admins get 403."""
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not user_can_manage_rounds(request.user):
            raise PermissionDenied(_("Only panel admins (评审管理员) may do this."))
        return view(request, *args, **kwargs)
    return login_required(wrapper)
