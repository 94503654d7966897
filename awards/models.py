"""Award rounds (政务微博示范奖): candidates frozen from a published ranking, experts, their scores,
netizen tallies and the versioned, fingerprinted results of publication.

Every input model keeps its history (django-simple-history): who changed what, when, old → new, and the
entry path (grid, file, expert page, API, admin, command, demo) in `history_change_reason`.
Business rules live in awards/services; models only hold data and its database constraints.
"""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import City, GovAccount, Province
from awards import defaults
from rankings.models import ScoreRun


class EntryPath(models.TextChoices):
    """Where an input came from: recorded on the row and as the history's change reason."""

    GRID = "grid", _("grid page")
    FILE = "file", _("file import")
    EXPERT = "expert", _("expert's page")
    API = "api", _("API")
    ADMIN = "admin", _("admin site")
    COMMAND = "command", _("command line")
    DEMO = "demo", _("demo data")


class AwardRound(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("cities")
        ACCOUNT = "account", _("accounts of one category")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("mean")
        TRIMMED = "trimmed", _("trimmed mean")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        VOTING = "voting", _("voting")
        CLOSED = "closed", _("closed")
        PUBLISHED = "published", _("published")

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=128)
    run = models.ForeignKey(ScoreRun, verbose_name=_("score run"), on_delete=models.PROTECT,
                            related_name="award_rounds")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CITY)
    category = models.CharField(_("category"), max_length=16, choices=GovAccount.Category.choices, blank=True)
    candidates_n = models.PositiveSmallIntegerField(_("number of candidates"), default=defaults.CANDIDATES_N,
                                                    help_text=_("Every candidate ranked at or above N (ties all in)."))
    shortlist_size = models.PositiveSmallIntegerField(_("shortlist size"), default=defaults.SHORTLIST_SIZE)
    weight_ranking = models.DecimalField(_("weight of the ranking"), max_digits=5, decimal_places=4,
                                         default=Decimal(defaults.WEIGHT_RANKING))
    weight_experts = models.DecimalField(_("weight of the experts"), max_digits=5, decimal_places=4,
                                         default=Decimal(defaults.WEIGHT_EXPERTS))
    weight_netizens = models.DecimalField(_("weight of the netizens"), max_digits=5, decimal_places=4,
                                          default=Decimal(defaults.WEIGHT_NETIZENS))
    aggregation = models.CharField(_("expert aggregation"), max_length=16, choices=Aggregation.choices,
                                   default=Aggregation(defaults.AGGREGATION))
    trim = models.PositiveSmallIntegerField(_("scores dropped at each end"), default=defaults.TRIM)
    quorum = models.PositiveSmallIntegerField(_("quorum (expert scores per candidate)"), default=defaults.QUORUM)
    disclose_experts = models.BooleanField(_("disclose expert names"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Bumped (by a queryset update, so it leaves no history row) on every save of an input: the grid
    # sends the version it loaded and a save against an older one is refused as a conflict.
    version = models.PositiveIntegerField(_("input version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    voting_opened_at = models.DateTimeField(_("voting opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("manage_rounds", _("Can manage award rounds, experts and all entry")),
            ("score_rounds", _("Can enter one's own expert scores")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind="city") | ~Q(category=""), name="awardround_account_category"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weights(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.weight_ranking, self.weight_experts, self.weight_netizens)

    @property
    def candidates_from_list(self) -> bool:
        """The candidates were named one by one (candidates_n 0) rather than taken from the top N."""
        return self.candidates_n == 0

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def accepts_scores(self) -> bool:
        """Scores and tallies may be entered while the round is a draft or voting (not once closed)."""
        return self.status in (self.Status.DRAFT, self.Status.VOTING)


class Candidate(models.Model):
    """A city or account of the round, its rank and composite frozen from the run at the round's creation."""

    round = models.ForeignKey(AwardRound, verbose_name=_("round"), on_delete=models.CASCADE,
                              related_name="candidates")
    city = models.ForeignKey(City, verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    account = models.ForeignKey(GovAccount, verbose_name=_("account"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=128)
    province = models.ForeignKey(Province, verbose_name=_("province"), to_field="name", db_column="province",
                                 on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(_("rank in the ranking"))
    composite = models.FloatField(_("ranking score"))
    citation = models.TextField(_("citation (颁奖词)"), blank=True)

    history = HistoricalRecords(excluded_fields=["composite", "rank"])

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["round", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "city"], condition=Q(city__isnull=False),
                                    name="candidate_unique_round_city"),
            models.UniqueConstraint(fields=["round", "account"], condition=Q(account__isnull=False),
                                    name="candidate_unique_round_account"),
            models.CheckConstraint(condition=Q(city__isnull=False) | Q(account__isnull=False),
                                   name="candidate_city_or_account"),
        ]

    def __str__(self) -> str:
        return self.name


class Expert(models.Model):
    round = models.ForeignKey(AwardRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="experts")
    name = models.CharField(_("name"), max_length=64)
    affiliation = models.CharField(_("affiliation"), max_length=128, blank=True)
    province = models.ForeignKey(Province, verbose_name=_("home province"), to_field="name", db_column="province",
                                 on_delete=models.PROTECT, related_name="+")
    city = models.ForeignKey(City, verbose_name=_("home city"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="award_experts")
    # Sealed scoring: until an expert submits, they see no one else's scores.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="expert_unique_round_name"),
            models.UniqueConstraint(fields=["round", "user"], condition=Q(user__isnull=False),
                                    name="expert_unique_round_user"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_recused_from(self, candidate: Candidate) -> bool:
        """Conflict of interest (回避): an expert never scores a candidate of their home province.
        Both hold a canonical province (core.provinces), so spellings cannot differ."""
        return bool(self.province_id) and self.province_id == candidate.province_id


class ExpertScore(models.Model):
    round = models.ForeignKey(AwardRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="scores")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey(Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE,
                                  related_name="scores")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(0), MaxValueValidator(defaults.SCALE)])
    comment = models.TextField(_("comment (评语)"), blank=True)
    entered_via = models.CharField(_("entered via"), max_length=16, choices=EntryPath.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The round's input version this write created: the grid's conflict message names the cells written
    # (or deleted, see their history) after the version an admin loaded.
    round_version = models.PositiveIntegerField(_("round version"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expert score")
        verbose_name_plural = _("expert scores")
        ordering = ["round", "candidate", "expert"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "candidate"], name="expertscore_unique_expert_candidate"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=defaults.SCALE), name="expertscore_score_0_100"),
        ]


class NetizenTally(models.Model):
    round = models.ForeignKey(AwardRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="tallies")
    candidate = models.ForeignKey(Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE,
                                  related_name="tallies")
    source = models.CharField(_("source"), max_length=128)
    votes = models.PositiveBigIntegerField(_("votes"))
    entered_via = models.CharField(_("entered via"), max_length=16, choices=EntryPath.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The round's input version this write created: the grid's conflict message names the cells written
    # (or deleted, see their history) after the version an admin loaded.
    round_version = models.PositiveIntegerField(_("round version"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("netizen tally")
        verbose_name_plural = _("netizen tallies")
        ordering = ["round", "source", "candidate"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "source"], name="netizentally_unique_candidate_source"),
        ]


class RoundResult(models.Model):
    """The frozen result of a published round: version 1 at publication, one more per correction.

    `inputs` is the canonical document of everything the result was computed from (settings,
    candidates, scores, tallies); `fingerprint` is the SHA-256 of its canonical JSON, so anyone holding
    the inputs can check them. `rows` is the result table as it was shown.
    """

    round = models.ForeignKey(AwardRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="results")
    version = models.PositiveIntegerField(_("version"))
    rows = models.JSONField(_("result rows"))
    inputs = models.JSONField(_("inputs"))
    fingerprint = models.CharField(_("input fingerprint (SHA-256)"), max_length=64)
    is_correction = models.BooleanField(_("correction"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("round result")
        verbose_name_plural = _("round results")
        ordering = ["round", "-version"]
        constraints = [models.UniqueConstraint(fields=["round", "version"], name="roundresult_unique_version")]

    def __str__(self) -> str:
        return f"{self.round} v{self.version}"
