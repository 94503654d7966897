"""API tokens for scripts: a token acts as its owner, with its owner's permissions and nothing more.

Only a SHA-256 hash of each token is stored (the token itself is shown once, when it is created), so a
copy of the database does not hand out working tokens. A plain hash is enough here, unlike passwords:
the token is 256 random bits, nothing a dictionary or brute force can guess. `prefix` (its first
characters) lets owners and admins tell their tokens apart in lists without revealing them.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=64, help_text=_("What the token is for, e.g. “nightly export”."))
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True, editable=False,
                              help_text=_("The token's first characters, to recognise it."))
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
