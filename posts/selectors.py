"""Reads of posts and replies: the indicators' input frames (one bulk read each, COPY on PostgreSQL) and the
upload page's recent imports."""
from __future__ import annotations

from django.db.models import QuerySet

from posts.models import PostImport


def post_imports_recent(*, limit: int) -> QuerySet[PostImport]:
    """The latest imports of posts and replies, newest first, with who ran them. One query."""
    return PostImport.objects.select_related("created_by").order_by("-created_at", "-id")[:limit]
