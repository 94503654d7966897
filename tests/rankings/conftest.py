"""Fixtures shared by the rankings tests."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User


@pytest.fixture
def runner() -> User:
    """A user with the permission “Can start score runs” (and nothing else)."""
    user = User.objects.create_user("runner", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="run_scores"))
    return user
