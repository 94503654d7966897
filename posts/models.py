"""The posts of the government accounts and the replies they owe: the records post-level indicators read.

Citizens are not recorded: a reply row keeps the question's text and time, never who asked it; at most a
salted hash of the asker's name (posts.importing.askers), to count distinct askers.
"""
from __future__ import annotations

from datetime import timedelta
from datetime import timezone as timezone_offset

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import GovAccount, SnapshotImport

# China time: a time without an offset in an import file is in it, and months (partitions, periods) are its
# months. The fixed offset UTC+8, which China has kept since 1991 (Asia/Shanghai's rules say the same).
CHINA = timezone_offset(timedelta(hours=8))

# A platform's post ids: Weibo's are 16 digits (its "mid"), or 9-character "bid" codes.
POST_ID_LENGTH = 64
# The longest text kept: a Weibo post holds at most a few thousand characters (a long post, 长微博).
TEXT_LIMIT = 100_000


class Post(models.Model):
    """One post of an account: when (posted_at, China time when the file gave none), what (text,
    original or repost, media) and what it received (reposts, comments and likes, as last imported).

    Keys. On PostgreSQL the table is partitioned by month of posted_at in China time (declarative range
    partitioning, one partition per month, created on demand by the import, plus a DEFAULT partition for
    rows outside them; see posts.importing.partitions). PostgreSQL requires every unique constraint of a
    partitioned table, the primary key included, to contain the partition key, so:
    - the primary key is (id, posted_at) in the database. Django knows `id` alone as the primary key:
      ids come from one sequence and never repeat, so it identifies a row as well;
    - a post's identity is (platform, post_id), which cannot be a unique constraint on its own; the
      constraint is (platform, post_id, posted_at) (post_unique_platform_id_time, the import's ON
      CONFLICT target). The import keeps (platform, post_id) unique: a post id it meets at another time
      within MOVE_WINDOW of the file's times (a crawler re-run dates its newest posts afresh, "3小时前"
      becomes another time) is the same post moved, and its old row is replaced;
    - the index (account_id, posted_at) serves every read by account and time (the selectors, the
      indicators); it leads with the account, as queries do, and prunes to the months asked for.
    SQLite (the embedded default) has one ordinary table with the same constraints, `id` its key.

    account has no database constraint (as the result tables of rankings): 6.5 million deferred
    foreign-key checks a month would cost half a minute at commit. The import writes only account ids
    it has just resolved, under the import lock; a statement trigger refuses a DELETE or TRUNCATE of
    accounts that would leave posts or replies pointing at nothing (migration 0001), and the ORM
    cascades deletions of accounts to their posts and replies first, as before.
    """

    class Media(models.TextChoices):
        TEXT = "text", _("Text only")
        IMAGE = "image", _("Images")
        VIDEO = "video", _("Video")
        ARTICLE = "article", _("Article")

    account = models.ForeignKey(GovAccount, verbose_name=_("account"), on_delete=models.CASCADE,
                                related_name="posts", db_index=False, db_constraint=False)
    platform = models.CharField(_("platform"), max_length=16, choices=GovAccount.Platform.choices,
                                default=GovAccount.Platform.SINA)
    post_id = models.CharField(_("post id"), max_length=POST_ID_LENGTH, help_text=_("The platform's id of the post."))
    posted_at = models.DateTimeField(_("posted at"))
    text = models.TextField(_("text"), blank=True)
    original = models.BooleanField(_("original"), default=True, help_text=_("False for a repost."))
    reposts = models.PositiveIntegerField(_("reposts"), default=0)
    comments = models.PositiveIntegerField(_("comments"), default=0)
    likes = models.PositiveIntegerField(_("likes"), default=0)
    media = models.CharField(_("media"), max_length=16, choices=Media.choices, blank=True,
                             help_text=_("Empty when the file did not say."))

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["platform", "post_id", "posted_at"], name="post_unique_platform_id_time"),
        ]
        indexes = [models.Index(fields=["account", "posted_at"], name="post_account_time_idx")]

    def __str__(self) -> str:
        return f"{self.platform}:{self.post_id}"


class Reply(models.Model):
    """One question put to an account (a citizen's comment or @mention: asked_at, question) and the
    account's answer (replied_at, reply), or none yet (replied_at empty, reply ""). post_id: the
    platform id of the post it was asked under, when known. asker_hash: a salted hash of the asker's
    name (posts.importing.askers), for counting distinct askers; names and user ids are never stored.

    A question is identified by (account, asked_at, question): question_key is the MD5 of the question's
    text (UTF-8), so the key stays small whatever the text's length; a re-import updates the answer.
    """

    account = models.ForeignKey(GovAccount, verbose_name=_("account"), on_delete=models.CASCADE,
                                related_name="replies", db_index=False, db_constraint=False)
    asked_at = models.DateTimeField(_("asked at"))
    question = models.TextField(_("question"))
    question_key = models.CharField(_("question key"), max_length=32, editable=False,
                                    help_text=_("MD5 of the question, for the unique key."))
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True, help_text=_("Empty: unanswered."))
    reply = models.TextField(_("reply"), blank=True)
    post_id = models.CharField(_("post id"), max_length=POST_ID_LENGTH, blank=True)
    asker_hash = models.CharField(_("asker (salted hash)"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [
            # Leads with the account: it also serves every read by account and time.
            models.UniqueConstraint(fields=["account", "asked_at", "question_key"], name="reply_unique_question"),
            models.CheckConstraint(condition=Q(replied_at__isnull=True) | Q(replied_at__gte=F("asked_at")),
                                   name="reply_after_question"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.asked_at:%Y-%m-%d %H:%M}"


class PostImport(models.Model):
    """The record of one successful import of post or reply files. A failed import writes nothing."""

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("source"), max_length=16, choices=SnapshotImport.Source.choices)
    file_name = models.CharField(_("file name"), max_length=255, help_text=_("The first file's, when there were several."))
    files = models.PositiveIntegerField(_("files"), default=1)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    cities_created = models.PositiveIntegerField(_("cities created"), default=0)
    accounts_created = models.PositiveIntegerField(_("accounts created"), default=0)
    posts_created = models.PositiveIntegerField(_("posts created"), default=0)
    posts_updated = models.PositiveIntegerField(_("posts updated"), default=0)
    replies_created = models.PositiveIntegerField(_("replies created"), default=0)
    replies_updated = models.PositiveIntegerField(_("replies updated"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("post import")
        verbose_name_plural = _("post imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({timezone.localtime(self.created_at):%Y-%m-%d %H:%M})"
