"""Cities, their government microblog accounts, and the accounts' metrics per period."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.periods import Period


class Province(models.Model):
    """One of China's 34 province-level divisions, seeded from core.provinces (the owner of spellings).

    Cities, candidates and experts point at it by its canonical short name (to_field="name", column
    "province"), so the column keeps holding 湖南 and bulk reads (values(), COPY) read it as text. No
    Meta.ordering on purpose: ordering a related model by "province" then sorts by that column.
    """

    name = models.CharField(_("name"), max_length=32, unique=True)
    full_name = models.CharField(_("full name"), max_length=32)
    name_en = models.CharField(_("English name"), max_length=64)
    adcode = models.CharField(_("administrative code"), max_length=6, unique=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class City(models.Model):
    class Level(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality (直辖市)")
        SUB_PROVINCIAL = "sub_provincial", _("Sub-provincial city or provincial capital")
        PREFECTURE = "prefecture", _("Prefecture-level city")
        COUNTY = "county", _("County-level city")

    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    province = models.ForeignKey(Province, verbose_name=_("province"), to_field="name", db_column="province",
                                 on_delete=models.PROTECT, related_name="cities")
    level = models.CharField(_("administrative level"), max_length=16, choices=Level.choices, default=Level.PREFECTURE)
    admin_code = models.CharField(
        _("administrative code"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("An administrative code has exactly 6 digits."))],
    )

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["province", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="city_unique_province_name")]

    def __str__(self) -> str:
        return self.name


class GovAccount(models.Model):
    class Platform(models.TextChoices):
        SINA = "sina", _("Sina Weibo")
        TENCENT = "tencent", _("Tencent Weibo")

    class Category(models.TextChoices):
        POLICE = "police", _("Police")
        TRAFFIC = "traffic", _("Traffic police")
        PRESS = "press", _("Press release")
        YOUTH = "youth", _("Youth league")
        TOURISM = "tourism", _("Tourism")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")

    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices, default=Platform.SINA)
    uid = models.CharField(_("platform uid"), max_length=32, blank=True)
    screen_name = models.CharField(_("screen name"), max_length=128)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, db_index=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.CITY)
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="accounts")
    verified = models.BooleanField(_("verified"), default=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)

    class Meta:
        verbose_name = _("government account")
        verbose_name_plural = _("government accounts")
        ordering = ["city", "category", "screen_name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "screen_name"], name="govaccount_unique_platform_name")
        ]

    def __str__(self) -> str:
        return self.screen_name


# The counts every snapshot carries. Importers, scoring and the API read this one list.
SNAPSHOT_COUNT_FIELDS = ("fans", "posts", "original_posts", "reposts", "comments", "likes", "replies")
SNAPSHOT_OPTIONAL_COUNT_FIELDS = ("original_reposts", "original_comments")


class Snapshot(models.Model):
    """One account's metrics over one period [period_start, period_end] (both inclusive).

    Fans are counted at the period end; every other count is a total over the period.
    """

    # No separate index on account_id: the unique (account, period_start, period_end) index leads with
    # it and serves every lookup by account, and one index fewer makes bulk imports faster.
    account = models.ForeignKey(
        GovAccount, verbose_name=_("account"), on_delete=models.CASCADE, related_name="snapshots", db_index=False
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    fans = models.BigIntegerField(_("fans"), default=0)
    posts = models.BigIntegerField(_("posts"), default=0)
    original_posts = models.BigIntegerField(_("original posts"), default=0)
    reposts = models.BigIntegerField(_("reposts"), default=0)
    comments = models.BigIntegerField(_("comments"), default=0)
    likes = models.BigIntegerField(_("likes"), default=0)
    replies = models.BigIntegerField(_("replies"), default=0, help_text=_("Replies written by the account itself."))
    original_reposts = models.BigIntegerField(_("reposts of original posts"), null=True, blank=True)
    original_comments = models.BigIntegerField(_("comments on original posts"), null=True, blank=True)
    last_post_on = models.DateField(_("last post on"), null=True, blank=True)
    custom_metrics = models.JSONField(
        _("custom metrics"), default=dict, blank=True, help_text=_("Extra numeric columns of the import, by name.")
    )

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["account", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["account", "period_start", "period_end"], name="snapshot_unique_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="snapshot_period_ordered"),
            models.CheckConstraint(
                condition=Q(original_posts__lte=F("posts")), name="snapshot_original_posts_within_posts"
            ),
            *[
                models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=f"snapshot_{field}_non_negative")
                for field in SNAPSHOT_COUNT_FIELDS
            ],
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
                    name=f"snapshot_{field}_non_negative",
                )
                for field in SNAPSHOT_OPTIONAL_COUNT_FIELDS
            ],
        ]
        indexes = [models.Index(fields=["period_start", "period_end"], name="snapshot_period_idx")]

    def __str__(self) -> str:
        return f"{self.account} {self.period}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)


class SnapshotImport(models.Model):
    """The record of one successful import. A failed import writes nothing, this row included."""

    class Source(models.TextChoices):
        COMMAND = "command", _("Command line")
        UPLOAD = "upload", _("Upload page")
        API = "api", _("API")
        DEMO = "demo", _("Demo data")

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    row_count = models.PositiveIntegerField(_("rows"))
    cities_created = models.PositiveIntegerField(_("cities created"), default=0)
    accounts_created = models.PositiveIntegerField(_("accounts created"), default=0)
    snapshots_created = models.PositiveIntegerField(_("snapshots created"), default=0)
    snapshots_replaced = models.PositiveIntegerField(_("snapshots replaced"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("snapshot import")
        verbose_name_plural = _("snapshot imports")
        ordering = ["-created_at"]
        # An import creates cities and accounts, re-files accounts and replaces snapshots: more than any
        # one model permission says, so it is a permission of its own (superusers have it implicitly).
        permissions = [("import_snapshots", _("Can import snapshot files"))]

    def __str__(self) -> str:
        # China time (TIME_ZONE), as every page shows it: the stored value is UTC.
        return f"{self.file_name} ({timezone.localtime(self.created_at):%Y-%m-%d %H:%M})"


class ImportJob(models.Model):
    """One uploaded file on its way through the import task: queued → validating → writing → done | failed.

    The web page creates the job and returns at once; the Celery task (accounts.snapshots_import_execute,
    or the task of an app above that reads other files, e.g. posts) imports the stored file and records its progress here for the status page to poll. Texts shown to
    users (the problems of a rejected file, the reason of a failure) are stored in every language of the
    site, {language code: text}, because the task renders them before anyone reads them.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        VALIDATING = "validating", _("validating")
        WRITING = "writing", _("writing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    FINISHED = (Status.DONE, Status.FAILED)
    ACTIVE = (Status.VALIDATING, Status.WRITING)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    stored_file = models.CharField(_("stored file"), max_length=255, blank=True,
                                   help_text=_("Under GOVWEIBO_IMPORT_DIR until the job ends, then deleted."))
    dry_run = models.BooleanField(_("check only"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_done = models.PositiveIntegerField(_("rows counted"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    result = models.ForeignKey(SnapshotImport, verbose_name=_("import record"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="jobs")
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    cities_created = models.PositiveIntegerField(_("cities created"), default=0)
    accounts_created = models.PositiveIntegerField(_("accounts created"), default=0)
    snapshots_created = models.PositiveIntegerField(_("snapshots created"), default=0)
    snapshots_replaced = models.PositiveIntegerField(_("snapshots replaced"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True,
                                help_text=_("The first problems of a rejected file: line, column and message."))
    problem_count = models.PositiveIntegerField(_("problems found"), default=0)
    error = models.JSONField(_("failure reason"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True, help_text=_(
        "What a finished job did, in every language of the site, when its counts are not snapshot counts "
        "(a file of posts or replies)."))

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="importjob_progress_percent")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def error_text(self) -> str:
        """The failure reason in the active language."""
        return in_active_language(self.error)

    @property
    def summary_text(self) -> str:
        """What the job did in the active language; "" for a snapshot job (the page words its counts)."""
        return in_active_language(self.summary)


def in_active_language(texts: dict[str, str]) -> str:
    """texts[active language], else the site's default language's, else any: {} gives ""."""
    for code in (get_language(), settings.LANGUAGE_CODE):
        if code in texts:
            return texts[code]
    return next(iter(texts.values()), "")
