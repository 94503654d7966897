"""Scoring schemes, score runs and their results.

A scheme is data (a validated document, see rankings/scoring/schemes.py); a run freezes the scheme's
document and version with a period, so a published ranking can always be recomputed exactly. Results
are keyed by run: a run that fails or is still running never touches another run's rows, and pages
read only the published run.
"""
from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import City, GovAccount
from core.periods import Period
from rankings.fields import FloatListField

if TYPE_CHECKING:  # the engine (pandas) is imported where a document is read, not at start-up
    from rankings.scoring.schemes import Scheme


class ScoringScheme(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=128)
    document = models.JSONField(_("document"), help_text=_("The validated scheme document."))
    version = models.PositiveIntegerField(_("version"), default=1)
    is_default = models.BooleanField(_("default scheme"), default=False)
    builtin = models.BooleanField(_("built in"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["-is_default", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True),
                                    name="scoringscheme_one_default"),
        ]
        permissions = [("run_scores", _("Can start score runs"))]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug} v{self.version})"

    @cached_property
    def definition(self) -> Scheme:
        """The document, typed: every reader of a scheme's settings goes through this (Scheme.read)."""
        from rankings.scoring.schemes import Scheme

        return Scheme.read(self.document)


class ScoreRunQuerySet(models.QuerySet):
    def for_period(self, period: Period) -> ScoreRunQuerySet:
        """The runs of exactly this period (a run stores its period as its first and last day)."""
        return self.filter(period_start=period.start, period_end=period.end)


