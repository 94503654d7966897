"""The award pages' forms: a draft round's settings, add an expert from the grid, a citation, a status change,
a correction; and (rounds pages) a new round, the confirmation of closing or publishing, a netizen vote file."""
from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import GovAccount
from awards import defaults
from awards.models import AwardRound, Candidate, Expert
from awards.services import candidate_names_parse
from awards.services.publishing import correction_reason_problem
from core.provinces import ProvinceField, province_label
from core.text import echo
from rankings.models import ScoreRun

# A netizen vote file has one row per candidate and source: a few hundred rows, a few kilobytes. The bound
# keeps a mistaken upload (a whole snapshot export) from being read, and stays under the request limit.
NETIZEN_MAX_BYTES = 2 * 1024 * 1024
NETIZEN_EXTENSIONS = (".csv", ".txt", ".xlsx")


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)
    affiliation = forms.CharField(label=_("Affiliation"), max_length=128, required=False)
    province = ProvinceField(label=_("Home province"),
                             help_text=_("Candidates of this province are recused (回避)."))
    username = forms.CharField(label=_("User name (optional)"), max_length=150, required=False,
                               help_text=_("The account the expert logs in with to score on their own page; "
                                           "it joins the expert role (评审专家) if it lacks it."))

    def clean_username(self) -> Any:
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("There is no user “%(name)s”.") % {"name": username[:50]})
        return user


class CitationForm(forms.Form):
    text = forms.CharField(label=_("Citation (颁奖词)"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000, required=False)


class StatusForm(forms.Form):
    """Open voting, close or publish: which one is the button pressed."""

    ACTIONS = ("open", "close", "publish")
    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])


