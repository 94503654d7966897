"""Roles for the API tests: anonymous, analyst (may run scores and import), staff (sees drafts, may do
neither), admin (superuser: every permission, token admin). Clients sign in with a session or a token."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from api.services import token_create


@pytest.fixture
def analyst() -> User:
    user = User.objects.create_user("analyst", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="run_scores"),
                              Permission.objects.get(codename="import_snapshots"))
    return user


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("staffer", password="pw", is_staff=True)


@pytest.fixture
def admin_user_() -> User:
    return User.objects.create_superuser("boss", password="pw")


def token_headers(user: User, name: str = "script") -> dict[str, str]:
    _token, key = token_create(user=user, name=name)
    return {"HTTP_AUTHORIZATION": f"Token {key}"}
