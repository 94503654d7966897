"""Who may import snapshot files: the one place the upload pages and the API ask."""
from __future__ import annotations

IMPORT_PERMISSION = "accounts.import_snapshots"


def can_import(user: object) -> bool:
    """Only users granted “Can import snapshot files” (superusers have every permission).

    Staff status alone is not enough: an import creates cities and accounts, re-files accounts and
    replaces snapshots, which a view-only staff member must not be able to do through this page.
    """
    return getattr(user, "is_active", False) and user.has_perm(IMPORT_PERMISSION)
