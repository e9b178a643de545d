"""Input cleaning for roles, interest and offers."""

from django import forms

from core.widgets import DatePicker
from projects.models import Role, RoleTemplate, SelectionMethod
from projects.services.roles import EDITABLE_FIELDS


class RoleCreateForm(forms.Form):
    template = forms.ModelChoiceField(
        label="Start from this role description template",
        queryset=RoleTemplate.objects.all(),
        empty_label=None,
    )
    title = forms.CharField(label="Role title", max_length=200)
    selection_method = forms.ChoiceField(
        label="How will people be chosen?", choices=SelectionMethod.choices,
        initial=SelectionMethod.EXPRESSION_OF_INTEREST,
    )
    places = forms.IntegerField(label="Number of places", min_value=1, max_value=500, initial=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = RoleTemplate.objects.filter(is_default=True).first()
        if default:
            self.fields["template"].initial = default.pk


class RoleForm(forms.ModelForm):
    class Meta:
        model = Role
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "start_date": DatePicker,
            "end_date": DatePicker,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 4}),
            "time_commitment": forms.Textarea(attrs={"rows": 2}),
            "payment_terms": forms.Textarea(attrs={"rows": 4}),
            "how_to_claim": forms.Textarea(attrs={"rows": 3}),
            "support_offered": forms.Textarea(attrs={"rows": 3}),
            "selection_criteria": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "start_date": "Start date",
            "end_date": "End date",
            "payment_terms": "Payment (rate and what is paid)",
            "how_to_claim": "How to claim",
            "selection_criteria": "What we are looking for (selection criteria)",
        }
        help_texts = {
            "time_commitment": "Changing the time, the dates or the payment after someone has accepted "
            "asks them to accept the new terms.",
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date.")
        return cleaned


class InterestForm(forms.Form):
    statement = forms.CharField(
        label="Why are you interested? A few sentences is plenty.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        error_messages={"required": "Tell us in a few words why you are interested."},
    )


class TurnDownForm(forms.Form):
    reason = forms.CharField(
        label="Reason (recorded, and shared with the person if they ask)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Give a reason. It is recorded, and helps the person understand the decision."
        },
    )


class OfferMakeForm(forms.Form):
    contributor = forms.IntegerField(widget=forms.HiddenInput)


class StepDownForm(forms.Form):
    reason = forms.CharField(
        label="Would you like to tell us why? (optional)", required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FindPersonForm(forms.Form):
    find = forms.CharField(label="Find anyone by name, interest or lived experience", required=False)