class ScoreRun(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    class Stage(models.TextChoices):
        QUEUED = "queued", _("queued")
        READING = "reading", _("reading snapshots")
        SCORING = "scoring", _("scoring")
        WRITING = "writing", _("writing results")
        UNCERTAINTY = "uncertainty", _("uncertainty analysis")
        PUBLISHING = "publishing", _("publishing")
        DONE = "done", _("done")

    FINISHED = (Status.SUCCEEDED, Status.FAILED)

    scheme = models.ForeignKey(ScoringScheme, verbose_name=_("scheme"), on_delete=models.PROTECT,
                               related_name="runs")
    scheme_version = models.PositiveIntegerField(_("scheme version"))
    document = models.JSONField(_("scheme document"), help_text=_("The scheme as it was when the run started."))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    publish = models.BooleanField(_("publish when done"), default=False)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Who published the run (rankings.services.publishing): the user who pressed “Publish”, or who
    # started a run “published when done”; None for the system (setup_demo, the monthly job) or a
    # deleted user.
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    uncertainty_draws = models.PositiveIntegerField(_("Monte Carlo draws"), default=0)
    uncertainty_seed = models.BigIntegerField(_("Monte Carlo seed"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("task id"), max_length=64, blank=True,
                               help_text=_("The Celery task that owns this run; its redeliveries may resume it."))
    timings = models.JSONField(_("timings (ms)"), default=dict, blank=True)
    input_rows = models.PositiveIntegerField(_("snapshots read"), default=0)
    accounts_scored = models.PositiveIntegerField(_("accounts scored"), default=0)
    cities_scored = models.PositiveIntegerField(_("cities scored"), default=0)
    fingerprint = models.CharField(_("input fingerprint"), max_length=64, blank=True)
    weights = models.JSONField(_("weights"), default=dict, blank=True,
                               help_text=_("Manual, entropy and used weight of each indicator."))
    warnings = models.JSONField(_("warnings"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    uncertainty_input = models.BinaryField(_("uncertainty input"), null=True, blank=True, editable=False)

    objects = ScoreRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("score run")
        verbose_name_plural = _("score runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "period_start", "period_end"], condition=Q(is_published=True),
                                    name="scorerun_one_published_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="scorerun_period_ordered"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="scorerun_progress_percent"),
        ]
        indexes = [models.Index(fields=["scheme", "is_published", "period_end"], name="scorerun_published_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.scheme.slug} {self.period_label}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)

    @property
    def period_label(self) -> str:
        return self.period.label

    @cached_property
    def definition(self) -> Scheme:
        """The scheme document the run froze, typed (Scheme.read): what pages and the API show."""
        from rankings.scoring.schemes import Scheme

        return Scheme.read(self.document)

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def is_succeeded(self) -> bool:
        return self.status == self.Status.SUCCEEDED

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def can_be_published(self) -> bool:
        """What may be published: a run that succeeded and is not the published one already. The one
        rule for the page's button and for score_run_publish (who may publish: rankings.permissions)."""
        return self.is_succeeded and not self.is_published

    @property
    def status_label(self) -> str:
        return str(self.get_status_display())

    @property
    def stage_timings(self) -> list[tuple[str, int]]:
        """(translated stage label, milliseconds) in the order the stages ran."""
        labels = dict(self.Stage.choices)
        return [(str(labels.get(stage, stage)), ms) for stage, ms in self.timings.items()]


# The result tables' foreign keys have no database constraint (db_constraint=False). A run writes up
# to 180,000 account rows at once; with constraints PostgreSQL checked three deferred keys per row at
# commit (2.3 s of a 7.5 s national run). Integrity is kept instead by (see docs/architecture.md):
#   - writing: rankings.services.results.results_write checks every run, account and city a run's rows
#     reference once, set-based, inside the writing transaction, holding an advisory lock shared;
#   - deleting: Django's ORM cascades (on_delete=CASCADE) as before, and on PostgreSQL a statement
#     trigger on accounts_govaccount, accounts_city and rankings_scorerun (migration 0003) takes that
#     lock exclusively and refuses to delete a row that result rows still reference, as the
#     constraint's own check did. The lock orders writers and deleters so neither misses the other.
# The run keys need no index of their own: each table's unique constraint leads with the run.
RESULT_KEY = {"on_delete": models.CASCADE, "db_constraint": False}


class AccountScore(models.Model):
    run = models.ForeignKey(ScoreRun, related_name="account_scores", db_index=False, **RESULT_KEY)
    account = models.ForeignKey(GovAccount, verbose_name=_("account"), related_name="scores", db_index=False,
                                **RESULT_KEY)
    city = models.ForeignKey(City, verbose_name=_("city"), related_name="+", db_index=False, **RESULT_KEY)
    category = models.CharField(_("category"), max_length=16, choices=GovAccount.Category.choices)
    composite = models.FloatField(_("score"))
    rank_in_category = models.PositiveIntegerField(_("rank in category"))
    # One value per indicator of the run's document, in its order (rankings.fields: float8[] on
    # PostgreSQL); rankings.fields.keyed pairs them with the keys.
    raw_values = FloatListField(_("indicators (expression values)"), default=list)
    normalized_values = FloatListField(_("indicators (normalised)"), default=list)
    empty_shell = models.BooleanField(_("empty shell"), default=False)
    inactive = models.BooleanField(_("inactive"), null=True)
    broadcast_only = models.BooleanField(_("broadcast only"), default=False)
    reply_rate = models.FloatField(_("reply rate"), null=True)

    class Meta:
        verbose_name = _("account score")
        verbose_name_plural = _("account scores")
        constraints = [models.UniqueConstraint(fields=["run", "account"], name="accountscore_unique_run_account")]
        indexes = [models.Index(fields=["run", "category", "rank_in_category"], name="accountscore_rank_idx")]


class CityCategoryScore(models.Model):
    run = models.ForeignKey(ScoreRun, related_name="city_category_scores", db_index=False, **RESULT_KEY)
    city = models.ForeignKey(City, verbose_name=_("city"), related_name="+", db_index=False, **RESULT_KEY)
    category = models.CharField(_("category"), max_length=16, choices=GovAccount.Category.choices)
    score = models.FloatField(_("score"))
    accounts = models.PositiveIntegerField(_("accounts"))

    class Meta:
        verbose_name = _("city category score")
        verbose_name_plural = _("city category scores")
        constraints = [models.UniqueConstraint(fields=["run", "city", "category"],
                                               name="citycategoryscore_unique")]


class CityScore(models.Model):
    run = models.ForeignKey(ScoreRun, related_name="city_scores", db_index=False, **RESULT_KEY)
    city = models.ForeignKey(City, verbose_name=_("city"), related_name="scores", db_index=False, **RESULT_KEY)
    score = models.FloatField(_("score"))
    rank = models.PositiveIntegerField(_("rank"))
    previous_rank = models.PositiveIntegerField(_("previous rank"), null=True)
    rank_change = models.IntegerField(_("rank change"), null=True,
                                      help_text=_("Previous rank minus this rank: positive means moved up."))
    accounts = models.PositiveIntegerField(_("accounts"))
    indicators = models.JSONField(_("indicators"), default=dict)
    median_rank = models.FloatField(_("median rank"), null=True)
    rank_p05 = models.FloatField(_("rank, 5th percentile"), null=True)
    rank_p95 = models.FloatField(_("rank, 95th percentile"), null=True)

    class Meta:
        verbose_name = _("city score")
        verbose_name_plural = _("city scores")
        ordering = ["rank", "city_id"]
        constraints = [models.UniqueConstraint(fields=["run", "city"], name="cityscore_unique_run_city")]
        indexes = [models.Index(fields=["run", "rank"], name="cityscore_rank_idx")]
