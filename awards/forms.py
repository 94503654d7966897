"""The award pages' forms: a draft round's settings, add an expert from the grid, a citation, a status change,
a correction."""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from awards.models import AwardRound, Candidate, Expert
from core.provinces import ProvinceField


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

    name = forms.CharField(label=_("Name"), max_length=128)
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
