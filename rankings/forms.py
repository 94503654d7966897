"""Forms of the ranking pages, and the period field the API's filters share with them."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.periods import Period, PeriodError, parse_period
from rankings.labels import scheme_label
from rankings.models import ScoringScheme


class PeriodFormField(forms.CharField):
    """A period typed as text (2012-03, 2012-Q1, 2012 …), cleaned to a Period."""

    def to_python(self, value: object) -> Period | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_period(text)
        except PeriodError as error:
            # The message quotes the text, which may hold a "%": pass it as a parameter, never as the
            # format (django-filter renders message % params and a stray "%s" there is a 500).
            raise forms.ValidationError("%(message)s", code="period", params={"message": str(error)}) from None

    def prepare_value(self, value: object) -> object:
        return value.label if isinstance(value, Period) else value


class SchemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ScoringScheme) -> str:
        return scheme_label(obj)


class RunStartForm(forms.Form):
    """“Compute a ranking”: a scheme, a period, and whether to publish the result when it is done."""

    scheme = SchemeChoiceField(
        label=_("Scoring scheme"), queryset=ScoringScheme.objects.all(), to_field_name="slug",
        empty_label=None,
    )
    period = PeriodFormField(
        label=_("Period"),
        help_text=_("2012-03 (a month), 2012-Q1, 2012, 2012-W05 or 2012-01-01/2012-01-15"),
        widget=forms.TextInput(attrs={"placeholder": "2012-03", "autocomplete": "off", "maxlength": 40}),
    )
    publish = forms.BooleanField(
        label=_("Publish when done"), required=False,
        help_text=_("The new ranking replaces the published ranking of this scheme and period."),
    )


class RankingChoiceForm(forms.Form):
    """The home page's small GET form: which scheme, which published period."""

    scheme = forms.ChoiceField(label=_("Scoring scheme"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(
        self, *, schemes: list[ScoringScheme], periods: list[Period], initial: dict[str, str]
    ) -> None:
        super().__init__(initial=initial)
        self.fields["scheme"].choices = [(scheme.slug, scheme_label(scheme)) for scheme in schemes]
        labels = [period.label for period in periods]
        self.fields["period"].choices = [("", _("Latest")), *zip(labels, labels, strict=False)]