class CorrectionForm(forms.Form):
    """A correction of a published round: a reason, and one score or one tally to set (both optional:
    a correction may also only recompute and restate the result)."""

    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.TextInput())
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.none(), required=False)
    candidate = forms.ModelChoiceField(label=_("Candidate"), queryset=Candidate.objects.none(), required=False)
    score = forms.CharField(label=_("New score"), max_length=20, required=False)
    source = forms.CharField(label=_("Netizen source"), max_length=128, required=False)
    votes = forms.CharField(label=_("New vote count"), max_length=20, required=False)

    def __init__(self, *args: Any, award_round: AwardRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = award_round.experts.all()
        self.fields["candidate"].queryset = award_round.candidates.all()

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        if (problem := correction_reason_problem(reason)) is not None:
            raise forms.ValidationError(problem, code="invisible")
        return reason

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        wants_score = bool(data.get("expert") or data.get("score"))
        wants_tally = bool(data.get("source") or data.get("votes"))
        if (wants_score or wants_tally) and not data.get("candidate"):
            self.add_error("candidate", _("Choose the candidate whose input is corrected."))
        if wants_score and not data.get("expert"):
            self.add_error("expert", _("Choose the expert whose score is corrected."))
        if wants_tally and not data.get("source"):
            self.add_error("source", _("Name the source whose tally is corrected."))
        return data


class RoundSettingsForm(forms.Form):
    """A draft round's settings. The numbers stay text here: the service checks them (a sum of weights
    other than 1 is refused with the sum), so the page, the command and the API say the same thing."""

    # "Name" alone is the expert's name (姓名) in the catalogue: a round's name is its title (评选名称).
    name = forms.CharField(label=pgettext_lazy("award round", "Name"), max_length=128)
    shortlist_size = forms.IntegerField(label=_("Shortlist size"), min_value=1, max_value=1000)
    weight_ranking = forms.CharField(label=_("Weight of the ranking (R)"), max_length=20)
    weight_experts = forms.CharField(label=_("Weight of the experts (E)"), max_length=20)
    weight_netizens = forms.CharField(label=_("Weight of the netizens (N)"), max_length=20)
    aggregation = forms.ChoiceField(label=_("Expert aggregation"), choices=AwardRound.Aggregation.choices)
    trim = forms.IntegerField(label=_("Scores dropped at each end (trimmed mean)"), min_value=0, max_value=1000)
    quorum = forms.IntegerField(label=_("Quorum (expert scores per candidate)"), min_value=1, max_value=1000)
    disclose_experts = forms.BooleanField(label=_("Publish the experts' names with their scores"), required=False)

    @classmethod
    def for_round(cls, award_round: AwardRound) -> RoundSettingsForm:
        return cls(initial={
            "name": award_round.name, "shortlist_size": award_round.shortlist_size,
            "weight_ranking": award_round.weight_ranking.normalize(), "weight_experts": award_round.weight_experts.normalize(),
            "weight_netizens": award_round.weight_netizens.normalize(), "aggregation": award_round.aggregation,
            "trim": award_round.trim, "quorum": award_round.quorum, "disclose_experts": award_round.disclose_experts,
        })

    def settings(self) -> dict[str, Any]:
        """The cleaned fields as round_update takes them."""
        data = dict(self.cleaned_data)
        data["weights"] = (data.pop("weight_ranking"), data.pop("weight_experts"), data.pop("weight_netizens"))
        return data


REASON_CHARS = 80  # awards.services.common.PERSON_REASON_LIMIT: the history keeps "<path> · <reason>" in 100


class ExpertManageForm(forms.ModelForm):
    """Add or edit an expert on the round's expert pages (panel admins). Name, affiliation and home
    province are the model's own fields (so the province follows the model: a list once it is one);
    the user account is typed by user name; the reason goes into the audit log (required to edit)."""

    username = forms.CharField(label=_("User name (optional)"), max_length=150, required=False,
                               help_text=_("The account the expert logs in with to score on their own page; "
                                           "it joins the expert role (评审专家) if it lacks it. Empty: none."))
    reason = forms.CharField(label=_("Reason (for the audit log)"), max_length=REASON_CHARS, required=False)

    class Meta:
        model = Expert
        fields = ["name", "affiliation", "province"]
        labels = {"name": _("Name"), "affiliation": _("Affiliation"), "province": _("Home province")}
        help_texts = {"province": _("Candidates of this province are recused (回避).")}

    def __init__(self, *args: Any, reason_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        # The list of the 34 names each in the reader's language (Hunan in English).
        self.fields["province"].label_from_instance = lambda province: province_label(province.name)
        if self.instance.pk and self.instance.user_id and not self.is_bound:
            self.initial["username"] = self.instance.user.get_username()

    clean_username = ExpertForm.clean_username

    def changes(self) -> dict[str, Any]:
        """The cleaned fields as services.expert_create / expert_update take them."""
        data = self.cleaned_data
        return {"name": data["name"], "affiliation": data["affiliation"], "province": data["province"],
                "expert_user": data["username"]}


class ExpertRemoveForm(forms.Form):
    """Remove an expert: a reason, and (when they have scores) the number of scores the page showed,
    which is the confirmation that they go too."""

    reason = forms.CharField(label=_("Reason (for the audit log)"), max_length=REASON_CHARS)
    scores_confirmed = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)


class ExpertReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason (for the audit log)"), max_length=REASON_CHARS)
# --- rounds pages: create a round, confirm a status change, upload a netizen vote file -----------------
class RoundCreateForm(RoundSettingsForm):
    """Every choice of `award_round create`. Numbers and lists stay close to what was typed: the service
    checks them (SettingsInvalid names each setting), so the page and the command say the same thing."""

    TOP, LIST = "top", "list"
    # The service's names for the settings, where the form's fields are named otherwise.
    SERVICE_FIELDS = {"weights": "weight_ranking", "candidate_names": "candidate_list"}

    slug = forms.SlugField(label=_("Slug (in the round's address)"), max_length=50,
                           help_text=_("Lower-case letters, digits and hyphens, e.g. shifan-2013."))
    run = forms.ModelChoiceField(label=_("Published ranking"), queryset=ScoreRun.objects.none(),
                                 help_text=_("The candidates, their ranks and ranking scores are taken from it."))
    kind = forms.ChoiceField(label=_("Candidates are"), choices=AwardRound.Kind.choices, initial=AwardRound.Kind.CITY)
    category = forms.ChoiceField(label=_("Account category (account rounds)"), required=False,
                                 choices=[("", "—"), *GovAccount.Category.choices])
    selection = forms.ChoiceField(label=_("Choose the candidates"), widget=forms.RadioSelect, initial=TOP,
                                  choices=[(TOP, _("the first N of the ranking (ties all in)")),
                                           (LIST, _("by name, from a list"))])
    candidates_n = forms.IntegerField(label=_("N: candidates ranked N or better"), min_value=1, max_value=1000,
                                      initial=defaults.CANDIDATES_N, required=False)
    candidate_list = forms.CharField(
        label=_("Candidates by name"), required=False, max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "长沙、株洲、湘潭"}),
        help_text=_("One per line, or separated by commas or 、. A name two provinces share: 吉林（吉林）."))

    field_order = ["run", "slug", "name", "kind", "category", "selection", "candidates_n", "candidate_list",
                   "shortlist_size", "weight_ranking", "weight_experts", "weight_netizens", "aggregation", "trim",
                   "quorum", "disclose_experts"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = (ScoreRun.objects.filter(is_published=True).select_related("scheme")
                                       .order_by("-period_end", "-published_at", "-id"))
        self.fields["run"].label_from_instance = lambda run: f"{run.period_label} · {run.scheme.name} · #{run.pk}"
        if not self.is_bound and self.initial.get("run") is None:
            # The newest published ranking, as most rounds draw on it.
            self.initial["run"] = self.fields["run"].queryset.values_list("pk", flat=True).first()

    @classmethod
    def with_defaults(cls, *, run: Any = None) -> RoundCreateForm:
        """The form as a new round's defaults fill it (awards.defaults: the command's defaults too)."""
        return cls(initial={
            "run": run, "kind": AwardRound.Kind.CITY, "selection": cls.TOP, "candidates_n": defaults.CANDIDATES_N,
            "shortlist_size": defaults.SHORTLIST_SIZE, "weight_ranking": Decimal(defaults.WEIGHT_RANKING).normalize(),
            "weight_experts": Decimal(defaults.WEIGHT_EXPERTS).normalize(),
            "weight_netizens": Decimal(defaults.WEIGHT_NETIZENS).normalize(), "aggregation": defaults.AGGREGATION,
            "trim": defaults.TRIM, "quorum": defaults.QUORUM,
        })

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("selection") == self.TOP and data.get("candidates_n") is None and "candidates_n" not in self.errors:
            self.add_error("candidates_n", _("Give N, or choose the candidates by name."))
        return data

    def create_kwargs(self) -> dict[str, Any]:
        """The cleaned fields as round_create takes them."""
        data = self.settings()
        by_list = data.pop("selection") == self.LIST
        text = data.pop("candidate_list")
        data["candidate_names"] = candidate_names_parse(text) if by_list else None
        if by_list:
            data.pop("candidates_n")
        return data

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        """SettingsInvalid's problems, each beside its field (the form's name for the service's setting)."""
        for setting, problems in fields.items():
            field = self.SERVICE_FIELDS.get(setting, setting)
            for problem in problems:
                self.add_error(field if field in self.fields else None, problem)


class StatusConfirmForm(forms.Form):
    """Closing and publishing cannot be undone: the page asks for this box to be ticked (no JavaScript)."""

    action = forms.ChoiceField(choices=[("close", "close"), ("publish", "publish")])
    confirm = forms.BooleanField(required=True, error_messages={"required": _("Tick the box to confirm.")})


class NetizenUploadForm(forms.Form):
    """A netizen vote file (candidate, votes, source), checked and previewed before it is imported."""

    file = forms.FileField(label=_("Netizen vote file"),
                           widget=forms.ClearableFileInput(attrs={"accept": ",".join(NETIZEN_EXTENSIONS)}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rendered now, in the request's language (a lazy text with % would render at import time).
        self.fields["file"].help_text = _(
            "CSV (UTF-8, GB18030 or UTF-16) or Excel .xlsx with the columns candidate, votes, source (城市 or 账号, "
            "票数, 来源); at most %(size)s.") % {"size": filesizeformat(NETIZEN_MAX_BYTES)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name or "").suffix.lower()
        if suffix not in NETIZEN_EXTENSIONS:
            raise forms.ValidationError(_("“%(name)s” is not a .csv, .txt or .xlsx file.") % {"name": echo(upload.name)})
        if upload.size > NETIZEN_MAX_BYTES:
            raise forms.ValidationError(_("The file is %(size)s; a netizen vote file may be at most %(limit)s.")
                                        % {"size": filesizeformat(upload.size),
                                           "limit": filesizeformat(NETIZEN_MAX_BYTES)})
        return upload
